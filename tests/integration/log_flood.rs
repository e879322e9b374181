//! A TCP flood into a window whose event loop drains slowly: backpressure slows the sender,
//! nothing is dropped. The saved file has the sender's SHA-256, the counters are exact, and
//! the log stays within its cap while it trims.

use std::io::Write as _;
use std::net::{Shutdown, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use netassist::app::i18n::Lang;
use netassist::app::session::{LinkState, SessionView};
use netassist::app::settings::{Protocol, SessionSettings};
use netassist::log::Direction;
use sha2::{Digest as _, Sha256};

/// What goes through the socket.
const TOTAL: usize = 200 * 1024 * 1024;
/// The log's byte cap for this test: far below what arrives.
const CAP: usize = 16 * 1024 * 1024;
/// The most any part of the test may take.
const DEADLINE: Duration = Duration::from_mins(3);

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("netassist-{name}-{}.bin", std::process::id()))
}

/// Steps `view` (a slow window: a few events, then a pause) until `done` holds.
fn drain_until(view: &mut SessionView, what: &str, mut done: impl FnMut(&SessionView) -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !done(view) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        view.drain(Lang::En, Duration::from_millis(1), 8);
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn tcp_flood_is_saved_whole_and_counted_exactly() {
    let path = temp_file("flood");
    let _ = std::fs::remove_file(&path);
    let mut view = SessionView::new(SessionSettings {
        protocol: Protocol::TcpServer,
        local_ip: "127.0.0.1".to_owned(),
        local_port: "0".to_owned(),
        ..SessionSettings::default()
    });
    view.log.set_caps(CAP, 1_000_000);
    view.save_to(Some(path.to_str().unwrap()));
    view.open(None);
    drain_until(&mut view, "the server to listen", |v| {
        v.local_addr().is_some()
    });
    let server = view.local_addr().unwrap();

    let sender = std::thread::Builder::new()
        .name("flood-sender".to_owned())
        .spawn(move || {
            let mut stream = TcpStream::connect(server).unwrap();
            let mut hash = Sha256::new();
            let mut state = 0x9E37_79B9_7F4A_7C15_u64;
            let mut chunk = vec![0u8; 64 * 1024];
            let mut sent = 0;
            while sent < TOTAL {
                // xorshift: every byte value, no pattern the engine could compress away.
                for word in chunk.chunks_exact_mut(8) {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    word.copy_from_slice(&state.to_le_bytes());
                }
                let n = chunk.len().min(TOTAL - sent);
                stream.write_all(&chunk[..n]).unwrap();
                hash.update(&chunk[..n]);
                sent += n;
            }
            stream.shutdown(Shutdown::Write).unwrap();
            hash.finalize()
        })
        .unwrap();

    let mut max_held = 0;
    drain_until(&mut view, "every byte and the close", |v| {
        max_held = max_held.max(v.log.bytes());
        v.counters.rx_bytes == TOTAL as u64 && v.clients.is_empty()
    });
    let sent_hash = sender.join().unwrap();
    view.close(Lang::En);
    assert_eq!(view.state, LinkState::Closed);
    // The engine flushes the file as it ends; wait for all of it to be there.
    let deadline = Instant::now() + DEADLINE;
    while std::fs::metadata(&path).map_or(0, |m| m.len()) < TOTAL as u64 {
        assert!(Instant::now() < deadline, "the saved file did not fill up");
        view.drain(Lang::En, Duration::from_millis(1), 8);
        std::thread::sleep(Duration::from_millis(5));
    }
    let saved = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(saved.len(), TOTAL, "the file got every byte");
    assert_eq!(
        Sha256::digest(&saved),
        sent_hash,
        "and exactly the sender's bytes"
    );

    assert_eq!(view.counters.rx_bytes, TOTAL as u64);
    assert!(view.log.trimmed() > 0, "the cap trimmed");
    assert!(max_held <= CAP, "held {max_held} > cap {CAP}");
    let held_rx: Vec<_> = view
        .log
        .iter()
        .filter(|(r, _)| r.direction == Direction::Rx)
        .collect();
    let notes = view
        .log
        .iter()
        .filter(|(r, _)| r.direction == Direction::Info)
        .count();
    assert!(
        !held_rx.is_empty() && notes >= 2,
        "the newest data and the close notes remain"
    );
    // Listening, connected, disconnected, closed: every other record is one received chunk.
    assert_eq!(
        view.log.end_seq(),
        view.counters.rx_packets + 4,
        "one record per read, none lost or doubled"
    );
}

/// A window that draws a few times a second (a low Data fps) drains a UDP flood in one frame:
/// when its event queue runs dry while the engine holds more datagrams, the frame waits for
/// the refill instead of taking one queue's worth and leaving the rest for later frames.
#[test]
fn one_frame_takes_a_flood_bigger_than_the_event_queue() {
    const DATAGRAMS: usize = 4 * netassist::app::session::WINDOW_EVENT_CAPACITY;
    let mut view = SessionView::new(SessionSettings {
        protocol: Protocol::Udp,
        local_ip: "127.0.0.1".to_owned(),
        local_port: "0".to_owned(),
        ..SessionSettings::default()
    });
    view.open(None);
    drain_until(&mut view, "the socket to open", |v| {
        v.local_addr().is_some()
    });
    let local = view.local_addr().unwrap();
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    for i in 0..DATAGRAMS {
        sender
            .send_to(format!("datagram {i:05}").as_bytes(), local)
            .unwrap();
    }
    // The I/O thread reads them all into its queue and backlog (16 MiB of room) at once; give
    // it time, as a frame comes a fifth of a second after the last one at 5 fps.
    std::thread::sleep(Duration::from_millis(500));
    let before = view.counters.rx_packets;
    view.drain(Lang::En, Duration::from_secs(5), 100_000);
    let taken = view.counters.rx_packets - before;
    assert_eq!(
        taken, DATAGRAMS as u64,
        "one frame applied {taken} of the {DATAGRAMS} datagrams waiting in the engine"
    );
    assert_eq!(view.dropped, 0, "none dropped");
    let last = format!("datagram {:05}", DATAGRAMS - 1);
    assert!(
        view.log
            .iter()
            .any(|(r, _)| r.direction == Direction::Rx && &*r.bytes == last.as_bytes()),
        "the newest datagram is in the log"
    );
    view.close(Lang::En);
}
