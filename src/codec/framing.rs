//! Message framing: cutting a TCP byte stream back into the peer's messages ("sticky packets").
//!
//! TCP delivers bytes, not messages: two `send`s can arrive in one `recv`
//! and one `send` can arrive split over several. A [`Framing`] names the rule
//! both sides agreed on to find message boundaries again, a [`Deframer`]
//! applies it to one peer's reads, and [`encode_frame`] builds a message in
//! that framing for sending.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use thiserror::Error;

/// Largest message a [`Deframer`] accepts unless told otherwise.
///
/// Large enough for anything typed or pasted in class, small enough that a
/// garbage length prefix cannot make the program reserve gigabytes.
pub const DEFAULT_MAX_FRAME: usize = 16 * 1024 * 1024;

/// Once the buffer is empty, capacity above this is handed back, so one huge
/// message does not pin its memory for the rest of the connection.
const KEEP_CAPACITY: usize = 64 * 1024;

/// The forms [`Framing::parse`] accepts, repeated in every parse error so a
/// student sees the fix next to the mistake.
const SPEC_FORMS: &str = "per-read, line, crlf, delim:HEX (e.g. delim:0D0A or delim:7E), fixed:N, \
     len:W[:be|le][:incl] (W = 1, 2, 4 or 8, e.g. len:4:be or len:2:le:incl), json-header[:be|le]";

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
            ("delim" | "fixed" | "len", None) => Err(FramingSpecError(format!(
                "\"{}\" needs a value after a colon",
                spec.trim()
            ))),
            _ => Err(FramingSpecError(format!(
                "\"{}\" is not a framing",
                spec.trim()
            ))),
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
        }
    }

    /// Why this framing cannot cut a stream, if it cannot (e.g. an empty
    /// delimiter would match everywhere).
    fn problem(&self, max_frame: usize) -> Option<String> {
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
    let bad = || {
        FramingSpecError(format!(
            "\"delim:{hex}\" needs the delimiter as hex byte pairs, e.g. delim:0D0A for \\r\\n"
        ))
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
        _ => Err(FramingSpecError(format!(
            "\"fixed:{n}\" needs a message length of at least 1 byte, e.g. fixed:16"
        ))),
    }
}

fn parse_length_prefix(options: &str) -> Result<Framing, FramingSpecError> {
    let mut parts = options.split(':').map(str::trim);
    let Some(Ok(width @ (1 | 2 | 4 | 8))) = parts.next().map(str::parse::<u8>) else {
        return Err(FramingSpecError(format!(
            "\"len:{options}\" needs the prefix width 1, 2, 4 or 8 first, e.g. len:4"
        )));
    };
    let mut big_endian = None;
    let mut includes_header = false;
    for part in parts {
        match part {
            "be" | "le" if big_endian.is_none() => big_endian = Some(part == "be"),
            "incl" if !includes_header => includes_header = true,
            _ => {
                return Err(FramingSpecError(format!(
                    "\"len:{options}\": \"{part}\" is not an option here — after the width \
                     give be or le once, then optionally incl"
                )));
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
        Some(other) => Err(FramingSpecError(format!(
            "\"json-header:{other}\" — the byte order is be or le"
        ))),
    }
}

/// A framing spec that [`Framing::parse`] could not read; the message says
/// what was wrong and lists the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}; framing is one of: {SPEC_FORMS}")]
pub struct FramingSpecError(String);

/// What [`Deframer::cut`] made of a read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cut {
    /// The messages the read completed, in order.
    pub frames: Vec<Frame>,
    /// Bytes the framing could not cut, to be shown as they came: the unfinished rest when
    /// the framing gave up, and every later read of the stream.
    pub raw: Option<Vec<u8>>,
    /// Why the framing gave up on this stream; reported once, by the read where it happened.
    pub gave_up: Option<GaveUp>,
}

/// Why a [`Deframer`] stopped cutting a stream, and the likely fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GaveUp {
    /// What did not fit the framing.
    pub error: FrameError,
    /// When the length prefix read in the other byte order gives a plausible length: that
    /// length and the framing that reads it so.
    pub other_order: Option<OtherOrder>,
}

/// A plausible reading of a length prefix in the other byte order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherOrder {
    /// The length the prefix announces when read in the other byte order.
    pub len: u64,
    /// The framing that reads it that way.
    pub framing: Framing,
}

impl OtherOrder {
    /// Whether this reading of the prefix is big endian.
    pub fn big_endian(&self) -> bool {
        matches!(
            self.framing,
            Framing::LengthPrefix {
                big_endian: true,
                ..
            } | Framing::JsonHeader { big_endian: true }
        )
    }
}

impl fmt::Display for GaveUp {
    /// One English sentence for the command line: the error, the likely fix, and that the
    /// rest of the stream is shown raw.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot cut messages: {}", self.error)?;
        if let Some(other) = &self.other_order {
            let order = if other.big_endian() { "big" } else { "little" };
            write!(
                f,
                "; read as {order} endian the prefix would be {} — switch byte order? ({})",
                other.len, other.framing
            )?;
        }
        f.write_str(
            "; the rest of this connection is shown raw until the framing changes or the peer reconnects",
        )
    }
}

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
    fn plain(body: Vec<u8>) -> Self {
        Self { header: None, body }
    }
}

/// Why a stream could not be cut into messages, or a message not built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameError {
    /// A length prefix (or the JSON-header length) announced more than the limit.
    #[error(
        "a length prefix announces {len} bytes, more than the {} limit — is the byte order (big/little endian) right, and the prefix width?",
        show_size(*max)
    )]
    TooLarge {
        /// The length the prefix announced.
        len: u64,
        /// The receiver's limit.
        max: usize,
    },
    /// A length that counts its own prefix was shorter than the prefix.
    #[error(
        "a length prefix says {len} bytes including its own {width}-byte prefix, which is shorter than the prefix itself — does the length really count the prefix (incl)?"
    )]
    LengthBelowHeader {
        /// The length the prefix announced.
        len: u64,
        /// The prefix width in bytes.
        width: u8,
    },
    /// More bytes than the limit arrived without a delimiter.
    #[error(
        "{len} bytes arrived without the delimiter, more than the {} limit — is the delimiter right (\\n vs \\r\\n), or is the peer sending binary data?",
        show_size(*max)
    )]
    NoDelimiter {
        /// How many bytes the unfinished message had reached.
        len: u64,
        /// The receiver's limit.
        max: usize,
    },
    /// A JSON header's `data_size` was more than the limit.
    #[error(
        "the JSON header announces data_size {len} bytes, more than the {} limit",
        show_size(*max)
    )]
    BodyTooLarge {
        /// The announced `data_size`.
        len: u64,
        /// The receiver's limit.
        max: usize,
    },
    /// The JSON header was not an object with a usable `data_size`.
    #[error("bad JSON header: {reason} — expected something like {{\"data_size\": 5}}")]
    BadJsonHeader {
        /// What exactly was wrong.
        reason: String,
    },
    /// A message to send with fixed-length framing had the wrong size.
    #[error(
        "fixed-length framing needs exactly {expected} bytes per message, but this one has {got} bytes"
    )]
    LengthMismatch {
        /// The framing's fixed length.
        expected: usize,
        /// The message's length.
        got: usize,
    },
    /// A message to send is longer than its length prefix can express.
    #[error(
        "a {len}-byte message does not fit a {width}-byte length prefix (at most {max} bytes) — use a wider prefix"
    )]
    BodyTooLong {
        /// The message length (plus prefix, when the length counts it).
        len: usize,
        /// The prefix width in bytes.
        width: u8,
        /// The largest message the prefix can announce.
        max: u64,
    },
    /// The framing itself cannot work (empty delimiter, fixed length 0, bad prefix width…).
    #[error("this framing cannot work: {reason}")]
    InvalidFraming {
        /// What is wrong with it.
        reason: String,
    },
}

/// Limits read better as "16 MiB" than as 16777216.
fn show_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes}-byte")
    }
}

/// The JSON header of a message whose body has not fully arrived yet, kept so
/// the header is parsed once rather than on every read of a large body.
#[derive(Debug, Clone)]
struct JsonPending {
    /// The header text, for [`Frame::header`].
    header: String,
    /// Bytes from the message start to the body: the 4-byte length plus the header.
    body_offset: usize,
    /// Bytes from the message start to its end; `data_size` was already
    /// checked against the limit.
    total: usize,
}

/// Cuts one peer's byte stream into messages; feed it reads in order.
///
/// A viewer should use [`cut`](Self::cut): after the first error it reports the reason once
/// (with the other byte order when that gives a plausible length) and passes the bytes on as
/// they came, so a wrong framing never hides data. [`push`](Self::push) and
/// [`feed`](Self::feed) instead drop what they cannot cut and try to get back in step:
///
/// # After an error (`push`, `feed`)
///
/// A [`FrameError`] means the stream no longer matches the framing (wrong
/// byte order, wrong delimiter, a peer speaking another protocol…), so there
/// is no trustworthy place to continue from. The deframer then discards
/// everything it holds, including the rest of the read that caused the error,
/// and starts afresh with the next [`push`](Self::push), treating its first
/// byte as the start of a message. If the peer was mid-message, the first
/// message after that may be garbage or a further error; after that it is in
/// step again.
///
/// Messages never get lost to an error in a later message of the same read:
/// if a read completes some messages and then hits an error, `push` returns
/// those messages and keeps the offending bytes, and the next `push` reports
/// the error (call `push(&[])` to get it at once, or use
/// [`feed`](Self::feed), which does both).
#[derive(Debug, Clone)]
pub struct Deframer {
    framing: Framing,
    max_frame: usize,
    /// Received bytes; everything before `start` is already handed out.
    buf: Vec<u8>,
    /// Where the next message begins in `buf`. Consumed bytes are dropped once
    /// per push rather than once per message, so a read holding many small
    /// messages does not shift the buffer many times.
    start: usize,
    /// Delimiter mode: no delimiter begins before this index in `buf`, so the
    /// next search starts here instead of rescanning a long partial message.
    scan_from: usize,
    /// JSON-header mode: the parsed header of the message being received.
    json: Option<JsonPending>,
    /// [`Deframer::cut`] gave up on this stream: every read is passed on raw.
    raw: bool,
}

impl Deframer {
    /// A deframer with the default limit of [`DEFAULT_MAX_FRAME`] (16 MiB) per message.
    pub fn new(framing: Framing) -> Self {
        Self::with_max_frame(framing, DEFAULT_MAX_FRAME)
    }

    /// A deframer that refuses messages longer than `max` bytes.
    ///
    /// The limit is what keeps a garbage length prefix (say `FF FF FF FF`)
    /// from reserving gigabytes: such a message is reported as an error as
    /// soon as its prefix arrives.
    pub fn with_max_frame(framing: Framing, max: usize) -> Self {
        Self {
            framing,
            max_frame: max,
            buf: Vec::new(),
            start: 0,
            scan_from: 0,
            json: None,
            raw: false,
        }
    }

    /// The framing this deframer applies.
    pub fn framing(&self) -> &Framing {
        &self.framing
    }

    /// The largest message accepted, in bytes.
    pub fn max_frame(&self) -> usize {
        self.max_frame
    }

    /// Feeds a read; returns the messages it completed, in order. A message
    /// split across reads comes out whole once complete; several messages in
    /// one read come out separately.
    ///
    /// With [`Framing::PerRead`] a non-empty read is returned as one message
    /// and an empty one as none. See the type's documentation for what
    /// happens after an error.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<Frame>, FrameError> {
        if self.framing == Framing::PerRead {
            return Ok(if bytes.is_empty() {
                Vec::new()
            } else {
                vec![Frame::plain(bytes.to_vec())]
            });
        }
        if let Some(reason) = self.framing.problem(self.max_frame) {
            self.reset();
            return Err(FrameError::InvalidFraming { reason });
        }
        self.buf.extend_from_slice(bytes);
        let mut frames = Vec::new();
        let result = self.cut_buffered(&mut frames);
        match result {
            Err(error) if frames.is_empty() => {
                self.reset();
                Err(error)
            }
            // Either all went well, or the error is deferred: the offending
            // bytes stay at the front, so the next push finds it again.
            _ => {
                self.compact();
                Ok(frames)
            }
        }
    }

    /// Cuts what is buffered into `frames`; on an error the offending bytes
    /// stay at the front of the buffer.
    fn cut_buffered(&mut self, frames: &mut Vec<Frame>) -> Result<(), FrameError> {
        // Borrowed out for the duration of the cut (the cutters need `&mut
        // self`), so the delimiter is not cloned on every read.
        let framing = std::mem::replace(&mut self.framing, Framing::PerRead);
        let result = match &framing {
            Framing::PerRead => Ok(()),
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
        };
        self.framing = framing;
        result
    }

    /// Cuts a read for display, never hiding data: messages while the
    /// stream fits the framing; at the first error the reason (with the
    /// likely fix) once, and the unfinished bytes raw; from then on every
    /// read raw, until [`finish`](Self::finish) or a new deframer (the
    /// framing changed, or the peer reconnected).
    ///
    /// Unlike [`push`](Self::push), which drops what it cannot cut and tries
    /// to get back in step, this suits a viewer: a wrong framing (say, big
    /// endian for a little-endian prefix) would otherwise fail on every read
    /// and show nothing.
    pub fn cut(&mut self, bytes: &[u8]) -> Cut {
        let raw_bytes = || (!bytes.is_empty()).then(|| bytes.to_vec());
        if self.raw {
            return Cut {
                raw: raw_bytes(),
                ..Cut::default()
            };
        }
        if self.framing == Framing::PerRead {
            return Cut {
                frames: raw_bytes().map(Frame::plain).into_iter().collect(),
                ..Cut::default()
            };
        }
        if let Some(reason) = self.framing.problem(self.max_frame) {
            self.reset();
            self.raw = true;
            return Cut {
                frames: Vec::new(),
                raw: raw_bytes(),
                gave_up: Some(GaveUp {
                    error: FrameError::InvalidFraming { reason },
                    other_order: None,
                }),
            };
        }
        self.buf.extend_from_slice(bytes);
        let mut frames = Vec::new();
        match self.cut_buffered(&mut frames) {
            Ok(()) => {
                self.compact();
                Cut {
                    frames,
                    ..Cut::default()
                }
            }
            Err(error) => {
                let rest = self.pending_bytes().to_vec();
                let other_order = self.other_order(&error, &rest);
                self.reset();
                self.raw = true;
                Cut {
                    frames,
                    raw: (!rest.is_empty()).then_some(rest),
                    gave_up: Some(GaveUp { error, other_order }),
                }
            }
        }
    }

    /// True once [`cut`](Self::cut) gave up on this stream and passes reads on raw.
    pub fn gave_up(&self) -> bool {
        self.raw
    }

    /// For a length prefix that announced too much: the length in the other
    /// byte order, if that is a plausible message length.
    fn other_order(&self, error: &FrameError, rest: &[u8]) -> Option<OtherOrder> {
        let FrameError::TooLarge { len, .. } = error else {
            return None;
        };
        let (width, big_endian, includes_header) = match self.framing {
            Framing::LengthPrefix {
                width,
                big_endian,
                includes_header,
            } => (width, big_endian, includes_header),
            Framing::JsonHeader { big_endian } => (4, big_endian, false),
            _ => return None,
        };
        let other = read_uint(rest, 0, usize::from(width), !big_endian)?;
        let body = if includes_header {
            other.checked_sub(u64::from(width))?
        } else {
            other
        };
        let fits = usize::try_from(body).is_ok_and(|n| n <= self.max_frame);
        if other == 0 || other >= *len || !fits {
            return None;
        }
        let framing = match self.framing {
            Framing::JsonHeader { big_endian } => Framing::JsonHeader {
                big_endian: !big_endian,
            },
            _ => Framing::LengthPrefix {
                width,
                big_endian: !big_endian,
                includes_header,
            },
        };
        Some(OtherOrder {
            len: other,
            framing,
        })
    }

    /// Like [`push`](Self::push), but reports the messages completed before
    /// an error together with the error, instead of the error on the next push.
    pub fn feed(&mut self, bytes: &[u8]) -> (Vec<Frame>, Option<FrameError>) {
        match self.push(bytes) {
            Ok(frames) if frames.is_empty() => (frames, None),
            // push has cut every complete message, so pushing nothing more can
            // only surface a deferred error.
            Ok(frames) => match self.push(&[]) {
                Ok(_) => (frames, None),
                Err(error) => (frames, Some(error)),
            },
            Err(error) => (Vec::new(), Some(error)),
        }
    }

    /// Bytes held waiting for the rest of a message.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.start
    }

    /// At end of stream: what is left (an incomplete message, including any
    /// prefix or header already received), if anything. The deframer is then
    /// empty and ready for a new stream.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        let rest = self.buf.get(self.start..).map(<[u8]>::to_vec);
        self.reset();
        self.raw = false;
        rest.filter(|rest| !rest.is_empty())
    }

    /// The bytes not yet handed out.
    fn pending_bytes(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// Forgets everything buffered, as after an error or at end of stream.
    fn reset(&mut self) {
        self.buf.clear();
        self.start = 0;
        self.scan_from = 0;
        self.json = None;
        self.release_memory();
    }

    /// Drops the bytes already handed out.
    fn compact(&mut self) {
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

    fn take_frame(&mut self, body_start: usize, body_end: usize, next: usize) -> Vec<u8> {
        let body = self
            .buf
            .get(body_start..body_end)
            .unwrap_or_default()
            .to_vec();
        self.start = next;
        body
    }

    fn cut_delimited(
        &mut self,
        delimiter: &[u8],
        frames: &mut Vec<Frame>,
    ) -> Result<(), FrameError> {
        loop {
            let from = self.scan_from.max(self.start);
            let haystack = self.buf.get(from..).unwrap_or_default();
            let Some(found) = find(haystack, delimiter) else {
                // A delimiter may be arriving split across reads, so the last
                // `len - 1` bytes are searched again next time.
                self.scan_from = self
                    .buf
                    .len()
                    .saturating_sub(delimiter.len() - 1)
                    .max(self.start);
                // A delimiter's beginning at the end may yet complete, so
                // only the bytes before it surely belong to the message.
                let pending = self.pending_bytes();
                let len = pending.len() - partial_suffix(pending, delimiter);
                if len > self.max_frame {
                    return Err(FrameError::NoDelimiter {
                        len: len as u64,
                        max: self.max_frame,
                    });
                }
                return Ok(());
            };
            let end = from + found;
            let len = end - self.start;
            if len > self.max_frame {
                return Err(FrameError::NoDelimiter {
                    len: len as u64,
                    max: self.max_frame,
                });
            }
            let next = end + delimiter.len();
            let body = self.take_frame(self.start, end, next);
            self.scan_from = next;
            frames.push(Frame::plain(body));
        }
    }

    fn cut_fixed(&mut self, n: usize, frames: &mut Vec<Frame>) {
        while self.pending() >= n {
            let end = self.start + n;
            let body = self.take_frame(self.start, end, end);
            frames.push(Frame::plain(body));
        }
    }

    fn cut_length_prefixed(
        &mut self,
        width: u8,
        big_endian: bool,
        includes_header: bool,
        frames: &mut Vec<Frame>,
    ) -> Result<(), FrameError> {
        let header_len = usize::from(width);
        loop {
            let Some(len) = read_uint(&self.buf, self.start, header_len, big_endian) else {
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
            if self.pending() < total {
                return Ok(());
            }
            let body_start = self.start + header_len;
            let end = self.start + total;
            let body = self.take_frame(body_start, end, end);
            frames.push(Frame::plain(body));
        }
    }

    fn cut_json(&mut self, big_endian: bool, frames: &mut Vec<Frame>) -> Result<(), FrameError> {
        loop {
            if self.json.is_none() {
                let Some(header_len) = read_uint(&self.buf, self.start, 4, big_endian) else {
                    return Ok(());
                };
                let too_large = FrameError::TooLarge {
                    len: header_len,
                    max: self.max_frame,
                };
                let body_offset = usize::try_from(header_len)
                    .ok()
                    .filter(|&n| n <= self.max_frame)
                    .and_then(|n| n.checked_add(4))
                    .ok_or(too_large)?;
                let Some(header) = self.pending_bytes().get(4..body_offset) else {
                    return Ok(());
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
                self.json = Some(JsonPending {
                    header,
                    body_offset,
                    total,
                });
            }
            let Some(pending) = &self.json else {
                return Ok(());
            };
            if self.pending() < pending.total {
                return Ok(());
            }
            let body_start = self.start + pending.body_offset;
            let end = self.start + pending.total;
            let header = self.json.take().map(|p| p.header);
            let body = self.take_frame(body_start, end, end);
            frames.push(Frame { header, body });
        }
    }
}

/// Reads an unsigned integer of `width` bytes at `at`, or `None` if not all
/// of it has arrived.
fn read_uint(buf: &[u8], at: usize, width: usize, big_endian: bool) -> Option<u64> {
    let bytes = buf.get(at..at.checked_add(width)?)?;
    let fold = |acc: u64, &b: &u8| (acc << 8) | u64::from(b);
    Some(if big_endian {
        bytes.iter().fold(0, fold)
    } else {
        bytes.iter().rev().fold(0, fold)
    })
}

/// Validates a received JSON header; returns its text and `data_size`.
fn parse_json_header_text(raw: &[u8]) -> Result<(String, u64), FrameError> {
    let bad = |reason: String| FrameError::BadJsonHeader { reason };
    if raw.is_empty() {
        return Err(bad(
            "the header length is 0, so there is no header".to_owned()
        ));
    }
    let text = std::str::from_utf8(raw)
        .map_err(|_| bad(format!("the {}-byte header is not UTF-8 text", raw.len())))?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| bad(format!("the header is not valid JSON ({e})")))?;
    let object = value
        .as_object()
        .ok_or_else(|| bad("the header is JSON but not an object {…}".to_owned()))?;
    let data_size = object
        .get("data_size")
        .ok_or_else(|| bad("the header has no \"data_size\" field".to_owned()))?;
    let data_size = data_size.as_u64().ok_or_else(|| {
        bad(format!(
            "\"data_size\" is {data_size}, not a non-negative whole number"
        ))
    })?;
    Ok((text.to_owned(), data_size))
}

/// The length of the longest end of `bytes` that is a proper beginning of
/// `delimiter` (a delimiter still arriving).
fn partial_suffix(bytes: &[u8], delimiter: &[u8]) -> usize {
    (1..delimiter.len().min(bytes.len() + 1))
        .rev()
        .find(|&n| bytes.ends_with(delimiter.get(..n).unwrap_or_default()))
        .unwrap_or(0)
}

/// Where `needle` first occurs in `haystack`. Delimiters are a few bytes, so
/// checking each occurrence of the first byte is fast enough.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = 0;
    while let Some(offset) = haystack.get(at..)?.iter().position(|&b| b == first) {
        let candidate = at + offset;
        let tail_start = candidate + 1;
        match haystack.get(tail_start..tail_start + rest.len()) {
            Some(tail) if tail == rest => return Some(candidate),
            Some(_) => at = candidate + 1,
            None => return None,
        }
    }
    None
}

/// Builds a message to send in a framing (adds the prefix, delimiter or JSON
/// header). [`Framing::PerRead`] returns the payload as is;
/// [`Framing::FixedLength`] errors if the length differs.
///
/// With [`Framing::Delimiter`] the body is not checked for the delimiter: a
/// body containing it is received as several messages, which is what typing
/// several lines in line mode should do.
pub fn encode_frame(framing: &Framing, body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if let Some(reason) = framing.problem(usize::MAX) {
        return Err(FrameError::InvalidFraming { reason });
    }
    match framing {
        Framing::PerRead => Ok(body.to_vec()),
        Framing::Delimiter(delimiter) => {
            let mut out = Vec::with_capacity(body.len() + delimiter.len());
            out.extend_from_slice(body);
            out.extend_from_slice(delimiter);
            Ok(out)
        }
        Framing::FixedLength(n) if body.len() == *n => Ok(body.to_vec()),
        Framing::FixedLength(n) => Err(FrameError::LengthMismatch {
            expected: *n,
            got: body.len(),
        }),
        Framing::LengthPrefix {
            width,
            big_endian,
            includes_header,
        } => {
            let header_len = usize::from(*width);
            let limit = u64::MAX >> (64 - 8 * u32::from(*width));
            let announced = if *includes_header {
                body.len().checked_add(header_len)
            } else {
                Some(body.len())
            };
            let too_long = FrameError::BodyTooLong {
                len: announced.unwrap_or(usize::MAX),
                width: *width,
                max: limit,
            };
            let announced = announced
                .and_then(|n| u64::try_from(n).ok())
                .filter(|&n| n <= limit)
                .ok_or(too_long)?;
            let mut out = Vec::with_capacity(header_len + body.len());
            push_uint(&mut out, announced, header_len, *big_endian);
            out.extend_from_slice(body);
            Ok(out)
        }
        Framing::JsonHeader { big_endian } => {
            let header = format!("{{\"data_size\":{}}}", body.len());
            let mut out = Vec::with_capacity(4 + header.len() + body.len());
            // The header is a few dozen bytes, far below the 4-byte limit.
            push_uint(&mut out, header.len() as u64, 4, *big_endian);
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(body);
            Ok(out)
        }
    }
}

/// Appends the low `width` bytes of `value` in the given byte order.
fn push_uint(out: &mut Vec<u8>, value: u64, width: usize, big_endian: bool) {
    let bytes = value.to_be_bytes();
    let low = bytes
        .get(bytes.len().saturating_sub(width)..)
        .unwrap_or_default();
    if big_endian {
        out.extend_from_slice(low);
    } else {
        out.extend(low.iter().rev());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be(width: u8) -> Framing {
        Framing::LengthPrefix {
            width,
            big_endian: true,
            includes_header: false,
        }
    }

    fn le(width: u8) -> Framing {
        Framing::LengthPrefix {
            width,
            big_endian: false,
            includes_header: false,
        }
    }

    fn incl(width: u8, big_endian: bool) -> Framing {
        Framing::LengthPrefix {
            width,
            big_endian,
            includes_header: true,
        }
    }

    /// Every reassembling mode, with the tricky cases: multi-byte and
    /// self-overlapping delimiters, every prefix width and both byte orders.
    fn reassembling_modes() -> Vec<Framing> {
        let mut modes = vec![
            Framing::Delimiter(b"\n".to_vec()),
            Framing::Delimiter(b"\r\n".to_vec()),
            Framing::Delimiter(vec![0x7E]),
            Framing::Delimiter(b"\r\n\r\n".to_vec()),
            Framing::Delimiter(b"<END>".to_vec()),
            Framing::FixedLength(5),
            Framing::JsonHeader { big_endian: true },
            Framing::JsonHeader { big_endian: false },
        ];
        for width in [1, 2, 4, 8] {
            modes.extend([be(width), le(width), incl(width, true), incl(width, false)]);
        }
        modes
    }

    /// Two bodies of the same length so fixed-length framing can use them too.
    const FIRST: &[u8] = b"hello";
    const SECOND: &[u8] = b"w\r\nld";

    fn wire(framing: &Framing, bodies: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for body in bodies {
            out.extend(encode_frame(framing, body).unwrap());
        }
        out
    }

    fn bodies(frames: &[Frame]) -> Vec<Vec<u8>> {
        frames.iter().map(|f| f.body.clone()).collect()
    }

    fn push_all(deframer: &mut Deframer, chunks: &[&[u8]]) -> Vec<Frame> {
        let mut frames = Vec::new();
        for chunk in chunks {
            frames.extend(deframer.push(chunk).unwrap());
        }
        frames
    }

    /// `SECOND` holds `\r\n`, which is the delimiter in crlf mode.
    fn second_for(framing: &Framing) -> &'static [u8] {
        match framing {
            Framing::Delimiter(d) if SECOND.windows(d.len()).any(|w| w == d.as_slice()) => b"world",
            _ => SECOND,
        }
    }

    #[test]
    fn glued_messages_come_out_separately() {
        for framing in reassembling_modes() {
            let second = second_for(&framing);
            let mut deframer = Deframer::new(framing.clone());
            let frames = deframer.push(&wire(&framing, &[FIRST, second])).unwrap();
            assert_eq!(bodies(&frames), [FIRST, second], "{framing}");
            assert_eq!(deframer.pending(), 0, "{framing}");
            assert_eq!(deframer.finish(), None, "{framing}");
        }
    }

    #[test]
    fn split_message_comes_out_whole_at_every_split_point() {
        for framing in reassembling_modes() {
            let bytes = wire(&framing, &[FIRST]);
            for split in 0..=bytes.len() {
                let mut deframer = Deframer::new(framing.clone());
                let first = deframer.push(&bytes[..split]).unwrap();
                assert!(
                    first.is_empty() || split == bytes.len(),
                    "{framing} split {split}"
                );
                assert_eq!(
                    deframer.pending(),
                    split % bytes.len(),
                    "{framing} split {split}"
                );
                let second = deframer.push(&bytes[split..]).unwrap();
                let all: Vec<Frame> = first.into_iter().chain(second).collect();
                assert_eq!(bodies(&all), [FIRST], "{framing} split {split}");
                assert_eq!(deframer.pending(), 0);
            }
        }
    }

    #[test]
    fn two_glued_messages_split_at_every_point() {
        for framing in reassembling_modes() {
            let second = second_for(&framing);
            let bytes = wire(&framing, &[FIRST, second]);
            for split in 0..=bytes.len() {
                let mut deframer = Deframer::new(framing.clone());
                let frames = push_all(&mut deframer, &[&bytes[..split], &bytes[split..]]);
                assert_eq!(bodies(&frames), [FIRST, second], "{framing} split {split}");
            }
        }
    }

    #[test]
    fn byte_at_a_time_equals_one_shot() {
        for framing in reassembling_modes() {
            let second = second_for(&framing);
            let bytes = wire(&framing, &[FIRST, second, FIRST]);
            let one_shot = Deframer::new(framing.clone()).push(&bytes).unwrap();
            let mut deframer = Deframer::new(framing.clone());
            let chunks: Vec<&[u8]> = bytes.chunks(1).collect();
            assert_eq!(push_all(&mut deframer, &chunks), one_shot, "{framing}");
            assert_eq!(one_shot.len(), 3, "{framing}");
        }
    }

    #[test]
    fn random_chunking_equals_one_shot() {
        // A tiny LCG keeps the test deterministic without a dependency.
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move |bound: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % bound
        };
        for framing in reassembling_modes() {
            let second = second_for(&framing);
            let messages: Vec<&[u8]> = (0..40)
                .map(|i| if i % 3 == 0 { second } else { FIRST })
                .collect();
            let bytes = wire(&framing, &messages);
            for _ in 0..20 {
                let mut deframer = Deframer::new(framing.clone());
                let mut frames = Vec::new();
                let mut rest = bytes.as_slice();
                while !rest.is_empty() {
                    let (chunk, tail) = rest.split_at((next(12) + 1).min(rest.len()));
                    frames.extend(deframer.push(chunk).unwrap());
                    rest = tail;
                }
                assert_eq!(bodies(&frames), messages, "{framing}");
            }
        }
    }

    #[test]
    fn encode_then_push_round_trips() {
        for framing in reassembling_modes() {
            let body: &[u8] = if framing == Framing::FixedLength(5) {
                b"\x00\xFF\x01ab"
            } else {
                b"\x00\xFF\x01 any bytes \xE4\xB8\xAD"
            };
            let mut deframer = Deframer::new(framing.clone());
            let frames = deframer
                .push(&encode_frame(&framing, body).unwrap())
                .unwrap();
            assert_eq!(bodies(&frames), [body], "{framing}");
        }
    }

    #[test]
    fn empty_messages_round_trip() {
        for framing in reassembling_modes() {
            if let Framing::FixedLength(_) = framing {
                continue;
            }
            let bytes = wire(&framing, &[b"", FIRST, b""]);
            let frames = Deframer::new(framing.clone()).push(&bytes).unwrap();
            assert_eq!(bodies(&frames), [b"" as &[u8], FIRST, b""], "{framing}");
        }
    }

    #[test]
    fn per_read_keeps_each_read_as_one_record() {
        let framing = Framing::PerRead;
        // (a) glued: that is exactly the sticky packet this mode shows.
        let glued = wire(&framing, &[FIRST, SECOND]);
        let mut deframer = Deframer::new(framing.clone());
        let frames = deframer.push(&glued).unwrap();
        assert_eq!(bodies(&frames), [[FIRST, SECOND].concat()]);
        // (b) split: one record per read, at every split point.
        for split in 1..FIRST.len() {
            let frames = push_all(&mut deframer, &[&FIRST[..split], &FIRST[split..]]);
            assert_eq!(bodies(&frames), [&FIRST[..split], &FIRST[split..]]);
        }
        // (c) byte at a time: same bytes, one record each.
        let frames = push_all(&mut deframer, &FIRST.chunks(1).collect::<Vec<_>>());
        assert_eq!(frames.len(), FIRST.len());
        assert_eq!(bodies(&frames).concat(), FIRST);
        // (d) encode is the identity.
        assert_eq!(encode_frame(&framing, FIRST).unwrap(), FIRST);
        assert!(deframer.push(b"").unwrap().is_empty());
        assert_eq!(deframer.pending(), 0);
        assert_eq!(deframer.finish(), None);
    }

    #[test]
    fn delimiter_split_across_reads() {
        let mut deframer = Deframer::new(Framing::Delimiter(b"\r\n".to_vec()));
        assert!(deframer.push(b"abc\r").unwrap().is_empty());
        assert_eq!(deframer.pending(), 4);
        let frames = deframer.push(b"\ndef\r").unwrap();
        assert_eq!(bodies(&frames), [b"abc"]);
        let frames = deframer.push(b"\n").unwrap();
        assert_eq!(bodies(&frames), [b"def"]);
        // A lone \r is part of the message, not half a delimiter.
        let frames = deframer.push(b"a\rb\r\r\n").unwrap();
        assert_eq!(bodies(&frames), [b"a\rb\r"]);
    }

    #[test]
    fn overlapping_delimiter_split_across_reads() {
        let framing = Framing::Delimiter(b"\r\n\r\n".to_vec());
        let mut deframer = Deframer::new(framing);
        let frames = push_all(&mut deframer, &[b"x\r\n", b"\r", b"\r\n\r", b"\n"]);
        assert_eq!(bodies(&frames), [b"x\r\n\r"]);
    }

    #[test]
    fn partial_delimiter_at_the_end_is_measured_exactly() {
        assert_eq!(partial_suffix(b"abc", b"\r\n"), 0);
        assert_eq!(partial_suffix(b"abc\r", b"\r\n"), 1);
        assert_eq!(partial_suffix(b"x\r\n\r", b"\r\n\r\n"), 3);
        assert_eq!(partial_suffix(b"\r\n", b"\r\n\r\n"), 2);
        assert_eq!(partial_suffix(b"", b"\r\n"), 0);
        assert_eq!(partial_suffix(b"abc\n", b"\n"), 0);
    }

    #[test]
    fn consecutive_delimiters_give_empty_messages() {
        let mut deframer = Deframer::new(Framing::Delimiter(b"\n".to_vec()));
        let frames = deframer.push(b"a\n\n\nb\n").unwrap();
        assert_eq!(bodies(&frames), [b"a" as &[u8], b"", b"", b"b"]);
        let mut deframer = Deframer::new(Framing::Delimiter(b"\r\n".to_vec()));
        let frames = push_all(&mut deframer, &[b"\r\n\r", b"\n"]);
        assert_eq!(bodies(&frames), [b"", b""]);
    }

    #[test]
    fn delimiter_search_resumes_where_it_stopped() {
        let mut deframer = Deframer::new(Framing::Delimiter(b"<END>".to_vec()));
        deframer.push(&[b'x'; 1000]).unwrap();
        // Only the last 4 bytes could still begin the delimiter.
        assert_eq!(deframer.scan_from, 996);
        deframer.push(b"<EN").unwrap();
        assert_eq!(deframer.scan_from, 999);
        let frames = deframer.push(b"D>tail").unwrap();
        assert_eq!(frames[0].body.len(), 1000);
        assert_eq!(deframer.pending(), 4);
        assert_eq!(deframer.scan_from, 0);
    }

    #[test]
    fn large_message_in_small_reads_is_not_quadratic() {
        // Rescanning or reshifting the whole buffer per read would make this
        // 2 MiB in 1 KiB reads take seconds instead of milliseconds.
        let body = vec![b'x'; 2 * 1024 * 1024];
        for framing in [
            Framing::Delimiter(b"\r\n".to_vec()),
            be(4),
            Framing::JsonHeader { big_endian: true },
        ] {
            let bytes = wire(&framing, &[&body, b"next"]);
            let mut deframer = Deframer::new(framing.clone());
            let started = std::time::Instant::now();
            let frames = push_all(&mut deframer, &bytes.chunks(1024).collect::<Vec<_>>());
            assert!(started.elapsed().as_secs() < 2, "{framing}");
            assert_eq!(frames.len(), 2, "{framing}");
            assert_eq!(frames[0].body.len(), body.len(), "{framing}");
        }
    }

    #[test]
    fn little_and_big_endian_prefixes() {
        assert_eq!(encode_frame(&be(2), b"abc").unwrap(), b"\x00\x03abc");
        assert_eq!(encode_frame(&le(2), b"abc").unwrap(), b"\x03\x00abc");
        assert_eq!(
            encode_frame(&be(4), b"abc").unwrap(),
            b"\x00\x00\x00\x03abc"
        );
        assert_eq!(
            encode_frame(&le(4), b"abc").unwrap(),
            b"\x03\x00\x00\x00abc"
        );
        assert_eq!(encode_frame(&le(8), b"a").unwrap(), b"\x01\0\0\0\0\0\0\0a");
        // 0x0100 = 256 big endian, but 1 little endian.
        let mut le_deframer = Deframer::new(le(2));
        assert_eq!(bodies(&le_deframer.push(b"\x01\x00Z").unwrap()), [b"Z"]);
        let mut be_deframer = Deframer::new(be(2));
        assert!(be_deframer.push(b"\x01\x00Z").unwrap().is_empty());
        assert_eq!(be_deframer.pending(), 3);
    }

    #[test]
    fn includes_header_counts_the_prefix() {
        assert_eq!(
            encode_frame(&incl(2, true), b"abc").unwrap(),
            b"\x00\x05abc"
        );
        assert_eq!(encode_frame(&incl(4, false), b"").unwrap(), b"\x04\0\0\0");
        let mut deframer = Deframer::new(incl(2, true));
        let frames = deframer.push(b"\x00\x05abc\x00\x02").unwrap();
        assert_eq!(bodies(&frames), [b"abc" as &[u8], b""]);
        // A length shorter than the prefix itself cannot be right.
        let error = deframer.push(b"\x00\x01").unwrap_err();
        assert_eq!(error, FrameError::LengthBelowHeader { len: 1, width: 2 });
        assert!(error.to_string().contains("incl"));
        assert_eq!(deframer.pending(), 0);
    }

    #[test]
    fn hostile_prefix_is_refused_at_once_then_recovers() {
        let mut deframer = Deframer::new(be(4));
        // The error comes from the prefix alone: no body is awaited, so
        // nothing near 4 GiB is ever reserved.
        let error = deframer.push(&[0xFF, 0xFF, 0xFF, 0xFF]).unwrap_err();
        assert_eq!(
            error,
            FrameError::TooLarge {
                len: 4_294_967_295,
                max: DEFAULT_MAX_FRAME
            }
        );
        let text = error.to_string();
        assert!(text.contains("4294967295 bytes"), "{text}");
        assert!(text.contains("16 MiB"), "{text}");
        assert!(text.contains("endian"), "{text}");
        assert_eq!(deframer.pending(), 0);
        assert!(deframer.buf.capacity() <= KEEP_CAPACITY);
        // Resynchronised: the next push starts a fresh message.
        let frames = deframer
            .push(&encode_frame(&be(4), b"ok").unwrap())
            .unwrap();
        assert_eq!(bodies(&frames), [b"ok"]);
    }

    #[test]
    fn hostile_eight_byte_prefix_with_no_limit_does_not_overflow() {
        let mut deframer = Deframer::with_max_frame(be(8), usize::MAX);
        let error = deframer.push(&[0xFF; 8]).unwrap_err();
        assert!(
            matches!(error, FrameError::TooLarge { len: u64::MAX, .. }),
            "{error}"
        );
        // Counting the prefix, the total just fits a usize: the deframer
        // waits (lazily, reserving nothing) instead of overflowing.
        let mut deframer = Deframer::with_max_frame(incl(8, true), usize::MAX);
        assert!(deframer.push(&[0xFF; 8]).unwrap().is_empty());
        assert_eq!(deframer.pending(), 8);
        let mut deframer =
            Deframer::with_max_frame(Framing::JsonHeader { big_endian: true }, usize::MAX);
        let header = format!("{{\"data_size\":{}}}", u64::MAX);
        let mut bytes = (header.len() as u32).to_be_bytes().to_vec();
        bytes.extend(header.as_bytes());
        assert_eq!(
            deframer.push(&bytes).unwrap_err(),
            FrameError::BodyTooLarge {
                len: u64::MAX,
                max: usize::MAX
            }
        );
    }

    #[test]
    fn limit_applies_to_every_mode() {
        let mut deframer = Deframer::with_max_frame(be(2), 10);
        assert_eq!(
            deframer.push(b"\x00\x0B").unwrap_err(),
            FrameError::TooLarge { len: 11, max: 10 }
        );
        let exactly = encode_frame(&be(2), &[7; 10]).unwrap();
        assert_eq!(deframer.push(&exactly).unwrap().len(), 1);

        let mut deframer = Deframer::with_max_frame(Framing::Delimiter(b"\r\n".to_vec()), 10);
        // 10 bytes plus half a delimiter is still fine...
        assert!(deframer.push(b"0123456789\r").unwrap().is_empty());
        assert_eq!(bodies(&deframer.push(b"\n").unwrap()), [b"0123456789"]);
        // ...11 bytes without a delimiter is not.
        let error = deframer.push(b"0123456789a").unwrap_err();
        assert_eq!(error, FrameError::NoDelimiter { len: 11, max: 10 });
        assert!(error.to_string().contains("10-byte limit"), "{error}");
        assert_eq!(deframer.pending(), 0);
        // A complete but too long line is refused as well.
        let mut deframer = Deframer::with_max_frame(Framing::Delimiter(b"\n".to_vec()), 3);
        assert!(deframer.push(b"abcd\n").is_err());
        assert_eq!(bodies(&deframer.push(b"abc\n").unwrap()), [b"abc"]);

        let mut deframer = Deframer::with_max_frame(Framing::FixedLength(11), 10);
        assert!(matches!(
            deframer.push(b"x"),
            Err(FrameError::InvalidFraming { .. })
        ));
    }

    #[test]
    fn error_after_good_messages_in_the_same_read_loses_nothing() {
        let mut bytes = encode_frame(&be(4), b"one").unwrap();
        bytes.extend(encode_frame(&be(4), b"two").unwrap());
        bytes.extend([0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3]);
        let mut deframer = Deframer::new(be(4));
        let frames = deframer.push(&bytes).unwrap();
        assert_eq!(bodies(&frames), [b"one", b"two"]);
        assert_eq!(deframer.pending(), 7);
        assert!(matches!(
            deframer.push(&[]),
            Err(FrameError::TooLarge { .. })
        ));
        assert_eq!(deframer.pending(), 0);
        let frames = deframer
            .push(&encode_frame(&be(4), b"three").unwrap())
            .unwrap();
        assert_eq!(bodies(&frames), [b"three"]);

        // feed reports both at once.
        let mut deframer = Deframer::new(be(4));
        let (frames, error) = deframer.feed(&bytes);
        assert_eq!(bodies(&frames), [b"one", b"two"]);
        assert!(matches!(error, Some(FrameError::TooLarge { .. })));
        assert_eq!(deframer.pending(), 0);
        let (frames, error) = deframer.feed(&encode_frame(&be(4), b"ok").unwrap());
        assert_eq!((bodies(&frames), error), (vec![b"ok".to_vec()], None));
        assert_eq!(deframer.feed(&[]), (Vec::new(), None));
    }

    fn json_message(header: &str, body: &[u8], big_endian: bool) -> Vec<u8> {
        let len = header.len() as u32;
        let mut out = if big_endian {
            len.to_be_bytes().to_vec()
        } else {
            len.to_le_bytes().to_vec()
        };
        out.extend(header.as_bytes());
        out.extend(body);
        out
    }

    #[test]
    fn json_header_encoding_matches_the_python_course() {
        let framing = Framing::JsonHeader { big_endian: false };
        let bytes = encode_frame(&framing, b"hi").unwrap();
        assert_eq!(bytes, b"\x0F\0\0\0{\"data_size\":2}hi");
        let frames = Deframer::new(framing).push(&bytes).unwrap();
        assert_eq!(frames[0].header.as_deref(), Some("{\"data_size\":2}"));
        let frames = Deframer::new(be(1)).push(b"\x01x").unwrap();
        assert_eq!(frames[0].header, None);
    }

    #[test]
    fn json_header_keeps_extra_fields() {
        let header = r#"{"filename": "a.txt", "data_size": 3, "md5": null}"#;
        let mut deframer = Deframer::new(Framing::JsonHeader { big_endian: true });
        let bytes = json_message(header, b"abc", true);
        let frames = push_all(&mut deframer, &[&bytes[..10], &bytes[10..]]);
        assert_eq!(
            frames,
            [Frame {
                header: Some(header.to_owned()),
                body: b"abc".to_vec()
            }]
        );
    }

    #[test]
    fn bad_json_headers_are_explained_then_recovered_from() {
        let cases: [(&[u8], &str); 7] = [
            (b"not json", "not valid JSON"),
            (b"[1, 2]", "not an object"),
            (br#"{"size": 3}"#, "no \"data_size\""),
            (br#"{"data_size": -1}"#, "-1"),
            (br#"{"data_size": 1.5}"#, "1.5"),
            (br#"{"data_size": "3"}"#, "non-negative"),
            (b"\xFF\xFE", "not UTF-8"),
        ];
        let framing = Framing::JsonHeader { big_endian: true };
        let mut deframer = Deframer::new(framing.clone());
        for (header, expected) in cases {
            let mut bytes = (header.len() as u32).to_be_bytes().to_vec();
            bytes.extend(header);
            let error = deframer.push(&bytes).unwrap_err();
            assert!(matches!(error, FrameError::BadJsonHeader { .. }), "{error}");
            assert!(error.to_string().contains(expected), "{error}");
            assert_eq!(deframer.pending(), 0);
            let frames = deframer
                .push(&encode_frame(&framing, b"ok").unwrap())
                .unwrap();
            assert_eq!(bodies(&frames), [b"ok"]);
        }
        let error = deframer.push(&[0, 0, 0, 0]).unwrap_err();
        assert!(error.to_string().contains("length is 0"), "{error}");
    }

    #[test]
    fn json_header_wrong_byte_order_is_too_large() {
        // A little-endian header length read as big endian: 15 becomes 251658240.
        let bytes = json_message("{\"data_size\":2}", b"hi", false);
        let mut deframer = Deframer::new(Framing::JsonHeader { big_endian: true });
        let error = deframer.push(&bytes).unwrap_err();
        assert_eq!(
            error,
            FrameError::TooLarge {
                len: 0x0F00_0000,
                max: DEFAULT_MAX_FRAME
            }
        );
        let mut deframer = Deframer::with_max_frame(Framing::JsonHeader { big_endian: false }, 100);
        let error = deframer
            .push(&json_message("{\"data_size\":101}", b"", false))
            .unwrap_err();
        assert_eq!(error, FrameError::BodyTooLarge { len: 101, max: 100 });
    }

    /// The lesson's server: `struct.pack("i", len(header))` on a PC, then
    /// the JSON header, then the body.
    fn lesson_answer(body: &[u8]) -> Vec<u8> {
        json_message(&format!("{{\"data_size\": {}}}", body.len()), body, false)
    }

    #[test]
    fn json_header_defaults_to_the_lessons_little_endian() {
        let framing = Framing::parse("json-header").unwrap();
        assert_eq!(framing, Framing::JsonHeader { big_endian: false });
        let mut deframer = Deframer::new(framing);
        let cut = deframer.cut(&lesson_answer(b"a.txt\nb.txt\n"));
        assert_eq!(bodies(&cut.frames), [b"a.txt\nb.txt\n"]);
        assert_eq!((cut.raw, cut.gave_up), (None, None));
    }

    #[test]
    fn wrong_byte_order_is_noted_once_then_shown_raw() {
        let first = lesson_answer(b"hello");
        let second = lesson_answer(b"world");
        let mut deframer = Deframer::new(Framing::JsonHeader { big_endian: true });
        let cut = deframer.cut(&first);
        assert!(cut.frames.is_empty());
        assert_eq!(
            cut.raw.as_deref(),
            Some(&first[..]),
            "the bytes are not hidden"
        );
        let gave_up = cut.gave_up.expect("a note");
        assert!(matches!(gave_up.error, FrameError::TooLarge { .. }));
        let header_len = u64::try_from(first.len() - 4 - 5).unwrap();
        assert_eq!(
            gave_up.other_order,
            Some(OtherOrder {
                len: header_len,
                framing: Framing::JsonHeader { big_endian: false }
            })
        );
        let text = gave_up.to_string();
        assert!(
            text.contains(&format!(
                "read as little endian the prefix would be {header_len}"
            )),
            "{text}"
        );
        assert!(text.contains("json-header:le"), "{text}");
        assert!(deframer.gave_up());
        // No second note: later reads pass through as they came.
        let cut = deframer.cut(&second);
        assert_eq!(cut.raw.as_deref(), Some(&second[..]));
        assert_eq!((cut.frames.len(), cut.gave_up), (0, None));
        assert_eq!(deframer.cut(&[]), Cut::default());
        // A new stream (the peer reconnected) is cut again.
        assert_eq!(deframer.finish(), None);
        assert!(!deframer.gave_up());
        assert!(deframer.cut(&first).gave_up.is_some());
    }

    #[test]
    fn length_prefix_in_the_other_order_is_suggested_when_plausible() {
        // 17 bytes announced little endian, read big endian: 0x11000000.
        let bytes = encode_frame(&le(4), &[b'x'; 17]).unwrap();
        let mut deframer = Deframer::new(be(4));
        let cut = deframer.cut(&bytes);
        let gave_up = cut.gave_up.unwrap();
        assert_eq!(
            gave_up.other_order,
            Some(OtherOrder {
                len: 17,
                framing: le(4)
            })
        );
        assert!(gave_up.to_string().contains("len:4:le"), "{gave_up}");
        assert_eq!(cut.raw.unwrap(), bytes);
        // The other way round, and with incl.
        let bytes = encode_frame(&incl(2, true), &[1; 300]).unwrap();
        let mut deframer = Deframer::with_max_frame(incl(2, false), 1000);
        let gave_up = deframer.cut(&bytes).gave_up.unwrap();
        assert_eq!(gave_up.other_order.as_ref().unwrap().framing, incl(2, true));
        assert!(gave_up.to_string().contains("big endian"), "{gave_up}");
        // Garbage reads the same both ways: no suggestion, still raw.
        let mut deframer = Deframer::new(be(4));
        let cut = deframer.cut(&[0xFF; 6]);
        assert_eq!(cut.gave_up.unwrap().other_order, None);
        assert_eq!(cut.raw.unwrap(), [0xFF; 6]);
    }

    #[test]
    fn cut_keeps_messages_before_the_error_and_shows_the_rest_raw() {
        let mut bytes = encode_frame(&be(2), b"one").unwrap();
        bytes.extend([0xFF, 0xFF, b'z']);
        let mut deframer = Deframer::with_max_frame(be(2), 100);
        let cut = deframer.cut(&bytes);
        assert_eq!(bodies(&cut.frames), [b"one"]);
        assert_eq!(cut.raw.unwrap(), [0xFF, 0xFF, b'z']);
        assert!(cut.gave_up.is_some());
        // An unusable framing: one note, every read raw.
        let mut deframer = Deframer::new(Framing::FixedLength(0));
        let cut = deframer.cut(b"ab");
        assert!(matches!(
            cut.gave_up.unwrap().error,
            FrameError::InvalidFraming { .. }
        ));
        assert_eq!(cut.raw.unwrap(), b"ab");
        assert_eq!(deframer.cut(b"c").gave_up, None);
    }

    #[test]
    fn finish_returns_the_incomplete_rest() {
        let mut deframer = Deframer::new(Framing::Delimiter(b"\n".to_vec()));
        deframer.push(b"done\npartial").unwrap();
        assert_eq!(deframer.finish(), Some(b"partial".to_vec()));
        assert_eq!(deframer.pending(), 0);
        assert_eq!(deframer.finish(), None);
        // A JSON message whose header was already parsed starts over cleanly.
        let framing = Framing::JsonHeader { big_endian: true };
        let mut deframer = Deframer::new(framing.clone());
        let bytes = encode_frame(&framing, b"body").unwrap();
        deframer.push(&bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(deframer.finish(), Some(bytes[..bytes.len() - 1].to_vec()));
        assert_eq!(bodies(&deframer.push(&bytes).unwrap()), [b"body"]);
    }

    #[test]
    fn encode_errors() {
        assert_eq!(
            encode_frame(&Framing::FixedLength(4), b"abc").unwrap_err(),
            FrameError::LengthMismatch {
                expected: 4,
                got: 3
            }
        );
        let error = encode_frame(&be(1), &[0; 256]).unwrap_err();
        assert_eq!(
            error,
            FrameError::BodyTooLong {
                len: 256,
                width: 1,
                max: 255
            }
        );
        assert!(encode_frame(&be(1), &[0; 255]).is_ok());
        assert!(encode_frame(&incl(1, true), &[0; 255]).is_err());
        assert!(encode_frame(&incl(1, true), &[0; 254]).is_ok());
        for bad in [
            Framing::Delimiter(Vec::new()),
            Framing::FixedLength(0),
            be(0),
            be(3),
            be(9),
        ] {
            assert!(matches!(
                encode_frame(&bad, b"x"),
                Err(FrameError::InvalidFraming { .. })
            ));
            let mut deframer = Deframer::new(bad);
            assert!(matches!(
                deframer.push(b"x"),
                Err(FrameError::InvalidFraming { .. })
            ));
            assert_eq!(deframer.pending(), 0);
        }
    }

    #[test]
    fn parse_and_spec_round_trip() {
        let cases = [
            ("per-read", Framing::PerRead),
            ("line", Framing::Delimiter(b"\n".to_vec())),
            ("crlf", Framing::Delimiter(b"\r\n".to_vec())),
            ("delim:7E", Framing::Delimiter(vec![0x7E])),
            ("delim:0D0A0D0A", Framing::Delimiter(b"\r\n\r\n".to_vec())),
            ("fixed:16", Framing::FixedLength(16)),
            ("len:4:be", be(4)),
            ("len:2:le", le(2)),
            ("len:2:le:incl", incl(2, false)),
            ("len:8:be:incl", incl(8, true)),
            ("json-header:be", Framing::JsonHeader { big_endian: true }),
            ("json-header:le", Framing::JsonHeader { big_endian: false }),
        ];
        for (spec, framing) in cases {
            assert_eq!(Framing::parse(spec).unwrap(), framing, "{spec}");
            assert_eq!(framing.spec(), spec);
            assert_eq!(framing.to_string(), spec);
            assert_eq!(spec.parse::<Framing>().unwrap(), framing);
        }
        for framing in reassembling_modes() {
            assert_eq!(Framing::parse(&framing.spec()).unwrap(), framing);
        }
    }

    #[test]
    fn parse_defaults_and_aliases() {
        let same = [
            ("len:4", "len:4:be"),
            ("len:4:incl", "len:4:be:incl"),
            ("len:4:incl:le", "len:4:le:incl"),
            ("json-header", "json-header:le"),
            ("  JSON-Header:LE ", "json-header:le"),
            ("delim:0a", "line"),
            ("delim:0d 0a", "crlf"),
            ("delim:0x7e", "delim:7E"),
            ("lf", "line"),
            ("CRLF", "crlf"),
        ];
        for (input, canonical) in same {
            assert_eq!(Framing::parse(input).unwrap().spec(), canonical, "{input}");
        }
    }

    #[test]
    fn parse_errors_list_the_forms() {
        for bad in [
            "",
            "tcp",
            "delim",
            "delim:",
            "delim:7",
            "delim:zz",
            "fixed:0",
            "fixed:-1",
            "fixed:x",
            "len",
            "len:3",
            "len:16",
            "len:4:be:le",
            "len:4:incl:incl",
            "len:4:big",
            "json-header:xx",
            "line:1",
        ] {
            let error = Framing::parse(bad).unwrap_err();
            let text = error.to_string();
            assert!(text.contains("len:W[:be|le][:incl]"), "{bad}: {text}");
            assert!(text.contains("json-header[:be|le]"), "{bad}: {text}");
        }
        let text = Framing::parse("len:3").unwrap_err().to_string();
        assert!(text.contains("1, 2, 4 or 8"), "{text}");
    }
}
