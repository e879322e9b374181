//! Turning what the user typed (text or hex, escapes, line ending, checksum) into bytes to send.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use super::checksum::Checksum;
use super::encoding::{EncodeError, TextEncoding};
use super::escape::{EscapeError, Segment, parse_spanned};
use super::hex::{HexError, parse_hex};

/// How the send box is interpreted.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum InputMode {
    /// Characters, encoded with the chosen text encoding.
    #[default]
    Text,
    /// Hex digits such as `01 03 00 00`.
    Hex,
}

/// Line ending appended after text input.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Eol {
    /// Nothing appended.
    #[default]
    None,
    /// `\n`.
    Lf,
    /// `\r`.
    Cr,
    /// `\r\n`.
    CrLf,
}

/// The name given to [`Eol::for_name`] is not a known line ending.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown line ending '{name}' — use none, lf, cr or crlf")]
pub struct UnknownEol {
    /// The name as given, trimmed.
    pub name: String,
}

impl Eol {
    /// Every line ending, in the order a UI should list them.
    pub const ALL: [Eol; 4] = [Eol::None, Eol::Lf, Eol::Cr, Eol::CrLf];

    /// Short stable name: `none`, `lf`, `cr` or `crlf`.
    pub fn name(&self) -> &'static str {
        match self {
            Eol::None => "none",
            Eol::Lf => "lf",
            Eol::Cr => "cr",
            Eol::CrLf => "crlf",
        }
    }

    /// Looks a line ending up by [`name`](Eol::name), ignoring case.
    pub fn for_name(name: &str) -> Result<Eol, UnknownEol> {
        let trimmed = name.trim();
        Eol::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| UnknownEol {
                name: trimmed.to_owned(),
            })
    }

    /// The line ending as ASCII bytes (before any text encoding).
    pub fn bytes(&self) -> &'static [u8] {
        self.text().as_bytes()
    }

    /// The line ending as characters.
    pub fn text(&self) -> &'static str {
        match self {
            Eol::None => "",
            Eol::Lf => "\n",
            Eol::Cr => "\r",
            Eol::CrLf => "\r\n",
        }
    }
}

impl fmt::Display for Eol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Eol {
    type Err = UnknownEol;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::for_name(s)
    }
}

/// Everything that decides how input becomes bytes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PayloadOptions {
    /// Text or hex input.
    pub mode: InputMode,
    /// Encoding for text input (and for the line ending).
    pub encoding: TextEncoding,
    /// Whether `\r \n \t \0 \\ \xNN` are interpreted in text input.
    pub escapes: bool,
    /// Line ending appended to text input; ignored for hex input.
    pub eol: Eol,
    /// Checksum appended last, computed over all bytes before it.
    pub checksum: Option<Checksum>,
}

impl Default for PayloadOptions {
    fn default() -> Self {
        Self {
            mode: InputMode::Text,
            encoding: TextEncoding::UTF_8,
            escapes: false,
            eol: Eol::None,
            checksum: None,
        }
    }
}

/// Why the input could not be turned into bytes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PayloadError {
    /// Hex input was malformed.
    #[error(transparent)]
    Hex(#[from] HexError),
    /// An escape sequence in text input was malformed.
    #[error(transparent)]
    Escape(#[from] EscapeError),
    /// A character cannot be written in the chosen encoding.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// Builds the bytes to send from the send box contents.
///
/// Hex mode parses hex (escapes and line ending do not apply). Text mode
/// interprets escapes if enabled — `\xNN` bytes bypass the encoding — encodes
/// the rest, then appends the line ending in the same encoding (so LF is
/// `0A 00` in UTF-16LE). Finally the checksum, if any, is appended over
/// everything before it. On error nothing is returned, never a partial payload.
pub fn build_payload(input: &str, opts: &PayloadOptions) -> Result<Vec<u8>, PayloadError> {
    let mut out = match opts.mode {
        InputMode::Hex => parse_hex(input)?,
        InputMode::Text => {
            let mut out = Vec::with_capacity(input.len() + 8);
            if opts.escapes {
                for (segment, span) in parse_spanned(input)? {
                    match segment {
                        Segment::Text(text) => {
                            opts.encoding
                                .encode_into(&text, &mut out)
                                .map_err(|mut e| {
                                    // Escapes make the segment shorter than the input it came from.
                                    if let Some(span) = &span {
                                        e.position = span.input_position(e.position);
                                    }
                                    e
                                })?;
                        }
                        Segment::Bytes(bytes) => out.extend_from_slice(&bytes),
                    }
                }
            } else {
                opts.encoding.encode_into(input, &mut out)?;
            }
            if opts
                .encoding
                .encode_into(opts.eol.text(), &mut out)
                .is_err()
            {
                // Every supported encoding has CR and LF; raw ASCII is the only sane fallback.
                out.extend_from_slice(opts.eol.bytes());
            }
            out
        }
    };
    if let Some(checksum) = opts.checksum {
        checksum.append(&mut out);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_opts(encoding: TextEncoding, escapes: bool, eol: Eol) -> PayloadOptions {
        PayloadOptions {
            mode: InputMode::Text,
            encoding,
            escapes,
            eol,
            checksum: None,
        }
    }

    #[test]
    fn default_is_plain_utf8_text() {
        let opts = PayloadOptions::default();
        assert_eq!(
            build_payload("hi 你", &opts),
            Ok(b"hi \xE4\xBD\xA0".to_vec())
        );
        // Without escapes a backslash is just a backslash.
        assert_eq!(build_payload(r"a\n", &opts), Ok(b"a\\n".to_vec()));
        assert_eq!(build_payload("", &opts), Ok(vec![]));
    }

    #[test]
    fn text_escapes_crlf_and_modbus_crc() {
        let opts = PayloadOptions {
            checksum: Some(Checksum::Crc16Modbus),
            ..text_opts(TextEncoding::UTF_8, true, Eol::CrLf)
        };
        let bytes = build_payload(r"\x01\x03\x00\x00\x00\x01", &opts).expect("valid");
        let body = [0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x0D, 0x0A];
        let crc = Checksum::Crc16Modbus.compute(&body);
        assert_eq!(bytes[..8], body);
        assert_eq!(bytes[8..], crc[..]);

        let bytes = build_payload(r"AT\t1", &opts).expect("valid");
        let mut expected = b"AT\t1\r\n".to_vec();
        Checksum::Crc16Modbus.append(&mut expected);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn escaped_bytes_bypass_the_encoding() {
        let opts = text_opts(TextEncoding::GB2312, true, Eol::None);
        assert_eq!(
            build_payload(r"你\xFF好", &opts),
            Ok(vec![0xC4, 0xE3, 0xFF, 0xBA, 0xC3])
        );
        let opts = text_opts(TextEncoding::UTF_8, true, Eol::None);
        assert_eq!(
            build_payload(r"\x00\x01test.txt\x00octet\x00", &opts),
            Ok(vec![
                0x00, 0x01, 0x74, 0x65, 0x73, 0x74, 0x2E, 0x74, 0x78, 0x74, 0x00, 0x6F, 0x63, 0x74,
                0x65, 0x74, 0x00
            ])
        );
    }

    #[test]
    fn hex_mode_with_checksum_ignores_eol_and_escapes() {
        let opts = PayloadOptions {
            mode: InputMode::Hex,
            escapes: true,
            eol: Eol::CrLf,
            checksum: Some(Checksum::Crc16Modbus),
            ..PayloadOptions::default()
        };
        assert_eq!(
            build_payload("01 03 00 00 00 01", &opts),
            Ok(vec![0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A])
        );
        let opts = PayloadOptions {
            checksum: Some(Checksum::Sum8),
            ..opts
        };
        assert_eq!(build_payload("FF 02", &opts), Ok(vec![0xFF, 0x02, 0x01]));
    }

    #[test]
    fn hex_errors_pass_through() {
        let opts = PayloadOptions {
            mode: InputMode::Hex,
            checksum: Some(Checksum::Crc32),
            ..PayloadOptions::default()
        };
        assert_eq!(
            build_payload("01 0", &opts),
            Err(PayloadError::Hex(HexError::OddDigits {
                line: 1,
                column: 4
            }))
        );
    }

    #[test]
    fn eol_is_encoded_in_the_chosen_encoding() {
        assert_eq!(
            build_payload("A", &text_opts(TextEncoding::UTF_16LE, false, Eol::Lf)),
            Ok(vec![0x41, 0x00, 0x0A, 0x00])
        );
        assert_eq!(
            build_payload("A", &text_opts(TextEncoding::UTF_16BE, false, Eol::CrLf)),
            Ok(vec![0x00, 0x41, 0x00, 0x0D, 0x00, 0x0A])
        );
        assert_eq!(
            build_payload("你好", &text_opts(TextEncoding::GB2312, false, Eol::Cr)),
            Ok(vec![0xC4, 0xE3, 0xBA, 0xC3, 0x0D])
        );
    }

    #[test]
    fn unencodable_char_is_an_error_with_input_position() {
        let opts = PayloadOptions {
            checksum: Some(Checksum::Xor8),
            ..text_opts(TextEncoding::GB2312, false, Eol::CrLf)
        };
        let err = build_payload("温度😀", &opts).expect_err("emoji not in GB2312");
        let cause = EncodeError {
            ch: '😀',
            position: 3,
            encoding: "GB2312",
        };
        // The payload's error is the encoder's, sentence and all (pinned in encoding's tests).
        assert_eq!(err.to_string(), cause.to_string());
        assert_eq!(err, PayloadError::Encode(cause));

        // With escapes the position still refers to what the user typed:
        // `\r\n` and `\x00` come before the emoji.
        let opts = text_opts(TextEncoding::GBK, true, Eol::None);
        let err = build_payload(r"a\r\n\x00b😀", &opts).expect_err("emoji not in GBK");
        let PayloadError::Encode(e) = err else {
            panic!("expected an encode error, got {err:?}")
        };
        assert_eq!((e.ch, e.position), ('😀', 11));
        let err = build_payload(r"\t\\😀", &opts).expect_err("emoji not in GBK");
        let PayloadError::Encode(e) = err else {
            panic!("expected an encode error, got {err:?}")
        };
        assert_eq!(e.position, 5);
    }

    #[test]
    fn escape_errors_pass_through() {
        let opts = text_opts(TextEncoding::UTF_8, true, Eol::None);
        assert_eq!(
            build_payload(r"ok\q", &opts),
            Err(PayloadError::Escape(EscapeError::UnknownEscape {
                ch: 'q',
                position: 3
            }))
        );
    }

    #[test]
    fn eol_names() {
        for eol in Eol::ALL {
            assert_eq!(Eol::for_name(eol.name()), Ok(eol));
            assert_eq!(eol.to_string().parse::<Eol>(), Ok(eol));
        }
        assert_eq!(Eol::for_name(" CRLF "), Ok(Eol::CrLf));
        assert_eq!(Eol::CrLf.bytes(), b"\r\n");
        assert_eq!(Eol::None.bytes(), b"");
        let err = Eol::for_name("lfcr").expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown line ending 'lfcr' — use none, lf, cr or crlf"
        );
    }
}
