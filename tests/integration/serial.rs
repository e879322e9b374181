//! Serial port sessions over pseudo-terminal pairs (socat): text and hex round trips, 1 MB
//! each way byte-exact, the port going away while open, a busy port, a missing port, and the
//! bridge to a TCP peer both ways.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use netassist::engine::{
    Bridge, CloseReason, Command, Event, NetError, SerialError, SerialOptions, Session,
    SessionConfig, SessionHandle, SessionKind, Target, port_addr, port_name,
};

use crate::serial_support::PtyPair;
use crate::util::{PATIENCE, next_matching, open, pattern, receive_exactly};

fn serial(port: &str) -> SessionConfig {
    SessionConfig::serial(port, SerialOptions::default())
}

fn send(session: &SessionHandle, bytes: &[u8]) {
    session.send(Command::Send {
        payload: bytes.into(),
        to: Target::Default,
    });
}

#[test]
fn text_goes_both_ways_and_names_the_port() {
    let pair = PtyPair::new();
    let (a, local) = open(serial(&pair.a));
    assert_eq!(port_name(local).as_deref(), Some(pair.a.as_str()));
    let (b, _) = open(serial(&pair.b));
    send(&a, "hello 串口\r\n".as_bytes());
    assert_eq!(receive_exactly(&b, 14), "hello 串口\r\n".as_bytes());
    send(&b, b"back");
    match next_matching(&a, |e| matches!(e, Event::Received { .. })) {
        Event::Received { peer, bytes, .. } => {
            assert_eq!(peer, port_addr(&pair.a));
            let mut got = bytes.as_slice().to_vec();
            if got.len() < 4 {
                got.extend(receive_exactly(&a, 4 - got.len()));
            }
            assert_eq!(got, b"back");
        }
        _ => unreachable!(),
    }
}

#[test]
fn a_megabyte_each_way_arrives_byte_exact() {
    let pair = PtyPair::new();
    let (a, _) = open(serial(&pair.a));
    let (b, _) = open(serial(&pair.b));
    let there = pattern(1024 * 1024, 15);
    let back = pattern(1024 * 1024, 51);
    send(&a, &there);
    send(&b, &back);
    let got_b = receive_exactly(&b, there.len());
    let got_a = receive_exactly(&a, back.len());
    assert!(got_b == there, "a → b differs");
    assert!(got_a == back, "b → a differs");
}

#[test]
fn unplugging_ends_the_session_with_its_sentence() {
    let mut pair = PtyPair::new();
    let (a, _) = open(serial(&pair.a));
    pair.unplug();
    let event = next_matching(&a, |e| matches!(e, Event::PeerClosed { .. }));
    let Event::PeerClosed {
        reason: CloseReason::Error(err),
        peer,
        ..
    } = event
    else {
        panic!("not closed by an error: {event:?}");
    };
    assert_eq!(peer, port_addr(&pair.a));
    assert!(
        matches!(err, NetError::Serial(SerialError::Lost { .. })),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&pair.a) && text.contains("unplugged"),
        "{text}"
    );
    next_matching(&a, |e| matches!(e, Event::Closed));
}

#[test]
fn a_missing_port_and_a_busy_port_say_so() {
    let session = Session::open(serial("/dev/netassist-no-such-port"), None).unwrap();
    let event = next_matching(&session, |e| matches!(e, Event::Failed(_)));
    let Event::Failed(err) = event else {
        unreachable!()
    };
    assert!(
        matches!(err, NetError::Serial(SerialError::NotFound { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("does not exist"), "{err}");

    let pair = PtyPair::new();
    let (_a, _) = open(serial(&pair.a));
    let again = Session::open(serial(&pair.a), None).unwrap();
    let event = next_matching(&again, |e| matches!(e, Event::Failed(_)));
    let Event::Failed(err) = event else {
        unreachable!()
    };
    assert!(
        matches!(err, NetError::Serial(SerialError::Busy { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("busy"), "{err}");
}

/// Opens a serial session on `port` bridged to `bridge`; returns it and the address its TCP
/// side reported.
fn open_bridge(port: &str, bridge: Bridge) -> (SessionHandle, SocketAddr) {
    let mut config = serial(port);
    if let SessionKind::Serial { bridge: slot, .. } = &mut config.kind {
        *slot = Some(bridge);
    }
    let (session, local) = open(config);
    assert!(port_name(local).is_some(), "the port opens first");
    let tcp = match next_matching(&session, |e| {
        matches!(e, Event::Opened { .. } | Event::Failed(_))
    }) {
        Event::Opened { local, .. } => local,
        other => panic!("the bridge's TCP side did not open: {other:?}"),
    };
    (session, tcp)
}

fn read_exactly(stream: &mut TcpStream, len: usize) -> Vec<u8> {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut got = vec![0; len];
    stream.read_exact(&mut got).unwrap();
    got
}

#[test]
fn a_bridge_listening_for_tcp_forwards_both_ways() {
    let pair = PtyPair::new();
    let (bridge, listen) = open_bridge(&pair.a, Bridge::Listen("127.0.0.1:0".parse().unwrap()));
    let (device, _) = open(serial(&pair.b));
    let mut tcp = TcpStream::connect(listen).unwrap();
    next_matching(&bridge, |e| matches!(e, Event::PeerConnected { .. }));
    tcp.write_all(b"to the device").unwrap();
    assert_eq!(receive_exactly(&device, 13), b"to the device");
    // 256 KiB from the device to the TCP client, byte-exact.
    let big = pattern(256 * 1024, 7);
    send(&device, &big);
    assert!(
        read_exactly(&mut tcp, big.len()) == big,
        "device → tcp differs"
    );
    // Both sides' bytes are in the bridge's events, each with its side.
    let mut sides = Vec::new();
    while let Ok(event) = bridge.events().recv_timeout(Duration::from_millis(200)) {
        if let Event::Received { peer, .. } = event
            && !sides.contains(&peer)
        {
            sides.push(peer);
        }
    }
    assert!(sides.contains(&port_addr(&pair.a)), "{sides:?}");
    assert!(sides.iter().any(|p| port_name(*p).is_none()), "{sides:?}");
}

#[test]
fn a_bridge_connecting_to_a_tcp_server_forwards_both_ways() {
    let pair = PtyPair::new();
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap();
    let (bridge, _) = open_bridge(&pair.a, Bridge::Connect(addr.to_string()));
    let (mut tcp, _) = server.accept().unwrap();
    let (device, _) = open(serial(&pair.b));
    let big = pattern(256 * 1024, 9);
    tcp.write_all(&big).unwrap();
    assert!(
        receive_exactly(&device, big.len()) == big,
        "tcp → device differs"
    );
    send(&device, b"01 03 from the device");
    assert_eq!(read_exactly(&mut tcp, 21), b"01 03 from the device");
    drop(bridge);
}

#[test]
fn dtr_and_rts_on_a_port_without_modem_lines_say_so_and_the_port_goes_on() {
    let pair = PtyPair::new();
    let (a, _) = open(serial(&pair.a));
    let (b, _) = open(serial(&pair.b));
    a.send(Command::SetSerialLines {
        dtr: Some(false),
        rts: None,
    });
    let event = next_matching(&a, |e| matches!(e, Event::Error(_)));
    let Event::Error(err) = event else {
        unreachable!()
    };
    assert!(
        matches!(err, NetError::Serial(SerialError::Lines { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("DTR/RTS"), "{err}");
    // The port is still open.
    send(&a, b"still here");
    assert_eq!(receive_exactly(&b, 10), b"still here");
    // Asked of a session that is not a serial port.
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let (tcp, _) = open(SessionConfig::tcp_client(
        server.local_addr().unwrap().to_string(),
    ));
    tcp.send(Command::SetSerialLines {
        dtr: Some(true),
        rts: Some(true),
    });
    let event = next_matching(&tcp, |e| matches!(e, Event::Error(_)));
    assert!(
        matches!(
            event,
            Event::Error(NetError::Serial(SerialError::NotSerial))
        ),
        "{event:?}"
    );
}

/// A bridge still connecting holds the port's bytes and forwards them once connected (they
/// were read and dropped before). The server's listen queue is full, so the kernel drops the
/// bridge's first SYN and the connect takes until its retry, about a second later.
#[test]
fn a_bridge_still_connecting_holds_the_ports_bytes_until_it_is_connected() {
    let pair = PtyPair::new();
    let listener =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    listener
        .bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
        .unwrap();
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let listener: TcpListener = listener.into();
    // Fill the queue (Linux lets one connection wait with a backlog of 0).
    let filler = TcpStream::connect(addr).unwrap();
    let mut config = serial(&pair.a);
    if let SessionKind::Serial { bridge: slot, .. } = &mut config.kind {
        *slot = Some(Bridge::Connect(addr.to_string()));
    }
    let (bridge, _) = open(config);
    let (device, _) = open(serial(&pair.b));
    std::thread::sleep(Duration::from_millis(200));
    send(&device, b"before the link");
    std::thread::sleep(Duration::from_millis(200));
    // Make room: the accept takes the filler; the bridge's retry gets in.
    let (first, _) = listener.accept().unwrap();
    drop((first, filler));
    let (mut tcp, _) = listener.accept().unwrap();
    assert_eq!(read_exactly(&mut tcp, 15), b"before the link");
    drop(bridge);
}
