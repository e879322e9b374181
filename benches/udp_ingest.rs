//! UDP ingest: how many of a burst of datagrams the engine hands over, against a bare
//! `recv_from` loop on the same machine in the same run; 64 B and 1400 B datagrams.
//! Datagrams the engine could not queue are counted by it (`Dropped`); the rest of the gap is
//! what the kernel dropped, now counted too (`KernelDropped`).
//!
//! Then a paced flood at 50,000 datagrams/s into a consumer that drains once per 16 ms frame,
//! as the window does: the kernel's drops against the datagrams sent, with the receive buffer
//! the system gives by default (the old behaviour) and the 4 MiB netassist asks for now, in
//! the same run. Loopback only; bounded count and time.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

// The same allocator as the netassist binary, so the engine is measured as it ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::{SocketAddr, UdpSocket};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use netassist::engine::{Event, Session, SessionConfig};

const DATAGRAMS: u64 = 200_000;
const QUIET: Duration = Duration::from_millis(300);
const LIMIT: Duration = Duration::from_secs(30);
/// The paced flood: datagrams per second and how many.
const RATE: u64 = 50_000;
const PACED: u64 = 250_000;

fn blast(to: SocketAddr, size: usize) -> JoinHandle<f64> {
    std::thread::Builder::new()
        .name("bench-sender".into())
        .spawn(move || {
            let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
            let payload = vec![0xA5u8; size];
            let start = Instant::now();
            for _ in 0..DATAGRAMS {
                // A full socket buffer on loopback surfaces as an error on some kernels; the
                // datagram is then lost, which is the point of the exercise.
                let _ = socket.send_to(&payload, to);
            }
            start.elapsed().as_secs_f64()
        })
        .unwrap()
}

fn bare(size: usize) -> u64 {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(QUIET)).unwrap();
    let sender = blast(socket.local_addr().unwrap(), size);
    let mut buf = vec![0u8; 65_536];
    let mut got = 0;
    let start = Instant::now();
    while socket.recv_from(&mut buf).is_ok() && start.elapsed() < LIMIT {
        got += 1;
    }
    sender.join().unwrap();
    got
}

/// Sends `count` datagrams of 64 B at `rate` per second (paced per millisecond), then a
/// sentinel once the receiver has had time to read everything (it brings the kernel's final
/// drop count).
fn paced(to: SocketAddr, count: u64, rate: u64) -> JoinHandle<u64> {
    std::thread::Builder::new()
        .name("bench-paced".into())
        .spawn(move || {
            let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
            let payload = [0x5Au8; 64];
            let start = Instant::now();
            let mut sent = 0;
            while sent < count && start.elapsed() < LIMIT {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let due = ((start.elapsed().as_secs_f64() * rate as f64) as u64).min(count);
                while sent < due {
                    if socket.send_to(&payload, to).is_ok() {
                        sent += 1;
                    }
                }
                std::thread::sleep(Duration::from_micros(500));
            }
            std::thread::sleep(QUIET);
            socket.send_to(b"END", to).unwrap();
            sent
        })
        .unwrap()
}

/// One paced flood: (sent, received, engine drops, kernel drops, receive buffer granted).
fn paced_run(recv_buffer: Option<usize>, count: u64, rate: u64) -> (u64, u64, u64, u64, usize) {
    let mut config = SessionConfig::udp("127.0.0.1:0".parse().unwrap(), None);
    config.udp_recv_buffer = recv_buffer;
    let session = Session::open(config, None).unwrap();
    let addr = match session.events().recv_timeout(LIMIT).unwrap() {
        Event::Opened { local, .. } => local,
        other => panic!("{other:?}"),
    };
    let sender = paced(addr, count, rate);
    let (mut got, mut dropped, mut kernel, mut granted) = (0, 0, 0, 0);
    let start = Instant::now();
    let mut sentinel = false;
    while !sentinel && start.elapsed() < LIMIT * 2 {
        for event in session.events().try_iter() {
            match event {
                Event::Received { bytes, .. } if bytes.as_slice() == b"END" => sentinel = true,
                Event::Received { .. } => got += 1,
                Event::Dropped { total } => dropped = total,
                Event::KernelDropped { total } => kernel = total,
                Event::ReceiveBuffer { granted: g, .. } => granted = g,
                _ => {}
            }
        }
        // A frame of the window: events wait for the next one.
        std::thread::sleep(Duration::from_millis(16));
    }
    let sent = sender.join().unwrap();
    for event in session.close_and_wait() {
        match event {
            Event::Dropped { total } => dropped = total,
            Event::KernelDropped { total } => kernel = total,
            _ => {}
        }
    }
    (sent, got, dropped, kernel, granted)
}

fn engine(size: usize) -> (u64, u64, u64) {
    let session = Session::open(
        SessionConfig::udp("127.0.0.1:0".parse().unwrap(), None),
        None,
    )
    .unwrap();
    let addr = match session.events().recv_timeout(LIMIT).unwrap() {
        Event::Opened { local, .. } => local,
        other => panic!("{other:?}"),
    };
    let sender = blast(addr, size);
    let (mut got, mut dropped, mut kernel) = (0, 0, 0);
    let start = Instant::now();
    let mut idle_since = Instant::now();
    // Drain like the window does: take what is there, then wait a moment (no wake-up per event).
    while idle_since.elapsed() < QUIET && start.elapsed() < LIMIT {
        let mut any = false;
        for event in session.events().try_iter() {
            any = true;
            match event {
                Event::Received { .. } => got += 1,
                Event::Dropped { total } => dropped = total,
                Event::KernelDropped { total } => kernel = total,
                _ => {}
            }
        }
        if any {
            idle_since = Instant::now();
        } else {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    sender.join().unwrap();
    for event in session.close_and_wait() {
        match event {
            Event::Dropped { total } => dropped = total,
            Event::KernelDropped { total } => kernel = total,
            _ => {}
        }
    }
    // Drops at the very end of the burst are learnt with the next datagram, which never
    // comes here: `kernel` is a lower bound.
    (got, dropped, kernel)
}

fn main() {
    println!("UDP ingest of a {DATAGRAMS}-datagram burst over loopback (median of 3)");
    for size in [64, 1400] {
        let mut rows = Vec::new();
        for _ in 0..3 {
            let base = bare(size);
            let (ours, dropped, kernel) = engine(size);
            rows.push((base, ours, dropped, kernel));
        }
        rows.sort_by(|a, b| (a.1 as f64 / a.0 as f64).total_cmp(&(b.1 as f64 / b.0 as f64)));
        let (base, ours, dropped, kernel) = rows[1];
        println!(
            "  {size:>5} B: bare recv_from {base:>7} received; netassist {ours:>7} received, {dropped} dropped by the engine, >= {kernel} by the kernel ({:5.1} % of bare, goal >= 95 %)",
            ours as f64 / base as f64 * 100.0
        );
    }
    println!(
        "Kernel drops of {PACED} datagrams of 64 B at {RATE}/s, consumer draining every 16 ms (2 rounds, alternating)"
    );
    for round in 1..=2 {
        for (name, buffer) in [
            ("system default buffer (old)", None),
            (
                "4 MiB asked (new default)",
                Some(SessionConfig::DEFAULT_UDP_RECV_BUFFER),
            ),
        ] {
            let (sent, got, dropped, kernel, granted) = paced_run(buffer, PACED, RATE);
            println!(
                "  round {round}, {name:<28}: granted {:>5} KiB; sent {sent}, received {got}, engine drops {dropped}, kernel drops {kernel} ({:.3} % of sent; goal <= 0.1 %), accounted {}",
                granted / 1024,
                kernel as f64 / sent as f64 * 100.0,
                if got + dropped + kernel == sent {
                    "exactly"
                } else {
                    "NOT exactly"
                }
            );
        }
    }
}
