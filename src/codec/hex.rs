//! Hex text to bytes and back, with error messages that point at the exact character.

use thiserror::Error;

/// Why a piece of hex text could not be turned into bytes.
///
/// Lines and columns are 1-based and counted in characters, so a Chinese
/// character before the error counts as one column. The message mentions the
/// line only when it is not the first one, because single-line input (the
/// common case) reads better without it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HexError {
    /// A character that is neither a hex digit nor a separator.
    #[error(
        "invalid hex: {} at {}column {column} is not a hex digit — use 0-9 and A-F, separated by spaces if you like",
        show_char(*ch),
        line_prefix(*line)
    )]
    InvalidChar {
        /// The offending character.
        ch: char,
        /// 1-based line number.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
    },
    /// A token with an odd number of digits; `column` points at the digit left over.
    #[error(
        "invalid hex: the digit at {}column {column} has no partner — hex bytes are two digits each (write 0A, not A)",
        line_prefix(*line)
    )]
    OddDigits {
        /// 1-based line number.
        line: usize,
        /// 1-based column of the unpaired digit, in characters.
        column: usize,
    },
}

fn line_prefix(line: usize) -> String {
    if line > 1 {
        format!("line {line}, ")
    } else {
        String::new()
    }
}

/// Invisible characters would make a message like `'' is not a hex digit`
/// useless, so those are shown by code point instead.
pub(super) fn show_char(ch: char) -> String {
    let invisible = ch.is_control()
        || ch.is_whitespace()
        || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}');
    if invisible {
        format!("U+{:04X}", u32::from(ch))
    } else {
        format!("'{ch}'")
    }
}

/// Full-width punctuation is included because it is what a Chinese input
/// method produces when the user means the ASCII separator.
fn is_separator(ch: char) -> bool {
    ch.is_whitespace()
        || matches!(
            ch,
            ',' | ';' | '-' | ':' | '，' | '；' | '：' | '、' | '\u{FEFF}'
        )
}

fn hex_value(ch: char) -> Option<u8> {
    ch.to_digit(16).map(|d| d as u8)
}

/// A position tracker that treats `\r\n`, `\n` and a lone `\r` each as one line break.
struct Cursor {
    line: usize,
    column: usize,
    after_cr: bool,
}

impl Cursor {
    fn new() -> Self {
        Self {
            line: 1,
            column: 0,
            after_cr: false,
        }
    }

    /// Moves onto `ch`; afterwards `line`/`column` are the position of `ch`.
    fn advance(&mut self, ch: char) {
        match ch {
            '\n' if self.after_cr => {
                // The `\r` already started the new line.
                self.after_cr = false;
            }
            '\n' | '\r' => {
                self.line += 1;
                self.column = 0;
                self.after_cr = ch == '\r';
            }
            _ => {
                self.column += 1;
                self.after_cr = false;
            }
        }
    }
}

/// Parses hex text such as `48 65 6C`, `48656c`, `0x48,0x65`, `48-65` or `48:65`.
///
/// Whitespace (including line breaks), commas, semicolons, dashes and colons
/// separate tokens. Each token may start with `0x`/`0X` and must contain an
/// even number of hex digits, read in pairs. Empty input gives no bytes.
pub fn parse_hex(input: &str) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::with_capacity(input.len() / 2);
    let mut cursor = Cursor::new();
    // The first digit of a pair waiting for its partner, with its position.
    let mut pending: Option<(u8, usize, usize)> = None;
    // Whether the current token so far is exactly "0", so that an `x` may follow.
    let mut token_len = 0usize;
    let mut token_is_zero = false;

    for ch in input.chars() {
        cursor.advance(ch);
        if is_separator(ch) {
            if let Some((_, line, column)) = pending {
                return Err(HexError::OddDigits { line, column });
            }
            token_len = 0;
            token_is_zero = false;
            continue;
        }
        token_len += 1;
        if (ch == 'x' || ch == 'X') && token_len == 2 && token_is_zero {
            // "0x" prefix: forget the zero that was waiting for a partner.
            pending = None;
            token_is_zero = false;
            continue;
        }
        let Some(value) = hex_value(ch) else {
            return Err(HexError::InvalidChar {
                ch,
                line: cursor.line,
                column: cursor.column,
            });
        };
        token_is_zero = token_len == 1 && ch == '0';
        match pending.take() {
            Some((high, _, _)) => out.push(high << 4 | value),
            None => pending = Some((value, cursor.line, cursor.column)),
        }
    }
    if let Some((_, line, column)) = pending {
        return Err(HexError::OddDigits { line, column });
    }
    Ok(out)
}

/// Two characters per byte; `str::from_utf8` succeeds at compile time because
/// the table is pure ASCII.
const HEX_PAIRS: &str = match std::str::from_utf8(&build_pairs()) {
    Ok(s) => s,
    Err(_) => panic!("hex table is ASCII"),
};

const fn build_pairs() -> [u8; 512] {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut table = [0u8; 512];
    let mut i = 0;
    while i < 256 {
        table[i * 2] = DIGITS[i >> 4];
        table[i * 2 + 1] = DIGITS[i & 0xF];
        i += 1;
    }
    table
}

fn pair(byte: u8) -> &'static str {
    let i = usize::from(byte) * 2;
    HEX_PAIRS.get(i..i + 2).unwrap_or("??")
}

/// Renders bytes as uppercase hex pairs separated by single spaces, e.g. `48 65 6C`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    push_pairs(&mut out, bytes);
    out
}

/// Appends bytes as hex to `out`, inserting a space first when `out` does not
/// already end in whitespace, so repeated calls produce one continuous dump.
pub fn write_hex(out: &mut String, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    out.reserve(bytes.len() * 3);
    if out.chars().next_back().is_some_and(|c| !c.is_whitespace()) {
        out.push(' ');
    }
    push_pairs(out, bytes);
}

fn push_pairs(out: &mut String, bytes: &[u8]) {
    let mut iter = bytes.iter();
    if let Some(&first) = iter.next() {
        out.push_str(pair(first));
    }
    for &b in iter {
        out.push(' ');
        out.push_str(pair(b));
    }
}

/// Formats one byte as `\xNN`, the form used wherever raw bytes show inside text.
pub(super) fn push_escaped_byte(out: &mut String, byte: u8) {
    // By hand, not `write!`: binary data shown as text escapes most of its bytes, and the
    // formatting machinery made this the slowest step of taking a record into the log.
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push('\\');
    out.push('x');
    out.push(char::from(DIGITS[usize::from(byte >> 4)]));
    out.push(char::from(DIGITS[usize::from(byte & 0x0F)]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_separator_form() {
        let expected = vec![0x48, 0x65, 0x6C];
        for input in [
            "48 65 6C",
            "48656c",
            "48656C",
            "0x48,0x65,0x6C",
            "0X48 0X65 0x6c",
            "48-65-6C",
            "48:65:6C",
            "48\n65\r\n6C",
            "48\t65\t6C",
            "48;65;6C",
            "48, 65; 6C\n",
            "  48   65 6C  ",
            "48，65；6C",
            "48\u{3000}65 6C",
            "0x4865 6C",
        ] {
            assert_eq!(parse_hex(input), Ok(expected.clone()), "input {input:?}");
        }
    }

    #[test]
    fn empty_and_blank_input_give_no_bytes() {
        assert_eq!(parse_hex(""), Ok(vec![]));
        assert_eq!(parse_hex("  \n\t , "), Ok(vec![]));
    }

    #[test]
    fn all_byte_values_round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        let text = to_hex(&bytes);
        assert_eq!(parse_hex(&text), Ok(bytes.clone()));
        assert_eq!(parse_hex(&text.to_lowercase()), Ok(bytes));
    }

    #[test]
    fn odd_token_reports_the_lone_digit() {
        assert_eq!(
            parse_hex("4 865"),
            Err(HexError::OddDigits { line: 1, column: 1 })
        );
        assert_eq!(
            parse_hex("48 656"),
            Err(HexError::OddDigits { line: 1, column: 6 })
        );
        assert_eq!(
            parse_hex("0x4"),
            Err(HexError::OddDigits { line: 1, column: 3 })
        );
        let err = parse_hex("48 65 6").expect_err("odd");
        assert_eq!(
            err.to_string(),
            "invalid hex: the digit at column 7 has no partner — hex bytes are two digits each (write 0A, not A)"
        );
    }

    #[test]
    fn invalid_char_reports_column() {
        let err = parse_hex("48 G5").expect_err("invalid");
        assert_eq!(
            err,
            HexError::InvalidChar {
                ch: 'G',
                line: 1,
                column: 4
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid hex: 'G' at column 4 is not a hex digit — use 0-9 and A-F, separated by spaces if you like"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(
            parse_hex("你 48"),
            Err(HexError::InvalidChar {
                ch: '你',
                line: 1,
                column: 1
            })
        );
        // The full-width space is a separator, the Chinese char is 3 UTF-8 bytes
        // but one column.
        assert_eq!(
            parse_hex("48\u{3000}好"),
            Err(HexError::InvalidChar {
                ch: '好',
                line: 1,
                column: 4
            })
        );
    }

    #[test]
    fn multi_line_errors_name_the_line() {
        let err = parse_hex("48 65\r\n6C 6Z\n").expect_err("invalid");
        assert_eq!(
            err,
            HexError::InvalidChar {
                ch: 'Z',
                line: 2,
                column: 5
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid hex: 'Z' at line 2, column 5 is not a hex digit — use 0-9 and A-F, separated by spaces if you like"
        );
        assert_eq!(
            parse_hex("00\n\n11 2"),
            Err(HexError::OddDigits { line: 3, column: 4 })
        );
        assert_eq!(
            parse_hex("00\r11\r2"),
            Err(HexError::OddDigits { line: 3, column: 1 })
        );
        let err = parse_hex("00\n\n11 2").expect_err("odd");
        assert!(err.to_string().contains("line 3, column 4"), "{err}");
    }

    #[test]
    fn x_is_only_a_prefix_at_token_start() {
        assert_eq!(
            parse_hex("480x65"),
            Err(HexError::InvalidChar {
                ch: 'x',
                line: 1,
                column: 4
            })
        );
        assert_eq!(
            parse_hex("x48"),
            Err(HexError::InvalidChar {
                ch: 'x',
                line: 1,
                column: 1
            })
        );
        assert_eq!(parse_hex("0x"), Ok(vec![]));
        assert_eq!(parse_hex("00"), Ok(vec![0]));
    }

    #[test]
    fn invisible_chars_are_named_by_code_point() {
        let err = parse_hex("48\u{200B}65").expect_err("invalid");
        assert!(err.to_string().contains("U+200B at column 3"), "{err}");
    }

    #[test]
    fn to_hex_formats_uppercase_pairs() {
        assert_eq!(to_hex(&[]), "");
        assert_eq!(to_hex(&[0x0A]), "0A");
        assert_eq!(to_hex(&[0x48, 0x65, 0x6c, 0x00, 0xff]), "48 65 6C 00 FF");
    }

    #[test]
    fn write_hex_appends_with_one_space() {
        let mut out = String::new();
        write_hex(&mut out, &[1, 2]);
        assert_eq!(out, "01 02");
        write_hex(&mut out, &[0xAB]);
        assert_eq!(out, "01 02 AB");
        write_hex(&mut out, &[]);
        assert_eq!(out, "01 02 AB");
        let mut out = String::from("RX: ");
        write_hex(&mut out, &[0x10]);
        assert_eq!(out, "RX: 10");
    }

    #[test]
    fn escaped_byte_is_uppercase() {
        let mut out = String::new();
        push_escaped_byte(&mut out, 0xAF);
        push_escaped_byte(&mut out, 0x01);
        assert_eq!(out, "\\xAF\\x01");
    }
}
