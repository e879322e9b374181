//! Arriving data repaints the window at most `data_fps` times a second; a focused text box
//! asks for no repaint while nothing happens (no blinking cursor redrawing the window).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::ui_support::harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::settings::Protocol;

/// Records the delay of every repaint asked for on the harness's context.
fn repaint_delays(
    h: &egui_kittest::Harness<'_, netassist::app::NetAssistApp>,
) -> Arc<Mutex<Vec<Duration>>> {
    let delays = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&delays);
    h.ctx.set_request_repaint_callback(move |info| {
        seen.lock().expect("not poisoned").push(info.delay);
    });
    delays
}

#[test]
fn data_repaints_wait_for_the_interval_after_a_frame() {
    let mut h = harness(Protocol::Udp);
    h.step();
    let delays = repaint_delays(&h);
    // Data arrives right after a frame began: the repaint waits for the rest of 1/30 s.
    h.state_mut().drain_events();
    let notify = h.state().notify();
    notify();
    let first = delays
        .lock()
        .unwrap()
        .last()
        .copied()
        .expect("a repaint asked for");
    assert!(
        first > Duration::from_millis(20) && first <= Duration::from_micros(33_334),
        "capped at 30 a second by default: {first:?}"
    );
    // A setting of 10 a second, typed into the window's field and saved with the settings.
    set_fps(&mut h, 10);
    assert_eq!(
        h.state().app_settings().data_fps,
        10,
        "saved with the settings"
    );
    for _ in 0..3 {
        h.step();
    }
    delays.lock().unwrap().clear();
    h.state_mut().drain_events();
    notify();
    let capped = delays
        .lock()
        .unwrap()
        .last()
        .copied()
        .expect("a repaint asked for");
    assert!(
        capped > Duration::from_millis(70),
        "capped at 10 a second: {capped:?}"
    );
    // Long after the last frame: at once.
    std::thread::sleep(Duration::from_millis(120));
    notify();
    let now = delays
        .lock()
        .unwrap()
        .last()
        .copied()
        .expect("a repaint asked for");
    assert_eq!(now, Duration::ZERO, "a lone packet is drawn at once");
}

/// Types `fps` into the window's Data fps field.
fn set_fps(h: &mut egui_kittest::Harness<'_, netassist::app::NetAssistApp>, fps: u32) {
    h.get_by_label("Data fps").click();
    h.step();
    h.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    h.step();
    h.get_by_label("Data fps").type_text(&fps.to_string());
    h.step();
    h.key_press(eframe::egui::Key::Enter);
    h.step();
    h.step();
    assert_eq!(h.state().data_fps, fps, "the field took {fps}");
}

#[test]
fn a_focused_text_box_asks_for_no_repaint_while_idle() {
    let mut h = harness(Protocol::Udp);
    h.step();
    h.get_by_label("Data to send").focus();
    h.step();
    h.step();
    let delays = repaint_delays(&h);
    for _ in 0..3 {
        h.step();
    }
    let soon: Vec<Duration> = delays
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|d| *d < Duration::from_secs(5))
        .collect();
    assert!(soon.is_empty(), "repaints asked for while idle: {soon:?}");
}

/// While rows keep arriving and the log follows them, nothing but data asks for frames: the
/// log's scroll area once sprang back from past its end in every frame, asking for the next
/// one at once, so the window drew ~70 frames a second whatever the Data fps setting.
#[test]
fn a_following_log_asks_for_no_frame_of_its_own() {
    let mut h = harness(Protocol::Udp);
    let local = crate::ui_support::open(&mut h);
    let peer = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let mut sent = 0u64;
    let mut own = Vec::new();
    for round in 0..40 {
        for _ in 0..20 {
            peer.send_to(format!("datagram {sent}\n").as_bytes(), local)
                .expect("sent");
            sent += 1;
        }
        std::thread::sleep(Duration::from_millis(5));
        h.step();
        // From the third frame: the first ones lay the log out.
        if round >= 2
            && let Some(cause) = h
                .ctx
                .repaint_causes()
                .into_iter()
                .find(|cause| cause.file.contains("scroll_area"))
        {
            own.push(format!("frame {round}: {cause:?}"));
        }
    }
    assert!(
        h.state().sessions[0].counters.rx_packets > 100,
        "the rows arrived"
    );
    // Once is the scroll bar appearing; the spring back was in every frame.
    assert!(own.len() <= 2, "the log asked for frames itself: {own:?}");
}
