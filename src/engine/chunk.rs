//! Received bytes whose buffer goes back to its session for the next read when dropped.

use std::fmt;
use std::ops::Deref;

use std::sync::{Arc, Mutex, Weak};

use super::limits::READ_SIZE;
use super::websocket::MessageKind;

/// How many spare read buffers a session keeps (at 64 KiB each, 8 MiB at most).
const POOL_SIZE: usize = 128;

/// Bytes that arrived in one read or one datagram.
///
/// Dereferences to `[u8]`. A large read's buffer is handed over without copying; dropping the
/// chunk gives the buffer back to its session, so a flood reads into memory that is already
/// there instead of asking the system for fresh pages for every read. Keep the bytes with
/// [`Chunk::into_vec`] (which takes the buffer out of the cycle).
pub struct Chunk {
    bytes: Vec<u8>,
    /// The pool of the session that read it; gone once the session ends.
    home: Option<Weak<Spare>>,
    // issue 15: websocket
    /// A WebSocket message's kind (`None`: bytes of a stream or a datagram).
    message: Option<MessageKind>,
}

/// Spare buffers, most recently returned last: the next read takes the buffer that is most
/// likely still in the cache.
type Spare = Mutex<Vec<Vec<u8>>>;

impl Chunk {
    /// A chunk that is not part of any pool.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self {
            bytes,
            home: None,
            message: None,
        }
    }

    // issue 15: websocket
    /// A whole WebSocket message of `kind`.
    pub fn message_of(bytes: Vec<u8>, kind: MessageKind) -> Self {
        Self {
            bytes,
            home: None,
            message: Some(kind),
        }
    }

    /// The kind of WebSocket message these bytes are (`None`: bytes of a stream or a
    /// datagram).
    pub fn message(&self) -> Option<MessageKind> {
        self.message
    }

    /// The bytes as a vector of their own.
    pub fn into_vec(mut self) -> Vec<u8> {
        self.home = None;
        std::mem::take(&mut self.bytes)
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// The size of the buffer holding the bytes (a pooled read buffer is larger than a short
    /// read in it).
    pub fn capacity(&self) -> usize {
        self.bytes.capacity()
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        if let Some(home) = self.home.take()
            && self.bytes.capacity() == READ_SIZE
        {
            // A full pool or an ended session simply frees the buffer.
            if let Some(spare) = home.upgrade()
                && let Ok(mut spare) = spare.lock()
                && spare.len() < POOL_SIZE
            {
                spare.push(std::mem::take(&mut self.bytes));
            }
        }
    }
}

impl Deref for Chunk {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl AsRef<[u8]> for Chunk {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Clone for Chunk {
    fn clone(&self) -> Self {
        Self {
            bytes: self.bytes.clone(),
            home: None,
            message: self.message,
        }
    }
}

impl fmt::Debug for Chunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Chunk").field(&self.bytes).finish()
    }
}

impl From<Vec<u8>> for Chunk {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<Chunk> for Vec<u8> {
    fn from(chunk: Chunk) -> Self {
        chunk.into_vec()
    }
}

impl PartialEq for Chunk {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for Chunk {}

impl PartialEq<[u8]> for Chunk {
    fn eq(&self, other: &[u8]) -> bool {
        self.bytes == other
    }
}

impl PartialEq<&[u8]> for Chunk {
    fn eq(&self, other: &&[u8]) -> bool {
        self.bytes == *other
    }
}

impl PartialEq<Vec<u8>> for Chunk {
    fn eq(&self, other: &Vec<u8>) -> bool {
        &self.bytes == other
    }
}

impl<const N: usize> PartialEq<[u8; N]> for Chunk {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.bytes == other
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for Chunk {
    fn eq(&self, other: &&[u8; N]) -> bool {
        self.bytes == *other
    }
}

/// A session's spare read buffers.
pub(crate) struct Pool {
    spare: Arc<Spare>,
}

impl Pool {
    pub(crate) fn new() -> Self {
        Self {
            spare: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// A zeroed-or-reused buffer of `READ_SIZE` bytes to read into.
    pub(crate) fn buffer(&self) -> Vec<u8> {
        let reused = self.spare.lock().ok().and_then(|mut spare| spare.pop());
        match reused {
            Some(mut buffer) => {
                // Only the tail past the last read needs filling; a full read left none.
                buffer.resize(READ_SIZE, 0);
                buffer
            }
            None => vec![0; READ_SIZE],
        }
    }

    /// Wraps the first `len` bytes of a read buffer as a chunk that comes back here.
    pub(crate) fn chunk(&self, mut buffer: Vec<u8>, len: usize) -> Chunk {
        buffer.truncate(len);
        Chunk {
            bytes: buffer,
            home: Some(Arc::downgrade(&self.spare)),
            message: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_chunks_come_back_and_kept_ones_do_not() {
        let pool = Pool::new();
        let mut buffer = pool.buffer();
        buffer[..3].copy_from_slice(b"abc");
        let chunk = pool.chunk(buffer, 3);
        assert_eq!(chunk, b"abc");
        assert_eq!(chunk.len(), 3);
        drop(chunk);
        let again = pool.buffer();
        assert_eq!(again.len(), READ_SIZE);
        assert_eq!(&again[..3], b"abc", "the same buffer came back");
        assert!(again[3..].iter().all(|b| *b == 0));

        let kept = pool.chunk(again, 2).into_vec();
        assert_eq!(kept, b"ab");
        assert!(
            pool.spare.lock().unwrap().is_empty(),
            "a kept buffer stays with its owner"
        );
    }

    #[test]
    fn the_newest_spare_buffer_is_used_first_and_an_ended_pool_takes_none_back() {
        let pool = Pool::new();
        let (mut one, mut two) = (pool.buffer(), pool.buffer());
        one[0] = 1;
        two[0] = 2;
        let (one, two) = (pool.chunk(one, READ_SIZE), pool.chunk(two, READ_SIZE));
        drop(one);
        drop(two);
        assert_eq!(pool.buffer()[0], 2, "the buffer returned last comes first");
        assert_eq!(pool.buffer()[0], 1);

        let late = pool.chunk(pool.buffer(), READ_SIZE);
        let spare = Arc::downgrade(&pool.spare);
        drop(pool);
        drop(late);
        assert!(
            spare.upgrade().is_none(),
            "nothing keeps an ended pool alive"
        );
    }
}
