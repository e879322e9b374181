//! Searching the log in the window: text and hex find the same bytes, the count is shown,
//! Enter steps through the matches, and the direction filter narrows them.

use std::io::Write as _;

use crate::ui_support::{send_text, server_with_client, shows, wait_for};
use eframe::egui;
use egui_kittest::kittest::Queryable as _;

fn type_search(h: &mut egui_kittest::Harness<'_, netassist::app::NetAssistApp>, text: &str) {
    h.state_mut().sessions[0]
        .log_view
        .search
        .query
        .pattern
        .clear();
    h.step();
    h.get_by_label("Search log").focus();
    h.step();
    h.get_by_label("Search log").type_text(text);
    h.step();
    h.step();
}

#[test]
fn search_counts_matches_steps_through_them_and_filters() {
    let (mut h, mut peer) = server_with_client();
    for (i, chunk) in ["alpha beta\n", "gamma alpha\n", "delta\n", "al"]
        .iter()
        .enumerate()
    {
        peer.write_all(chunk.as_bytes()).unwrap();
        wait_for(&mut h, "the chunk to arrive", |h| {
            h.state().sessions[0].counters.rx_packets > i as u64
        });
    }
    // "al" + "pha" arrive in two reads: the match spans two records of the stream.
    peer.write_all(b"pha!\n").unwrap();
    wait_for(&mut h, "the last chunk", |h| {
        h.state().sessions[0].counters.rx_bytes == 36
    });

    type_search(&mut h, "alpha");
    assert_eq!(h.state().sessions[0].log_view.search.query.pattern, "alpha");
    assert!(shows(&h, "3 matches"), "two whole, one across two reads");

    h.get_by_label("Search log").focus();
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
    assert!(shows(&h, "1 / 3 matches"), "Enter goes to the first match");
    h.get_by_label("↓").click();
    h.step();
    assert!(shows(&h, "2 / 3 matches"));
    h.get_by_label("↑").click();
    h.step();
    h.get_by_label("↑").click();
    h.step();
    assert!(shows(&h, "3 / 3 matches"), "previous wraps around");

    // The same bytes as hex.
    h.get_by_label("Hex").click();
    h.step();
    type_search(&mut h, "61 6C 70 68 61");
    assert!(shows(&h, "3 matches"));
    type_search(&mut h, "6G");
    assert!(shows(&h, "invalid hex"), "a bad pattern says why");
    h.get_by_label("Text").click();
    h.step();

    // A sent "alpha" counts too, until only received records are searched.
    send_text(&mut h, "alpha");
    wait_for(&mut h, "the send", |h| {
        h.state().sessions[0].counters.tx_bytes == 5
    });
    type_search(&mut h, "alpha");
    assert!(shows(&h, "4 matches"));
    h.get_by_label("Direction").click();
    h.step();
    h.step();
    h.get_by_label("Received").click();
    h.step();
    h.step();
    assert!(
        shows(&h, "3 matches"),
        "the direction filter applies to the search"
    );
    type_search(&mut h, "nowhere");
    assert!(shows(&h, "no match"));
}
