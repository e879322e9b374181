//! Why a stream could not be cut or a message not built, and what a viewer reports when it
//! gives up on a stream (with the other byte order when that reads plausibly).

use std::fmt;

use thiserror::Error;

use super::spec::Framing;

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
