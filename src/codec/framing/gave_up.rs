//! What a viewer reports when a [`Deframer`](super::Deframer) gives up on a stream: the error,
//! and the length prefix read in the other byte order when that reads plausibly.

use std::fmt;

use super::error::FrameError;
use super::spec::Framing;
use super::uint::read_uint;

/// Why a [`Deframer`](super::Deframer) stopped cutting a stream, and the likely fix.
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
    /// For a length prefix that announced too much (`error`): the length the prefix at the
    /// front of `rest` gives in the other byte order, if that is a plausible message length
    /// (not 0, shorter than what was announced, within `max_frame`).
    pub(super) fn of(
        framing: &Framing,
        max_frame: usize,
        error: &FrameError,
        rest: &[u8],
    ) -> Option<OtherOrder> {
        let FrameError::TooLarge { len, .. } = error else {
            return None;
        };
        let (width, big_endian, includes_header) = match *framing {
            Framing::LengthPrefix {
                width,
                big_endian,
                includes_header,
            } => (width, big_endian, includes_header),
            Framing::JsonHeader { big_endian } => (4, big_endian, false),
            _ => return None,
        };
        let other = read_uint(rest, usize::from(width), !big_endian)?;
        let body = if includes_header {
            other.checked_sub(u64::from(width))?
        } else {
            other
        };
        let fits = usize::try_from(body).is_ok_and(|n| n <= max_frame);
        if other == 0 || other >= *len || !fits {
            return None;
        }
        let framing = match *framing {
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
