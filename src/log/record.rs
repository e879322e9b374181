//! One entry of the log: what moved (or happened), when, which way and with whom.

use std::fmt;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::time::SystemTime;

use super::memory::allocated;
use crate::engine::{Chunk, MessageKind, SendOrigin, SessionId};
use crate::lang::Lang;

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
            // A serial port's stand-in address shows as the port's name (issue 15: serial).
            Self::One(addr) => f.write_str(&crate::engine::peer_label(*addr)),
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
    pub bytes: RecordBytes,
    /// Why it was sent (sent records); `Heartbeat` also marks a received room heartbeat.
    pub origin: Option<SendOrigin>,
    // issue 15: websocket
    /// A received WebSocket message's kind: a text message's text is its UTF-8 whatever the
    /// log's encoding, and each message keeps a line of its own (`None`: stream bytes).
    pub message: Option<MessageKind>,
}

impl Record {
    /// Received bytes (copied).
    pub fn rx(session: SessionId, at: SystemTime, peer: SocketAddr, bytes: &[u8]) -> Self {
        Self::rx_chunk(session, at, peer, RecordBytes::from(bytes))
    }

    /// A chunk as the engine delivered it; a well-filled read buffer is kept without copying
    /// (see [`RecordBytes::from_chunk`]).
    pub fn rx_chunk(
        session: SessionId,
        at: SystemTime,
        peer: SocketAddr,
        bytes: impl Into<RecordBytes>,
    ) -> Self {
        Self {
            session,
            at,
            direction: Direction::Rx,
            peer: Peer::One(peer),
            bytes: bytes.into(),
            origin: None,
            message: None,
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
            bytes: bytes.into(),
            origin: Some(origin),
            message: None,
        }
    }

    /// A note from the program, in words that do not change with the language.
    pub fn info(session: SessionId, at: SystemTime, peer: Peer, text: &str) -> Self {
        Self {
            session,
            at,
            direction: Direction::Info,
            peer,
            bytes: text.as_bytes().into(),
            origin: None,
            message: None,
        }
    }

    /// A note from the program kept as what it says, put in words in the language the log is
    /// shown in (see [`super::LogStore::set_lang`]), so switching the language rewords it.
    pub fn note(session: SessionId, at: SystemTime, peer: Peer, note: impl Note + 'static) -> Self {
        Self {
            session,
            at,
            direction: Direction::Info,
            peer,
            bytes: RecordBytes(Repr::Held(Arc::new(Held::Note(Box::new(note))))),
            origin: None,
            message: None,
        }
    }

    // issue 15: websocket
    /// What a view's header adds after the peer: ` [bin]` for a WebSocket binary message
    /// (text messages and stream bytes add nothing).
    pub fn header_mark(&self) -> &'static str {
        if self.message == Some(MessageKind::Binary) {
            " [bin]"
        } else {
            ""
        }
    }

    /// The note of a record made by [`Record::note`].
    pub fn as_note(&self) -> Option<&dyn Note> {
        match &self.bytes.0 {
            Repr::Held(held) => match held.as_ref() {
                Held::Note(note) => Some(note.as_ref()),
                Held::Read(_) => None,
            },
            Repr::Shared(_) => None,
        }
    }
}

/// What a program note says, put in words when shown.
pub trait Note: fmt::Debug + Send + Sync {
    /// The note in `lang`.
    fn text(&self, lang: Lang) -> String;
}

/// The bytes of a record. Cloning shares them; they dereference to `[u8]`.
#[derive(Clone)]
pub struct RecordBytes(Repr);

#[derive(Clone)]
enum Repr {
    /// Bytes of their own (sent payloads, notes, small reads).
    Shared(Arc<[u8]>),
    /// Behind one thin pointer, so a record is no bigger than two words of bytes.
    Held(Arc<Held>),
}

enum Held {
    /// An engine read buffer taken over whole: a flood reaches the log without a copy, and the
    /// buffer goes back to its session's pool for another read when the record is dropped.
    Read(Chunk),
    /// A typed note (no bytes; its text is worded by the store).
    Note(Box<dyn Note>),
}

impl RecordBytes {
    /// Takes over `chunk`'s buffer when the bytes fill at least three quarters of it;
    /// otherwise copies them into an allocation of their size, so a short read never pins a
    /// large buffer (and the log's cap, which counts the whole buffer, holds at least three
    /// quarters of it in data).
    pub fn from_chunk(chunk: Chunk) -> Self {
        if chunk.capacity().saturating_mul(3) <= chunk.len().saturating_mul(4) {
            Self(Repr::Held(Arc::new(Held::Read(chunk))))
        } else {
            Self(Repr::Shared(Arc::from(&chunk[..])))
        }
    }

    /// About what the bytes take in memory, as the allocator rounds it (counted against the
    /// log's byte cap).
    pub fn allocated(&self) -> usize {
        match &self.0 {
            Repr::Shared(bytes) => allocated(bytes.len() + 16),
            Repr::Held(held) => match held.as_ref() {
                Held::Read(chunk) => {
                    allocated(chunk.capacity()) + allocated(size_of::<Held>() + 16)
                }
                Held::Note(_) => allocated(size_of::<Held>() + 16) + allocated(64),
            },
        }
    }

    /// True when the bytes are an engine read buffer kept without copying.
    pub fn is_read_buffer(&self) -> bool {
        matches!(&self.0, Repr::Held(held) if matches!(held.as_ref(), Held::Read(_)))
    }
}

impl Deref for RecordBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match &self.0 {
            Repr::Shared(bytes) => bytes,
            Repr::Held(held) => match held.as_ref() {
                Held::Read(chunk) => chunk,
                Held::Note(_) => &[],
            },
        }
    }
}

impl AsRef<[u8]> for RecordBytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl fmt::Debug for RecordBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RecordBytes").field(&&self[..]).finish()
    }
}

impl PartialEq for RecordBytes {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl Eq for RecordBytes {}

impl PartialEq<[u8]> for RecordBytes {
    fn eq(&self, other: &[u8]) -> bool {
        &self[..] == other
    }
}

impl<const N: usize> PartialEq<[u8; N]> for RecordBytes {
    fn eq(&self, other: &[u8; N]) -> bool {
        self[..] == other[..]
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for RecordBytes {
    fn eq(&self, other: &&[u8; N]) -> bool {
        self[..] == other[..]
    }
}

impl From<Chunk> for RecordBytes {
    fn from(chunk: Chunk) -> Self {
        Self::from_chunk(chunk)
    }
}

impl From<Arc<[u8]>> for RecordBytes {
    fn from(bytes: Arc<[u8]>) -> Self {
        Self(Repr::Shared(bytes))
    }
}

impl From<&[u8]> for RecordBytes {
    fn from(bytes: &[u8]) -> Self {
        Self(Repr::Shared(bytes.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_read_buffer_is_kept_and_a_short_read_is_copied_to_its_size() {
        let full = Chunk::new(vec![7; 40_000]);
        let bytes = RecordBytes::from_chunk(full);
        assert!(bytes.is_read_buffer());
        assert_eq!(bytes.len(), 40_000);
        assert!(bytes.allocated() >= 40_000);

        let mut buffer = vec![0u8; 65_536];
        buffer[..5].copy_from_slice(b"hello");
        buffer.truncate(5);
        let short = RecordBytes::from_chunk(Chunk::new(buffer));
        assert!(
            !short.is_read_buffer(),
            "5 bytes must not pin a 64 KiB buffer"
        );
        assert_eq!(short, b"hello");
        assert!(
            short.allocated() < 64,
            "counted at its own size: {}",
            short.allocated()
        );
    }

    #[derive(Debug)]
    struct Hello;

    impl Note for Hello {
        fn text(&self, lang: Lang) -> String {
            match lang {
                Lang::En => "hello".to_owned(),
                Lang::Zh => "你好".to_owned(),
            }
        }
    }

    #[test]
    fn a_typed_note_keeps_a_record_small_and_says_it_in_each_language() {
        assert!(
            size_of::<RecordBytes>() <= 16,
            "{} bytes",
            size_of::<RecordBytes>()
        );
        let record = Record::note(1, std::time::SystemTime::now(), Peer::None, Hello);
        assert!(record.bytes.is_empty(), "a note has no bytes");
        let note = record.as_note().expect("typed");
        assert_eq!(
            (note.text(Lang::En), note.text(Lang::Zh)),
            ("hello".to_owned(), "你好".to_owned())
        );
        assert!(
            Record::info(1, std::time::SystemTime::now(), Peer::None, "x")
                .as_note()
                .is_none()
        );
    }

    #[test]
    fn a_kept_buffer_is_counted_by_its_capacity() {
        let mut buffer = vec![1u8; 65_536];
        buffer.truncate(50_000);
        let bytes = RecordBytes::from_chunk(Chunk::new(buffer));
        assert!(bytes.is_read_buffer());
        assert_eq!(bytes.len(), 50_000);
        assert!(bytes.allocated() >= 65_536, "{}", bytes.allocated());

        let mut half = vec![1u8; 65_536];
        half.truncate(40_000);
        let copied = RecordBytes::from_chunk(Chunk::new(half));
        assert!(
            !copied.is_read_buffer(),
            "a buffer under three quarters full is copied"
        );
        assert_eq!(copied.len(), 40_000);
    }
}
