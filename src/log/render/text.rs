//! The text of a line: the content of a span (control characters shown as `\xNN`), the
//! record's header (time, arrow, peer) and the prefix the view puts before each row.

use std::fmt::Write as _;
use std::time::SystemTime;

use super::super::record::{Direction, Peer, Record};
use super::line::{Line, Span};
use crate::codec::write_hex;

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
        Span::Text(start, end) => match text.get(start..end) {
            Some(slice) => escape_controls(slice),
            // A span laid out for another text (it ends past this one or inside a
            // character): the row shows nothing rather than the wrong characters.
            None => String::new(),
        },
    }
}

/// Appends `text` with every control character but tab shown as `\xNN` (a carriage return
/// as `\x0D`, a line break as `\x0A`), so a stray control byte cannot garble a row or split a
/// log line. The one rendering of control characters: the window's rows and the command
/// line's `--show log` lines both use it.
pub fn push_escaped_controls(out: &mut String, text: &str) {
    for ch in text.chars() {
        if ch.is_control() && ch != '\t' {
            let _ = write!(out, "\\x{:02X}", u32::from(ch));
        } else {
            out.push(ch);
        }
    }
}

/// `text` with its control characters escaped, as [`push_escaped_controls`] writes it.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped_controls(&mut out, text);
    out
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
    // issue 15: websocket
    out.push_str(record.header_mark());
    out
}
