//! Backslash escapes in typed text: `\r \n \t \0 \\` and raw bytes via `\xNN`.

use thiserror::Error;

/// One piece of parsed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Characters still to be encoded with the chosen text encoding.
    Text(String),
    /// Raw bytes from `\xNN` escapes, sent exactly as written so that binary
    /// protocols (e.g. a TFTP request) can be typed in text mode.
    Bytes(Vec<u8>),
}

/// Why escape parsing failed. Positions are 1-based character indices of the backslash.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EscapeError {
    /// A backslash followed by a character that is not a known escape.
    #[error(
        "unknown escape '\\{ch}' at position {position} — use \\r \\n \\t \\0 \\\\ or \\xNN (write \\\\ for a backslash)"
    )]
    UnknownEscape {
        /// The character after the backslash.
        ch: char,
        /// 1-based character position of the backslash.
        position: usize,
    },
    /// The input ends with a backslash that escapes nothing.
    #[error(
        "the backslash at position {position} ends the text and escapes nothing — write \\\\ for a backslash"
    )]
    TrailingBackslash {
        /// 1-based character position of the backslash.
        position: usize,
    },
    /// `\x` not followed by exactly two hex digits.
    #[error(
        "'{found}' at position {position} is not a byte escape — \\x needs exactly two hex digits, like \\x0A"
    )]
    BadHexEscape {
        /// What was written, e.g. `\x4` or `\xZZ`.
        found: String,
        /// 1-based character position of the backslash.
        position: usize,
    },
}

/// A text segment plus what is needed to map its characters back to input positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TextSpan {
    /// 1-based input position of the segment's first character.
    pub(super) start: usize,
    /// Indices (within the segment, in characters) of characters that came
    /// from a two-character escape; each one shifts later positions by one.
    pub(super) escaped: Vec<usize>,
    /// Number of characters in the segment so far.
    len: usize,
}

impl TextSpan {
    /// Maps a 1-based character index within the segment to a 1-based input position.
    pub(super) fn input_position(&self, index_in_segment: usize) -> usize {
        let zero_based = index_in_segment.saturating_sub(1);
        let shift = self.escaped.partition_point(|&e| e < zero_based);
        self.start + zero_based + shift
    }
}

/// Parses escapes, keeping position information for error reporting by callers.
pub(super) fn parse_spanned(input: &str) -> Result<Vec<(Segment, Option<TextSpan>)>, EscapeError> {
    let mut out: Vec<(Segment, Option<TextSpan>)> = Vec::new();
    let mut chars = input.chars().enumerate().peekable();

    while let Some((i, ch)) = chars.next() {
        let position = i + 1;
        if ch != '\\' {
            push_text(&mut out, ch, position, false);
            continue;
        }
        let Some((_, next)) = chars.next() else {
            return Err(EscapeError::TrailingBackslash { position });
        };
        let simple = match next {
            'r' => Some('\r'),
            'n' => Some('\n'),
            't' => Some('\t'),
            '0' => Some('\0'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(c) = simple {
            push_text(&mut out, c, position, true);
            continue;
        }
        if next != 'x' {
            return Err(EscapeError::UnknownEscape { ch: next, position });
        }
        let mut found = String::from("\\x");
        let mut value = 0u8;
        for _ in 0..2 {
            let digit = chars
                .next_if(|&(_, c)| c.is_ascii_hexdigit())
                .and_then(|(_, c)| {
                    found.push(c);
                    c.to_digit(16)
                });
            let Some(d) = digit else {
                // Show the offending character too, so `\xZZ` reads as `\xZ`.
                if let Some(&(_, c)) = chars.peek() {
                    found.push(c);
                }
                return Err(EscapeError::BadHexEscape { found, position });
            };
            value = value << 4 | d as u8;
        }
        match out.last_mut() {
            Some((Segment::Bytes(bytes), _)) => bytes.push(value),
            _ => out.push((Segment::Bytes(vec![value]), None)),
        }
    }
    Ok(out)
}

fn push_text(
    out: &mut Vec<(Segment, Option<TextSpan>)>,
    ch: char,
    position: usize,
    from_escape: bool,
) {
    if let Some((Segment::Text(text), Some(span))) = out.last_mut() {
        if from_escape {
            span.escaped.push(span.len);
        }
        span.len += 1;
        text.push(ch);
        return;
    }
    let escaped = if from_escape { vec![0] } else { Vec::new() };
    out.push((
        Segment::Text(ch.to_string()),
        Some(TextSpan {
            start: position,
            escaped,
            len: 1,
        }),
    ));
}

/// Splits typed text into text and raw-byte segments.
///
/// `\r \n \t \0 \\` become the characters they name; `\xNN` (two hex digits,
/// either case) becomes a raw byte that must not go through a text encoding.
/// Adjacent text and adjacent bytes are merged into one segment each.
pub fn parse_escapes(input: &str) -> Result<Vec<Segment>, EscapeError> {
    Ok(parse_spanned(input)?
        .into_iter()
        .map(|(segment, _)| segment)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Segment {
        Segment::Text(s.to_owned())
    }

    #[test]
    fn plain_text_is_one_segment() {
        assert_eq!(parse_escapes(""), Ok(vec![]));
        assert_eq!(parse_escapes("hello 你好"), Ok(vec![text("hello 你好")]));
    }

    #[test]
    fn simple_escapes_become_text() {
        assert_eq!(
            parse_escapes(r"a\r\nb\tc\0d\\e"),
            Ok(vec![text("a\r\nb\tc\0d\\e")])
        );
    }

    #[test]
    fn hex_escapes_become_merged_bytes() {
        assert_eq!(
            parse_escapes(r"\x00\xfF\x7a"),
            Ok(vec![Segment::Bytes(vec![0x00, 0xFF, 0x7A])])
        );
        assert_eq!(
            parse_escapes(r"AT\x0D\n"),
            Ok(vec![text("AT"), Segment::Bytes(vec![0x0D]), text("\n")])
        );
    }

    #[test]
    fn tftp_request_bytes() {
        let segments = parse_escapes(r"\x00\x01test.txt\x00octet\x00").expect("valid");
        assert_eq!(
            segments,
            vec![
                Segment::Bytes(vec![0, 1]),
                text("test.txt"),
                Segment::Bytes(vec![0]),
                text("octet"),
                Segment::Bytes(vec![0]),
            ]
        );
        let mut bytes = Vec::new();
        for s in segments {
            match s {
                Segment::Text(t) => bytes.extend_from_slice(t.as_bytes()),
                Segment::Bytes(b) => bytes.extend_from_slice(&b),
            }
        }
        assert_eq!(
            bytes,
            [
                0x00, 0x01, 0x74, 0x65, 0x73, 0x74, 0x2E, 0x74, 0x78, 0x74, 0x00, 0x6F, 0x63, 0x74,
                0x65, 0x74, 0x00
            ]
        );
    }

    #[test]
    fn unknown_escape_names_it_and_its_position() {
        let err = parse_escapes(r"abcd\q").expect_err("unknown");
        assert_eq!(
            err,
            EscapeError::UnknownEscape {
                ch: 'q',
                position: 5
            }
        );
        assert_eq!(
            err.to_string(),
            r"unknown escape '\q' at position 5 — use \r \n \t \0 \\ or \xNN (write \\ for a backslash)"
        );
        // Positions count characters, not bytes.
        assert_eq!(
            parse_escapes(r"你好\u"),
            Err(EscapeError::UnknownEscape {
                ch: 'u',
                position: 3
            })
        );
    }

    #[test]
    fn trailing_backslash_is_an_error() {
        let err = parse_escapes(r"ab\").expect_err("trailing");
        assert_eq!(err, EscapeError::TrailingBackslash { position: 3 });
        assert!(err.to_string().contains("position 3"), "{err}");
        // An escaped backslash at the end is fine.
        assert_eq!(parse_escapes(r"ab\\"), Ok(vec![text("ab\\")]));
    }

    #[test]
    fn bad_hex_escapes() {
        assert_eq!(
            parse_escapes(r"\x4"),
            Err(EscapeError::BadHexEscape {
                found: r"\x4".into(),
                position: 1
            })
        );
        assert_eq!(
            parse_escapes(r"a\xZZ"),
            Err(EscapeError::BadHexEscape {
                found: r"\xZ".into(),
                position: 2
            })
        );
        assert_eq!(
            parse_escapes(r"\x4G"),
            Err(EscapeError::BadHexEscape {
                found: r"\x4G".into(),
                position: 1
            })
        );
        let err = parse_escapes(r"\x").expect_err("bad");
        assert_eq!(
            err.to_string(),
            r"'\x' at position 1 is not a byte escape — \x needs exactly two hex digits, like \x0A"
        );
    }

    #[test]
    fn spans_map_back_to_input_positions() {
        // Input positions: a=1 \n=2,3 b=4 \t=5,6 c=7 \x00=8..11 d=12 \\=13,14 e=15
        let spanned = parse_spanned(r"a\nb\tc\x00d\\e").expect("valid");
        let (Segment::Text(first), Some(span)) = &spanned[0] else {
            panic!("text first")
        };
        assert_eq!(first, "a\nb\tc");
        let positions: Vec<usize> = (1..=5).map(|i| span.input_position(i)).collect();
        assert_eq!(positions, [1, 2, 4, 5, 7]);
        let (Segment::Text(last), Some(span)) = &spanned[2] else {
            panic!("text last")
        };
        assert_eq!(last, "d\\e");
        let positions: Vec<usize> = (1..=3).map(|i| span.input_position(i)).collect();
        assert_eq!(positions, [12, 13, 15]);
    }
}
