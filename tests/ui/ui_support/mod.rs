//! Shared helpers for the window tests: a harness around the real app, bounded waits.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::i18n::Lang;
use netassist::app::settings::{AppSettings, Protocol, SessionSettings};
use netassist::app::{NetAssistApp, fonts};

/// How long any wait in these tests may take.
pub const DEADLINE: Duration = Duration::from_secs(5);

/// The window in English with one session of `protocol`, local address 127.0.0.1, port 0.
pub fn harness(protocol: Protocol) -> Harness<'static, NetAssistApp> {
    let settings = AppSettings {
        lang: Lang::En,
        sessions: vec![SessionSettings {
            protocol,
            local_ip: "127.0.0.1".to_owned(),
            local_port: "0".to_owned(),
            ..SessionSettings::default()
        }],
        ..AppSettings::default()
    };
    harness_with(settings)
}

/// The window built from `settings` (several sessions, split view, …).
pub fn harness_with(settings: AppSettings) -> Harness<'static, NetAssistApp> {
    // The font must be there before the first frame: the harness panics on missing glyphs.
    let app = NetAssistApp::with_settings(&egui::Context::default(), settings);
    Harness::builder()
        .with_size([1100.0, 720.0])
        .with_max_steps(20)
        .with_context_setup(fonts::install)
        .build_ui_state(
            |ui, app: &mut NetAssistApp| {
                // What `eframe::App::logic` and `ui` do each frame.
                app.drain_events();
                app.show(ui);
            },
            app,
        )
}

/// Steps the harness (which drains engine events) until `done` holds, failing after
/// [`DEADLINE`] with `what`.
pub fn wait_for(
    harness: &mut Harness<'_, NetAssistApp>,
    what: &str,
    mut done: impl FnMut(&mut Harness<'_, NetAssistApp>) -> bool,
) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        harness.step();
        if done(harness) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Clicks Open and waits until the session is open; returns its local address.
pub fn open(harness: &mut Harness<'_, NetAssistApp>) -> std::net::SocketAddr {
    harness.get_by_label("Open").click();
    let mut local = None;
    wait_for(harness, "the session to open", |h| {
        local = h.state().sessions[0].local_addr();
        local.is_some()
    });
    let local = local.expect("checked above");
    assert_ne!(local.port(), 0, "the bound port is known");
    local
}

/// A TCP server session opened in the window with one `TcpStream` client connected to it
/// (and shown in the client list).
pub fn server_with_client() -> (Harness<'static, NetAssistApp>, std::net::TcpStream) {
    let mut h = harness(Protocol::TcpServer);
    let server = open(&mut h);
    let peer = std::net::TcpStream::connect(server).expect("connected to the window");
    wait_for(&mut h, "the client", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    (h, peer)
}

/// True when some label in the window contains `text`.
pub fn shows(harness: &Harness<'_, NetAssistApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Types `text` into the send box of the selected session (replacing it) and clicks Send.
pub fn send_text(harness: &mut Harness<'_, NetAssistApp>, text: &str) {
    let active = harness.state().active;
    harness.state_mut().sessions[active].send_text.clear();
    harness.step();
    harness.get_by_label("Data to send").focus();
    harness.step();
    harness.get_by_label("Data to send").type_text(text);
    harness.step();
    assert_eq!(
        harness.state().sessions[active].send_text,
        text,
        "typed into the send box"
    );
    harness.get_by_label("Send").click();
    harness.step();
}

/// The position of the session named `name`.
pub fn session_named(harness: &Harness<'_, NetAssistApp>, name: &str) -> usize {
    harness
        .state()
        .sessions
        .iter()
        .position(|s| s.settings.name == name)
        .unwrap_or_else(|| panic!("no session named {name}"))
}

/// The bytes of every received record of session `index`, in order (each a message when a
/// framing view cuts them).
pub fn received_bytes(harness: &Harness<'_, NetAssistApp>, index: usize) -> Vec<Vec<u8>> {
    harness.state().sessions[index]
        .log
        .iter()
        .filter(|(r, _)| r.direction == netassist::log::Direction::Rx)
        .map(|(r, _)| r.bytes.to_vec())
        .collect()
}

/// Chooses `choice` in the drop-down (or menu) labelled `label`, as a user does.
pub fn pick(harness: &mut Harness<'_, NetAssistApp>, label: &str, choice: &str) {
    harness.get_by_label(label).click();
    harness.step();
    harness.step();
    harness.get_by_label(choice).click();
    harness.step();
}

/// The received records of session `index` as text, in order.
pub fn received_texts(harness: &Harness<'_, NetAssistApp>, index: usize) -> Vec<String> {
    harness.state().sessions[index]
        .log
        .iter()
        .filter(|(r, _)| r.direction == netassist::log::Direction::Rx)
        .map(|(_, text)| text.to_owned())
        .collect()
}

/// Types `text` into the split-view send box of the session titled `title` and presses
/// Ctrl+Enter (Enter alone adds a line there, as in the main view).
pub fn send_in_pane(harness: &mut Harness<'_, NetAssistApp>, title: &str, text: &str) {
    let label = format!("Data to send · {title}");
    harness.get_by_label(&label).focus();
    harness.step();
    harness.get_by_label(&label).type_text(text);
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    harness.step();
}

/// Types `port` into the Local port field of session `server` (shown through the split view's
/// side panels, as a teacher would), then hides the side panels again.
pub fn set_server_port(harness: &mut Harness<'_, NetAssistApp>, server: usize, port: &str) {
    harness.state_mut().active = server;
    harness.get_by_label("Side panels").click();
    harness.step();
    harness.step();
    harness.get_by_label("Local port").focus();
    harness.step();
    harness.state_mut().sessions[server]
        .settings
        .local_port
        .clear();
    harness.step();
    harness.get_by_label("Local port").type_text(port);
    harness.step();
    assert_eq!(
        harness.state().sessions[server].settings.local_port,
        port,
        "typed into the server's port field"
    );
    harness.get_by_label("Side panels").click();
    harness.step();
}

/// Writes `tick-NNNNNNNN 温度=23.5℃ …` lines (long enough to wrap in a split pane) to `peer` as
/// fast as it takes them, on a named thread, until `stop` is set (bounded: 10 s or 150 million
/// lines).
pub fn tick_flood(
    mut peer: std::net::TcpStream,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<()> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    std::thread::Builder::new()
        .name("test-flood".into())
        .spawn(move || {
            let started = Instant::now();
            let mut n = 0u64;
            let mut chunk = String::with_capacity(70_000);
            while !stop.load(std::sync::atomic::Ordering::Relaxed)
                && started.elapsed() < Duration::from_secs(10)
                && n < 150_000_000
            {
                chunk.clear();
                while chunk.len() < 64 * 1024 {
                    let _ = writeln!(
                        chunk,
                        "tick-{n:08} 温度=23.5℃ 湿度=45% 第{n:08}行 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                    );
                    n += 1;
                }
                if peer.write_all(chunk.as_bytes()).is_err() {
                    break;
                }
            }
        })
        .expect("thread started")
}

/// The last whole `tick-NNNNNNNN` token in `text`, if any.
pub fn last_tick(text: &str) -> Option<&str> {
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

/// Steps `harness` while a [`tick_flood`] runs into session 0 (at most 60 checked frames or
/// 8 s) and checks in every frame that shows data that a data row is on screen and the newest
/// record's last `tick-` token lies inside `view(harness)`: a row placed outside the view is
/// in the accessibility tree but not seen. Returns the frames checked and whether the log was
/// trimmed meanwhile.
pub fn check_newest_row_in_every_frame(
    harness: &mut Harness<'_, NetAssistApp>,
    view: impl Fn(&Harness<'_, NetAssistApp>) -> egui::Rect,
) -> (usize, bool) {
    let started = Instant::now();
    let (mut checked, mut trimmed_seen) = (0, false);
    while checked < 60 && started.elapsed() < Duration::from_secs(8) {
        harness.step();
        let log = &harness.state().sessions[0].log;
        let Some(newest) = log.end_seq().checked_sub(1).and_then(|seq| log.get(seq)) else {
            continue;
        };
        let Some(token) = last_tick(newest.1).map(str::to_owned) else {
            continue;
        };
        trimmed_seen |= log.trimmed() > 0;
        checked += 1;
        assert!(
            shows(harness, "tick-"),
            "frame {checked}: no data row on screen during the flood"
        );
        let area = view(harness);
        let rects: Vec<egui::Rect> = harness
            .query_all_by_label_contains(&token)
            .map(|n| n.rect())
            .collect();
        assert!(
            rects.iter().any(|r| area.contains_rect(*r)),
            "frame {checked}: the newest record's {token} is not inside {area:?}: {rects:?}"
        );
    }
    (checked, trimmed_seen)
}
