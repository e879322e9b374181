//! The send area: a file send's progress is seen under the send box, cyclic send's interval
//! and count can be typed before it is ticked, the throughput plot has a real checkbox.
//! Real loopback sockets and real files.

use std::io::Read as _;
use std::time::{Duration, Instant};

use crate::ui_support::{DEADLINE, harness, server_with_client, wait_for};
use egui_kittest::kittest::Queryable as _;
use netassist::app::settings::Protocol;

use eframe::egui::accesskit::Role;

#[test]
fn a_file_sends_with_its_progress_in_the_send_area() {
    let (mut h, mut peer) = server_with_client();
    let path = std::env::temp_dir().join(format!("netassist-progress-{}.bin", std::process::id()));
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).expect("write the file");
    h.state_mut().sessions[0].settings.send.file_path = path.display().to_string();
    h.step();
    let button = h.get_by_role_and_label(Role::Button, "Send file");
    button.scroll_to_me();
    h.step();
    h.get_by_role_and_label(Role::Button, "Send file")
        .click_accesskit();
    h.step();
    // The client reads everything while the window runs.
    peer.set_read_timeout(Some(Duration::from_millis(20)))
        .expect("timeout set");
    let mut got = Vec::new();
    let mut buf = vec![0u8; 65536];
    let deadline = Instant::now() + DEADLINE;
    while got.len() < data.len() {
        assert!(
            Instant::now() < deadline,
            "only {} bytes arrived ({:?}, {:?})",
            got.len(),
            h.state().sessions[0].file_error,
            h.state().sessions[0].file_progress
        );
        h.step();
        if let Ok(n) = peer.read(&mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
    }
    assert_eq!(got, data, "the file arrived whole");
    wait_for(&mut h, "the progress to reach the end", |h| {
        h.state().sessions[0]
            .file_progress
            .as_ref()
            .is_some_and(|p| p.sent == p.total && p.total == 200_000)
    });
    h.step();
    let bar = h.get_by_role(Role::ProgressIndicator).rect();
    let layout = h.state().layout;
    let send_box = layout.send_box.expect("the send box");
    assert!(
        send_box.contains_rect(bar),
        "the progress {bar:?} is in the send area {send_box:?}"
    );
    assert!(layout.screen.contains_rect(bar), "and on screen");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn interval_and_count_can_be_typed_before_ticking_cyclic_send() {
    let mut h = harness(Protocol::TcpServer);
    h.step();
    assert!(!h.state().sessions[0].settings.send.repeat);
    for (field, text) in [("Interval (ms)", "250"), ("Count", "7")] {
        h.get_by_label(field).focus();
        h.step();
        h.get_by_label(field).type_text(text);
        h.step();
    }
    let send = &h.state().sessions[0].settings.send;
    assert!(!send.repeat, "still not ticked");
    assert!(
        send.interval_ms.ends_with("250"),
        "interval typed: {}",
        send.interval_ms
    );
    assert!(send.count.ends_with('7'), "count typed: {}", send.count);
}

#[test]
fn throughput_is_a_checkbox() {
    let mut h = harness(Protocol::TcpServer);
    h.step();
    let toggle = h.get_by_role_and_label(Role::CheckBox, "Throughput");
    toggle.click();
    h.step();
    assert!(
        h.state().sessions[0].log_view.plot.shown,
        "the plot is shown"
    );
}
