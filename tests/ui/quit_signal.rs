//! A signal (SIGTERM, SIGINT) closes the window without the question about open sessions, so
//! eframe saves the settings on the way out.

use std::sync::atomic::Ordering;

use crate::ui_support::{harness, open};
use eframe::egui;
use netassist::app::settings::Protocol;

fn asked_to_close(h: &egui_kittest::Harness<'_, netassist::app::NetAssistApp>) -> bool {
    h.output()
        .viewport_output
        .values()
        .any(|v| v.commands.contains(&egui::ViewportCommand::Close))
}

#[test]
fn a_signal_closes_an_open_window_without_the_question() {
    let mut h = harness(Protocol::Udp);
    open(&mut h);
    h.state().terminating.store(true, Ordering::Relaxed);
    h.step();
    assert!(asked_to_close(&h), "the window closes");
    assert_eq!(h.state().confirm, None, "no question in the way");
}
