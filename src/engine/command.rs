//! What a front end asks of a running session.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use super::config::{Relay, SendQueue};
use super::payload::Payload;
use super::rules::AutoReply;

/// Who a send goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// TCP client: the server. TCP server: every client. UDP: the configured target, else the
    /// last peer heard from.
    #[default]
    Default,
    /// Every peer: all clients of a server, every UDP peer heard from.
    All,
    /// One peer.
    Peer(SocketAddr),
    /// UDP: whoever sent the last datagram, the configured target until someone has (TCP
    /// server: the last client that sent data).
    LastSender,
}

/// A payload sent on a timer beside everything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heartbeat {
    /// What to send.
    pub payload: Payload,
    /// How often.
    pub interval: Duration,
    /// To whom.
    pub to: Target,
}

/// A front end → engine message.
#[derive(Debug, Clone)]
pub enum Command {
    /// Send bytes (already encoded) once.
    Send {
        /// The bytes.
        payload: Payload,
        /// To whom.
        to: Target,
    },
    /// Send `payload` now and every `interval` after, `count` times in all or until stopped.
    /// Replaces a repeat already running.
    Repeat {
        /// The bytes.
        payload: Payload,
        /// To whom.
        to: Target,
        /// Time between sends.
        interval: Duration,
        /// How many sends in all; `None` repeats until [`Command::StopRepeat`].
        count: Option<u64>,
    },
    /// Stop the repeating send.
    StopRepeat,
    /// Start (`Some`) or stop (`None`) the heartbeat.
    Heartbeat(Option<Heartbeat>),
    /// Stream a file to `to`, reporting progress.
    SendFile {
        /// The file to read.
        path: PathBuf,
        /// To whom.
        to: Target,
    },
    /// Change the UDP default destination (`host:port`), or clear it with `None`.
    SetUdpTarget(Option<String>),
    /// Turn echo on or off.
    SetEcho(bool),
    /// Turn relaying on (`Some`) or off.
    SetRelay(Option<Relay>),
    /// Start (`Some`) or stop saving received bytes to a file (appended, raw).
    SaveTo(Option<PathBuf>),
    /// Disconnect one client of a TCP server (UDP: forget the peer).
    Kick(SocketAddr),
    /// Set or clear the line that makes a TCP peer leave (e.g. `/quit`).
    SetQuitLine(Option<Vec<u8>>),
    /// UDP: drop peers silent for longer than this, or never (`None`).
    SetPeerTimeout(Option<Duration>),
    /// UDP room: the heartbeat payload that is consumed instead of relayed, or none
    /// (see [`SessionConfig::room_heartbeat`](super::SessionConfig::room_heartbeat)).
    SetRoomHeartbeat(Option<Vec<u8>>),
    /// TCP: change the send-queue limit and the time a peer over it may take nothing.
    SetSendQueue(SendQueue),
    /// Replace the auto-reply rules.
    SetAutoReplies(Vec<AutoReply>),
    /// UDP: join a multicast group on the configured interface.
    JoinMulticast(IpAddr),
    /// UDP: leave a multicast group.
    LeaveMulticast(IpAddr),
    /// TCP client: send what is queued, then close the sending direction (the server sees EOF);
    /// the session stays open until the server closes.
    Shutdown,
    /// Close the session: flush the save file and stop the I/O thread.
    Close,
    // issue 15: websocket
    /// WebSocket: sends go as binary messages (`true`: hex input) or as text messages.
    SetWsBinary(bool),
    // issue 15: serial
    /// A serial port: set the DTR and RTS lines (`None` leaves one as it is).
    SetSerialLines {
        /// Data Terminal Ready.
        dtr: Option<bool>,
        /// Request To Send.
        rts: Option<bool>,
    },
}
