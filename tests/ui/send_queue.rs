//! The window as a TCP client whose server stops reading (issue 11): the send box waits and
//! says so, and goes on once the server reads.

use std::io::Read as _;
use std::net::TcpListener;

use crate::ui_support::{DEADLINE, harness, open, send_text, shows, wait_for};
use egui_kittest::kittest::Queryable as _;
use netassist::app::session::UiError;
use netassist::app::settings::Protocol;

#[test]
fn the_send_box_waits_for_a_server_that_does_not_read() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut h = harness(Protocol::TcpClient);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.remote_host = "127.0.0.1".to_owned();
        settings.remote_port = listener.local_addr().unwrap().port().to_string();
        settings.send.send_queue_mib = 1;
    }
    let config = h.state().sessions[0].config().unwrap();
    assert_eq!(
        config.send_queue.limit,
        1024 * 1024,
        "the setting reaches the engine"
    );
    open(&mut h);
    let (mut peer, _) = listener.accept().unwrap();

    // Lines of text, 1 MiB per send, until the queue is over its 1 MiB (the kernel's buffers
    // take the first few MiB).
    let block = format!("{}\n", "a".repeat(1023)).repeat(1024);
    let mut sends = 0;
    while h.state().sessions[0].send_queue_waiting.is_none() {
        assert!(sends < 64, "the queue never filled after {sends} MiB");
        assert!(
            h.state_mut().sessions[0].send_input(&block),
            "taken while not waiting"
        );
        sends += 1;
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    wait_for(&mut h, "the waiting note", |h| {
        shows(h, "waiting for the peer to read (")
    });

    // A typed message is not taken while the server does not read.
    send_text(&mut h, "hello");
    assert!(
        matches!(
            h.state().sessions[0].send_error,
            Some(UiError::PeerNotReading(queued)) if queued > 1024 * 1024
        ),
        "{:?}",
        h.state().sessions[0].send_error
    );
    assert_eq!(
        h.state().sessions[0].send_text,
        "hello",
        "the text stays in the box"
    );
    h.get_by_label("简体中文").click();
    h.step();
    h.step();
    assert!(shows(&h, "等待对端读取（已排队 "), "the note is translated");
    h.get_by_label("English").click();
    h.step();

    // The server reads: the note goes away and the message goes out after everything else.
    let expected = sends * block.len() + "hello".len();
    let reading = std::thread::Builder::new()
        .name("test-server".into())
        .spawn(move || {
            peer.set_read_timeout(Some(DEADLINE)).unwrap();
            let mut got = Vec::with_capacity(expected);
            let mut buf = vec![0u8; 256 * 1024];
            while got.len() < expected {
                match peer.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
            got
        })
        .unwrap();
    wait_for(&mut h, "the queue to drain", |h| {
        h.state().sessions[0].send_queue_waiting.is_none()
            && !shows(h, "waiting for the peer to read")
    });
    send_text(&mut h, "hello");
    assert!(h.state().sessions[0].send_error.is_none());
    let got = reading.join().unwrap();
    assert_eq!(got.len(), expected, "every byte arrived");
    assert!(
        got.ends_with(b"a\nhello"),
        "the message came after the queued data"
    );
}

#[test]
fn send_to_all_drops_the_client_that_does_not_read_and_the_other_gets_everything() {
    let mut h = harness(Protocol::TcpServer);
    {
        let send = &mut h.state_mut().sessions[0].settings.send;
        send.send_queue_mib = 1;
        send.send_queue_stall_secs = 1;
    }
    let server = open(&mut h);
    let stuck = std::net::TcpStream::connect(server).unwrap();
    let reader = std::net::TcpStream::connect(server).unwrap();
    wait_for(&mut h, "both clients", |h| {
        h.state().sessions[0].clients.len() == 2
    });
    let block = format!("{}\n", "b".repeat(1023)).repeat(1024);

    // The reader reads on a thread all the while.
    let (count_tx, count_rx) = std::sync::mpsc::channel();
    let mut reader_end = reader.try_clone().unwrap();
    std::thread::Builder::new()
        .name("test-reader".into())
        .spawn(move || {
            reader_end.set_read_timeout(Some(DEADLINE)).unwrap();
            let mut got = 0usize;
            let mut buf = vec![0u8; 256 * 1024];
            while let Ok(n) = reader_end.read(&mut buf) {
                if n == 0 {
                    break;
                }
                assert!(buf[..n].iter().all(|&b| b == b'b' || b == b'\n'));
                got += n;
                if count_tx.send(got).is_err() {
                    break;
                }
            }
        })
        .unwrap();

    // Send to all until the stuck client's queue is full: the send box waits.
    let mut sends = 0;
    while h.state().sessions[0].send_queue_waiting.is_none() {
        assert!(sends < 64, "the queue never filled after {sends} MiB");
        assert!(h.state_mut().sessions[0].send_input(&block));
        sends += 1;
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    wait_for(&mut h, "the waiting note", |h| {
        shows(h, "waiting for the peer to read (")
    });
    // A second later the client that does not read is dropped, with why, and sends go on.
    let stuck_addr = stuck.local_addr().unwrap();
    wait_for(&mut h, "the stuck client to be dropped", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    assert_eq!(
        h.state().sessions[0].clients[0].addr,
        reader.local_addr().unwrap()
    );
    assert!(
        !h.state().sessions[0]
            .clients
            .iter()
            .any(|c| c.addr == stuck_addr),
        "the stuck client left"
    );
    wait_for(&mut h, "the note", |h| {
        h.state().sessions[0].log.iter().any(|(r, text)| {
            r.direction == netassist::log::Direction::Info
                && text.starts_with("stopped reading: ")
                && text.ends_with(" MiB waiting for 1 s — disconnected")
        })
    });
    // The note may wrap in the log beside the side panels: its start is on screen.
    assert!(shows(&h, "stopped reading: "), "the note is in the view");
    wait_for(&mut h, "the send box to take input again", |h| {
        h.state().sessions[0].send_queue_waiting.is_none()
    });
    assert!(h.state_mut().sessions[0].send_input(&block));
    sends += 1;
    let expected = sends * block.len();
    let mut got = 0;
    while got < expected {
        got = count_rx
            .recv_timeout(DEADLINE)
            .unwrap_or_else(|err| panic!("the reader has {got} of {expected} bytes: {err}"));
        h.step();
    }
    assert_eq!(got, expected, "the reader got every byte sent to all");
    drop(stuck);
}

#[test]
fn a_new_limit_applies_to_an_open_session() {
    // Opened with the default limit (8 MiB), lowered to 1 MiB while open.
    let mut h = harness(Protocol::TcpServer);
    let server = open(&mut h);
    let stuck = std::net::TcpStream::connect(server).unwrap();
    wait_for(&mut h, "the client", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    h.state_mut().sessions[0].settings.send.send_queue_mib = 1;
    h.step();
    h.step();
    let block = "q".repeat(256 * 1024);
    let mut sends = 0;
    while h.state().sessions[0].send_queue_waiting.is_none() {
        assert!(sends < 400, "the queue never filled after {sends} sends");
        assert!(h.state_mut().sessions[0].send_input(&block));
        sends += 1;
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let queued = h.state().sessions[0].send_queue_waiting.unwrap_or_default();
    assert!(
        (1 << 20..4 << 20).contains(&queued),
        "held back at the new 1 MiB limit, not the 8 MiB one: {queued} B queued"
    );
    drop(stuck);
}
