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
        Peer::One(addr) => addr.to_string(),
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
mod tests {
    use super::*;
    use crate::engine::SendOrigin;
    use crate::log::{LayoutParams, ViewMode};
    use std::net::SocketAddr;
    use std::sync::Arc;
    use std::time::SystemTime;

    fn temp_path(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!(
            "netassist-export-{}-{name}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ))
    }

    fn sample() -> (LogStore, Layout) {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut store = LogStore::default();
        store.push(Record::info(1, SystemTime::now(), Peer::None, "listening"));
        store.push(Record::rx(1, SystemTime::now(), peer, b"hi\nthere\n"));
        let payload: Arc<[u8]> = Arc::from(&b"ok,\"x\""[..]);
        store.push(Record::tx(
            1,
            SystemTime::now(),
            Peer::One(peer),
            payload,
            SendOrigin::Manual,
        ));
        let mut layout = Layout::default();
        layout.sync(&store, LayoutParams::default(), false);
        (store, layout)
    }

    const STYLE: TextStyle = TextStyle {
        log_mode: false,
        header_columns: 16,
    };

    #[test]
    fn text_export_writes_the_lines_as_displayed() {
        let (store, layout) = sample();
        let path = temp_path("text");
        let mut export = Export::text(&path, &layout, STYLE).unwrap();
        let mut summary = None;
        for _ in 0..100 {
            summary = export
                .advance(&store, &layout, Some(Duration::ZERO))
                .unwrap();
            if summary.is_some() {
                break;
            }
        }
        let summary = summary.unwrap();
        assert_eq!((summary.written, summary.skipped), (4, 0));
        let written = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let expected: String = (0..layout.rows())
            .map(|row| plain_line(&layout.line(&store, row).unwrap(), false, 16) + "\n")
            .collect();
        assert_eq!(written, expected);
        assert!(
            written.starts_with(&format!("•{}listening\n", " ".repeat(16))),
            "{written}"
        );
        assert!(written.contains(&format!("← 127.0.0.1:9    hi\n{}there\n", " ".repeat(17))));
        assert!(written.ends_with("→ 127.0.0.1:9    ok,\"x\"\n"));
    }

    #[test]
    fn csv_export_has_every_data_record_and_notes_left_out() {
        let (store, layout) = sample();
        let path = temp_path("csv");
        let mut export = Export::csv(&path, &store, RecordFilter::default()).unwrap();
        let summary = export.advance(&store, &layout, None).unwrap().unwrap();
        assert_eq!(summary.written, 2);
        let written = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let rows: Vec<&str> = written.lines().collect();
        assert_eq!(rows[0], "time,direction,peer,length,hex,text");
        assert!(
            rows[1].ends_with(r#",rx,127.0.0.1:9,9,68 69 0A 74 68 65 72 65 0A,"hi\nthere\n""#),
            "{}",
            rows[1]
        );
        assert!(
            rows[2].ends_with(r#",tx,127.0.0.1:9,6,6F 6B 2C 22 78 22,"ok,""x""""#),
            "{}",
            rows[2]
        );
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn eviction_during_csv_export_is_counted_and_bad_path_is_a_sentence() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut store = LogStore::new(usize::MAX, 5);
        for _ in 0..5 {
            store.push(Record::rx(1, SystemTime::now(), peer, b"a"));
        }
        let layout = Layout::default();
        let path = temp_path("evict");
        let mut export = Export::csv(&path, &store, RecordFilter::default()).unwrap();
        for _ in 0..3 {
            store.push(Record::rx(1, SystemTime::now(), peer, b"b"));
        }
        let summary = export.advance(&store, &layout, None).unwrap().unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!((summary.written, summary.skipped), (2, 3));
        let bad = std::env::temp_dir()
            .join("no-such-dir-netassist")
            .join("x.csv");
        let err = Export::csv(&bad, &store, RecordFilter::default())
            .err()
            .unwrap();
        assert!(err.to_string().starts_with("cannot write "), "{err}");
    }

    #[test]
    fn text_export_and_copy_keep_the_datas_line_breaks_not_the_views_wraps() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut store = LogStore::default();
        store.push(Record::rx(
            1,
            SystemTime::now(),
            peer,
            "a line much longer than the view\n第二行也很长很长很长\n".as_bytes(),
        ));
        store.push(Record::rx(1, SystemTime::now(), peer, b"next"));
        for (mode, expected) in [
            (
                ViewMode::Text,
                "a line much longer than the view\n第二行也很长很长很长\nnext\n",
            ),
            (
                ViewMode::Hex,
                "61 20 6C 69 6E 65 20 6D 75 63 68 20 6C 6F 6E 67 65 72 20 74 68 61 6E 20 74 68 \
                 65 20 76 69 65 77 0A E7 AC AC E4 BA 8C E8 A1 8C E4 B9 9F E5 BE 88 E9 95 BF E5 \
                 BE 88 E9 95 BF E5 BE 88 E9 95 BF 0A\n6E 65 78 74\n",
            ),
        ] {
            let params = LayoutParams {
                mode,
                wrap_columns: Some(12),
                header_lines: true,
                prefix: Some(0),
                ..LayoutParams::default()
            };
            let mut layout = Layout::default();
            layout.sync(&store, params, false);
            assert!(layout.rows() >= 8, "the view wraps");
            let style = TextStyle {
                log_mode: true,
                header_columns: 0,
            };
            let path = temp_path("wrapped");
            let mut export = Export::text(&path, &layout, style).unwrap();
            let summary = export.advance(&store, &layout, None).unwrap().unwrap();
            let written = std::fs::read_to_string(&path).unwrap();
            std::fs::remove_file(&path).unwrap();
            let mut data = String::new();
            for line in written.lines().filter(|line| !line.starts_with('[')) {
                data.push_str(line);
                data.push('\n');
            }
            assert_eq!(data, expected, "{mode:?}");
            assert_eq!(summary.written, written.lines().count() as u64);
            let copied = records_text(&store, &layout, 0, 1, style);
            assert_eq!(copied, written, "copy joins the wraps too");
        }
    }

    #[test]
    fn records_text_copies_a_range_of_records() {
        let (store, layout) = sample();
        let text = records_text(&store, &layout, 1, 2, STYLE);
        assert_eq!(text.lines().count(), 3);
        assert!(text.starts_with("← 127.0.0.1:9"));
        assert!(records_text(&store, &layout, 7, 9, STYLE).is_empty());
    }
}
