//! A stream's received bytes ([`StreamBuf`]) and the splitters, one per kind of framing: each
//! cuts the complete messages at the front of the pending bytes and leaves the rest for the
//! next read.
//!
//! Each splitter takes a message's bytes with one `get` on the pending bytes, and that `get`
//! *is* the check that the message has arrived: `None` means "wait for more", never "empty".

use super::error::FrameError;
use super::json::{JsonPending, parse_json_header_text};
use super::spec::Framing;
use super::uint::read_uint;

/// Once the buffer is empty, capacity above this is handed back, so one huge
/// message does not pin its memory for the rest of the connection.
pub(super) const KEEP_CAPACITY: usize = 64 * 1024;

/// One reassembled message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frame {
    /// The JSON header text, verbatim, for [`Framing::JsonHeader`]; `None` otherwise.
    pub header: Option<String>,
    /// The message itself, without prefix, header or delimiter.
    pub body: Vec<u8>,
}

impl Frame {
    /// A frame with no header, as every framing but JSON-header produces.
    pub(super) fn plain(body: Vec<u8>) -> Self {
        Self { header: None, body }
    }
}

/// The bytes of one stream received and not yet handed out as messages.
#[derive(Debug, Clone)]
pub(super) struct StreamBuf {
    /// The largest message accepted, in bytes.
    pub(super) max_frame: usize,
    /// Received bytes; everything before `start` is already handed out.
    pub(super) buf: Vec<u8>,
    /// Where the next message begins in `buf`. Consumed bytes are dropped once
    /// per read rather than once per message, so a read holding many small
    /// messages does not shift the buffer many times.
    start: usize,
    /// Delimiter mode: no delimiter begins before this index in `buf`, so the
    /// next search starts here instead of rescanning a long partial message.
    pub(super) scan_from: usize,
    /// JSON-header mode: the parsed header of the message being received.
    json: Option<JsonPending>,
}

impl StreamBuf {
    /// An empty stream that refuses messages longer than `max_frame` bytes.
    pub(super) fn new(max_frame: usize) -> Self {
        Self {
            max_frame,
            buf: Vec::new(),
            start: 0,
            scan_from: 0,
            json: None,
        }
    }

    /// The bytes not yet handed out.
    pub(super) fn pending_bytes(&self) -> &[u8] {
        match self.buf.get(self.start..) {
            Some(pending) => pending,
            // Cannot happen: `start` only moves past a message the splitters took out of
            // `buf` (so it stays at most `buf.len()`), and back to 0 whenever `buf` shrinks
            // (`compact`, `reset`). Nothing pending is the one answer that hands out no
            // invented bytes.
            None => &[],
        }
    }

    /// Forgets everything buffered, as after an error or at end of stream.
    pub(super) fn reset(&mut self) {
        self.buf.clear();
        self.start = 0;
        self.scan_from = 0;
        self.json = None;
        self.release_memory();
    }

    /// Drops the bytes already handed out.
    pub(super) fn compact(&mut self) {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.scan_from = self.scan_from.saturating_sub(self.start);
            self.start = 0;
        }
        self.release_memory();
    }

    fn release_memory(&mut self) {
        if self.buf.is_empty() && self.buf.capacity() > KEEP_CAPACITY {
            self.buf.shrink_to(KEEP_CAPACITY);
        }
    }

    /// Cuts what is buffered into `frames` by `framing`; on an error the offending bytes
    /// stay at the front of the buffer.
    pub(super) fn cut(
        &mut self,
        framing: &Framing,
        frames: &mut Vec<Frame>,
    ) -> Result<(), FrameError> {
        match framing {
            // Per read hands each read out as it is; with a gap only time ends a message (the
            // deframer hands the bytes out when a silence is seen: `Deframer::cut_at`, `due`).
            Framing::PerRead | Framing::Gap { .. } => Ok(()),
            Framing::Delimiter(delimiter) => self.cut_delimited(delimiter, frames),
            Framing::FixedLength(n) => {
                self.cut_fixed(*n, frames);
                Ok(())
            }
            Framing::LengthPrefix {
                width,
                big_endian,
                includes_header,
            } => self.cut_length_prefixed(*width, *big_endian, *includes_header, frames),
            Framing::JsonHeader { big_endian } => self.cut_json(*big_endian, frames),
        }
    }

    /// Delimiter framing: every message up to the next delimiter, which is dropped.
    fn cut_delimited(
        &mut self,
        delimiter: &[u8],
        frames: &mut Vec<Frame>,
    ) -> Result<(), FrameError> {
        loop {
            // No delimiter begins before `scan_from`, so the search starts there.
            let from = self.scan_from.saturating_sub(self.start);
            let pending = self.pending_bytes();
            let Some(body) = before_delimiter(pending, from, delimiter) else {
                // A delimiter's beginning at the end may yet complete, so
                // only the bytes before it surely belong to the message.
                let len = pending.len() - partial_suffix(pending, delimiter);
                // A delimiter may be arriving split across reads, so the last
                // `len - 1` bytes are searched again next time.
                self.scan_from = self
                    .buf
                    .len()
                    .saturating_sub(delimiter.len().saturating_sub(1))
                    .max(self.start);
                if len > self.max_frame {
                    return Err(FrameError::NoDelimiter {
                        len: len as u64,
                        max: self.max_frame,
                    });
                }
                return Ok(());
            };
            let len = body.len();
            if len > self.max_frame {
                return Err(FrameError::NoDelimiter {
                    len: len as u64,
                    max: self.max_frame,
                });
            }
            frames.push(Frame::plain(body.to_vec()));
            self.start += len + delimiter.len();
            self.scan_from = self.start;
        }
    }

    /// Fixed-length framing: every whole `n` bytes.
    fn cut_fixed(&mut self, n: usize, frames: &mut Vec<Frame>) {
        // `None` exactly while fewer than `n` bytes are pending.
        while let Some(body) = self.pending_bytes().get(..n) {
            frames.push(Frame::plain(body.to_vec()));
            self.start += n;
        }
    }

    /// Length-prefix framing: a `width`-byte length, then that many bytes.
    fn cut_length_prefixed(
        &mut self,
        width: u8,
        big_endian: bool,
        includes_header: bool,
        frames: &mut Vec<Frame>,
    ) -> Result<(), FrameError> {
        let header_len = usize::from(width);
        loop {
            let Some(len) = read_uint(self.pending_bytes(), header_len, big_endian) else {
                return Ok(());
            };
            let body_len = if includes_header {
                len.checked_sub(u64::from(width))
                    .ok_or(FrameError::LengthBelowHeader { len, width })?
            } else {
                len
            };
            // Checked before waiting for the body, so a bogus length is
            // reported at once and nothing is reserved for it.
            let total = usize::try_from(body_len)
                .ok()
                .filter(|&n| n <= self.max_frame)
                .and_then(|n| n.checked_add(header_len))
                .ok_or(FrameError::TooLarge {
                    len,
                    max: self.max_frame,
                })?;
            // `None` while the body has not all arrived.
            let Some(body) = self.pending_bytes().get(header_len..total) else {
                return Ok(());
            };
            frames.push(Frame::plain(body.to_vec()));
            self.start += total;
        }
    }

    /// JSON-header framing: a 4-byte header length, the header, then `data_size` bytes.
    fn cut_json(&mut self, big_endian: bool, frames: &mut Vec<Frame>) -> Result<(), FrameError> {
        loop {
            let message = if let Some(message) = self.json.take() {
                message
            } else if let Some(message) = self.json_header(big_endian)? {
                message
            } else {
                return Ok(());
            };
            // `None` while the body has not all arrived: the parsed header waits with it.
            let Some(body) = self.pending_bytes().get(message.body_offset..message.total) else {
                self.json = Some(message);
                return Ok(());
            };
            frames.push(Frame {
                header: Some(message.header),
                body: body.to_vec(),
            });
            self.start += message.total;
        }
    }

    /// The header of the JSON message at the front, checked against the limit; `None` while
    /// it has not all arrived.
    fn json_header(&self, big_endian: bool) -> Result<Option<JsonPending>, FrameError> {
        let pending = self.pending_bytes();
        let Some(header_len) = read_uint(pending, 4, big_endian) else {
            return Ok(None);
        };
        let body_offset = usize::try_from(header_len)
            .ok()
            .filter(|&n| n <= self.max_frame)
            .and_then(|n| n.checked_add(4))
            .ok_or(FrameError::TooLarge {
                len: header_len,
                max: self.max_frame,
            })?;
        let Some(header) = pending.get(4..body_offset) else {
            return Ok(None);
        };
        let (header, data_size) = parse_json_header_text(header)?;
        let total = usize::try_from(data_size)
            .ok()
            .filter(|&n| n <= self.max_frame)
            .and_then(|n| n.checked_add(body_offset))
            .ok_or(FrameError::BodyTooLarge {
                len: data_size,
                max: self.max_frame,
            })?;
        Ok(Some(JsonPending {
            header,
            body_offset,
            total,
        }))
    }
}

/// The length of the longest end of `bytes` that is a proper beginning of
/// `delimiter` (a delimiter still arriving).
pub(super) fn partial_suffix(bytes: &[u8], delimiter: &[u8]) -> usize {
    let mut head = delimiter;
    // Proper beginnings only, longest first: the last byte goes before each try.
    while let Some((_, shorter)) = head.split_last() {
        head = shorter;
        if !head.is_empty() && bytes.ends_with(head) {
            return head.len();
        }
    }
    0
}

/// The bytes of `pending` before the first whole `delimiter` that begins at or after `from`;
/// `None` while no whole delimiter has arrived there (or the delimiter is empty).
/// Delimiters are a few bytes, so checking each occurrence of the first byte is fast enough.
pub(super) fn before_delimiter<'a>(
    pending: &'a [u8],
    from: usize,
    delimiter: &[u8],
) -> Option<&'a [u8]> {
    let &first = delimiter.first()?;
    let mut at = from;
    loop {
        let offset = pending.get(at..)?.iter().position(|&b| b == first)?;
        // `position` found the byte inside `pending`, so this always splits.
        let (body, rest) = pending.split_at_checked(at + offset)?;
        if rest.starts_with(delimiter) {
            return Some(body);
        }
        if rest.len() < delimiter.len() {
            // Too short to hold the delimiter: it may complete with the next read.
            return None;
        }
        at += offset + 1;
    }
}
