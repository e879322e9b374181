//! Encoding text to send: refuses a character the encoding has no bytes for, instead of
//! sending `&#NNNN;` as `encoding_rs` would.

use encoding_rs::EncoderResult;
use thiserror::Error;

use super::label::TextEncoding;
use super::stream::decode_all;

/// A character that the chosen encoding has no bytes for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "{} at position {position} cannot be written in {encoding} — remove it or choose UTF-8 or GB18030",
    describe_char(*ch)
)]
pub struct EncodeError {
    /// The character that cannot be encoded.
    pub ch: char,
    /// 1-based character position in the text that was being encoded.
    pub position: usize,
    /// Display name of the encoding, e.g. `GB2312`.
    pub encoding: &'static str,
}

fn describe_char(ch: char) -> String {
    let code = u32::from(ch);
    if ch.is_control() || ch.is_whitespace() || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{FEFF}') {
        format!("U+{code:04X}")
    } else {
        format!("'{ch}' (U+{code:04X})")
    }
}

impl TextEncoding {
    /// Encodes text, failing on the first character the encoding cannot represent
    /// (instead of silently sending `&#NNNN;` as `encoding_rs` would).
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode_into(text, &mut out)?;
        Ok(out)
    }

    /// Appends the encoded text to `out`; on error `out` is left as it was.
    pub fn encode_into(&self, text: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.encoding_rs() == encoding_rs::UTF_8 {
            out.extend_from_slice(text.as_bytes());
            return Ok(());
        }
        // encoding_rs only decodes UTF-16; its encoders for it emit UTF-8.
        if self.encoding_rs() == encoding_rs::UTF_16LE {
            out.reserve(text.len() * 2);
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            return Ok(());
        }
        if self.encoding_rs() == encoding_rs::UTF_16BE {
            out.reserve(text.len() * 2);
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            return Ok(());
        }

        let original_len = out.len();
        let mut encoder = self.encoding_rs().new_encoder();
        let mut read_total = 0usize;
        let mut extra = 0usize;
        loop {
            let Some(rest) = text.get(read_total..) else {
                // Cannot happen: `encoding_rs` reads whole characters, so `read_total` is a
                // character boundary of `text`. Were it ever inside one, that character is
                // what could not be written, and nothing is sent.
                out.truncate(original_len);
                return Err(self.refused(text, read_total, char::REPLACEMENT_CHARACTER));
            };
            let needed = encoder
                .max_buffer_length_from_utf8_without_replacement(rest.len())
                .unwrap_or(rest.len());
            out.reserve(needed.saturating_add(extra));
            let (result, read) =
                encoder.encode_from_utf8_to_vec_without_replacement(rest, out, true);
            read_total += read;
            match result {
                EncoderResult::InputEmpty => return Ok(()),
                EncoderResult::OutputFull => extra = extra * 2 + 16,
                EncoderResult::Unmappable(ch) => {
                    out.truncate(original_len);
                    // `read` includes the unmappable character itself.
                    return Err(self.refused(text, read_total, ch));
                }
            }
        }
    }

    /// The error for the character of `text` that ends at or spans byte `read` (the last one
    /// the encoder read), with its 1-based position. ISO-2022-JP reports SO, SI and ESC as
    /// U+FFFD (`reported`): the character typed is named instead.
    pub(super) fn refused(&self, text: &str, read: usize, reported: char) -> EncodeError {
        let (position, ch) = text
            .char_indices()
            .take_while(|&(at, _)| at < read)
            .fold((0, reported), |(count, _), (_, ch)| (count + 1, ch));
        EncodeError {
            ch,
            position,
            encoding: self.name(),
        }
    }

    /// Decodes a complete byte buffer; undecodable bytes appear as `\xNN`.
    pub fn decode(&self, bytes: &[u8]) -> String {
        decode_all(*self, bytes)
    }
}
