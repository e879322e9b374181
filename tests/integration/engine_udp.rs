//! The engine's UDP sessions over real loopback sockets.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use crate::util::{PATIENCE, any_local_v4, any_local_v6, next_matching, open};
use netassist::engine::{
    Command, Event, Heartbeat, NetError, Payload, Relay, SentTo, SessionConfig, Target,
};

fn peer_socket(bind: std::net::SocketAddr) -> UdpSocket {
    let socket = UdpSocket::bind(bind).unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket
}

fn recv(socket: &UdpSocket) -> Vec<u8> {
    let mut buf = vec![0u8; 70_000];
    let (n, _) = socket.recv_from(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

#[test]
fn replies_go_to_the_last_sender_and_records_show_the_source() {
    for bind in [any_local_v4(), any_local_v6()] {
        let (udp, local) = open(SessionConfig::udp(bind, None));
        let peer = peer_socket(bind);
        peer.send_to(b"hello", local).unwrap();
        match next_matching(&udp, |e| matches!(e, Event::Received { .. })) {
            Event::Received {
                peer: from, bytes, ..
            } => {
                assert_eq!(from, peer.local_addr().unwrap());
                assert_eq!(bytes, b"hello");
            }
            _ => unreachable!(),
        }
        udp.send(Command::Send {
            payload: Payload::from(&b"reply"[..]),
            to: Target::LastSender,
        });
        assert_eq!(recv(&peer), b"reply");
        // With no target set, the default destination is the last sender too.
        udp.send(Command::Send {
            payload: Payload::from(&b"again"[..]),
            to: Target::Default,
        });
        assert_eq!(recv(&peer), b"again");
    }
}

#[test]
fn no_target_is_an_error_and_target_can_change() {
    let (udp, _) = open(SessionConfig::udp(any_local_v4(), None));
    udp.send(Command::Send {
        payload: Payload::from(&b"x"[..]),
        to: Target::Default,
    });
    match next_matching(&udp, |e| matches!(e, Event::Error(_))) {
        Event::Error(err) => assert!(err.to_string().starts_with("no one to send to"), "{err}"),
        _ => unreachable!(),
    }
    let peer = peer_socket(any_local_v4());
    udp.send(Command::SetUdpTarget(Some(
        peer.local_addr().unwrap().to_string(),
    )));
    match next_matching(&udp, |e| matches!(e, Event::TargetSet { .. })) {
        Event::TargetSet { target } => assert_eq!(target, Some(peer.local_addr().unwrap())),
        _ => unreachable!(),
    }
    udp.send(Command::Send {
        payload: Payload::from(&b"to target"[..]),
        to: Target::Default,
    });
    assert_eq!(recv(&peer), b"to target");
}

#[test]
fn largest_datagram_passes_and_larger_is_refused() {
    let peer = peer_socket(any_local_v4());
    let (udp, _) = open(SessionConfig::udp(
        any_local_v4(),
        Some(peer.local_addr().unwrap().to_string()),
    ));
    let big = vec![0x5Au8; 65_507];
    udp.send(Command::Send {
        payload: Payload::from(big.clone()),
        to: Target::Default,
    });
    assert_eq!(recv(&peer), big);
    udp.send(Command::Send {
        payload: Payload::from(vec![0u8; 65_508]),
        to: Target::Default,
    });
    match next_matching(&udp, |e| matches!(e, Event::Error(_))) {
        Event::Error(err) => assert_eq!(
            err,
            NetError::DatagramTooLarge {
                len: 65_508,
                max: 65_507
            }
        ),
        _ => unreachable!(),
    }
}

#[test]
fn heartbeat_beats_beside_manual_sends() {
    let peer = peer_socket(any_local_v4());
    let (udp, _) = open(SessionConfig::udp(
        any_local_v4(),
        Some(peer.local_addr().unwrap().to_string()),
    ));
    udp.send(Command::Heartbeat(Some(Heartbeat {
        payload: Payload::from(&b"#ping#"[..]),
        interval: Duration::from_millis(20),
        to: Target::Default,
    })));
    udp.send(Command::Send {
        payload: Payload::from(&b"manual"[..]),
        to: Target::Default,
    });
    let mut pings = 0;
    let mut manual = 0;
    let start = Instant::now();
    while pings < 5 {
        assert!(
            start.elapsed() < PATIENCE,
            "only {pings} heartbeats arrived"
        );
        match recv(&peer).as_slice() {
            b"#ping#" => pings += 1,
            b"manual" => manual += 1,
            other => panic!("unexpected datagram {other:?}"),
        }
    }
    assert_eq!(manual, 1);
    // Five beats at 20 ms cannot take less than ~80 ms.
    assert!(
        start.elapsed() >= Duration::from_millis(60),
        "beats came too fast: {:?}",
        start.elapsed()
    );
    udp.send(Command::Heartbeat(None));
}

#[test]
fn relay_makes_a_chat_room() {
    let mut config = SessionConfig::udp(any_local_v4(), None);
    config.relay = Some(Relay {
        include_sender: false,
        prefix_peer: true,
    });
    let (room, addr) = open(config);
    let members: Vec<UdpSocket> = (0..3).map(|_| peer_socket(any_local_v4())).collect();
    // Everyone says hello so the room knows them.
    for (i, member) in members.iter().enumerate() {
        member
            .send_to(format!("hi from {i}").as_bytes(), addr)
            .unwrap();
        next_matching(&room, |e| matches!(e, Event::Received { .. }));
    }
    // Drain what the hellos relayed: member 0 got hi from 1 and 2, member 1 got hi from 2.
    assert!(recv(&members[0]).ends_with(b"hi from 1"));
    assert!(recv(&members[0]).ends_with(b"hi from 2"));
    assert!(recv(&members[1]).ends_with(b"hi from 2"));

    members[2].send_to(b"message", addr).unwrap();
    let expected = format!("{}\nmessage", members[2].local_addr().unwrap());
    assert_eq!(recv(&members[0]), expected.as_bytes());
    assert_eq!(recv(&members[1]), expected.as_bytes());
    match next_matching(&room, |e| matches!(e, Event::Sent { .. })) {
        Event::Sent { to, .. } => assert_eq!(to, SentTo::All { peers: 2 }),
        _ => unreachable!(),
    }
}

#[test]
fn a_flood_that_overflows_the_queue_is_counted() {
    let mut config = SessionConfig::udp(any_local_v4(), None);
    config.event_capacity = 16;
    config.udp_burst_bytes = 4096;
    let (udp, addr) = open(config);
    let sender = peer_socket(any_local_v4());
    for _ in 0..2_000 {
        sender.send_to(&[0xAB; 64], addr).unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));
    let mut received = 0u64;
    let dropped = loop {
        match next_matching(&udp, |e| {
            matches!(e, Event::Received { .. } | Event::Dropped { .. })
        }) {
            Event::Received { .. } => received += 1,
            Event::Dropped { total } => break total,
            _ => unreachable!(),
        }
    };
    assert!(dropped > 0);
    assert!(
        received + dropped <= 2_000,
        "received {received} + dropped {dropped}"
    );
}

#[test]
fn reply_to_last_sender_starts_at_the_target_then_follows_the_answer() {
    // TFTP's shape: the request goes to the server's well-known port, the answer comes from a
    // new port, and every reply after that must go to the new port.
    let well_known = peer_socket(any_local_v4());
    let transfer = peer_socket(any_local_v4());
    let (udp, local) = open(SessionConfig::udp(
        any_local_v4(),
        Some(well_known.local_addr().unwrap().to_string()),
    ));
    udp.send(Command::Send {
        payload: Payload::from(&b"\x00\x01test.txt\x00octet\x00"[..]),
        to: Target::LastSender,
    });
    assert_eq!(recv(&well_known), b"\x00\x01test.txt\x00octet\x00");
    transfer.send_to(b"\x00\x03\x00\x01data", local).unwrap();
    next_matching(&udp, |e| matches!(e, Event::Received { .. }));
    udp.send(Command::Send {
        payload: Payload::from(&b"\x00\x04\x00\x01"[..]),
        to: Target::LastSender,
    });
    assert_eq!(recv(&transfer), b"\x00\x04\x00\x01");

    // With neither a target nor anyone heard from, it is an error that says why.
    let (lonely, _) = open(SessionConfig::udp(any_local_v4(), None));
    lonely.send(Command::Send {
        payload: Payload::from(&b"x"[..]),
        to: Target::LastSender,
    });
    match next_matching(&lonely, |e| matches!(e, Event::Error(_))) {
        Event::Error(err) => assert!(err.to_string().contains("no remote target"), "{err}"),
        _ => unreachable!(),
    }
}
