//! Checks of the room options and their translation into engine settings.

use std::net::Ipv4Addr;

use super::*;
use crate::engine::{Action, Match};

#[test]
fn room_options_follow_the_checkboxes() {
    let mut room = RoomSettings {
        relay: true,
        quit_on: true,
        timeout_on: true,
        timeout_secs: "0.5".to_owned(),
        ..RoomSettings::default()
    };
    let options = room.options().unwrap();
    assert_eq!(
        options.relay,
        Some(Relay {
            include_sender: false,
            prefix_peer: true
        })
    );
    assert_eq!(options.quit_line.as_deref(), Some(&b"/quit"[..]));
    assert_eq!(options.peer_timeout, Some(Duration::from_millis(500)));
    room.timeout_secs = "soon".to_owned();
    assert_eq!(
        room.options(),
        Err(OptionError::BadTimeout("soon".to_owned()))
    );
}

#[test]
fn rules_compile_and_report_the_bad_one() {
    let enc = TextEncoding::UTF_8;
    let good = RuleSettings::default();
    let hex = RuleSettings {
        when: RuleMatch::HexEquals,
        pattern: "01 03".to_owned(),
        then: RuleAction::ReplyHex,
        reply: "06".to_owned(),
        ..RuleSettings::default()
    };
    let off = RuleSettings {
        on: false,
        pattern: String::new(),
        ..RuleSettings::default()
    };
    let compiled = rules(&[good.clone(), hex, off], enc).unwrap();
    assert_eq!(compiled.len(), 2, "switched-off rules are left out");
    assert_eq!(
        compiled[0].then,
        Action::Reply(Payload::from(&b"pong\n"[..]))
    );
    assert_eq!(compiled[1].when, Match::Equals(vec![1, 3]));
    let bad = RuleSettings {
        when: RuleMatch::Regex,
        pattern: "(".to_owned(),
        ..RuleSettings::default()
    };
    assert!(matches!(
        rules(&[good.clone(), bad], enc),
        Err(OptionError::BadRule(2, RuleError::Regex { .. }))
    ));
    for when in [RuleMatch::Contains, RuleMatch::HexEquals, RuleMatch::Regex] {
        let empty = RuleSettings {
            when,
            pattern: String::new(),
            ..RuleSettings::default()
        };
        assert_eq!(
            rules(&[good.clone(), empty], enc).unwrap_err(),
            OptionError::BadRule(2, RuleError::EmptyPattern),
            "{when:?}"
        );
    }
}

#[test]
fn multicast_options_parse_groups_interface_and_ttl() {
    let settings = MulticastSettings {
        groups: "239.1.2.3, [ff02::1]".to_owned(),
        interface: "127.0.0.1".to_owned(),
        ttl: "1".to_owned(),
        ..MulticastSettings::default()
    };
    let m = settings.multicast(false).unwrap();
    assert_eq!(m.groups.len(), 2);
    assert_eq!(m.interface_v4, Ipv4Addr::LOCALHOST);
    assert_eq!(m.ttl, Some(1));
    let bad = MulticastSettings {
        ttl: "300".to_owned(),
        ..MulticastSettings::default()
    };
    assert_eq!(
        bad.multicast(false),
        Err(OptionError::BadTtl("300".to_owned()))
    );
    let foreign = MulticastSettings {
        interface: "192.0.2.77".to_owned(),
        ..MulticastSettings::default()
    };
    assert!(matches!(
        foreign.multicast(false),
        Err(OptionError::BadInterface(InterfaceError::NoSuch { .. }))
    ));
}
