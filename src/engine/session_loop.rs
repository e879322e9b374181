//! The I/O loop every session runs, above the transports: commands, timers, file sends,
//! saving, and the transport's readiness. A transport that is still opening (a client's
//! connect) is one state of this loop: the commands that come meanwhile wait here, in order.
//!
//! Send queues are bounded (see [`SendQueue`](super::SendQueue)): while the transport says a
//! peer's queue is over the limit ([`Transport::over_limit`]) the timers wait, the file send
//! waits (it keeps at most [`FILE_AHEAD`](super::file_send::FILE_AHEAD) queued anyway), reads
//! that would feed the full queue are held by the transport, and the front end is told with
//! [`Event::SendQueue`] so it stops taking input. The engine itself never refuses a `Send`:
//! the front ends hold back, which keeps the design to one event and no new error path. A
//! server's transport drops a client that takes nothing for the stall time
//! ([`Transport::tick`]); a client waits for its server.

use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use mio::{Events, Poll, Token, Waker};

use super::command::Command;
use super::config::{SessionConfig, SessionKind};
use super::error::{IoStep, NetError, Result};
use super::event::{CloseReason, Event, SendOrigin};
use super::file_send::{self, FileSend};
use super::limits::READ_SIZE;
use super::schedule::{DueSend, Schedule};
use super::session_state::SessionState;
use super::sink::{Notify, Sink};
use super::transport::Transport;
use super::{serial, tcp_client, tcp_server, tls, udp};

/// The poller's token of the session's waker (commands and the front end going away).
pub(crate) const WAKER: Token = Token(0);
/// How long `Closed` may wait for a consumer that stopped reading.
const FINISH_PATIENCE: Duration = Duration::from_secs(2);

/// What the loop keeps beside the shared state: the timed sends, the file being sent,
/// whether the front end was last told "waiting", and commands that wait for the transport.
struct Work {
    schedule: Schedule,
    file: Option<FileSend>,
    /// Whether the last `SendQueue` event said "waiting".
    waiting: bool,
    /// Commands taken while the transport could not act on them yet, in order.
    held: VecDeque<Command>,
    /// Timed sends that are due (kept: a turn allocates nothing).
    due: Vec<DueSend>,
}

/// The body of a session's I/O thread.
pub(crate) fn run_session(
    mut poll: Poll,
    config: &SessionConfig,
    (command_rx, ended): (Receiver<Command>, &Mutex<bool>),
    (events, backlogged): (Sender<Event>, Arc<AtomicBool>),
    notify: Option<Notify>,
    waker: Arc<Waker>,
) {
    let commands = &command_rx;
    let sink = Sink::new(events, notify, backlogged, config.udp_burst_bytes);
    let mut core = SessionState::new(config, sink, waker);
    let opened: Result<Box<dyn Transport>> = match &config.kind {
        SessionKind::TcpClient {
            remote,
            local,
            connect_timeout,
        } => tls::client_setup(config.tls.as_ref(), remote)
            .and_then(|tls| {
                tcp_client::TcpClient::open(poll.registry(), remote, *local, *connect_timeout, tls)
            })
            .map(|t| Box::new(t) as Box<dyn Transport>),
        SessionKind::TcpServer { bind } => tls::server_setup(config.tls.as_ref(), *bind)
            .and_then(|tls| tcp_server::TcpServer::open(poll.registry(), &mut core, *bind, tls))
            .map(|t| Box::new(t) as Box<dyn Transport>),
        SessionKind::Udp {
            bind,
            target,
            broadcast,
        } => udp::Udp::open(
            poll.registry(),
            &mut core,
            *bind,
            target.as_deref(),
            *broadcast,
            &config.multicast,
            config.udp_recv_buffer,
        )
        .map(|t| Box::new(t) as Box<dyn Transport>),
        // issue 15: serial
        SessionKind::Serial {
            port,
            options,
            bridge,
        } => serial::SerialLink::open(poll.registry(), &mut core, port, options, bridge.as_ref())
            .map(|t| Box::new(t) as Box<dyn Transport>),
    };
    let mut work = Work {
        schedule: Schedule::default(),
        file: None,
        waiting: false,
        held: VecDeque::new(),
        due: Vec::new(),
    };
    match opened {
        Ok(mut transport) if !core.stop => {
            run_loop(
                &mut poll,
                transport.as_mut(),
                &mut core,
                &mut work,
                commands,
            );
        }
        Ok(mut transport) => transport.close(&mut core),
        Err(err) => core.sink.push(Event::Failed(err)),
    }
    core.finish_save();
    {
        let mut ended = ended.lock().unwrap_or_else(PoisonError::into_inner);
        *ended = true;
        refuse_late_commands(&mut core, &command_rx);
    }
    drop(command_rx);
    core.sink.finish(FINISH_PATIENCE);
}

/// The session is over: a send that came after the end is answered with
/// [`NetError::Closed`] instead of silence. It runs under the handle's `ended` lock after
/// setting it, so any later [`SessionHandle::send`](super::SessionHandle::send) returns false
/// and none falls between.
fn refuse_late_commands(core: &mut SessionState, commands: &Receiver<Command>) {
    for command in commands.try_iter().take(1024) {
        if matches!(
            command,
            Command::Send { .. } | Command::Repeat { .. } | Command::SendFile { .. }
        ) {
            core.sink.push(Event::Error(NetError::Closed));
        }
    }
}

fn run_loop(
    poll: &mut Poll,
    transport: &mut dyn Transport,
    core: &mut SessionState,
    work: &mut Work,
    commands: &Receiver<Command>,
) {
    let mut events = Events::with_capacity(1024);
    let mut buf = vec![0u8; READ_SIZE];
    loop {
        core.sink.flush();
        drain_commands(transport, core, work, commands);
        if may_read(transport, core) {
            transport.read_pending(core, &mut buf);
        }
        // Timed sends wait while a peer's queue is full (a repeat skips, it does not burst).
        if !transport.over_limit() {
            run_timers(transport, core, work);
        }
        transport.tick(core, Instant::now());
        file_send::feed(transport, core, &mut work.file);
        report_send_queue(transport, core, work);
        if core.sink.gone() {
            core.stop = true;
        }
        if core.stop || transport.finished() {
            transport.close(core);
            return;
        }
        core.sink.notify();
        let timeout = poll_timeout(transport, core, work);
        if let Err(err) = poll.poll(&mut events, timeout)
            && err.kind() != std::io::ErrorKind::Interrupted
        {
            core.sink
                .push(Event::Failed(NetError::io(IoStep::WaitNetwork, &err)));
            transport.close(core);
            return;
        }
        // A command sent before a peer's data arrived takes effect before that data is handled.
        drain_commands(transport, core, work, commands);
        for event in &events {
            if event.token() != WAKER {
                transport.ready(core, event, &mut buf);
            }
        }
    }
}

/// How long the poller may wait: not at all while there is work, else until the next timer
/// or transport deadline (forever when there is none: a command or the network wakes it).
fn poll_timeout(
    transport: &mut dyn Transport,
    core: &mut SessionState,
    work: &Work,
) -> Option<Duration> {
    let timeout = if may_read(transport, core) {
        Some(Duration::ZERO)
    } else if core.sink.waiting() {
        // The consumer makes room without telling us; look again soon.
        Some(Duration::from_millis(1))
    } else if transport.has_pending_reads(core)
        || (work.file.is_some() && transport.backlog() < file_send::ahead(core))
    {
        Some(Duration::ZERO)
    } else {
        core.flush_save();
        // A file that failed says so now, not when traffic comes back.
        core.sink.notify();
        // While a queue is full the timers wait for it, not for their time.
        let timers = if transport.over_limit() {
            None
        } else {
            work.schedule.next_deadline()
        };
        let deadline = match (timers, transport.next_deadline(core)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        deadline.map(|at| at.saturating_duration_since(Instant::now()))
    };
    // The poller counts in whole milliseconds and rounds up, which would make a 1 ms repeat
    // late every time: wait the whole milliseconds in the poller, sleep the rest.
    match timeout {
        Some(left) if left > Duration::ZERO && left < Duration::from_millis(1) => {
            std::thread::sleep(left);
            Some(Duration::ZERO)
        }
        Some(left) => Some(Duration::from_millis(left.as_millis() as u64)),
        None => None,
    }
}

/// Whether the transport has data left to read and may read it now.
fn may_read(transport: &dyn Transport, core: &SessionState) -> bool {
    transport.has_pending_reads(core)
        && (!core.sink.blocked() || transport.reads_while_blocked(core))
}

/// Tells the front end when the send queue goes over the limit or back down (see
/// [`Event::SendQueue`]).
fn report_send_queue(transport: &dyn Transport, core: &mut SessionState, work: &mut Work) {
    let over = transport.over_limit();
    if over != work.waiting {
        work.waiting = over;
        core.sink.push(Event::SendQueue {
            waiting: over,
            queued: transport.backlog(),
        });
    }
}

/// Hands the waiting commands to the transport in order: first those held, then the channel's.
fn drain_commands(
    transport: &mut dyn Transport,
    core: &mut SessionState,
    work: &mut Work,
    commands: &Receiver<Command>,
) {
    if transport.opening() && transport.finished() {
        // It never opened (the front end has `Failed`): what waited for it is dropped with
        // it, and what comes now is refused when the session ends.
        return;
    }
    while !core.stop {
        let opening = transport.opening();
        let held = if opening { None } else { work.held.pop_front() };
        let next = held.map_or_else(|| commands.try_recv(), Ok);
        match next {
            // While the transport opens, commands wait (in order); `Close` cancels at once.
            Ok(command) if opening && !matches!(command, Command::Close) => {
                work.held.push_back(command);
            }
            Ok(command) => {
                let close = matches!(command, Command::Close);
                handle_command(transport, core, work, command);
                // What comes after a Close is answered by `refuse_late_commands`.
                if close {
                    return;
                }
            }
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                core.stop = true;
                return;
            }
        }
    }
}

fn handle_command(
    transport: &mut dyn Transport,
    core: &mut SessionState,
    work: &mut Work,
    command: Command,
) {
    let now = Instant::now();
    let result = match command {
        Command::Send { payload, to } => transport.send(core, payload, to, SendOrigin::Manual),
        Command::Repeat {
            payload,
            to,
            interval,
            count,
        } => {
            if let Some(sent) = work
                .schedule
                .start_repeat(payload, to, interval, count, now)
            {
                core.sink.push(Event::RepeatFinished { sent });
            }
            Ok(())
        }
        Command::StopRepeat => {
            if let Some(sent) = work.schedule.stop_repeat() {
                core.sink.push(Event::RepeatFinished { sent });
            }
            Ok(())
        }
        Command::Heartbeat(heartbeat) => {
            work.schedule.set_heartbeat(heartbeat, now);
            Ok(())
        }
        Command::SendFile { path, to } => {
            FileSend::start(path, to).map(|file| work.file = Some(file))
        }
        Command::SetUdpTarget(target) => transport.set_target(core, target),
        Command::SetEcho(on) => {
            core.echo = on;
            transport.options_changed(core);
            Ok(())
        }
        Command::SetRelay(relay) => {
            core.relay = relay;
            transport.options_changed(core);
            Ok(())
        }
        Command::SaveTo(path) => {
            core.set_save(path);
            Ok(())
        }
        Command::Kick(peer) => transport.disconnect(core, peer, CloseReason::Kicked),
        Command::SetQuitLine(line) => {
            core.quit_line = line;
            Ok(())
        }
        Command::SetPeerTimeout(timeout) => {
            core.peer_timeout = timeout;
            Ok(())
        }
        Command::SetRoomHeartbeat(beat) => {
            core.room_heartbeat = beat.filter(|b| !b.is_empty());
            Ok(())
        }
        Command::SetSendQueue(queue) => {
            core.send_queue = queue.at_least_one_byte();
            transport.options_changed(core);
            Ok(())
        }
        Command::SetAutoReplies(rules) => {
            core.auto_replies = rules;
            transport.options_changed(core);
            Ok(())
        }
        Command::JoinMulticast(group) => transport.multicast(core, group, true),
        Command::LeaveMulticast(group) => transport.multicast(core, group, false),
        Command::Shutdown => transport.shutdown(core),
        Command::Close => {
            core.stop = true;
            Ok(())
        }
        // issue 15: websocket
        Command::SetWsBinary(binary) => {
            if let Some(ws) = &core.ws {
                ws.send_kind().set_binary(binary);
            }
            Ok(())
        }
        // issue 15: serial
        Command::SetSerialLines { dtr, rts } => transport.serial_lines(core, dtr, rts),
    };
    if let Err(err) = result {
        core.sink.push(Event::Error(err));
    }
}

fn run_timers(transport: &mut dyn Transport, core: &mut SessionState, work: &mut Work) {
    let mut finished = None;
    work.schedule
        .due(Instant::now(), &mut work.due, &mut finished);
    for send in work.due.drain(..) {
        if let Err(err) = transport.send(core, send.payload, send.to, send.origin) {
            core.sink.push(Event::Error(err));
            if send.origin == SendOrigin::Repeat
                && let Some(sent) = work.schedule.stop_repeat()
            {
                core.sink.push(Event::RepeatFinished { sent });
            }
        }
    }
    if let Some(sent) = finished {
        core.sink.push(Event::RepeatFinished { sent });
    }
}
