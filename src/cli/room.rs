//! Command-line options for rooms: leave rules, auto-replies and multicast.

use std::time::Duration;

use crate::codec::{Eol, InputMode, PayloadOptions, build_payload};
use crate::engine::{
    InterfaceError, SessionConfig, SessionKind, parse_multicast_interface, parse_rule,
};

use super::args::{CommonOpts, OnOff};
use super::status::UsageError;

/// Applies `--quit-line`, `--peer-timeout`, `--auto-reply` and the multicast options.
pub(crate) fn apply(
    opts: &CommonOpts,
    payload: &PayloadOptions,
    config: &mut SessionConfig,
) -> Result<(), UsageError> {
    // Text typed on the command line is encoded like any other payload, without a line ending.
    let text = PayloadOptions {
        mode: InputMode::Text,
        eol: Eol::None,
        checksum: None,
        ..*payload
    };
    if let Some(line) = &opts.quit_line {
        let bytes = build_payload(line, &text)
            .map_err(|err| UsageError(format!("--quit-line {line:?}: {err}")))?;
        config.quit_line = Some(bytes);
    }
    if let Some(secs) = opts.peer_timeout {
        let timeout = Duration::try_from_secs_f64(secs)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                UsageError(format!(
                    "--peer-timeout {secs}: give a number of seconds > 0"
                ))
            })?;
        config.peer_timeout = Some(timeout);
    }
    for rule in &opts.auto_reply {
        config.auto_replies.push(
            parse_rule(rule, &text)
                .map_err(|why| UsageError(format!("--auto-reply {rule:?}: {why}")))?,
        );
    }
    config.multicast.groups.clone_from(&opts.join);
    config.multicast.ttl = opts.multicast_ttl;
    config.multicast.loopback = opts.multicast_loop.map(|v| v == OnOff::On);
    if let Some(interface) = &opts.multicast_if {
        multicast_if(interface, config)
            .map_err(|err| UsageError(format!("--multicast-if {interface:?}: {err}")))?;
    }
    Ok(())
}

/// `--multicast-if`: read by the engine's one parser (as the window's field is), checked
/// against this machine's interfaces before anything is opened.
fn multicast_if(interface: &str, config: &mut SessionConfig) -> Result<(), InterfaceError> {
    let v6 = matches!(config.kind, SessionKind::Udp { bind, .. } if bind.is_ipv6());
    parse_multicast_interface(interface, v6)?.apply_to(&mut config.multicast);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Action, Match, Payload, RuleError};

    #[test]
    fn parses_each_kind_of_rule() {
        let text = PayloadOptions {
            escapes: true,
            ..PayloadOptions::default()
        };
        let rule = parse_rule("text:ping=>reply:pong\\n", &text).unwrap();
        assert_eq!(rule.when, Match::Contains(b"ping".to_vec()));
        assert_eq!(rule.then, Action::Reply(Payload::from(&b"pong\n"[..])));
        let rule = parse_rule("hex:01 03=>reply-hex:01 83 02", &text).unwrap();
        assert_eq!(rule.when, Match::Equals(vec![1, 3]));
        assert_eq!(rule.then, Action::Reply(Payload::from(&[1u8, 0x83, 2][..])));
        let rule = parse_rule("regex:^bye=>disconnect", &text).unwrap();
        assert!(rule.when.matches(b"bye now"));
        assert_eq!(rule.then, Action::Disconnect);
        assert_eq!(
            parse_rule("text:x=>echo", &text).unwrap().then,
            Action::Echo
        );
    }

    #[test]
    fn explains_bad_rules() {
        let text = PayloadOptions::default();
        let why = |rule: &str| parse_rule(rule, &text).unwrap_err().to_string();
        assert!(why("ping").contains("WHEN=>THEN"));
        assert!(why("word:x=>echo").contains("text:, hex: or regex:"));
        assert!(why("hex:4G=>echo").contains("'G'"));
        assert!(why("regex:(=>echo").contains("bad regular expression"));
        assert!(why("text:x=>shout").contains("the action must be"));
        // Empty patterns and replies are refused, as the window refuses them.
        for empty in ["text:=>echo", "hex:=>echo", "regex:=>disconnect"] {
            assert_eq!(
                parse_rule(empty, &text).unwrap_err(),
                RuleError::EmptyPattern,
                "{empty}"
            );
        }
        assert_eq!(
            parse_rule("text:x=>reply:", &text).unwrap_err(),
            RuleError::EmptyReply
        );
        assert!(why("text:=>echo").contains("the pattern is empty"));
    }
}
