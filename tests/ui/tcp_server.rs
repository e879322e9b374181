//! The window as a TCP server, over real loopback sockets.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::ui_support::{DEADLINE, harness, open, send_text, server_with_client, shows, wait_for};
use egui_kittest::kittest::Queryable as _;
use netassist::app::settings::Protocol;

#[test]
fn gb2312_sent_in_two_writes_shows_as_chinese() {
    let mut h = harness(Protocol::TcpServer);
    let server = open(&mut h);
    let mut peer = TcpStream::connect(server).unwrap();
    peer.write_all(&[0xC4, 0xE3]).unwrap();
    peer.flush().unwrap();
    wait_for(&mut h, "the first write", |h| {
        h.state().sessions[0].counters.rx_bytes == 2
    });
    std::thread::sleep(Duration::from_millis(100));
    peer.write_all(&[0xBA, 0xC3]).unwrap();
    wait_for(&mut h, "the second write", |h| {
        h.state().sessions[0].counters.rx_bytes == 4
    });
    assert_eq!(
        h.state().sessions[0].counters.rx_packets,
        2,
        "two reads, two records"
    );
    assert!(!shows(&h, "你好"), "UTF-8 does not decode GB2312");

    h.get_by_label("Encoding").click();
    h.step();
    h.step();
    h.get_by_label("GB2312").click();
    h.step();
    h.step();
    assert_eq!(h.state().sessions[0].settings.receive.encoding, "GB2312");
    assert!(shows(&h, "你好"), "the log re-rendered in GB2312");

    // Split inside a character: C4 | E3 still shows 你 whole.
    peer.write_all(&[b'\n', 0xC4]).unwrap();
    wait_for(&mut h, "half a character", |h| {
        h.state().sessions[0].counters.rx_bytes == 6
    });
    std::thread::sleep(Duration::from_millis(50));
    peer.write_all(&[0xE3]).unwrap();
    wait_for(&mut h, "the other half", |h| {
        h.state().sessions[0].counters.rx_bytes == 7
    });
    h.step();
    assert!(
        shows(&h, "你"),
        "a character split across reads comes out whole"
    );
    assert!(!shows(&h, "\\xC4"), "no byte shown as undecodable");
}

#[test]
fn invalid_hex_shows_the_error_and_sends_nothing() {
    let (mut h, mut peer) = server_with_client();

    h.get_by_label("Hex input").click();
    h.step();
    assert!(h.state().sessions[0].settings.send.hex);
    send_text(&mut h, "4G");
    h.step();
    assert!(
        shows(&h, "invalid hex: 'G' at column 2"),
        "the error names the column"
    );
    assert_eq!(h.state().sessions[0].counters.tx_bytes, 0);

    peer.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0u8; 16];
    match peer.read(&mut buf) {
        Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("the peer should have received nothing, got {other:?}"),
    }

    // A valid frame then goes through, and the error goes away.
    send_text(&mut h, "01 03 0A");
    peer.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut got = [0u8; 3];
    peer.read_exact(&mut got).unwrap();
    assert_eq!(got, [0x01, 0x03, 0x0A]);
    h.step();
    assert!(!shows(&h, "invalid hex"));
}

#[test]
fn kicking_one_client_leaves_the_other_connected() {
    let mut h = harness(Protocol::TcpServer);
    let server = open(&mut h);
    let mut first = TcpStream::connect(server).unwrap();
    let mut second = TcpStream::connect(server).unwrap();
    wait_for(&mut h, "two clients", |h| {
        h.state().sessions[0].clients.len() == 2
    });
    let first_addr = first.local_addr().unwrap().to_string();
    let second_addr = second.local_addr().unwrap().to_string();
    assert!(shows(&h, "Clients (2)"));

    h.get_by_label(&first_addr).click();
    h.step();
    h.get_by_label("Disconnect").click();
    h.step();

    first.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut buf = [0u8; 16];
    let start = Instant::now();
    assert_eq!(
        first.read(&mut buf).unwrap(),
        0,
        "the kicked client sees EOF"
    );
    assert!(start.elapsed() < DEADLINE);
    wait_for(&mut h, "the client list to shrink", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    assert!(
        h.query_by_label(&first_addr).is_none(),
        "kicked client left the list"
    );
    assert!(
        h.query_by_label(&second_addr).is_some(),
        "the other stays listed"
    );

    // The other one still gets data.
    send_text(&mut h, "still here");
    second.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut got = [0u8; 10];
    second.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"still here");
}

#[test]
fn sending_to_all_counts_each_copy_on_the_network() {
    let mut h = harness(Protocol::TcpServer);
    let server = open(&mut h);
    let mut peers: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(server).unwrap())
        .collect();
    wait_for(&mut h, "three clients", |h| {
        h.state().sessions[0].clients.len() == 3
    });
    send_text(&mut h, "hello");
    for peer in &mut peers {
        let mut got = [0u8; 5];
        peer.set_read_timeout(Some(DEADLINE)).unwrap();
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hello");
    }
    wait_for(&mut h, "the send counted", |h| {
        h.state().sessions[0].counters.tx_packets > 0
    });
    let counters = h.state().sessions[0].counters;
    assert_eq!(
        (counters.tx_bytes, counters.tx_packets),
        (15, 3),
        "TX counts what went out: 5 bytes to each of 3 clients"
    );
    for client in &h.state().sessions[0].clients {
        assert_eq!(client.tx_bytes, 5, "{} got one copy", client.addr);
    }
}
