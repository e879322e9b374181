//! A serial port in the window, over a pseudo-terminal pair (socat): picked in the protocol
//! picker, its port typed (ptys are not listed), opened; text sent from the window reaches
//! the other end, and the other end's bytes show in the log under the port's name. Then the
//! other end goes away and the window says so in a sentence.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::settings::{AppSettings, Protocol, SessionSettings};
use netassist::engine::{Command, Event, SerialOptions, Session, SessionConfig, Target};

use crate::serial_support::PtyPair;
use crate::ui_support::{harness, harness_with, pick, received_bytes, send_text, shows, wait_for};

/// The other end of the pair, opened by the engine; waits until it is open.
fn device(path: &str) -> netassist::engine::SessionHandle {
    let session = Session::open(SessionConfig::serial(path, SerialOptions::default()), None)
        .expect("open the other end");
    loop {
        match session
            .events()
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the other end opens")
        {
            Event::Opened { .. } => return session,
            Event::Failed(err) => panic!("the other end did not open: {err}"),
            _ => {}
        }
    }
}

/// Waits (bounded) until `session` received `len` bytes; returns them.
fn received(session: &netassist::engine::SessionHandle, len: usize) -> Vec<u8> {
    let mut got = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while got.len() < len {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match session.events().recv_timeout(left) {
            Ok(Event::Received { bytes, .. }) => got.extend_from_slice(&bytes),
            Ok(_) => {}
            Err(err) => panic!("only {got:?} arrived: {err}"),
        }
    }
    got
}

#[test]
fn a_serial_port_opens_in_the_window_and_talks_both_ways() {
    let mut pair = PtyPair::new();
    let mut h = harness(Protocol::TcpServer);
    pick(&mut h, "Protocol", "Serial port");
    h.step();
    let settings = &h.state().sessions[0].settings;
    assert!(settings.serial.enabled && settings.protocol == Protocol::TcpClient);
    assert!(shows(&h, "Baud rate") && shows(&h, "Parity"), "its fields");
    assert!(shows(&h, "Serial port 1"), "the tab says what it is");
    h.state_mut().sessions[0]
        .settings
        .serial
        .port
        .clone_from(&pair.a);
    h.state_mut().sessions[0].settings.serial.baud = "115200".to_owned();
    h.step();
    let other = device(&pair.b);
    h.get_by_label("Open").click();
    wait_for(&mut h, "the port to open", |h| {
        h.state().sessions[0].is_active()
    });
    wait_for(&mut h, "the open note", |h| {
        shows(h, &format!("opened {} at 115200 8N1", pair.a))
    });

    send_text(&mut h, "from the window");
    assert_eq!(received(&other, 15), b"from the window");

    other.send(Command::Send {
        payload: b"from the device".as_slice().into(),
        to: Target::Default,
    });
    wait_for(&mut h, "the device's bytes", |h| {
        h.state().sessions[0].counters.rx_bytes == 15
    });
    h.step();
    assert!(shows(&h, "from the device"), "in the log");
    assert!(shows(&h, &pair.a), "the log names the port");

    // The other end goes away: the window says so in a sentence.
    drop(other);
    pair.unplug();
    wait_for(&mut h, "the port's end", |h| {
        !h.state().sessions[0].is_active()
    });
    h.step();
    assert!(shows(&h, "was closed while open"), "the sentence shows");
}

#[test]
fn a_missing_port_is_said_in_chinese() {
    let mut h = harness_with(AppSettings {
        lang: Lang::Zh,
        sessions: vec![SessionSettings::default()],
        ..AppSettings::default()
    });
    pick(&mut h, "协议类型", "串口");
    h.step();
    assert!(shows(&h, "波特率") && shows(&h, "校验位") && shows(&h, "停止位"));
    h.get_by_label("打开").click();
    h.step();
    assert!(shows(&h, "没有选择串口"), "no port chosen");
    h.state_mut().sessions[0].settings.serial.port = "/dev/netassist-no-such-port".to_owned();
    h.get_by_label("打开").click();
    wait_for(&mut h, "the refusal", |h| shows(h, "不存在"));
}

/// Waits for a log note that starts with `prefix`; returns it.
fn note_starting(h: &mut Harness<'_, NetAssistApp>, prefix: &str) -> String {
    let mut found = String::new();
    wait_for(h, prefix, |h| {
        h.state().sessions[0]
            .log
            .iter()
            .filter(|(r, _)| r.direction == netassist::log::Direction::Info)
            .find(|(_, text)| text.starts_with(prefix))
            .map(|(_, text)| text.clone_into(&mut found))
            .is_some()
    });
    found
}

#[test]
fn a_bridge_in_the_window_forwards_both_ways_and_dtr_says_what_a_pty_lacks() {
    use netassist::app::serial_settings::BridgeChoice;
    use std::io::{Read as _, Write as _};

    let pair = PtyPair::new();
    let mut h = harness(Protocol::TcpClient);
    pick(&mut h, "Protocol", "Serial port");
    h.step();
    pick(&mut h, "Bridge", "TCP server");
    h.step();
    assert_eq!(
        h.state().sessions[0].settings.serial.bridge,
        BridgeChoice::Listen
    );
    {
        let serial = &mut h.state_mut().sessions[0].settings.serial;
        serial.port.clone_from(&pair.a);
        serial.bridge_addr = "127.0.0.1:0".to_owned();
    }
    h.step();
    let other = device(&pair.b);
    h.get_by_label("Open").click();
    let note = note_starting(&mut h, "bridge: listening on ");
    let addr: std::net::SocketAddr = note["bridge: listening on ".len()..]
        .split_whitespace()
        .next()
        .expect("an address")
        .parse()
        .expect("a socket address");
    let mut tcp = std::net::TcpStream::connect(addr).expect("connect to the bridge");
    tcp.write_all(b"tcp to port").expect("write");
    assert_eq!(received(&other, 11), b"tcp to port");
    other.send(Command::Send {
        payload: b"port to tcp".as_slice().into(),
        to: Target::Default,
    });
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("a timeout");
    let mut got = [0u8; 11];
    tcp.read_exact(&mut got).expect("the port's bytes");
    assert_eq!(&got, b"port to tcp");
    wait_for(&mut h, "both sides in the counters", |h| {
        h.state().sessions[0].counters.rx_bytes == 22
    });
    h.step();
    assert!(
        shows(&h, "tcp to port") && shows(&h, "port to tcp"),
        "both in the log"
    );

    // DTR while open: a pty has no modem lines, and the window says so.
    h.get_by_label("DTR").click();
    h.step();
    assert!(!h.state().sessions[0].settings.serial.dtr);
    note_starting(
        &mut h,
        &format!("cannot set DTR/RTS on the serial port {}", pair.a),
    );

    // The bridge's client resets its connection: noted in the log, but the serial session is
    // not failed (its port is still open).
    socket2::SockRef::from(&tcp)
        .set_linger(Some(std::time::Duration::ZERO))
        .expect("linger 0");
    drop(tcp);
    wait_for(&mut h, "the reset to be noted", |h| {
        h.state().sessions[0].log.iter().any(|(r, text)| {
            r.direction == netassist::log::Direction::Info && text.contains("reset")
        })
    });
    assert!(
        h.state().sessions[0].open_error.is_none(),
        "a bridge client's reset is not the session's failure: {:?}",
        h.state().sessions[0].open_error
    );
    assert!(h.state().sessions[0].local_addr().is_some(), "still open");
}

/// Modbus RTU frames from a serial port, each written in pieces: the framing view's silence
/// gap shows one record per frame, under the port's name.
#[test]
fn the_silence_gap_cuts_modbus_frames_from_a_serial_port() {
    let pair = PtyPair::new();
    let mut h = harness(Protocol::TcpClient);
    pick(&mut h, "Protocol", "Serial port");
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.serial.port.clone_from(&pair.a);
        // A long silence, so a loaded machine cannot split a frame.
        settings.receive.framing = "gap:300".to_owned();
        settings.receive.log_mode = true;
    }
    h.step();
    let other = device(&pair.b);
    h.get_by_label("Open").click();
    wait_for(&mut h, "the port to open", |h| {
        h.state().sessions[0].local_addr().is_some()
    });
    let request = [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD];
    let answer = [0x01, 0x03, 0x04, 0x00, 0x2A, 0x01, 0xF4, 0xBB, 0x8E];
    for frame in [&request[..], &answer[..]] {
        for piece in frame.chunks(3) {
            other.send(Command::Send {
                payload: piece.into(),
                to: Target::Default,
            });
        }
        let before = received_bytes(&h, 0).len();
        wait_for(&mut h, "the silence to end the frame", |h| {
            received_bytes(h, 0).len() == before + 1
        });
    }
    assert_eq!(received_bytes(&h, 0), [request.to_vec(), answer.to_vec()]);
    h.step();
    assert!(shows(&h, &pair.a), "the records name the port");
}
