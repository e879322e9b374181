//! `serial`: a serial port session (optionally bridged to TCP), and `serial --list`.

use crate::engine::{Bridge, FlowControl, Parity, SerialOptions, SessionKind, check_remote};

use super::args::{CommonOpts, Mode, OnOff, SerialFlow, SerialParity};
use super::status::{UsageError, usage};

/// The session a `serial` mode opens, with its shared options (`parse_listen` reads
/// `--bridge-listen`).
pub(super) fn kind(
    mode: Mode,
    parse_listen: impl Fn(&str) -> Result<std::net::SocketAddr, UsageError>,
) -> Result<(SessionKind, CommonOpts), UsageError> {
    let Mode::Serial {
        port,
        baud,
        data_bits,
        parity,
        stop_bits,
        flow,
        dtr,
        rts,
        bridge_listen,
        bridge_connect,
        opts,
        ..
    } = mode
    else {
        return Err(usage("not a serial mode"));
    };
    let port = port.unwrap_or_default();
    let options = SerialOptions {
        baud,
        data_bits,
        parity: match parity {
            SerialParity::None => Parity::None,
            SerialParity::Even => Parity::Even,
            SerialParity::Odd => Parity::Odd,
        },
        stop_bits,
        flow: match flow {
            SerialFlow::None => FlowControl::None,
            SerialFlow::Software => FlowControl::Software,
            SerialFlow::Hardware => FlowControl::Hardware,
        },
        dtr: dtr == OnOff::On,
        rts: rts == OnOff::On,
    };
    options.check(&port).map_err(usage)?;
    let bridge = match (bridge_listen, bridge_connect) {
        (Some(listen), _) => Some(Bridge::Listen(parse_listen(&listen)?)),
        (None, Some(remote)) => {
            check_remote(&remote).map_err(usage)?;
            Some(Bridge::Connect(remote))
        }
        (None, None) => None,
    };
    if opts.relay {
        return Err(usage(
            "--relay forwards between peers: use it with tcp-server or udp (a serial bridge forwards with --bridge-listen or --bridge-connect)",
        ));
    }
    Ok((
        SessionKind::Serial {
            port,
            options,
            bridge,
        },
        opts,
    ))
}

/// What `serial --list` prints: one port a line, its name and what it is.
pub(super) fn list_lines() -> Vec<String> {
    crate::engine::list_ports()
        .into_iter()
        .map(|port| {
            if port.description.is_empty() {
                port.name
            } else {
                format!("{}\t{}", port.name, port.description)
            }
        })
        .collect()
}

/// The line said when the port is open.
pub(super) fn opened_line(config: &crate::engine::SessionConfig, name: &str) -> String {
    match &config.kind {
        SessionKind::Serial { options, .. } => format!("opened {name} at {options}"),
        _ => format!("opened {name}"),
    }
}

/// Whether the session talks to one peer, as a TCP client does to its server: a serial port
/// is one (the end of stdin closes it once everything is written).
pub(super) fn one_peer(kind: &SessionKind) -> bool {
    matches!(
        kind,
        SessionKind::TcpClient { .. } | SessionKind::Serial { .. }
    )
}
