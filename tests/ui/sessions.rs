//! Several sessions in one window: tabs (add, rename, duplicate, close), each with its own
//! settings, log, counters and send box; the split view; the list persisting, closed.

use crate::ui_support::{harness, harness_with, open, send_text, shows, wait_for};
use eframe::egui;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::session::LinkState;
use netassist::app::settings::{AppSettings, Protocol};

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one classroom story: two sessions, tabs, split view, persistence"
)]
fn sessions_keep_their_own_settings_log_counters_and_send_box() {
    let mut h = harness(Protocol::TcpServer);
    let server = open(&mut h);

    // A second session: a client of the first.
    h.get_by_label("New session").click();
    h.step();
    assert_eq!(h.state().sessions.len(), 2);
    h.get_by_label("Protocol").click();
    h.step();
    h.step();
    h.get_by_label("TCP Client").click();
    h.step();
    {
        let client = &mut h.state_mut().sessions[1].settings;
        client.remote_host = "127.0.0.1".to_owned();
        client.remote_port = server.port().to_string();
    }
    h.get_by_label("Open").click();
    wait_for(&mut h, "the client to connect", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    send_text(&mut h, "from the client");
    wait_for(&mut h, "the server to receive", |h| {
        h.state().sessions[0].counters.rx_bytes == 15
    });
    // The client's engine reports its send after writing it: on a loaded machine the server
    // may have read the bytes before the client's report arrives.
    wait_for(&mut h, "the client to count its send", |h| {
        h.state().sessions[1].counters.tx_bytes == 15
    });
    assert_eq!(h.state().sessions[1].counters.rx_bytes, 0, "own counters");
    assert_eq!(h.state().sessions[0].settings.protocol, Protocol::TcpServer);
    assert_eq!(h.state().sessions[1].settings.protocol, Protocol::TcpClient);

    // Rename the client through the tab bar.
    h.get_by_label("Rename").click();
    h.step();
    h.step();
    h.get_by_label("Session name").focus();
    h.step();
    h.get_by_label("Session name").type_text(" A");
    h.step();
    h.key_press(egui::Key::Enter);
    h.step();
    assert_eq!(h.state().sessions[1].settings.name, "TCP Client 2 A");
    assert!(shows(&h, "TCP Client 2 A"));

    // Each keeps its send box: switch to the server tab, type, and the client's stays.
    h.state_mut().sessions[1].send_text = "client draft".to_owned();
    h.get_by_label("TCP Server 1").click();
    h.step();
    assert_eq!(h.state().active, 0);
    send_text(&mut h, "to all");
    wait_for(&mut h, "the client to receive", |h| {
        h.state().sessions[1].counters.rx_bytes == 6
    });
    assert_eq!(h.state().sessions[1].send_text, "client draft");
    assert!(
        h.state().sessions[1]
            .log
            .iter()
            .any(|(_, text)| text == "to all")
    );

    // Duplicate the client: same settings, closed, its own empty log.
    h.get_by_label("TCP Client 2 A").click();
    h.step();
    h.get_by_label("Duplicate").click();
    h.step();
    h.step();
    assert_eq!(h.state().sessions.len(), 3);
    let copy = &h.state().sessions[2];
    assert_eq!(copy.settings.name, "TCP Client 2 A (2)");
    assert_eq!(copy.settings.remote_port, server.port().to_string());
    assert_eq!(copy.state, LinkState::Closed);
    assert_eq!(copy.counters.rx_bytes, 0);

    // Split view: 2, then 3 panes, each with its own send line.
    h.get_by_label("Split view").click();
    h.step();
    h.step();
    assert!(h.state().split);
    assert_eq!(h.state().panes.len(), 2);
    h.get_by_label("3").click();
    h.step();
    h.step();
    assert_eq!(h.state().panes.len(), 3);
    assert!(shows(&h, "Data to send · TCP Server 1"));
    assert!(shows(&h, "Data to send · TCP Client 2 A"));
    assert!(shows(&h, "Data to send · TCP Client 2 A (2)"));
    // The panes get the window's width: settings and client list come back on request.
    assert!(
        !shows(&h, "Network settings"),
        "side panels hidden in split view"
    );
    h.get_by_label("Side panels").click();
    h.step();
    h.step();
    assert!(h.state().split_side_panels);
    assert!(shows(&h, "Network settings"));
    h.get_by_label("Side panels").click();
    h.step();
    h.step();
    assert!(!shows(&h, "Network settings"));
    h.state_mut().split_side_panels = true;

    // Persist, close the client (it disconnects from the server), and restore.
    let saved = h.state().app_settings();
    let json = serde_json::to_string(&saved).unwrap();
    let restored: AppSettings = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, saved);
    assert_eq!(restored.sessions.len(), 3);
    assert!(restored.split.on);
    assert_eq!(restored.split.panes.len(), 3);
    assert!(restored.split.side_panels);

    h.get_by_label("TCP Client 2 A").click();
    h.step();
    h.get_by_label("Close session").click();
    h.step();
    h.step();
    // It is connected: the window asks first.
    assert_eq!(h.state().sessions.len(), 3, "not closed before the answer");
    h.get_by_label("Yes, close").click();
    h.step();
    assert_eq!(h.state().sessions.len(), 2);
    assert_eq!(h.state().panes.len(), 2, "its pane went with it");
    wait_for(&mut h, "the server to see the closed client leave", |h| {
        h.state().sessions[0].clients.is_empty()
    });
    assert!(
        h.state()
            .sessions
            .iter()
            .all(|s| s.settings.name != "TCP Client 2 A")
    );

    let app = NetAssistApp::with_settings(&egui::Context::default(), restored);
    assert_eq!(app.sessions.len(), 3);
    assert!(
        app.sessions.iter().all(|s| !s.is_active()),
        "restored closed"
    );
    assert_eq!(app.sessions[1].settings.name, "TCP Client 2 A");
    assert!(app.split);
    assert_eq!(app.panes.len(), 3);
    assert!(app.split_side_panels);
    drop(app);
}

#[test]
fn split_view_of_four_restores_from_settings() {
    let mut settings = AppSettings {
        lang: netassist::app::i18n::Lang::En,
        ..AppSettings::default()
    };
    settings.sessions = (1..=4)
        .map(|n| netassist::app::settings::SessionSettings {
            name: format!("S{n}"),
            local_ip: "127.0.0.1".to_owned(),
            local_port: "0".to_owned(),
            ..Default::default()
        })
        .collect();
    settings.split.on = true;
    settings.split.panes = vec![3, 2, 1, 0];
    settings.active = 2;
    let mut h = harness_with(settings);
    h.step();
    assert_eq!(h.state().active, 2);
    for n in 1..=4 {
        assert!(shows(&h, &format!("Data to send · S{n}")), "pane S{n}");
    }
    // Each pane has its own Open button; one click opens that session alone.
    assert!(
        h.query_all_by_label("Open").count() >= 4,
        "one Open per pane"
    );
    h.query_all_by_label("Open").next().unwrap().click();
    wait_for(&mut h, "one session to open", |h| {
        h.state().sessions.iter().any(|s| s.local_addr().is_some())
    });
    assert_eq!(
        h.state().sessions.iter().filter(|s| s.is_active()).count(),
        1,
        "the others stay closed"
    );
}
