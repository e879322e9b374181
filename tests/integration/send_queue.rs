//! Bounded send queues (issue 11): a peer that does not read holds back what would feed it,
//! nothing is lost, a server drops a client that takes nothing for the stall time, and the
//! TX count is what reached the socket. Engine over real loopback sockets.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::cell::Cell;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::util::{PATIENCE, any_local_v4, next_matching, open, pattern};
use netassist::engine::{
    CloseReason, Command, Event, Relay, SendOrigin, SendQueue, SessionConfig, SessionHandle, Target,
};
use sha2::{Digest as _, Sha256};

const KIB: usize = 1024;
const MIB: usize = 1024 * 1024;

fn server(queue: SendQueue, relay: bool, echo: bool) -> (SessionHandle, SocketAddr) {
    let mut config = SessionConfig::tcp_server(any_local_v4());
    config.relay = relay.then(Relay::default);
    config.echo = echo;
    config.send_queue = queue;
    open(config)
}

/// Every event but `Received` (those are only counted), handed over from a thread that keeps
/// the session's queue empty so the engine is never held back by the test.
fn watch(session: &SessionHandle) -> mpsc::Receiver<Event> {
    let events = session.events().clone();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("test-events".into())
        .spawn(move || {
            for event in &events {
                let last = matches!(event, Event::Closed);
                if !matches!(event, Event::Received { .. }) && tx.send(event).is_err() {
                    return;
                }
                if last {
                    return;
                }
            }
        })
        .unwrap();
    rx
}

/// Waits for the first watched event that matches; fails after `PATIENCE`.
fn wait_event(events: &mpsc::Receiver<Event>, mut pred: impl FnMut(&Event) -> bool) -> Event {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(event) if pred(&event) => return event,
            Ok(_) => {}
            Err(err) => panic!("no matching event within {PATIENCE:?}: {err}"),
        }
    }
}

/// Connects `n` clients and waits until the server has reported each.
fn connect(addr: SocketAddr, events: &mpsc::Receiver<Event>, n: usize) -> Vec<TcpStream> {
    let clients: Vec<TcpStream> = (0..n).map(|_| TcpStream::connect(addr).unwrap()).collect();
    for _ in 0..n {
        wait_event(events, |e| matches!(e, Event::PeerConnected { .. }));
    }
    clients
}

/// Reads exactly `len` bytes on a thread; returns their length and SHA-256.
fn read_all(mut stream: TcpStream, len: usize) -> JoinHandle<(usize, Vec<u8>)> {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    std::thread::Builder::new()
        .name("test-reader".into())
        .spawn(move || {
            let mut hash = Sha256::new();
            let mut buf = vec![0u8; 256 * KIB];
            let mut got = 0;
            while got < len {
                let want = buf.len().min(len - got);
                match stream.read(&mut buf[..want]) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        hash.update(&buf[..n]);
                        got += n;
                    }
                }
            }
            (got, hash.finalize().to_vec())
        })
        .unwrap()
}

/// Writes `data` on a thread, counting in `written` what the socket took so far.
fn write_all(
    mut stream: TcpStream,
    data: Arc<Vec<u8>>,
    written: Arc<AtomicUsize>,
) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("test-writer".into())
        .spawn(move || {
            for chunk in data.chunks(64 * KIB) {
                if stream.write_all(chunk).is_err() {
                    return;
                }
                written.fetch_add(chunk.len(), Ordering::Relaxed);
            }
        })
        .unwrap()
}

fn sha(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

#[test]
fn a_relay_drops_the_client_that_never_reads_and_the_reader_gets_every_byte() {
    let queue = SendQueue {
        limit: 256 * KIB,
        // Long enough that the reading client, descheduled on a busy machine, is not taken
        // for a stuck one.
        stall: Duration::from_secs(2),
    };
    let (session, addr) = server(queue, true, false);
    let events = watch(&session);
    let mut clients = connect(addr, &events, 3);
    let sender = clients.pop().unwrap();
    let reader = clients.pop().unwrap();
    let stuck = clients.pop().unwrap();
    let stuck_addr = stuck.local_addr().unwrap();

    let total = 32 * MIB;
    let data = Arc::new(pattern(total, 11));
    let reading = read_all(reader, total);
    let writing = write_all(sender, Arc::clone(&data), Arc::new(AtomicUsize::new(0)));

    let full = wait_event(&events, |e| matches!(e, Event::SendQueue { .. }));
    assert!(
        matches!(full, Event::SendQueue { waiting: true, queued } if queued > queue.limit),
        "the full queue is reported: {full:?}"
    );
    let unsent = match wait_event(&events, |e| matches!(e, Event::Unsent { .. })) {
        Event::Unsent { peer, bytes } => {
            assert_eq!(peer, stuck_addr);
            bytes
        }
        _ => unreachable!(),
    };
    match wait_event(&events, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { peer, reason, .. } => {
            assert_eq!(
                peer, stuck_addr,
                "only the client that does not read leaves"
            );
            let CloseReason::StoppedReading { queued, waited } = &reason else {
                panic!("the reason says it stopped reading: {reason:?}");
            };
            assert!(*queued > queue.limit, "{queued} B were waiting");
            assert_eq!(
                *queued as u64, unsent,
                "what was waiting is what was not sent"
            );
            assert_eq!(*waited, queue.stall);
            let text = reason.to_string();
            assert!(
                text.starts_with("stopped reading: ")
                    && text.ends_with(" KiB waiting for 2 s — disconnected"),
                "{text}"
            );
        }
        _ => unreachable!(),
    }
    // Reading goes on for the others once the stuck one is gone.
    let resumed = wait_event(&events, |e| matches!(e, Event::SendQueue { .. }));
    assert!(
        matches!(resumed, Event::SendQueue { waiting: false, .. }),
        "{resumed:?}"
    );

    writing.join().unwrap();
    let (got, hash) = reading.join().unwrap();
    assert_eq!(got, total, "the reading client got every byte");
    assert_eq!(hash, sha(&data), "and in order");
    drop(stuck);
    drop(session);
}

#[test]
fn a_slow_reader_holds_the_sender_back_and_loses_nothing() {
    let queue = SendQueue {
        limit: MIB,
        stall: Duration::from_mins(1),
    };
    let (session, addr) = server(queue, true, false);
    let events = watch(&session);
    let mut clients = connect(addr, &events, 3);
    let sender = clients.pop().unwrap();
    let reader = clients.pop().unwrap();
    let slow = clients.pop().unwrap();

    let total = 256 * MIB;
    let data = Arc::new(pattern(total, 12));
    let written = Arc::new(AtomicUsize::new(0));
    let reading = read_all(reader, total);
    let writing = write_all(sender, Arc::clone(&data), Arc::clone(&written));

    // The slow client reads nothing for 1.5 s: the relay stops reading the sender, so what
    // the sender got rid of is the queue's limit plus the kernels' socket buffers.
    std::thread::sleep(Duration::from_millis(1500));
    let during_stall = written.load(Ordering::Relaxed);
    eprintln!(
        "sender wrote {:.1} MiB while a client read nothing for 1.5 s",
        during_stall as f64 / MIB as f64
    );
    assert!(
        during_stall < 80 * MIB,
        "the sender was held back: {} MiB written while a client read nothing",
        during_stall / MIB
    );
    wait_event(&events, |e| {
        matches!(e, Event::SendQueue { waiting: true, .. })
    });

    // Now it reads: everything arrives at both, nobody was dropped.
    let slow_reading = read_all(slow, total);
    writing.join().unwrap();
    let expected = sha(&data);
    let (got, hash) = reading.join().unwrap();
    assert_eq!(
        (got, &hash),
        (total, &expected),
        "the fast reader got every byte"
    );
    let (got, hash) = slow_reading.join().unwrap();
    assert_eq!(
        (got, &hash),
        (total, &expected),
        "the slow reader got every byte"
    );
    let rest = session.close_and_wait();
    while let Ok(event) = events.try_recv() {
        // The sender leaves when done; nobody is dropped and nothing is lost.
        assert!(
            !matches!(
                event,
                Event::Unsent { .. }
                    | Event::PeerClosed {
                        reason: CloseReason::StoppedReading { .. },
                        ..
                    }
            ),
            "nobody was dropped: {event:?}"
        );
    }
    assert!(matches!(rest.last(), Some(Event::Closed) | None));
}

#[test]
fn echo_holds_only_the_client_that_does_not_read_and_the_others_go_on() {
    let queue = SendQueue {
        limit: 256 * KIB,
        stall: Duration::from_secs(4),
    };
    let (session, addr) = server(queue, false, true);
    let events = watch(&session);
    let mut clients = connect(addr, &events, 2);
    let mut other = clients.pop().unwrap();
    let stuck = clients.pop().unwrap();
    let stuck_addr = stuck.local_addr().unwrap();

    // The stuck client sends far more than fits anywhere and reads none of its echo.
    let flood = Arc::new(pattern(64 * MIB, 13));
    let stuck_written = Arc::new(AtomicUsize::new(0));
    // The queue can go over the limit no sooner than this: the stall is counted from then on.
    let flood_started = Instant::now();
    let flooding = write_all(
        stuck.try_clone().unwrap(),
        Arc::clone(&flood),
        Arc::clone(&stuck_written),
    );
    wait_event(&events, |e| {
        matches!(e, Event::SendQueue { waiting: true, .. })
    });
    let held_at = Instant::now();

    // Meanwhile another client's echo comes back whole, well within the stall time.
    let message = pattern(MIB, 14);
    let echoed = read_all(other.try_clone().unwrap(), message.len());
    other.write_all(&message).unwrap();
    let (got, hash) = echoed.join().unwrap();
    assert_eq!(
        (got, hash),
        (message.len(), sha(&message)),
        "the other client's echo"
    );
    assert!(
        held_at.elapsed() < queue.stall,
        "the other client was served while the stuck one was still there"
    );

    match wait_event(&events, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { peer, reason, .. } => {
            assert_eq!(peer, stuck_addr);
            assert!(
                matches!(reason, CloseReason::StoppedReading { .. }),
                "{reason:?}"
            );
        }
        _ => unreachable!(),
    }
    assert!(
        flood_started.elapsed() >= queue.stall,
        "dropped only after the stall time"
    );
    assert!(
        stuck_written.load(Ordering::Relaxed) < 48 * MIB,
        "the stuck client's reads were held, not queued as echo"
    );
    flooding.join().unwrap();
    drop(stuck);
}

#[test]
fn a_client_waits_for_a_server_that_does_not_read_and_counts_only_what_was_written() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = SessionConfig::tcp_client(listener.local_addr().unwrap().to_string());
    config.send_queue = SendQueue {
        limit: 256 * KIB,
        stall: Duration::from_millis(200),
    };
    let (session, _) = open(config);
    let (mut server_end, _) = listener.accept().unwrap();

    // A fast cyclic send into a server that reads nothing.
    let payload = pattern(64 * KIB, 15);
    session.send(Command::Repeat {
        payload: payload.into(),
        to: Target::Default,
        interval: Duration::from_millis(1),
        count: None,
    });
    let sent = Cell::new(0u64);
    let count_sent = |event: &Event| {
        if let Event::Sent { bytes, origin, .. } = event {
            assert_eq!(*origin, SendOrigin::Repeat);
            sent.set(sent.get() + bytes.len() as u64);
        }
    };
    let waiting = next_matching(&session, |e| {
        count_sent(e);
        matches!(e, Event::SendQueue { .. })
    });
    assert!(
        matches!(waiting, Event::SendQueue { waiting: true, queued } if queued > 256 * KIB),
        "{waiting:?}"
    );
    // The repeat waits (no burst of sends) and the client is not dropped: a server is waited
    // for however long it takes.
    let quiet_until = Instant::now() + Duration::from_millis(600);
    while let Ok(event) = session
        .events()
        .recv_timeout(quiet_until.saturating_duration_since(Instant::now()))
    {
        assert!(
            !matches!(event, Event::Sent { .. } | Event::PeerClosed { .. }),
            "nothing is sent or dropped while the server does not read: {event:?}"
        );
    }

    // The server reads; sends resume.
    server_end.set_read_timeout(Some(PATIENCE)).unwrap();
    let (received_tx, received_rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("test-server".into())
        .spawn(move || {
            let mut buf = vec![0u8; 256 * KIB];
            let mut total = 0u64;
            while let Ok(n) = server_end.read(&mut buf) {
                if n == 0 {
                    break;
                }
                total += n as u64;
            }
            received_tx.send(total).unwrap();
        })
        .unwrap();
    next_matching(&session, |e| {
        count_sent(e);
        matches!(e, Event::SendQueue { waiting: false, .. })
    });
    let before = sent.get();
    next_matching(&session, |e| {
        count_sent(e);
        sent.get() > before + 4 * 64 * 1024
    });

    // Close with bytes still queued: TX minus Unsent is exactly what the server got.
    session.send(Command::StopRepeat);
    let mut unsent = 0;
    for event in session.close_and_wait() {
        count_sent(&event);
        if let Event::Unsent { bytes, .. } = event {
            unsent += bytes;
        }
    }
    let received = received_rx.recv_timeout(PATIENCE).unwrap();
    let sent = sent.get();
    assert_eq!(
        sent - unsent,
        received,
        "counted {sent} sent, {unsent} unsent"
    );
}

#[test]
fn bytes_still_queued_when_a_client_closes_are_reported_unsent() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let (session, _) = open(SessionConfig::tcp_client(
        listener.local_addr().unwrap().to_string(),
    ));
    let (mut server_end, _) = listener.accept().unwrap();
    // More than the kernel buffers take while the server reads nothing.
    let total = 48 * MIB;
    for chunk in pattern(total, 16).chunks(MIB) {
        session.send(Command::Send {
            payload: chunk.into(),
            to: Target::Default,
        });
    }
    let mut sent = 0u64;
    next_matching(&session, |e| {
        if let Event::Sent { bytes, .. } = e {
            sent += bytes.len() as u64;
        }
        sent == total as u64
    });
    let mut unsent = 0;
    for event in session.close_and_wait() {
        if let Event::Unsent { bytes, .. } = event {
            unsent += bytes;
        }
    }
    assert!(unsent > 0, "the session ended with bytes queued");
    let mut received = Vec::new();
    server_end.set_read_timeout(Some(PATIENCE)).unwrap();
    server_end.read_to_end(&mut received).unwrap();
    assert_eq!(
        received.len() as u64,
        sent - unsent,
        "what the server got is what was sent minus what was reported unsent"
    );
    assert_eq!(received, pattern(total, 16)[..received.len()]);
}

#[test]
fn switching_the_relay_off_lets_the_held_readers_go_at_once() {
    let queue = SendQueue {
        limit: 256 * KIB,
        // Far beyond the test: the stuck client is never dropped, so only the switch can
        // let the sender's reads go.
        stall: Duration::from_mins(10),
    };
    let (session, addr) = server(queue, true, false);
    let events = watch(&session);
    let mut clients = connect(addr, &events, 2);
    let sender = clients.pop().unwrap();
    let stuck = clients.pop().unwrap();

    let flood = Arc::new(pattern(32 * MIB, 21));
    let written = Arc::new(AtomicUsize::new(0));
    let writing = write_all(
        sender.try_clone().unwrap(),
        Arc::clone(&flood),
        Arc::clone(&written),
    );
    wait_event(&events, |e| {
        matches!(e, Event::SendQueue { waiting: true, .. })
    });

    // Until the sender's socket is full: no new data, so no readiness edge would wake the
    // server's read of it; only the switch can.
    let settle = Instant::now() + PATIENCE;
    let mut last = written.load(Ordering::Relaxed);
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = written.load(Ordering::Relaxed);
        if now == last {
            break;
        }
        assert!(
            Instant::now() < settle,
            "the sender never stopped: {now} B taken"
        );
        last = now;
    }
    assert!(last < flood.len(), "the relay held the sender back");

    // No more relay: nothing the sender sends feeds the stuck client's queue any more.
    assert!(session.send(Command::SetRelay(None)));
    let deadline = Instant::now() + PATIENCE;
    while written.load(Ordering::Relaxed) < flood.len() {
        assert!(
            Instant::now() < deadline,
            "the sender is still held after the relay was switched off: {} of {} B taken",
            written.load(Ordering::Relaxed),
            flood.len()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    writing.join().unwrap();
    drop((sender, stuck));
    drop(session);
}
