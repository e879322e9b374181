//! WebSocket as a layer over the TCP client and server, above TLS for `wss://`: what a session
//! asks for ([`WsOptions`]), what the session keeps for all its connections ([`WsSetup`]:
//! the options, the kind sends go as, the ping timer) and the per-connection layer
//! ([`layer::WsLayer`]) that [`super::conn::Conn`] reads and writes through.
//!
//! tungstenite does the handshake and the framing over in-memory buffers: `Conn` hands it the
//! bytes its socket (or the TLS layer) read and puts the bytes it produced on its send queue,
//! so the same mio sockets, the TLS layer, the send queues, relay, kick, echo, auto-replies and
//! save work unchanged. Each message becomes one [`super::Event::Received`] whose chunk is
//! marked text or binary ([`super::Chunk::message`]).

mod error;
pub(crate) mod layer;
mod note;
mod pipe;
mod url;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

pub use error::WsError;
pub use note::WsNote;
pub use url::{WsUrl, parse_header};

/// The largest message (and frame) taken in or sent: 64 MiB.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// Which kind of WebSocket message a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A text message (UTF-8).
    Text,
    /// A binary message.
    Binary,
}

/// WebSocket on a TCP session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsOptions {
    /// The client's or the server's side.
    pub side: WsSide,
    /// Answer the peer's pings with pongs (the protocol says to; off to test a peer's timeout).
    pub auto_pong: bool,
    /// Send a ping to each peer this often (`None`: never).
    pub ping_every: Option<Duration>,
    /// Sends go as binary messages (hex input); otherwise as text messages when the bytes are
    /// UTF-8 (and binary when they are not). Changed with [`super::Command::SetWsBinary`].
    pub send_binary: bool,
}

/// The client's or the server's WebSocket options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WsSide {
    /// On a TCP client.
    Client(WsClientOptions),
    /// On a TCP server.
    Server(WsServerOptions),
}

/// A WebSocket client's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsClientOptions {
    /// The URL (`ws://host:port/path?query` or `wss://…`): its host is the `Host` header,
    /// its path and query the request's target.
    pub url: String,
    /// Extra handshake headers (name, value).
    pub headers: Vec<(String, String)>,
    /// Subprotocols to offer, most wanted first.
    pub subprotocols: Vec<String>,
}

/// A WebSocket server's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsServerOptions {
    /// The path served (e.g. `/chat`); `None` or `/`… every path is served when `None`.
    /// Requests for another path are answered 404.
    pub path: Option<String>,
    /// Subprotocols accepted, most wanted first: the first one the client offers is chosen.
    pub subprotocols: Vec<String>,
}

impl WsOptions {
    /// A client of `url` with the default options.
    pub fn client(url: &str) -> Self {
        Self {
            side: WsSide::Client(WsClientOptions {
                url: url.to_owned(),
                ..WsClientOptions::default()
            }),
            auto_pong: true,
            ping_every: None,
            send_binary: false,
        }
    }

    /// A server of `path` (`None`: every path) with the default options.
    pub fn server(path: Option<String>) -> Self {
        Self {
            side: WsSide::Server(WsServerOptions {
                path,
                subprotocols: Vec::new(),
            }),
            auto_pong: true,
            ping_every: None,
            send_binary: false,
        }
    }
}

/// The kind the next sends go as, shared by the session and its connections' layers (the
/// relay of a message keeps its kind: it is set to the message's kind while it is forwarded).
#[derive(Debug, Clone)]
pub(crate) struct SendKind(Arc<AtomicU8>);

impl SendKind {
    fn new(binary: bool) -> Self {
        Self(Arc::new(AtomicU8::new(u8::from(binary))))
    }

    /// Whether sends go as binary messages.
    pub(crate) fn binary(&self) -> bool {
        self.0.load(Ordering::Relaxed) != 0
    }

    /// Sets whether sends go as binary messages; returns what it was.
    pub(crate) fn set_binary(&self, binary: bool) -> bool {
        self.0.swap(u8::from(binary), Ordering::Relaxed) != 0
    }
}

/// A session's WebSocket: its options, the kind sends go as and the ping timer.
pub(crate) struct WsSetup {
    options: WsOptions,
    send_kind: SendKind,
    next_ping: Option<Instant>,
}

impl WsSetup {
    /// The setup of a session with `options`.
    pub(crate) fn new(options: &WsOptions) -> Self {
        Self {
            send_kind: SendKind::new(options.send_binary),
            next_ping: options.ping_every.map(|every| Instant::now() + every),
            options: options.clone(),
        }
    }

    /// The layer of a new connection with `peer`.
    pub(crate) fn layer(&self, peer: SocketAddr) -> Result<layer::WsLayer, WsError> {
        layer::WsLayer::new(&self.options, self.send_kind.clone(), peer)
    }

    /// The kind sends go as.
    pub(crate) fn send_kind(&self) -> &SendKind {
        &self.send_kind
    }

    /// When the next ping is due.
    pub(crate) fn next_ping(&self) -> Option<Instant> {
        self.next_ping
    }

    /// Whether a ping is due at `now`; if so, the next one is scheduled.
    pub(crate) fn ping_due(&mut self, now: Instant) -> bool {
        match (self.next_ping, self.options.ping_every) {
            (Some(at), Some(every)) if now >= at => {
                self.next_ping = Some(now + every.max(Duration::from_millis(100)));
                true
            }
            _ => false,
        }
    }
}
