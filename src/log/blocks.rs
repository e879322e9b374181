//! A queue stored in fixed-size blocks, for the log's million-entry queues.
//!
//! A `VecDeque` keeps the room it once needed: after a million tiny records are evicted by a
//! few large ones, its buffer (tens of MiB) stays, uncounted by the log cap; shrinking it copies
//! everything that is left in one go, a frame-sized stall. Blocks are allocated as the queue
//! grows and freed as soon as their last entry leaves, so the room held never exceeds what is
//! used by more than two blocks, and nothing is ever moved.

use std::collections::VecDeque;

/// Entries per block.
const BLOCK: usize = 1024;

/// A FIFO queue with indexed access; see the module docs.
///
/// Every block except the first and the last is full, which makes indexing a division.
#[derive(Debug)]
pub struct BlockQueue<T> {
    blocks: VecDeque<VecDeque<T>>,
    len: usize,
}

impl<T> Default for BlockQueue<T> {
    fn default() -> Self {
        Self {
            blocks: VecDeque::new(),
            len: 0,
        }
    }
}

impl<T> BlockQueue<T> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entries the allocated blocks have room for.
    pub fn capacity(&self) -> usize {
        self.blocks.iter().map(VecDeque::capacity).sum()
    }

    /// Adds an entry at the back.
    pub fn push_back(&mut self, value: T) {
        match self.blocks.back_mut() {
            Some(last) if last.len() < BLOCK => last.push_back(value),
            _ => {
                let mut block = VecDeque::with_capacity(BLOCK);
                block.push_back(value);
                self.blocks.push_back(block);
            }
        }
        self.len += 1;
    }

    /// Takes the oldest entry; frees its block when it was the block's last.
    pub fn pop_front(&mut self) -> Option<T> {
        let first = self.blocks.front_mut()?;
        let value = first.pop_front();
        if first.is_empty() {
            self.blocks.pop_front();
        }
        if value.is_some() {
            self.len -= 1;
        }
        value
    }

    /// Where entry `index` lives: block and position in it.
    fn locate(&self, index: usize) -> Option<(usize, usize)> {
        if index >= self.len {
            return None;
        }
        let first = self.blocks.front()?.len();
        if index < first {
            Some((0, index))
        } else {
            let rest = index - first;
            Some((1 + rest / BLOCK, rest % BLOCK))
        }
    }

    /// Entry `index` (0 is the oldest).
    pub fn get(&self, index: usize) -> Option<&T> {
        let (block, at) = self.locate(index)?;
        self.blocks.get(block)?.get(at)
    }

    /// Entry `index`, to change.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        let (block, at) = self.locate(index)?;
        self.blocks.get_mut(block)?.get_mut(at)
    }

    /// The newest entry.
    pub fn back(&self) -> Option<&T> {
        self.blocks.back()?.back()
    }

    /// Every entry, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.blocks.iter().flatten()
    }

    /// The entries from `index` on (none when `index` is past the end).
    pub fn iter_from(&self, index: usize) -> impl Iterator<Item = &T> {
        let (block, at) = self.locate(index).unwrap_or((self.blocks.len(), 0));
        self.blocks
            .range(block.min(self.blocks.len())..)
            .enumerate()
            .flat_map(move |(i, b)| b.range(if i == 0 { at } else { 0 }..))
    }

    /// The index of the first entry for which `pred` is false, assuming it is true for a
    /// prefix of the queue and false after (as `slice::partition_point`).
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid) {
                Some(value) if pred(value) => lo = mid + 1,
                _ => hi = mid,
            }
        }
        lo
    }

    /// Removes everything and frees every block.
    pub fn clear(&mut self) {
        self.blocks = VecDeque::new();
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_deque_across_block_boundaries() {
        let mut queue = BlockQueue::default();
        let mut model = VecDeque::new();
        // Pushes and pops in uneven runs, so the first block is partial most of the time.
        for round in 0..40usize {
            for i in 0..(round * 97 % 1500) {
                queue.push_back(round * 10_000 + i);
                model.push_back(round * 10_000 + i);
            }
            for _ in 0..(round * 61 % 1300) {
                assert_eq!(queue.pop_front(), model.pop_front());
            }
            assert_eq!(queue.len(), model.len());
            for probe in [0, 1, 1023, 1024, 1025, model.len() / 2, model.len()] {
                assert_eq!(queue.get(probe), model.get(probe), "index {probe}");
            }
            assert_eq!(queue.back(), model.back());
            assert!(queue.iter().eq(model.iter()));
            assert!(queue.iter().rev().eq(model.iter().rev()));
            let from = model.len() / 3;
            assert!(queue.iter_from(from).eq(model.range(from..)));
            assert_eq!(queue.iter_from(model.len() + 5).count(), 0);
            let cut = model.len() / 2;
            let threshold = model.get(cut).copied().unwrap_or(usize::MAX);
            assert_eq!(
                queue.partition_point(|v| *v < threshold),
                model.partition_point(|v| *v < threshold)
            );
        }
        if let Some(slot) = queue.get_mut(3) {
            *slot = 7;
        }
        assert_eq!(queue.get(3).copied(), model.get(3).map(|_| 7));
    }

    #[test]
    fn room_is_given_back_as_entries_leave() {
        let mut queue = BlockQueue::default();
        for i in 0..1_000_000u32 {
            queue.push_back(i);
        }
        assert!(queue.capacity() < 1_000_000 + 2 * BLOCK);
        for _ in 0..999_000 {
            queue.pop_front();
        }
        assert_eq!(queue.len(), 1_000);
        assert!(
            queue.capacity() <= 2 * BLOCK,
            "holds room for {} entries",
            queue.capacity()
        );
        queue.clear();
        assert_eq!(queue.capacity(), 0);
        assert!(queue.is_empty());
    }
}
