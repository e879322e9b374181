//! During a fast TCP stream the log never goes blank: every frame shows data rows, and the
//! newest record's text is on screen however far the full layout is behind.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::ui_support::{last_tick, server_with_client, shows, tick_flood};
use egui_kittest::kittest::Queryable as _;

#[test]
fn a_flood_keeps_the_newest_rows_on_screen_in_every_frame() {
    let (mut h, peer) = server_with_client();
    // A small cap, as in a long flood: old records are trimmed while the layout catches up.
    h.state_mut().sessions[0].settings.receive.log_max_mib = 4;
    let stop = Arc::new(AtomicBool::new(false));
    let sender = tick_flood(peer, Arc::clone(&stop));

    let started = Instant::now();
    let mut checked = 0;
    let mut trimmed_seen = false;
    while checked < 60 && started.elapsed() < Duration::from_secs(8) {
        h.step();
        let log = &h.state().sessions[0].log;
        let Some(newest) = log.end_seq().checked_sub(1).and_then(|seq| log.get(seq)) else {
            continue;
        };
        let Some(token) = last_tick(newest.1).map(str::to_owned) else {
            continue;
        };
        trimmed_seen |= log.trimmed() > 0;
        checked += 1;
        assert!(
            shows(&h, "tick-"),
            "frame {checked}: no data row on screen during the flood"
        );
        // On screen: inside the log's area (a row placed outside the view is in the
        // accessibility tree but not seen).
        let area = h.state().layout.log.expect("the log is drawn");
        let rects: Vec<_> = h
            .query_all_by_label_contains(&token)
            .map(|n| n.rect())
            .collect();
        assert!(
            rects.iter().any(|r| area.contains_rect(*r)),
            "frame {checked}: the newest record's {token} is not inside the log {area:?}: {rects:?}"
        );
    }
    stop.store(true, Ordering::Relaxed);
    h.state_mut().sessions[0].close(netassist::app::i18n::Lang::En);
    sender.join().expect("the flood thread ends");
    assert!(checked >= 20, "only {checked} frames saw data");
    assert!(trimmed_seen, "the flood was long enough to trim the log");
}
