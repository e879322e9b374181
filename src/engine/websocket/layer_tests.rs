//! The layer driven client against server in memory.

use super::*;

/// Drives a client and a server layer against each other in memory.
#[test]
fn a_client_and_a_server_shake_hands_and_trade_messages_in_memory() {
    let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
    let mut client_options = WsOptions::client("ws://127.0.0.1:1/chat");
    if let WsSide::Client(c) = &mut client_options.side {
        c.headers.push(("X-Test".to_owned(), "yes".to_owned()));
    }
    let mut client = WsLayer::new(&client_options, SendKind::new(false), addr).unwrap();
    let mut server = WsLayer::new(
        &WsOptions::server(Some("/chat".to_owned())),
        SendKind::new(true),
        addr,
    )
    .unwrap();
    let hello = client.start();
    assert!(hello.wire.starts_with(b"GET /chat HTTP/1.1\r\n"));
    let mut early = Vec::new();
    client.encode(b"early", &mut early).unwrap();
    assert!(early.is_empty(), "a send waits for the handshake");
    let answer = server.take_in(&hello.wire, false);
    assert!(answer.opened);
    let WsNote::Handshake { request, .. } = &answer.notes[0] else {
        panic!("{:?}", answer.notes);
    };
    assert!(request.iter().any(|l| l == "x-test: yes"), "{request:?}");
    let opened = client.take_in(&answer.wire, false);
    assert!(opened.opened);
    let got = server.take_in(&opened.wire, false);
    assert_eq!(got.messages, vec![(b"early".to_vec(), MessageKind::Text)]);
    let mut wire = Vec::new();
    server.encode(b"\x00\x01", &mut wire).unwrap();
    let got = client.take_in(&wire, false);
    assert_eq!(got.messages, vec![(vec![0, 1], MessageKind::Binary)]);

    // Once we sent a close frame, a send is "closing", not the peer breaking the protocol.
    let mut wire = Vec::new();
    assert!(client.close(&mut wire).is_some());
    let mut late = Vec::new();
    assert_eq!(
        client.encode(b"late", &mut late),
        Err(WsError::Closing { peer: addr })
    );
    assert!(late.is_empty(), "nothing of it went out");
}

#[test]
fn another_path_is_refused_with_404() {
    let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
    let mut client = WsLayer::new(
        &WsOptions::client("ws://127.0.0.1:1/other"),
        SendKind::new(false),
        addr,
    )
    .unwrap();
    let mut server = WsLayer::new(
        &WsOptions::server(Some("/chat".to_owned())),
        SendKind::new(false),
        addr,
    )
    .unwrap();
    let answer = server.take_in(&client.start().wire, false);
    assert!(matches!(answer.failed, Some(WsError::WrongPath { .. })));
    let failed = client.take_in(&answer.wire, false);
    assert!(
        matches!(failed.failed, Some(WsError::Rejected { status: 404, .. })),
        "{:?}",
        failed.failed.map(|e| e.to_string())
    );
}
