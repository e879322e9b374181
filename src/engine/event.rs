//! What a session tells its front end.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::SystemTime;

use super::chunk::Chunk;
use super::command::Payload;
use super::error::NetError;

/// Why a connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseReason {
    /// The peer closed it in order.
    PeerClosed,
    /// The peer reset it.
    Reset,
    /// The user disconnected this client.
    Kicked,
    /// The session was closed locally.
    LocalClosed,
    /// The peer sent the quit line.
    Quit,
    /// A UDP peer was silent for longer than the room allows.
    Silent,
    /// An auto-reply rule disconnected it.
    Rule,
    /// An error ended it.
    Error(NetError),
}

impl std::fmt::Display for CloseReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PeerClosed => f.write_str("closed by the peer"),
            Self::Reset => f.write_str("reset by the peer"),
            Self::Kicked => f.write_str("disconnected by you"),
            Self::LocalClosed => f.write_str("session closed"),
            Self::Quit => f.write_str("sent the quit line"),
            Self::Silent => f.write_str("silent for too long"),
            Self::Rule => f.write_str("disconnected by an auto-reply rule"),
            Self::Error(err) => write!(f, "{err}"),
        }
    }
}

/// Why bytes were sent, so a view can tell a heartbeat from a typed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendOrigin {
    /// A [`super::Command::Send`].
    Manual,
    /// The repeating send.
    Repeat,
    /// The heartbeat.
    Heartbeat,
    /// A chunk of a file being sent.
    File,
    /// Echo of received data.
    Echo,
    /// Relay of another peer's data.
    Relay,
    /// An auto-reply rule's answer.
    AutoReply,
}

/// Who received a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentTo {
    /// One peer.
    Peer(SocketAddr),
    /// Every client of a server or every known UDP peer, `peers` of them.
    All {
        /// How many peers got it.
        peers: usize,
    },
}

/// An engine → front end message.
#[derive(Debug, Clone)]
pub enum Event {
    /// The session is open: listening, connected or bound.
    Opened {
        /// The local address.
        local: SocketAddr,
        /// TCP client: the server; UDP: the resolved default target.
        remote: Option<SocketAddr>,
    },
    /// A client connected to a TCP server, or a UDP peer was heard from for the first time.
    PeerConnected {
        /// The client.
        peer: SocketAddr,
        /// When.
        at: SystemTime,
    },
    /// A connection ended (TCP client: the one to the server).
    PeerClosed {
        /// The peer.
        peer: SocketAddr,
        /// Why.
        reason: CloseReason,
        /// When.
        at: SystemTime,
    },
    /// Bytes arrived: one event per read (TCP) or per datagram (UDP).
    Received {
        /// From whom.
        peer: SocketAddr,
        /// When.
        at: SystemTime,
        /// Exactly what arrived.
        bytes: Chunk,
    },
    /// Bytes were handed to the system to send.
    Sent {
        /// To whom.
        to: SentTo,
        /// When.
        at: SystemTime,
        /// Exactly what was sent.
        bytes: Payload,
        /// Why.
        origin: SendOrigin,
    },
    /// UDP datagrams that arrived while the event queue was full: counted, not shown.
    Dropped {
        /// Datagrams dropped since the session opened.
        total: u64,
    },
    /// The UDP default destination changed.
    TargetSet {
        /// The new destination, if any.
        target: Option<SocketAddr>,
    },
    /// A multicast group was joined or left.
    Multicast {
        /// The group.
        group: std::net::IpAddr,
        /// Joined (true) or left.
        joined: bool,
    },
    /// The repeating send ended after `sent` sends (its count was reached or it was stopped).
    RepeatFinished {
        /// Sends made.
        sent: u64,
    },
    /// Progress of a file send.
    FileProgress {
        /// The file.
        path: PathBuf,
        /// Bytes queued so far.
        sent: u64,
        /// The file's size.
        total: u64,
    },
    /// A command could not be carried out; the session goes on.
    Error(NetError),
    /// The session could not open, or broke; a [`Event::Closed`] follows.
    Failed(NetError),
    /// The session is over; nothing follows.
    Closed,
}
