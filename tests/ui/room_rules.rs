//! Auto-reply rules set up in the window answer a real TCP client.

use std::io::{Read as _, Write as _};

use crate::ui_support::{DEADLINE, server_with_client, shows, wait_for};
use egui_kittest::kittest::Queryable as _;
use netassist::app::room::{RuleAction, RuleMatch};

#[test]
fn a_rule_added_in_the_panel_replies_and_a_regex_rule_disconnects() {
    let (mut h, mut peer) = server_with_client();
    peer.set_read_timeout(Some(DEADLINE)).unwrap();

    // Add a rule (text contains "ping" → reply "pong\n") through the panel: it starts off
    // and empty, and is filled in and switched on there.
    h.get_by_label("Auto-reply rules").click();
    h.step();
    h.step();
    assert!(shows(&h, "No rule yet."));
    h.get_by_label("Add rule").click();
    h.step();
    h.step();
    assert_eq!(h.state().sessions[0].settings.rules.len(), 1);
    assert!(
        shows(&h, "Pattern") && shows(&h, "Reply"),
        "the rule row is shown"
    );
    {
        let rule = &h.state().sessions[0].settings.rules[0];
        assert!(!rule.on, "a new rule starts off");
        assert!(
            rule.pattern.is_empty() && rule.reply.is_empty(),
            "and empty"
        );
    }
    for (field, text) in [("Pattern", "ping"), ("Reply", "pong\\n")] {
        h.get_by_label(field).focus();
        h.step();
        h.get_by_label(field).type_text(text);
        h.step();
    }
    h.get_by_label("On 1").click();
    h.step();
    h.step();
    {
        let rule = &h.state().sessions[0].settings.rules[0];
        assert!(rule.on);
        assert_eq!(
            (rule.pattern.as_str(), rule.reply.as_str()),
            ("ping", "pong\\n")
        );
    }

    peer.write_all(b"#ping#").unwrap();
    let mut got = [0u8; 5];
    peer.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"pong\n");
    wait_for(&mut h, "the reply in the log", |h| {
        h.state().sessions[0].counters.tx_bytes == 5
    });

    // Switched off, it stays listed and is not applied.
    h.get_by_label("On 1").click();
    h.step();
    assert!(!h.state().sessions[0].settings.rules[0].on);
    h.step();
    peer.write_all(b"ping again").unwrap();
    wait_for(&mut h, "the second message", |h| {
        h.state().sessions[0].counters.rx_bytes == 16
    });
    std::thread::sleep(std::time::Duration::from_millis(100));
    h.step();
    assert_eq!(
        h.state().sessions[0].counters.tx_bytes,
        5,
        "no reply while off"
    );

    // A regular expression that disconnects.
    h.get_by_label("Add rule").click();
    h.step();
    {
        let rule = &mut h.state_mut().sessions[0].settings.rules[1];
        rule.when = RuleMatch::Regex;
        rule.pattern = r"^bye\r?\n?$".to_owned();
        rule.then = RuleAction::Disconnect;
        rule.on = true;
    }
    h.step();
    assert!(h.state().sessions[0].option_error().is_none());
    peer.write_all(b"bye\n").unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(peer.read(&mut buf).unwrap(), 0, "disconnected by the rule");
    wait_for(&mut h, "the client to leave", |h| {
        h.state().sessions[0].clients.is_empty()
    });

    // A broken pattern is reported, not applied.
    h.state_mut().sessions[0].settings.rules[1].pattern = "(".to_owned();
    h.step();
    h.step();
    assert!(shows(&h, "rule 2:"), "the error names the rule");
}
