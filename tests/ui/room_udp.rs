//! A UDP chat room in the window: a silent peer is dropped, a heartbeating one stays, and the
//! heartbeat records can be hidden with one toggle.

use std::net::UdpSocket;
use std::time::Duration;

use crate::ui_support::{DEADLINE, harness, open, shows, wait_for};
use egui_kittest::kittest::Queryable as _;
use netassist::app::settings::Protocol;
use netassist::engine::SendOrigin;
use netassist::log::Direction;

fn heartbeat_records(
    h: &egui_kittest::Harness<'_, netassist::app::NetAssistApp>,
    i: usize,
) -> usize {
    h.state().sessions[i]
        .log
        .iter()
        .filter(|(r, _)| r.direction == Direction::Tx && r.origin == Some(SendOrigin::Heartbeat))
        .count()
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one room story: set up, join, drop the silent, hide heartbeats"
)]
fn udp_room_drops_the_silent_peer_and_keeps_the_heartbeating_one() {
    let mut h = harness(Protocol::Udp);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.name = "Room".to_owned();
        settings.remote_host.clear();
        settings.remote_port.clear();
    }
    // Room options through the panel: relay on, silence limit 0.4 s.
    h.get_by_label("Chat room").click();
    h.step();
    h.step();
    h.get_by_label("Relay to all peers").click();
    h.step();
    {
        let room = &mut h.state_mut().sessions[0].settings.room;
        room.timeout_on = true;
    }
    h.get_by_label("Drop UDP peers silent for (s)").focus();
    h.step();
    h.state_mut().sessions[0].settings.room.timeout_secs.clear();
    h.step();
    h.get_by_label("Drop UDP peers silent for (s)")
        .type_text("0.4");
    h.step();
    assert!(h.state().sessions[0].settings.room.relay);
    assert_eq!(h.state().sessions[0].settings.room.timeout_secs, "0.4");
    let room = open(&mut h);

    // A second session of the window heartbeats into the room every 100 ms.
    h.get_by_label("New session").click();
    h.step();
    assert_eq!(h.state().sessions.len(), 2);
    assert_eq!(h.state().active, 1);
    {
        let client = &mut h.state_mut().sessions[1].settings;
        client.name = "Pinger".to_owned();
        client.protocol = Protocol::Udp;
        client.local_ip = "127.0.0.1".to_owned();
        client.local_port = "0".to_owned();
        client.remote_host = "127.0.0.1".to_owned();
        client.remote_port = room.port().to_string();
        client.heartbeat.interval_ms = "100".to_owned();
    }
    h.step();
    h.get_by_label("Heartbeat").click();
    h.step();
    h.step();
    h.get_by_label("Send heartbeat").click();
    h.step();
    assert!(h.state().sessions[1].settings.heartbeat.on);
    h.get_by_label("Open").click();
    let mut pinger = None;
    wait_for(&mut h, "the pinger to open", |h| {
        pinger = h.state().sessions[1].local_addr();
        pinger.is_some()
    });
    let pinger = pinger.unwrap();

    // A raw socket says hello once, then stays silent.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    silent.set_read_timeout(Some(DEADLINE)).unwrap();
    silent.send_to(b"hello, then silence", room).unwrap();
    wait_for(&mut h, "both peers in the room", |h| {
        let peers: Vec<_> = h.state().sessions[0]
            .clients
            .iter()
            .map(|c| c.addr)
            .collect();
        peers.contains(&pinger) && peers.contains(&silent.local_addr().unwrap())
    });
    // The room consumes the heartbeats (its default heartbeat is #ping#): they keep the
    // pinger in the room but are not relayed to the silent one.
    silent
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0u8; 64];
    assert!(
        silent.recv_from(&mut buf).is_err(),
        "a heartbeat was relayed"
    );

    wait_for(&mut h, "the silent peer to be dropped", |h| {
        let peers: Vec<_> = h.state().sessions[0]
            .clients
            .iter()
            .map(|c| c.addr)
            .collect();
        !peers.contains(&silent.local_addr().unwrap())
    });
    let room_view = &h.state().sessions[0];
    assert_eq!(room_view.clients.len(), 1);
    assert_eq!(
        room_view.clients[0].addr, pinger,
        "the heartbeating peer stays"
    );
    assert!(
        room_view.clients[0].last_heard.is_some(),
        "the peer list knows when it was last heard"
    );
    // Show the room: its peer list and the reason in the log.
    h.get_by_label("Room").click();
    h.step();
    h.step();
    assert!(shows(&h, "Peers (1)"));
    assert!(shows(&h, "Last heard"));
    assert!(shows(&h, &pinger.to_string()));
    assert!(
        h.state().sessions[0]
            .log
            .iter()
            .any(|(_, text)| text.contains("silent for too long")),
        "the log says why the peer left"
    );

    // Hide the pinger's heartbeat records with one toggle, and bring them back.
    h.get_by_label("Pinger").click();
    h.step();
    h.step();
    assert!(heartbeat_records(&h, 1) > 0);
    h.get_by_label("Hide heartbeat records").click();
    h.step();
    assert_eq!(heartbeat_records(&h, 1), 0, "heartbeats hidden");
    std::thread::sleep(Duration::from_millis(250));
    h.step();
    assert_eq!(heartbeat_records(&h, 1), 0, "new ones too");
    assert!(
        h.state().sessions[1].counters.tx_packets >= 2,
        "still sent and counted"
    );
    h.get_by_label("Hide heartbeat records").click();
    h.step();
    assert!(
        heartbeat_records(&h, 1) >= 2,
        "shown again, history included"
    );
}
