//! The I/O loop every session runs: commands, timers, file sends, saving, and the transport.
//!
//! Send queues are bounded (see [`SendQueue`]): while the transport says a peer's queue is
//! over the limit ([`Transport::over_limit`]) the timers wait, the file send waits (it keeps at
//! most [`FILE_AHEAD`] queued anyway), reads that would feed the full queue are held by the
//! transport, and the front end is told with [`Event::SendQueue`] so it stops taking input.
//! The engine itself never refuses a `Send`: the front ends hold back, which keeps the design
//! to one event and no new error path. A server's transport drops a client that takes nothing
//! for the stall time ([`Transport::tick`]); a client waits for its server.

use std::fs::File;
use std::io::Read as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use mio::{Events, Poll, Waker};

use super::chunk::{Chunk, Pool};
use super::command::{Command, Target};
use super::config::{Relay, SendQueue, SessionConfig, SessionKind};
use super::error::{NetError, Result};
use super::event::{CloseReason, Event, SendOrigin};
use super::payload::Payload;
use super::rules::{Action, AutoReply, has_line, is_heartbeat};
use super::save::Saver;
use super::schedule::{DueSend, Schedule};
use super::sink::{Notify, Sink};
use super::{READ_SIZE, tcp_client, tcp_server, udp};

/// Keep at most this much of a file queued ahead of the socket.
const FILE_AHEAD: usize = 256 * 1024;
/// How long `Closed` may wait for a consumer that stopped reading.
const FINISH_PATIENCE: Duration = Duration::from_secs(2);

/// A session's socket side: TCP client, TCP server or UDP.
pub(crate) trait Transport {
    /// Handles readiness of one of this transport's sockets.
    fn ready(&mut self, core: &mut Core, event: &mio::event::Event, buf: &mut Vec<u8>);
    /// Reads from sockets that were left with data (backpressure or the fairness budget).
    fn read_pending(&mut self, core: &mut Core, buf: &mut Vec<u8>);
    /// Whether any socket was left with data to read and may be read now (reads held back
    /// for a full send queue do not count: they wait for the queue to drain).
    fn has_pending_reads(&self, core: &Core) -> bool;
    /// Whether pending reads go on while events wait for the consumer (UDP: while the burst
    /// allowance has room, so the kernel's buffer does not overflow while the front end is
    /// busy). TCP stops reading instead: its window slows the sender.
    fn reads_while_blocked(&self, _core: &Core) -> bool {
        false
    }
    /// Whether a peer's send queue is over the limit (see [`SendQueue`]): timed sends wait.
    fn over_limit(&self) -> bool {
        false
    }
    /// Relay, echo, auto-replies or the send-queue limit changed: reads held back for a full
    /// queue are looked at again (they may no longer feed it).
    fn options_changed(&mut self, _core: &Core) {}
    /// Sends `payload` and reports it as `Sent`.
    fn send(
        &mut self,
        core: &mut Core,
        payload: Payload,
        to: Target,
        origin: SendOrigin,
    ) -> Result<()>;
    /// Forwards `payload` from `from` to every other peer (and `from` too if asked).
    fn relay(&mut self, core: &mut Core, from: SocketAddr, payload: Payload, include_sender: bool);
    /// Disconnects one peer (UDP: forgets it) and reports why.
    fn disconnect(&mut self, core: &mut Core, peer: SocketAddr, reason: CloseReason) -> Result<()>;
    /// Closes the sending direction once everything queued is written.
    fn shutdown(&mut self, core: &mut Core) -> Result<()>;
    /// Changes the UDP destination.
    fn set_target(&mut self, core: &mut Core, target: Option<String>) -> Result<()>;
    /// Bytes queued but not yet written.
    fn backlog(&self) -> usize;
    /// Whether the session has nothing left to do (a client whose server left).
    fn finished(&self) -> bool;
    /// Last writes before the session ends.
    fn close(&mut self, core: &mut Core);
    /// How much of a file goes into one send.
    fn file_chunk(&self) -> usize {
        READ_SIZE
    }
    /// Timed work of the transport itself (UDP: forgetting silent peers).
    fn tick(&mut self, _core: &mut Core, _now: Instant) {}
    /// When `tick` next has work.
    fn next_deadline(&self, _core: &Core) -> Option<Instant> {
        None
    }
    /// Joins (`true`) or leaves a multicast group.
    fn multicast(&mut self, _core: &mut Core, _group: IpAddr, _join: bool) -> Result<()> {
        Err(NetError::NotUdp)
    }
}

/// What to do with received data besides showing it.
pub(crate) struct Forward {
    /// Sends back to the sender, each with why.
    replies: Vec<(Payload, SendOrigin)>,
    relay: Option<(Payload, bool)>,
    disconnect: Option<CloseReason>,
}

/// A file being streamed to a peer.
struct FileSend {
    path: PathBuf,
    file: File,
    to: Target,
    sent: u64,
    total: u64,
}

/// Everything a session has besides its sockets.
pub(crate) struct Core {
    pub sink: Sink,
    /// Read buffers that come back when their events are dropped.
    pub pool: Pool,
    schedule: Schedule,
    save: Option<Saver>,
    echo: bool,
    relay: Option<Relay>,
    quit_line: Option<Vec<u8>>,
    /// UDP: a datagram equal to this is a heartbeat, not relayed.
    room_heartbeat: Option<Vec<u8>>,
    auto_replies: Vec<AutoReply>,
    /// UDP: how long a peer may stay silent.
    pub peer_timeout: Option<Duration>,
    file: Option<FileSend>,
    /// Set by `Close` or by the front end going away.
    pub stop: bool,
    /// The bound on each TCP peer's send queue.
    pub send_queue: SendQueue,
    /// Whether the last `SendQueue` event said "waiting".
    waiting: bool,
    /// Wakes this session's loop (held here for the whole session, see `Session::open`).
    waker: Arc<Waker>,
}

impl Core {
    /// Whether data read from a peer may be sent back to that peer (echo, auto-replies).
    pub(crate) fn answers_sender(&self) -> bool {
        self.echo || !self.auto_replies.is_empty()
    }

    /// Whether data read from a peer is forwarded to the others.
    pub(crate) fn relays(&self) -> bool {
        self.relay.is_some()
    }
    /// Saves, queues and decides what to forward for bytes from `peer`.
    pub(crate) fn take_in(&mut self, peer: SocketAddr, bytes: Chunk, datagram: bool) -> Forward {
        self.save_bytes(&bytes);
        let mut replies = Vec::new();
        if self.echo {
            replies.push((Payload::from(bytes.as_slice()), SendOrigin::Echo));
        }
        let mut disconnect = None;
        for rule in &self.auto_replies {
            if rule.when.matches(&bytes) {
                match &rule.then {
                    Action::Reply(payload) => {
                        replies.push((payload.clone(), SendOrigin::AutoReply));
                    }
                    Action::Echo => {
                        replies.push((Payload::from(bytes.as_slice()), SendOrigin::AutoReply));
                    }
                    Action::Disconnect => disconnect = Some(CloseReason::Rule),
                }
            }
        }
        let quits = self
            .quit_line
            .as_ref()
            .is_some_and(|line| has_line(&bytes, line));
        if quits {
            disconnect = Some(CloseReason::Quit);
        }
        // A room heartbeat keeps its sender in the room (the transport has refreshed its
        // "last heard") but is nobody else's business.
        let heartbeat = datagram
            && self
                .room_heartbeat
                .as_ref()
                .is_some_and(|beat| is_heartbeat(&bytes, beat));
        let relay = self.relay.filter(|_| !quits && !heartbeat).map(|relay| {
            let payload = if relay.prefix_peer {
                let mut framed = format!("{peer}\n").into_bytes();
                framed.extend_from_slice(&bytes);
                Payload::from(framed)
            } else {
                Payload::from(bytes.as_slice())
            };
            (payload, relay.include_sender)
        });
        let event = Event::Received {
            peer,
            at: SystemTime::now(),
            bytes,
        };
        if datagram {
            self.sink.push_datagram(event);
        } else {
            self.sink.push(event);
        }
        Forward {
            replies,
            relay,
            disconnect,
        }
    }

    fn save_bytes(&mut self, bytes: &[u8]) {
        if let Some(save) = &mut self.save
            && let Err(reason) = save.write(bytes)
        {
            self.save_failed(reason);
        }
    }

    /// Lets the file catch up while the session waits for the network.
    fn flush_save(&mut self) {
        if let Some(save) = &mut self.save
            && let Err(reason) = save.flush()
        {
            self.save_failed(reason);
        }
    }

    /// Writes out and closes the file, waiting for it.
    fn finish_save(&mut self) {
        if let Some(save) = self.save.take() {
            let path = save.path().to_owned();
            if let Err(reason) = save.finish() {
                self.sink
                    .push(Event::Error(NetError::FileWrite { path, reason }));
            }
        }
    }

    fn save_failed(&mut self, reason: String) {
        if let Some(save) = self.save.take() {
            let path = save.path().to_owned();
            drop(save);
            self.sink
                .push(Event::Error(NetError::FileWrite { path, reason }));
        }
    }

    fn set_save(&mut self, path: Option<PathBuf>) {
        self.finish_save();
        if let Some(path) = path {
            match Saver::open(path, Some(Arc::clone(&self.waker))) {
                Ok(saver) => self.save = Some(saver),
                Err(err) => self.sink.push(Event::Error(err)),
            }
        }
    }

    /// Reports a `Sent` event.
    pub(crate) fn sent(&mut self, to: super::SentTo, bytes: Payload, origin: SendOrigin) {
        self.sink.push(Event::Sent {
            to,
            at: SystemTime::now(),
            bytes,
            origin,
        });
    }
}

/// Does what received data asks for: echo to the sender, relay to the others.
pub(crate) fn forward<T: Transport + ?Sized>(
    transport: &mut T,
    core: &mut Core,
    peer: SocketAddr,
    forward: Forward,
) {
    for (payload, origin) in forward.replies {
        if let Err(err) = transport.send(core, payload, Target::Peer(peer), origin) {
            core.sink.push(Event::Error(err));
        }
    }
    if let Some((payload, include_sender)) = forward.relay {
        transport.relay(core, peer, payload, include_sender);
    }
    if let Some(reason) = forward.disconnect
        && let Err(err) = transport.disconnect(core, peer, reason)
    {
        core.sink.push(Event::Error(err));
    }
}

/// The body of a session's I/O thread.
pub(crate) fn run_session(
    mut poll: Poll,
    config: &SessionConfig,
    (command_rx, ended): (Receiver<Command>, &Mutex<bool>),
    events: Sender<Event>,
    notify: Option<Notify>,
    waker: Arc<Waker>,
) {
    let commands = &command_rx;
    let mut core = Core {
        waker,
        sink: Sink::new(events, notify, config.udp_burst_bytes),
        pool: Pool::new(),
        schedule: Schedule::default(),
        save: None,
        echo: config.echo,
        relay: config.relay,
        quit_line: config.quit_line.clone(),
        room_heartbeat: config.room_heartbeat.clone(),
        auto_replies: config.auto_replies.clone(),
        peer_timeout: config.peer_timeout,
        file: None,
        stop: false,
        send_queue: config.send_queue.at_least_one_byte(),
        waiting: false,
    };
    core.set_save(config.save_to.clone());
    let mut deferred = Vec::new();
    let opened: Result<Box<dyn Transport>> = match &config.kind {
        SessionKind::TcpClient {
            remote,
            local,
            connect_timeout,
        } => tcp_client::TcpClient::open(
            &mut poll,
            &mut core,
            (commands, &mut deferred),
            remote,
            *local,
            *connect_timeout,
        )
        .map(|t| Box::new(t) as Box<dyn Transport>),
        SessionKind::TcpServer { bind } => {
            tcp_server::TcpServer::open(poll.registry(), &mut core, *bind)
                .map(|t| Box::new(t) as Box<dyn Transport>)
        }
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
    };
    match opened {
        Ok(mut transport) if !core.stop => {
            run_loop(&mut poll, transport.as_mut(), &mut core, commands, deferred);
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
fn refuse_late_commands(core: &mut Core, commands: &Receiver<Command>) {
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
    core: &mut Core,
    commands: &Receiver<Command>,
    deferred: Vec<Command>,
) {
    for command in deferred {
        handle_command(transport, core, command);
    }
    let mut events = Events::with_capacity(1024);
    let mut buf = vec![0u8; READ_SIZE];
    let mut due = Vec::new();
    loop {
        core.sink.flush();
        drain_commands(transport, core, commands);
        if may_read(transport, core) {
            transport.read_pending(core, &mut buf);
        }
        // Timed sends wait while a peer's queue is full (a repeat skips, it does not burst).
        if !transport.over_limit() {
            run_timers(transport, core, &mut due);
        }
        transport.tick(core, Instant::now());
        feed_file(transport, core);
        report_send_queue(transport, core);
        if core.sink.gone() {
            core.stop = true;
        }
        if core.stop || transport.finished() {
            transport.close(core);
            return;
        }
        core.sink.notify();

        let timeout = if may_read(transport, core) {
            Some(Duration::ZERO)
        } else if core.sink.waiting() {
            // The consumer makes room without telling us; look again soon.
            Some(Duration::from_millis(1))
        } else if transport.has_pending_reads(core)
            || (core.file.is_some() && transport.backlog() < file_ahead(core))
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
                core.schedule.next_deadline()
            };
            let deadline = match (timers, transport.next_deadline(core)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            deadline.map(|at| at.saturating_duration_since(Instant::now()))
        };
        // The poller counts in whole milliseconds and rounds up, which would make a 1 ms repeat
        // late every time: wait the whole milliseconds in the poller, sleep the rest.
        let timeout = match timeout {
            Some(left) if left > Duration::ZERO && left < Duration::from_millis(1) => {
                std::thread::sleep(left);
                Some(Duration::ZERO)
            }
            Some(left) => Some(Duration::from_millis(left.as_millis() as u64)),
            None => None,
        };
        if let Err(err) = poll.poll(&mut events, timeout)
            && err.kind() != std::io::ErrorKind::Interrupted
        {
            core.sink
                .push(Event::Failed(NetError::io("waiting for the network", &err)));
            transport.close(core);
            return;
        }
        // A command sent before a peer's data arrived takes effect before that data is handled.
        drain_commands(transport, core, commands);
        for event in &events {
            if event.token() != super::WAKER {
                transport.ready(core, event, &mut buf);
            }
        }
    }
}

/// Whether the transport has data left to read and may read it now.
fn may_read(transport: &dyn Transport, core: &Core) -> bool {
    transport.has_pending_reads(core)
        && (!core.sink.blocked() || transport.reads_while_blocked(core))
}

/// Tells the front end when the send queue goes over the limit or back down (see
/// [`Event::SendQueue`]).
fn report_send_queue(transport: &dyn Transport, core: &mut Core) {
    let over = transport.over_limit();
    if over != core.waiting {
        core.waiting = over;
        core.sink.push(Event::SendQueue {
            waiting: over,
            queued: transport.backlog(),
        });
    }
}

/// How much of a file may wait ahead of the socket: [`FILE_AHEAD`], less if the send queue's
/// limit is smaller.
fn file_ahead(core: &Core) -> usize {
    FILE_AHEAD.min(core.send_queue.limit)
}

fn drain_commands(transport: &mut dyn Transport, core: &mut Core, commands: &Receiver<Command>) {
    while !core.stop {
        match commands.try_recv() {
            Ok(command) => {
                let close = matches!(command, Command::Close);
                handle_command(transport, core, command);
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

fn handle_command(transport: &mut dyn Transport, core: &mut Core, command: Command) {
    let now = Instant::now();
    let result = match command {
        Command::Send { payload, to } => transport.send(core, payload, to, SendOrigin::Manual),
        Command::Repeat {
            payload,
            to,
            interval,
            count,
        } => {
            if let Some(sent) = core
                .schedule
                .start_repeat(payload, to, interval, count, now)
            {
                core.sink.push(Event::RepeatFinished { sent });
            }
            Ok(())
        }
        Command::StopRepeat => {
            if let Some(sent) = core.schedule.stop_repeat() {
                core.sink.push(Event::RepeatFinished { sent });
            }
            Ok(())
        }
        Command::Heartbeat(heartbeat) => {
            core.schedule.set_heartbeat(heartbeat, now);
            Ok(())
        }
        Command::SendFile { path, to } => start_file(core, path, to),
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
    };
    if let Err(err) = result {
        core.sink.push(Event::Error(err));
    }
}

fn run_timers(transport: &mut dyn Transport, core: &mut Core, due: &mut Vec<DueSend>) {
    let mut finished = None;
    core.schedule.due(Instant::now(), due, &mut finished);
    for send in due.drain(..) {
        if let Err(err) = transport.send(core, send.payload, send.to, send.origin) {
            core.sink.push(Event::Error(err));
            if send.origin == SendOrigin::Repeat
                && let Some(sent) = core.schedule.stop_repeat()
            {
                core.sink.push(Event::RepeatFinished { sent });
            }
        }
    }
    if let Some(sent) = finished {
        core.sink.push(Event::RepeatFinished { sent });
    }
}

fn start_file(core: &mut Core, path: PathBuf, to: Target) -> Result<()> {
    let (file, total) = open_file_to_send(&path)?;
    core.file = Some(FileSend {
        path,
        file,
        to,
        sent: 0,
        total,
    });
    Ok(())
}

/// Opens a file to send and tells its size; the sentence a user needs when it cannot be sent
/// (missing, a folder, not readable).
fn open_file_to_send(path: &Path) -> Result<(File, u64)> {
    let read_error = |err: &std::io::Error| match err.kind() {
        std::io::ErrorKind::NotFound => NetError::FileMissing {
            path: path.to_owned(),
        },
        std::io::ErrorKind::IsADirectory => NetError::FileIsFolder {
            path: path.to_owned(),
        },
        _ => NetError::FileRead {
            path: path.to_owned(),
            reason: err.to_string(),
        },
    };
    let file = File::open(path).map_err(|err| read_error(&err))?;
    let meta = file.metadata().map_err(|err| read_error(&err))?;
    if meta.is_dir() {
        return Err(NetError::FileIsFolder {
            path: path.to_owned(),
        });
    }
    Ok((file, meta.len()))
}

/// Checks that `path` can be sent as a file, as [`Command::SendFile`] would, and returns its
/// size: front ends say what is wrong before anything starts.
pub fn check_file_to_send(path: &Path) -> Result<u64> {
    open_file_to_send(path).map(|(_, size)| size)
}

/// Queues the next chunk of a file being sent, keeping at most `FILE_AHEAD` ahead of the socket.
fn feed_file(transport: &mut dyn Transport, core: &mut Core) {
    let Some(mut file) = core.file.take() else {
        return;
    };
    let chunk = transport.file_chunk();
    let mut budget = 16;
    let ahead = file_ahead(core);
    while budget > 0 && transport.backlog() < ahead {
        budget -= 1;
        let mut buf = vec![0u8; chunk];
        match file.file.read(&mut buf) {
            Ok(0) => {
                // A file truncated while it was being sent ends early: everything read went
                // out whole, and the shortfall is reported instead of a finished send.
                let event = if file.sent < file.total {
                    Event::Error(NetError::FileShrank {
                        path: file.path,
                        sent: file.sent,
                        total: file.total,
                    })
                } else {
                    Event::FileProgress {
                        path: file.path,
                        sent: file.sent,
                        total: file.sent,
                    }
                };
                core.sink.push(event);
                return;
            }
            Ok(n) => {
                buf.truncate(n);
                if let Err(err) =
                    transport.send(core, Payload::from(buf), file.to, SendOrigin::File)
                {
                    core.sink.push(Event::Error(err));
                    return;
                }
                file.sent += n as u64;
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => {
                core.sink.push(Event::Error(NetError::FileStopped {
                    path: file.path,
                    sent: file.sent,
                    total: file.total,
                    reason: err.to_string(),
                }));
                return;
            }
        }
    }
    core.sink.push(Event::FileProgress {
        path: file.path.clone(),
        sent: file.sent,
        total: file.total.max(file.sent),
    });
    core.file = Some(file);
}
