//! Room rules applied to received data: leave lines and auto-reply rules, and the one parser
//! of auto-reply rules that the command line and the window share.

use std::fmt;

use thiserror::Error;

use super::payload::Payload;
use crate::codec::{InputMode, PayloadError, PayloadOptions, build_payload, parse_hex};

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

/// The kind of condition of an auto-reply rule, before its pattern is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleWhen {
    /// The data contains this text (encoded like any typed text).
    Contains,
    /// The data is exactly these hex bytes.
    HexEquals,
    /// A regular expression matches the data.
    Regex,
}

/// The kind of consequence of an auto-reply rule, before its reply is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleThen {
    /// Reply with text (encoded like any typed text).
    ReplyText,
    /// Reply with hex bytes.
    ReplyHex,
    /// Send the data back.
    Echo,
    /// Disconnect the peer.
    Disconnect,
}

/// Why an auto-reply rule could not be read. The English sentences are the command line's;
/// the window words each case in its own language.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    /// The command-line form has no `=>`.
    #[error("write it as WHEN=>THEN, e.g. 'text:ping=>reply:pong'")]
    NoArrow,
    /// The command-line condition does not start with a known kind.
    #[error("the condition must start with text:, hex: or regex:")]
    UnknownCondition,
    /// The command-line action is not a known one.
    #[error("the action must be reply:TEXT, reply-hex:BYTES, echo or disconnect")]
    UnknownAction,
    /// The pattern is empty: a rule that looks for nothing would never (or always) fire.
    #[error("the pattern is empty — type the text, hex bytes or regular expression to look for")]
    EmptyPattern,
    /// The reply is empty.
    #[error("the reply is empty — type what to send back")]
    EmptyReply,
    /// The text or hex pattern cannot be turned into bytes.
    #[error("the pattern: {0}")]
    Pattern(PayloadError),
    /// The text or hex reply cannot be turned into bytes.
    #[error("the reply: {0}")]
    Reply(PayloadError),
    /// The regular expression does not compile.
    #[error("bad regular expression: {detail}")]
    Regex {
        /// The expression as typed.
        pattern: String,
        /// The regex crate's explanation (English).
        detail: String,
    },
}

/// Builds an auto-reply rule from its parts: the pattern is text (encoded with `text`, whose
/// mode, line ending and checksum are ignored), hex or a regular expression, by `when`; the
/// reply is text or hex by `then` (ignored for echo and disconnect). Empty patterns and
/// replies are refused.
pub fn build_rule(
    when: RuleWhen,
    pattern: &str,
    then: RuleThen,
    reply: &str,
    text: &PayloadOptions,
) -> Result<AutoReply, RuleError> {
    let text = PayloadOptions {
        mode: InputMode::Text,
        eol: crate::codec::Eol::None,
        checksum: None,
        ..*text
    };
    let when = match when {
        RuleWhen::Contains => Match::Contains(non_empty(
            build_payload(pattern, &text),
            RuleError::Pattern,
        )?),
        RuleWhen::HexEquals => Match::Equals(non_empty(
            parse_hex(pattern).map_err(PayloadError::from),
            RuleError::Pattern,
        )?),
        RuleWhen::Regex if pattern.is_empty() => return Err(RuleError::EmptyPattern),
        RuleWhen::Regex => {
            Match::Regex(
                regex::bytes::Regex::new(pattern).map_err(|err| RuleError::Regex {
                    pattern: pattern.to_owned(),
                    detail: err.to_string(),
                })?,
            )
        }
    };
    let reply_bytes = |bytes: Result<Vec<u8>, PayloadError>| match bytes {
        Ok(bytes) if bytes.is_empty() => Err(RuleError::EmptyReply),
        Ok(bytes) => Ok(Action::Reply(Payload::from(bytes))),
        Err(err) => Err(RuleError::Reply(err)),
    };
    let then = match then {
        RuleThen::ReplyText => reply_bytes(build_payload(reply, &text))?,
        RuleThen::ReplyHex => reply_bytes(parse_hex(reply).map_err(PayloadError::from))?,
        RuleThen::Echo => Action::Echo,
        RuleThen::Disconnect => Action::Disconnect,
    };
    Ok(AutoReply { when, then })
}

/// The pattern's bytes, refused when empty.
fn non_empty(
    bytes: Result<Vec<u8>, PayloadError>,
    wrap: fn(PayloadError) -> RuleError,
) -> Result<Vec<u8>, RuleError> {
    match bytes {
        Ok(bytes) if bytes.is_empty() => Err(RuleError::EmptyPattern),
        Ok(bytes) => Ok(bytes),
        Err(err) => Err(wrap(err)),
    }
}

/// Parses the command-line form of a rule, `WHEN=>THEN`: e.g. `text:ping=>reply:pong`,
/// `hex:01 03=>reply-hex:01 83 02`, `regex:^bye=>disconnect`, `text:hi=>echo`; text is
/// encoded with `text`. The parts are read by [`build_rule`], as the window's are.
pub fn parse_rule(rule: &str, text: &PayloadOptions) -> Result<AutoReply, RuleError> {
    let (when, then) = rule.split_once("=>").ok_or(RuleError::NoArrow)?;
    let (when, pattern) = match when.split_once(':') {
        Some(("text", pattern)) => (RuleWhen::Contains, pattern),
        Some(("hex", pattern)) => (RuleWhen::HexEquals, pattern),
        Some(("regex", pattern)) => (RuleWhen::Regex, pattern),
        _ => return Err(RuleError::UnknownCondition),
    };
    let (then, reply) = match then.split_once(':') {
        Some(("reply", reply)) => (RuleThen::ReplyText, reply),
        Some(("reply-hex", reply)) => (RuleThen::ReplyHex, reply),
        None if then == "echo" => (RuleThen::Echo, ""),
        None if then == "disconnect" => (RuleThen::Disconnect, ""),
        _ => return Err(RuleError::UnknownAction),
    };
    build_rule(when, pattern, then, reply, text)
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

    #[test]
    fn the_one_parser_reads_the_command_line_and_the_window_alike() {
        let text = PayloadOptions {
            escapes: true,
            ..PayloadOptions::default()
        };
        let from_cli = parse_rule("text:ping=>reply:pong\\n", &text).unwrap();
        let from_window = build_rule(
            RuleWhen::Contains,
            "ping",
            RuleThen::ReplyText,
            "pong\\n",
            &text,
        )
        .unwrap();
        assert_eq!(from_cli, from_window);
        assert_eq!(from_cli.then, Action::Reply(Payload::from(&b"pong\n"[..])));
        let hex = build_rule(
            RuleWhen::HexEquals,
            "01 03",
            RuleThen::ReplyHex,
            "06",
            &text,
        );
        assert_eq!(hex, parse_rule("hex:01 03=>reply-hex:06", &text));
    }

    #[test]
    fn empty_patterns_and_replies_are_refused_with_a_typed_error() {
        let text = PayloadOptions::default();
        for when in [RuleWhen::Contains, RuleWhen::HexEquals, RuleWhen::Regex] {
            assert_eq!(
                build_rule(when, "", RuleThen::Echo, "", &text),
                Err(RuleError::EmptyPattern),
                "{when:?}"
            );
        }
        assert_eq!(
            build_rule(RuleWhen::Contains, "x", RuleThen::ReplyHex, " ", &text),
            Err(RuleError::EmptyReply)
        );
        assert!(matches!(
            build_rule(RuleWhen::HexEquals, "4G", RuleThen::Echo, "", &text),
            Err(RuleError::Pattern(PayloadError::Hex(_)))
        ));
        assert!(matches!(
            build_rule(
                RuleWhen::Contains,
                "x",
                RuleThen::ReplyText,
                "\\q",
                &PayloadOptions {
                    escapes: true,
                    ..text
                }
            ),
            Err(RuleError::Reply(PayloadError::Escape(_)))
        ));
        assert!(matches!(
            parse_rule("regex:(=>echo", &text),
            Err(RuleError::Regex { pattern, .. }) if pattern == "("
        ));
    }
}
