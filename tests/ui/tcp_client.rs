//! The window as a TCP client, over real loopback sockets.

use std::io::Read as _;
use std::net::TcpListener;

use crate::ui_support::{DEADLINE, harness, open, send_text, shows, wait_for};
use egui_kittest::kittest::Queryable as _;
use netassist::app::settings::Protocol;

#[test]
fn client_sends_to_the_server_and_hex_view_shows_utf8_bytes() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut h = harness(Protocol::TcpClient);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.remote_host = "127.0.0.1".to_owned();
        settings.remote_port = listener.local_addr().unwrap().port().to_string();
    }
    open(&mut h);
    let (mut peer, _) = listener.accept().unwrap();
    peer.set_read_timeout(Some(DEADLINE)).unwrap();

    send_text(&mut h, "你");
    let mut got = [0u8; 3];
    peer.read_exact(&mut got).unwrap();
    assert_eq!(got, [0xE4, 0xBD, 0xA0]);
    wait_for(&mut h, "the sent record", |h| {
        h.state().sessions[0].counters.tx_bytes == 3
    });
    assert!(shows(&h, "→"), "sent data is in the log, marked as sent");
    assert!(!shows(&h, "E4 BD A0"));

    h.get_by_label("Hex view").click();
    h.step();
    h.step();
    assert!(shows(&h, "E4 BD A0"), "hex view shows the UTF-8 bytes");
    assert_eq!(
        h.state().sessions[0].settings.send.history[0],
        "你",
        "send history"
    );
}

#[test]
fn refused_connection_is_reported_next_to_open_in_both_languages() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut h = harness(Protocol::TcpClient);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.remote_host = "127.0.0.1".to_owned();
        settings.remote_port = port.to_string();
    }
    h.get_by_label("Open").click();
    wait_for(&mut h, "the refusal", |h| shows(h, "connection refused"));
    wait_for(&mut h, "the session to end", |h| {
        !h.state().sessions[0].is_active()
    });
    assert!(
        h.query_by_label("Open").is_some(),
        "the button offers Open again"
    );

    h.get_by_label("简体中文").click();
    h.step();
    h.step();
    assert!(shows(&h, "拒绝连接"), "the error is translated");

    // An empty port is caught before anything is opened.
    h.state_mut().sessions[0].settings.remote_port.clear();
    h.get_by_label("打开").click();
    h.step();
    h.step();
    assert!(shows(&h, "端口为空"));
    assert!(!h.state().sessions[0].is_active());
}
