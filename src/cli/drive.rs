//! The run loop of a command-line session: stdin lines, the engine's events, signals and the
//! end of the run.

use std::io::{self, BufRead as _};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use crossbeam_channel::{Receiver, select};

use crate::codec::{Framing, PayloadOptions};
use crate::engine::{Command, Event, IoStep, NetError, Payload, Session, Target};

use super::EXIT_FAILED;
use super::output::{Output, ReaderMayLeave};
use super::plan::Plan;
use super::plan::{make_payload, receive_buffer_line};
use super::status::say;

/// Reads stdin lines on a named thread; the channel closes at end of input.
fn stdin_lines() -> io::Result<Receiver<Vec<u8>>> {
    let (tx, rx) = crossbeam_channel::bounded(64);
    std::thread::Builder::new()
        .name("netassist-stdin".to_owned())
        .spawn(move || {
            let stdin = io::stdin();
            let mut stdin = stdin.lock();
            loop {
                let mut line = Vec::new();
                match stdin.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {
                        if tx.send(line).is_err() {
                            return;
                        }
                    }
                }
            }
        })?;
    Ok(rx)
}

fn signals() -> Receiver<()> {
    let (tx, rx) = crossbeam_channel::bounded(4);
    // A second handler cannot be installed (tests call run twice in one process); then Ctrl-C
    // keeps its default meaning, which is acceptable.
    let _ = ctrlc::set_handler(move || {
        let _ = tx.try_send(());
    });
    rx
}

/// Turns a stdin line into a payload, or says why it cannot be sent.
fn line_payload(
    line: &[u8],
    options: &PayloadOptions,
    framing: Option<&Framing>,
) -> Result<Payload, String> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line)
        .map_err(|_| "this line of input is not UTF-8 text — it was not sent".to_owned())?;
    make_payload(text, options, framing).map_err(|err| format!("{err} — the line was not sent"))
}

#[allow(clippy::too_many_lines)] // one loop reads better than its pieces scattered
pub(super) fn drive(plan: &Plan) -> Result<ExitCode, NetError> {
    let session = Session::open(plan.config.clone(), None)?;
    let stdout = io::stdout();
    let mut out = Output::new(
        io::BufWriter::new(ReaderMayLeave::new(stdout.lock())),
        plan.show,
        plan.payload.encoding,
        plan.recv_framing.clone(),
    );
    let mut stdin = Some(stdin_lines().map_err(|err| NetError::io(IoStep::ReadStdin, &err))?);
    let signals = signals();
    let deadline = plan
        .duration
        .map_or_else(crossbeam_channel::never, crossbeam_channel::after);
    let status = |line: &str| {
        if !plan.quiet {
            say(&line);
        }
    };

    let mut opened = false;
    let mut failed = false;
    let mut stdin_done = false;
    let mut repeating = false;
    let mut half_closed = false;
    let mut rx_bytes = 0u64;
    let mut tx_bytes = 0u64;
    // Issue 13: UDP datagrams received, dropped by netassist and dropped by the kernel.
    let is_udp = matches!(plan.config.kind, crate::engine::SessionKind::Udp { .. });
    let (mut datagrams, mut dropped, mut kernel_dropped) = (0u64, 0u64, 0u64);
    // Bytes that were queued for peers that left before they were written.
    let mut unsent_bytes = 0u64;
    let write_failed = |err: io::Error| NetError::io(IoStep::WriteStdout, &err);

    if let Some((interval, count)) = plan.repeat {
        let payload: Payload = if plan.sends.len() == 1 {
            plan.sends[0].clone()
        } else {
            plan.sends
                .iter()
                .flat_map(|p| p.iter().copied())
                .collect::<Vec<u8>>()
                .into()
        };
        repeating = true;
        session.send(Command::Repeat {
            payload,
            to: Target::Default,
            interval,
            count,
        });
    } else if !plan.is_server {
        for payload in &plan.sends {
            session.send(Command::Send {
                payload: payload.clone(),
                to: Target::Default,
            });
        }
    }
    if let Some(heartbeat) = plan.heartbeat.clone() {
        session.send(Command::Heartbeat(Some(heartbeat)));
    }

    let mut exit_asked = 0;
    let mut busy = false;
    // Issue 11: the reader of stdout left (`| head`): the session closes, exit code 0.
    let mut reader_left = false;
    // Issue 11: the save file that stopped taking bytes; the exit code says data was lost.
    let mut save_lost: Option<std::path::PathBuf> = None;
    // Issue 11: stdin lines so far, to say which one could not be sent.
    let mut stdin_line = 0u64;
    // The peer's send queue is over the limit: stdin is not read until it drains, so a
    // producer piping into us is held back by the pipe instead of filling memory.
    let mut queue_full = false;
    // When that was last said: a queue near its limit may fill and drain many times a second.
    let mut full_noted: Option<std::time::Instant> = None;
    loop {
        // While data flows, let events gather for a millisecond once the queue is empty instead
        // of sleeping on it: waking this thread for every read costs the I/O thread more than
        // the read itself. Idle, the select below sleeps until something happens.
        if std::mem::take(&mut busy) && session.events().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        if !reader_left && out.writer().get_ref().gone() {
            reader_left = true;
            session.send(Command::Close);
        }
        let stdin_rx = stdin
            .clone()
            .filter(|_| !queue_full)
            .unwrap_or_else(crossbeam_channel::never);
        // Gap framing: wake when the pending message's silence is over.
        let gap_over = out
            .gap_deadline()
            .map_or_else(crossbeam_channel::never, |due| {
                crossbeam_channel::after(due.duration_since(SystemTime::now()).unwrap_or_default())
            });
        select! {
            recv(gap_over) -> _ => {
                // Reads that came before the silence was up are applied first (each read
                // shows what a silence before it ended).
                if session.events().is_empty() {
                    out.show_silent(SystemTime::now()).map_err(write_failed)?;
                }
            }
            recv(session.events()) -> event => {
                let Ok(event) = event else { break };
                match event {
                    Event::Opened { local, remote } => {
                        opened = true;
                        // issue 15: serial (the port, then a bridge's TCP side)
                        if let Some(name) = crate::engine::port_name(local) {
                            status(&super::serial_mode::opened_line(&plan.config, &name));
                            continue;
                        }
                        if let crate::engine::SessionKind::Serial { .. } = plan.config.kind {
                            status(&remote.map_or_else(|| format!("bridge: listening on {local}"), |remote| format!("bridge: connected to {remote} from {local}")));
                            continue;
                        }
                        match (remote, plan.is_server) {
                            (_, true) => status(&format!("listening on {local}")),
                            (Some(remote), false) if plan.is_client => {
                                status(&format!("connected to {remote} from {local}"));
                            }
                            (Some(remote), false) => status(&format!("bound to {local}, sending to {remote}")),
                            (None, false) => status(&format!("bound to {local}")),
                        }
                    }
                    Event::PeerConnected { peer, at } => {
                        status(&format!("{peer} connected"));
                        out.status(at, &format!("{peer} connected")).map_err(write_failed)?;
                        // A serial bridge's clients get nothing of --send: it goes to the port.
                        if matches!(plan.config.kind, crate::engine::SessionKind::Serial { .. }) {
                            continue;
                        }
                        for payload in &plan.sends {
                            session.send(Command::Send { payload: payload.clone(), to: Target::Peer(peer) });
                        }
                    }
                    Event::PeerClosed { peer, reason, at } => {
                        out.peer_gone(peer).map_err(write_failed)?;
                        let line = if matches!(reason, crate::engine::CloseReason::StoppedReading { .. }) {
                            // Why a server dropped a client is worth a line even with --quiet.
                            let line = format!("{peer} {reason}");
                            say(&line);
                            line
                        } else {
                            let line = format!("{} left: {reason}", crate::engine::peer_label(peer));
                            status(&line);
                            line
                        };
                        out.status(at, &line).map_err(write_failed)?;
                        if plan.is_client && matches!(reason, crate::engine::CloseReason::Reset | crate::engine::CloseReason::Error(_)) {
                            failed = true;
                        }
                    }
                    Event::Received { peer, at, bytes } => {
                        rx_bytes += bytes.len() as u64;
                        datagrams += 1;
                        // issue 15: websocket — a message is one line of its kind.
                        match bytes.message() {
                            Some(kind) => out.message(peer, at, &bytes, kind),
                            None => out.received(peer, at, &bytes),
                        }
                        .map_err(write_failed)?;
                    }
                    Event::Sent { to, at, bytes, origin, .. } => {
                        tx_bytes += bytes.len() as u64 * to.copies() as u64;
                        out.sent(to, at, &bytes, origin).map_err(write_failed)?;
                    }
                    Event::Unsent { peer, bytes } => {
                        // TX is what reached the sockets.
                        tx_bytes = tx_bytes.saturating_sub(bytes);
                        unsent_bytes += bytes;
                        status(&format!("{}: {bytes} B that were queued for it were not sent", crate::engine::peer_label(peer)));
                    }
                    Event::SendQueue { waiting, queued } => {
                        queue_full = waiting;
                        if waiting && full_noted.is_none_or(|at| at.elapsed() >= Duration::from_secs(1)) {
                            full_noted = Some(std::time::Instant::now());
                            status(&format!("waiting for the peer to read ({} KiB queued)", queued / 1024));
                        }
                    }
                    Event::Dropped { total } => {
                        dropped = total;
                        status(&format!("{total} datagrams arrived faster than they could be shown and were dropped"));
                    }
                    Event::KernelDropped { total } => {
                        // Said when they start; the count goes into the totals line.
                        if kernel_dropped == 0 {
                            status(&format!("the system dropped {total} datagrams: the receive buffer was full (a larger --recv-buffer absorbs longer bursts)"));
                        }
                        kernel_dropped = total;
                    }
                    Event::ReceiveBuffer { asked, granted } => status(&receive_buffer_line(asked, granted)),
                    // issue 15: tls
                    Event::Tls(note) => {
                        for line in note.lines() {
                            status(&line);
                        }
                    }
                    // issue 15: websocket
                    Event::Ws(note) => {
                        for line in note.lines() {
                            status(&line);
                        }
                    }
                    Event::TargetSet { target } => status(&format!("sending to {}", target.map_or_else(|| "nobody".to_owned(), |t| t.to_string()))),
                    Event::RepeatFinished { sent } => {
                        repeating = false;
                        status(&format!("repeat finished after {sent} sends"));
                        if plan.is_client && stdin_done && plan.heartbeat.is_none() && !half_closed {
                            half_closed = true;
                            session.send(Command::Shutdown);
                        }
                    }
                    Event::FileProgress { .. } => {}
                    Event::Multicast { group, joined } => {
                        status(&format!("{} multicast group {group}", if joined { "joined" } else { "left" }));
                    }
                    Event::Error(err) => {
                        if let NetError::FileWrite { path, .. } | NetError::SaveFolderMissing { path, .. } | NetError::SaveIsFolder { path } = &err {
                            save_lost.get_or_insert_with(|| path.clone());
                        }
                        say(&err);
                    }
                    Event::Failed(err) => {
                        say(&err);
                        failed = true;
                    }
                    Event::Closed => break,
                }
                busy = true;
                if session.events().is_empty() {
                    out.flush().map_err(write_failed)?;
                }
            }
            recv(stdin_rx) -> line => { if let Ok(line) = line {
                stdin_line += 1;
                match line_payload(&line, &plan.payload, plan.framing.as_ref()) {
                    Ok(payload) => {
                        session.send(Command::Send { payload, to: plan.send_to });
                    }
                    Err(err) => say(&format!("stdin line {stdin_line}: {err}")),
                }
            } else {
                stdin = None;
                stdin_done = true;
                if plan.is_client && !repeating && plan.heartbeat.is_none() && !half_closed {
                    half_closed = true;
                    session.send(Command::Shutdown);
                }
            } }
            recv(signals) -> _ => {
                exit_asked += 1;
                if exit_asked > 1 {
                    out.finish().map_err(write_failed)?;
                    return Ok(ExitCode::from(130));
                }
                session.send(Command::Close);
            }
            recv(deadline) -> _ => {
                session.send(Command::Close);
            }
        }
    }
    out.finish().map_err(write_failed)?;
    // UDP: every datagram that reached the socket is received or counted as dropped.
    let udp_totals = if is_udp {
        format!(
            "; {datagrams} datagrams received, {dropped} dropped by netassist, {kernel_dropped} dropped by the system"
        )
    } else {
        String::new()
    };
    if opened && !plan.quiet {
        if reader_left || out.writer().get_ref().gone() {
            say(&format!(
                "stdout was closed by its reader — closed (received {rx_bytes} B, sent {tx_bytes} B{udp_totals})"
            ));
        } else if unsent_bytes > 0 && !plan.is_client {
            say(&format!(
                "closed (received {rx_bytes} B, sent {tx_bytes} B; {unsent_bytes} B queued for clients that left were not sent)"
            ));
        } else {
            say(&format!(
                "closed (received {rx_bytes} B, sent {tx_bytes} B{udp_totals})"
            ));
        }
    }
    if let Some(path) = &save_lost {
        // Said even with --quiet: the exit code alone would not say which file.
        say(&format!(
            "not everything received was saved to {} — exiting with code {EXIT_FAILED}",
            path.display()
        ));
    }
    Ok(if failed || !opened || save_lost.is_some() {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}
