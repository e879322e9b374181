//! The fault matrix in the window, where it shows a fault differently from the command line:
//! an ICMP "port unreachable" in the log (09), a datagram too large in the send box (11) and
//! Send on a closed session (12), in English and in Chinese.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::net::{TcpListener, UdpSocket};
use std::time::Duration;

use crate::ui_support::{DEADLINE, harness, open, send_text, shows, wait_for};
use eframe::egui;
use egui_kittest::kittest::Queryable as _;
use netassist::app::i18n::Lang;
use netassist::app::settings::Protocol;

/// A UDP window session sending to `port` on 127.0.0.1.
fn udp_to(port: u16) -> egui_kittest::Harness<'static, netassist::app::NetAssistApp> {
    let mut h = harness(Protocol::Udp);
    let settings = &mut h.state_mut().sessions[0].settings;
    "127.0.0.1".clone_into(&mut settings.remote_host);
    settings.remote_port = port.to_string();
    h
}

fn switch_to_chinese(h: &mut egui_kittest::Harness<'static, netassist::app::NetAssistApp>) {
    h.state_mut().lang = Lang::Zh;
    h.step();
    h.step();
}

#[test]
fn fault_09_window_logs_nobody_listening_on_that_udp_port() {
    let closed = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut h = udp_to(closed.port());
    open(&mut h);
    send_text(&mut h, "anyone?");
    let english = format!("{closed}: nobody is listening on that UDP port");
    wait_for(&mut h, "the note in the log", |h| shows(h, &english));
    switch_to_chinese(&mut h);
    let chinese = format!("{closed}：这个 UDP 端口没有程序在监听");
    wait_for(&mut h, "the note in Chinese", |h| shows(h, &chinese));
    assert!(!shows(&h, &english));
}

#[test]
fn fault_11_window_refuses_an_oversized_datagram_in_the_send_box() {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut h = udp_to(peer.local_addr().unwrap().port());
    open(&mut h);
    // Pasted rather than typed: 65,508 key presses would take minutes.
    h.state_mut().sessions[0].send_text = "a".repeat(65_508);
    h.step();
    // Ctrl+Enter in the box: a box this full pushes the Send button out of the window.
    h.get_by_label("Data to send").focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.step();
    let english =
        "a UDP datagram holds at most 65,507 bytes, this one has 65,508 — nothing was sent";
    wait_for(&mut h, "the send box's sentence", |h| shows(h, english));
    switch_to_chinese(&mut h);
    wait_for(&mut h, "the sentence in Chinese", |h| {
        shows(
            h,
            "UDP 数据报最多 65,507 字节，这个有 65,508 字节 — 没有发送",
        )
    });
    // Nothing went: what the peer gets first is the next, small send.
    h.state_mut().lang = Lang::En;
    h.step();
    send_text(&mut h, "small");
    let mut buf = vec![0u8; 70_000];
    let (n, _) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"small");
}

#[test]
fn fault_12_window_send_on_a_closed_session_says_open_first_and_keeps_the_text() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut h = harness(Protocol::TcpClient);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        "127.0.0.1".clone_into(&mut settings.remote_host);
        settings.remote_port = listener.local_addr().unwrap().port().to_string();
    }
    open(&mut h);
    let (server_side, _) = listener.accept().unwrap();
    // The server goes away: the session closes by itself.
    drop(server_side);
    wait_for(&mut h, "the session to close", |h| {
        !h.state().sessions[0].is_active()
    });
    std::thread::sleep(Duration::from_millis(50));

    send_text(&mut h, "still here?");
    wait_for(&mut h, "the send box's sentence", |h| {
        shows(h, "not open — press Open first")
    });
    assert_eq!(
        h.state().sessions[0].send_text,
        "still here?",
        "what was typed stays in the box"
    );
    switch_to_chinese(&mut h);
    wait_for(&mut h, "the sentence in Chinese", |h| {
        shows(h, "尚未打开 — 请先按“打开”")
    });
}
