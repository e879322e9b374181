//! Writing the log out: the visible log as text (as displayed, with the data's own line
//! breaks rather than the view's wraps), or as CSV (time, direction, peer, length, hex, text);
//! and the text of a range of records for the clipboard.
//!
//! A large log takes a while to write, so an [`Export`] works in slices with a time budget,
//! like the search: the window stays responsive while a million records go to disk.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::record::{Direction, Peer, Record, RecordFilter};
use super::render::{Layout, Line, Span, plain_line};
use super::store::LogStore;
use crate::codec::to_hex;

/// How the view draws lines, needed to write them as displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextStyle {
    /// Log mode: headers with the time on lines of their own.
    pub log_mode: bool,
    /// Width the inline header is padded to.
    pub header_columns: usize,
}

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The visible lines as displayed, rows the view wrapped joined again.
    Text,
    /// One row per data record: time, direction, peer, length, hex, text.
    Csv,
}

/// Why an export stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// No file was chosen (the path is empty).
    #[error("no file chosen — type a path or press …")]
    NoFile,
    /// The file could not be created or written.
    #[error("cannot write {path}: {reason}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The view was laid out again (other mode, encoding, width) while writing text.
    #[error("the view changed while exporting — export again")]
    ViewChanged,
}

/// What a finished export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// The file.
    pub path: PathBuf,
    /// Lines (text) or rows (CSV, without the heading) written.
    pub written: u64,
    /// Lines or records evicted by the caps before they could be written.
    pub skipped: u64,
}

/// An export in progress.
pub struct Export {
    format: ExportFormat,
    style: TextStyle,
    filter: RecordFilter,
    out: BufWriter<File>,
    path: PathBuf,
    /// Text: the next absolute row; CSV: the next sequence number.
    next: u64,
    end: u64,
    builds: u64,
    written: u64,
    skipped: u64,
    /// The text file's last line break is written.
    ended: bool,
}

/// How many lines are written between two looks at the clock.
const CLOCK_EVERY: u64 = 256;

impl Export {
    /// Starts writing the lines `layout` has now, as the view shows them, to `path` (a row
    /// the view wrapped goes on the line above it: the file has the data's line breaks).
    pub fn text(path: &Path, layout: &Layout, style: TextStyle) -> Result<Self, ExportError> {
        let base = layout.base_row();
        let mut export = Self::create(path, ExportFormat::Text, style, RecordFilter::default())?;
        export.next = base;
        export.end = base + layout.rows() as u64;
        export.builds = layout.builds();
        Ok(export)
    }

    /// Starts writing the data records of `store` that `filter` accepts as CSV to `path`.
    pub fn csv(path: &Path, store: &LogStore, filter: RecordFilter) -> Result<Self, ExportError> {
        let style = TextStyle {
            log_mode: true,
            header_columns: 0,
        };
        let mut export = Self::create(path, ExportFormat::Csv, style, filter)?;
        export.next = store.first_seq();
        export.end = store.end_seq();
        export.put("time,direction,peer,length,hex,text\n")?;
        Ok(export)
    }

    fn create(
        path: &Path,
        format: ExportFormat,
        style: TextStyle,
        filter: RecordFilter,
    ) -> Result<Self, ExportError> {
        let file = File::create(path).map_err(|err| io_error(path, &err))?;
        Ok(Self {
            format,
            style,
            filter,
            out: BufWriter::with_capacity(256 * 1024, file),
            path: path.to_path_buf(),
            next: 0,
            end: 0,
            builds: 0,
            written: 0,
            skipped: 0,
            ended: false,
        })
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Text or CSV.
    pub fn format(&self) -> ExportFormat {
        self.format
    }

    /// How far along, 0.0 to 1.0.
    pub fn progress(&self, layout: &Layout, store: &LogStore) -> f32 {
        let start = match self.format {
            ExportFormat::Text => layout.base_row(),
            ExportFormat::Csv => store.first_seq(),
        };
        let total = self.end.saturating_sub(start.min(self.next)).max(1);
        1.0 - self.end.saturating_sub(self.next) as f32 / total as f32
    }

    /// Writes for at most `budget` (`None`: to the end). Returns the summary once the file is
    /// complete and flushed, `None` while there is more to write.
    pub fn advance(
        &mut self,
        store: &LogStore,
        layout: &Layout,
        budget: Option<Duration>,
    ) -> Result<Option<ExportSummary>, ExportError> {
        let start = Instant::now();
        let mut line = String::new();
        let mut count = 0u64;
        while self.next < self.end {
            count += 1;
            if let Some(budget) = budget
                && count.is_multiple_of(CLOCK_EVERY)
                && start.elapsed() >= budget
            {
                return Ok(None);
            }
            line.clear();
            match self.format {
                ExportFormat::Text => {
                    if layout.builds() != self.builds {
                        return Err(ExportError::ViewChanged);
                    }
                    let base = layout.base_row();
                    if self.next < base {
                        self.skipped += base - self.next;
                        self.next = base;
                        continue;
                    }
                    let row = usize::try_from(self.next - base).unwrap_or(usize::MAX);
                    self.next += 1;
                    let Some(shown) = layout.line(store, row) else {
                        continue;
                    };
                    // A row the view wrapped goes on the line above: the file keeps the data's
                    // own line breaks, whatever the window's width.
                    let joined = shown.soft && self.written > 0;
                    if !joined && self.written > 0 {
                        line.push('\n');
                    }
                    push_line(&mut line, &shown, self.style, joined);
                    self.put(&line)?;
                    if !joined {
                        self.written += 1;
                    }
                    continue;
                }
                ExportFormat::Csv => {
                    if self.next < store.first_seq() {
                        self.skipped += store.first_seq() - self.next;
                        self.next = store.first_seq();
                        continue;
                    }
                    let seq = self.next;
                    self.next += 1;
                    let Some((record, text)) = store.get(seq) else {
                        continue;
                    };
                    if record.direction == Direction::Info || !self.filter.accepts(record) {
                        continue;
                    }
                    csv_row(&mut line, record, text);
                }
            }
            self.put(&line)?;
            self.written += 1;
        }
        if self.format == ExportFormat::Text && self.written > 0 && !self.ended {
            self.ended = true;
            self.put("\n")?;
        }
        self.out.flush().map_err(|err| io_error(&self.path, &err))?;
        Ok(Some(ExportSummary {
            path: self.path.clone(),
            written: self.written,
            skipped: self.skipped,
        }))
    }

    fn put(&mut self, text: &str) -> Result<(), ExportError> {
        self.out
            .write_all(text.as_bytes())
            .map_err(|err| io_error(&self.path, &err))
    }
}

fn io_error(path: &Path, err: &std::io::Error) -> ExportError {
    ExportError::Io {
        path: path.to_path_buf(),
        reason: err.to_string(),
    }
}

/// Appends `line` as the text export and copy write it: a whole line (prefix and content), or
/// only its content when it is `joined` to the line above (a soft wrap; hex rows keep a
/// space between their bytes).
fn push_line(out: &mut String, line: &Line<'_>, style: TextStyle, joined: bool) {
    if joined {
        if matches!(line.span, Span::Hex(..)) {
            out.push(' ');
        }
        out.push_str(&line.content);
    } else {
        out.push_str(&plain_line(line, style.log_mode, style.header_columns));
    }
}

/// Appends one CSV row (with its line break) for `record`: local time with microseconds,
/// `rx`/`tx`, the peer, the length in bytes, the bytes as spaced hex and `text`, the bytes
/// decoded as the log shows them, quoted and on the row's one line (line breaks as `\n` and
/// `\r`, other control characters as `\xNN`; the hex column has the exact bytes).
pub fn csv_row(out: &mut String, record: &Record, text: &str) {
    let local: chrono::DateTime<chrono::Local> = record.at.into();
    let direction = match record.direction {
        Direction::Rx => "rx",
        Direction::Tx => "tx",
        Direction::Info => "info",
    };
    let peer = match record.peer {
        Peer::None => String::new(),
        Peer::One(addr) => crate::engine::peer_label(addr),
        Peer::All(n) => format!("all ({n})"),
    };
    let _ = write!(
        out,
        "{},{direction},{peer},{},",
        local.format("%Y-%m-%d %H:%M:%S%.6f"),
        record.bytes.len()
    );
    out.push_str(&to_hex(&record.bytes));
    out.push_str(",\"");
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\"\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push('\t'),
            ch if ch.is_control() => {
                let _ = write!(out, "\\x{:02X}", u32::from(ch));
            }
            ch => out.push(ch),
        }
    }
    out.push_str("\"\n");
}

/// The lines of records `first..=last` as the view shows them (for the clipboard), one per
/// line, the view's wraps joined as in the text export; records the layout does not show are
/// left out.
pub fn records_text(
    store: &LogStore,
    layout: &Layout,
    first: u64,
    last: u64,
    style: TextStyle,
) -> String {
    let mut out = String::new();
    let first_row = (first.max(store.first_seq())..=last)
        .find_map(|seq| Some((seq, layout.row_of(store, seq, 0)?)));
    let Some((seq, mut first_row)) = first_row else {
        return out;
    };
    // The record's header line (log mode) comes before the row of its first byte.
    if first_row > 0
        && layout
            .line(store, first_row - 1)
            .is_some_and(|line| line.seq == seq && line.span == Span::Header)
    {
        first_row -= 1;
    }
    for row in first_row..layout.rows() {
        let Some(line) = layout.line(store, row) else {
            break;
        };
        if line.seq > last {
            break;
        }
        let joined = line.soft && !out.is_empty();
        if joined {
            out.pop();
        }
        push_line(&mut out, &line, style, joined);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
