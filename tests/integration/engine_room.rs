//! Chat rooms and classrooms: relay with leave rules, silent UDP peers, auto-replies, multicast.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use crate::util::{PATIENCE, any_local_v4, next_matching, open};
use netassist::engine::{
    Action, AutoReply, CloseReason, Command, Event, Match, Payload, Relay, SessionConfig, Target,
};

fn read_exact(stream: &mut TcpStream, len: usize) -> Vec<u8> {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = vec![0u8; len];
    stream.read_exact(&mut buf).unwrap();
    buf
}

fn nothing_arrives(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_millis(150)))
        .unwrap();
    let mut buf = [0u8; 64];
    matches!(stream.read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut)
}

#[test]
fn tcp_chat_room_broadcasts_with_the_sender_address_and_lets_quit_leave() {
    let mut config = SessionConfig::tcp_server(any_local_v4());
    config.relay = Some(Relay {
        include_sender: false,
        prefix_peer: true,
    });
    config.quit_line = Some(b"/quit".to_vec());
    let (room, addr) = open(config);
    let mut clients: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    for _ in 0..3 {
        next_matching(&room, |e| matches!(e, Event::PeerConnected { .. }));
    }
    let alice = clients[0].local_addr().unwrap();
    clients[0].write_all("大家好\n".as_bytes()).unwrap();
    let expected = format!("{alice}\n大家好\n");
    assert_eq!(
        read_exact(&mut clients[1], expected.len()),
        expected.as_bytes()
    );
    assert_eq!(
        read_exact(&mut clients[2], expected.len()),
        expected.as_bytes()
    );
    assert!(
        nothing_arrives(&mut clients[0]),
        "the speaker does not hear itself"
    );

    let bob = clients[1].local_addr().unwrap();
    clients[1].write_all(b"/quit\r\n").unwrap();
    match next_matching(&room, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { peer, reason, .. } => {
            assert_eq!(peer, bob);
            assert_eq!(reason, CloseReason::Quit);
        }
        _ => unreachable!(),
    }
    let mut rest = Vec::new();
    clients[1].set_read_timeout(Some(PATIENCE)).unwrap();
    clients[1].read_to_end(&mut rest).unwrap();
    assert!(
        rest.is_empty(),
        "bob is disconnected and hears nothing more"
    );
    assert!(
        nothing_arrives(&mut clients[0]),
        "the quit line is not relayed"
    );
    assert!(
        nothing_arrives(&mut clients[2]),
        "the quit line is not relayed"
    );

    // Including the sender echoes to everyone, the room goes on without bob.
    room.send(Command::SetRelay(Some(Relay {
        include_sender: true,
        prefix_peer: false,
    })));
    clients[2].write_all(b"still here\n").unwrap();
    assert_eq!(read_exact(&mut clients[0], 11), b"still here\n");
    assert_eq!(read_exact(&mut clients[2], 11), b"still here\n");
}

#[test]
fn udp_room_drops_the_silent_and_keeps_the_heartbeating() {
    let mut config = SessionConfig::udp(any_local_v4(), None);
    config.relay = Some(Relay::default());
    config.peer_timeout = Some(Duration::from_millis(400));
    let (room, addr) = open(config);
    let talker = UdpSocket::bind(any_local_v4()).unwrap();
    let silent = UdpSocket::bind(any_local_v4()).unwrap();
    talker.send_to(b"#ping#", addr).unwrap();
    silent.send_to(b"hello, then silence", addr).unwrap();
    let start = Instant::now();
    let mut joined = Vec::new();
    while joined.len() < 2 {
        if let Event::PeerConnected { peer, .. } =
            next_matching(&room, |e| matches!(e, Event::PeerConnected { .. }))
        {
            joined.push(peer);
        }
    }
    assert!(
        joined.contains(&talker.local_addr().unwrap())
            && joined.contains(&silent.local_addr().unwrap())
    );

    // The talker pings every 100 ms (well inside 400 ms) until the silent one is dropped.
    let mut next_ping = Instant::now();
    let left = loop {
        assert!(start.elapsed() < PATIENCE, "nobody was dropped");
        if Instant::now() >= next_ping {
            talker.send_to(b"#ping#", addr).unwrap();
            next_ping += Duration::from_millis(100);
        }
        if let Ok(Event::PeerClosed { peer, reason, .. }) =
            room.events().recv_timeout(Duration::from_millis(20))
        {
            break (peer, reason);
        }
    };
    assert_eq!(left, (silent.local_addr().unwrap(), CloseReason::Silent));
    assert!(
        start.elapsed() >= Duration::from_millis(400),
        "dropped before the timeout"
    );

    // The room now has only the talker: a broadcast reaches it alone.
    room.send(Command::Send {
        payload: Payload::from(&b"room news"[..]),
        to: Target::All,
    });
    match next_matching(&room, |e| matches!(e, Event::Sent { .. } | Event::Error(_))) {
        Event::Sent { to, .. } => assert_eq!(to, netassist::engine::SentTo::All { peers: 1 }),
        other => panic!("{other:?}"),
    }
}

#[test]
fn auto_reply_rules_answer_echo_and_disconnect() {
    let mut config = SessionConfig::tcp_server(any_local_v4());
    config.auto_replies = vec![
        AutoReply {
            when: Match::Contains(b"ping".to_vec()),
            then: Action::Reply(Payload::from(&b"pong\n"[..])),
        },
        AutoReply {
            when: Match::Equals(vec![0x01, 0x03]),
            then: Action::Reply(Payload::from(&[0x01u8, 0x83, 0x02][..])),
        },
        AutoReply {
            when: Match::Regex(regex::bytes::Regex::new("^echo:").unwrap()),
            then: Action::Echo,
        },
        AutoReply {
            when: Match::Regex(regex::bytes::Regex::new("^bye").unwrap()),
            then: Action::Disconnect,
        },
    ];
    let (server, addr) = open(config);
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_nodelay(true).unwrap();
    next_matching(&server, |e| matches!(e, Event::PeerConnected { .. }));

    client.write_all(b"#ping#").unwrap();
    assert_eq!(read_exact(&mut client, 5), b"pong\n");
    client.write_all(&[0x01, 0x03]).unwrap();
    assert_eq!(read_exact(&mut client, 3), [0x01, 0x83, 0x02]);
    client.write_all(b"echo:abc").unwrap();
    assert_eq!(read_exact(&mut client, 8), b"echo:abc");
    client.write_all(b"nothing matches").unwrap();
    assert!(nothing_arrives(&mut client));
    client.write_all(b"bye").unwrap();
    match next_matching(&server, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { reason, .. } => assert_eq!(reason, CloseReason::Rule),
        _ => unreachable!(),
    }
}

#[test]
fn multicast_on_loopback() {
    let group = IpAddr::V4(Ipv4Addr::new(239, 255, 77, 1));
    let mut receiver_config = SessionConfig::udp(SocketAddr::from(([0, 0, 0, 0], 0)), None);
    receiver_config.multicast.groups = vec![group];
    receiver_config.multicast.interface_v4 = Ipv4Addr::LOCALHOST;
    let receiver = netassist::engine::Session::open(receiver_config, None).unwrap();
    let port = match next_matching(&receiver, |e| {
        matches!(e, Event::Opened { .. } | Event::Failed(_))
    }) {
        Event::Opened { local, .. } => local.port(),
        Event::Failed(err) => {
            eprintln!("skipped: the kernel refused multicast on lo: {err}");
            return;
        }
        _ => unreachable!(),
    };
    match next_matching(&receiver, |e| matches!(e, Event::Multicast { .. })) {
        Event::Multicast { group: g, joined } => assert!(joined && g == group),
        _ => unreachable!(),
    }

    let mut sender_config = SessionConfig::udp(any_local_v4(), Some(format!("{group}:{port}")));
    sender_config.multicast.interface_v4 = Ipv4Addr::LOCALHOST;
    sender_config.multicast.loopback = Some(true);
    sender_config.multicast.ttl = Some(1);
    let (sender, _) = open(sender_config);
    sender.send(Command::Send {
        payload: Payload::from(&b"to the group"[..]),
        to: Target::Default,
    });
    match next_matching(&receiver, |e| matches!(e, Event::Received { .. })) {
        Event::Received { bytes, .. } => assert_eq!(bytes, b"to the group"),
        _ => unreachable!(),
    }

    receiver.send(Command::LeaveMulticast(group));
    match next_matching(&receiver, |e| matches!(e, Event::Multicast { .. })) {
        Event::Multicast { joined, .. } => assert!(!joined),
        _ => unreachable!(),
    }
    receiver.send(Command::JoinMulticast(IpAddr::V4(Ipv4Addr::new(
        10, 0, 0, 1,
    ))));
    match next_matching(&receiver, |e| matches!(e, Event::Error(_))) {
        Event::Error(err) => assert!(
            err.to_string().contains("is not a multicast group"),
            "{err}"
        ),
        _ => unreachable!(),
    }
}

/// Receives datagrams on `socket` until `patience` passes; returns them.
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

#[test]
fn udp_room_consumes_heartbeats_instead_of_relaying_them() {
    let mut config = SessionConfig::udp(any_local_v4(), None);
    config.relay = Some(Relay::default());
    config.peer_timeout = Some(Duration::from_millis(600));
    config.room_heartbeat = Some(b"#ping#".to_vec());
    let (room, addr) = open(config);
    let alice = UdpSocket::bind(any_local_v4()).unwrap();
    let bob = UdpSocket::bind(any_local_v4()).unwrap();
    alice.send_to(b"#ping#", addr).unwrap();
    bob.send_to(b"#ping#\n", addr).unwrap();
    for _ in 0..2 {
        next_matching(&room, |e| matches!(e, Event::PeerConnected { .. }));
    }
    // Alice keeps pinging for longer than the timeout: she stays, bob hears none of it.
    let start = Instant::now();
    let mut received = 0;
    while start.elapsed() < Duration::from_millis(900) {
        alice.send_to(b"#ping#", addr).unwrap();
        bob.send_to(b"#ping#\r\n", addr).unwrap();
        let deadline = Instant::now() + Duration::from_millis(100);
        while let Ok(event) = room
            .events()
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            match event {
                Event::Received { bytes, .. } => {
                    assert!(bytes.starts_with(b"#ping#"));
                    received += 1;
                }
                Event::PeerClosed { peer, .. } => panic!("{peer} was dropped while pinging"),
                Event::Sent { bytes, .. } => panic!("a heartbeat was relayed: {bytes:?}"),
                _ => {}
            }
        }
    }
    assert!(received >= 10, "the pings still arrive as received data");
    assert!(
        datagrams_within(&bob, Duration::from_millis(100)).is_empty(),
        "bob got alice's pings"
    );
    assert!(datagrams_within(&alice, Duration::from_millis(50)).is_empty());
    // Real chat is relayed as ever.
    alice.send_to(b"hello room", addr).unwrap();
    assert_eq!(
        datagrams_within(&bob, Duration::from_millis(500)),
        [b"hello room".to_vec()]
    );
    // Switched off, a ping is just a message again (bob pings first so the room keeps him).
    bob.send_to(b"#ping#", addr).unwrap();
    room.send(Command::SetRoomHeartbeat(None));
    std::thread::sleep(Duration::from_millis(50));
    alice.send_to(b"#ping#", addr).unwrap();
    assert_eq!(
        datagrams_within(&bob, Duration::from_millis(500)),
        [b"#ping#".to_vec()]
    );
}
