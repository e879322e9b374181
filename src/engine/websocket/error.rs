//! What can go wrong with a WebSocket, as sentences that say what to do.

use std::net::SocketAddr;

/// A WebSocket failure (inside [`super::super::NetError::Ws`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WsError {
    /// The URL typed is not a WebSocket URL.
    #[error(
        "“{url}” is not a WebSocket URL: {reason} — write it as ws://host:port/path or wss://host:port/path"
    )]
    Url {
        /// What was typed.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An extra handshake header is not `Name: value`.
    #[error(
        "the header “{header}” is not valid — write it as Name: value (e.g. Authorization: Bearer abc)"
    )]
    Header {
        /// What was typed.
        header: String,
    },
    /// The server answered the handshake with another HTTP status than 101.
    #[error(
        "{peer} answered the WebSocket handshake with HTTP {status} {phrase} — check the URL's path (a 404 means there is no WebSocket at that path)"
    )]
    Rejected {
        /// The server.
        peer: SocketAddr,
        /// The HTTP status.
        status: u16,
        /// Its reason phrase.
        phrase: String,
    },
    /// The peer did not do a WebSocket handshake.
    #[error(
        "{peer} is not a WebSocket peer ({detail}) — is this the right port, and ws:// vs wss://?"
    )]
    NotWebSocket {
        /// The peer.
        peer: SocketAddr,
        /// What was missing or wrong.
        detail: String,
    },
    /// Server: a client asked for a path other than the server's.
    #[error(
        "{peer} asked for the path {asked}, this server serves {served}: answered 404 — connect to ws://…{served}"
    )]
    WrongPath {
        /// The client.
        peer: SocketAddr,
        /// The path it asked for.
        asked: String,
        /// The server's path.
        served: String,
    },
    /// A message or frame over the size limit arrived.
    #[error(
        "{peer} sent a WebSocket message larger than {limit_mib} MiB — the connection is closed (split large data into smaller messages)"
    )]
    TooBig {
        /// The peer.
        peer: SocketAddr,
        /// The limit in MiB.
        limit_mib: usize,
    },
    /// The peer broke the WebSocket protocol.
    #[error("{peer} broke the WebSocket protocol: {reason}")]
    Protocol {
        /// The peer.
        peer: SocketAddr,
        /// What tungstenite said.
        reason: String,
    },
    /// The peer closed the connection during the handshake.
    #[error(
        "{peer} closed the connection during the WebSocket handshake — is it a WebSocket server, and is this the right port?"
    )]
    ClosedInHandshake {
        /// The peer.
        peer: SocketAddr,
    },
    /// No handshake answer within the timeout.
    #[error(
        "no WebSocket handshake answer from {peer} within {secs} s — is it a WebSocket server (ws:// vs wss://)?"
    )]
    NoAnswer {
        /// The server.
        peer: SocketAddr,
        /// The limit that was reached.
        secs: u64,
    },
    /// Server: a client connected and closed before it finished the handshake.
    #[error(
        "{peer} connected and closed before finishing the WebSocket handshake (a port check, a plain TCP client, or a client that gave up)"
    )]
    ClientLeftInHandshake {
        /// The client.
        peer: SocketAddr,
    },
    /// A send after a close frame went one way or both: the WebSocket is closing.
    #[error(
        "the WebSocket to {peer} is closing (a close frame was sent or received): nothing more can be sent on it — open it again to go on"
    )]
    Closing {
        /// The peer.
        peer: SocketAddr,
    },
}

impl WsError {
    /// The same failure as a server sees it: a client that closes during the handshake is
    /// not asked whether it is a WebSocket server.
    pub(crate) fn on_server(self) -> Self {
        match self {
            Self::ClosedInHandshake { peer } => Self::ClientLeftInHandshake { peer },
            other => other,
        }
    }
}
