//! What a session tells its front end.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::chunk::Chunk;
use super::error::NetError;
use super::payload::Payload;

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
    /// The peer took no bytes for `waited` while `queued` bytes waited for it, more than the
    /// send-queue limit allows (see [`super::SendQueue`]).
    StoppedReading {
        /// Bytes that were waiting for it (they are not sent).
        queued: usize,
        /// How long it took nothing.
        waited: Duration,
    },
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
            Self::StoppedReading { queued, waited } => write!(
                f,
                "stopped reading: {} waiting for {} s — disconnected",
                human_size(*queued),
                human_secs(*waited)
            ),
            Self::Error(err) => write!(f, "{err}"),
        }
    }
}

/// `5`, `0.5`: whole seconds when exact, else one decimal.
pub(crate) fn human_secs(time: Duration) -> String {
    if time.subsec_millis() == 0 {
        time.as_secs().to_string()
    } else {
        format!("{:.1}", time.as_secs_f64())
    }
}

/// `8 MiB`, `512 KiB`, `300 B`: whole units when exact, else one decimal.
pub(crate) fn human_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    const GIB: usize = 1024 * 1024 * 1024;
    #[allow(clippy::cast_precision_loss)] // one decimal of a byte count
    let scaled = |unit: usize| bytes as f64 / unit as f64;
    if bytes >= GIB {
        format!("{:.1} GiB", scaled(GIB))
    } else if bytes >= MIB {
        if bytes.is_multiple_of(MIB) {
            format!("{} MiB", bytes / MIB)
        } else {
            format!("{:.1} MiB", scaled(MIB))
        }
    } else if bytes >= KIB {
        if bytes.is_multiple_of(KIB) {
            format!("{} KiB", bytes / KIB)
        } else {
            format!("{:.1} KiB", scaled(KIB))
        }
    } else {
        format!("{bytes} B")
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

impl SentTo {
    /// How many peers the bytes went to (what goes out on the network is this many copies).
    pub fn copies(self) -> usize {
        match self {
            Self::Peer(_) => 1,
            Self::All { peers } => peers,
        }
    }
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
    /// Bytes arrived: one event per read (TCP) or per datagram (UDP); on a WebSocket, one
    /// per whole message, its kind in [`Chunk::message`].
    Received {
        /// From whom.
        peer: SocketAddr,
        /// When.
        at: SystemTime,
        /// Exactly what arrived.
        bytes: Chunk,
    },
    /// Bytes were accepted to be sent: written to the socket, or queued for it (at most the
    /// send-queue limit per peer). Bytes that were still queued when a TCP connection ended
    /// are reported by [`Event::Unsent`], so a counter of `Sent` minus `Unsent` counts what
    /// was written.
    Sent {
        /// To whom.
        to: SentTo,
        /// When.
        at: SystemTime,
        /// Exactly what was sent.
        bytes: Payload,
        /// Why.
        origin: SendOrigin,
        // issue 15: websocket
        /// On a WebSocket session, the kind of message it went as (text only when it is
        /// UTF-8 and sends go as text; a relay or echo keeps the received message's kind).
        kind: Option<super::websocket::MessageKind>,
    },
    /// A TCP connection ended with `bytes` reported as [`Event::Sent`] to it but never written
    /// to its socket; they are not sent.
    Unsent {
        /// The peer.
        peer: SocketAddr,
        /// Bytes lost with the connection.
        bytes: u64,
    },
    /// The send queue went over the limit (`waiting`: the session holds back and front ends
    /// should stop taking more to send) or came back down to half of it (`waiting` false).
    /// TCP only; for a server, `queued` is the fullest client's queue.
    SendQueue {
        /// Whether sends should wait for the peer to read.
        waiting: bool,
        /// Bytes queued when this was reported.
        queued: usize,
    },
    /// UDP datagrams that arrived while the event queue was full: counted, not shown.
    Dropped {
        /// Datagrams dropped since the session opened.
        total: u64,
    },
    /// UDP datagrams the kernel dropped on the session's socket because its receive buffer was
    /// full (Linux, `SO_RXQ_OVFL`; not counted elsewhere). Learnt from the next datagram read,
    /// so drops at the very end of a burst show with the next datagram. Together with
    /// [`Event::Dropped`] and the datagrams received, this accounts for every datagram that
    /// reached the socket.
    KernelDropped {
        /// Datagrams the kernel dropped since the session opened.
        total: u64,
    },
    /// UDP: the receive buffer the kernel granted, reported once after [`Event::Opened`].
    ReceiveBuffer {
        /// What was asked for (`None`: the system's default was kept).
        asked: Option<usize>,
        /// What the kernel granted, in bytes of datagrams (on Linux, half of what
        /// `SO_RCVBUF` reads back: the kernel doubles the size for its bookkeeping).
        granted: usize,
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
    // issue 15: tls
    /// TLS: a server's own certificate when it opens, or a finished handshake.
    Tls(super::tls::TlsNote),
    // issue 15: websocket
    /// WebSocket: the handshake's headers, a ping, a pong or a close frame.
    Ws(super::websocket::WsNote),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_times_read_as_people_write_them() {
        assert_eq!(human_size(8 * 1024 * 1024), "8 MiB");
        assert_eq!(human_size(8 * 1024 * 1024 + 64 * 1024), "8.1 MiB");
        assert_eq!(human_size(300 * 1024), "300 KiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(300), "300 B");
        assert_eq!(human_secs(Duration::from_secs(5)), "5");
        assert_eq!(human_secs(Duration::from_millis(500)), "0.5");
        let reason = CloseReason::StoppedReading {
            queued: 8 * 1024 * 1024,
            waited: Duration::from_secs(5),
        };
        assert_eq!(
            reason.to_string(),
            "stopped reading: 8 MiB waiting for 5 s — disconnected"
        );
    }
}
