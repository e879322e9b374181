//! The command line end to end: the built binary, real stdin/stdout pipes and loopback peers.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::fs::PermissionsExt as _;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli_support::{netassist, write_in_pieces};
use crate::util::{PATIENCE, pattern};

fn read_exact_from(stream: &mut TcpStream, len: usize) -> Vec<u8> {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = vec![0u8; len];
    stream.read_exact(&mut buf).unwrap();
    buf
}

#[test]
fn server_shows_text_exactly_and_sends_stdin_lines_to_clients() {
    let mut server = netassist(&["tcp-server", "0"]);
    let addr = server.local_addr("listening on ");
    assert!(addr.ip().is_loopback(), "ADDR defaults to 127.0.0.1");
    let mut client = TcpStream::connect(addr).unwrap();
    server.stderr_line("connected");
    client.write_all("你好, netassist\r\n".as_bytes()).unwrap();
    assert_eq!(server.stdout_at_least(19), "你好, netassist\r\n".as_bytes());

    server.write_stdin("回复\n".as_bytes());
    assert_eq!(read_exact_from(&mut client, 7), "回复\n".as_bytes());

    server.terminate();
    let (code, out, err) = server.finish();
    assert_eq!(code, 0, "SIGTERM is a normal way to stop: {err}");
    assert_eq!(
        out,
        "你好, netassist\r\n".as_bytes(),
        "text mode adds nothing"
    );
}

#[test]
fn server_counts_a_line_sent_to_all_once_per_client() {
    let mut server = netassist(&["tcp-server", "0"]);
    let addr = server.local_addr("listening on ");
    let mut clients: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    for _ in 0..3 {
        server.stderr_line("connected");
    }
    server.write_stdin(b"hello\n");
    for client in &mut clients {
        assert_eq!(read_exact_from(client, 6), b"hello\n");
    }
    server.terminate();
    let (code, _, err) = server.finish();
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("closed (received 0 B, sent 18 B)"),
        "TX is what went out on the network, 6 bytes to each of 3 clients: {err}"
    );
}

#[test]
fn client_sends_hex_lines_and_shows_hex_then_exits_when_the_server_closes() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut client = netassist(&["tcp-client", &addr, "--send-hex", "--show", "hex"]);
    let (mut peer, _) = listener.accept().unwrap();
    client.write_stdin(b"48 65 6C 6C 6F\n0x21,0x0A\n");
    assert_eq!(read_exact_from(&mut peer, 7), b"Hello!\n");
    peer.write_all(&[0x00, 0xFF, 0x41]).unwrap();
    assert_eq!(client.stdout_at_least(9), b"00 FF 41\n");

    // End of stdin: the client half-closes; the server sees EOF, answers, closes.
    drop(client.stdin.take());
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut rest = Vec::new();
    peer.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    peer.write_all(b"bye").unwrap();
    drop(peer);
    let (code, out, _) = client.finish();
    assert_eq!(code, 0);
    assert_eq!(out, b"00 FF 41\n62 79 65\n");
}

#[test]
fn gb2312_and_utf8_characters_split_across_writes_print_whole() {
    for (label, first, second, text) in [
        ("gb2312", &[0xC4_u8, 0xE3, 0xBA][..], &[0xC3_u8][..], "你好"),
        (
            "utf-8",
            &[0xE4, 0xBD][..],
            &[0xA0, 0xE5, 0xA5, 0xBD][..],
            "你好",
        ),
    ] {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let client = netassist(&["tcp-client", &addr, "-e", label]);
        let (mut peer, _) = listener.accept().unwrap();
        peer.set_nodelay(true).unwrap();
        peer.write_all(first).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        peer.write_all(second).unwrap();
        drop(peer);
        let (code, out, err) = client.finish();
        assert_eq!(code, 0, "{err}");
        assert_eq!(String::from_utf8(out).unwrap(), text, "{label}");
    }
}

#[test]
fn relay_turns_the_server_into_a_chat_room() {
    let mut server = netassist(&[
        "tcp-server",
        "127.0.0.1:0",
        "--relay",
        "--relay-prefix",
        "--show",
        "none",
    ]);
    let addr = server.local_addr("listening on ");
    let mut clients: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    for _ in 0..3 {
        server.stderr_line("connected");
        server.err.retain(|l| !l.contains("connected"));
    }
    let speaker = clients[0].local_addr().unwrap();
    clients[0].write_all("大家好\n".as_bytes()).unwrap();
    let expected = format!("{speaker}\n大家好\n");
    for listener in &mut clients[1..] {
        assert_eq!(
            read_exact_from(listener, expected.len()),
            expected.as_bytes()
        );
    }
    // The speaker does not hear itself.
    clients[0]
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 64];
    assert!(
        clients[0].read(&mut buf).is_err(),
        "the sender got its own message back"
    );
    server.terminate();
    assert_eq!(server.finish().0, 0);
}

#[test]
fn udp_answers_the_last_sender_and_shows_the_log() {
    let mut udp = netassist(&["udp", "--bind", "127.0.0.1:0", "--show", "log"]);
    let addr = udp.local_addr("bound to ");
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    peer.send_to(b"ping", addr).unwrap();
    let line = String::from_utf8(udp.stdout_at_least(10).to_vec()).unwrap();
    assert!(
        line.contains(&format!("<- {} (4 B) ping", peer.local_addr().unwrap())),
        "{line}"
    );
    udp.write_stdin(b"pong\n");
    let mut buf = [0u8; 16];
    let (n, from) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"pong\n");
    assert_eq!(from, addr);
    udp.terminate();
    let (code, out, _) = udp.finish();
    assert_eq!(code, 0);
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains(&format!(
            "-> {} (5 B) pong\\x0A",
            peer.local_addr().unwrap()
        )),
        "{out}"
    );
}

#[test]
fn udp_heartbeat_runs_until_duration_ends() {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let to = peer.local_addr().unwrap().to_string();
    let udp = netassist(&[
        "udp",
        "--to",
        &to,
        "--heartbeat",
        "#ping#",
        "--heartbeat-ms",
        "20",
        "--duration",
        "0.5",
    ]);
    let mut beats = 0;
    let mut buf = [0u8; 64];
    while let Ok((n, _)) = peer.recv_from(&mut buf) {
        assert_eq!(&buf[..n], b"#ping#", "a heartbeat gets no line ending");
        beats += 1;
    }
    let (code, _, err) = udp.finish();
    assert_eq!(code, 0, "{err}");
    // 0.5 s at 20 ms is 25 beats; allow for a slow start and a loaded machine.
    assert!((10..=26).contains(&beats), "{beats} heartbeats");
}

#[test]
fn repeat_with_count_sends_exactly_that_many() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let client = netassist(&[
        "tcp-client",
        &addr,
        "--send",
        "AT",
        "--eol",
        "crlf",
        "--repeat",
        "10",
        "--count",
        "4",
    ]);
    let (mut peer, _) = listener.accept().unwrap();
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut got = Vec::new();
    // Stdin is closed by finish(); after the fourth send the client half-closes.
    let (code, _, err) = {
        let handle = std::thread::Builder::new()
            .name("test-finish".into())
            .spawn(move || client.finish())
            .unwrap();
        peer.read_to_end(&mut got).unwrap();
        drop(peer);
        handle.join().unwrap()
    };
    assert_eq!(code, 0, "{err}");
    assert_eq!(got, b"AT\r\nAT\r\nAT\r\nAT\r\n");
}

#[test]
fn save_echo_and_checksum() {
    let dir = std::env::temp_dir().join(format!("netassist-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let save = dir.join("rx.bin");
    let _ = std::fs::remove_file(&save);
    let mut server = netassist(&[
        "tcp-server",
        "127.0.0.1:0",
        "--echo",
        "--show",
        "none",
        "--save",
        save.to_str().unwrap(),
    ]);
    let addr = server.local_addr("listening on ");
    let mut client = TcpStream::connect(addr).unwrap();
    let data = pattern(300_000, 9);
    client.write_all(&data).unwrap();
    assert!(
        read_exact_from(&mut client, data.len()) == data,
        "echo returns every byte"
    );
    server.terminate();
    let (code, out, _) = server.finish();
    assert_eq!(code, 0);
    assert!(out.is_empty(), "--show none writes nothing");
    assert!(
        std::fs::read(&save).unwrap() == data,
        "the save file is byte-exact"
    );

    // Modbus RTU "read holding register": the CRC goes low byte first.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let client = netassist(&[
        "tcp-client",
        &addr,
        "--send-hex",
        "--send",
        "01 03 00 00 00 01",
        "--checksum",
        "crc16-modbus",
    ]);
    let (mut peer, _) = listener.accept().unwrap();
    assert_eq!(
        read_exact_from(&mut peer, 8),
        [0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A]
    );
    drop(peer);
    assert_eq!(client.finish().0, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_values_exit_2_before_anything_is_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    for (args, message) in [
        (
            vec!["--send-hex", "--send", "48 6G"],
            "'G' at column 5 is not a hex digit",
        ),
        (
            vec!["-e", "gb2312", "--send", "ok😀"],
            "'😀' (U+1F600) at position 3 cannot be written in GB2312",
        ),
        (vec!["-e", "klingon"], "unknown encoding 'klingon'"),
        (vec!["--escapes", "--send", "a\\q"], "unknown escape"),
        (vec!["--checksum", "md5"], "md5"),
    ] {
        let mut full = vec!["tcp-client", addr.as_str()];
        full.extend(args.iter().copied());
        let (code, out, err) = netassist(&full).finish();
        assert_eq!(code, 2, "{full:?}: {err}");
        assert!(err.contains(message), "{full:?}: {err}");
        assert!(out.is_empty());
    }
    assert!(
        listener.accept().is_err(),
        "nothing may connect when an option is bad"
    );
}

#[test]
fn open_failures_exit_1_with_the_reason() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let (code, _, err) = netassist(&["tcp-client", &closed]).finish();
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "connection refused by {closed} — is a server listening there?"
        )),
        "{err}"
    );

    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_addr = taken.local_addr().unwrap().to_string();
    let (code, _, err) = netassist(&["tcp-server", &taken_addr]).finish();
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("{taken_addr} is already in use")),
        "{err}"
    );
}

#[test]
fn ipv6_loopback_works_end_to_end() {
    let mut server = netassist(&["tcp-server", "[::1]:0"]);
    let addr = server.local_addr("listening on ");
    assert!(addr.is_ipv6());
    let client = netassist(&["tcp-client", &addr.to_string(), "--send", "v6 ok"]);
    assert_eq!(server.stdout_at_least(6), b"v6 ok\n");
    server.terminate();
    assert_eq!(server.finish().0, 0);
    let (code, _, err) = client.finish();
    assert_eq!(code, 0, "{err}");
}

#[test]
fn framing_shows_glued_and_split_messages_whole_and_frames_what_is_sent() {
    let mut server = netassist(&["tcp-server", "127.0.0.1:0", "--framing", "len:4:be"]);
    let addr = server.local_addr("listening on ");
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_nodelay(true).unwrap();
    let frame = |body: &str| {
        let mut bytes = (body.len() as u32).to_be_bytes().to_vec();
        bytes.extend_from_slice(body.as_bytes());
        bytes
    };
    // Two sends glued into one write, then one message split across two writes.
    let mut glued = frame("第一条");
    glued.extend(frame("second"));
    client.write_all(&glued).unwrap();
    let third = frame("third message");
    client.write_all(&third[..3]).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    client.write_all(&third[3..]).unwrap();
    assert_eq!(
        String::from_utf8(server.stdout_at_least(31).to_vec()).unwrap(),
        "第一条\nsecond\nthird message\n"
    );
    // What the server sends is framed the same way, with no line ending inside.
    server.write_stdin(b"reply\n");
    assert_eq!(read_exact_from(&mut client, 9), frame("reply"));
    server.terminate();
    assert_eq!(server.finish().0, 0);

    // The JSON-header protocol of the Python course, little-endian as struct.pack('i') writes it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let sender = netassist(&[
        "tcp-client",
        &addr,
        "--framing",
        "json-header:le",
        "--send",
        "hello",
    ]);
    let (mut peer, _) = listener.accept().unwrap();
    let header = br#"{"data_size":5}"#;
    let mut expected = (header.len() as u32).to_le_bytes().to_vec();
    expected.extend_from_slice(header);
    expected.extend_from_slice(b"hello");
    assert_eq!(read_exact_from(&mut peer, expected.len()), expected);
    drop(peer);
    assert_eq!(sender.finish().0, 0);

    let (code, _, err) = netassist(&["tcp-client", &addr, "--framing", "len:3"]).finish();
    assert_eq!(code, 2);
    assert!(err.contains("--framing"), "{err}");
}

#[test]
fn room_flags_quit_line_and_auto_reply_work_from_the_command_line() {
    let mut server = netassist(&[
        "tcp-server",
        "127.0.0.1:0",
        "--relay",
        "--quit-line",
        "/quit",
        "--auto-reply",
        "text:#ping#=>reply:#pong#",
        "--escapes",
        "--show",
        "none",
    ]);
    let addr = server.local_addr("listening on ");
    let mut alice = TcpStream::connect(addr).unwrap();
    let mut bob = TcpStream::connect(addr).unwrap();
    server.stderr_line("connected");
    server.err.clear();
    server.stderr_line("connected");
    alice.write_all(b"#ping#").unwrap();
    assert_eq!(
        read_exact_from(&mut alice, 6),
        b"#pong#",
        "the rule answers the sender"
    );
    assert_eq!(
        read_exact_from(&mut bob, 6),
        b"#ping#",
        "and the room still relays it"
    );
    bob.write_all(b"/quit\n").unwrap();
    let left = server.stderr_line("sent the quit line");
    assert!(
        left.contains(&bob.local_addr().unwrap().to_string()),
        "{left}"
    );
    bob.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut rest = Vec::new();
    bob.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    server.terminate();
    assert_eq!(server.finish().0, 0);

    let (code, _, err) = netassist(&["udp", "--auto-reply", "text:x"]).finish();
    assert_eq!(code, 2);
    assert!(err.contains("WHEN=>THEN"), "{err}");
}

/// An auto-reply rule with nothing to look for is refused, as the window refuses it (one
/// parser for both), and so is one with nothing to reply.
#[test]
fn an_empty_auto_reply_pattern_or_reply_is_refused() {
    for (rule, why) in [
        ("text:=>reply:pong", "the pattern is empty"),
        ("hex:=>echo", "the pattern is empty"),
        ("regex:=>disconnect", "the pattern is empty"),
        ("text:ping=>reply:", "the reply is empty"),
    ] {
        let (code, _, err) =
            netassist(&["tcp-server", "127.0.0.1:0", "--auto-reply", rule]).finish();
        assert_eq!(code, 2, "{rule}: {err}");
        assert!(
            err.contains(&format!("--auto-reply {rule:?}: {why}")),
            "{rule}: {err}"
        );
    }
}

/// An answer of the lesson's file server: `struct.pack("i", len(header))` (little endian on a
/// PC), the JSON header, the body.
fn lesson_answer(body: &[u8]) -> Vec<u8> {
    let header = format!("{{\"data_size\": {}}}", body.len());
    let mut bytes = u32::try_from(header.len()).unwrap().to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// Reads one `\n`-ended line from the stream.
fn read_line_from(stream: &mut TcpStream) -> Vec<u8> {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut line = Vec::new();
    let mut byte = [0u8];
    while !line.ends_with(b"\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "the peer closed");
        line.push(byte[0]);
    }
    line
}

#[test]
fn recv_framing_sends_plain_commands_and_shows_framed_answers_whole() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut client = netassist(&["tcp-client", &addr, "--recv-framing", "json-header:le"]);
    let (mut server, _) = listener.accept().unwrap();
    client.write_stdin(b"dir\n");
    assert_eq!(read_line_from(&mut server), b"dir\n", "sent as typed");
    write_in_pieces(&mut server, &lesson_answer(b"a.txt b.txt c.txt"), 3);
    assert_eq!(client.stdout_at_least(18), b"a.txt b.txt c.txt\n");
    client.write_stdin(b"get a.txt\n");
    assert_eq!(read_line_from(&mut server), b"get a.txt\n");
    // Two answers glued into pieces that cross the message boundary.
    let mut two = lesson_answer("第一行".as_bytes());
    two.extend(lesson_answer(b"second"));
    write_in_pieces(&mut server, &two, 5);
    assert_eq!(
        String::from_utf8(client.stdout_at_least(18 + 10 + 7).to_vec()).unwrap(),
        "a.txt b.txt c.txt\n第一行\nsecond\n"
    );
    drop(server);
    assert_eq!(client.finish().0, 0);

    // --send-framing frames only what is sent; received data shows as it came.
    let mut client = netassist(&["tcp-client", &addr, "--send-framing", "len:2:be"]);
    let (mut server, _) = listener.accept().unwrap();
    client.write_stdin(b"hi\n");
    assert_eq!(read_exact_from(&mut server, 4), b"\x00\x02hi");
    server.write_all(b"\x00\x03raw").unwrap();
    assert_eq!(client.stdout_at_least(5), b"\x00\x03raw");
    drop(server);
    assert_eq!(client.finish().0, 0);

    let (code, _, err) = netassist(&["tcp-client", &addr, "--recv-framing", "len:3"]).finish();
    assert_eq!(code, 2);
    assert!(err.contains("--recv-framing"), "{err}");
}

#[test]
fn wrong_byte_order_gives_one_note_with_the_fix_then_the_bytes_raw() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut client = netassist(&[
        "tcp-client",
        &addr,
        "--recv-framing",
        "json-header:be",
        "--show",
        "hex",
    ]);
    let (mut server, _) = listener.accept().unwrap();
    let first = lesson_answer(b"hello");
    server.write_all(&first).unwrap();
    let note = client.stderr_line("cannot cut messages");
    let header_len = first.len() - 4 - 5;
    assert!(
        note.contains(&format!(
            "read as little endian the prefix would be {header_len} — switch byte order?"
        )),
        "{note}"
    );
    assert!(note.contains("json-header:le"), "{note}");
    let hex = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let first_line = format!("{}\n", hex(&first));
    assert_eq!(
        String::from_utf8_lossy(client.stdout_at_least(first_line.len())),
        first_line,
        "the bytes are shown, not hidden"
    );
    std::thread::sleep(Duration::from_millis(50));
    let second = lesson_answer(b"world");
    server.write_all(&second).unwrap();
    let both = format!("{first_line}{}\n", hex(&second));
    assert_eq!(
        String::from_utf8_lossy(client.stdout_at_least(both.len())),
        both
    );
    drop(server);
    let (code, _, err) = client.finish();
    assert_eq!(code, 0);
    assert_eq!(
        err.matches("cannot cut messages").count(),
        1,
        "one note per connection: {err}"
    );
}

/// A real `tftpd-hpa` in the foreground on 127.0.0.1 serving `dir`; stopped on drop.
struct Tftpd {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Tftpd {
    fn drop(&mut self) {
        // SIGTERM, which sudo (when used) passes on to in.tftpd; SIGKILL only if that fails.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(2);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const TFTPD: &str = "/usr/sbin/in.tftpd";

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Starts `in.tftpd -L -a 127.0.0.1:PORT -u nobody -s DIR` on a port found free. It must
/// start as root (it changes root to DIR and then serves as "nobody"): as another user the
/// test runs it with `sudo -n`, as `.ci/run` allows.
fn tftpd(dir: &std::path::Path) -> Tftpd {
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut command = if running_as_root() {
        Command::new(TFTPD)
    } else {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", TFTPD]);
        sudo
    };
    command
        .args(["-L", "-a", &addr.to_string(), "-u", "nobody", "-s"])
        .arg(dir);
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start in.tftpd");
    let mut server = Tftpd { child, addr };
    // Listening once its port can no longer be bound.
    let deadline = Instant::now() + PATIENCE;
    while UdpSocket::bind(addr).is_ok() {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "in.tftpd exited with {status} before listening on {addr}: it needs root — run \
                 the tests as root or with passwordless sudo (as .ci/run does)"
            );
        }
        assert!(
            Instant::now() < deadline,
            "in.tftpd is not listening on {addr}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "in.tftpd exited"
    );
    server
}

/// `00 03 00 01 …` → bytes.
fn unhex(line: &str) -> Vec<u8> {
    line.split_whitespace()
        .map(|pair| u8::from_str_radix(pair, 16).unwrap())
        .collect()
}

/// The TFTP lesson: a read request typed with escapes goes to the server's port; the server
/// answers from a new port, and with --reply-to-last every ACK typed goes there.
#[test]
fn udp_reply_to_last_reads_a_file_from_a_real_tftp_server() {
    if !std::path::Path::new(TFTPD).exists() {
        println!("SKIPPED: {TFTPD} is not installed (apt-get install tftpd-hpa; .ci/run does)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("netassist-tftp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let content = pattern(1500, 69);
    let file = dir.join("file.bin");
    std::fs::write(&file, &content).unwrap();
    // tftpd serves world-readable files only, as "nobody".
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let server = tftpd(&dir);
    let name = "file.bin";

    let to = server.addr.to_string();
    let mut client = netassist(&[
        "udp",
        "--bind",
        "127.0.0.1:0",
        "--to",
        &to,
        "--reply-to-last",
        "--escapes",
        "--eol",
        "none",
        "--show",
        "hex",
    ]);
    client.stderr_line("sending to");
    // The read request, typed as a student would (escapes, no line ending sent).
    client.write_stdin(format!("\\x00\\x01{name}\\x00octet\\x00\n").as_bytes());
    let mut received = Vec::new();
    for block in 1u8..=3 {
        let lines = client.stdout_lines(usize::from(block));
        let data = unhex(&lines[usize::from(block) - 1]);
        assert_eq!(&data[..4], [0, 3, 0, block], "DATA block {block} in hex");
        received.extend_from_slice(&data[4..]);
        // The ACK, typed as a student would; it must reach the port the block came from.
        client.write_stdin(format!("\\x00\\x04\\x00\\x{block:02X}\n").as_bytes());
    }
    assert_eq!(received.len(), 1500, "3 blocks: 512 + 512 + 476");
    assert_eq!(received, content, "the file arrived complete");
    // Had an ACK gone elsewhere, the server would send its block again after its timeout.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        client.stdout_text().lines().count(),
        3,
        "no block was sent twice"
    );
    client.terminate();
    assert_eq!(client.finish().0, 0);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn udp_room_heartbeat_flag_keeps_pings_out_of_the_chat() {
    let mut room = netassist(&[
        "udp",
        "--bind",
        "127.0.0.1:0",
        "--relay",
        "--room-heartbeat",
        "#ping#",
        "--show",
        "log",
    ]);
    let addr = room.local_addr("bound to ");
    let alice = UdpSocket::bind("127.0.0.1:0").unwrap();
    let bob = UdpSocket::bind("127.0.0.1:0").unwrap();
    bob.send_to(b"hi, bob here", addr).unwrap();
    room.stderr_line("connected");
    alice.send_to(b"#ping#", addr).unwrap();
    alice.send_to(b"#ping#", addr).unwrap();
    alice.send_to(b"hello bob", addr).unwrap();
    bob.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = [0u8; 256];
    let (n, _) = bob.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"hello bob", "the pings were not relayed");
    // The pings still show as received.
    let text = loop {
        let text = String::from_utf8_lossy(&room.out).into_owned();
        if text.contains("hello bob") {
            break text;
        }
        let len = room.out.len();
        room.stdout_at_least(len + 1);
    };
    assert_eq!(text.matches("#ping#").count(), 2, "{text}");
    room.terminate();
    assert_eq!(room.finish().0, 0);

    let (code, _, err) = netassist(&["udp", "--room-heartbeat", ""]).finish();
    assert_eq!(code, 2);
    assert!(err.contains("--room-heartbeat"), "{err}");
}

#[test]
fn a_send_queue_stall_beyond_a_day_is_refused_before_anything_opens() {
    // 1e19 s once reached `Instant + Duration` and panicked the session when a client fell
    // behind; now it is bad input like any other.
    let (code, _, err) = netassist(&[
        "tcp-server",
        "127.0.0.1:0",
        "--send-queue-stall",
        "1e19",
        "--duration",
        "1",
    ])
    .finish();
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--send-queue-stall 10000000000000000000"),
        "{err}"
    );
    assert!(err.contains("at most 86400"), "{err}");
}
