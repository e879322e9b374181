//! The command-line front end: the same engine, driven from stdin and writing to stdout.

mod args;
mod output;
pub mod room;

use std::io::{self, BufRead as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crossbeam_channel::{Receiver, select};

use crate::codec::{
    Checksum, Eol, Framing, InputMode, PayloadOptions, TextEncoding, build_payload, encode_frame,
};
use crate::engine::{
    Command, Event, Heartbeat, NetError, Payload, Relay, SendQueue, Session, SessionConfig,
    SessionKind, Target, check_remote, parse_socket_addr,
};

pub use args::{Cli, CommonOpts, Mode, OnOff, Show};
use output::{Output, ReaderMayLeave};

/// Writes a status or error line to stderr. A closed stderr must not stop the session (nor
/// panic, as `eprintln!` would), so write errors are ignored.
pub(crate) fn say(line: &dyn std::fmt::Display) {
    use std::io::Write as _;
    let _ = writeln!(io::stderr().lock(), "netassist: {line}");
}

/// Exit code for a bad option value: nothing was opened or sent.
const EXIT_USAGE: u8 = 2;
/// Exit code when the session could not open or broke.
const EXIT_FAILED: u8 = 1;

/// A bad option value, reported before anything is opened.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(String);

/// Everything the run loop needs, checked and converted.
struct Plan {
    config: SessionConfig,
    payload: PayloadOptions,
    /// How sent data is framed.
    framing: Option<Framing>,
    /// How received data is cut into messages for display.
    recv_framing: Option<Framing>,
    sends: Vec<Payload>,
    repeat: Option<(Duration, Option<u64>)>,
    heartbeat: Option<Heartbeat>,
    show: Show,
    /// Where stdin lines go.
    send_to: Target,
    duration: Option<Duration>,
    quiet: bool,
    is_client: bool,
    is_server: bool,
}

/// Runs a command-line session to its end and returns the process exit code.
pub fn run(mode: Mode) -> ExitCode {
    let plan = match plan(mode) {
        Ok(plan) => plan,
        Err(err) => {
            say(&err);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match drive(&plan) {
        Ok(code) => code,
        Err(err) => {
            say(&err);
            ExitCode::from(EXIT_FAILED)
        }
    }
}

fn usage(err: impl std::fmt::Display) -> UsageError {
    UsageError(err.to_string())
}

/// `[ADDR:]PORT` with ADDR defaulting to 127.0.0.1 (public for the fuzzers and property tests).
pub fn parse_listen(listen: &str) -> Result<SocketAddr, UsageError> {
    let listen = listen.trim();
    if let Ok(port) = listen.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    if !listen.is_empty() && listen.bytes().all(|b| b.is_ascii_digit()) {
        return Err(usage(format!(
            "'{listen}' is not a valid port — give a number from 0 to 65535 (0 picks a free port)"
        )));
    }
    parse_socket_addr(listen).map_err(usage)
}

/// Checks the address part of a mode and splits off the shared options.
fn session_kind(mode: Mode) -> Result<(SessionKind, CommonOpts, UdpOpts), UsageError> {
    let mut udp = UdpOpts::default();
    Ok(match mode {
        Mode::TcpClient { remote, bind, opts } => {
            check_remote(&remote).map_err(usage)?;
            let local = bind
                .as_deref()
                .map(parse_socket_addr)
                .transpose()
                .map_err(usage)?;
            if opts.relay {
                return Err(usage(
                    "--relay forwards between peers: use it with tcp-server or udp",
                ));
            }
            (
                SessionKind::TcpClient {
                    remote,
                    local,
                    connect_timeout: Duration::from_secs(10),
                },
                opts,
                udp,
            )
        }
        Mode::TcpServer { listen, opts } => (
            SessionKind::TcpServer {
                bind: parse_listen(&listen)?,
            },
            opts,
            udp,
        ),
        Mode::Udp {
            bind,
            to,
            broadcast,
            reply_to_last,
            room_heartbeat,
            recv_buffer,
            opts,
        } => {
            udp.recv_buffer = match &recv_buffer {
                Some(text) => parse_recv_buffer(text)?,
                None => Some(SessionConfig::DEFAULT_UDP_RECV_BUFFER),
            };
            if let Some(to) = &to {
                check_remote(to).map_err(usage)?;
            }
            udp.reply_to_last = reply_to_last;
            udp.room_heartbeat = room_heartbeat;
            let bind = match bind {
                Some(bind) => parse_socket_addr(&bind).map_err(usage)?,
                None if to
                    .as_deref()
                    .is_some_and(|t| t.trim_start().starts_with('[')) =>
                {
                    SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, 0))
                }
                None => SocketAddr::from(([0, 0, 0, 0], 0)),
            };
            (
                SessionKind::Udp {
                    bind,
                    target: to,
                    broadcast,
                },
                opts,
                udp,
            )
        }
    })
}

/// The options only UDP has.
#[derive(Default)]
struct UdpOpts {
    reply_to_last: bool,
    room_heartbeat: Option<String>,
    /// `--recv-buffer` (`None` keeps the system's default; TCP has none).
    recv_buffer: Option<usize>,
}

/// `--recv-buffer SIZE`: bytes, or K/KiB, M/MiB (powers of 1024); 0 keeps the system default.
fn parse_recv_buffer(text: &str) -> Result<Option<usize>, UsageError> {
    const MAX: u64 = 1024 * 1024 * 1024;
    let bad = || {
        usage(format!(
            "--recv-buffer {text}: give a size like 4M, 512K or 8MiB (at most 1G; 0 keeps the system's default)"
        ))
    };
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let number: u64 = digits.parse().map_err(|_| bad())?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => 1024 * 1024 * 1024,
        _ => return Err(bad()),
    };
    let bytes = number
        .checked_mul(scale)
        .filter(|b| *b <= MAX)
        .ok_or_else(bad)?;
    Ok((bytes > 0).then(|| usize::try_from(bytes).unwrap_or(usize::MAX)))
}

fn plan(mode: Mode) -> Result<Plan, UsageError> {
    let (kind, opts, udp) = session_kind(mode)?;
    let is_client = matches!(kind, SessionKind::TcpClient { .. });
    let is_server = matches!(kind, SessionKind::TcpServer { .. });
    let encoding = TextEncoding::for_label(&opts.encoding).map_err(usage)?;
    let (framing, recv_framing) = framings(&opts)?;
    // A framed message carries its own end; a line ending would become part of the body.
    let eol = if framing.is_some() {
        Eol::None
    } else {
        opts.eol.parse::<Eol>().map_err(usage)?
    };
    let checksum = opts
        .checksum
        .as_deref()
        .map(Checksum::for_name)
        .transpose()
        .map_err(usage)?;
    let payload = PayloadOptions {
        mode: if opts.send_hex {
            InputMode::Hex
        } else {
            InputMode::Text
        },
        encoding,
        escapes: opts.escapes,
        eol,
        checksum,
    };
    let sends = opts
        .send
        .iter()
        .map(|data| {
            make_payload(data, &payload, framing.as_ref())
                .map_err(|err| usage(format!("--send {data:?}: {err}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let heartbeat = match (&opts.heartbeat, opts.heartbeat_ms) {
        (Some(data), Some(ms)) => {
            let options = PayloadOptions {
                eol: Eol::None,
                ..payload
            };
            let bytes = build_payload(data, &options)
                .map_err(|err| usage(format!("--heartbeat {data:?}: {err}")))?;
            Some(Heartbeat {
                payload: bytes.into(),
                interval: Duration::from_millis(ms.max(1)),
                to: Target::Default,
            })
        }
        _ => None,
    };
    let duration = opts
        .duration
        .map(|secs| {
            Duration::try_from_secs_f64(secs)
                .map_err(|_| usage(format!("--duration {secs}: give a number of seconds ≥ 0")))
        })
        .transpose()?;
    let mut config = SessionConfig::new(kind);
    config.send_queue = send_queue(&opts)?;
    config.echo = opts.echo;
    config.relay = opts.relay.then_some(Relay {
        include_sender: false,
        prefix_peer: opts.relay_prefix,
    });
    config.save_to = opts.save.clone().map(absolute);
    if let Some(path) = &config.save_to {
        crate::engine::check_save_path(path).map_err(usage)?;
    }
    room::apply(&opts, &payload, &mut config)?;
    config.room_heartbeat = udp
        .room_heartbeat
        .as_deref()
        .map(|beat| room_heartbeat(beat, &payload))
        .transpose()?;
    config.udp_recv_buffer = udp.recv_buffer;
    Ok(Plan {
        config,
        payload,
        framing,
        recv_framing,
        sends,
        repeat: opts
            .repeat
            .map(|ms| (Duration::from_millis(ms.max(1)), opts.count)),
        heartbeat,
        show: opts.show,
        send_to: if udp.reply_to_last {
            Target::LastSender
        } else {
            Target::Default
        },
        duration,
        quiet: opts.quiet,
        is_client,
        is_server,
    })
}

/// The framing of what is sent and of what is received: `--send-framing` and `--recv-framing`
/// win over `--framing`, which sets both.
fn framings(opts: &CommonOpts) -> Result<(Option<Framing>, Option<Framing>), UsageError> {
    let framing_of = |flag: &str, spec: Option<&str>| {
        spec.map(Framing::parse)
            .transpose()
            .map_err(|err| usage(format!("{flag}: {err}")))
            .map(|f| f.filter(|f| *f != Framing::PerRead))
    };
    let both = framing_of("--framing", opts.framing.as_deref())?;
    let send = match &opts.send_framing {
        Some(spec) => framing_of("--send-framing", Some(spec))?,
        None => both.clone(),
    };
    let recv = match &opts.recv_framing {
        Some(spec) => framing_of("--recv-framing", Some(spec))?,
        None => both,
    };
    Ok((send, recv))
}

/// `--send-queue MIB` and `--send-queue-stall SECS`.
fn send_queue(opts: &CommonOpts) -> Result<SendQueue, UsageError> {
    const MAX_MIB: u64 = 1024 * 1024;
    const MAX_STALL: Duration = Duration::from_hours(24);
    if opts.send_queue == 0 || opts.send_queue > MAX_MIB {
        return Err(usage(format!(
            "--send-queue {}: give a number of MiB from 1 to {MAX_MIB}, e.g. --send-queue 8",
            opts.send_queue
        )));
    }
    let stall = Duration::try_from_secs_f64(opts.send_queue_stall)
        .ok()
        .filter(|stall| !stall.is_zero() && *stall <= MAX_STALL)
        .ok_or_else(|| {
            usage(format!(
                "--send-queue-stall {}: give a number of seconds above 0 and at most {} (a day), e.g. --send-queue-stall 5",
                opts.send_queue_stall,
                MAX_STALL.as_secs()
            ))
        })?;
    let limit = usize::try_from(opts.send_queue * 1024 * 1024).unwrap_or(usize::MAX);
    Ok(SendQueue { limit, stall })
}

/// The status line that says which receive buffer the system granted (and how to get more).
fn receive_buffer_line(asked: Option<usize>, granted: usize) -> String {
    let kib = |bytes: usize| bytes / 1024;
    match asked {
        None => format!("receive buffer {} KiB (the system's default)", kib(granted)),
        Some(asked) if granted < asked => format!(
            "receive buffer {} KiB — asked for {} KiB; the system caps it (Linux: raise it with sudo sysctl -w net.core.rmem_max={asked})",
            kib(granted),
            kib(asked)
        ),
        Some(_) => format!("receive buffer {} KiB", kib(granted)),
    }
}

/// `--room-heartbeat DATA` as bytes (text or hex like every payload, no line ending).
fn room_heartbeat(beat: &str, payload: &PayloadOptions) -> Result<Vec<u8>, UsageError> {
    let options = PayloadOptions {
        eol: Eol::None,
        checksum: None,
        ..*payload
    };
    let bytes = build_payload(beat, &options)
        .map_err(|err| usage(format!("--room-heartbeat {beat:?}: {err}")))?;
    if bytes.is_empty() {
        return Err(usage(
            "--room-heartbeat needs the heartbeat's bytes, e.g. --room-heartbeat '#ping#'",
        ));
    }
    Ok(bytes)
}

fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}

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

/// Builds the bytes for what the user typed, framed if a framing is set.
fn make_payload(
    input: &str,
    options: &PayloadOptions,
    framing: Option<&Framing>,
) -> Result<Payload, String> {
    let body = build_payload(input, options).map_err(|err| err.to_string())?;
    match framing {
        Some(framing) => encode_frame(framing, &body)
            .map(Payload::from)
            .map_err(|err| err.to_string()),
        None => Ok(Payload::from(body)),
    }
}

#[allow(clippy::too_many_lines)] // one loop reads better than its pieces scattered
fn drive(plan: &Plan) -> Result<ExitCode, NetError> {
    let session = Session::open(plan.config.clone(), None)?;
    let stdout = io::stdout();
    let mut out = Output::new(
        io::BufWriter::new(ReaderMayLeave::new(stdout.lock())),
        plan.show,
        plan.payload.encoding,
        plan.recv_framing.clone(),
    );
    let mut stdin = Some(stdin_lines().map_err(|err| NetError::io("cannot read stdin", &err))?);
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
    let write_failed = |err: io::Error| NetError::io("cannot write to stdout", &err);

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
        select! {
            recv(session.events()) -> event => {
                let Ok(event) = event else { break };
                match event {
                    Event::Opened { local, remote } => {
                        opened = true;
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
                            let line = format!("{peer} left: {reason}");
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
                        out.received(peer, at, &bytes).map_err(write_failed)?;
                    }
                    Event::Sent { to, at, bytes, origin } => {
                        tx_bytes += bytes.len() as u64 * to.copies() as u64;
                        out.sent(to, at, &bytes, origin).map_err(write_failed)?;
                    }
                    Event::Unsent { peer, bytes } => {
                        // TX is what reached the sockets.
                        tx_bytes = tx_bytes.saturating_sub(bytes);
                        unsent_bytes += bytes;
                        status(&format!("{peer}: {bytes} B that were queued for it were not sent"));
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
