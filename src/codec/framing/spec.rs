//! The framing spec: which rule cuts a stream into messages, its command-line form
//! (`line`, `len:4:be`, …) and the parser that reads it.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use thiserror::Error;

use super::error::show_size;

/// The forms [`Framing::parse`] accepts, repeated in every parse error so a
/// student sees the fix next to the mistake.
const SPEC_FORMS: &str = "per-read, line, crlf, delim:HEX (e.g. delim:0D0A or delim:7E), fixed:N, \
     len:W[:be|le][:incl] (W = 1, 2, 4 or 8, e.g. len:4:be or len:2:le:incl), json-header[:be|le], \
     gap:MS (a silence of MS milliseconds ends a message, e.g. gap:20)";

/// The longest silence `gap:MS` accepts, in milliseconds: a minute.
pub const MAX_GAP_MS: u32 = 60_000;

/// How a byte stream is cut into messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framing {
    /// No reassembly: each read is one record (shows where each recv ended).
    PerRead,
    /// Messages end with this delimiter (e.g. `b"\n"`, `b"\r\n"`, or any
    /// bytes); the delimiter is kept off the message. It must not be empty.
    Delimiter(Vec<u8>),
    /// Every message is exactly this many bytes (at least 1).
    FixedLength(usize),
    /// A length prefix of `width` bytes (1, 2, 4 or 8), big or little
    /// endian; `includes_header` says whether the length counts the prefix
    /// itself.
    LengthPrefix {
        /// Size of the length field in bytes.
        width: u8,
        /// Network byte order (`true`) or x86 order (`false`).
        big_endian: bool,
        /// Whether the announced length counts the prefix too.
        includes_header: bool,
    },
    /// A 4-byte header length, then a JSON header of that many bytes holding
    /// `data_size`, then `data_size` bytes of body.
    ///
    /// This is the classic Python-course protocol built with
    /// `struct.pack('i', len(header))`; `'i'` uses the machine's byte order,
    /// which is little endian on x86, while `'!i'`/`'>i'` is big endian.
    /// [`Framing::parse`] therefore reads `json-header` as little endian.
    JsonHeader {
        /// Byte order of the 4-byte header length.
        big_endian: bool,
    },
    /// A silence of at least `ms` milliseconds between two reads ends a message: the usual
    /// way to cut Modbus RTU and other serial protocols that have no delimiter or length
    /// (their frames are sent in one go, with a pause between them). It goes by when the
    /// bytes arrived, so it needs the reads' times ([`super::Deframer::cut_at`]); bytes that
    /// arrive in one read always stay in one message.
    Gap {
        /// The silence, 1 to [`MAX_GAP_MS`] milliseconds.
        ms: u32,
    },
}

impl Framing {
    /// Parses the command-line form: `per-read`, `line` (= delimiter `\n`),
    /// `crlf` (= `\r\n`), `delim:HEX` (e.g. `delim:0D0A` or `delim:7E`),
    /// `fixed:N`, `len:W[:be|le][:incl]` (e.g. `len:4:be`, `len:2:le:incl`;
    /// default big endian, length excluding the prefix) and
    /// `json-header[:be|le]` (default little endian: what the lesson's
    /// `struct.pack("i", …)` writes on a PC).
    ///
    /// Case and surrounding spaces are ignored; `lf` is accepted for `line`.
    pub fn parse(spec: &str) -> Result<Framing, FramingSpecError> {
        let lower = spec.trim().to_ascii_lowercase();
        let (kind, rest) = match lower.split_once(':') {
            Some((kind, rest)) => (kind, Some(rest)),
            None => (lower.as_str(), None),
        };
        match (kind, rest) {
            ("per-read" | "perread" | "raw", None) => Ok(Framing::PerRead),
            ("line" | "lf", None) => Ok(Framing::Delimiter(b"\n".to_vec())),
            ("crlf", None) => Ok(Framing::Delimiter(b"\r\n".to_vec())),
            ("delim", Some(hex)) => parse_delimiter(hex),
            ("fixed", Some(n)) => parse_fixed(n),
            ("len", Some(options)) => parse_length_prefix(options),
            ("json-header" | "json", options) => parse_json_header(options),
            ("gap", Some(ms)) => parse_gap(ms),
            ("delim" | "fixed" | "len" | "gap", None) => Err(FramingSpecError::NeedsValue {
                spec: spec.trim().to_owned(),
            }),
            _ => Err(FramingSpecError::Unknown {
                spec: spec.trim().to_owned(),
            }),
        }
    }

    /// The command-line form of this framing; [`Framing::parse`] turns it
    /// back into an equal value.
    ///
    /// Byte order is always written out (`len:4:be`, `json-header:be`) so the
    /// choice is visible in logs and saved settings.
    pub fn spec(&self) -> String {
        match self {
            Framing::PerRead => "per-read".to_owned(),
            Framing::Delimiter(d) if d == b"\n" => "line".to_owned(),
            Framing::Delimiter(d) if d == b"\r\n" => "crlf".to_owned(),
            Framing::Delimiter(d) => {
                let mut out = String::from("delim:");
                for byte in d {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "{byte:02X}");
                }
                out
            }
            Framing::FixedLength(n) => format!("fixed:{n}"),
            Framing::LengthPrefix {
                width,
                big_endian,
                includes_header,
            } => format!(
                "len:{width}:{}{}",
                order_name(*big_endian),
                if *includes_header { ":incl" } else { "" }
            ),
            Framing::JsonHeader { big_endian } => {
                format!("json-header:{}", order_name(*big_endian))
            }
            Framing::Gap { ms } => format!("gap:{ms}"),
        }
    }

    /// Why this framing cannot cut a stream, if it cannot (e.g. an empty
    /// delimiter would match everywhere).
    pub(super) fn problem(&self, max_frame: usize) -> Option<String> {
        match self {
            Framing::Delimiter(d) if d.is_empty() => Some("the delimiter is empty".to_owned()),
            Framing::FixedLength(0) => {
                Some("a fixed length of 0 would cut endless empty messages".to_owned())
            }
            Framing::FixedLength(n) if *n > max_frame => Some(format!(
                "a fixed length of {n} bytes is more than the {} limit",
                show_size(max_frame)
            )),
            Framing::LengthPrefix { width, .. } if !matches!(width, 1 | 2 | 4 | 8) => Some(
                format!("a length prefix of {width} bytes — use 1, 2, 4 or 8"),
            ),
            Framing::Gap { ms: 0 } => {
                Some("a silence of 0 ms would end a message after every read".to_owned())
            }
            Framing::Gap { ms } if *ms > MAX_GAP_MS => Some(format!(
                "a silence of {ms} ms is more than the {MAX_GAP_MS} ms limit"
            )),
            _ => None,
        }
    }
}

impl fmt::Display for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spec())
    }
}

impl FromStr for Framing {
    type Err = FramingSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Framing::parse(s)
    }
}

fn order_name(big_endian: bool) -> &'static str {
    if big_endian { "be" } else { "le" }
}

fn parse_delimiter(hex: &str) -> Result<Framing, FramingSpecError> {
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let digits = digits.strip_prefix(b"0x").unwrap_or(&digits);
    let bad = || FramingSpecError::BadDelimiter {
        hex: hex.to_owned(),
    };
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return Err(bad());
    }
    let mut bytes = Vec::with_capacity(digits.len() / 2);
    for pair in digits.chunks_exact(2) {
        let text = std::str::from_utf8(pair).map_err(|_| bad())?;
        bytes.push(u8::from_str_radix(text, 16).map_err(|_| bad())?);
    }
    Ok(Framing::Delimiter(bytes))
}

fn parse_fixed(n: &str) -> Result<Framing, FramingSpecError> {
    match n.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(Framing::FixedLength(n)),
        _ => Err(FramingSpecError::BadLength { n: n.to_owned() }),
    }
}

fn parse_length_prefix(options: &str) -> Result<Framing, FramingSpecError> {
    let mut parts = options.split(':').map(str::trim);
    let Some(Ok(width @ (1 | 2 | 4 | 8))) = parts.next().map(str::parse::<u8>) else {
        return Err(FramingSpecError::BadPrefixWidth {
            options: options.to_owned(),
        });
    };
    let mut big_endian = None;
    let mut includes_header = false;
    for part in parts {
        match part {
            "be" | "le" if big_endian.is_none() => big_endian = Some(part == "be"),
            "incl" if !includes_header => includes_header = true,
            _ => {
                return Err(FramingSpecError::BadPrefixOption {
                    options: options.to_owned(),
                    part: part.to_owned(),
                });
            }
        }
    }
    Ok(Framing::LengthPrefix {
        width,
        big_endian: big_endian.unwrap_or(true),
        includes_header,
    })
}

fn parse_json_header(options: Option<&str>) -> Result<Framing, FramingSpecError> {
    match options.map(str::trim) {
        Some("be") => Ok(Framing::JsonHeader { big_endian: true }),
        None | Some("le") => Ok(Framing::JsonHeader { big_endian: false }),
        Some(other) => Err(FramingSpecError::BadJsonOrder {
            order: other.to_owned(),
        }),
    }
}

fn parse_gap(ms: &str) -> Result<Framing, FramingSpecError> {
    let digits = ms.trim();
    let digits = digits.strip_suffix("ms").unwrap_or(digits).trim();
    match digits.parse::<u32>() {
        Ok(n @ 1..=MAX_GAP_MS) => Ok(Framing::Gap { ms: n }),
        _ => Err(FramingSpecError::BadGap { ms: ms.to_owned() }),
    }
}

/// A framing spec that [`Framing::parse`] could not read. The English message says what was
/// wrong and lists the accepted forms (the command line's words); the window words it from
/// the fields.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FramingSpecError {
    /// `delim`, `fixed` or `len` without its value.
    #[error("\"{spec}\" needs a value after a colon; framing is one of: {SPEC_FORMS}")]
    NeedsValue {
        /// The spec as given.
        spec: String,
    },
    /// Not a framing at all.
    #[error("\"{spec}\" is not a framing; framing is one of: {SPEC_FORMS}")]
    Unknown {
        /// The spec as given.
        spec: String,
    },
    /// `delim:` without hex byte pairs.
    #[error(
        "\"delim:{hex}\" needs the delimiter as hex byte pairs, e.g. delim:0D0A for \\r\\n; framing is one of: {SPEC_FORMS}"
    )]
    BadDelimiter {
        /// What followed `delim:`.
        hex: String,
    },
    /// `fixed:` without a length of at least 1.
    #[error(
        "\"fixed:{n}\" needs a message length of at least 1 byte, e.g. fixed:16; framing is one of: {SPEC_FORMS}"
    )]
    BadLength {
        /// What followed `fixed:`.
        n: String,
    },
    /// `len:` without a width of 1, 2, 4 or 8.
    #[error(
        "\"len:{options}\" needs the prefix width 1, 2, 4 or 8 first, e.g. len:4; framing is one of: {SPEC_FORMS}"
    )]
    BadPrefixWidth {
        /// What followed `len:`.
        options: String,
    },
    /// An option of `len:` that is not `be`, `le` or `incl` (or repeats one).
    #[error(
        "\"len:{options}\": \"{part}\" is not an option here — after the width give be or le once, then optionally incl; framing is one of: {SPEC_FORMS}"
    )]
    BadPrefixOption {
        /// What followed `len:`.
        options: String,
        /// The option that is wrong.
        part: String,
    },
    /// `json-header:` with a byte order other than `be` or `le`.
    #[error(
        "\"json-header:{order}\" — the byte order is be or le; framing is one of: {SPEC_FORMS}"
    )]
    BadJsonOrder {
        /// What followed `json-header:`.
        order: String,
    },
    /// `gap:` without a silence of 1 to 60000 milliseconds.
    #[error(
        "\"gap:{ms}\" needs the silence in milliseconds, 1 to 60000, e.g. gap:20 (at 9600 baud a Modbus RTU pause is about 4 ms); framing is one of: {SPEC_FORMS}"
    )]
    BadGap {
        /// What followed `gap:`.
        ms: String,
    },
}
