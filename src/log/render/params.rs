//! What the view looks like, as far as it changes how many rows a record takes: the mode
//! (text, hex or both), wrap width, hidden and filtered records, the header lines and prefix.

use std::fmt::Write as _;

use super::super::record::{Direction, Peer, Record, RecordFilter};

/// Lines without wrapping are cut after this many characters so a row stays cheap to draw.
pub(super) const MAX_UNWRAPPED_COLUMNS: usize = 2000;
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
    /// The rows carry the view's prefix ([`line_prefix`](super::line_prefix) with this header width) and
    /// `wrap_columns` is the width of the whole row, prefix included; `None`: rows are content
    /// only and `wrap_columns` is all theirs.
    pub prefix: Option<usize>,
}

impl LayoutParams {
    /// True when `record` is laid out at all (not hidden as received, and passing the filter).
    pub(super) fn shows(&self, record: &Record) -> bool {
        !self.hides_received(record) && self.filter.accepts(record)
    }

    /// True when `record` is received and received records are hidden.
    pub(super) fn hides_received(&self, record: &Record) -> bool {
        self.hide_received && record.direction == Direction::Rx
    }

    /// How `record`'s hex rows go: whether its header takes its first row alone (it leaves
    /// no room for a byte), and the bytes on one row, as many as fit beside the prefix.
    pub(super) fn hex_rows(&self, record: &Record) -> (bool, usize) {
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
    /// rows ([`line_prefix`](super::line_prefix)); none when the rows carry no prefix.
    pub(super) fn prefix_columns(&self, record: &Record) -> (usize, usize) {
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
    pub(super) fn text_wrap(&self, record: &Record, start_column: usize) -> (Option<usize>, usize) {
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

/// Columns of [`header`](super::header) for `record` (time, arrow and peer are one column a character),
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
    // issue 15: websocket
    count.0 + record.header_mark().len()
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
