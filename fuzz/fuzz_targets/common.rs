//! Building structured inputs from the fuzzer's bytes, shared by the targets.

#![allow(dead_code)] // each target uses some of these

use arbitrary::{Result, Unstructured};
use netassist::codec::Framing;

/// Up to 16 read lengths.
pub fn cuts(u: &mut Unstructured<'_>) -> Result<Vec<usize>> {
    let n = u.int_in_range(0..=16)?;
    (0..n)
        .map(|_| u.arbitrary::<u16>().map(usize::from))
        .collect()
}

/// Any framing, including ones the deframer must refuse (empty delimiter, fixed length 0,
/// a 3-byte prefix).
pub fn framing(u: &mut Unstructured<'_>) -> Result<Framing> {
    Ok(match u.int_in_range(0..=4)? {
        0 => Framing::PerRead,
        1 => {
            let n = u.int_in_range(0..=4)?;
            Framing::Delimiter(u.bytes(n)?.to_vec())
        }
        2 => Framing::FixedLength(usize::from(u.arbitrary::<u8>()?)),
        3 => Framing::LengthPrefix {
            width: *u.choose(&[1, 2, 4, 8, 1, 2, 4, 8, 0, 3])?,
            big_endian: u.arbitrary()?,
            includes_header: u.arbitrary()?,
        },
        _ => Framing::JsonHeader {
            big_endian: u.arbitrary()?,
        },
    })
}

/// The message limit: small ones reach the limit checks, 0 stands for the default 16 MiB.
pub fn max_frame(u: &mut Unstructured<'_>) -> Result<usize> {
    Ok(match u.arbitrary::<u8>()? {
        0 => netassist::codec::framing::DEFAULT_MAX_FRAME,
        n => usize::from(n),
    })
}
