//! `ws-client` and `ws-server` on the command line: a chat room of ours (each stdin line a
//! text message, --send-hex lines binary), against the Python server, a refused path.

use crate::cli_support::netassist;
use crate::ws_support::python_server;

#[test]
fn a_chat_room_on_the_command_line_text_lines_and_hex_lines() {
    let mut server = netassist(&["ws-server", "0", "--path", "/chat", "--relay"]);
    let addr = server.listening();
    let url = format!("ws://{addr}/chat");
    let mut alice = netassist(&["ws-client", &url]);
    alice.stderr_line("connected to ");
    let mut bob = netassist(&["ws-client", &url, "--show", "log"]);
    bob.stderr_line("connected to ");
    server.wait_until("two handshakes", |lines| {
        lines
            .iter()
            .filter(|l| l.contains("WebSocket handshake done"))
            .count()
            == 2
    });
    alice.write_stdin("你好\n".as_bytes());
    let mut hex = netassist(&["ws-client", &url, "--send-hex"]);
    hex.stderr_line("connected to ");
    server.wait_until("three handshakes", |lines| {
        lines
            .iter()
            .filter(|l| l.contains("WebSocket handshake done"))
            .count()
            == 3
    });
    hex.write_stdin(b"41 42\n");
    let text = bob_lines(&mut bob, 2);
    assert!(text[0].ends_with("text (6 B) 你好"), "{text:?}");
    assert!(text[1].ends_with("binary (2 B) AB"), "{text:?}");
    // The server prints each message on its own line, text decoded.
    assert_eq!(server.stdout_lines(2), ["你好", "AB"]);
}

fn bob_lines(bob: &mut crate::cli_support::Running, count: usize) -> Vec<String> {
    bob.stdout_lines(count)
        .into_iter()
        .filter(|l| l.contains(" <- "))
        .collect()
}

#[test]
fn a_refused_path_is_a_sentence_and_a_failure() {
    let (mut py, port) = python_server(Some("/only"));
    let client = netassist(&["ws-client", &format!("ws://127.0.0.1:{port}/wrong")]);
    let (status, _, err) = client.finish();
    assert_ne!(status, 0);
    assert!(err.contains("HTTP 404"), "{err}");
    assert!(err.contains("check the URL's path"), "{err}");
    py.terminate();
    let bad = netassist(&["ws-client", "http://127.0.0.1:1/"]);
    let (status, _, err) = bad.finish();
    assert_ne!(status, 0);
    assert!(err.contains("must start with ws:// or wss://"), "{err}");
}

#[test]
fn wss_with_a_self_signed_server_and_pings_every_second() {
    let mut server = netassist(&[
        "ws-server",
        "0",
        "--self-signed",
        "--echo",
        "--ping-every",
        "1",
    ]);
    let addr = server.listening();
    let url = format!("wss://localhost:{}/", addr.port());
    let mut client = netassist(&["ws-client", &url, "--insecure", "--no-auto-pong"]);
    client.stderr_line("TLS secured: TLSv1.");
    client.stderr_line("connected to ");
    client.write_stdin(b"over wss\n");
    assert_eq!(client.stdout_lines(1), ["over wss"]);
    client.stderr_line("ping “netassist” (not answered: auto-pong is off)");
    let mut answering = netassist(&["ws-client", &url, "--insecure"]);
    answering.stderr_line("ping “netassist” (answered with a pong)");
    server.stderr_line(" pong “netassist”");
}
