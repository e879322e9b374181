//! WebSocket sessions through the engine over loopback: ours to ours (a chat room that keeps
//! text and binary apart), against Python's `websockets` as server and as client (fragmented
//! messages, a 16 MiB message, pings, close codes both ways), a refused path, a peer that is
//! not a WebSocket server, and wss:// over our TLS server.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::time::Duration;

use netassist::engine::{
    CloseReason, Command, Event, MessageKind, NetError, SessionConfig, SessionHandle, Target,
    TlsClientOptions, TlsServerOptions, Trust, WsError, WsNote, WsSide,
};

use crate::util::{PATIENCE, any_local_v4, next_matching, open, pattern};
use crate::ws_support::{message, note, python, python_server};

fn send(session: &SessionHandle, bytes: &[u8]) {
    assert!(session.send(Command::Send {
        payload: bytes.into(),
        to: Target::Default,
    }));
}

/// Opens a WebSocket client of `url` (and waits for its handshake).
fn client(url: &str) -> SessionHandle {
    open(SessionConfig::ws_client(url, None).unwrap()).0
}

#[test]
fn a_chat_room_of_ours_keeps_text_and_binary_messages_apart() {
    let mut config = SessionConfig::ws_server(any_local_v4(), Some("/chat".to_owned()), None);
    config.relay = Some(netassist::engine::Relay::default());
    let (server, addr) = open(config);
    let url = format!("ws://{addr}/chat");
    let alice = client(&url);
    let shook = note(&server, |n| matches!(n, WsNote::Handshake { .. }));
    let WsNote::Handshake {
        request, response, ..
    } = shook
    else {
        unreachable!()
    };
    assert_eq!(request[0], "GET /chat HTTP/1.1");
    assert!(response[0].starts_with("HTTP/1.1 101"), "{response:?}");
    let bob = client(&url);
    note(&server, |n| matches!(n, WsNote::Handshake { .. }));
    send(&alice, "你好 room".as_bytes());
    assert_eq!(
        message(&bob),
        ("你好 room".as_bytes().to_vec(), MessageKind::Text)
    );
    // Hex input: a binary message even when its bytes would be valid UTF-8.
    assert!(alice.send(Command::SetWsBinary(true)));
    send(&alice, b"AB\x00");
    assert_eq!(message(&bob), (b"AB\x00".to_vec(), MessageKind::Binary));
    // The server saw both as messages of their kinds too.
    assert_eq!(message(&server).1, MessageKind::Text);
    assert_eq!(message(&server).1, MessageKind::Binary);
}

#[test]
fn against_a_python_server_fragments_pings_headers_a_16_mib_message_and_its_close() {
    let (mut py, port) = python_server(None);
    let url = format!("ws://127.0.0.1:{port}/any");
    let mut config = SessionConfig::ws_client(&url, None).unwrap();
    if let Some(ws) = &mut config.websocket
        && let WsSide::Client(c) = &mut ws.side
    {
        c.headers
            .push(("X-Test".to_owned(), "from netassist".to_owned()));
    }
    let (session, _) = open(config);
    send(&session, b"fragments");
    assert_eq!(
        message(&session),
        (b"frag-mented".to_vec(), MessageKind::Text)
    );
    send(&session, b"header");
    assert_eq!(message(&session).0, b"from netassist");
    send(&session, b"ping");
    let ping = note(&session, |n| matches!(n, WsNote::Ping { .. }));
    assert_eq!(
        ping,
        WsNote::Ping {
            peer: format!("127.0.0.1:{port}").parse().unwrap(),
            payload: b"py-ping".to_vec(),
            from_peer: true,
            answered: true,
        }
    );
    assert_eq!(message(&session), (b"pong-ok".to_vec(), MessageKind::Text));
    let big = pattern(16 * 1024 * 1024, 15);
    assert!(session.send(Command::SetWsBinary(true)));
    send(&session, &big);
    let (back, kind) = message(&session);
    assert_eq!(kind, MessageKind::Binary);
    assert!(back == big, "the 16 MiB message came back changed");
    assert!(session.send(Command::SetWsBinary(false)));
    send(&session, b"close");
    let close = note(&session, |n| {
        matches!(
            n,
            WsNote::Close {
                from_peer: true,
                ..
            }
        )
    });
    let WsNote::Close { code, reason, .. } = close else {
        unreachable!()
    };
    assert_eq!((code, reason.as_str()), (Some(4001), "bye now"));
    match next_matching(&session, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { reason, .. } => assert_eq!(reason, CloseReason::PeerClosed),
        _ => unreachable!(),
    }
    py.terminate();
}

#[test]
fn against_a_python_client_with_echo_fragments_ping_and_its_close_code() {
    let mut config = SessionConfig::ws_server(any_local_v4(), None, None);
    config.echo = true;
    let (server, addr) = open(config);
    let py = python(&["client", &format!("ws://{addr}/x")]);
    assert_eq!(message(&server), (b"hello".to_vec(), MessageKind::Text));
    assert_eq!(
        message(&server),
        (vec![0x00, 0x01, 0xFF], MessageKind::Binary)
    );
    // Sent in three fragments: one message here.
    assert_eq!(
        message(&server),
        (b"in three parts".to_vec(), MessageKind::Text)
    );
    let ping = note(&server, |n| matches!(n, WsNote::Ping { .. }));
    assert!(matches!(
        ping,
        WsNote::Ping {
            from_peer: true,
            answered: true,
            ..
        }
    ));
    let close = note(&server, |n| matches!(n, WsNote::Close { .. }));
    assert!(
        matches!(&close, WsNote::Close { code: Some(4002), reason, from_peer: true, .. } if reason == "py done"),
        "{close:?}"
    );
    let (status, out, err) = py.finish();
    let out = String::from_utf8_lossy(&out);
    assert_eq!(status, 0, "{out} {err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "got text hello",
            "got binary 0001ff",
            "got text in three parts",
            "pong came",
            "closed 4002 py done",
        ]
    );
}

#[test]
fn a_python_client_over_wss_to_our_tls_server() {
    let mut config =
        SessionConfig::ws_server(any_local_v4(), None, Some(TlsServerOptions::default()));
    config.echo = true;
    let (server, addr) = open(config);
    let py = python(&["client", &format!("wss://localhost:{}/", addr.port())]);
    assert_eq!(message(&server), (b"hello".to_vec(), MessageKind::Text));
    let (status, out, err) = py.finish();
    let out = String::from_utf8_lossy(&out);
    assert_eq!(status, 0, "{out} {err}");
    assert!(
        out.starts_with("got text hello\ngot binary 0001ff\n"),
        "{out}"
    );
    assert!(out.ends_with("closed 4002 py done\n"), "{out}");
}

#[test]
fn a_refused_path_and_a_peer_that_is_not_websocket_are_sentences() {
    let (mut py, port) = python_server(Some("/only"));
    let err = open_fails(&format!("ws://127.0.0.1:{port}/other"));
    assert!(
        matches!(err, NetError::Ws(WsError::Rejected { status: 404, .. })),
        "{err}"
    );
    assert!(err.to_string().contains("HTTP 404"), "{err}");
    py.terminate();
    // A plain TCP server that answers with something else.
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = std::thread::Builder::new()
        .name("not-ws".into())
        .spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            stream.write_all(b"SSH-2.0-OpenSSH_9.2\r\n\r\n").unwrap();
        })
        .unwrap();
    let err = open_fails(&format!("ws://{addr}/"));
    assert!(
        matches!(err, NetError::Ws(WsError::NotWebSocket { .. })),
        "{err}"
    );
    peer.join().unwrap();
    // Our server refuses another path with 404 and says so.
    let (server, addr) = open(SessionConfig::ws_server(
        any_local_v4(),
        Some("/chat".to_owned()),
        None,
    ));
    let err = open_fails(&format!("ws://{addr}/lobby"));
    assert!(
        matches!(err, NetError::Ws(WsError::Rejected { status: 404, .. })),
        "{err}"
    );
    match next_matching(&server, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed {
            reason: CloseReason::Error(NetError::Ws(WsError::WrongPath { asked, served, .. })),
            ..
        } => assert_eq!((asked.as_str(), served.as_str()), ("/lobby", "/chat")),
        other => panic!("{other:?}"),
    }
    // A plain TCP client that connects and leaves (a port check): the server says so, and
    // does not ask whether the client is a WebSocket server.
    drop(std::net::TcpStream::connect(addr).unwrap());
    match next_matching(&server, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed {
            reason: CloseReason::Error(NetError::Ws(err @ WsError::ClientLeftInHandshake { .. })),
            ..
        } => assert!(
            err.to_string()
                .contains("closed before finishing the WebSocket handshake"),
            "{err}"
        ),
        other => panic!("{other:?}"),
    }
}

fn open_fails(url: &str) -> NetError {
    let session =
        netassist::engine::Session::open(SessionConfig::ws_client(url, None).unwrap(), None)
            .unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Opened { .. } | Event::Failed(_))
    }) {
        Event::Failed(err) => err,
        other => panic!("the handshake should fail: {other:?}"),
    }
}

#[test]
fn wss_over_our_tls_server_and_pings_with_and_without_auto_pong() {
    let mut config =
        SessionConfig::ws_server(any_local_v4(), None, Some(TlsServerOptions::default()));
    if let Some(ws) = &mut config.websocket {
        ws.ping_every = Some(Duration::from_millis(200));
    }
    let (server, addr) = open(config);
    let tls = TlsClientOptions {
        trust: Trust::AnyCertificate,
        ..TlsClientOptions::default()
    };
    let url = format!("wss://localhost:{}/", addr.port());
    let mut quiet = SessionConfig::ws_client(&url, Some(tls.clone())).unwrap();
    if let Some(ws) = &mut quiet.websocket {
        ws.auto_pong = false;
    }
    let (quiet, _) = open(quiet);
    let ping = note(&quiet, |n| matches!(n, WsNote::Ping { .. }));
    assert!(
        matches!(
            ping,
            WsNote::Ping {
                from_peer: true,
                answered: false,
                ..
            }
        ),
        "{ping:?}"
    );
    send(&quiet, b"over tls");
    assert_eq!(message(&server), (b"over tls".to_vec(), MessageKind::Text));
    // No pong came from the quiet client: the server saw its own pings only.
    while let Ok(event) = server.events().try_recv() {
        assert!(
            !matches!(event, Event::Ws(WsNote::Pong { .. })),
            "auto-pong was off: {event:?}"
        );
    }
    drop(quiet);
    let (answering, _) = open(SessionConfig::ws_client(&url, Some(tls)).unwrap());
    note(&answering, |n| {
        matches!(n, WsNote::Ping { answered: true, .. })
    });
    let answer = note(&server, |n| matches!(n, WsNote::Pong { .. }));
    assert!(matches!(
        answer,
        WsNote::Pong {
            from_peer: true,
            ..
        }
    ));
}

#[test]
fn a_message_over_the_limit_is_a_sentence_not_a_crash() {
    let (server, addr) = open(SessionConfig::ws_server(any_local_v4(), None, None));
    let mut raw = std::net::TcpStream::connect(addr).unwrap();
    raw.set_read_timeout(Some(PATIENCE)).unwrap();
    raw.write_all(
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
          Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    )
    .unwrap();
    let mut answer = [0u8; 512];
    let n = raw.read(&mut answer).unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 101"));
    // A binary frame (masked, as a client's must be) that says it carries 1 TiB.
    let mut frame = vec![0x82, 0xFF];
    frame.extend_from_slice(&(1u64 << 40).to_be_bytes());
    frame.extend_from_slice(&[1, 2, 3, 4, 0, 0, 0, 0]);
    raw.write_all(&frame).unwrap();
    match next_matching(&server, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed {
            reason: CloseReason::Error(NetError::Ws(err @ WsError::TooBig { .. })),
            ..
        } => assert!(err.to_string().contains("larger than 64 MiB"), "{err}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_first_offered_subprotocol_the_server_accepts_is_chosen() {
    let mut config = SessionConfig::ws_server(any_local_v4(), None, None);
    if let Some(ws) = &mut config.websocket
        && let WsSide::Server(s) = &mut ws.side
    {
        s.subprotocols = vec!["chat".to_owned(), "mqtt".to_owned()];
    }
    let (_server, addr) = open(config);
    let mut config = SessionConfig::ws_client(&format!("ws://{addr}/"), None).unwrap();
    if let Some(ws) = &mut config.websocket
        && let WsSide::Client(c) = &mut ws.side
    {
        c.subprotocols = vec!["v2.json".to_owned(), "mqtt".to_owned()];
    }
    let session = netassist::engine::Session::open(config, None).unwrap();
    let shook = note(&session, |n| matches!(n, WsNote::Handshake { .. }));
    let WsNote::Handshake {
        request, response, ..
    } = shook
    else {
        unreachable!()
    };
    assert!(
        request.contains(&"Sec-WebSocket-Protocol: v2.json, mqtt".to_owned()),
        "{request:?}"
    );
    assert!(
        response.contains(&"sec-websocket-protocol: mqtt".to_owned()),
        "{response:?}"
    );
}

#[test]
fn a_server_that_never_answers_the_handshake_is_a_sentence_after_the_timeout() {
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = SessionConfig::ws_client(&format!("ws://{addr}/"), None).unwrap();
    if let netassist::engine::SessionKind::TcpClient {
        connect_timeout, ..
    } = &mut config.kind
    {
        *connect_timeout = Duration::from_millis(300);
    }
    let session = netassist::engine::Session::open(config, None).unwrap();
    // Accepted, read, never answered.
    let (_silent, _) = listener.accept().unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Opened { .. } | Event::Failed(_))
    }) {
        Event::Failed(NetError::Ws(err @ WsError::NoAnswer { .. })) => {
            assert!(
                err.to_string().contains("no WebSocket handshake answer"),
                "{err}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// Sends to a server's client that never finishes the handshake wait for it: they count in its
/// send queue (the session holds back at the limit) and are reported unsent when it leaves.
#[test]
fn sends_to_a_client_stuck_in_the_handshake_count_and_are_reported_unsent() {
    let mut config = SessionConfig::ws_server(any_local_v4(), None, None);
    config.send_queue.limit = 4096;
    let (server, addr) = open(config);
    let stuck = std::net::TcpStream::connect(addr).unwrap();
    next_matching(&server, |e| matches!(e, Event::PeerConnected { .. }));
    for _ in 0..3 {
        assert!(server.send(Command::Send {
            payload: vec![b'x'; 2000].into(),
            to: Target::All,
        }));
    }
    match next_matching(&server, |e| matches!(e, Event::SendQueue { .. })) {
        Event::SendQueue { waiting, queued } => {
            assert!(waiting, "over the limit: the session holds back");
            assert_eq!(queued, 6000);
        }
        other => panic!("{other:?}"),
    }
    drop(stuck);
    match next_matching(&server, |e| matches!(e, Event::Unsent { .. })) {
        Event::Unsent { bytes, .. } => assert_eq!(bytes, 6000, "every held message"),
        other => panic!("{other:?}"),
    }
}

/// Kicking a client sends it a close frame, and the log says so (the connection ends there,
/// so no later read could show it); the client notes the close from its peer.
#[test]
fn a_kick_sends_a_close_frame_and_notes_it() {
    let (server, addr) = open(SessionConfig::ws_server(any_local_v4(), None, None));
    let alice = client(&format!("ws://{addr}/"));
    let peer = match next_matching(&server, |e| matches!(e, Event::PeerConnected { .. })) {
        Event::PeerConnected { peer, .. } => peer,
        other => panic!("{other:?}"),
    };
    note(&server, |n| matches!(n, WsNote::Handshake { .. }));
    assert!(server.send(Command::Kick(peer)));
    let ours = note(&server, |n| matches!(n, WsNote::Close { .. }));
    assert!(
        matches!(
            ours,
            WsNote::Close {
                code: Some(1000),
                from_peer: false,
                ..
            }
        ),
        "{ours:?}"
    );
    let theirs = note(&alice, |n| matches!(n, WsNote::Close { .. }));
    assert!(
        matches!(
            theirs,
            WsNote::Close {
                code: Some(1000),
                from_peer: true,
                ..
            }
        ),
        "{theirs:?}"
    );
}
