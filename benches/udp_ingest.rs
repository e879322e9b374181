//! UDP ingest: how many of a burst of datagrams the engine hands over, against a bare
//! `recv_from` loop on the same machine in the same run; 64 B and 1400 B datagrams.
//! Datagrams the engine could not queue are counted by it (`Dropped`); the rest of the gap is
//! what the kernel dropped. Loopback only; bounded count and time.

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

fn engine(size: usize) -> (u64, u64) {
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
    let (mut got, mut dropped) = (0, 0);
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
        if let Event::Dropped { total } = event {
            dropped = total;
        }
    }
    (got, dropped)
}

fn main() {
    println!("UDP ingest of a {DATAGRAMS}-datagram burst over loopback (median of 3)");
    for size in [64, 1400] {
        let mut rows = Vec::new();
        for _ in 0..3 {
            let base = bare(size);
            let (ours, dropped) = engine(size);
            rows.push((base, ours, dropped));
        }
        rows.sort_by(|a, b| (a.1 as f64 / a.0 as f64).total_cmp(&(b.1 as f64 / b.0 as f64)));
        let (base, ours, dropped) = rows[1];
        println!(
            "  {size:>5} B: bare recv_from {base:>7} received; netassist {ours:>7} received, {dropped} counted as dropped ({:5.1} % of bare, goal >= 95 %)",
            ours as f64 / base as f64 * 100.0
        );
    }
}
