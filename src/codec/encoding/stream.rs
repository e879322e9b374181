//! Decoding a byte stream that arrives in arbitrary pieces, a character split across reads
//! coming out whole and undecodable bytes shown as `\xNN`.

use encoding_rs::DecoderResult;

use super::label::TextEncoding;
use crate::codec::hex::push_escaped_byte;

/// How many recent input bytes to remember. `encoding_rs` reports at most
/// 4 malformed bytes plus 3 bytes after them (6 in total for ISO-2022-JP),
/// and those may have arrived in an earlier call.
const HISTORY: usize = 8;

/// Decodes a byte stream that arrives in arbitrary pieces (e.g. TCP reads).
///
/// A character split across calls comes out whole once its last byte
/// arrives. Bytes that do not form a character are shown as `\xNN` so that
/// nothing received is hidden or replaced by U+FFFD. BOMs are not
/// interpreted: they come out as U+FEFF (or `\xNN`), exactly as received.
#[derive(Debug)]
pub struct StreamDecoder {
    encoding: TextEncoding,
    decoder: encoding_rs::Decoder,
    /// The last (at most [`HISTORY`]) bytes of the stream, oldest first.
    pub(super) history: Vec<u8>,
    /// True when no bytes of an unfinished character are held back (known for sure only at the
    /// start, after valid text, and for UTF-8 or single-byte encodings after any input).
    clean: bool,
}

impl StreamDecoder {
    /// Creates a decoder at the start of a stream.
    pub fn new(encoding: TextEncoding) -> Self {
        Self {
            encoding,
            decoder: encoding.encoding_rs().new_decoder_without_bom_handling(),
            history: Vec::new(),
            clean: true,
        }
    }

    /// The encoding this decoder was created with.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Decodes the next piece of the stream, appending to `out`. Bytes of an
    /// incomplete trailing character are held back until the next call.
    pub fn decode(&mut self, bytes: &[u8], out: &mut String) {
        self.run(bytes, out, false);
        let encoding = self.encoding.encoding_rs();
        // Known from the bytes seen (an empty read changes nothing: what was held stays held).
        self.clean =
            encoding.is_single_byte() || (encoding == encoding_rs::UTF_8 && !self.utf8_holds());
    }

    /// Like [`StreamDecoder::decode`], but when the text of `bytes` is exactly `bytes` (valid
    /// UTF-8 in UTF-8, plain ASCII in an ASCII-compatible encoding, with nothing held back from
    /// before), returns true and writes nothing: the caller can use the bytes as the text. The
    /// common case of a flood costs one validation pass instead of a decode and a copy.
    pub fn decode_or_same(&mut self, bytes: &[u8], out: &mut String) -> bool {
        let encoding = self.encoding.encoding_rs();
        let same = self.clean
            && if encoding == encoding_rs::UTF_8 {
                simdutf8::basic::from_utf8(bytes).is_ok()
            } else {
                encoding.is_ascii_compatible() && bytes.is_ascii()
            };
        if same {
            self.remember(bytes);
        } else {
            self.decode(bytes, out);
        }
        same
    }

    /// Ends the stream: any held-back incomplete character is written as
    /// `\xNN` bytes. The decoder is then ready for a new stream.
    pub fn finish(&mut self, out: &mut String) {
        self.run(&[], out, true);
        self.reset();
    }

    /// Forgets any held-back bytes and starts a new stream.
    pub fn reset(&mut self) {
        self.decoder = self
            .encoding
            .encoding_rs()
            .new_decoder_without_bom_handling();
        self.history.clear();
        self.clean = true;
    }

    fn run(&mut self, src: &[u8], out: &mut String, last: bool) {
        if self.encoding.encoding_rs() != encoding_rs::UTF_8 {
            self.run_decoder(src, out, last);
            return;
        }
        // UTF-8: the standard library's validator walks the text and its errors (binary data
        // shown as text is mostly errors, and one decoder call per error made a 64 KiB record
        // take milliseconds). The decoder only keeps a character split between pieces: it
        // finishes the one held from before, and holds the one this piece ends inside.
        let mut rest = src;
        while self.utf8_holds()
            && let Some((first, after)) = rest.split_first_chunk::<1>()
        {
            self.run_decoder(first, out, false);
            rest = after;
        }
        if self.utf8_holds() {
            if last {
                self.run_decoder(&[], out, true);
            }
            return;
        }
        // Valid text (the common case), perhaps ending inside a character that the next
        // piece finishes, in one vectorised pass.
        match simdutf8::compat::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                self.remember(rest);
                return;
            }
            Err(e) if e.error_len().is_none() && !last => {
                let (done, unfinished) = rest.split_at(e.valid_up_to());
                if let Ok(text) = simdutf8::basic::from_utf8(done) {
                    out.push_str(text);
                    self.remember(done);
                    self.run_decoder(unfinished, out, false);
                    return;
                }
            }
            Err(_) => {}
        }
        out.reserve(rest.len());
        let mut chunks = rest.utf8_chunks().peekable();
        while let Some(chunk) = chunks.next() {
            out.push_str(chunk.valid());
            let bad = chunk.invalid();
            if !last && chunks.peek().is_none() && is_unfinished_utf8(bad) {
                match rest.strip_suffix(bad) {
                    Some(before) => self.remember(before),
                    // Cannot happen: the last chunk's invalid bytes are the end of `rest`.
                    None => self.remember(rest),
                }
                self.run_decoder(bad, out, false);
                return;
            }
            for &byte in bad {
                push_escaped_byte(out, byte);
            }
        }
        self.remember(rest);
    }

    /// UTF-8: whether the stream so far ends inside a character that its next bytes may
    /// finish (the decoder holds those bytes). Such a character is at most 3 bytes long and
    /// starts with a lead byte, which is never part of another character.
    fn utf8_holds(&self) -> bool {
        // That character starts at the last byte that is not a continuation byte (10xxxxxx),
        // among the last three.
        let seen = &self.history;
        let Some(back) = seen.iter().rev().take(3).position(|&b| b & 0xC0 != 0x80) else {
            return false;
        };
        // `position` found it within `seen`, so `seen` has these `back + 1` bytes.
        seen.rchunks(back + 1)
            .next()
            .is_some_and(is_unfinished_utf8)
    }

    /// Decodes with `encoding_rs`, escaping what it reports as malformed.
    pub(super) fn run_decoder(&mut self, src: &[u8], out: &mut String, last: bool) {
        let mut pos = 0usize;
        let mut extra = 0usize;
        // The decoder never reads past its input, so `pos` stays at most `src.len()` and the
        // loop ends when the decoder says the input is used up, never by `get` failing.
        while let Some(rest) = src.get(pos..) {
            let needed = self
                .decoder
                .max_utf8_buffer_length_without_replacement(rest.len())
                .unwrap_or(rest.len());
            out.reserve(needed.saturating_add(extra));
            let (result, read) = self
                .decoder
                .decode_to_string_without_replacement(rest, out, last);
            pos += read;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => extra = extra * 2 + 16,
                DecoderResult::Malformed(bad, after) => {
                    // Stream index (history followed by `src`) just past the bad bytes.
                    let end = (self.history.len() + pos).saturating_sub(usize::from(after));
                    let start = end.saturating_sub(usize::from(bad));
                    for index in start..end {
                        if let Some(byte) = self.stream_byte(src, index) {
                            push_escaped_byte(out, byte);
                        }
                    }
                }
            }
        }
        self.remember(src);
    }

    fn stream_byte(&self, src: &[u8], index: usize) -> Option<u8> {
        match index.checked_sub(self.history.len()) {
            None => self.history.get(index).copied(),
            Some(in_src) => src.get(in_src).copied(),
        }
    }

    /// Keeps the last [`HISTORY`] bytes of the stream, `src` being its newest.
    pub(super) fn remember(&mut self, src: &[u8]) {
        self.history
            .extend(src.iter().skip(src.len().saturating_sub(HISTORY)));
        let excess = self.history.len().saturating_sub(HISTORY);
        self.history.drain(..excess);
    }
}

/// Whether `bytes` is the start of a UTF-8 character that more bytes could finish.
fn is_unfinished_utf8(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && matches!(std::str::from_utf8(bytes), Err(e) if e.valid_up_to() == 0 && e.error_len().is_none())
}

/// Decodes a complete buffer with a fresh decoder; see [`StreamDecoder`].
pub fn decode_all(encoding: TextEncoding, bytes: &[u8]) -> String {
    let mut decoder = StreamDecoder::new(encoding);
    let mut out = String::with_capacity(bytes.len());
    decoder.decode(bytes, &mut out);
    decoder.finish(&mut out);
    out
}
