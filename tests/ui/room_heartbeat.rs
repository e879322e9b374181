//! The UDP room consumes heartbeats as the lesson's server does: a `#ping#` keeps its sender in
//! the room and is counted, but is not relayed to everyone; the window can hide those records.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use crate::ui_support::{DEADLINE, harness, open, shows, wait_for};
use egui_kittest::kittest::Queryable as _;
use netassist::app::settings::Protocol;
use netassist::log::Direction;

/// Every datagram `socket` receives within `patience`.
fn datagrams_within(socket: &UdpSocket, patience: Duration) -> Vec<Vec<u8>> {
    let deadline = Instant::now() + patience;
    let mut got = Vec::new();
    let mut buf = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return got;
        }
        socket.set_read_timeout(Some(left)).unwrap();
        match socket.recv_from(&mut buf) {
            Ok((n, _)) => got.push(buf[..n].to_vec()),
            Err(_) => return got,
        }
    }
}

fn rx_texts(h: &egui_kittest::Harness<'_, netassist::app::NetAssistApp>) -> Vec<String> {
    h.state().sessions[0]
        .log
        .iter()
        .filter(|(r, _)| r.direction == Direction::Rx)
        .map(|(_, text)| text.to_owned())
        .collect()
}

#[test]
fn udp_room_keeps_heartbeats_out_of_the_chat_and_can_hide_them() {
    let mut h = harness(Protocol::Udp);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.remote_host.clear();
        settings.remote_port.clear();
        settings.room.relay_prefix = false;
    }
    h.get_by_label("Chat room").click();
    h.step();
    h.step();
    h.get_by_label("Relay to all peers").click();
    h.step();
    // The room section offers the heartbeat, on by default with the lesson's #ping#.
    assert!(shows(&h, "Heartbeat, not relayed"));
    assert!(h.state().sessions[0].settings.room.heartbeat_on);
    assert_eq!(h.state().sessions[0].settings.room.heartbeat, "#ping#");
    let room: SocketAddr = open(&mut h);

    let alice = UdpSocket::bind("127.0.0.1:0").unwrap();
    let bob = UdpSocket::bind("127.0.0.1:0").unwrap();
    alice.send_to(b"alice joins", room).unwrap();
    bob.send_to(b"bob joins", room).unwrap();
    wait_for(&mut h, "both peers in the room", |h| {
        h.state().sessions[0].clients.len() == 2
    });
    // Drain what was relayed so far (each hears the other's join).
    datagrams_within(&alice, Duration::from_millis(200));
    datagrams_within(&bob, Duration::from_millis(200));

    let rx_before = h.state().sessions[0].counters.rx_packets;
    for _ in 0..3 {
        alice.send_to(b"#ping#", room).unwrap();
    }
    alice.send_to(b"hello bob", room).unwrap();
    wait_for(&mut h, "the four datagrams", |h| {
        h.state().sessions[0].counters.rx_packets == rx_before + 4
    });
    assert_eq!(
        datagrams_within(&bob, Duration::from_millis(300)),
        [b"hello bob".to_vec()],
        "bob hears the chat, not the heartbeats"
    );
    let pings = |h: &egui_kittest::Harness<'_, _>| {
        rx_texts(h)
            .iter()
            .filter(|t| t.as_str() == "#ping#")
            .count()
    };
    assert_eq!(pings(&h), 3, "the heartbeats are received and shown");

    // One toggle hides the heartbeat records, received ones included; the chat stays.
    h.get_by_label("Heartbeat").click();
    h.step();
    h.step();
    h.get_by_label("Hide heartbeat records").click();
    h.step();
    assert_eq!(pings(&h), 0, "heartbeats hidden");
    assert!(rx_texts(&h).contains(&"hello bob".to_owned()));
    assert_eq!(
        h.state().sessions[0].counters.rx_packets,
        rx_before + 4,
        "still counted"
    );
    h.get_by_label("Hide heartbeat records").click();
    h.step();
    assert_eq!(pings(&h), 3, "shown again");

    // The heartbeat is editable while open: now #hb# is consumed and #ping# is chat again.
    h.get_by_label("Heartbeat, not relayed").focus();
    h.step();
    h.state_mut().sessions[0].settings.room.heartbeat.clear();
    h.step();
    h.get_by_label("Heartbeat, not relayed").type_text("#hb#");
    h.step();
    assert_eq!(h.state().sessions[0].settings.room.heartbeat, "#hb#");
    h.step();
    // The change goes to the engine as a command; let it land before the datagrams do.
    std::thread::sleep(Duration::from_millis(50));
    let deadline = Instant::now() + DEADLINE;
    let relayed = loop {
        assert!(Instant::now() < deadline, "the new heartbeat never applied");
        alice.send_to(b"#hb#", room).unwrap();
        alice.send_to(b"#ping#", room).unwrap();
        h.step();
        let got = datagrams_within(&bob, Duration::from_millis(100));
        if !got.is_empty() {
            break got;
        }
    };
    assert!(relayed.iter().all(|d| d == b"#ping#"), "{relayed:?}");
}
