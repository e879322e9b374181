//! Window layout on a projector: a 1366×768 window at 100, 130, 150 and 200 % zoom, in English
//! and Chinese, as a TCP server and as UDP, with a client (or peer) connected over loopback.
//! Every part stays inside the window, nothing overlaps, the log keeps room, no short label is
//! cut in the middle of a word.

use crate::ui_support::wait_for;
use eframe::egui;
use egui::{Rect, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use netassist::app::i18n::Lang;
use netassist::app::settings::{AppSettings, Protocol, SessionSettings};
use netassist::app::{NetAssistApp, fonts};

/// The projector's window in physical pixels.
const WINDOW: [f32; 2] = [1366.0, 768.0];
/// Zoom factors a teacher uses.
pub(crate) const ZOOMS: [f32; 4] = [1.0, 1.3, 1.5, 2.0];
/// The log must keep at least this much (points) to be readable.
const MIN_LOG: [f32; 2] = [300.0, 120.0];

/// The window as eframe gives it at `zoom`: the logical size shrinks as the zoom grows.
fn zoomed(protocol: Protocol, lang: Lang, zoom: f32) -> Harness<'static, NetAssistApp> {
    zoomed_with(
        SessionSettings {
            protocol,
            local_ip: "127.0.0.1".to_owned(),
            local_port: "0".to_owned(),
            ..SessionSettings::default()
        },
        lang,
        zoom,
    )
}

/// [`zoomed`] with one session of these settings.
pub(crate) fn zoomed_with(
    session: SessionSettings,
    lang: Lang,
    zoom: f32,
) -> Harness<'static, NetAssistApp> {
    let settings = AppSettings {
        lang,
        zoom,
        sessions: vec![session],
        ..AppSettings::default()
    };
    let app = NetAssistApp::with_settings(&egui::Context::default(), settings);
    Harness::builder()
        .with_size([WINDOW[0] / zoom, WINDOW[1] / zoom])
        .with_max_steps(20)
        .with_context_setup(move |ctx| {
            fonts::install(ctx);
            ctx.set_zoom_factor(zoom);
        })
        .build_ui_state(
            |ui, app: &mut NetAssistApp| {
                app.drain_events();
                app.show(ui);
            },
            app,
        )
}

/// Opens the session with the Open button (found by its text in `lang`) and brings in one
/// client (TCP) or peer (UDP) over loopback. Returns what keeps the peer alive.
fn open_with_peer(h: &mut Harness<'static, NetAssistApp>, lang: Lang) -> Box<dyn std::any::Any> {
    h.get_by_label(lang.t().open).click();
    let mut local = None;
    wait_for(h, "the session to open", |h| {
        local = h.state().sessions[0].local_addr();
        local.is_some()
    });
    let local = local.expect("checked above");
    let keep: Box<dyn std::any::Any> = if h.state().sessions[0].settings.protocol == Protocol::Udp {
        let peer = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind a peer");
        peer.send_to(b"hello", local).expect("send to the window");
        Box::new(peer)
    } else {
        Box::new(std::net::TcpStream::connect(local).expect("connect to the window"))
    };
    wait_for(h, "the peer in the list", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    for _ in 0..3 {
        h.step();
    }
    keep
}

fn overlap(a: Rect, b: Rect) -> f32 {
    let i = a.intersect(b);
    if i.is_positive() { i.area() } else { 0.0 }
}

pub(crate) fn inside(outer: Rect, inner: Rect) -> bool {
    outer.expand(0.5).contains_rect(inner)
}

/// Everything the brief lists, checked on the current frame; returns what is wrong.
pub(crate) fn problems(h: &Harness<'_, NetAssistApp>, lang: Lang, what: &str) -> Vec<String> {
    let t = lang.t();
    let mut wrong = Vec::new();
    let layout = h.state().layout;
    let screen = layout.screen;
    let parts = [
        ("settings panel", layout.settings),
        ("client list", layout.clients),
        ("send box", layout.send_box),
        ("log", layout.log),
    ];
    for (name, rect) in parts {
        if let Some(rect) = rect
            && !inside(screen, rect)
        {
            wrong.push(format!(
                "{what}: the {name} {rect:?} leaves the window {screen:?}"
            ));
        }
    }
    for (i, (a, ra)) in parts.iter().enumerate() {
        for (b, rb) in &parts[i + 1..] {
            if let (Some(ra), Some(rb)) = (ra, rb)
                && overlap(*ra, *rb) > 1.0
            {
                wrong.push(format!("{what}: the {a} {ra:?} overlaps the {b} {rb:?}"));
            }
        }
    }
    match layout.log {
        Some(log) if log.width() >= MIN_LOG[0] && log.height() >= MIN_LOG[1] => {}
        other => wrong.push(format!("{what}: the log is squeezed: {other:?}")),
    }
    let Some(send_box) = layout.send_box else {
        wrong.push(format!("{what}: no send box"));
        return wrong;
    };
    // The send box's controls: inside the send box, clear of the side panels.
    let mut controls: Vec<(String, Rect)> = vec![
        (
            "Send".to_owned(),
            h.get_by_role_and_label(Role::Button, t.send).rect(),
        ),
        ("send box".to_owned(), h.get_by_label(t.send_box).rect()),
    ];
    // Each quick command is on the row, or the row ends with a "More" menu holding it.
    let more = h.query_by_label(lang.s().more).map(|node| node.rect());
    for quick in &h.state().sessions[0].settings.send.quick {
        if let Some(node) = h.query_by_label(&quick.name) {
            controls.push((format!("quick command {}", quick.name), node.rect()));
        } else if more.is_none() {
            wrong.push(format!("{what}: quick command {} is nowhere", quick.name));
        }
    }
    if let Some(more) = more {
        controls.push(("More".to_owned(), more));
    }
    for (name, rect) in controls {
        if !inside(send_box, rect) {
            wrong.push(format!(
                "{what}: {name} {rect:?} is not inside the send box {send_box:?}"
            ));
        }
        for (panel, other) in [
            ("client list", layout.clients),
            ("settings", layout.settings),
        ] {
            if let Some(other) = other
                && overlap(rect, other) > 0.5
            {
                wrong.push(format!(
                    "{what}: {name} {rect:?} is under the {panel} {other:?}"
                ));
            }
        }
    }
    // The top bar and the tab bar keep their controls inside the window.
    let s = lang.s();
    for name in [
        s.presets,
        s.settings_panel,
        s.new_session,
        s.rename,
        s.duplicate,
        s.close_session,
        s.split_view,
    ] {
        match h.query_by_label(name) {
            Some(node) if inside(screen, node.rect()) => {}
            Some(node) => wrong.push(format!("{what}: {name} {:?} is cut off", node.rect())),
            None => wrong.push(format!("{what}: no {name}")),
        }
    }
    wrapped_labels(h, lang, what, &mut wrong);
    wrong
}

/// A short label of one word is one line high: "Directi / on" is a word cut in two.
fn wrapped_labels(h: &Harness<'_, NetAssistApp>, lang: Lang, what: &str, wrong: &mut Vec<String>) {
    let t = lang.t();
    let font = egui::TextStyle::Body.resolve(&h.ctx.global_style());
    let row = h.ctx.fonts_mut(|f| f.row_height(&font));
    let mut checked = Vec::new();
    for node in h.query_all(By::new().role(Role::Label).include_labels()) {
        let ak = node.accesskit_node();
        let text = ak.label().or_else(|| ak.value()).unwrap_or_default();
        if text.is_empty() || text.chars().count() > 24 || text.contains(char::is_whitespace) {
            continue;
        }
        checked.push(text.clone());
        let rect = node.rect();
        if rect.height() > row * 1.6 {
            wrong.push(format!("{what}: the label {text:?} is wrapped ({rect:?})"));
        }
    }
    // The check saw the labels it is about (the log's "Direction" filter among them).
    assert!(
        checked.iter().any(|l| l == t.filter_direction),
        "{what}: no {:?} label among {checked:?}",
        t.filter_direction
    );
}

fn check_all_zooms(protocol: Protocol, lang: Lang) {
    let mut wrong = Vec::new();
    for zoom in ZOOMS {
        let mut h = zoomed(protocol, lang, zoom);
        let _peer = open_with_peer(&mut h, lang);
        let what = format!("{protocol:?} {lang:?} at {:.0} %", zoom * 100.0);
        let screen = h.state().layout.screen;
        assert!(
            (screen.width() - WINDOW[0] / zoom).abs() < 1.0,
            "{what}: the window is {screen:?} points wide"
        );
        wrong.extend(problems(&h, lang, &what));
        // A side panel collapsed for room comes back with its toggle on the top bar, and
        // then the other one gives way.
        if h.state().layout.clients.is_none() {
            let list = if protocol == Protocol::Udp {
                lang.s().peers
            } else {
                lang.t().clients
            };
            h.get_by_label(list).click();
            h.step();
            h.step();
            let layout = h.state().layout;
            assert!(
                layout.clients.is_some(),
                "{what}: the list's toggle shows it"
            );
            wrong.extend(problems(&h, lang, &format!("{what} with the list")));
        }
    }
    assert!(wrong.is_empty(), "layout problems:\n{}", wrong.join("\n"));
}

#[test]
fn tcp_server_in_english_fits_at_every_zoom() {
    check_all_zooms(Protocol::TcpServer, Lang::En);
}

#[test]
fn tcp_server_in_chinese_fits_at_every_zoom() {
    check_all_zooms(Protocol::TcpServer, Lang::Zh);
}

#[test]
fn udp_in_english_fits_at_every_zoom() {
    check_all_zooms(Protocol::Udp, Lang::En);
}

#[test]
fn udp_in_chinese_fits_at_every_zoom() {
    check_all_zooms(Protocol::Udp, Lang::Zh);
}
