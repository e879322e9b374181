//! One entry of the log: what moved (or happened), when, which way and with whom.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::SystemTime;

use crate::engine::{SendOrigin, SessionId};

/// Which way the bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Received from a peer.
    Rx,
    /// Sent to a peer.
    Tx,
    /// A note from the program (connected, closed, error); its bytes are UTF-8 text.
    Info,
}

/// The other end of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Peer {
    /// No peer (session-wide notes).
    None,
    /// One peer.
    One(SocketAddr),
    /// Every client of a server or every known UDP peer.
    All(usize),
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => Ok(()),
            Self::One(addr) => write!(f, "{addr}"),
            Self::All(n) => write!(f, "* ({n})"),
        }
    }
}

/// Which records a view, a search or an export takes in. The default takes every record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RecordFilter {
    /// Only records going this way (program notes are left out too).
    pub direction: Option<Direction>,
    /// Only records with this peer: what it sent, what was sent to it (including sends to every
    /// client) and notes about it.
    pub peer: Option<SocketAddr>,
}

impl RecordFilter {
    /// True when `record` passes.
    pub fn accepts(&self, record: &Record) -> bool {
        self.direction.is_none_or(|d| d == record.direction)
            && self.peer.is_none_or(|addr| match record.peer {
                Peer::One(peer) => peer == addr,
                Peer::All(_) => record.direction == Direction::Tx,
                Peer::None => false,
            })
    }

    /// True when every record passes.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// One log entry.
#[derive(Debug, Clone)]
pub struct Record {
    /// The session it belongs to.
    pub session: SessionId,
    /// When it happened.
    pub at: SystemTime,
    /// Which way.
    pub direction: Direction,
    /// With whom.
    pub peer: Peer,
    /// Exactly the bytes that moved (for [`Direction::Info`]: the note as UTF-8).
    pub bytes: Arc<[u8]>,
    /// Why it was sent (sent records only).
    pub origin: Option<SendOrigin>,
}

impl Record {
    /// A received chunk.
    pub fn rx(session: SessionId, at: SystemTime, peer: SocketAddr, bytes: &[u8]) -> Self {
        Self {
            session,
            at,
            direction: Direction::Rx,
            peer: Peer::One(peer),
            bytes: bytes.into(),
            origin: None,
        }
    }

    /// A sent chunk.
    pub fn tx(
        session: SessionId,
        at: SystemTime,
        peer: Peer,
        bytes: Arc<[u8]>,
        origin: SendOrigin,
    ) -> Self {
        Self {
            session,
            at,
            direction: Direction::Tx,
            peer,
            bytes,
            origin: Some(origin),
        }
    }

    /// A note from the program.
    pub fn info(session: SessionId, at: SystemTime, peer: Peer, text: &str) -> Self {
        Self {
            session,
            at,
            direction: Direction::Info,
            peer,
            bytes: text.as_bytes().into(),
            origin: None,
        }
    }
}
