//! Wrapping: how a record's text and bytes are cut into rows ([`Span`]s) at the view's
//! width, a CJK character taking two columns and a tab four, with a fast count for plain text.

use super::super::record::{Direction, Record};
use super::line::Span;
use super::params::{LayoutParams, MAX_UNWRAPPED_COLUMNS, ViewMode};

/// Calls `each` with every line of `record` under `params`, in order.
pub fn spans(record: &Record, text: &str, params: LayoutParams, mut each: impl FnMut(Span)) {
    spans_from(record, text, params, 0, |span| {
        each(span);
        true
    });
}

/// Like [`spans`], the first text line starting at `start_column`, until `each` returns false;
/// returns the column after the last character (meaningless when stopped early).
pub(super) fn spans_from(
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
pub(super) fn count_rows(
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
pub(super) fn plain_rows(
    text: &str,
    wrap: Option<usize>,
    start_column: usize,
) -> Option<(u64, usize)> {
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

pub(super) fn text_spans(
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
