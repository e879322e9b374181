//! Every UDP datagram that reaches netassist's socket is accounted for: shown, dropped by the
//! engine (`Dropped`: the event queue and the burst allowance were full) or dropped by the
//! kernel (`KernelDropped`: the socket's receive buffer was full). Real loopback sockets.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::collections::HashSet;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use crate::cli_support::netassist;
use crate::util::{PATIENCE, any_local_v4, open};
use netassist::engine::{Event, SessionConfig, SessionHandle};

/// Datagrams in a flood.
const FLOOD: u32 = 3_000;
/// The sentinel that ends a flood: sent once the flood is over and read, it carries the kernel's
/// final drop count (the count comes with the next datagram read).
const SENTINEL: &[u8] = b"END\n";

/// Sends `count` numbered datagrams as fast as the sender can; returns how many the sender
/// handed to the kernel (all of them, unless a send failed).
fn flood(to: SocketAddr, count: u32) -> u32 {
    let socket = UdpSocket::bind(any_local_v4()).unwrap();
    let mut sent = 0;
    for seq in 0..count {
        let mut payload = format!("{seq:06}\n").into_bytes();
        payload.resize(64, b'.');
        if socket.send_to(&payload, to).is_ok() {
            sent += 1;
        }
    }
    sent
}

/// What a session reported while its events were taken until `done` says so (bounded by
/// `PATIENCE`).
#[derive(Default, Debug)]
struct Tally {
    numbered: HashSet<u32>,
    sentinels: u32,
    dropped: u64,
    kernel_dropped: u64,
}

impl Tally {
    fn apply(&mut self, event: Event) {
        match event {
            Event::Received { bytes, .. } if bytes.as_slice() == SENTINEL => self.sentinels += 1,
            Event::Received { bytes, .. } => {
                let seq: u32 = std::str::from_utf8(&bytes[..6]).unwrap().parse().unwrap();
                assert!(self.numbered.insert(seq), "datagram {seq} shown twice");
            }
            Event::Dropped { total } => self.dropped = total,
            Event::KernelDropped { total } => self.kernel_dropped = total,
            _ => {}
        }
    }

    /// Takes events until `done` says so.
    fn take(&mut self, session: &SessionHandle, mut done: impl FnMut(&Self) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            match session.events().recv_timeout(left) {
                Ok(event) => self.apply(event),
                Err(err) => panic!("{err} after {PATIENCE:?}; so far {self:?}"),
            }
        }
    }

    /// Takes events until none came for `quiet`.
    fn settle(&mut self, session: &SessionHandle, quiet: Duration) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            match session.events().recv_timeout(quiet) {
                Ok(event) => self.apply(event),
                Err(_) => return,
            }
        }
        panic!("events did not stop within {PATIENCE:?}");
    }
}

/// One flood into a fresh session; the tally once all is counted, and what was sent.
fn flood_and_count() -> (Tally, u64) {
    let mut config = SessionConfig::udp(any_local_v4(), None);
    // A tiny event queue and burst allowance make the engine drop; a tiny receive buffer
    // (the kernel's minimum, a few datagrams) makes the kernel drop.
    config.event_capacity = 8;
    config.udp_burst_bytes = 2048;
    config.udp_recv_buffer = Some(1);
    let (udp, addr) = open(config);
    // The consumer is away during the flood, as a busy window is.
    let sent = flood(addr, FLOOD);
    let mut tally = Tally::default();
    tally.settle(&udp, Duration::from_millis(300));
    // The kernel's count arrives with the next datagram read: a sentinel, sent once all is
    // quiet (so nothing drops it), brings the final count.
    let sentinel = UdpSocket::bind(any_local_v4()).unwrap();
    sentinel.send_to(SENTINEL, addr).unwrap();
    tally.take(&udp, |t| t.sentinels == 1);
    tally.settle(&udp, Duration::from_millis(100));
    (tally, u64::from(sent))
}

#[test]
fn every_datagram_of_a_flood_is_shown_or_counted_as_dropped_by_the_engine_or_the_kernel() {
    // Every flood must add up exactly. The engine's own drops need its I/O thread to read
    // while its allowance is full; on a machine so loaded that the thread barely runs, the
    // kernel drops all the excess itself. So a flood may be repeated (at most three) until
    // both kinds of drop were seen, each one checked in full.
    let mut seen = (false, false);
    for attempt in 1..=3 {
        let (tally, sent) = flood_and_count();
        let shown = tally.numbered.len() as u64;
        assert!(tally.numbered.iter().all(|seq| *seq < FLOOD));
        assert_eq!(
            shown + tally.dropped + tally.kernel_dropped,
            sent,
            "attempt {attempt}: shown {shown} + engine drops {} + kernel drops {} must be \
             the {sent} sent",
            tally.dropped,
            tally.kernel_dropped
        );
        seen = (
            seen.0 || tally.dropped > 0,
            seen.1 || tally.kernel_dropped > 0,
        );
        if seen == (true, true) {
            return;
        }
        eprintln!("attempt {attempt}: drops by the engine and the kernel not both seen: {tally:?}");
    }
    panic!("three floods did not overflow both the engine and the kernel: {seen:?}");
}

#[test]
fn the_receive_buffer_granted_is_reported() {
    let mut config = SessionConfig::udp(any_local_v4(), None);
    config.udp_recv_buffer = Some(64 * 1024);
    let (udp, _) = open(config);
    let Event::ReceiveBuffer { asked, granted } =
        crate::util::next_matching(&udp, |e| matches!(e, Event::ReceiveBuffer { .. }))
    else {
        unreachable!()
    };
    assert_eq!(asked, Some(64 * 1024));
    // Linux grants what was asked up to net.core.rmem_max (≥ 208 KiB by default), and reads
    // back double; the engine reports the room for data.
    if cfg!(target_os = "linux") {
        assert_eq!(granted, 64 * 1024);
    } else {
        assert!(granted > 0);
    }

    // The default asks for 4 MiB; what comes back is what the system allows, never 0.
    let (udp, _) = open(SessionConfig::udp(any_local_v4(), None));
    match crate::util::next_matching(&udp, |e| matches!(e, Event::ReceiveBuffer { .. })) {
        Event::ReceiveBuffer { asked, granted } => {
            assert_eq!(asked, Some(SessionConfig::DEFAULT_UDP_RECV_BUFFER));
            assert!(granted > 0 && granted <= SessionConfig::DEFAULT_UDP_RECV_BUFFER);
            if let Some(max) = rmem_max() {
                assert_eq!(granted, SessionConfig::DEFAULT_UDP_RECV_BUFFER.min(max));
            }
        }
        _ => unreachable!(),
    }
}

/// `net.core.rmem_max` on Linux.
fn rmem_max() -> Option<usize> {
    std::fs::read_to_string("/proc/sys/net/core/rmem_max")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Bytes waiting in the receive queue of the IPv4 UDP socket bound to `addr`'s port, from
/// `/proc/net/udp` (Linux).
fn rx_queue(addr: SocketAddr) -> Option<u64> {
    let table = std::fs::read_to_string("/proc/net/udp").ok()?;
    let local = format!("0100007F:{:04X}", addr.port());
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) != Some(&local.as_str()) {
            return None;
        }
        let queues = fields.get(4)?;
        u64::from_str_radix(queues.split(':').nth(1)?, 16).ok()
    })
}

#[test]
#[cfg(target_os = "linux")]
fn datagrams_left_in_the_socket_are_read_into_the_burst_allowance_while_the_consumer_is_busy() {
    let mut config = SessionConfig::udp(any_local_v4(), None);
    config.event_capacity = 8;
    let (udp, addr) = open(config);
    // The consumer takes nothing while a burst arrives all at once: more than one read's
    // worth waits in the socket after the first readiness.
    let sent = flood(addr, 1_000);
    let deadline = Instant::now() + PATIENCE;
    let mut queued = rx_queue(addr).unwrap();
    while queued > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        queued = rx_queue(addr).unwrap();
    }
    assert_eq!(
        queued, 0,
        "the socket's queue must be read into the burst allowance while the consumer is busy"
    );
    // And nothing was lost on the way: the burst allowance (32 MiB) holds it all.
    let mut tally = Tally::default();
    tally.settle(&udp, Duration::from_millis(300));
    assert_eq!(tally.numbered.len() as u64, u64::from(sent), "{tally:?}");
    assert_eq!((tally.dropped, tally.kernel_dropped), (0, 0));
}

#[test]
fn the_cli_totals_line_accounts_for_every_datagram() {
    let mut cli = netassist(&[
        "udp",
        "--bind",
        "127.0.0.1:0",
        "--show",
        "text",
        "--recv-buffer",
        "1K",
    ]);
    let addr = cli.local_addr("bound to ");
    // The receive buffer it got is said (the kernel's minimum here: far less than a flood).
    cli.stderr_line("receive buffer ");

    let sent = flood(addr, FLOOD);
    std::thread::sleep(Duration::from_millis(300));
    let sentinel = UdpSocket::bind(any_local_v4()).unwrap();
    sentinel.send_to(SENTINEL, addr).unwrap();
    while !cli.out.ends_with(SENTINEL) {
        let len = cli.out.len();
        cli.stdout_at_least(len + 1);
    }
    cli.terminate();
    let totals = cli.stderr_line("closed (received ");
    let (code, out, err) = cli.finish();
    assert_eq!(code, 0, "{err}");

    // "…; 2871 datagrams received, 0 dropped by netassist, 130 dropped by the system)"
    let number_before = |label: &str| -> u64 {
        let end = totals
            .find(label)
            .unwrap_or_else(|| panic!("{label:?} in {totals:?}"));
        totals[..end]
            .trim_end()
            .rsplit([' ', ';', ','])
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let received = number_before(" datagrams received");
    let dropped = number_before(" dropped by netassist");
    let kernel = number_before(" dropped by the system");
    assert!(kernel > 0, "a 1 KiB receive buffer must overflow: {totals}");
    assert_eq!(
        received + dropped + kernel,
        u64::from(sent) + 1,
        "the flood and the sentinel: {totals}"
    );
    // What was shown is what was counted as received.
    let shown_lines = String::from_utf8_lossy(&out).lines().count() as u64;
    assert_eq!(shown_lines, received, "{totals}");
    assert!(err.contains("the system dropped"), "{err}");
}

#[test]
fn a_bad_receive_buffer_size_exits_2_with_what_to_write() {
    for bad in ["4X", "1.5M", "2G", "M"] {
        let (code, _, err) =
            netassist(&["udp", "--bind", "127.0.0.1:0", "--recv-buffer", bad]).finish();
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(
            err.contains(&format!("--recv-buffer {bad}: give a size like 4M")),
            "{bad}: {err}"
        );
        assert!(!err.contains("bound to"), "nothing opens: {err}");
    }
}

#[test]
fn the_cli_says_when_the_system_grants_less_than_asked_and_how_to_raise_it() {
    let Some(max) = rmem_max() else {
        return; // not Linux: nothing caps it the same way
    };
    let asked = 1024 * 1024 * 1024;
    assert!(
        max < asked,
        "rmem_max {max} is at least 1 GiB: nothing to see"
    );
    let (code, _, err) = netassist(&[
        "udp",
        "--bind",
        "127.0.0.1:0",
        "--recv-buffer",
        "1G",
        "--duration",
        "0.2",
    ])
    .finish();
    assert_eq!(code, 0, "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("receive buffer "))
        .unwrap_or_else(|| panic!("no receive buffer line: {err:?}"));
    assert!(
        line.contains(&format!("receive buffer {} KiB", max / 1024))
            && line.contains("asked for 1048576 KiB")
            && line.contains(&format!("net.core.rmem_max={asked}")),
        "{line}"
    );
}
