//! The length field of a length prefix or JSON header: 1 to 8 bytes, unsigned, in either
//! byte order, read when receiving and written when building.

/// Reads an unsigned integer from the first `width` bytes, or `None` if not all of it has
/// arrived.
pub(super) fn read_uint(bytes: &[u8], width: usize, big_endian: bool) -> Option<u64> {
    let bytes = bytes.get(..width)?;
    let fold = |acc: u64, &b: &u8| (acc << 8) | u64::from(b);
    Some(if big_endian {
        bytes.iter().fold(0, fold)
    } else {
        bytes.iter().rev().fold(0, fold)
    })
}

/// Appends the low `width` bytes of `value` in the given byte order; `width` is a prefix
/// width the framing checked (1, 2, 4 or 8), so it never asks for more than a `u64` holds.
pub(super) fn push_uint(out: &mut Vec<u8>, value: u64, width: usize, big_endian: bool) {
    let low = value
        .to_be_bytes()
        .into_iter()
        .skip(size_of::<u64>().saturating_sub(width));
    if big_endian {
        out.extend(low);
    } else {
        out.extend(low.rev());
    }
}
