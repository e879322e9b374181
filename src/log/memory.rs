//! What memory costs: the allocator's rounding, shared by the records (their bytes) and the
//! store (their decoded text) when they count against the log's byte cap.

/// About what an allocation of `n` bytes takes: size classes are a quarter of a power of two
/// apart (mimalloc's bins; a 64 KiB read behind an `Arc` header lands in the 80 KiB class).
pub fn allocated(n: usize) -> usize {
    if n <= 64 {
        return n.next_multiple_of(16);
    }
    let step = 1 << (usize::BITS - 1 - n.leading_zeros() - 2);
    n.next_multiple_of(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_round_like_an_allocator() {
        assert_eq!(allocated(1), 16);
        assert_eq!(allocated(64), 64);
        assert_eq!(allocated(65), 80);
        assert_eq!(allocated(1000), 1024);
        assert_eq!(allocated(64 * 1024 + 16), 80 * 1024);
        assert!((1..100_000).all(|n| allocated(n) >= n && allocated(n) <= n + n / 4 + 16));
    }
}
