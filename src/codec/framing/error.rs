//! Why a stream could not be cut into messages, or a message not built.

use thiserror::Error;

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
    /// Gap framing: more than the limit arrived without a silence long enough to end a message.
    #[error(
        "{len} bytes arrived without a silence of {ms} ms, more than the {} limit — is the peer streaming without pauses? Use a shorter silence or another framing",
        show_size(*max)
    )]
    NoGap {
        /// How many bytes the unfinished message had reached.
        len: u64,
        /// The receiver's limit.
        max: usize,
        /// The silence that ends a message, in milliseconds.
        ms: u32,
    },
    /// The framing itself cannot work (empty delimiter, fixed length 0, bad prefix width…).
    #[error("this framing cannot work: {reason}")]
    InvalidFraming {
        /// What is wrong with it.
        reason: String,
    },
}

/// Limits read better as "16 MiB" than as 16777216.
pub(super) fn show_size(bytes: usize) -> String {
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
