//! The engine's TCP client and server over real loopback sockets.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

use crate::util::{
    PATIENCE, any_local_v4, any_local_v6, next_matching, open, pattern, receive_exactly,
};
use netassist::codec::{StreamDecoder, TextEncoding};
use netassist::engine::{
    CloseReason, Command, Event, NetError, Payload, SentTo, SessionConfig, Target,
};

fn payload(bytes: &[u8]) -> Payload {
    Payload::from(bytes)
}

#[test]
fn client_and_server_talk_both_ways_v4_and_v6() {
    for bind in [any_local_v4(), any_local_v6()] {
        let (server, addr) = open(SessionConfig::tcp_server(bind));
        let (client, _) = open(SessionConfig::tcp_client(addr.to_string()));
        let Event::PeerConnected { peer, .. } =
            next_matching(&server, |e| matches!(e, Event::PeerConnected { .. }))
        else {
            unreachable!()
        };

        client.send(Command::Send {
            payload: payload("你好 server\n".as_bytes()),
            to: Target::Default,
        });
        assert_eq!(
            receive_exactly(&server, "你好 server\n".len()),
            "你好 server\n".as_bytes()
        );

        server.send(Command::Send {
            payload: payload(&[0x00, 0xFF, 0x7F]),
            to: Target::Peer(peer),
        });
        assert_eq!(receive_exactly(&client, 3), [0x00, 0xFF, 0x7F]);
    }
}

#[test]
fn ten_megabytes_arrive_byte_exact_in_both_directions() {
    let data = pattern(10 * 1024 * 1024, 7);
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));

    // Into the engine's server from a plain socket.
    let writer_data = data.clone();
    let writer = std::thread::Builder::new()
        .name("test-writer".into())
        .spawn(move || {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream.write_all(&writer_data).unwrap();
            stream
        })
        .unwrap();
    let got = receive_exactly(&server, data.len());
    assert!(got == data, "server received different bytes");
    let _stream = writer.join().unwrap();

    // Out of the engine's client into a plain socket.
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let (client, _) = open(SessionConfig::tcp_client(
        listener.local_addr().unwrap().to_string(),
    ));
    let (mut peer, _) = listener.accept().unwrap();
    client.send(Command::Send {
        payload: Payload::from(data.clone()),
        to: Target::Default,
    });
    client.send(Command::Shutdown);
    let mut received = Vec::new();
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    peer.read_to_end(&mut received).unwrap();
    assert_eq!(received.len(), data.len());
    assert!(received == data, "peer received different bytes");
}

#[test]
fn slow_consumer_gets_every_byte_through_backpressure() {
    // A tiny event queue and a consumer that sleeps: TCP must slow down, not lose.
    let mut config = SessionConfig::tcp_server(any_local_v4());
    config.event_capacity = 16;
    let (server, addr) = open(config);
    let data = pattern(4 * 1024 * 1024, 11);
    let writer_data = data.clone();
    let writer = std::thread::Builder::new()
        .name("test-writer".into())
        .spawn(move || {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream.write_all(&writer_data).unwrap();
        })
        .unwrap();
    std::thread::sleep(Duration::from_millis(300)); // let the queue fill up
    assert!(
        server.events().is_full(),
        "the queue should be full while nobody reads"
    );
    let got = receive_exactly(&server, data.len());
    assert!(got == data);
    writer.join().unwrap();
}

#[test]
fn chinese_split_across_writes_decodes_whole() {
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    for (encoding, first, second, expected) in [
        (
            TextEncoding::GB2312,
            &[0xC4_u8][..],
            &[0xE3_u8, 0xBA, 0xC3][..],
            "你好",
        ),
        (TextEncoding::UTF_8, &[0xE4, 0xBD][..], &[0xA0][..], "你"),
    ] {
        stream.write_all(first).unwrap();
        let mut decoder = StreamDecoder::new(encoding);
        let mut text = String::new();
        let mut reads = 0;
        match next_matching(&server, |e| matches!(e, Event::Received { .. })) {
            Event::Received { bytes, .. } => {
                reads += 1;
                decoder.decode(&bytes, &mut text);
            }
            _ => unreachable!(),
        }
        assert_eq!(text, "", "half a character must wait for the rest");
        stream.write_all(second).unwrap();
        while text.chars().count() < expected.chars().count() {
            if let Event::Received { bytes, .. } =
                next_matching(&server, |e| matches!(e, Event::Received { .. }))
            {
                reads += 1;
                decoder.decode(&bytes, &mut text);
            }
        }
        assert!(reads >= 2, "the character must have arrived in two reads");
        assert_eq!(text, expected);
    }
}

#[test]
fn server_broadcasts_to_a_thousand_clients() {
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
    let mut clients: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let mut connected = 0;
    while connected < 1000 {
        next_matching(&server, |e| matches!(e, Event::PeerConnected { .. }));
        connected += 1;
    }
    server.send(Command::Send {
        payload: payload(b"to everyone\n"),
        to: Target::All,
    });
    match next_matching(&server, |e| matches!(e, Event::Sent { .. })) {
        Event::Sent { to, .. } => assert_eq!(to, SentTo::All { peers: 1000 }),
        _ => unreachable!(),
    }
    for client in &mut clients {
        client.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut buf = [0u8; 12];
        client.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"to everyone\n");
    }
}

#[test]
fn kicking_one_client_leaves_the_others() {
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
    let mut first = TcpStream::connect(addr).unwrap();
    let mut second = TcpStream::connect(addr).unwrap();
    let first_addr = first.local_addr().unwrap();
    for _ in 0..2 {
        next_matching(&server, |e| matches!(e, Event::PeerConnected { .. }));
    }
    server.send(Command::Kick(first_addr));
    match next_matching(&server, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { peer, reason, .. } => {
            assert_eq!(peer, first_addr);
            assert_eq!(reason, CloseReason::Kicked);
        }
        _ => unreachable!(),
    }
    first.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(
        first.read(&mut buf).unwrap(),
        0,
        "the kicked client sees EOF"
    );

    server.send(Command::Send {
        payload: payload(b"still here"),
        to: Target::All,
    });
    second.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = [0u8; 10];
    second.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"still here");
    // Kicking someone unknown is an error, not a crash.
    server.send(Command::Kick(first_addr));
    match next_matching(&server, |e| matches!(e, Event::Error(_))) {
        Event::Error(err) => assert!(err.to_string().contains("is not connected"), "{err}"),
        _ => unreachable!(),
    }
}

#[test]
fn refused_connection_says_so() {
    // Bind then drop a listener: its port is now (almost certainly) closed.
    let port = TcpListener::bind(any_local_v4())
        .unwrap()
        .local_addr()
        .unwrap();
    let session =
        netassist::engine::Session::open(SessionConfig::tcp_client(port.to_string()), None)
            .unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Failed(_) | Event::Opened { .. })
    }) {
        Event::Failed(err) => {
            assert_eq!(err, NetError::Refused { addr: port });
            assert_eq!(
                err.to_string(),
                format!("connection refused by {port} — is a server listening there?")
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    next_matching(&session, |e| matches!(e, Event::Closed));
}

#[test]
fn port_in_use_says_so_and_reopen_after_close_works() {
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
    let second = netassist::engine::Session::open(SessionConfig::tcp_server(addr), None).unwrap();
    match next_matching(&second, |e| {
        matches!(e, Event::Failed(_) | Event::Opened { .. })
    }) {
        Event::Failed(err) => assert_eq!(
            err.to_string(),
            format!("{addr} is already in use — pick another port or stop the program using it")
        ),
        other => panic!("expected port in use, got {other:?}"),
    }

    // A client leaves a connection in TIME_WAIT on the server side once the server closes first.
    let stream = TcpStream::connect(addr).unwrap();
    next_matching(&server, |e| matches!(e, Event::PeerConnected { .. }));
    let rest = server.close_and_wait();
    assert!(matches!(rest.last(), Some(Event::Closed)));
    drop(stream);

    let (again, again_addr) = open(SessionConfig::tcp_server(addr));
    assert_eq!(
        again_addr, addr,
        "the server reopens on the same port at once"
    );
    drop(again);
}

#[test]
fn peer_reset_is_reported() {
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let (client, _) = open(SessionConfig::tcp_client(
        listener.local_addr().unwrap().to_string(),
    ));
    let (peer, _) = listener.accept().unwrap();
    // SO_LINGER 0 makes close() send RST instead of FIN.
    socket2::SockRef::from(&peer)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(peer);
    match next_matching(&client, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { reason, .. } => assert_eq!(reason, CloseReason::Reset),
        _ => unreachable!(),
    }
    assert_eq!(CloseReason::Reset.to_string(), "reset by the peer",);
    next_matching(&client, |e| matches!(e, Event::Closed));
}

#[test]
fn client_half_close_lets_the_server_answer_last() {
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let (client, _) = open(SessionConfig::tcp_client(
        listener.local_addr().unwrap().to_string(),
    ));
    let (mut peer, _) = listener.accept().unwrap();
    client.send(Command::Send {
        payload: payload(b"question"),
        to: Target::Default,
    });
    client.send(Command::Shutdown);
    let mut got = Vec::new();
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    peer.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"question");
    peer.write_all(b"answer").unwrap();
    peer.shutdown(Shutdown::Both).unwrap();
    assert_eq!(receive_exactly(&client, 6), b"answer");
    match next_matching(&client, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { reason, .. } => assert_eq!(reason, CloseReason::PeerClosed),
        _ => unreachable!(),
    }
    next_matching(&client, |e| matches!(e, Event::Closed));
}

#[test]
fn echo_repeat_and_save_to_file() {
    let dir = std::env::temp_dir().join(format!("netassist-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let save = dir.join("received.bin");
    let _ = std::fs::remove_file(&save);

    let mut config = SessionConfig::tcp_server(any_local_v4());
    config.echo = true;
    config.save_to = Some(save.clone());
    let (server, addr) = open(config);
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let data = pattern(200_000, 3);
    stream.write_all(&data).unwrap();
    let mut echoed = vec![0u8; data.len()];
    stream.read_exact(&mut echoed).unwrap();
    assert!(echoed == data, "echo returns the same bytes");

    server.send(Command::Repeat {
        payload: payload(b"tick"),
        to: Target::All,
        interval: Duration::from_millis(5),
        count: Some(5),
    });
    match next_matching(&server, |e| matches!(e, Event::RepeatFinished { .. })) {
        Event::RepeatFinished { sent } => assert_eq!(sent, 5),
        _ => unreachable!(),
    }
    let mut ticks = [0u8; 20];
    stream.read_exact(&mut ticks).unwrap();
    assert_eq!(&ticks, &b"ticktickticktickticktick"[..20]);

    drop(stream);
    server.close_and_wait();
    let saved = std::fs::read(&save).unwrap();
    assert!(saved == data, "the save file holds exactly what arrived");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `/dev/full` opens for writing and fails every write: the failure must be reported while
/// the session waits for more data, not only when traffic resumes or the session closes.
#[cfg(target_os = "linux")]
#[test]
fn a_save_file_that_fails_is_reported_while_the_session_is_idle() {
    let mut config = SessionConfig::tcp_server(any_local_v4());
    config.save_to = Some(std::path::PathBuf::from("/dev/full"));
    let (server, addr) = open(config);
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(b"a few bytes, then silence").unwrap();
    // The stream stays open and quiet: only the failing file can produce this event.
    match next_matching(&server, |e| matches!(e, Event::Error(_))) {
        Event::Error(err @ NetError::FileWrite { .. }) => {
            let text = err.to_string();
            assert!(text.contains("/dev/full"), "{text}");
            assert!(text.contains("space"), "{text}");
            assert!(text.contains("no longer saved"), "{text}");
        }
        other => panic!("expected a file error, got {other:?}"),
    }
    drop(stream);
}

#[test]
fn send_file_streams_it_and_reports_progress() {
    let dir = std::env::temp_dir().join(format!("netassist-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("payload.bin");
    let data = pattern(1_000_000, 5);
    std::fs::write(&path, &data).unwrap();

    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let (client, _) = open(SessionConfig::tcp_client(
        listener.local_addr().unwrap().to_string(),
    ));
    let (mut peer, _) = listener.accept().unwrap();
    client.send(Command::SendFile {
        path: path.clone(),
        to: Target::Default,
    });
    let reader = std::thread::Builder::new()
        .name("test-reader".into())
        .spawn(move || {
            let mut got = vec![0u8; 1_000_000];
            peer.set_read_timeout(Some(PATIENCE)).unwrap();
            peer.read_exact(&mut got).unwrap();
            (got, peer)
        })
        .unwrap();
    loop {
        if let Event::FileProgress { sent, total, .. } =
            next_matching(&client, |e| matches!(e, Event::FileProgress { .. }))
            && sent == total
        {
            assert_eq!(total, 1_000_000);
            break;
        }
    }
    let (got, _peer) = reader.join().unwrap();
    assert!(got == data);

    client.send(Command::SendFile {
        path: dir.join("missing.bin"),
        to: Target::Default,
    });
    match next_matching(&client, |e| matches!(e, Event::Error(_))) {
        Event::Error(err) => {
            let text = err.to_string();
            assert!(
                text.starts_with("cannot read ") && text.contains("missing.bin"),
                "{text}"
            );
        }
        _ => unreachable!(),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_addresses_fail_with_a_sentence() {
    let session = netassist::engine::Session::open(
        SessionConfig::tcp_client("no-such-host.invalid:80"),
        None,
    )
    .unwrap();
    match next_matching(&session, |e| matches!(e, Event::Failed(_))) {
        Event::Failed(err) => assert!(
            err.to_string()
                .starts_with("cannot find host 'no-such-host.invalid'"),
            "{err}"
        ),
        _ => unreachable!(),
    }
    let session =
        netassist::engine::Session::open(SessionConfig::tcp_client("127.0.0.1"), None).unwrap();
    match next_matching(&session, |e| matches!(e, Event::Failed(_))) {
        Event::Failed(err) => assert!(err.to_string().contains("add a port"), "{err}"),
        _ => unreachable!(),
    }
}

#[test]
fn closing_a_client_that_received_data_closes_its_socket() {
    for keep_handle in [true, false, true, false] {
        let listener = TcpListener::bind(any_local_v4()).unwrap();
        let (client, _) = open(SessionConfig::tcp_client(
            listener.local_addr().unwrap().to_string(),
        ));
        let (mut peer, _) = listener.accept().unwrap();
        peer.write_all(b"hello").unwrap();
        assert_eq!(receive_exactly(&client, 5), b"hello");
        // The window closes a session by sending Close and (when the tab goes) dropping the
        // handle at once: the wake-up must not be lost with it.
        client.send(Command::Close);
        let kept = if keep_handle {
            Some(client)
        } else {
            drop(client);
            None
        };
        peer.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(
            peer.read(&mut buf).unwrap(),
            0,
            "the peer sees the connection end (handle kept: {keep_handle})"
        );
        drop(kept);
    }
}

#[test]
fn a_broadcast_to_hundreds_of_clients_reaches_each_once_in_order_and_drops_a_reset_one() {
    // Enough clients that the server writes the broadcast from several threads.
    const CLIENTS: usize = 700;
    // Both ends of every connection live in this process.
    let files = rlimit::increase_nofile_limit(4096).unwrap();
    assert!(
        files >= 2 * CLIENTS as u64 + 200,
        "this test needs about {} open files; the limit here is {files} (raise it: ulimit -Hn)",
        2 * CLIENTS + 200
    );
    let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
    let mut clients: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    for _ in 0..CLIENTS {
        next_matching(&server, |e| matches!(e, Event::PeerConnected { .. }));
    }
    // One client resets its connection; the broadcast must drop it, not stop at it.
    let gone = clients.remove(CLIENTS / 2);
    let gone_addr = gone.local_addr().unwrap();
    socket2::SockRef::from(&gone)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(gone);

    for message in [[b'1'; 64], [b'2'; 64]] {
        server.send(Command::Send {
            payload: payload(&message),
            to: Target::All,
        });
    }
    // The reset may be noticed before the broadcasts or by their writes: either way once.
    let (mut sent, mut closed) = (Vec::new(), Vec::new());
    while sent.len() < 2 || closed.is_empty() {
        match next_matching(&server, |e| {
            matches!(e, Event::Sent { .. } | Event::PeerClosed { .. })
        }) {
            Event::Sent { to, .. } => sent.push(to),
            Event::PeerClosed { peer, .. } => closed.push(peer),
            _ => unreachable!(),
        }
    }
    assert_eq!(
        sent,
        [SentTo::All { peers: CLIENTS - 1 }; 2],
        "every live client, once"
    );
    assert_eq!(closed, [gone_addr]);

    let mut expected = vec![b'1'; 64];
    expected.extend_from_slice(&[b'2'; 64]);
    for client in &mut clients {
        client.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut got = vec![0u8; 128];
        client.read_exact(&mut got).unwrap();
        assert_eq!(got, expected);
        // Nothing more: no client got a message twice.
        client.set_nonblocking(true).unwrap();
        let mut more = [0u8; 1];
        assert_eq!(
            client.read(&mut more).map_err(|e| e.kind()),
            Err(std::io::ErrorKind::WouldBlock)
        );
    }
}
