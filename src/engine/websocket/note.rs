//! What a WebSocket has to say beside its messages: the handshake's headers, pings, pongs
//! and close frames.

use std::net::SocketAddr;

/// A WebSocket note ([`super::super::Event::Ws`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WsNote {
    /// The handshake finished: the request and the response, each its start line and header
    /// lines (`\r\n` between lines taken out).
    Handshake {
        /// The peer.
        peer: SocketAddr,
        /// The request's lines.
        request: Vec<String>,
        /// The response's lines.
        response: Vec<String>,
    },
    /// A ping frame.
    Ping {
        /// The peer.
        peer: SocketAddr,
        /// Its payload.
        payload: Vec<u8>,
        /// From the peer (else sent by us).
        from_peer: bool,
        /// A ping from the peer was answered with a pong (auto-pong on).
        answered: bool,
    },
    /// A pong frame.
    Pong {
        /// The peer.
        peer: SocketAddr,
        /// Its payload.
        payload: Vec<u8>,
        /// From the peer (else sent by us).
        from_peer: bool,
    },
    /// A close frame.
    Close {
        /// The peer.
        peer: SocketAddr,
        /// Its status code (1000: normal), if it had one.
        code: Option<u16>,
        /// Its reason text.
        reason: String,
        /// From the peer (else sent by us).
        from_peer: bool,
    },
}

impl WsNote {
    /// The peer the note is about.
    pub fn peer(&self) -> SocketAddr {
        match self {
            Self::Handshake { peer, .. }
            | Self::Ping { peer, .. }
            | Self::Pong { peer, .. }
            | Self::Close { peer, .. } => *peer,
        }
    }

    /// The note in English, one line per fact (the command line's words).
    pub fn lines(&self) -> Vec<String> {
        match self {
            Self::Handshake {
                peer,
                request,
                response,
            } => {
                let mut lines = vec![format!("{peer} WebSocket handshake done")];
                lines.extend(request.iter().map(|line| format!("  > {line}")));
                lines.extend(response.iter().map(|line| format!("  < {line}")));
                lines
            }
            Self::Ping {
                peer,
                payload,
                from_peer,
                answered,
            } => vec![match (from_peer, answered) {
                (true, true) => format!("{peer} ping {} (answered with a pong)", show(payload)),
                (true, false) => format!(
                    "{peer} ping {} (not answered: auto-pong is off)",
                    show(payload)
                ),
                (false, _) => format!("{peer} ping sent {}", show(payload)),
            }],
            Self::Pong {
                peer,
                payload,
                from_peer,
            } => vec![if *from_peer {
                format!("{peer} pong {}", show(payload))
            } else {
                format!("{peer} pong sent {}", show(payload))
            }],
            Self::Close {
                peer,
                code,
                reason,
                from_peer,
            } => {
                let code = code.map_or_else(|| "no code".to_owned(), |code| code.to_string());
                let who = if *from_peer { "closes" } else { "close sent" };
                vec![format!("{peer} WebSocket {who}: {code} “{reason}”")]
            }
        }
    }
}

/// A control frame's payload: its text when it is printable UTF-8, else hex; `(empty)`.
pub fn show(payload: &[u8]) -> String {
    if payload.is_empty() {
        return "(empty)".to_owned();
    }
    match std::str::from_utf8(payload) {
        Ok(text) if !text.chars().any(char::is_control) => format!("“{text}”"),
        _ => payload
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" "),
    }
}
