//! Building a message to send in a framing: the prefix, delimiter or JSON header added.

use super::error::FrameError;
use super::spec::Framing;
use super::uint::push_uint;

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
        // A gap ends a message by a pause, not by any bytes: the message goes as it is.
        Framing::PerRead | Framing::Gap { .. } => Ok(body.to_vec()),
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
