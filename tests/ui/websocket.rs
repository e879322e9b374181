//! WebSocket server and client in the window, over real loopback sockets: picked in the
//! protocol picker (协议类型), the handshake in the log, a text message each way as one
//! record marked text, hex input as a binary message, and a refused path as its sentence.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::settings::{AppSettings, Protocol, SessionSettings};
use netassist::engine::MessageKind;
use netassist::log::Direction;

use crate::ui_support::{harness, harness_with, open, pick, send_text, shows, wait_for};

/// Session 0's records going `direction`: (text, kind).
fn records(
    h: &Harness<'_, NetAssistApp>,
    direction: Direction,
) -> Vec<(String, Option<MessageKind>)> {
    h.state().sessions[0]
        .log
        .iter()
        .filter(|(r, _)| r.direction == direction)
        .map(|(r, text)| (text.to_owned(), r.message))
        .collect()
}

fn received(h: &Harness<'_, NetAssistApp>) -> Vec<(String, Option<MessageKind>)> {
    records(h, Direction::Rx)
}

fn sent(h: &Harness<'_, NetAssistApp>) -> Vec<(String, Option<MessageKind>)> {
    records(h, Direction::Tx)
}

fn notes(h: &Harness<'_, NetAssistApp>) -> String {
    h.state().sessions[0]
        .log
        .iter()
        .filter(|(r, _)| r.direction == Direction::Info)
        .map(|(_, text)| text.to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_websocket_server_and_client_in_the_window_trade_text_and_binary_messages() {
    let mut server = harness(Protocol::TcpServer);
    pick(&mut server, "Protocol", "WebSocket server");
    server.step();
    assert!(server.state().sessions[0].settings.ws.enabled);
    server.state_mut().sessions[0].settings.ws.path = "/chat".to_owned();
    let port = open(&mut server).port();
    assert!(
        shows(&server, "WebSocket server 1"),
        "the tab says what it is"
    );

    let mut client = harness(Protocol::TcpClient);
    pick(&mut client, "Protocol", "WebSocket client");
    client.step();
    assert!(shows(&client, "Extra headers"), "its fields");
    client.state_mut().sessions[0].settings.ws.url = format!("ws://127.0.0.1:{port}/chat");
    client.state_mut().sessions[0].settings.ws.headers = "X-Class: 3A".to_owned();
    open(&mut client);
    wait_for(&mut client, "the handshake note", |h| {
        notes(h).contains("WebSocket handshake done")
    });
    assert!(notes(&client).contains("< HTTP/1.1 101 Switching Protocols"));

    // A text message is UTF-8 whatever the sessions' encoding (GB18030 here, as many
    // classrooms set it): sent as UTF-8, shown as its text on both sides.
    client.state_mut().sessions[0].set_encoding("GB18030");
    server.state_mut().sessions[0].set_encoding("GB18030");
    send_text(&mut client, "同学们好");
    wait_for(&mut server, "the message", |h| !received(h).is_empty());
    assert_eq!(
        received(&server),
        [("同学们好".to_owned(), Some(MessageKind::Text))]
    );
    wait_for(&mut client, "the sent record", |h| !sent(h).is_empty());
    assert_eq!(
        sent(&client),
        [("同学们好".to_owned(), Some(MessageKind::Text))]
    );
    assert!(
        notes(&server).contains("> x-class: 3A"),
        "{}",
        notes(&server)
    );
    server.step();
    assert!(shows(&server, "同学们好"), "on screen");
    // A framing view does not cut messages again (a line framing would hold this one, which
    // has no \n, and lose its UTF-8): it stays whole, as text.
    server.state_mut().sessions[0].settings.receive.framing = "line".to_owned();
    server.step();
    server.step();
    assert_eq!(
        received(&server),
        [("同学们好".to_owned(), Some(MessageKind::Text))]
    );
    server.state_mut().sessions[0].settings.receive.framing = String::new();
    server.step();

    // Hex input in the server's send box: a binary message.
    server.state_mut().sessions[0].settings.send.hex = true;
    send_text(&mut server, "41 42 43");
    wait_for(&mut client, "the binary message", |h| {
        !received(h).is_empty()
    });
    assert_eq!(
        received(&client),
        [("ABC".to_owned(), Some(MessageKind::Binary))]
    );
    client.step();
    assert!(
        shows(&client, "[bin]"),
        "a binary message says so on screen"
    );
}

#[test]
fn a_refused_path_is_the_chinese_sentence() {
    let mut server = harness(Protocol::TcpServer);
    pick(&mut server, "Protocol", "WebSocket server");
    server.state_mut().sessions[0].settings.ws.path = "/chat".to_owned();
    let port = open(&mut server).port();
    let mut client = harness_with(AppSettings {
        lang: Lang::Zh,
        sessions: vec![SessionSettings {
            protocol: Protocol::TcpClient,
            ..SessionSettings::default()
        }],
        ..AppSettings::default()
    });
    pick(&mut client, "协议类型", "WebSocket 客户端");
    client.state_mut().sessions[0].settings.ws.url = format!("ws://127.0.0.1:{port}/lobby");
    client.get_by_label("打开").click();
    wait_for(&mut client, "the refusal", |h| {
        shows(h, "以 HTTP 404 Not Found 回应了 WebSocket 握手")
    });
}

#[test]
fn settings_saved_before_websocket_load_as_plain_tcp() {
    let old = r#"{"name":"lab","protocol":"TcpClient","remote_port":"9000"}"#;
    let loaded: SessionSettings = serde_json::from_str(old).unwrap();
    assert!(!loaded.ws.enabled);
    assert!(loaded.ws.auto_pong);
    let saved = serde_json::to_string(&SessionSettings {
        ws: netassist::app::ws_settings::WsSettings {
            enabled: true,
            url: "wss://example.com/chat".to_owned(),
            ping_secs: 30,
            ..loaded.ws.clone()
        },
        ..loaded
    })
    .unwrap();
    let back: SessionSettings = serde_json::from_str(&saved).unwrap();
    assert!(back.ws.enabled);
    assert_eq!(
        (back.ws.url.as_str(), back.ws.ping_secs),
        ("wss://example.com/chat", 30)
    );
}

#[test]
fn the_join_hint_of_a_websocket_server_is_its_url() {
    use netassist::app::panels::ws_ui::join_entry;
    let addr = "192.168.1.10:8080".parse().unwrap();
    let mut settings = SessionSettings {
        protocol: Protocol::TcpServer,
        ..SessionSettings::default()
    };
    assert_eq!(join_entry(&settings, addr), "192.168.1.10:8080");
    settings.ws.enabled = true;
    assert_eq!(join_entry(&settings, addr), "ws://192.168.1.10:8080/");
    settings.ws.path = "/chat".to_owned();
    settings.tls.enabled = true;
    assert_eq!(join_entry(&settings, addr), "wss://192.168.1.10:8080/chat");
}

/// The sent records carry the kind the engine sent: an echo of a binary message whose bytes
/// happen to be UTF-8 went as binary and is shown as binary (the window used to guess text).
#[test]
fn an_echoed_binary_message_is_shown_as_binary() {
    let mut server = harness(Protocol::TcpServer);
    pick(&mut server, "Protocol", "WebSocket server");
    server.state_mut().sessions[0].settings.room.echo = true;
    let port = open(&mut server).port();
    let mut client = harness(Protocol::TcpClient);
    pick(&mut client, "Protocol", "WebSocket client");
    client.state_mut().sessions[0].settings.ws.url = format!("ws://127.0.0.1:{port}/");
    open(&mut client);
    wait_for(&mut client, "the handshake note", |h| {
        notes(h).contains("WebSocket handshake done")
    });
    client.state_mut().sessions[0].settings.send.hex = true;
    send_text(&mut client, "41 42 43");
    wait_for(&mut server, "the echo", |h| !sent(h).is_empty());
    assert_eq!(
        sent(&server),
        [("ABC".to_owned(), Some(MessageKind::Binary))],
        "the echo keeps the binary kind"
    );
    wait_for(&mut client, "the echo back", |h| !received(h).is_empty());
    assert_eq!(
        received(&client),
        [("ABC".to_owned(), Some(MessageKind::Binary))]
    );
    assert_eq!(
        sent(&client),
        [("ABC".to_owned(), Some(MessageKind::Binary))]
    );
}
