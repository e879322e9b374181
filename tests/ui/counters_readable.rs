//! The status bar's byte counters read at a glance ("1.5 KiB"), the exact count in a tooltip.

use std::io::Write as _;

use crate::ui_support::{server_with_client, shows, wait_for};
use egui_kittest::kittest::Queryable as _;

#[test]
fn the_status_bar_shows_readable_bytes_and_the_exact_count_on_hover() {
    let (mut h, mut peer) = server_with_client();
    peer.write_all(&[b'x'; 1536]).unwrap();
    wait_for(&mut h, "1536 bytes", |h| {
        h.state().sessions[0].counters.rx_bytes == 1536
    });
    h.step();
    assert!(
        shows(&h, "RX 1.5 KiB /"),
        "binary units in the status bar, as the rates and caps"
    );
    assert!(!shows(&h, "1536 B"), "not the raw count");
    h.get_by_label_contains("RX 1.5 KiB /").hover();
    // Tooltips appear after the pointer rests.
    for _ in 0..30 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(shows(&h, "RX 1 536 B"), "the exact count in the tooltip");
}
