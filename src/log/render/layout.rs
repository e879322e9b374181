//! [`Layout`]: for every record, where its rows end (a running sum), kept up to date with the
//! store within a time budget, and the one [`Line`] a row shows, built on demand.

use std::time::{Duration, Instant};

use super::super::blocks::BlockQueue;
use super::super::record::{Direction, Record};
use super::super::store::LogStore;
use super::line::{Line, Span};
use super::params::{LayoutParams, ViewMode};
use super::text::span_content;
use super::wrap::{count_rows, spans_from};

/// How one laid-out record fits in.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Running total of rows up to and including this record.
    end: u64,
    /// Column where the record's first line starts (non-zero when it continues a line).
    start_column: usize,
    /// Its first line is the end of the previous record's last line.
    continues: bool,
    /// Column after its last character.
    tail_column: usize,
    /// Its text does not end a line, so the next record of the stream may continue it.
    open_end: bool,
}

/// Where each laid-out record's lines end.
#[derive(Debug, Default)]
pub struct Layout {
    params: LayoutParams,
    generation: u64,
    first_seq: u64,
    end_seq: u64,
    base: u64,
    entries: BlockQueue<Entry>,
    built: bool,
    builds: u64,
    /// A layout with a new wrap width being built over several frames.
    next: Option<Box<Layout>>,
}

/// Work between two looks at the clock while laying out: 256 small records or 256 KiB.
const CLOCK_EVERY: usize = 256 * 1024;

/// Most records a [`Layout::tail`] looks back over.
const MAX_TAIL_RECORDS: u64 = 4096;

/// Longest chain of records merged into one line before the line is cut.
const MAX_MERGED_RECORDS: usize = 4096;

impl Layout {
    /// Brings the layout up to date with `store`. While `paused`, new records are not laid out
    /// (the view stays still); they appear when the pause ends.
    pub fn sync(&mut self, store: &LogStore, params: LayoutParams, paused: bool) {
        self.sync_within(store, params, paused, None);
    }

    /// Like [`Layout::sync`], spending about `budget` at most (`None`: no limit); returns true
    /// when the layout is complete, false when the caller should come back next frame.
    ///
    /// New records beyond the budget are laid out next time. When only the wrap width changed
    /// (the window is being resized), the new layout is built over several frames beside the
    /// old one, which stays on screen until the new one is complete: resizing a window over a
    /// million records stays smooth. Other changes (mode, filter, encoding) lay out at once.
    pub fn sync_within(
        &mut self,
        store: &LogStore,
        params: LayoutParams,
        paused: bool,
        budget: Option<Duration>,
    ) -> bool {
        let rebuild = self.stale(store, params);
        let only_width = self.built
            && store.generation() == self.generation
            && LayoutParams {
                wrap_columns: self.params.wrap_columns,
                ..params
            } == self.params;
        let start = Instant::now();
        if !(rebuild && only_width && budget.is_some()) {
            self.next = None;
            return self.sync_now(store, params, paused, start, budget);
        }
        // One budget for both: the layout on screen first, with at most half of it (usually a
        // few new records), then the new one with the rest, so neither starves in a flood.
        self.sync_now(store, self.params, paused, start, budget.map(|b| b / 2));
        let target = if paused {
            self.end_seq
        } else {
            store.end_seq()
        };
        let mut next = match self.next.take() {
            Some(next) if next.params == params => next,
            _ => Box::new(Self {
                params,
                generation: store.generation(),
                first_seq: store.first_seq(),
                end_seq: store.first_seq(),
                built: true,
                ..Self::default()
            }),
        };
        next.trim(store);
        if next.extend(store, target.max(store.first_seq()), start, budget) {
            let builds = self.builds + 1;
            *self = *next;
            self.builds = builds;
            return true;
        }
        self.next = Some(next);
        false
    }

    /// True when the layout must be built again: never built, other options, or the store's
    /// records changed (encoding, clear) rather than only grew or lost old ones.
    fn stale(&self, store: &LogStore, params: LayoutParams) -> bool {
        !self.built || params != self.params || store.generation() != self.generation
    }

    fn trim(&mut self, store: &LogStore) {
        while self.first_seq < store.first_seq() {
            if let Some(entry) = self.entries.pop_front() {
                self.base = entry.end;
            }
            self.first_seq += 1;
        }
        self.end_seq = self.end_seq.max(self.first_seq);
    }

    fn sync_now(
        &mut self,
        store: &LogStore,
        params: LayoutParams,
        paused: bool,
        start: Instant,
        budget: Option<Duration>,
    ) -> bool {
        if self.stale(store, params) {
            let keep_end = if paused && self.built {
                self.end_seq
            } else {
                store.end_seq()
            };
            self.params = params;
            self.generation = store.generation();
            self.first_seq = store.first_seq();
            self.end_seq = store.first_seq();
            self.base = 0;
            self.entries.clear();
            self.built = true;
            self.builds += 1;
            // A full layout is done at once: the rows shown must match the new options.
            self.extend(store, keep_end.max(store.first_seq()), start, None);
            return true;
        }
        self.trim(store);
        paused || self.extend(store, store.end_seq(), start, budget)
    }

    /// Lays out records up to `until`; stops early (returning false) once `budget` from
    /// `start` is spent.
    fn extend(
        &mut self,
        store: &LogStore,
        until: u64,
        start: Instant,
        budget: Option<Duration>,
    ) -> bool {
        let from = self.end_seq.max(self.first_seq);
        // Always some progress, then a look at the clock every 256 records or 256 KiB of
        // bytes laid out, whichever comes first (a flood brings 64 KiB records).
        let mut work = 0usize;
        for seq in from..until {
            if let Some(budget) = budget
                && work >= CLOCK_EVERY
            {
                work = 0;
                if start.elapsed() >= budget {
                    self.end_seq = seq.max(self.end_seq);
                    return false;
                }
            }
            let previous = self.entries.back().copied();
            let total = previous.map_or(self.base, |e| e.end);
            let Some((record, text)) = store.get(seq) else {
                break;
            };
            work += 1024 + record.bytes.len();
            let continues = previous.is_some_and(|p| p.open_end)
                && seq
                    .checked_sub(1)
                    .and_then(|prev| store.record(prev))
                    .is_some_and(|prev| same_stream(prev, record));
            let start_column = if continues {
                previous.map_or(0, |p| p.tail_column)
            } else {
                0
            };
            let (count, tail_column) = count_rows(record, text, self.params, start_column);
            let open_end =
                self.mergeable(record) && count > 0 && !text.is_empty() && !text.ends_with('\n');
            let rows = count.saturating_sub(u64::from(continues && count > 0));
            self.entries.push_back(Entry {
                end: total + rows,
                start_column,
                continues: continues && count > 0,
                tail_column,
                open_end: open_end || (continues && text.is_empty()),
            });
        }
        self.end_seq = until.max(self.end_seq);
        true
    }

    fn mergeable(&self, record: &Record) -> bool {
        self.params.merge
            && self.params.mode == ViewMode::Text
            && record.direction != Direction::Info
            && !self.params.hides_received(record)
            // issue 15: websocket — a message keeps a line of its own.
            && record.message.is_none()
    }

    /// A layout of only the newest records of `store`, enough of them for `rows` rows (at
    /// most [`MAX_TAIL_RECORDS`] records), built at once with `params`. The view shows it at
    /// the bottom while the full layout is behind (a flood, or a new wrap width being laid
    /// out), so the newest data is on screen in every frame; its first record starts a line.
    pub fn tail(store: &LogStore, params: LayoutParams, rows: usize) -> Self {
        let end = store.end_seq();
        let mut from = end;
        let mut counted = 0u64;
        while from > store.first_seq() && counted < rows as u64 && end - from < MAX_TAIL_RECORDS {
            from -= 1;
            if let Some((record, text)) = store.get(from) {
                counted += count_rows(record, text, params, 0).0;
            }
        }
        let mut tail = Self {
            params,
            generation: store.generation(),
            first_seq: from,
            end_seq: from,
            built: true,
            ..Self::default()
        };
        tail.extend(store, end, Instant::now(), None);
        tail
    }

    /// The first record laid out (rows of older ones are not here).
    pub fn first_seq(&self) -> u64 {
        self.first_seq
    }

    /// Counts full layouts; rows before and after a change of this number do not correspond.
    pub fn builds(&self) -> u64 {
        self.builds
    }

    /// The number row 0 had among all rows laid out since the last full layout: rows of
    /// evicted records are gone from the front, so this grows while the view stays put.
    pub fn base_row(&self) -> u64 {
        self.base
    }

    /// The row showing byte `byte_offset` of record `seq` (its nearest line when the byte
    /// is not shown); `None` when the record is not laid out or takes no rows (filtered out).
    pub fn row_of(&self, store: &LogStore, seq: u64, byte_offset: usize) -> Option<usize> {
        let index = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        let entry = *self.entries.get(index)?;
        let start = if index == 0 {
            self.base
        } else {
            self.entries.get(index - 1)?.end
        };
        let (record, text) = store.get(seq)?;
        // Text spans count bytes of the decoded text: decode the prefix to find where the byte
        // lands (a character split with the previous record may shift it by a few bytes).
        let text_offset = if record.direction == Direction::Info || byte_offset == 0 {
            byte_offset
        } else {
            let prefix = record.bytes.get(..byte_offset).unwrap_or(&record.bytes);
            store.encoding().decode(prefix).len()
        };
        let (mut n, mut hex_line, mut text_line) = (0u64, None, None);
        spans_from(record, text, self.params, entry.start_column, |span| {
            match span {
                Span::Hex(_, end) if hex_line.is_none() && byte_offset < end.max(1) => {
                    hex_line = Some(n);
                }
                Span::Text(_, end) if text_line.is_none() && text_offset < end.max(1) => {
                    text_line = Some(n);
                }
                _ => {}
            }
            n += 1;
            // Hex lines come before text lines: the first found is the one.
            hex_line.is_none() && text_line.is_none()
        });
        let line = hex_line.or(text_line).or(n.checked_sub(1))?;
        let absolute = (start + line)
            .saturating_sub(u64::from(entry.continues))
            .max(self.base);
        usize::try_from(absolute - self.base).ok()
    }

    /// Number of lines.
    pub fn rows(&self) -> usize {
        let last = self.entries.back().map_or(self.base, |e| e.end);
        usize::try_from(last - self.base).unwrap_or(usize::MAX)
    }

    /// Line `row` (0 = the oldest shown), rendered.
    pub fn line<'a>(&self, store: &'a LogStore, row: usize) -> Option<Line<'a>> {
        let absolute = self.base + row as u64;
        let index = self.entries.partition_point(|e| e.end <= absolute);
        let start = if index == 0 {
            self.base
        } else {
            self.entries.get(index - 1)?.end
        };
        let entry = *self.entries.get(index)?;
        let seq = self.first_seq + index as u64;
        let (record, text) = store.get(seq)?;
        let wanted = absolute - start + u64::from(entry.continues);
        let mut found = None;
        let mut previous = None;
        let mut n = 0u64;
        spans_from(record, text, self.params, entry.start_column, |span| {
            if n + 1 == wanted {
                previous = Some(span);
            }
            if n == wanted {
                found = Some(span);
            }
            n += 1;
            // One past the wanted line tells whether it is the record's last.
            n <= wanted + 1
        });
        let span = found?;
        let mut content = span_content(record, text, span);
        if wanted + 1 == n && entry.open_end {
            self.append_continuations(store, index + 1, &mut content);
        }
        let soft = match (previous, span) {
            (Some(Span::Text(_, end)), Span::Text(start, _)) => start == end,
            (Some(Span::Hex(..)), Span::Hex(..)) => true,
            _ => false,
        };
        Some(Line {
            seq,
            record,
            first: wanted == 0,
            span,
            content,
            soft,
        })
    }

    /// Appends the first lines of the records after `index` that continue this line.
    fn append_continuations(&self, store: &LogStore, mut index: usize, content: &mut String) {
        for _ in 0..MAX_MERGED_RECORDS {
            let Some(entry) = self.entries.get(index).copied() else {
                return;
            };
            if !entry.continues {
                return;
            }
            let Some((record, text)) = store.get(self.first_seq + index as u64) else {
                return;
            };
            let mut first = None;
            let mut count = 0u64;
            spans_from(record, text, self.params, entry.start_column, |span| {
                if count == 0 {
                    first = Some(span);
                }
                count += 1;
                count < 2
            });
            if let Some(span) = first {
                content.push_str(&span_content(record, text, span));
            }
            if count > 1 || !entry.open_end {
                return;
            }
            index += 1;
        }
    }
}

fn same_stream(a: &Record, b: &Record) -> bool {
    a.direction == b.direction && a.peer == b.peer && a.direction != Direction::Info
}
