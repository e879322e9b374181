//! Shared helpers for the integration tests: loopback addresses and bounded waits on events.
#![allow(dead_code)] // each test file uses its own subset
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use netassist::engine::{Event, Session, SessionConfig, SessionHandle};

/// How long any single wait in a test may take before it fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// `127.0.0.1:0`: the system picks a free port.
pub fn any_local_v4() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// `[::1]:0`.
pub fn any_local_v6() -> SocketAddr {
    "[::1]:0".parse().unwrap()
}

/// Opens a session and waits for `Opened`; returns the handle and the local address.
pub fn open(config: SessionConfig) -> (SessionHandle, SocketAddr) {
    let session = Session::open(config, None).expect("open session");
    let local = match next_matching(&session, |e| {
        matches!(e, Event::Opened { .. } | Event::Failed(_))
    }) {
        Event::Opened { local, .. } => local,
        other => panic!("session did not open: {other:?}"),
    };
    (session, local)
}

/// Waits for the first event that matches, skipping others; fails after `PATIENCE`.
pub fn next_matching(session: &SessionHandle, mut pred: impl FnMut(&Event) -> bool) -> Event {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match session.events().recv_timeout(left) {
            Ok(event) if pred(&event) => return event,
            Ok(_) => {}
            Err(err) => panic!("no matching event within {PATIENCE:?}: {err}"),
        }
    }
}

/// Collects received bytes until `len` have arrived; fails after `PATIENCE`.
pub fn receive_exactly(session: &SessionHandle, len: usize) -> Vec<u8> {
    let mut got = Vec::with_capacity(len);
    let deadline = Instant::now() + PATIENCE;
    while got.len() < len {
        let left = deadline.saturating_duration_since(Instant::now());
        match session.events().recv_timeout(left) {
            Ok(Event::Received { bytes, .. }) => got.extend_from_slice(&bytes),
            Ok(Event::Closed) => panic!("session closed after {} of {len} bytes", got.len()),
            Ok(_) => {}
            Err(err) => panic!(
                "only {} of {len} bytes within {PATIENCE:?}: {err}",
                got.len()
            ),
        }
    }
    got
}

/// Deterministic pseudo-random bytes (no extra crate): a simple LCG.
pub fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u8
        })
        .collect()
}
