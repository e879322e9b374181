//! The framing view's silence gap over real TCP reads: a frame that arrives in pieces shows as
//! one record timed by its first byte, a pause ends it, and a peer that leaves ends the last
//! one (whole, not "incomplete").

use std::io::Write as _;
use std::net::TcpStream;
use std::time::Duration;

use crate::ui_support::{received_bytes, server_with_client, shows, wait_for};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::log::Direction;

/// Writes `frame` in `pieces` reads, each waited for until the window counted it.
fn write_in_pieces(
    h: &mut Harness<'_, NetAssistApp>,
    peer: &mut TcpStream,
    frame: &[u8],
    pieces: usize,
) {
    for piece in frame.chunks(frame.len().div_ceil(pieces)) {
        let before = h.state().sessions[0].counters.rx_bytes;
        peer.write_all(piece).expect("the write");
        peer.flush().expect("the flush");
        wait_for(h, "the piece to be read", |h| {
            h.state().sessions[0].counters.rx_bytes == before + piece.len() as u64
        });
    }
}

#[test]
fn a_silence_ends_each_frame_and_pieces_within_it_show_as_one() {
    let (mut h, mut peer) = server_with_client();
    peer.set_nodelay(true).expect("nodelay");
    h.get_by_label("Framing view").click();
    h.step();
    h.step();
    h.get_by_label("Silence gap").click();
    h.step();
    h.step();
    assert_eq!(h.state().sessions[0].settings.receive.framing, "gap:20");
    assert!(
        h.state().sessions[0].settings.receive.log_mode,
        "a header per message"
    );
    // A longer silence than the default, so a loaded machine cannot split a frame: the field
    // shows what the settings hold.
    h.state_mut().sessions[0].settings.receive.framing = "gap:400".to_owned();
    h.step();
    h.step();
    assert!(
        h.query_all_by_value("400").next().is_some(),
        "the silence field shows 400"
    );

    let request = [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD];
    let answer = [0x01, 0x03, 0x04, 0x00, 0x2A, 0x01, 0xF4, 0xBB, 0x8E];
    write_in_pieces(&mut h, &mut peer, &request, 3);
    wait_for(&mut h, "the silence to end the request", |h| {
        !received_bytes(h, 0).is_empty()
    });
    assert_eq!(received_bytes(&h, 0), [request.to_vec()]);
    std::thread::sleep(Duration::from_millis(500));
    write_in_pieces(&mut h, &mut peer, &answer, 4);
    wait_for(&mut h, "the silence to end the answer", |h| {
        received_bytes(h, 0).len() == 2
    });
    assert_eq!(received_bytes(&h, 0), [request.to_vec(), answer.to_vec()]);

    // Each record is timed by its first byte: the answer came at least 500 ms later.
    let times: Vec<_> = h.state().sessions[0]
        .log
        .iter()
        .filter(|(r, _)| r.direction == Direction::Rx)
        .map(|(r, _)| r.at)
        .collect();
    let apart = times[1].duration_since(times[0]).expect("in order");
    assert!(apart >= Duration::from_millis(500), "{apart:?}");

    // A third frame, and the peer leaves at once: the end of the stream ends it, whole.
    write_in_pieces(&mut h, &mut peer, b"\x01\x06\x00\x01\x00\x03", 2);
    drop(peer);
    wait_for(&mut h, "the last frame", |h| {
        received_bytes(h, 0).len() == 3
    });
    assert_eq!(received_bytes(&h, 0)[2], b"\x01\x06\x00\x01\x00\x03");
    assert!(!shows(&h, "incomplete"), "the last frame is whole");

    // Per read lays the same reads out as they came: 3 + 3 + 2 pieces (8 and 9 bytes in
    // pieces of at most 3, 6 bytes in pieces of 3).
    h.state_mut().sessions[0].settings.receive.framing = "per-read".to_owned();
    h.step();
    h.step();
    assert_eq!(
        received_bytes(&h, 0).len(),
        8,
        "{:02X?}",
        received_bytes(&h, 0)
    );
}

/// UDP: datagrams of one peer closer than the silence are one message; another peer's
/// datagrams in between are its own. Messages show in the order they ended.
#[test]
fn udp_datagrams_of_each_peer_join_until_a_silence() {
    let mut h = crate::ui_support::harness(netassist::app::settings::Protocol::Udp);
    h.state_mut().sessions[0].settings.receive.framing = "gap:400".to_owned();
    let local = crate::ui_support::open(&mut h);
    let a = std::net::UdpSocket::bind("127.0.0.1:0").expect("peer a");
    let b = std::net::UdpSocket::bind("127.0.0.1:0").expect("peer b");
    let send = |h: &mut Harness<'_, NetAssistApp>, from: &std::net::UdpSocket, bytes: &[u8]| {
        let before = h.state().sessions[0].counters.rx_packets;
        from.send_to(bytes, local).expect("send");
        wait_for(h, "the datagram", |h| {
            h.state().sessions[0].counters.rx_packets == before + 1
        });
    };
    send(&mut h, &a, b"AT+");
    send(&mut h, &b, b"B1");
    send(&mut h, &a, b"GMR");
    send(&mut h, &a, b"\r\n");
    wait_for(&mut h, "both messages", |h| received_bytes(h, 0).len() == 2);
    let records: Vec<_> = h.state().sessions[0]
        .log
        .iter()
        .filter(|(r, _)| r.direction == Direction::Rx)
        .map(|(r, _)| (r.peer, r.bytes.to_vec()))
        .collect();
    let peer_a = netassist::log::Peer::One(a.local_addr().expect("a's address"));
    let peer_b = netassist::log::Peer::One(b.local_addr().expect("b's address"));
    assert_eq!(
        records,
        [(peer_b, b"B1".to_vec()), (peer_a, b"AT+GMR\r\n".to_vec())],
        "b's message ended first (a's went on after it), so it is shown first"
    );
}
