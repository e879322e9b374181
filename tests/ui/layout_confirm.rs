//! No accidental loss: closing an open session (or one with a log) asks first, quitting with
//! open sessions asks first, and the tab bar's buttons stay put when a name changes.

use crate::ui_support::{harness, harness_with, open, server_with_client, shows};
use eframe::egui;
use egui::{ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::settings::{AppSettings, Protocol, SessionSettings};
use netassist::app::{Confirm, NetAssistApp};

fn commands(h: &Harness<'_, NetAssistApp>) -> Vec<ViewportCommand> {
    h.output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map(|v| v.commands.clone())
        .unwrap_or_default()
}

#[test]
fn closing_an_open_session_asks_and_cancel_keeps_it() {
    let (mut h, _peer) = server_with_client();
    h.get_by_label("Close session").click();
    h.step();
    h.step();
    assert!(matches!(h.state().confirm, Some(Confirm::CloseSession(_))));
    assert!(shows(&h, "Close this session?"), "the question is shown");
    assert!(h.state().sessions[0].is_active(), "still open while asked");
    h.get_by_label("Cancel").click();
    h.step();
    assert_eq!(h.state().confirm, None);
    assert!(h.state().sessions[0].is_active(), "cancel keeps it open");
    assert_eq!(h.state().sessions[0].clients.len(), 1, "and its client");

    h.get_by_label("Close session").click();
    h.step();
    h.step();
    h.get_by_label("Yes, close").click();
    h.step();
    assert!(
        !h.state()
            .sessions
            .iter()
            .any(netassist::app::session::SessionView::is_active),
        "closed after yes (a new empty session takes its place)"
    );
}

#[test]
fn closing_a_closed_session_with_a_log_asks_and_an_empty_one_does_not() {
    let settings = AppSettings {
        lang: netassist::app::i18n::Lang::En,
        sessions: vec![
            SessionSettings {
                name: "A".to_owned(),
                protocol: Protocol::TcpServer,
                local_ip: "127.0.0.1".to_owned(),
                local_port: "0".to_owned(),
                ..SessionSettings::default()
            },
            SessionSettings {
                name: "B".to_owned(),
                ..SessionSettings::default()
            },
        ],
        ..AppSettings::default()
    };
    let mut h = harness_with(settings);
    // A gets a log: opened, then closed again (its log says so).
    open(&mut h);
    h.get_by_label("Close").click();
    crate::ui_support::wait_for(&mut h, "A to close", |h| !h.state().sessions[0].is_active());
    assert!(!h.state().sessions[0].log.is_empty(), "A has a log");
    h.get_by_label("Close session").click();
    h.step();
    h.step();
    assert!(
        matches!(h.state().confirm, Some(Confirm::CloseSession(_))),
        "asked for A"
    );
    h.get_by_label("Cancel").click();
    h.step();
    assert_eq!(h.state().sessions.len(), 2);

    // B: closed, no log: closes at once.
    h.get_by_label("B").click();
    h.step();
    h.get_by_label("Close session").click();
    h.step();
    h.step();
    assert_eq!(h.state().confirm, None);
    assert_eq!(h.state().sessions.len(), 1, "B closed without a question");
}

#[test]
fn quitting_with_an_open_server_asks_first() {
    let mut h = harness(Protocol::TcpServer);
    open(&mut h);
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    h.run_steps(1);
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .clear();
    assert!(
        commands(&h).contains(&ViewportCommand::CancelClose),
        "the close is cancelled: {:?}",
        commands(&h)
    );
    h.step();
    assert_eq!(h.state().confirm, Some(Confirm::Quit));
    assert!(shows(&h, "Quit anyway?"));
    assert!(h.state().sessions[0].is_active(), "still serving");
    h.get_by_label("Quit").click();
    h.run_steps(1);
    assert!(
        commands(&h).contains(&ViewportCommand::Close),
        "quits after yes: {:?}",
        commands(&h)
    );
}

#[test]
fn quitting_with_nothing_open_does_not_ask() {
    let mut h = harness(Protocol::TcpServer);
    h.step();
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    h.run_steps(1);
    assert!(!commands(&h).contains(&ViewportCommand::CancelClose));
    assert_eq!(h.state().confirm, None);
}

#[test]
fn tab_bar_buttons_stay_put_when_a_name_changes() {
    let mut h = harness(Protocol::TcpServer);
    h.step();
    let buttons = [
        "New session",
        "Rename",
        "Duplicate",
        "Close session",
        "Split view",
    ];
    let before: Vec<_> = buttons.iter().map(|b| h.get_by_label(b).rect()).collect();
    h.state_mut().sessions[0].settings.name = "A much longer session name than before".to_owned();
    h.step();
    h.step();
    assert!(shows(&h, "A much longer session name"));
    let after: Vec<_> = buttons.iter().map(|b| h.get_by_label(b).rect()).collect();
    assert_eq!(before, after, "the buttons did not move");
}
