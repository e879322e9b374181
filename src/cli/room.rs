//! Command-line options for rooms: leave rules, auto-replies and multicast.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::codec::{Eol, InputMode, PayloadOptions, build_payload, parse_hex};
use crate::engine::{
    Action, AutoReply, Match, NetError, Payload, SessionConfig, SessionKind, known_interfaces,
};

use super::UsageError;
use super::args::{CommonOpts, OnOff};

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
        multicast_if(interface.trim(), config)
            .map_err(|err| UsageError(format!("--multicast-if {interface:?}: {err}")))?;
    }
    Ok(())
}

/// `--multicast-if`: an IPv4 address, an interface index or an interface name (e.g. `eth0`),
/// checked against this machine's interfaces before anything is opened.
fn multicast_if(interface: &str, config: &mut SessionConfig) -> Result<(), String> {
    let v6 = matches!(config.kind, SessionKind::Udp { bind, .. } if bind.is_ipv6());
    let interfaces = if_addrs::get_if_addrs().unwrap_or_default();
    let missing = || NetError::NoSuchInterface {
        interface: interface.to_owned(),
        known: known_interfaces(v6),
    };
    if let Ok(v4) = interface.parse::<Ipv4Addr>() {
        if !v4.is_unspecified() && !interfaces.iter().any(|i| i.ip() == IpAddr::V4(v4)) {
            return Err(missing().to_string());
        }
        config.multicast.interface_v4 = v4;
    } else if let Ok(index) = interface.parse::<u32>() {
        if index != 0 && !interfaces.iter().any(|i| i.index == Some(index)) {
            return Err(missing().to_string());
        }
        config.multicast.interface_v6 = index;
    } else if interface.is_empty() {
        return Err(
            "give an IPv4 address (e.g. 127.0.0.1), an interface index (e.g. 1) or a name (e.g. lo)"
                .to_owned(),
        );
    } else {
        let mut named = interfaces.iter().filter(|i| i.name == interface).peekable();
        if named.peek().is_none() {
            return Err(missing().to_string());
        }
        for found in named {
            match found.ip() {
                IpAddr::V4(v4) if !v6 => config.multicast.interface_v4 = v4,
                _ => {
                    if let Some(index) = found.index {
                        config.multicast.interface_v6 = index;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Parses an `--auto-reply` rule: `WHEN=>THEN`, e.g. `text:ping=>reply:pong`,
/// `hex:01 03=>reply-hex:01 83 02`, `regex:^bye=>disconnect`; text is encoded with `text`.
/// Public for the fuzzers and property tests.
pub fn parse_rule(rule: &str, text: &PayloadOptions) -> Result<AutoReply, String> {
    let (when, then) = rule
        .split_once("=>")
        .ok_or("write it as WHEN=>THEN, e.g. 'text:ping=>reply:pong'")?;
    let when = match when.split_once(':') {
        Some(("text", needle)) => {
            Match::Contains(build_payload(needle, text).map_err(|e| e.to_string())?)
        }
        Some(("hex", bytes)) => Match::Equals(parse_hex(bytes).map_err(|e| e.to_string())?),
        Some(("regex", re)) => Match::Regex(
            regex::bytes::Regex::new(re).map_err(|e| format!("bad regular expression: {e}"))?,
        ),
        _ => return Err("the condition must start with text:, hex: or regex:".to_owned()),
    };
    let then = match then.split_once(':') {
        Some(("reply", reply)) => Action::Reply(Payload::from(
            build_payload(reply, text).map_err(|e| e.to_string())?,
        )),
        Some(("reply-hex", reply)) => {
            Action::Reply(Payload::from(parse_hex(reply).map_err(|e| e.to_string())?))
        }
        None if then == "echo" => Action::Echo,
        None if then == "disconnect" => Action::Disconnect,
        _ => {
            return Err(
                "the action must be reply:TEXT, reply-hex:BYTES, echo or disconnect".to_owned(),
            );
        }
    };
    Ok(AutoReply { when, then })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(
            parse_rule("ping", &text)
                .unwrap_err()
                .contains("WHEN=>THEN")
        );
        assert!(
            parse_rule("word:x=>echo", &text)
                .unwrap_err()
                .contains("text:, hex: or regex:")
        );
        assert!(
            parse_rule("hex:4G=>echo", &text)
                .unwrap_err()
                .contains("'G'")
        );
        assert!(
            parse_rule("regex:(=>echo", &text)
                .unwrap_err()
                .contains("bad regular expression")
        );
        assert!(
            parse_rule("text:x=>shout", &text)
                .unwrap_err()
                .contains("the action must be")
        );
    }
}
