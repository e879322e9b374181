//! The window as a UDP socket, over real loopback sockets.

use std::net::UdpSocket;

use crate::ui_support::{DEADLINE, harness, open, send_text, shows, wait_for};
use netassist::app::settings::Protocol;

#[test]
fn udp_sends_to_the_target_and_shows_the_source_of_replies() {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut h = harness(Protocol::Udp);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.remote_host = "127.0.0.1".to_owned();
        settings.remote_port = peer.local_addr().unwrap().port().to_string();
    }
    let local = open(&mut h);

    send_text(&mut h, "hello udp");
    let mut buf = [0u8; 64];
    let (n, from) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"hello udp");
    assert_eq!(from, local);

    peer.send_to("回复 from peer".as_bytes(), local).unwrap();
    wait_for(&mut h, "the reply", |h| shows(h, "回复 from peer"));
    let source = format!("← {}", peer.local_addr().unwrap());
    assert!(shows(&h, &source), "the record shows the datagram's source");
}

#[test]
fn reply_to_last_sender_reaches_the_target_first_then_whoever_answered() {
    // TFTP's shape: the request goes to the server's port, the answer comes from another port.
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let transfer = UdpSocket::bind("127.0.0.1:0").unwrap();
    for socket in [&server, &transfer] {
        socket.set_read_timeout(Some(DEADLINE)).unwrap();
    }
    let mut h = harness(Protocol::Udp);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.remote_host = "127.0.0.1".to_owned();
        settings.remote_port = server.local_addr().unwrap().port().to_string();
        settings.reply_to_last = true;
    }
    let local = open(&mut h);

    send_text(&mut h, "request");
    let mut buf = [0u8; 64];
    let (n, _) = server.recv_from(&mut buf).unwrap();
    assert_eq!(
        &buf[..n],
        b"request",
        "before any answer: to the remote host"
    );

    transfer.send_to(b"data 1", local).unwrap();
    wait_for(&mut h, "the answer", |h| shows(h, "data 1"));
    send_text(&mut h, "ack 1");
    let (n, _) = transfer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"ack 1", "after it: to whoever answered");
}
