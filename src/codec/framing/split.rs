//! The splitters, one per kind of framing: each cuts the complete messages at the front of a
//! [`Deframer`]'s pending bytes and leaves the rest for the next read.
//!
//! Each splitter takes a message's bytes with one `get` on the pending bytes, and that `get`
//! *is* the check that the message has arrived: `None` means "wait for more", never "empty".

use super::deframer::{Deframer, Frame};
use super::error::FrameError;
use super::json::{JsonPending, parse_json_header_text};

impl Deframer {
    /// Delimiter framing: every message up to the next delimiter, which is dropped.
    pub(super) fn cut_delimited(
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
    pub(super) fn cut_fixed(&mut self, n: usize, frames: &mut Vec<Frame>) {
        // `None` exactly while fewer than `n` bytes are pending.
        while let Some(body) = self.pending_bytes().get(..n) {
            frames.push(Frame::plain(body.to_vec()));
            self.start += n;
        }
    }

    /// Length-prefix framing: a `width`-byte length, then that many bytes.
    pub(super) fn cut_length_prefixed(
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
    pub(super) fn cut_json(
        &mut self,
        big_endian: bool,
        frames: &mut Vec<Frame>,
    ) -> Result<(), FrameError> {
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

/// Reads an unsigned integer from the first `width` bytes, or `None` if not all of it has
/// arrived.
pub(super) fn read_uint(bytes: &[u8], width: usize, big_endian: bool) -> Option<u64> {
    let bytes = bytes.get(..width)?;
    let fold = |acc: u64, &b: &u8| (acc << 8) | u64::from(b);
    Some(if big_endian {
        bytes.iter().fold(0, fold)
    } else {
        bytes.iter().rev().fold(0, fold)
    })
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
