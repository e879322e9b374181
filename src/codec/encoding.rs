//! Text encodings (UTF-8, GB2312/GBK/GB18030, Big5, `Shift_JIS`, UTF-16 …) for
//! sending and for showing received bytes, including streams split mid-character.

use std::fmt;
use std::str::FromStr;

use encoding_rs::{DecoderResult, EncoderResult, Encoding};
use thiserror::Error;

use super::hex::push_escaped_byte;

/// A text encoding together with the name the user picked for it.
///
/// Several names share one `encoding_rs` implementation (GB2312 is decoded
/// and encoded as GBK, per WHATWG), but the UI should keep showing the name
/// the user chose, so both are kept. Two values are equal only when both the
/// implementation and the display name match.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEncoding {
    encoding: &'static Encoding,
    name: &'static str,
}

/// The label given to [`TextEncoding::for_label`] is not a known encoding.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "unknown encoding '{label}' — try utf-8, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252, utf-16le"
)]
pub struct UnknownEncoding {
    /// The label as given, trimmed.
    pub label: String,
}

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
    /// UTF-8.
    pub const UTF_8: Self = Self::new(&encoding_rs::UTF_8_INIT, "UTF-8");
    /// GB2312, handled as GBK (a superset) as browsers do.
    pub const GB2312: Self = Self::new(&encoding_rs::GBK_INIT, "GB2312");
    /// GBK.
    pub const GBK: Self = Self::new(&encoding_rs::GBK_INIT, "GBK");
    /// GB18030, which can encode every Unicode character.
    pub const GB18030: Self = Self::new(&encoding_rs::GB18030_INIT, "GB18030");
    /// Big5 (traditional Chinese).
    pub const BIG5: Self = Self::new(&encoding_rs::BIG5_INIT, "Big5");
    /// `Shift_JIS` (Japanese).
    pub const SHIFT_JIS: Self = Self::new(&encoding_rs::SHIFT_JIS_INIT, "Shift_JIS");
    /// EUC-JP (Japanese).
    pub const EUC_JP: Self = Self::new(&encoding_rs::EUC_JP_INIT, "EUC-JP");
    /// EUC-KR (Korean).
    pub const EUC_KR: Self = Self::new(&encoding_rs::EUC_KR_INIT, "EUC-KR");
    /// windows-1252, which WHATWG also uses for ISO-8859-1 and ASCII labels.
    pub const WINDOWS_1252: Self = Self::new(&encoding_rs::WINDOWS_1252_INIT, "windows-1252");
    /// UTF-16 little-endian, without BOM.
    pub const UTF_16LE: Self = Self::new(&encoding_rs::UTF_16LE_INIT, "UTF-16LE");
    /// UTF-16 big-endian, without BOM.
    pub const UTF_16BE: Self = Self::new(&encoding_rs::UTF_16BE_INIT, "UTF-16BE");

    const fn new(encoding: &'static Encoding, name: &'static str) -> Self {
        Self { encoding, name }
    }

    /// Looks up an encoding by any WHATWG label (`utf8`, `gb2312`, `sjis`,
    /// `latin1`, `utf-16be`, …) plus a few Windows code-page names (`cp936`),
    /// case-insensitively and ignoring surrounding whitespace.
    pub fn for_label(label: &str) -> Result<Self, UnknownEncoding> {
        let trimmed = label.trim();
        let lower = trimmed.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "cp936" | "ms936" | "windows-936" => Some("gbk"),
            "cp950" | "ms950" | "windows-950" => Some("big5"),
            "cp932" | "ms932" | "windows-932" => Some("shift_jis"),
            "cp949" | "ms949" | "windows-949" | "uhc" => Some("euc-kr"),
            "cp65001" => Some("utf-8"),
            "utf16le" | "utf_16le" | "utf-16-le" => Some("utf-16le"),
            "utf16be" | "utf_16be" | "utf-16-be" => Some("utf-16be"),
            "utf16" => Some("utf-16"),
            "latin-1" => Some("latin1"),
            _ => None,
        };
        let lookup = alias.unwrap_or(&lower);
        // The "replacement" encoding decodes everything to U+FFFD, which is
        // never what someone debugging a protocol wants.
        let Some(encoding) = Encoding::for_label_no_replacement(lookup.as_bytes()) else {
            return Err(UnknownEncoding {
                label: trimmed.to_owned(),
            });
        };
        // The WHATWG GBK label group is mostly spellings of GB2312.
        let gb2312_label = lookup.contains("2312") || matches!(lookup, "chinese" | "iso-ir-58");
        let name = if gb2312_label {
            Self::GB2312.name
        } else {
            Self::common()
                .iter()
                .find(|e| e.encoding == encoding && e.name != Self::GB2312.name)
                .map_or(encoding.name(), |e| e.name)
        };
        Ok(Self::new(encoding, name))
    }

    /// The name to show the user, e.g. `UTF-8`, `GB2312`, `GBK`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The encodings a drop-down should offer, most common first.
    pub fn common() -> &'static [TextEncoding] {
        const COMMON: [TextEncoding; 11] = [
            TextEncoding::UTF_8,
            TextEncoding::GB2312,
            TextEncoding::GBK,
            TextEncoding::GB18030,
            TextEncoding::BIG5,
            TextEncoding::SHIFT_JIS,
            TextEncoding::EUC_JP,
            TextEncoding::EUC_KR,
            TextEncoding::WINDOWS_1252,
            TextEncoding::UTF_16LE,
            TextEncoding::UTF_16BE,
        ];
        &COMMON
    }

    /// The underlying `encoding_rs` encoding.
    pub fn encoding_rs(&self) -> &'static Encoding {
        self.encoding
    }

    /// Encodes text, failing on the first character the encoding cannot represent
    /// (instead of silently sending `&#NNNN;` as `encoding_rs` would).
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode_into(text, &mut out)?;
        Ok(out)
    }

    /// Appends the encoded text to `out`; on error `out` is left as it was.
    pub fn encode_into(&self, text: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.encoding == encoding_rs::UTF_8 {
            out.extend_from_slice(text.as_bytes());
            return Ok(());
        }
        // encoding_rs only decodes UTF-16; its encoders for it emit UTF-8.
        if self.encoding == encoding_rs::UTF_16LE {
            out.reserve(text.len() * 2);
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            return Ok(());
        }
        if self.encoding == encoding_rs::UTF_16BE {
            out.reserve(text.len() * 2);
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            return Ok(());
        }

        let original_len = out.len();
        let mut encoder = self.encoding.new_encoder();
        let mut read_total = 0usize;
        let mut extra = 0usize;
        loop {
            let rest = text.get(read_total..).unwrap_or_default();
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
                    let before = text.get(..read_total).unwrap_or_default();
                    let position = before.chars().count();
                    // ISO-2022-JP reports SO, SI and ESC as U+FFFD: name the character typed.
                    let ch = before.chars().next_back().unwrap_or(ch);
                    return Err(EncodeError {
                        ch,
                        position,
                        encoding: self.name,
                    });
                }
            }
        }
    }

    /// Decodes a complete byte buffer; undecodable bytes appear as `\xNN`.
    pub fn decode(&self, bytes: &[u8]) -> String {
        decode_all(*self, bytes)
    }
}

impl Default for TextEncoding {
    fn default() -> Self {
        Self::UTF_8
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl FromStr for TextEncoding {
    type Err = UnknownEncoding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::for_label(s)
    }
}

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
    history: [u8; HISTORY],
    history_len: usize,
    /// True when no bytes of an unfinished character are held back (known for sure only at the
    /// start, after valid text, and for UTF-8 or single-byte encodings after any input).
    clean: bool,
}

impl StreamDecoder {
    /// Creates a decoder at the start of a stream.
    pub fn new(encoding: TextEncoding) -> Self {
        Self {
            encoding,
            decoder: encoding.encoding.new_decoder_without_bom_handling(),
            history: [0; HISTORY],
            history_len: 0,
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
        let encoding = self.encoding.encoding;
        // Known from the bytes seen (an empty read changes nothing: what was held stays held).
        self.clean =
            encoding.is_single_byte() || (encoding == encoding_rs::UTF_8 && !self.utf8_holds());
    }

    /// Like [`StreamDecoder::decode`], but when the text of `bytes` is exactly `bytes` (valid
    /// UTF-8 in UTF-8, plain ASCII in an ASCII-compatible encoding, with nothing held back from
    /// before), returns true and writes nothing: the caller can use the bytes as the text. The
    /// common case of a flood costs one validation pass instead of a decode and a copy.
    pub fn decode_or_same(&mut self, bytes: &[u8], out: &mut String) -> bool {
        let encoding = self.encoding.encoding;
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
        self.decoder = self.encoding.encoding.new_decoder_without_bom_handling();
        self.history_len = 0;
        self.clean = true;
    }

    fn run(&mut self, src: &[u8], out: &mut String, last: bool) {
        if self.encoding.encoding != encoding_rs::UTF_8 {
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
        let mut done = 0;
        while let Some(chunk) = chunks.next() {
            out.push_str(chunk.valid());
            done += chunk.valid().len();
            let bad = chunk.invalid();
            if !last && chunks.peek().is_none() && is_unfinished_utf8(bad) {
                self.remember(rest.get(..done).unwrap_or_default());
                self.run_decoder(bad, out, false);
                return;
            }
            for &byte in bad {
                push_escaped_byte(out, byte);
            }
            done += bad.len();
        }
        self.remember(rest);
    }

    /// UTF-8: whether the stream so far ends inside a character that its next bytes may
    /// finish (the decoder holds those bytes). Such a character is at most 3 bytes long and
    /// starts with a lead byte, which is never part of another character.
    fn utf8_holds(&self) -> bool {
        let seen = self.history.get(..self.history_len).unwrap_or_default();
        for k in 1..=seen.len().min(3) {
            let tail = seen.get(seen.len() - k..).unwrap_or_default();
            if tail.first().is_some_and(|&b| b & 0xC0 != 0x80) {
                return is_unfinished_utf8(tail);
            }
        }
        false
    }

    /// Decodes with `encoding_rs`, escaping what it reports as malformed.
    fn run_decoder(&mut self, src: &[u8], out: &mut String, last: bool) {
        let mut pos = 0usize;
        let mut extra = 0usize;
        loop {
            let rest = src.get(pos..).unwrap_or_default();
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
                    let end = (self.history_len + pos).saturating_sub(usize::from(after));
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
        if index < self.history_len {
            self.history.get(index).copied()
        } else {
            src.get(index - self.history_len).copied()
        }
    }

    fn remember(&mut self, src: &[u8]) {
        if src.len() >= HISTORY {
            let tail = src.get(src.len() - HISTORY..).unwrap_or_default();
            self.history.copy_from_slice(tail);
            self.history_len = HISTORY;
            return;
        }
        let keep_old = (HISTORY - src.len()).min(self.history_len);
        self.history
            .copy_within(self.history_len - keep_old..self.history_len, 0);
        let new_len = keep_old + src.len();
        if let Some(slot) = self.history.get_mut(keep_old..new_len) {
            slot.copy_from_slice(src);
        }
        self.history_len = new_len;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// UTF-8 through `encoding_rs` alone (the path every other encoding takes), as the
    /// reference for the validator-based path.
    fn decode_with_decoder_only(pieces: &[&[u8]]) -> String {
        let mut decoder = StreamDecoder::new(TextEncoding::UTF_8);
        let mut out = String::new();
        for piece in pieces {
            decoder.run_decoder(piece, &mut out, false);
        }
        decoder.run_decoder(&[], &mut out, true);
        out
    }

    #[test]
    fn utf8_fast_path_matches_the_decoder_in_any_split() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Random bytes, text with broken characters, and bytes near the UTF-8 edge cases.
        let alphabet: &[u8] = &[
            b'a', 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F,
            0xA0, 0x82, 0xAC,
        ];
        for round in 0..3000 {
            let len = (next() % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if round % 2 == 0 {
                        (next() >> 24) as u8
                    } else {
                        alphabet[(next() % alphabet.len() as u64) as usize]
                    }
                })
                .collect();
            let mut cuts: Vec<usize> = (0..(next() % 5))
                .map(|_| (next() as usize) % (len + 1))
                .collect();
            cuts.sort_unstable();
            let mut pieces = Vec::new();
            let mut at = 0;
            for cut in cuts {
                pieces.push(&bytes[at..cut]);
                at = cut;
            }
            pieces.push(&bytes[at..]);
            let mut decoder = StreamDecoder::new(TextEncoding::UTF_8);
            let mut fast = String::new();
            for piece in &pieces {
                decoder.decode(piece, &mut fast);
            }
            decoder.finish(&mut fast);
            assert_eq!(
                fast,
                decode_with_decoder_only(&pieces),
                "bytes {bytes:02X?} cut {pieces:02X?}"
            );
        }
    }

    fn enc(label: &str) -> TextEncoding {
        TextEncoding::for_label(label).expect("known label")
    }

    #[test]
    fn labels_resolve_with_display_names() {
        let cases = [
            ("utf-8", "UTF-8"),
            ("UTF8", "UTF-8"),
            ("  utf-8 \n", "UTF-8"),
            ("gb2312", "GB2312"),
            ("GB_2312-80", "GB2312"),
            ("gbk", "GBK"),
            ("cp936", "GBK"),
            ("gb18030", "GB18030"),
            ("big5", "Big5"),
            ("shift_jis", "Shift_JIS"),
            ("sjis", "Shift_JIS"),
            ("euc-jp", "EUC-JP"),
            ("euc-kr", "EUC-KR"),
            ("windows-1252", "windows-1252"),
            ("latin1", "windows-1252"),
            ("iso-8859-1", "windows-1252"),
            ("utf-16le", "UTF-16LE"),
            ("utf-16be", "UTF-16BE"),
            ("utf-16", "UTF-16LE"),
            ("koi8-r", "KOI8-R"),
            ("iso-2022-jp", "ISO-2022-JP"),
        ];
        for (label, name) in cases {
            assert_eq!(enc(label).name(), name, "label {label:?}");
        }
        assert_eq!(enc("gbk"), TextEncoding::GBK);
        assert_eq!(enc("gb2312"), TextEncoding::GB2312);
        assert_ne!(TextEncoding::GB2312, TextEncoding::GBK);
        assert_eq!("Big5".parse::<TextEncoding>(), Ok(TextEncoding::BIG5));
        assert_eq!(TextEncoding::GB2312.to_string(), "GB2312");
        assert_eq!(TextEncoding::default(), TextEncoding::UTF_8);
    }

    #[test]
    fn unknown_labels_are_rejected() {
        let err = TextEncoding::for_label(" xyz ").expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown encoding 'xyz' — try utf-8, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252, utf-16le"
        );
        // A real WHATWG label, but one that maps to the useless replacement encoding.
        assert!(TextEncoding::for_label("iso-2022-kr").is_err());
        assert!(TextEncoding::for_label("").is_err());
    }

    #[test]
    fn common_list_order_and_names() {
        let names: Vec<&str> = TextEncoding::common()
            .iter()
            .map(TextEncoding::name)
            .collect();
        assert_eq!(
            names,
            [
                "UTF-8",
                "GB2312",
                "GBK",
                "GB18030",
                "Big5",
                "Shift_JIS",
                "EUC-JP",
                "EUC-KR",
                "windows-1252",
                "UTF-16LE",
                "UTF-16BE"
            ]
        );
        for e in TextEncoding::common() {
            assert_eq!(enc(e.name()), *e, "{e} should round-trip through its name");
        }
    }

    #[test]
    fn nihao_in_chinese_encodings() {
        assert_eq!(
            TextEncoding::GB2312.encode("你好"),
            Ok(vec![0xC4, 0xE3, 0xBA, 0xC3])
        );
        assert_eq!(
            TextEncoding::GBK.encode("你好"),
            Ok(vec![0xC4, 0xE3, 0xBA, 0xC3])
        );
        assert_eq!(
            TextEncoding::UTF_8.encode("你好"),
            Ok(vec![0xE4, 0xBD, 0xA0, 0xE5, 0xA5, 0xBD])
        );
        assert_eq!(
            decode_all(TextEncoding::GB2312, &[0xC4, 0xE3, 0xBA, 0xC3]),
            "你好"
        );
    }

    #[test]
    fn emoji_needs_gb18030() {
        let bytes = TextEncoding::GB18030
            .encode("😀")
            .expect("gb18030 encodes everything");
        assert_eq!(bytes, [0x94, 0x39, 0xFC, 0x36]);
        assert_eq!(decode_all(TextEncoding::GB18030, &bytes), "😀");

        let err = TextEncoding::GB2312
            .encode("ab😀c")
            .expect_err("not in GB2312");
        assert_eq!(
            err,
            EncodeError {
                ch: '😀',
                position: 3,
                encoding: "GB2312"
            }
        );
        assert_eq!(
            err.to_string(),
            "'😀' (U+1F600) at position 3 cannot be written in GB2312 — remove it or choose UTF-8 or GB18030"
        );
        let err = TextEncoding::GBK.encode("你好😀").expect_err("not in GBK");
        assert_eq!((err.ch, err.position, err.encoding), ('😀', 3, "GBK"));
    }

    #[test]
    fn never_emits_numeric_character_references() {
        let err = TextEncoding::WINDOWS_1252
            .encode("€ok你")
            .expect_err("no CJK in 1252");
        assert_eq!((err.ch, err.position), ('你', 4));
        let mut out = vec![1, 2];
        assert!(
            TextEncoding::SHIFT_JIS
                .encode_into("a😀", &mut out)
                .is_err()
        );
        assert_eq!(out, [1, 2], "output restored on error");
    }

    #[test]
    fn big5_and_shift_jis_round_trip() {
        let text = "繁體中文 ok";
        let bytes = TextEncoding::BIG5.encode(text).expect("big5");
        assert_eq!(bytes.get(..2), Some(&[0xC1, 0x63][..]));
        assert_eq!(decode_all(TextEncoding::BIG5, &bytes), text);

        let text = "こんにちは、世界";
        let bytes = TextEncoding::SHIFT_JIS.encode(text).expect("sjis");
        assert_eq!(bytes.get(..2), Some(&[0x82, 0xB1][..]));
        assert_eq!(decode_all(TextEncoding::SHIFT_JIS, &bytes), text);

        let text = "안녕하세요";
        let bytes = TextEncoding::EUC_KR.encode(text).expect("euc-kr");
        assert_eq!(decode_all(TextEncoding::EUC_KR, &bytes), text);
    }

    #[test]
    fn utf16_encode_and_decode() {
        assert_eq!(
            TextEncoding::UTF_16LE.encode("A你😀"),
            Ok(vec![0x41, 0x00, 0x60, 0x4F, 0x3D, 0xD8, 0x00, 0xDE])
        );
        assert_eq!(
            TextEncoding::UTF_16BE.encode("A你😀"),
            Ok(vec![0x00, 0x41, 0x4F, 0x60, 0xD8, 0x3D, 0xDE, 0x00])
        );
        assert_eq!(
            decode_all(
                TextEncoding::UTF_16LE,
                &[0x41, 0x00, 0x60, 0x4F, 0x3D, 0xD8, 0x00, 0xDE]
            ),
            "A你😀"
        );
        assert_eq!(
            decode_all(
                TextEncoding::UTF_16BE,
                &[0x00, 0x41, 0x4F, 0x60, 0xD8, 0x3D, 0xDE, 0x00]
            ),
            "A你😀"
        );
        // A BOM is shown as the character it is, not swallowed.
        assert_eq!(
            decode_all(TextEncoding::UTF_16LE, &[0xFF, 0xFE, 0x41, 0x00]),
            "\u{FEFF}A"
        );
        // An odd trailing byte is shown raw.
        assert_eq!(
            decode_all(TextEncoding::UTF_16LE, &[0x41, 0x00, 0x42]),
            "A\\x42"
        );
    }

    #[test]
    fn utf8_bom_is_kept() {
        assert_eq!(
            decode_all(TextEncoding::UTF_8, &[0xEF, 0xBB, 0xBF, b'a']),
            "\u{FEFF}a"
        );
    }

    #[test]
    fn gb2312_split_character() {
        let mut d = StreamDecoder::new(TextEncoding::GB2312);
        let mut out = String::new();
        d.decode(&[0xC4], &mut out);
        assert_eq!(out, "");
        d.decode(&[0xE3], &mut out);
        assert_eq!(out, "你");
        d.finish(&mut out);
        assert_eq!(out, "你");
    }

    #[test]
    fn utf8_split_one_byte_at_a_time() {
        let mut d = StreamDecoder::new(TextEncoding::UTF_8);
        let mut out = String::new();
        d.decode(&[0xE4], &mut out);
        d.decode(&[0xBD], &mut out);
        assert_eq!(out, "");
        d.decode(&[0xA0], &mut out);
        assert_eq!(out, "你");
        let mut out = String::new();
        d.decode(&[0xE4, 0xBD], &mut out);
        d.decode(&[0xA0], &mut out);
        assert_eq!(out, "你");
    }

    #[test]
    fn every_split_point_matches_one_shot() {
        let text = "A你好😀é\r\nZ";
        for encoding in [
            TextEncoding::UTF_8,
            TextEncoding::GB18030,
            TextEncoding::UTF_16LE,
            TextEncoding::UTF_16BE,
        ] {
            let bytes = encoding.encode(text).expect("encodable");
            assert_eq!(decode_all(encoding, &bytes), text);
            for i in 0..=bytes.len() {
                for j in i..=bytes.len() {
                    let mut d = StreamDecoder::new(encoding);
                    let mut out = String::new();
                    d.decode(&bytes[..i], &mut out);
                    d.decode(&bytes[i..j], &mut out);
                    d.decode(&bytes[j..], &mut out);
                    d.finish(&mut out);
                    assert_eq!(out, text, "{encoding} split at {i},{j}");
                }
            }
        }
    }

    #[test]
    fn malformed_bytes_are_shown_as_hex() {
        assert_eq!(
            decode_all(TextEncoding::UTF_8, &[b'a', 0xFF, b'b']),
            "a\\xFFb"
        );
        assert_eq!(decode_all(TextEncoding::UTF_8, &[0xC0, 0x80]), "\\xC0\\x80");
        assert_eq!(
            decode_all(TextEncoding::GBK, &[0xC4, 0xE3, 0xFF]),
            "你\\xFF"
        );
    }

    #[test]
    fn truncated_sequence_is_flushed_at_finish() {
        let mut d = StreamDecoder::new(TextEncoding::UTF_8);
        let mut out = String::new();
        d.decode(&[b'x', 0xE4, 0xBD], &mut out);
        assert_eq!(out, "x");
        d.finish(&mut out);
        assert_eq!(out, "x\\xE4\\xBD");
        // After finish the decoder starts a new stream.
        d.decode(&[0xA0], &mut out);
        d.finish(&mut out);
        assert_eq!(out, "x\\xE4\\xBD\\xA0");
    }

    #[test]
    fn malformed_sequence_split_across_calls() {
        // The bad bytes E4 BD arrive one per call; the decoder only learns
        // they are bad when 'A' arrives in the third call.
        let mut d = StreamDecoder::new(TextEncoding::UTF_8);
        let mut out = String::new();
        d.decode(&[0xE4], &mut out);
        d.decode(&[0xBD], &mut out);
        d.decode(b"A", &mut out);
        assert_eq!(out, "\\xE4\\xBDA");

        // GBK lead byte followed, in the next read, by a byte that cannot trail it.
        let mut d = StreamDecoder::new(TextEncoding::GBK);
        let mut out = String::new();
        d.decode(&[b'1', 0x81], &mut out);
        d.decode(&[b' ', 0xC4], &mut out);
        d.decode(&[0xE3], &mut out);
        assert_eq!(out, "1\\x81 你");

        // Many calls later the history still holds the right bytes.
        let mut d = StreamDecoder::new(TextEncoding::UTF_8);
        let mut out = String::new();
        d.decode(b"0123456789", &mut out);
        d.decode(&[0xF0, 0x9F], &mut out);
        d.decode(&[0x98], &mut out);
        d.decode(&[0xFF], &mut out);
        assert_eq!(out, "0123456789\\xF0\\x9F\\x98\\xFF");
    }

    #[test]
    fn reset_discards_pending_bytes() {
        let mut d = StreamDecoder::new(TextEncoding::UTF_8);
        let mut out = String::new();
        d.decode(&[0xE4, 0xBD], &mut out);
        d.reset();
        d.decode(b"ok", &mut out);
        d.finish(&mut out);
        assert_eq!(out, "ok");
    }

    /// A fixed linear congruential generator so the test is reproducible
    /// without a random-number crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u32 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as u32
        }

        fn below(&mut self, n: usize) -> usize {
            self.next() as usize % n
        }
    }

    /// Turns decoder output back into bytes, for encodings where text is its UTF-8.
    fn unescape_utf8(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("\\x") {
            out.extend_from_slice(&rest.as_bytes()[..i]);
            let hex = &rest[i + 2..i + 4];
            out.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
            rest = &rest[i + 4..];
        }
        out.extend_from_slice(rest.as_bytes());
        out
    }

    #[test]
    fn random_bytes_in_random_splits_match_one_shot() {
        let mut rng = Lcg(0x5EED);
        let encodings = [
            TextEncoding::UTF_8,
            TextEncoding::GBK,
            TextEncoding::GB18030,
            TextEncoding::BIG5,
            TextEncoding::SHIFT_JIS,
            TextEncoding::EUC_JP,
            TextEncoding::UTF_16LE,
            enc("iso-2022-jp"),
        ];
        for round in 0..400 {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(4) {
                    // Mix ASCII, lead-byte-heavy and fully random bytes.
                    0 => b'a' + rng.below(26) as u8,
                    1 => 0x80 + rng.below(0x60) as u8,
                    2 => [0x1B, b'$', b'B', b'(', 0x30, 0xE4, 0xBD][rng.below(7)],
                    _ => rng.next() as u8,
                })
                // A literal backslash would make the output ambiguous to unescape.
                .map(|b| if b == b'\\' { b'/' } else { b })
                .collect();
            for encoding in encodings {
                let expected = decode_all(encoding, &bytes);
                let mut d = StreamDecoder::new(encoding);
                let mut out = String::new();
                let mut pos = 0;
                while pos < bytes.len() {
                    let step = 1 + rng.below(5);
                    let end = (pos + step).min(bytes.len());
                    d.decode(&bytes[pos..end], &mut out);
                    pos = end;
                }
                d.finish(&mut out);
                assert_eq!(
                    out, expected,
                    "round {round}, {encoding}, bytes {bytes:02X?}"
                );
                if encoding == TextEncoding::UTF_8 {
                    assert_eq!(unescape_utf8(&out), bytes, "no byte lost or invented");
                }
            }
        }
    }

    #[test]
    fn decode_or_same_matches_decode_in_random_splits() {
        let mut rng = Lcg(0xFA57);
        let encodings = [
            TextEncoding::UTF_8,
            TextEncoding::GBK,
            TextEncoding::GB18030,
            TextEncoding::BIG5,
            TextEncoding::SHIFT_JIS,
            TextEncoding::WINDOWS_1252,
            TextEncoding::UTF_16LE,
            enc("iso-2022-jp"),
        ];
        let mut took_shortcut = 0;
        for round in 0..400 {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(6) {
                    // Mostly ASCII runs, so the shortcut gets its chances.
                    0..=2 => b'a' + rng.below(26) as u8,
                    3 => [0xE4, 0xBD, 0xA0, 0xC4, 0xE3, 0x81, 0x30][rng.below(7)],
                    4 => [0x1B, b'$', b'B', b'(', 0x30][rng.below(5)],
                    _ => rng.next() as u8,
                })
                .collect();
            for encoding in encodings {
                let mut plain = StreamDecoder::new(encoding);
                let mut fast = StreamDecoder::new(encoding);
                let (mut expected, mut got) = (String::new(), String::new());
                let mut pos = 0;
                while pos < bytes.len() {
                    let end = (pos + 1 + rng.below(8)).min(bytes.len());
                    let piece = &bytes[pos..end];
                    plain.decode(piece, &mut expected);
                    let mut text = String::new();
                    if fast.decode_or_same(piece, &mut text) {
                        took_shortcut += 1;
                        assert!(text.is_empty());
                        got.push_str(std::str::from_utf8(piece).unwrap());
                    } else {
                        got.push_str(&text);
                    }
                    pos = end;
                }
                plain.finish(&mut expected);
                fast.finish(&mut got);
                assert_eq!(
                    got, expected,
                    "round {round}, {encoding}, bytes {bytes:02X?}"
                );
            }
        }
        assert!(
            took_shortcut > 1000,
            "the shortcut was taken {took_shortcut} times"
        );
    }
}
