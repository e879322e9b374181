//! Room rules applied to received data: leave lines and auto-reply rules.

use std::fmt;

use super::payload::Payload;

/// What a rule looks for in received data.
#[derive(Clone)]
pub enum Match {
    /// The data contains these bytes (text already encoded in the session's encoding).
    Contains(Vec<u8>),
    /// The data is exactly these bytes (typically typed as hex).
    Equals(Vec<u8>),
    /// A regular expression over the bytes (UTF-8 text patterns; `(?-u)` for raw bytes).
    Regex(regex::bytes::Regex),
}

impl fmt::Debug for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Contains(bytes) => f.debug_tuple("Contains").field(bytes).finish(),
            Self::Equals(bytes) => f.debug_tuple("Equals").field(bytes).finish(),
            Self::Regex(re) => f.debug_tuple("Regex").field(&re.as_str()).finish(),
        }
    }
}

impl PartialEq for Match {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Contains(a), Self::Contains(b)) | (Self::Equals(a), Self::Equals(b)) => a == b,
            (Self::Regex(a), Self::Regex(b)) => a.as_str() == b.as_str(),
            _ => false,
        }
    }
}

impl Match {
    /// Whether `data` (one read or one datagram) matches.
    pub fn matches(&self, data: &[u8]) -> bool {
        match self {
            Self::Contains(needle) => {
                !needle.is_empty() && data.windows(needle.len()).any(|w| w == needle.as_slice())
            }
            Self::Equals(bytes) => data == bytes.as_slice(),
            Self::Regex(re) => re.is_match(data),
        }
    }
}

/// What a matching rule does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Send these bytes to the peer that sent the data.
    Reply(Payload),
    /// Send the data back.
    Echo,
    /// Disconnect the peer (UDP: forget it).
    Disconnect,
}

/// When received data matches, do something.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoReply {
    /// The condition.
    pub when: Match,
    /// The consequence.
    pub then: Action,
}

/// Whether one of the lines in `data` is exactly `line` (a trailing `\r` is ignored), as a chat
/// server checks for `/quit`.
pub fn has_line(data: &[u8], line: &[u8]) -> bool {
    let line = trim_line_end(line);
    !line.is_empty()
        && data
            .split(|b| *b == b'\n')
            .any(|candidate| trim_line_end(candidate) == line)
}

/// Whether a datagram is the room's heartbeat: exactly `beat`, give or take a line ending
/// (`#ping#`, `#ping#\n` and `#ping#\r\n` all are).
pub fn is_heartbeat(data: &[u8], beat: &[u8]) -> bool {
    let beat = trim_line_end(beat);
    !beat.is_empty() && trim_line_end(data) == beat
}

fn trim_line_end(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quit_lines_are_found_among_lines() {
        assert!(has_line(b"/quit\n", b"/quit"));
        assert!(has_line(b"/quit\r\n", b"/quit\n"));
        assert!(has_line(b"/quit", b"/quit"));
        assert!(has_line(b"hello\n/quit\n", b"/quit"));
        assert!(!has_line(b"/quitter\n", b"/quit"));
        assert!(!has_line(b"say /quit\n", b"/quit"));
        assert!(!has_line(b"anything", b""));
    }

    #[test]
    fn heartbeats_are_the_whole_datagram_give_or_take_a_line_end() {
        assert!(is_heartbeat(b"#ping#", b"#ping#"));
        assert!(is_heartbeat(b"#ping#\n", b"#ping#"));
        assert!(is_heartbeat(b"#ping#\r\n", b"#ping#"));
        assert!(!is_heartbeat(b"#ping# and more", b"#ping#"));
        assert!(!is_heartbeat(b"hi\n#ping#", b"#ping#"));
        assert!(!is_heartbeat(b"", b""));
    }

    #[test]
    fn matches_contains_equals_and_regex() {
        assert!(Match::Contains(b"ping".to_vec()).matches(b"#ping#"));
        assert!(!Match::Contains(Vec::new()).matches(b"x"));
        assert!(Match::Equals(vec![0x01, 0x03]).matches(&[0x01, 0x03]));
        assert!(!Match::Equals(vec![0x01]).matches(&[0x01, 0x03]));
        let re = regex::bytes::Regex::new(r"^AT\+\w+\r?\n?$").unwrap();
        assert!(Match::Regex(re.clone()).matches(b"AT+GMR\r\n"));
        assert!(!Match::Regex(re).matches(b"ATI"));
        let chinese = regex::bytes::Regex::new("你好").unwrap();
        assert!(Match::Regex(chinese).matches("大家你好".as_bytes()));
    }
}
