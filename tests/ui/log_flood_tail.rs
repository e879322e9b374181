//! During a fast TCP stream the log never goes blank: every frame shows data rows, and the
//! newest record's text is on screen however far the full layout is behind.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::ui_support::{check_newest_row_in_every_frame, server_with_client, tick_flood};

#[test]
fn a_flood_keeps_the_newest_rows_on_screen_in_every_frame() {
    let (mut h, peer) = server_with_client();
    // A small cap, as in a long flood: old records are trimmed while the layout catches up.
    h.state_mut().sessions[0].settings.receive.log_max_mib = 4;
    let stop = Arc::new(AtomicBool::new(false));
    let sender = tick_flood(peer, Arc::clone(&stop));

    let (checked, trimmed_seen) = check_newest_row_in_every_frame(&mut h, |h| {
        h.state().layout.log.expect("the log is drawn")
    });
    stop.store(true, Ordering::Relaxed);
    h.state_mut().sessions[0].close(netassist::app::i18n::Lang::En);
    sender.join().expect("the flood thread ends");
    assert!(checked >= 20, "only {checked} frames saw data");
    assert!(trimmed_seen, "the flood was long enough to trim the log");
}
