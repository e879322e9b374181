//! The network faults of the fault matrix, one test each (`fault_NN_…`), over loopback: what
//! the engine reports, and what the command line says and exits with. Faults 21 (out of file
//! descriptors) and 22 (10,000 connections leave nothing behind) have their own files,
//! `faults_net_emfile.rs` and `faults_net_leaks.rs`; the window's side is in `ui_faults.rs`.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use crate::cli_support::netassist;
use crate::util::{
    PATIENCE, any_local_v4, any_local_v6, next_matching, open, pattern, receive_exactly,
};
use netassist::engine::{
    CloseReason, Command, Event, NetError, Payload, Session, SessionConfig, Target, check_remote,
};

// ---------------------------------------------------------------------------------------------
// The command line as a child process (`cli_support`).

/// Runs `args`, which must fail at once; returns the exit code and stderr.
fn fails(args: &[&str]) -> (i32, String) {
    let (code, out, err) = netassist(args).finish();
    assert!(out.is_empty(), "{args:?} wrote {out:?}");
    (code, err)
}

/// A TCP port that nobody listens on (bound, then closed).
fn closed_tcp_port(ip: &str) -> SocketAddr {
    TcpListener::bind((ip, 0)).unwrap().local_addr().unwrap()
}

/// A UDP port that nobody listens on (bound, then closed). Never port 9: something may be there.
fn closed_udp_port(ip: &str) -> SocketAddr {
    UdpSocket::bind((ip, 0)).unwrap().local_addr().unwrap()
}

/// The first event that is a `PeerClosed` for `peer`, or a `Closed` (which fails the test).
fn peer_closed(session: &netassist::engine::SessionHandle, peer: SocketAddr) -> CloseReason {
    match next_matching(session, |e| {
        matches!(e, Event::PeerClosed { peer: p, .. } if *p == peer) || matches!(e, Event::Closed)
    }) {
        Event::PeerClosed { reason, .. } => reason,
        other => panic!("session ended before {peer} closed: {other:?}"),
    }
}

/// The next `Error` event's error.
fn next_error(session: &netassist::engine::SessionHandle) -> NetError {
    match next_matching(session, |e| matches!(e, Event::Error(_))) {
        Event::Error(err) => err,
        _ => unreachable!(),
    }
}

/// Reads what `stream` has until EOF (bounded by `PATIENCE`).
fn read_to_eof(stream: &mut TcpStream) -> Vec<u8> {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut got = Vec::new();
    stream.read_to_end(&mut got).unwrap();
    got
}

fn send(session: &netassist::engine::SessionHandle, bytes: &[u8], to: Target) {
    assert!(session.send(Command::Send {
        payload: Payload::from(bytes.to_vec()),
        to,
    }));
}

// ---------------------------------------------------------------------------------------------
// 01 refused

/// The command line's IPv4 case is `cli.rs`'s `open_failures_exit_1_with_the_reason`.
#[test]
fn fault_01_refused() {
    let closed = closed_tcp_port("127.0.0.1");
    let session = Session::open(SessionConfig::tcp_client(closed.to_string()), None).unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Failed(_) | Event::Opened { .. })
    }) {
        Event::Failed(err) => {
            assert_eq!(err, NetError::Refused { addr: closed });
            assert_eq!(
                err.to_string(),
                format!("connection refused by {closed} — is a server listening there?")
            );
        }
        other => panic!("connected to a closed port: {other:?}"),
    }
    next_matching(&session, |e| matches!(e, Event::Closed));

    let closed_v6 = closed_tcp_port("::1").to_string();
    let (code, err) = fails(&["tcp-client", &closed_v6]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "connection refused by {closed_v6} — is a server listening there?"
        )),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 02 reset mid-stream

/// Closes `stream` with `SO_LINGER` 0: the peer gets a RST instead of a FIN.
fn reset(stream: TcpStream) {
    socket2::SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(stream);
}

#[test]
fn fault_02_reset_mid_stream() {
    // The engine as a client: what came before the reset is delivered, then the reason.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = listener.local_addr().unwrap();
    let (client, _) = open(SessionConfig::tcp_client(server.to_string()));
    let (mut peer, _) = listener.accept().unwrap();
    let data = pattern(100_000, 2);
    peer.write_all(&data).unwrap();
    assert_eq!(receive_exactly(&client, data.len()), data);
    reset(peer);
    assert_eq!(peer_closed(&client, server), CloseReason::Reset);
    next_matching(&client, |e| matches!(e, Event::Closed));

    // The engine as a server: one client resets, the others go on.
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
    let resetting = TcpStream::connect(addr).unwrap();
    let gone = resetting.local_addr().unwrap();
    next_matching(
        &server,
        |e| matches!(e, Event::PeerConnected { peer, .. } if *peer == gone),
    );
    reset(resetting);
    assert_eq!(peer_closed(&server, gone), CloseReason::Reset);
    let mut other = TcpStream::connect(addr).unwrap();
    other.write_all(b"still here").unwrap();
    assert_eq!(receive_exactly(&server, 10), b"still here");

    // The command line: the bytes are shown, the reason said, and it exits 1.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = listener.local_addr().unwrap().to_string();
    let mut run = netassist(&["tcp-client", &server]);
    let (mut peer, _) = listener.accept().unwrap();
    peer.write_all(b"before the reset\n").unwrap();
    let deadline = Instant::now() + PATIENCE;
    while !run.stdout_text().contains("before the reset") {
        assert!(Instant::now() < deadline, "nothing shown: {:?}", run.err);
        std::thread::sleep(Duration::from_millis(10));
    }
    reset(peer);
    run.stderr_line(&format!("{server} left: reset by the peer"));
    let (code, out, err) = run.finish();
    assert_eq!(code, 1, "a reset is a failure: {err}");
    assert_eq!(out, b"before the reset\n");
}

// ---------------------------------------------------------------------------------------------
// 03 half-close by the peer, then we send

#[test]
fn fault_03_half_close_then_send() {
    // The engine as a client: the peer's FIN ends the session; a send after it is refused with
    // a sentence, and nothing reaches the peer.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = listener.local_addr().unwrap();
    let (client, _) = open(SessionConfig::tcp_client(server.to_string()));
    let (mut peer, _) = listener.accept().unwrap();
    peer.write_all(b"bye").unwrap();
    peer.shutdown(Shutdown::Write).unwrap();
    assert_eq!(receive_exactly(&client, 3), b"bye");
    assert_eq!(peer_closed(&client, server), CloseReason::PeerClosed);
    let delivered = client.send(Command::Send {
        payload: Payload::from(&b"too late"[..]),
        to: Target::Default,
    });
    // Either the I/O thread is already gone (the send says false) or it answers "closed".
    if delivered {
        match next_matching(&client, |e| matches!(e, Event::Error(_) | Event::Closed)) {
            Event::Error(err) => {
                assert_eq!(err, NetError::Closed);
                assert_eq!(err.to_string(), "the session is closed — open it first");
            }
            Event::Closed => {}
            _ => unreachable!(),
        }
    }
    assert!(
        read_to_eof(&mut peer).is_empty(),
        "nothing may reach the peer"
    );

    // The engine as a server: a client that half-closed has left; sending to it says so.
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
    let mut half = TcpStream::connect(addr).unwrap();
    let gone = half.local_addr().unwrap();
    next_matching(
        &server,
        |e| matches!(e, Event::PeerConnected { peer, .. } if *peer == gone),
    );
    half.shutdown(Shutdown::Write).unwrap();
    assert_eq!(peer_closed(&server, gone), CloseReason::PeerClosed);
    send(&server, b"to the one that left", Target::Peer(gone));
    let err = next_error(&server);
    assert_eq!(err, NetError::UnknownPeer { peer: gone });
    assert_eq!(
        err.to_string(),
        format!("{gone} is not connected to this session")
    );
    assert!(read_to_eof(&mut half).is_empty());

    // The command line: it shows what came, says the peer closed, exits 0; a line typed
    // after that is not sent.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = listener.local_addr().unwrap().to_string();
    let mut run = netassist(&["tcp-client", &server]);
    let (mut peer, _) = listener.accept().unwrap();
    peer.write_all(b"bye\n").unwrap();
    peer.shutdown(Shutdown::Write).unwrap();
    run.stderr_line(&format!("{server} left: closed by the peer"));
    run.try_write_stdin(b"after the close\n");
    let (code, out, err) = run.finish();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, b"bye\n");
    assert!(
        read_to_eof(&mut peer).is_empty(),
        "nothing may reach the peer"
    );
}

// ---------------------------------------------------------------------------------------------
// 04 the peer process killed mid-transfer

#[test]
fn fault_04_peer_killed_mid_transfer() {
    let chunk = "x".repeat(4000);
    // The engine as a server, flooded by a netassist client process that is killed.
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
    let addr_text = addr.to_string();
    let mut flooder = netassist(&[
        "tcp-client",
        &addr_text,
        "--send",
        &chunk,
        "--repeat",
        "1",
        "--show",
        "none",
        "-q",
    ]);
    let Event::PeerConnected { peer, .. } =
        next_matching(&server, |e| matches!(e, Event::PeerConnected { .. }))
    else {
        unreachable!()
    };
    let mut got = 0usize;
    while got < 40_000 {
        if let Event::Received { bytes, .. } =
            next_matching(&server, |e| matches!(e, Event::Received { .. }))
        {
            got += bytes.len();
        }
    }
    flooder.child.kill().unwrap(); // SIGKILL: no goodbye
    flooder.child.wait().unwrap();
    let reason = peer_closed(&server, peer);
    assert!(
        matches!(reason, CloseReason::PeerClosed | CloseReason::Reset),
        "{reason:?}"
    );
    let mut next = TcpStream::connect(addr).unwrap();
    next.write_all(b"next client").unwrap();
    let deadline = Instant::now() + PATIENCE;
    let mut tail = Vec::new();
    while !tail.ends_with(b"next client") {
        assert!(Instant::now() < deadline, "the server stopped serving");
        if let Event::Received { bytes, .. } =
            next_matching(&server, |e| matches!(e, Event::Received { .. }))
        {
            tail.extend_from_slice(&bytes);
        }
    }

    // The command line as the server: the killed client is reported, the server goes on and
    // ends cleanly with its count.
    let mut run = netassist(&["tcp-server", "127.0.0.1:0", "--show", "none"]);
    let listen = run.local_addr("listening on ").to_string();
    let mut flooder = netassist(&[
        "tcp-client",
        &listen,
        "--send",
        &chunk,
        "--repeat",
        "1",
        "--show",
        "none",
        "-q",
    ]);
    run.stderr_line(" connected");
    std::thread::sleep(Duration::from_millis(300));
    flooder.child.kill().unwrap();
    flooder.child.wait().unwrap();
    let line = run.stderr_line(" left: ");
    assert!(
        line.ends_with("left: closed by the peer") || line.ends_with("left: reset by the peer"),
        "{line}"
    );
    assert!(run.running(), "the server goes on after a client is killed");
    run.terminate();
    let (code, _, err) = run.finish();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("closed (received "), "{err}");
}

// ---------------------------------------------------------------------------------------------
// 05 port in use

/// The command line's TCP case is `cli.rs`'s `open_failures_exit_1_with_the_reason`.
#[test]
fn fault_05_port_in_use() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let session = Session::open(SessionConfig::tcp_server(addr), None).unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Failed(_) | Event::Opened { .. })
    }) {
        Event::Failed(err) => {
            assert_eq!(err, NetError::AddrInUse { addr });
            assert_eq!(
                err.to_string(),
                format!(
                    "{addr} is already in use — pick another port or stop the program using it"
                )
            );
        }
        other => panic!("opened on a port in use: {other:?}"),
    }

    let taken_udp = UdpSocket::bind("[::1]:0").unwrap();
    let addr = taken_udp.local_addr().unwrap();
    let session = Session::open(SessionConfig::udp(addr, None), None).unwrap();
    assert!(matches!(
        next_matching(&session, |e| matches!(e, Event::Failed(_) | Event::Opened { .. })),
        Event::Failed(NetError::AddrInUse { addr: a }) if a == addr
    ));

    let addr = addr.to_string();
    let (code, err) = fails(&["udp", "--bind", &addr]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("{addr} is already in use — pick another port")),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 06 port out of range

#[test]
fn fault_06_port_out_of_range() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    for (args, says) in [
        (
            &["tcp-client", "localhost:99999"][..],
            "'localhost:99999' is not a valid address — the port '99999' must be a number from 1 to 65535",
        ),
        (
            &["udp", "--to", "127.0.0.1:65536"][..],
            "the port '65536' must be a number from 1 to 65535",
        ),
        (
            &["tcp-client", "127.0.0.1:0"][..],
            "port 0 cannot be reached: give the port the peer listens on, from 1 to 65535",
        ),
        (
            &["tcp-server", "localhost:99999"][..],
            "the port '99999' must be a number from 0 to 65535",
        ),
        (
            &["tcp-server", "99999"][..],
            "'99999' is not a valid port — give a number from 0 to 65535 (0 picks a free port)",
        ),
        (
            &["udp", "--bind", "0.0.0.0:70000"][..],
            "the port '70000' must be a number from 0 to 65535",
        ),
    ] {
        let (code, err) = fails(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("needs a port"), "{args:?}: {err}");
    }
    assert!(listener.accept().is_err(), "nothing may connect");

    // The engine (the window's path) says the same.
    let err = check_remote("localhost:99999").unwrap_err();
    assert_eq!(
        err.to_string(),
        "'localhost:99999' is not a valid address — the port '99999' must be a number from 1 to 65535"
    );
    let session = Session::open(SessionConfig::tcp_client("localhost:99999"), None).unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Failed(_) | Event::Opened { .. })
    }) {
        Event::Failed(NetError::InvalidAddress { hint, .. }) => {
            assert!(hint.contains("from 1 to 65535"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 07 malformed address

#[test]
fn fault_07_malformed_address() {
    let missing_bracket = "the ']' that closes the IPv6 address is missing, e.g. [::1]:8080";
    let no_host = "the host is missing, e.g. 127.0.0.1:8080";
    let five_numbers = "'1.2.3.4.5' is not an IPv4 address (four numbers from 0 to 255";
    for (address, says) in [
        ("[::1", missing_bracket),
        (":80", no_host),
        ("1.2.3.4.5:1", five_numbers),
        ("127.0.0.1：80", "write the colon before the port as ':'"),
        ("[::1]", "add a port after the brackets, e.g. [::1]:8080"),
        ("[zz]:80", "'zz' in the brackets is not an IPv6 address"),
        (
            "::1:80",
            "write IPv6 addresses in brackets, e.g. [::1]:8080",
        ),
        ("my host:80", "' ' cannot be part of a host name"),
    ] {
        for args in [
            vec!["tcp-client", address],
            vec!["udp", "--to", address],
            vec!["tcp-server", address],
            vec!["udp", "--bind", address],
        ] {
            let (code, err) = fails(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(
                err.contains(&format!("'{address}' is not a valid address")),
                "{args:?}: {err}"
            );
            assert!(err.contains(says), "{args:?}: {err}");
        }
        // The engine, which the window uses, refuses it without a DNS lookup.
        let started = Instant::now();
        let session = Session::open(SessionConfig::tcp_client(address), None).unwrap();
        match next_matching(&session, |e| {
            matches!(e, Event::Failed(_) | Event::Opened { .. })
        }) {
            Event::Failed(NetError::InvalidAddress { input, .. }) => assert_eq!(input, address),
            other => panic!("{address}: {other:?}"),
        }
        assert!(started.elapsed() < PATIENCE);
    }
}

// ---------------------------------------------------------------------------------------------
// 08 unresolvable host

#[test]
fn fault_08_unresolvable_host() {
    // RFC 6761: names under .invalid never resolve, and no DNS query is sent for them.
    let says = "cannot find host 'no-such-host.invalid' — check the spelling or use an IP address";
    let session =
        Session::open(SessionConfig::tcp_client("no-such-host.invalid:80"), None).unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Failed(_) | Event::Opened { .. })
    }) {
        Event::Failed(err) => {
            assert!(
                matches!(&err, NetError::Resolve { host, .. } if host == "no-such-host.invalid")
            );
            assert!(err.to_string().starts_with(says), "{err}");
        }
        other => panic!("{other:?}"),
    }
    // A name that cannot be found is not a typing mistake the CLI can see before it asks the
    // resolver (the network may be down): a run-time failure, exit 1.
    for args in [
        &["tcp-client", "no-such-host.invalid:80"][..],
        &["udp", "--to", "No-Such-Host.INVALID.:80"][..],
    ] {
        let (code, err) = fails(args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains("cannot find host '"), "{args:?}: {err}");
        assert!(
            err.contains("check the spelling or use an IP address"),
            "{err}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 09 UDP to a port nobody listens on

#[test]
fn fault_09_udp_port_unreachable() {
    for (local, ip) in [(any_local_v4(), "127.0.0.1"), (any_local_v6(), "::1")] {
        let closed = closed_udp_port(ip);
        let (udp, _) = open(SessionConfig::udp(local, Some(closed.to_string())));
        let started = Instant::now();
        send(&udp, b"anyone?", Target::Default);
        let err = next_error(&udp);
        assert_eq!(err, NetError::UdpPortUnreachable { addr: closed });
        assert_eq!(
            err.to_string(),
            format!("{closed}: nobody is listening on that UDP port")
        );
        // A burst brings an ICMP message per datagram but at most one note a second.
        for _ in 0..20 {
            send(&udp, b"anyone?", Target::Default);
        }
        let mut notes = 1;
        let watch = Instant::now() + Duration::from_millis(700);
        while let Ok(event) = udp
            .events()
            .recv_timeout(watch.saturating_duration_since(Instant::now()))
        {
            if matches!(event, Event::Error(NetError::UdpPortUnreachable { .. })) {
                notes += 1;
            }
        }
        let allowed = usize::try_from(started.elapsed().as_secs()).unwrap() + 1;
        assert!(notes <= allowed, "{notes} notes in {:?}", started.elapsed());
        // The socket still works: a real peer gets what is sent after.
        let peer = UdpSocket::bind((ip, 0)).unwrap();
        peer.set_read_timeout(Some(PATIENCE)).unwrap();
        send(
            &udp,
            b"still works",
            Target::Peer(peer.local_addr().unwrap()),
        );
        let mut buf = [0u8; 64];
        let (n, _) = peer.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"still works");
    }

    // The command line says it and goes on.
    let closed = closed_udp_port("127.0.0.1").to_string();
    let mut run = netassist(&["udp", "--bind", "127.0.0.1:0", "--to", &closed]);
    run.stderr_line("bound to ");
    run.try_write_stdin(b"anyone?\n");
    run.stderr_line(&format!(
        "netassist: {closed}: nobody is listening on that UDP port"
    ));
    assert!(run.running(), "a UDP socket goes on after an ICMP error");
    run.terminate();
    let (code, _, err) = run.finish();
    assert_eq!(code, 0, "{err}");
}

// ---------------------------------------------------------------------------------------------
// 10 the largest datagram received whole

#[test]
fn fault_10_largest_datagram_received_whole() {
    for (local, ip, size) in [
        (any_local_v4(), "127.0.0.1", 65_507),
        (any_local_v6(), "::1", 65_527),
    ] {
        let (udp, addr) = open(SessionConfig::udp(local, None));
        let peer = UdpSocket::bind((ip, 0)).unwrap();
        let data = pattern(size, 10);
        assert_eq!(peer.send_to(&data, addr).unwrap(), size);
        match next_matching(&udp, |e| matches!(e, Event::Received { .. })) {
            Event::Received {
                bytes, peer: from, ..
            } => {
                assert_eq!(bytes.len(), size, "one event holds the whole datagram");
                assert!(bytes[..] == data[..]);
                assert_eq!(from, peer.local_addr().unwrap());
            }
            _ => unreachable!(),
        }
    }

    // The command line shows it as one record of 65507 bytes.
    let mut run = netassist(&["udp", "--bind", "127.0.0.1:0", "--show", "log"]);
    let addr = run.local_addr("bound to ");
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.send_to(&vec![b'z'; 65_507], addr).unwrap();
    let needle = format!("<- {} (65507 B) ", peer.local_addr().unwrap());
    let deadline = Instant::now() + PATIENCE;
    while !run.stdout_text().contains(&needle) {
        assert!(
            Instant::now() < deadline,
            "not shown: {:?}",
            run.stdout_text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(run.stdout_text().matches(" <- ").count(), 1, "one record");
}

// ---------------------------------------------------------------------------------------------
// 11 a datagram too large is refused before sending

#[test]
fn fault_11_oversized_datagram_refused_before_sending() {
    for (local, ip, max) in [
        (any_local_v4(), "127.0.0.1", 65_507usize),
        (any_local_v6(), "::1", 65_527),
    ] {
        let peer = UdpSocket::bind((ip, 0)).unwrap();
        peer.set_read_timeout(Some(PATIENCE)).unwrap();
        let to = peer.local_addr().unwrap();
        let (udp, _) = open(SessionConfig::udp(local, Some(to.to_string())));
        send(&udp, &vec![1u8; max + 1], Target::Default);
        let err = next_error(&udp);
        assert_eq!(err, NetError::DatagramTooLarge { len: max + 1, max });
        let (max_text, len_text) = if max == 65_507 {
            ("65,507", "65,508")
        } else {
            ("65,527", "65,528")
        };
        assert_eq!(
            err.to_string(),
            format!(
                "a UDP datagram holds at most {max_text} bytes, this one has {len_text} — nothing was sent; send less or use TCP"
            )
        );
        // Nothing went: the first datagram the peer gets is the largest one, whole.
        send(&udp, &vec![2u8; max], Target::Default);
        let mut buf = vec![0u8; 70_000];
        let (n, _) = peer.recv_from(&mut buf).unwrap();
        assert_eq!(n, max);
        assert!(buf[..n].iter().all(|b| *b == 2));
    }

    // Sending to everyone heard: refused for all before any is sent.
    let (udp, addr) = open(SessionConfig::udp(any_local_v4(), None));
    let peers: Vec<UdpSocket> = (0..2)
        .map(|_| UdpSocket::bind("127.0.0.1:0").unwrap())
        .collect();
    for peer in &peers {
        peer.send_to(b"hi", addr).unwrap();
        peer.set_read_timeout(Some(PATIENCE)).unwrap();
        next_matching(&udp, |e| matches!(e, Event::Received { .. }));
    }
    send(&udp, &vec![3u8; 65_508], Target::All);
    assert!(matches!(
        next_error(&udp),
        NetError::DatagramTooLarge { len: 65_508, .. }
    ));
    send(&udp, b"small", Target::All);
    for peer in &peers {
        let mut buf = vec![0u8; 70_000];
        let (n, _) = peer.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"small");
    }

    // The command line: a line that is too long is refused with the sentence; the next goes.
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    let to = peer.local_addr().unwrap().to_string();
    let mut run = netassist(&["udp", "--bind", "127.0.0.1:0", "--to", &to]);
    run.stderr_line("bound to ");
    let mut line = vec![b'a'; 65_507]; // + "\n" = 65,508 bytes
    line.push(b'\n');
    run.try_write_stdin(&line);
    run.stderr_line(
        "a UDP datagram holds at most 65,507 bytes, this one has 65,508 — nothing was sent",
    );
    run.try_write_stdin(b"ok\n");
    let mut buf = vec![0u8; 70_000];
    let (n, _) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"ok\n");
    run.terminate();
    let (code, _, err) = run.finish();
    assert_eq!(code, 0, "{err}");
}

// ---------------------------------------------------------------------------------------------
// 12 send while closed

#[test]
fn fault_12_send_while_closed() {
    // A session that was closed: a send after `Closed` is refused by the handle itself.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let (client, _) = open(SessionConfig::tcp_client(
        listener.local_addr().unwrap().to_string(),
    ));
    let (mut peer, _) = listener.accept().unwrap();
    assert!(client.send(Command::Close));
    next_matching(&client, |e| matches!(e, Event::Closed));
    assert!(
        !client.send(Command::Send {
            payload: Payload::from(&b"after close"[..]),
            to: Target::Default,
        }),
        "a send after Closed must say it was not delivered"
    );
    assert!(read_to_eof(&mut peer).is_empty());

    // Sends that reach the I/O thread as it ends are answered, not dropped in silence: queue
    // them behind a Close.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let (client, _) = open(SessionConfig::tcp_client(
        listener.local_addr().unwrap().to_string(),
    ));
    let (mut peer, _) = listener.accept().unwrap();
    let mut answered = 0;
    let mut refused = 0;
    // Close, then sends queued behind it: each is either refused by the handle or answered.
    assert!(client.send(Command::Close));
    for _ in 0..50 {
        if client.send(Command::Send {
            payload: Payload::from(&b"late"[..]),
            to: Target::Default,
        }) {
            answered += 1;
        } else {
            refused += 1;
        }
    }
    let mut closed_errors = 0;
    let deadline = Instant::now() + PATIENCE;
    loop {
        match client
            .events()
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(Event::Error(NetError::Closed)) => closed_errors += 1,
            Ok(Event::Closed) => break,
            Ok(_) => {}
            Err(err) => panic!("no Closed: {err}"),
        }
    }
    assert_eq!(
        closed_errors, answered,
        "every delivered late send is answered ({refused} refused)"
    );
    assert!(read_to_eof(&mut peer).is_empty(), "nothing after the close");

    // The command line: a client whose server left has ended; a server with no client says
    // there is no one to send to.
    let mut run = netassist(&["tcp-server", "127.0.0.1:0"]);
    run.stderr_line("listening on ");
    run.try_write_stdin(b"to nobody\n");
    run.stderr_line("no one to send to — ");
    assert!(run.running());
    run.terminate();
    assert_eq!(run.finish().0, 0);
}

// ---------------------------------------------------------------------------------------------
// 24 a multicast join on an interface that does not exist

#[test]
fn fault_23_multicast_join_on_missing_interface() {
    // 192.0.2.0/24 is TEST-NET-1: no machine has 192.0.2.213 unless it was set up to.
    let bogus: std::net::Ipv4Addr = "192.0.2.213".parse().unwrap();
    let mine = if_addrs::get_if_addrs().unwrap();
    assert!(
        mine.iter().all(|i| i.ip() != std::net::IpAddr::V4(bogus)),
        "the test address exists here"
    );

    let mut config = SessionConfig::udp("0.0.0.0:0".parse().unwrap(), None);
    config.multicast.groups = vec!["239.255.77.1".parse().unwrap()];
    config.multicast.interface_v4 = bogus;
    let session = Session::open(config, None).unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Failed(_) | Event::Opened { .. })
    }) {
        Event::Failed(err) => {
            assert!(
                matches!(&err, NetError::NoSuchInterface { interface, .. } if interface == "192.0.2.213"),
                "{err:?}"
            );
            let text = err.to_string();
            assert!(
                text.starts_with(
                    "192.0.2.213 is not a network interface of this machine — pick one of: "
                ),
                "{text}"
            );
            assert!(
                text.contains("127.0.0.1 (lo"),
                "names the interfaces there are: {text}"
            );
        }
        other => panic!("{other:?}"),
    }

    // IPv6: an interface index nobody has.
    let mut config = SessionConfig::udp("[::]:0".parse().unwrap(), None);
    config.multicast.groups = vec!["ff02::7777".parse().unwrap()];
    config.multicast.interface_v6 = 999_999;
    let session = Session::open(config, None).unwrap();
    assert!(matches!(
        next_matching(&session, |e| matches!(
            e,
            Event::Failed(_) | Event::Opened { .. }
        )),
        Event::Failed(NetError::NoSuchInterface { .. })
    ));

    // The command line checks before it opens: bad input, exit 2.
    for (bind, group, interface) in [
        ("0.0.0.0:0", "239.255.77.1", "192.0.2.213"),
        ("0.0.0.0:0", "239.255.77.1", "nosuch0"),
        ("[::]:0", "ff02::7777", "999999"),
    ] {
        let (code, err) = fails(&[
            "udp",
            "--bind",
            bind,
            "--join",
            group,
            "--multicast-if",
            interface,
        ]);
        assert_eq!(code, 2, "{interface}: {err}");
        assert!(
            err.contains(&format!(
                "--multicast-if \"{interface}\": {interface} is not a network interface of this machine — pick one of: "
            )),
            "{err}"
        );
    }
    // A name that exists works (the loopback interface).
    let lo = mine.iter().find(|i| i.is_loopback()).unwrap().name.clone();
    let mut run = netassist(&[
        "udp",
        "--bind",
        "0.0.0.0:0",
        "--join",
        "239.255.77.1",
        "--multicast-if",
        &lo,
    ]);
    run.stderr_line("joined multicast group 239.255.77.1");
    run.terminate();
    assert_eq!(run.finish().0, 0);
}
