//! Cyclic send at a 1 ms interval for 5 s: sends per second and the interval error, for the
//! engine's repeat timer and, as a baseline in the same run, a naive `send; sleep(1 ms)` loop.
//!
//! Goals: ≥ 950 sends/s and p99 interval error ≤ 1 ms. Loopback UDP; 5 s each.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

// The same allocator as the netassist binary, so the engine is measured as it ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use netassist::engine::{Command, Event, Payload, Session, SessionConfig, Target};

const INTERVAL: Duration = Duration::from_millis(1);
const RUN: Duration = Duration::from_secs(5);

/// Arrival times of datagrams at `socket` until `RUN` plus a grace period has passed.
fn arrivals(socket: &UdpSocket) -> Vec<Instant> {
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut times = Vec::with_capacity(6_000);
    let mut buf = [0u8; 64];
    let start = Instant::now();
    while start.elapsed() < RUN + Duration::from_secs(1) {
        if socket.recv_from(&mut buf).is_ok() {
            times.push(Instant::now());
        } else if !times.is_empty() {
            break;
        }
    }
    times
}

fn report(name: &str, times: &[Instant]) -> (f64, f64) {
    let span = times.last().unwrap().duration_since(times[0]).as_secs_f64();
    let rate = (times.len() - 1) as f64 / span;
    let mut errors: Vec<f64> = times
        .windows(2)
        .map(|w| (w[1].duration_since(w[0]).as_secs_f64() - INTERVAL.as_secs_f64()).abs() * 1e3)
        .collect();
    errors.sort_by(f64::total_cmp);
    let p50 = errors[errors.len() / 2];
    let p99 = errors[errors.len() * 99 / 100];
    println!(
        "  {name:<34} {:5} sends, {rate:7.1}/s, interval error p50 {p50:.3} ms, p99 {p99:.3} ms",
        times.len()
    );
    (rate, p99)
}

fn main() {
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = receiver.local_addr().unwrap();
    println!(
        "Cyclic send every 1 ms for {} s over loopback UDP",
        RUN.as_secs()
    );

    let naive = std::thread::Builder::new()
        .name("bench-naive".into())
        .spawn(move || {
            let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
            let start = Instant::now();
            while start.elapsed() < RUN {
                socket.send_to(b"tick", to).unwrap();
                std::thread::sleep(INTERVAL);
            }
        })
        .unwrap();
    let times = arrivals(&receiver);
    naive.join().unwrap();
    let (base_rate, base_p99) = report("baseline: send; sleep(1 ms)", &times);

    let session = Session::open(
        SessionConfig::udp("127.0.0.1:0".parse().unwrap(), Some(to.to_string())),
        None,
    )
    .unwrap();
    let count = (RUN.as_millis() / INTERVAL.as_millis()) as u64;
    session.send(Command::Repeat {
        payload: Payload::from(&b"tick"[..]),
        to: Target::Default,
        interval: INTERVAL,
        count: Some(count),
    });
    let drain = std::thread::Builder::new()
        .name("bench-drain".into())
        .spawn(move || {
            for event in session.events() {
                if matches!(event, Event::RepeatFinished { .. }) {
                    break;
                }
            }
        })
        .unwrap();
    let times = arrivals(&receiver);
    drain.join().unwrap();
    let (rate, p99) = report("netassist repeat timer", &times);
    println!(
        "  ratio of rates {:.2}, of p99 errors {:.2} (goals: >= 950/s, p99 <= 1 ms)",
        rate / base_rate,
        p99 / base_p99.max(1e-9)
    );
}
