//! The options of a command line, checked and turned into what the session needs (a
//! [`Plan`]); a bad value is a [`UsageError`] before anything opens.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::codec::{
    Checksum, Eol, Framing, InputMode, PayloadOptions, TextEncoding, build_payload, encode_frame,
};
use crate::engine::{
    Heartbeat, Payload, Relay, SendQueue, SessionConfig, SessionKind, Target, TlsOptions,
    check_remote, parse_socket_addr,
};

use super::args::{CommonOpts, Mode, Show};
use super::room;
use super::status::{UsageError, usage};

/// Everything the run loop needs, checked and converted.
pub(super) struct Plan {
    pub(super) config: SessionConfig,
    pub(super) payload: PayloadOptions,
    /// How sent data is framed.
    pub(super) framing: Option<Framing>,
    /// How received data is cut into messages for display.
    pub(super) recv_framing: Option<Framing>,
    pub(super) sends: Vec<Payload>,
    pub(super) repeat: Option<(Duration, Option<u64>)>,
    pub(super) heartbeat: Option<Heartbeat>,
    pub(super) show: Show,
    /// Where stdin lines go.
    pub(super) send_to: Target,
    pub(super) duration: Option<Duration>,
    pub(super) quiet: bool,
    pub(super) is_client: bool,
    pub(super) is_server: bool,
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
        // `tls_mode::split` made these TCP modes before.
        Mode::TlsClient { .. } | Mode::TlsServer { .. } => {
            return Err(usage("a TLS mode must be split into its TCP mode first"));
        }
        // issue 15: websocket — `ws_mode::split` made these TCP modes before.
        Mode::WsClient { .. } | Mode::WsServer { .. } => {
            return Err(usage(
                "a WebSocket mode must be split into its TCP mode first",
            ));
        }
        // issue 15: serial
        serial @ Mode::Serial { .. } => {
            let (kind, opts) = super::serial_mode::kind(serial, parse_listen)?;
            (kind, opts, udp)
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

/// The options only some modes have (UDP's, and TLS on TCP).
#[derive(Default)]
struct UdpOpts {
    /// TLS on a TCP client or server.
    tls: Option<TlsOptions>,
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

/// The line ending of stdin lines and --send: none with a framing (a framed message carries
/// its own end; a line ending would become part of the body), else --eol, by default lf
/// (none in the WebSocket modes, where a line is a message).
fn line_ending(opts: &CommonOpts, framed: bool, websocket: bool) -> Result<Eol, UsageError> {
    if framed {
        return Ok(Eol::None);
    }
    // issue 15: websocket
    let default = if websocket { "none" } else { "lf" };
    opts.eol
        .as_deref()
        .unwrap_or(default)
        .parse::<Eol>()
        .map_err(usage)
}

pub(super) fn plan(mode: Mode) -> Result<Plan, UsageError> {
    // issue 15: websocket
    let (mode, ws_tls, websocket) = super::ws_mode::split(mode, absolute).map_err(usage)?;
    let (mode, tls) = super::tls_mode::split(mode, absolute);
    let (kind, opts, mut udp) = session_kind(mode)?;
    udp.tls = tls.or(ws_tls);
    let is_client = super::serial_mode::one_peer(&kind);
    let is_server = matches!(kind, SessionKind::TcpServer { .. });
    let encoding = TextEncoding::for_label(&opts.encoding).map_err(usage)?;
    let (framing, recv_framing) = framings(&opts)?;
    let eol = line_ending(&opts, framing.is_some(), websocket.is_some())?;
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
    config.tls = udp.tls.take();
    // issue 15: websocket
    config.websocket = websocket;
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
pub(super) fn receive_buffer_line(asked: Option<usize>, granted: usize) -> String {
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

/// Builds the bytes for what the user typed, framed if a framing is set.
pub(super) fn make_payload(
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
