//! Lazy display of the log: records become lines only for the rows on screen.
//!
//! [`Layout`] keeps, for every record, where its lines end (a running sum), so a scroll view
//! with fixed-height rows can ask for row *n* and get exactly one line, found by binary search.
//! Line counts depend on the view (text, hex or both; wrap width; hidden records), so changing
//! any of those lays everything out again — one pass over the text, no allocation per line.

use super::blocks::BlockQueue;
use std::fmt::Write as _;
use std::time::{Duration, Instant, SystemTime};

use super::record::{Direction, Peer, Record, RecordFilter};
use super::store::LogStore;
use crate::codec::write_hex;

/// Lines without wrapping are cut after this many characters so a row stays cheap to draw.
const MAX_UNWRAPPED_COLUMNS: usize = 2000;
/// Bytes per hex line when not wrapping.
const HEX_BYTES_PER_LINE: usize = 32;

/// How record data is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ViewMode {
    /// Decoded text.
    #[default]
    Text,
    /// Hex bytes.
    Hex,
    /// Hex lines, then text lines.
    Both,
}

/// Everything about the view that changes how many lines a record takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutParams {
    /// Text, hex or both.
    pub mode: ViewMode,
    /// Wrap lines at this many columns (a CJK character takes two); `None` does not wrap.
    pub wrap_columns: Option<usize>,
    /// Leave received records out.
    pub hide_received: bool,
    /// Text view: let consecutive records of one peer and direction flow on the same line
    /// until a line break, as a terminal would show the stream (off in log mode, where each
    /// record gets its own header and time).
    pub merge: bool,
    /// Give each data record a header line of its own (log mode), so data gets the full width.
    pub header_lines: bool,
    /// Show only the records this filter accepts.
    pub filter: RecordFilter,
    /// The rows carry the view's prefix ([`line_prefix`] with this header width) and
    /// `wrap_columns` is the width of the whole row, prefix included; `None`: rows are content
    /// only and `wrap_columns` is all theirs.
    pub prefix: Option<usize>,
}

impl LayoutParams {
    /// True when `record` is laid out at all (not hidden as received, and passing the filter).
    fn shows(&self, record: &Record) -> bool {
        !self.hides_received(record) && self.filter.accepts(record)
    }

    /// True when `record` is received and received records are hidden.
    fn hides_received(&self, record: &Record) -> bool {
        self.hide_received && record.direction == Direction::Rx
    }

    /// How `record`'s hex rows go: whether its header takes its first row alone (it leaves
    /// no room for a byte), and the bytes on one row, as many as fit beside the prefix.
    fn hex_rows(&self, record: &Record) -> (bool, usize) {
        let Some(cols) = self.wrap_columns else {
            return (false, HEX_BYTES_PER_LINE);
        };
        let (first, rest) = self.prefix_columns(record);
        if first + 2 > cols {
            (true, (cols.saturating_sub(rest) / 3).max(1))
        } else {
            (false, (cols.saturating_sub(first) / 3).max(1))
        }
    }

    /// Columns of the prefix the view puts before `record`'s first row and before its other
    /// rows ([`line_prefix`]); none when the rows carry no prefix.
    fn prefix_columns(&self, record: &Record) -> (usize, usize) {
        let Some(header_columns) = self.prefix else {
            return (0, 0);
        };
        let info = record.direction == Direction::Info;
        if self.header_lines {
            return if info {
                (header_columns_of(record, true) + 1, 1)
            } else {
                (0, 0)
            };
        }
        // An IPv4 header ("← 255.255.255.255:65535") always fits the usual padding.
        let long =
            matches!(record.peer, Peer::One(addr) if addr.is_ipv6()) || header_columns < 23 || info;
        let head = if long {
            header_columns_of(record, false).max(header_columns)
        } else {
            header_columns
        };
        (head + 1, header_columns + 1)
    }

    /// The wrap limit of `record`'s text rows (prefix taken off) and the extra columns its
    /// first row's prefix takes beyond the others' (a note's header in log mode, a header
    /// longer than the padding in the stream view).
    fn text_wrap(&self, record: &Record, start_column: usize) -> (Option<usize>, usize) {
        if self.prefix.is_none() {
            return (self.wrap_columns, 0);
        }
        let Some(wrap) = self.wrap_columns else {
            return (None, 0);
        };
        let (first, rest) = self.prefix_columns(record);
        // The text's first row carries the record's header unless it continues a merged line
        // or hex rows came first.
        let hex_first = record.direction != Direction::Info && self.mode != ViewMode::Text;
        let extra = if start_column > 0 || hex_first {
            0
        } else {
            first - rest
        };
        (Some(wrap.saturating_sub(rest)), extra)
    }
}

/// Columns of [`header`] for `record` (time, arrow and peer are one column a character),
/// counted without building the text.
fn header_columns_of(record: &Record, with_time: bool) -> usize {
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.chars().count();
            Ok(())
        }
    }
    let mut count = Count(if with_time { 15 } else { 0 } + 1);
    if record.peer != Peer::None {
        let _ = write!(count, " {}", record.peer);
    }
    count.0
}

impl Default for LayoutParams {
    fn default() -> Self {
        Self {
            mode: ViewMode::Text,
            wrap_columns: None,
            hide_received: false,
            merge: false,
            header_lines: false,
            filter: RecordFilter::default(),
            prefix: None,
        }
    }
}

/// A piece of a record that makes one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The record's header line (log mode).
    Header,
    /// Bytes `start..end` of the decoded text.
    Text(usize, usize),
    /// Bytes `start..end` of the raw data, as hex.
    Hex(usize, usize),
}

/// One line on screen.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// The sequence number of the record the line starts in.
    pub seq: u64,
    /// That record.
    pub record: &'a Record,
    /// True when the line starts a record (the header goes there).
    pub first: bool,
    /// What the line holds of that record.
    pub span: Span,
    /// The line's characters, ready to show (with merged continuations appended).
    pub content: String,
    /// The line goes on from the row above: the view wrapped it there, the data has no line
    /// break (text export and copy join such rows again).
    pub soft: bool,
}

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

/// Calls `each` with every line of `record` under `params`, in order.
pub fn spans(record: &Record, text: &str, params: LayoutParams, mut each: impl FnMut(Span)) {
    spans_from(record, text, params, 0, |span| {
        each(span);
        true
    });
}

/// Like [`spans`], the first text line starting at `start_column`, until `each` returns false;
/// returns the column after the last character (meaningless when stopped early).
fn spans_from(
    record: &Record,
    text: &str,
    params: LayoutParams,
    start_column: usize,
    mut each: impl FnMut(Span) -> bool,
) -> usize {
    if !params.shows(record) {
        return 0;
    }
    let show_hex = record.direction != Direction::Info && params.mode != ViewMode::Text;
    let show_text = record.direction == Direction::Info || params.mode != ViewMode::Hex;
    if params.header_lines && record.direction != Direction::Info && !each(Span::Header) {
        return 0;
    }
    if show_hex {
        let (lead, per_line) = params.hex_rows(record);
        let len = record.bytes.len();
        if (len == 0 || lead) && !each(Span::Hex(0, 0)) {
            return 0;
        }
        let mut start = 0;
        while start < len {
            let end = (start + per_line).min(len);
            if !each(Span::Hex(start, end)) {
                return 0;
            }
            start = end;
        }
    }
    if show_text {
        let (wrap, extra) = params.text_wrap(record, start_column);
        text_spans(text, wrap, start_column + extra, &mut each)
    } else {
        0
    }
}

/// The rows `record` takes and the column after its last character: what [`spans_from`]
/// counts, without going through the spans: hex rows are arithmetic, and plain ASCII text in
/// short lines (a flood's usual shape) is counted in one vectorizable pass.
fn count_rows(
    record: &Record,
    text: &str,
    params: LayoutParams,
    start_column: usize,
) -> (u64, usize) {
    if !params.shows(record) {
        return (0, 0);
    }
    let info = record.direction == Direction::Info;
    let mut rows = u64::from(params.header_lines && !info);
    if !info && params.mode != ViewMode::Text {
        let (lead, per_line) = params.hex_rows(record);
        let len = record.bytes.len();
        rows += u64::from(lead && len > 0) + len.div_ceil(per_line).max(1) as u64;
    }
    if !info && params.mode == ViewMode::Hex {
        return (rows, 0);
    }
    let (wrap, extra) = params.text_wrap(record, start_column);
    let start_column = start_column + extra;
    if let Some((text_rows, tail_column)) = plain_rows(text, wrap, start_column) {
        return (rows + text_rows, tail_column);
    }
    let mut text_rows = 0u64;
    let tail_column = text_spans(text, wrap, start_column, &mut |_| {
        text_rows += 1;
        true
    });
    (rows + text_rows, tail_column)
}

/// The rows and tail column of text that is printable ASCII, tabs and line breaks in lines
/// that never need breaking, as [`text_spans`] counts them; `None` for any other text.
fn plain_rows(text: &str, wrap: Option<usize>, start_column: usize) -> Option<(u64, usize)> {
    const CHUNK: usize = 16;
    let limit = wrap.unwrap_or(MAX_UNWRAPPED_COLUMNS).max(2);
    let body = text.strip_suffix('\n').unwrap_or(text).as_bytes();
    // One pass in chunks of 16 bytes (a vector compare each): line breaks counted, anything
    // but printable ASCII and line break noted, and the longest run of chunks without a
    // line break kept. A line spanning `run` such chunks is shorter than `16 * (run + 2)`
    // bytes; when that fits in `limit`, no line needs breaking (the first is checked apart: it
    // may continue a line that already has `start_column` columns).
    let (mut newlines, mut bad) = (0usize, 0u8);
    let (mut run, mut longest_run) = (0usize, 0usize);
    let chunks = body.chunks_exact(CHUNK);
    let rest = chunks.remainder();
    let mut note = |(breaks, odd): (u8, u8)| {
        newlines += usize::from(breaks);
        bad |= odd;
        run = if breaks == 0 { run + 1 } else { 0 };
        longest_run = longest_run.max(run);
    };
    for chunk in chunks {
        // A fixed size, so the compiler makes this one vector compare.
        if let Ok(chunk) = <&[u8; CHUNK]>::try_from(chunk) {
            note(plain_stats(chunk));
        }
    }
    note(plain_stats(rest));
    if bad != 0 || CHUNK * (longest_run + 2) > limit {
        return None;
    }
    let first_len = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
    if first_len > 0 && start_column + first_len > limit {
        return None;
    }
    let tail_column = if text.ends_with('\n') {
        0
    } else {
        match body.iter().rposition(|&b| b == b'\n') {
            Some(last) => body.len() - last - 1,
            None => start_column + body.len(),
        }
    };
    Some((newlines as u64 + 1, tail_column))
}

/// The line breaks in `bytes`, and non-zero when any byte is not printable ASCII or
/// line break.
#[inline]
fn plain_stats(bytes: &[u8]) -> (u8, u8) {
    let (mut breaks, mut odd) = (0u8, 0u8);
    for &b in bytes {
        breaks = breaks.wrapping_add(u8::from(b == b'\n'));
        odd |= u8::from(!plain_byte(b));
    }
    (breaks, odd)
}

/// Printable ASCII or line break: one column each (a line break ends the line). A tab is
/// not: the view draws it [`TAB_COLUMNS`] wide.
#[inline]
fn plain_byte(b: u8) -> bool {
    (0x20..0x7F).contains(&b) || b == b'\n'
}

/// Columns a tab takes: egui draws it four spaces wide.
pub const TAB_COLUMNS: usize = 4;

fn text_spans(
    text: &str,
    wrap: Option<usize>,
    start_column: usize,
    each: &mut impl FnMut(Span) -> bool,
) -> usize {
    let limit = wrap.unwrap_or(MAX_UNWRAPPED_COLUMNS).max(2);
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut line_start = 0;
    let mut columns = start_column;
    // One pass over the whole text, without early exit so it vectorizes; text with carriage
    // returns or other control characters is checked line by line below.
    let all_plain = body
        .bytes()
        .fold(0u8, |bad, b| bad | u8::from(!plain_byte(b)))
        == 0;
    let mut pieces = body.split('\n').peekable();
    while let Some(piece) = pieces.next() {
        let piece_len = piece.len();
        let content = piece.strip_suffix('\r').unwrap_or(piece);
        let mut start = line_start;
        if all_plain || content.bytes().all(|b| plain_byte(b) && b != b'\n') {
            // Printable ASCII, one column each: break every `limit` columns without looking
            // at characters (most traffic; makes laying out a million records cheap).
            let mut offset = 0;
            while content.len() - offset > limit - columns.min(limit) {
                offset += limit - columns.min(limit);
                if !each(Span::Text(start, line_start + offset)) {
                    return columns;
                }
                start = line_start + offset;
                columns = 0;
            }
            columns += content.len() - offset;
            if !each(Span::Text(start, line_start + content.len())) {
                return columns;
            }
            line_start += piece_len + 1;
            if pieces.peek().is_some() {
                columns = 0;
            }
            continue;
        }
        for (offset, ch) in content.char_indices() {
            // Control characters are shown as `\xNN`.
            let width = if ch == '\t' {
                TAB_COLUMNS
            } else if ch.is_control() {
                4
            } else {
                char_columns(ch)
            };
            if columns + width > limit && columns > 0 {
                if !each(Span::Text(start, line_start + offset)) {
                    return columns;
                }
                start = line_start + offset;
                columns = 0;
            }
            columns += width;
        }
        if !each(Span::Text(start, line_start + content.len())) {
            return columns;
        }
        line_start += piece_len + 1;
        if pieces.peek().is_some() {
            columns = 0;
        }
    }
    if text.ends_with('\n') { 0 } else { columns }
}

/// Columns a character takes in a monospace view: East Asian wide characters take two.
pub fn char_columns(ch: char) -> usize {
    let code = u32::from(ch);
    let wide = matches!(code,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// The characters of one line. Control characters other than tab are shown as `\xNN` so a
/// stray carriage return or NUL cannot garble the row.
pub fn span_content(record: &Record, text: &str, span: Span) -> String {
    match span {
        Span::Header => String::new(),
        Span::Hex(start, end) => {
            let mut out = String::new();
            if let Some(bytes) = record.bytes.get(start..end) {
                write_hex(&mut out, bytes);
            }
            out
        }
        Span::Text(start, end) => {
            let slice = text.get(start..end).unwrap_or_default();
            let mut out = String::with_capacity(slice.len());
            for ch in slice.chars() {
                if ch.is_control() && ch != '\t' {
                    let _ = write!(out, "\\x{:02X}", u32::from(ch));
                } else {
                    out.push(ch);
                }
            }
            out
        }
    }
}

/// The arrow for a direction: → sent, ← received.
pub fn arrow(direction: Direction) -> &'static str {
    match direction {
        Direction::Rx => "←",
        Direction::Tx => "→",
        Direction::Info => "•",
    }
}

/// `12:34:56.789` in local time.
pub fn time_of_day(at: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = at.into();
    local.format("%H:%M:%S%.3f").to_string()
}

/// What the view shows before a line's content: on a record's first line its header padded to
/// `header_columns`, blanks on the lines after; in log mode data records have their header on
/// a line of its own ([`Span::Header`], returned whole) and their data lines no prefix.
pub fn line_prefix(line: &Line<'_>, log_mode: bool, header_columns: usize) -> String {
    if line.span == Span::Header {
        return header(line.record, true);
    }
    if log_mode && line.record.direction != Direction::Info {
        return String::new();
    }
    if line.first {
        let head = header(line.record, log_mode);
        format!("{head:<header_columns$} ")
    } else {
        " ".repeat(header_columns + 1)
    }
}

/// A line exactly as the view shows it, prefix and content.
pub fn plain_line(line: &Line<'_>, log_mode: bool, header_columns: usize) -> String {
    let mut out = line_prefix(line, log_mode, header_columns);
    out.push_str(&line.content);
    out
}

/// The header of a record: `[time] → peer`, time only in log mode.
pub fn header(record: &Record, with_time: bool) -> String {
    let mut out = String::new();
    if with_time {
        let _ = write!(out, "[{}] ", time_of_day(record.at));
    }
    out.push_str(arrow(record.direction));
    if record.peer != Peer::None {
        let _ = write!(out, " {}", record.peer);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;

    fn store_with(texts: &[&str]) -> LogStore {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut store = LogStore::default();
        for text in texts {
            store.push(Record::rx(1, SystemTime::now(), peer, text.as_bytes()));
        }
        store
    }

    fn all_lines(layout: &Layout, store: &LogStore) -> Vec<String> {
        (0..layout.rows())
            .map(|row| layout.line(store, row).unwrap().content)
            .collect()
    }

    #[test]
    fn the_fast_row_count_agrees_with_the_spans_on_random_text() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut state = 0x5EED_u64;
        let mut next = move |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        let mut fast = 0;
        for round in 0..3000 {
            // Mostly short plain lines (the fast path), sometimes long ones, control
            // characters, CR LF or Chinese (the slow path).
            let len = next(400);
            let line = 1 + next(90);
            let specials = if round % 2 == 0 { 200 } else { 1 << 20 };
            let text: String = (0..len)
                .map(|i| match next(specials) {
                    0 => '\r',
                    1 => '好',
                    2 => '\u{1}',
                    3..=5 => '\t',
                    _ if i % line == line - 1 => '\n',
                    _ => char::from(b'a' + (next(26) as u8)),
                })
                .collect();
            let v6: SocketAddr = "[fe80::1:2:3:4]:65535".parse().unwrap();
            let record = if round % 7 == 0 {
                let to = [Peer::None, Peer::One(peer), Peer::One(v6)][next(3)];
                Record::info(1, SystemTime::now(), to, &text)
            } else {
                Record::rx(1, SystemTime::now(), [peer, v6][next(2)], text.as_bytes())
            };
            let params = LayoutParams {
                mode: [
                    ViewMode::Text,
                    ViewMode::Text,
                    ViewMode::Hex,
                    ViewMode::Both,
                ][next(4)],
                wrap_columns: [None, Some(40), Some(64), Some(80), Some(2000)][next(5)],
                header_lines: next(4) == 0,
                hide_received: next(10) == 0,
                prefix: [None, Some(0), Some(24)][next(3)],
                ..LayoutParams::default()
            };
            let start_column = [0, 0, 5, 63, 100, 3000][next(6)];
            let mut count = 0u64;
            let tail = spans_from(&record, &text, params, start_column, |_| {
                count += 1;
                true
            });
            assert_eq!(
                count_rows(&record, &text, params, start_column),
                (count, tail),
                "text {text:?}, {params:?}, start column {start_column}"
            );
            fast += usize::from(plain_rows(&text, params.wrap_columns, start_column).is_some());
        }
        assert!(
            fast > 100 && fast < 2900,
            "both ways must be tried often: the fast path was taken {fast} times of 3000"
        );
    }

    #[test]
    fn text_lines_split_on_newlines_and_wrap() {
        let store = store_with(&["ab\r\ncd\n", "你好世界"]);
        let mut layout = Layout::default();
        layout.sync(&store, LayoutParams::default(), false);
        assert_eq!(all_lines(&layout, &store), ["ab", "cd", "你好世界"]);
        let wrapped = LayoutParams {
            wrap_columns: Some(4),
            ..LayoutParams::default()
        };
        layout.sync(&store, wrapped, false);
        assert_eq!(all_lines(&layout, &store), ["ab", "cd", "你好", "世界"]);
    }

    #[test]
    fn hex_both_hidden_and_paused() {
        let mut store = store_with(&["你"]);
        let mut layout = Layout::default();
        let both = LayoutParams {
            mode: ViewMode::Both,
            ..LayoutParams::default()
        };
        layout.sync(&store, both, false);
        assert_eq!(all_lines(&layout, &store), ["E4 BD A0", "你"]);
        let hidden = LayoutParams {
            hide_received: true,
            ..both
        };
        layout.sync(&store, hidden, false);
        assert_eq!(layout.rows(), 0);
        layout.sync(&store, LayoutParams::default(), false);
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        store.push(Record::rx(1, SystemTime::now(), peer, b"x"));
        layout.sync(&store, LayoutParams::default(), true);
        assert_eq!(layout.rows(), 1);
        layout.sync(&store, LayoutParams::default(), false);
        assert_eq!(layout.rows(), 2);
    }

    #[test]
    fn merged_stream_flows_until_a_line_break() {
        let store = store_with(&["你", "好\nab", "c\n", "d"]);
        let mut layout = Layout::default();
        let merged = LayoutParams {
            merge: true,
            ..LayoutParams::default()
        };
        layout.sync(&store, merged, false);
        assert_eq!(all_lines(&layout, &store), ["你好", "abc", "d"]);
        assert!(layout.line(&store, 0).unwrap().first);
        layout.sync(&store, LayoutParams::default(), false);
        assert_eq!(all_lines(&layout, &store), ["你", "好", "ab", "c", "d"]);
    }

    #[test]
    fn filter_hides_records_and_row_of_finds_the_line_of_a_byte() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let other: SocketAddr = "127.0.0.1:10".parse().unwrap();
        let mut store = LogStore::default();
        store.push(Record::rx(1, SystemTime::now(), peer, b"one\ntwo\nthree"));
        store.push(Record::rx(1, SystemTime::now(), other, b"elsewhere"));
        store.push(Record::info(1, SystemTime::now(), Peer::None, "note"));
        let mut layout = Layout::default();
        let only_peer = LayoutParams {
            filter: RecordFilter {
                peer: Some(peer),
                ..RecordFilter::default()
            },
            ..LayoutParams::default()
        };
        layout.sync(&store, only_peer, false);
        assert_eq!(all_lines(&layout, &store), ["one", "two", "three"]);
        assert_eq!(layout.row_of(&store, 0, 0), Some(0));
        assert_eq!(layout.row_of(&store, 0, 5), Some(1), "'w' of two");
        assert_eq!(layout.row_of(&store, 0, 9), Some(2));
        assert_eq!(layout.row_of(&store, 1, 0), None, "filtered out");
        let builds = layout.builds();
        layout.sync(&store, LayoutParams::default(), false);
        assert_eq!(layout.builds(), builds + 1);
        assert_eq!(layout.row_of(&store, 1, 3), Some(3));
        assert_eq!(layout.row_of(&store, 2, 0), Some(4));
        let line = layout.line(&store, 4).unwrap();
        assert_eq!(plain_line(&line, false, 0), "• note");
        let hex = LayoutParams {
            mode: ViewMode::Hex,
            ..LayoutParams::default()
        };
        layout.sync(&store, hex, false);
        assert_eq!(
            layout.row_of(&store, 1, 8),
            Some(1),
            "one hex line per record"
        );
    }

    /// The character-by-character rule the ASCII shortcut must agree with.
    fn reference_spans(text: &str, limit: usize, start_column: usize) -> (Vec<Span>, usize) {
        let mut spans = Vec::new();
        let body = text.strip_suffix('\n').unwrap_or(text);
        let (mut line_start, mut columns) = (0, start_column);
        let pieces: Vec<&str> = body.split('\n').collect();
        for (i, piece) in pieces.iter().enumerate() {
            let content = piece.strip_suffix('\r').unwrap_or(piece);
            let mut start = line_start;
            for (offset, ch) in content.char_indices() {
                let width = if ch == '\t' { TAB_COLUMNS } else { 1 };
                if columns + width > limit && columns > 0 {
                    spans.push(Span::Text(start, line_start + offset));
                    start = line_start + offset;
                    columns = 0;
                }
                columns += width;
            }
            spans.push(Span::Text(start, line_start + content.len()));
            line_start += piece.len() + 1;
            if i + 1 < pieces.len() {
                columns = 0;
            }
        }
        (spans, if text.ends_with('\n') { 0 } else { columns })
    }

    #[test]
    fn ascii_shortcut_wraps_like_the_character_rule() {
        let texts = [
            "",
            "a",
            "ab",
            "abcdefghij",
            "abc\r\ndefghijklmnop\n",
            "x\n\ny",
            "\tindent",
            "0123456789012345678901234567890123456789",
        ];
        for text in texts {
            for limit in [2, 3, 5, 8, 40] {
                for start_column in [0, 1, 4, 7, 12] {
                    let mut spans = Vec::new();
                    let tail = text_spans(text, Some(limit), start_column, &mut |s| {
                        spans.push(s);
                        true
                    });
                    let expected = reference_spans(text, limit, start_column);
                    assert_eq!(
                        (spans, tail),
                        expected,
                        "{text:?} limit {limit} at {start_column}"
                    );
                }
            }
        }
    }

    #[test]
    fn width_change_with_a_budget_builds_beside_the_old_layout() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut store = LogStore::default();
        for i in 0..5000 {
            let text = format!("record {i} with some text to wrap\n");
            store.push(Record::rx(1, SystemTime::now(), peer, text.as_bytes()));
        }
        let wide = LayoutParams {
            wrap_columns: Some(100),
            ..LayoutParams::default()
        };
        let narrow = LayoutParams {
            wrap_columns: Some(10),
            ..wide
        };
        let mut layout = Layout::default();
        assert!(
            layout.sync_within(&store, wide, false, Some(Duration::ZERO)),
            "first: at once"
        );
        assert_eq!(layout.rows(), 5000);
        let builds = layout.builds();
        let mut frames = 0;
        while !layout.sync_within(&store, narrow, false, Some(Duration::ZERO)) {
            frames += 1;
            let first = layout.line(&store, 0).unwrap().content;
            assert_eq!(
                first, "record 0 with some text to wrap",
                "the old layout stays"
            );
            assert!(layout.rows() >= 5000);
            store.push(Record::rx(1, SystemTime::now(), peer, b"new\n"));
            assert!(frames < 1000, "the new layout completes");
        }
        assert!(frames > 1, "built over several frames");
        assert_eq!(layout.builds(), builds + 1);
        let mut fresh = Layout::default();
        fresh.sync(&store, narrow, false);
        assert_eq!(all_lines(&layout, &store), all_lines(&fresh, &store));
        // A change of mode is laid out at once.
        let hex = LayoutParams {
            mode: ViewMode::Hex,
            ..narrow
        };
        assert!(layout.sync_within(&store, hex, false, Some(Duration::ZERO)));
    }

    fn columns(text: &str) -> usize {
        text.chars()
            .map(|ch| {
                if ch == '\t' {
                    TAB_COLUMNS
                } else {
                    char_columns(ch)
                }
            })
            .sum()
    }

    #[test]
    fn rows_with_the_views_prefix_fit_the_wrap_width_and_keep_every_character() {
        let v4: SocketAddr = "127.0.0.1:55448".parse().unwrap();
        let v6: SocketAddr = "[fe80::1234:5678:9abc:def0]:65535".parse().unwrap();
        let note = "information about the service that is longer than the view is wide";
        let data = "is the byte stream 中文也要换行 with\ttabs and \u{1} control";
        let mut store = LogStore::default();
        for peer in [v4, v6] {
            store.push(Record::info(1, SystemTime::now(), Peer::One(peer), note));
            store.push(Record::rx(1, SystemTime::now(), peer, data.as_bytes()));
        }
        for log_mode in [true, false] {
            for wrap in [20, 33, 41, 64] {
                let header_columns = if log_mode { 0 } else { 24 };
                let params = LayoutParams {
                    wrap_columns: Some(wrap),
                    header_lines: log_mode,
                    prefix: Some(header_columns),
                    ..LayoutParams::default()
                };
                let mut layout = Layout::default();
                layout.sync(&store, params, false);
                let mut texts = vec![String::new(); store.len()];
                for row in 0..layout.rows() {
                    let line = layout.line(&store, row).unwrap();
                    if line.span == Span::Header {
                        continue;
                    }
                    let drawn = plain_line(&line, log_mode, header_columns);
                    // The stream view's blank indent is wider than the narrowest views; a
                    // note's header wider than the view has its row to itself.
                    let prefix_only = line.content.is_empty();
                    if (log_mode || wrap > header_columns + 8) && !prefix_only {
                        assert!(
                            columns(&drawn) <= wrap,
                            "log mode {log_mode}, wrap {wrap}: {drawn:?}"
                        );
                    }
                    texts[usize::try_from(line.seq).unwrap()].push_str(&line.content);
                }
                for (seq, text) in texts.iter().enumerate() {
                    let (record, raw) = store.get(seq as u64).unwrap();
                    assert_eq!(*text, span_content(record, raw, Span::Text(0, raw.len())));
                }
            }
        }
    }

    #[test]
    fn a_change_of_direction_or_peer_starts_a_line_in_the_stream_view() {
        let a: SocketAddr = "127.0.0.1:55448".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:55449".parse().unwrap();
        let mut store = LogStore::default();
        let sent: std::sync::Arc<[u8]> = std::sync::Arc::from(&b"hello from netassist"[..]);
        store.push(Record::tx(
            1,
            SystemTime::now(),
            Peer::One(a),
            sent,
            crate::engine::SendOrigin::Manual,
        ));
        store.push(Record::rx(
            1,
            SystemTime::now(),
            a,
            b"127.0.0.1:55448 says hi",
        ));
        store.push(Record::rx(1, SystemTime::now(), a, b" again"));
        store.push(Record::rx(1, SystemTime::now(), b, b"other"));
        let merged = LayoutParams {
            merge: true,
            prefix: Some(24),
            ..LayoutParams::default()
        };
        let mut layout = Layout::default();
        layout.sync(&store, merged, false);
        assert_eq!(
            all_lines(&layout, &store),
            [
                "hello from netassist",
                "127.0.0.1:55448 says hi again",
                "other"
            ]
        );
        let first = layout.line(&store, 0).unwrap();
        assert_eq!(
            plain_line(&first, false, 24),
            format!("{:<24} hello from netassist", "→ 127.0.0.1:55448")
        );
    }

    #[test]
    fn rows_the_view_wrapped_are_marked_soft() {
        let store = store_with(&["abcdefgh\nij"]);
        let mut layout = Layout::default();
        let params = LayoutParams {
            wrap_columns: Some(4),
            ..LayoutParams::default()
        };
        layout.sync(&store, params, false);
        let lines: Vec<(String, bool)> = (0..layout.rows())
            .map(|row| {
                let line = layout.line(&store, row).unwrap();
                (line.content, line.soft)
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("abcd".to_owned(), false),
                ("efgh".to_owned(), true),
                ("ij".to_owned(), false)
            ]
        );
    }

    #[test]
    fn eviction_keeps_rows_aligned() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut store = LogStore::new(usize::MAX, 2);
        let mut layout = Layout::default();
        for text in ["a", "b\nc", "d"] {
            store.push(Record::rx(1, SystemTime::now(), peer, text.as_bytes()));
            layout.sync(&store, LayoutParams::default(), false);
        }
        assert_eq!(all_lines(&layout, &store), ["b", "c", "d"]);
    }

    #[test]
    fn the_tail_layout_holds_the_newest_records_for_the_rows_asked() {
        let texts: Vec<String> = (0..1000).map(|i| format!("line {i}\nmore {i}\n")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let store = store_with(&refs);
        let tail = Layout::tail(&store, LayoutParams::default(), 5);
        // Three records give six rows, the fewest for five.
        assert_eq!(tail.first_seq(), 997);
        assert_eq!(
            all_lines(&tail, &store),
            [
                "line 997", "more 997", "line 998", "more 998", "line 999", "more 999"
            ]
        );
        // Fewer records than rows asked: all of them.
        let small = store_with(&["a", "b"]);
        assert_eq!(
            all_lines(&Layout::tail(&small, LayoutParams::default(), 50), &small),
            ["a", "b"]
        );
        assert_eq!(
            Layout::tail(&LogStore::default(), LayoutParams::default(), 5).rows(),
            0
        );
    }
}
