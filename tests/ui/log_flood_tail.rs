//! During a fast TCP stream the log never goes blank: every frame shows data rows, and the
//! newest record's text is on screen however far the full layout is behind.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::ui_support::{server_with_client, shows};

/// The last whole `tick-NNNNNNNN` token in `text`, if any.
fn last_token(text: &str) -> Option<&str> {
    let mut end = text.len();
    while let Some(at) = text[..end].rfind("tick-") {
        let token = text.get(at..at + 13)?;
        if token.len() == 13 && token[5..].bytes().all(|b| b.is_ascii_digit()) {
            return Some(token);
        }
        end = at;
    }
    None
}

#[test]
fn a_flood_keeps_the_newest_rows_on_screen_in_every_frame() {
    let (mut h, mut peer) = server_with_client();
    // A small cap, as in a long flood: old records are trimmed while the layout catches up.
    h.state_mut().sessions[0].settings.receive.log_max_mib = 4;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let sender = std::thread::Builder::new()
        .name("test-flood".into())
        .spawn(move || {
            let started = Instant::now();
            let mut n = 0u64;
            let mut chunk = String::with_capacity(70_000);
            // Bounded: 10 s or 2 GiB, whichever comes first (the test stops it sooner).
            while !flag.load(Ordering::Relaxed)
                && started.elapsed() < Duration::from_secs(10)
                && n < 150_000_000
            {
                chunk.clear();
                while chunk.len() < 64 * 1024 {
                    let _ = writeln!(chunk, "tick-{n:08} flood line of telemetry");
                    n += 1;
                }
                if peer.write_all(chunk.as_bytes()).is_err() {
                    break;
                }
            }
        })
        .expect("thread started");

    let started = Instant::now();
    let mut checked = 0;
    let mut trimmed_seen = false;
    while checked < 60 && started.elapsed() < Duration::from_secs(8) {
        h.step();
        let log = &h.state().sessions[0].log;
        let Some(newest) = log.end_seq().checked_sub(1).and_then(|seq| log.get(seq)) else {
            continue;
        };
        let Some(token) = last_token(newest.1).map(str::to_owned) else {
            continue;
        };
        trimmed_seen |= log.trimmed() > 0;
        checked += 1;
        assert!(
            shows(&h, "tick-"),
            "frame {checked}: no data row on screen during the flood"
        );
        assert!(
            shows(&h, &token),
            "frame {checked}: the newest record's {token} is not on screen"
        );
    }
    stop.store(true, Ordering::Relaxed);
    h.state_mut().sessions[0].close(netassist::app::i18n::Lang::En);
    sender.join().expect("the flood thread ends");
    assert!(checked >= 20, "only {checked} frames saw data");
    assert!(trimmed_seen, "the flood was long enough to trim the log");
}
