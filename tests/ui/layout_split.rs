//! The split view on a projector: each pane's send box is multi-line (Enter adds a line,
//! Ctrl+Enter sends, as in the main view), the status bar describes the pane being worked in,
//! the tab bar's "Side panels" switch stays whole. Real loopback sockets.

use std::io::Read as _;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::ui_support::{DEADLINE, harness_with, shows, wait_for};
use eframe::egui;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use netassist::app::settings::{AppSettings, Protocol, SessionSettings, SplitSettings};

/// A TCP server session named `name` on 127.0.0.1, port 0.
fn server(name: &str) -> SessionSettings {
    SessionSettings {
        name: name.to_owned(),
        protocol: Protocol::TcpServer,
        local_ip: "127.0.0.1".to_owned(),
        local_port: "0".to_owned(),
        ..SessionSettings::default()
    }
}

fn two_servers_side_by_side() -> egui_kittest::Harness<'static, netassist::app::NetAssistApp> {
    let mut h = harness_with(AppSettings {
        lang: netassist::app::i18n::Lang::En,
        sessions: vec![server("Left"), server("Right")],
        split: SplitSettings {
            on: true,
            panes: vec![0, 1],
            side_panels: false,
        },
        ..AppSettings::default()
    });
    let notify = h.state().notify();
    for i in 0..2 {
        h.state_mut().sessions[i].open(Some(notify.clone()));
    }
    wait_for(&mut h, "both servers", |h| {
        h.state().sessions.iter().all(|s| s.local_addr().is_some())
    });
    h
}

#[test]
fn enter_adds_a_line_in_a_pane_and_ctrl_enter_sends() {
    let mut h = two_servers_side_by_side();
    let server = h.state().sessions[0].local_addr().expect("open");
    let mut peer = TcpStream::connect(server).expect("connect");
    wait_for(&mut h, "the client", |h| {
        h.state().sessions[0].clients.len() == 1
    });

    let label = "Data to send · Left";
    h.get_by_label(label).focus();
    h.step();
    h.get_by_label(label).type_text("a");
    h.step();
    h.key_press(egui::Key::Enter);
    h.step();
    h.get_by_label(label).type_text("b");
    h.step();
    assert_eq!(
        h.state().sessions[0].send_text,
        "a\nb",
        "Enter added a line"
    );
    assert_eq!(
        h.state().sessions[0].counters.tx_bytes,
        0,
        "Enter sent nothing"
    );

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.step();
    peer.set_read_timeout(Some(Duration::from_millis(50)))
        .expect("timeout set");
    let mut got = Vec::new();
    let mut buf = [0u8; 16];
    let deadline = Instant::now() + DEADLINE;
    while got.len() < 3 {
        assert!(Instant::now() < deadline, "only {got:?} arrived");
        h.step();
        if let Ok(n) = peer.read(&mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
    }
    assert_eq!(got, b"a\nb", "Ctrl+Enter sent both lines");
}

#[test]
fn the_status_bar_describes_the_pane_worked_in() {
    let mut h = two_servers_side_by_side();
    let right = h.state().sessions[1].local_addr().expect("open");
    assert_eq!(h.state().active, 0);
    h.get_by_label("Data to send · Right").focus();
    h.step();
    h.step();
    assert_eq!(h.state().active, 1, "the pane worked in is selected");
    assert!(
        shows(&h, &format!("Local: {right}")),
        "the status bar shows the right pane's address"
    );
}

#[test]
fn side_panels_switch_is_whole_at_projector_zoom() {
    let mut h = two_servers_side_by_side();
    h.ctx.set_zoom_factor(1.5);
    h.set_size(egui::vec2(1366.0 / 1.5, 768.0 / 1.5));
    h.step();
    h.step();
    let screen = h.state().layout.screen;
    for name in ["Side panels", "Split view", "Close session"] {
        let rect = h.get_by_label(name).rect();
        assert!(
            screen.contains_rect(rect),
            "{name} {rect:?} is cut by the window {screen:?}"
        );
    }
}

/// Four TCP servers in a 2×2 split view on a 1366×768 projector at 150 % zoom, in Chinese.
fn four_panes_at_projector_zoom() -> egui_kittest::Harness<'static, netassist::app::NetAssistApp> {
    four_panes(netassist::app::i18n::Lang::Zh, 1.5)
}

/// Four open TCP servers in a 2×2 split view on a 1366×768 screen at `zoom`, in `lang`.
fn four_panes(
    lang: netassist::app::i18n::Lang,
    zoom: f32,
) -> egui_kittest::Harness<'static, netassist::app::NetAssistApp> {
    four_panes_in(lang, zoom, [1366.0, 768.0])
}

/// Four open TCP servers in a 2×2 split view in a `window` (pixels) at `zoom`, in `lang`.
fn four_panes_in(
    lang: netassist::app::i18n::Lang,
    zoom: f32,
    window: [f32; 2],
) -> egui_kittest::Harness<'static, netassist::app::NetAssistApp> {
    use netassist::app::{NetAssistApp, fonts};
    let settings = AppSettings {
        lang,
        zoom,
        sessions: vec![server("甲"), server("乙"), server("丙"), server("丁")],
        split: SplitSettings {
            on: true,
            panes: vec![0, 1, 2, 3],
            side_panels: false,
        },
        ..AppSettings::default()
    };
    let app = NetAssistApp::with_settings(&egui::Context::default(), settings);
    let mut h = egui_kittest::Harness::builder()
        .with_size([window[0] / zoom, window[1] / zoom])
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
        );
    let notify = h.state().notify();
    for i in 0..4 {
        h.state_mut().sessions[i].open(Some(notify.clone()));
    }
    wait_for(&mut h, "four servers", |h| {
        h.state().sessions.iter().all(|s| s.local_addr().is_some())
    });
    h
}

/// The window's first size in pixels (`app::run`'s inner size).
const FIRST_SIZE: [f32; 2] = [1100.0, 640.0];

/// Runs `check` on four open TCP servers in split view in the first window size, in Chinese
/// and English, at 100, 150 and 200 %, after the layout has settled.
fn in_the_first_window_size(
    mut check: impl FnMut(
        netassist::app::i18n::Lang,
        f32,
        &mut egui_kittest::Harness<'static, netassist::app::NetAssistApp>,
    ),
) {
    use netassist::app::i18n::Lang;
    for lang in [Lang::Zh, Lang::En] {
        for zoom in [1.0, 1.5, 2.0] {
            let mut h = four_panes_in(lang, zoom, FIRST_SIZE);
            h.step();
            h.step();
            check(lang, zoom, &mut h);
        }
    }
}

#[test]
fn a_pane_keeps_search_and_export_in_its_toolbar_menu() {
    use std::io::Write as _;
    let mut h = four_panes_at_projector_zoom();
    let zh = netassist::app::i18n::Lang::Zh;
    let (t, s) = (zh.t(), zh.s());
    let server = h.state().sessions[0].local_addr().expect("open");
    let mut peer = TcpStream::connect(server).expect("connect");
    peer.write_all(b"temperature 21\nALARM sensor 3\n")
        .expect("write");
    wait_for(&mut h, "the lines in the first pane", |h| {
        h.state().sessions[0].counters.rx_bytes == 30
    });

    // One toolbar row per pane: its menu is there, the search bar and the export tools are not
    // (the rows get the pane).
    let screen = h.state().layout.screen;
    let menus: Vec<_> = h.query_all_by_label(s.pane_log_menu).collect();
    assert_eq!(menus.len(), 4, "every pane has its log menu");
    for menu in &menus {
        let rect = menu.rect();
        assert!(
            screen.contains_rect(rect),
            "the menu button {rect:?} is inside the window {screen:?}"
        );
    }
    assert!(
        h.query_all_by_label(t.search_log).next().is_none(),
        "no search bar in the panes until asked"
    );
    assert!(
        h.query_all_by_label(t.export_path).next().is_none(),
        "no export tools in the panes until asked"
    );

    // The first pane's menu searches its log...
    menus[0].click();
    drop(menus);
    h.step();
    h.step();
    let field = h.get_by_label(t.search_log);
    field.focus();
    h.step();
    h.get_by_label(t.search_log).type_text("ALARM");
    h.step();
    wait_for(&mut h, "the match count", |h| shows(h, "1 个匹配"));
    assert_eq!(h.state().sessions[0].log_view.search.query.pattern, "ALARM");

    // ...and exports it; the export finishes after the menu is closed.
    let path = std::env::temp_dir().join(format!("netassist-pane-{}.txt", std::process::id()));
    h.state_mut().sessions[0].log_view.export_path = path.display().to_string();
    h.step();
    h.get_by_label(t.export_text).click();
    h.step();
    h.key_press(egui::Key::Escape);
    h.step();
    wait_for(&mut h, "the export to finish", |h| {
        matches!(h.state().sessions[0].log_view.export_result, Some(Ok(_)))
    });
    let text = std::fs::read_to_string(&path).expect("the export was written");
    std::fs::remove_file(&path).ok();
    assert!(text.contains("ALARM sensor 3"), "{text}");
    assert!(text.contains("temperature 21"), "{text}");
}

#[test]
fn an_open_servers_pane_keeps_its_buttons_inside_the_pane() {
    use netassist::app::i18n::Lang;
    for (lang, zoom) in [
        (Lang::Zh, 1.0),
        (Lang::Zh, 1.5),
        (Lang::Zh, 2.0),
        (Lang::En, 1.5),
        (Lang::En, 2.0),
    ] {
        let mut h = four_panes(lang, zoom);
        h.step();
        h.step();
        // The panes form a 2 × 2 grid; each button must lie in one cell (a toolbar row wider
        // than its pane pushed them over its edge, where they are cut).
        let cells: Vec<egui::Rect> = h.state().layout.panes.iter().flatten().copied().collect();
        assert_eq!(cells.len(), 4, "{lang:?} {zoom}: four panes drawn");
        let (t, s) = (lang.t(), lang.s());
        for name in [s.pane_log_menu, t.close, t.send] {
            let rects: Vec<egui::Rect> = h.query_all_by_label(name).map(|n| n.rect()).collect();
            assert_eq!(rects.len(), 4, "{lang:?} {zoom}: every pane has {name}");
            for rect in rects {
                assert!(
                    cells.iter().any(|cell| cell.contains_rect(rect)),
                    "{lang:?} at {zoom}: {name} {rect:?} leaves its pane (panes {cells:?})"
                );
            }
        }
    }
}

#[test]
fn a_flood_keeps_the_newest_rows_on_screen_in_a_pane() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use crate::ui_support::{check_newest_row_in_every_frame, tick_flood};

    let mut h = four_panes(netassist::app::i18n::Lang::Zh, 1.5);
    h.state_mut().sessions[0].settings.receive.log_max_mib = 4;
    let server = h.state().sessions[0].local_addr().expect("open");
    let peer = TcpStream::connect(server).expect("connect");
    wait_for(&mut h, "the client", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    let stop = Arc::new(AtomicBool::new(false));
    let sender = tick_flood(peer, Arc::clone(&stop));
    // The first pane: the top left of the split view.
    let (checked, _) = check_newest_row_in_every_frame(&mut h, |h| {
        h.state().layout.panes[0].expect("the split view is drawn")
    });
    stop.store(true, Ordering::Relaxed);
    h.state_mut().sessions[0].close(netassist::app::i18n::Lang::Zh);
    sender.join().expect("the flood thread ends");
    assert!(checked >= 20, "only {checked} frames saw data");
}

#[test]
fn the_top_bar_stays_in_the_first_window_size_at_every_zoom() {
    // The window opens at 1100 × 640 pixels: at 200 % that is 550 points wide.
    in_the_first_window_size(|lang, zoom, h| {
        let screen = h.state().layout.screen;
        let s = lang.s();
        for name in [s.presets, s.open_all, s.split_view, "English", "简体中文"] {
            let rects: Vec<egui::Rect> = h.query_all_by_label(name).map(|n| n.rect()).collect();
            assert!(!rects.is_empty(), "{lang:?} at {zoom}: {name} is shown");
            for rect in rects {
                assert!(
                    screen.contains_rect(rect),
                    "{lang:?} at {zoom}: {name} {rect:?} leaves the window {screen:?}"
                );
            }
        }
    });
}

#[test]
fn four_panes_keep_room_for_their_logs_in_the_first_window_size() {
    // At 200 % two rows of panes of ~130 points (in 1100 × 720 pixels, the first size then)
    // left a pane's log a strip between its toolbar and its send line. The grid scrolls
    // instead.
    in_the_first_window_size(|lang, zoom, h| {
        let (t, s) = (lang.t(), lang.s());
        for (pane, name) in ["甲", "乙", "丙", "丁"].into_iter().enumerate() {
            let cell = h.state().layout.panes[pane].expect("the pane is drawn");
            let inside = |rect: egui::Rect| cell.contains_rect(rect);
            let menu = h
                .query_all_by_label(s.pane_log_menu)
                .map(|n| n.rect())
                .find(|r| inside(*r))
                .unwrap_or_else(|| panic!("{lang:?} at {zoom}: pane {name} has its menu"));
            let send_box = h.get_by_label(&format!("{} · {name}", t.send_box)).rect();
            assert!(
                inside(send_box),
                "{lang:?} at {zoom}: pane {name}'s send box {send_box:?} leaves it {cell:?}"
            );
            let log = send_box.top() - menu.bottom();
            assert!(
                log >= 80.0,
                "{lang:?} at {zoom}: pane {name} leaves its log {log} points \
             (toolbar {menu:?}, send box {send_box:?})"
            );
        }
    });
}

#[test]
fn every_tab_and_tab_button_is_whole_in_the_first_window_size() {
    // At 200 % the tab bar's buttons took the width and the tabs scrolled under them: the
    // first tab showed as "务器" at the window's left edge and "New session" was gone.
    in_the_first_window_size(|lang, zoom, h| {
        let screen = h.state().layout.screen;
        let top = h.state().layout.log.expect("drawn").top();
        let s = lang.s();
        // What lies above the split view is the tab bar (and the top bar).
        let bar = |name: &str| -> Vec<egui::Rect> {
            h.query_all_by_label(name)
                .map(|n| n.rect())
                .filter(|r| r.bottom() <= top + 1.0)
                .collect()
        };
        let mut buttons = Vec::new();
        for name in [
            s.new_session,
            s.rename,
            s.duplicate,
            s.close_session,
            s.split_view,
        ] {
            let rects = bar(name);
            assert_eq!(
                rects.len(),
                1,
                "{lang:?} at {zoom}: {name} on the tab bar (above {top}: {:?})",
                h.query_all_by_label(name)
                    .map(|n| n.rect())
                    .collect::<Vec<_>>()
            );
            buttons.push((name, rects[0]));
        }
        for name in ["甲", "乙", "丙", "丁"] {
            let rects = bar(name);
            assert_eq!(rects.len(), 1, "{lang:?} at {zoom}: the tab {name}");
            let tab = rects[0];
            assert!(
                screen.contains_rect(tab),
                "{lang:?} at {zoom}: the tab {name} {tab:?} leaves the window {screen:?}"
            );
            for (button, rect) in &buttons {
                assert!(
                    !tab.intersects(*rect),
                    "{lang:?} at {zoom}: the tab {name} {tab:?} lies under {button} {rect:?}"
                );
            }
        }
        for (name, rect) in &buttons {
            assert!(
                screen.contains_rect(*rect),
                "{lang:?} at {zoom}: {name} {rect:?} leaves the window {screen:?}"
            );
        }
    });
}

#[test]
fn a_panes_counters_are_one_line_or_none() {
    use netassist::app::i18n::Lang;
    // At 150 % in the first window size the counters were shown as fitting but wrapped
    // mid-number: "接收 0" on the toolbar row, "B · 发送 0 B" under it.
    for lang in [Lang::Zh, Lang::En] {
        for zoom in [1.0, 1.5, 2.0] {
            for window in [[1100.0, 720.0], [1366.0, 768.0]] {
                let mut h = four_panes_in(lang, zoom, window);
                h.step();
                h.step();
                let t = lang.t();
                let counters = format!("{} 0 B · {} 0 B", t.rx, t.tx);
                let menus: Vec<egui::Rect> = h
                    .query_all_by_label(lang.s().pane_log_menu)
                    .map(|n| n.rect())
                    .collect();
                let shown: Vec<_> = h.query_all_by_label(&counters).collect();
                if zoom < 1.1 && window[0] > 1200.0 {
                    assert_eq!(shown.len(), 4, "{lang:?}: wide panes show their counters");
                }
                for node in shown {
                    let rect = node.rect();
                    let line = menus[0].height();
                    assert!(
                        rect.height() <= line * 1.2,
                        "{lang:?} at {zoom} in {window:?}: the counters {rect:?} take more than \
                         one line (a toolbar button is {line} high)"
                    );
                }
            }
        }
    }
}

#[test]
fn a_narrow_panes_rows_give_the_data_the_width() {
    use std::io::Write as _;
    // In a pane at projector zoom the stream view's header column (24 characters, padded) took
    // half of each row: a long line wrapped at 15–20 characters, every row after the first
    // indented under the header.
    let mut h = four_panes(netassist::app::i18n::Lang::Zh, 1.5);
    let server = h.state().sessions[0].local_addr().expect("open");
    let mut peer = TcpStream::connect(server).expect("connect");
    wait_for(&mut h, "the client", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    let line = "0123456789".repeat(12) + "\n";
    peer.write_all(line.as_bytes()).expect("send");
    wait_for(&mut h, "the line", |h| shows(h, "0123456789"));
    h.step();
    let rows: Vec<String> = h
        .query_all_by_label_contains("0123456789")
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect();
    assert!(rows.len() >= 2, "the line wraps in a narrow pane: {rows:?}");
    for row in rows.iter().filter(|r| !r.starts_with('←')) {
        let indent = row.len() - row.trim_start().len();
        assert!(
            indent <= 2,
            "a row after the first is indented {indent} columns: {row:?} (rows {rows:?})"
        );
    }
}
