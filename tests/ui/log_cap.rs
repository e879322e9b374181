//! Lowering the log cap in the receive settings trims the oldest records at once and the
//! view says how many were trimmed; the counters keep every byte.

use std::io::Write as _;

use crate::ui_support::{server_with_client, shows, wait_for};
use eframe::egui;
use egui_kittest::kittest::Queryable as _;

#[test]
fn lowering_max_records_trims_and_shows_the_count() {
    let (mut h, mut peer) = server_with_client();
    for i in 0..10u64 {
        peer.write_all(format!("line {i}\n").as_bytes()).unwrap();
        wait_for(&mut h, "the line to arrive", |h| {
            h.state().sessions[0].counters.rx_packets == i + 1
        });
    }
    let held = h.state().sessions[0].log.len();
    assert_eq!(held, 12, "listening, connected and ten lines");
    assert!(!shows(&h, "older records trimmed"));

    let field = h.get_by_label("Max records");
    field.focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.get_by_label("Max records").type_text("4");
    h.step();
    assert_eq!(
        h.state().sessions[0].settings.receive.log_max_records,
        1_000_000,
        "nothing applied while typing"
    );
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();

    let view = &h.state().sessions[0];
    assert_eq!(view.settings.receive.log_max_records, 4);
    assert_eq!(view.log.len(), 4);
    assert_eq!(view.log.trimmed(), 8);
    assert_eq!(view.counters.rx_packets, 10, "counters are not trimmed");
    assert!(shows(&h, "8 older records trimmed"));
    assert!(
        shows(&h, "line 9") && !shows(&h, "line 5"),
        "the newest stay"
    );

    // A bad value is refused with a sentence and changes nothing.
    h.get_by_label("Max records").focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Max records").type_text("zero");
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
    assert!(shows(&h, "must be a whole number above 0"));
    assert_eq!(h.state().sessions[0].settings.receive.log_max_records, 4);
}
