//! The desktop window (eframe/egui): panels over a list of sessions, fed by the engine.
//!
//! Events are drained in [`eframe::App::logic`] with a time budget per frame; the engine calls
//! `request_repaint` when it queues events, so an idle window repaints nothing.

mod confirm;
pub mod error;
pub mod file_dialog;
pub mod fonts;
pub mod format;
pub mod i18n;
pub mod pacer;
pub mod panels;
pub mod presets;
pub mod room;
pub mod session;
pub mod settings;
pub mod smoke;
pub mod tls_settings;
// issue 15: websocket
// issue 15: serial
pub mod serial_settings;
mod top_bar;
pub mod view_state;
mod window;
pub mod workspace;
pub mod ws_settings;

pub use pacer::request_data_repaint;
use pacer::set_pacer;
pub use view_state::Confirm;

use eframe::egui;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::Notify;
use i18n::Lang;
use panels::connection_ui;
use session::SessionView;
use settings::{AppSettings, Protocol, QuickCommand, STORAGE_KEY, SplitSettings, Theme};

/// Default width of the settings panel (points).
pub const SETTINGS_WIDTH: f32 = 280.0;
/// Default width of the client list (points).
pub const CLIENTS_WIDTH: f32 = 310.0;
/// The log keeps at least this width (points): side panels that would take it collapse to
/// their toggle on the top bar, one side panel at a time.
pub const MIN_LOG_WIDTH: f32 = 360.0;
/// The narrowest a side panel can be dragged.
const MIN_PANEL_WIDTH: f32 = 180.0;

/// Opens the window; returns when it is closed.
pub fn run() -> ExitCode {
    let result = eframe::run_native(
        "netassist",
        native_options(),
        Box::new(|cc| {
            let app = NetAssistApp::new(&cc.egui_ctx, cc.storage);
            close_on_signals(&cc.egui_ctx, &app.terminating);
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("netassist: cannot open the window: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The window's size, title and icon. The first size (before eframe has saved one) leaves
/// room on a 1366×768 laptop for the title bar and the Windows taskbar (or a desktop's top
/// bar), so the send box and the status bar are not under them.
pub fn native_options() -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("netassist 网络调试助手")
        .with_inner_size([1100.0, 640.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true)
        .with_app_id("netassist");
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(Arc::new(icon));
    }
    eframe::NativeOptions {
        viewport,
        ..eframe::NativeOptions::default()
    }
}

/// SIGTERM, SIGINT (and SIGHUP) close the window as its close button does, without the
/// question about open sessions: eframe then saves the settings and sessions on the way out
/// (before, a setup changed since the last 30-s autosave was lost).
pub fn close_on_signals(ctx: &egui::Context, terminating: &Arc<std::sync::atomic::AtomicBool>) {
    let ctx = ctx.clone();
    let flag = Arc::clone(terminating);
    let handler = move || {
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        ctx.request_repaint();
    };
    if let Err(err) = ctrlc::set_handler(handler) {
        eprintln!(
            "netassist: cannot catch SIGTERM/SIGINT ({err}); settings are saved on close and every 30 s"
        );
    }
}

/// The application: global settings and the sessions shown.
pub struct NetAssistApp {
    /// UI language.
    pub lang: Lang,
    /// Theme.
    pub theme: Theme,
    /// The sessions, in tab order (never empty).
    pub sessions: Vec<SessionView>,
    /// The selected tab: its settings fill the side panel.
    pub active: usize,
    /// Whether the split view is shown instead of the selected session alone.
    pub split: bool,
    /// The split view's panes, by session uid (2–4).
    pub panes: Vec<u64>,
    /// In the split view, the settings and client list of the selected pane stay beside the
    /// panes; off by default so that each pane has room for its log.
    pub split_side_panels: bool,
    /// Clients of a preset waiting for their server to open.
    pub pending: Vec<presets::PendingConnect>,
    ctx: egui::Context,
    local_ips: Vec<String>,
    quick_draft: QuickCommand,
    renaming: Option<(u64, String)>,
    /// Where the last frame put the window's parts (read by the layout tests).
    pub layout: WindowLayout,
    /// Which side panels are wanted (their toggles on the top bar).
    pub side: SidePanels,
    /// A question waiting for the user's answer before something is lost.
    pub confirm: Option<Confirm>,
    /// The user said yes to quitting with sessions open.
    quit_confirmed: bool,
    /// Arriving data repaints at most this many times a second (a setting).
    pub data_fps: u32,
    /// Caps the repaints that arriving data asks for.
    pacer: Arc<pacer::Pacer>,
    /// A signal asked the window to close: it does, without asking about open sessions.
    pub terminating: Arc<std::sync::atomic::AtomicBool>,
}

/// The side panels the user wants; [`NetAssistApp::side_panels_shown`] says which fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SidePanels {
    /// The settings panel is wanted.
    pub settings: bool,
    /// The client list is wanted.
    pub clients: bool,
    /// When only one side panel fits, the client list is the one shown (it was opened last).
    pub clients_first: bool,
}

/// Where the last frame put the window's parts, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowLayout {
    /// The whole window.
    pub screen: egui::Rect,
    /// The settings panel on the left, when shown.
    pub settings: Option<egui::Rect>,
    /// The client (or peer) list on the right, when shown.
    pub clients: Option<egui::Rect>,
    /// The send box under the log (single view).
    pub send_box: Option<egui::Rect>,
    /// The log, or the split view's panes.
    pub log: Option<egui::Rect>,
    /// The split view's panes, in pane order (where they are, scrolled or not).
    pub panes: [Option<egui::Rect>; workspace::MAX_PANES],
}

impl Default for WindowLayout {
    fn default() -> Self {
        Self {
            screen: egui::Rect::NOTHING,
            settings: None,
            clients: None,
            send_box: None,
            log: None,
            panes: [None; workspace::MAX_PANES],
        }
    }
}

impl NetAssistApp {
    /// Builds the app on `ctx`, restoring saved settings from `storage` if given.
    /// Also installs the CJK font and the saved theme and zoom on `ctx`.
    pub fn new(ctx: &egui::Context, storage: Option<&dyn eframe::Storage>) -> Self {
        let saved: AppSettings = storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default();
        Self::with_settings(ctx, saved)
    }

    /// Builds the app from explicit settings (tests use this for a known starting point).
    /// Sessions come back closed; nothing connects until asked.
    pub fn with_settings(ctx: &egui::Context, saved: AppSettings) -> Self {
        fonts::install(ctx);
        let mut sessions: Vec<SessionView> =
            saved.sessions.into_iter().map(SessionView::new).collect();
        if sessions.is_empty() {
            sessions.push(SessionView::new(settings::SessionSettings::default()));
        }
        if saved.zoom.is_finite() && (0.5..=4.0).contains(&saved.zoom) {
            ctx.set_zoom_factor(saved.zoom);
        }
        let panes: Vec<u64> = saved
            .split
            .panes
            .iter()
            .filter_map(|&index| sessions.get(index).map(|s| s.uid))
            .collect();
        let mut app = Self {
            lang: saved.lang,
            theme: saved.theme,
            active: saved.active.min(sessions.len() - 1),
            sessions,
            split: saved.split.on,
            panes,
            split_side_panels: saved.split.side_panels,
            pending: Vec::new(),
            ctx: ctx.clone(),
            local_ips: connection_ui::local_addresses(),
            quick_draft: QuickCommand {
                name: String::new(),
                payload: String::new(),
            },
            renaming: None,
            layout: WindowLayout::default(),
            side: SidePanels {
                settings: true,
                clients: true,
                clients_first: false,
            },
            confirm: None,
            quit_confirmed: false,
            data_fps: saved.data_fps,
            pacer: Arc::new(pacer::Pacer::new(saved.data_fps)),
            terminating: Arc::default(),
        };
        set_pacer(ctx, &app.pacer);
        app.fix_panes();
        app.apply_theme();
        app
    }

    /// The callback the engine calls after queueing events: a repaint, at most
    /// [`NetAssistApp::data_fps`] a second.
    pub fn notify(&self) -> Notify {
        let ctx = self.ctx.clone();
        let pacer = Arc::clone(&self.pacer);
        Arc::new(move || pacer.request(&ctx))
    }

    /// What is persisted.
    pub fn app_settings(&self) -> AppSettings {
        AppSettings {
            lang: self.lang,
            theme: self.theme,
            zoom: self.ctx.zoom_factor(),
            sessions: self.sessions.iter().map(|s| s.settings.clone()).collect(),
            active: self.active,
            split: SplitSettings {
                on: self.split,
                panes: self
                    .panes
                    .iter()
                    .filter_map(|uid| self.index_of(*uid))
                    .collect(),
                side_panels: self.split_side_panels,
            },
            data_fps: self.data_fps,
        }
    }

    /// Which side panels are shown, `(settings, clients)`, in a window `width` points wide:
    /// the wanted ones, but only one of them when both would leave the log less than
    /// [`MIN_LOG_WIDTH`] (the one opened last).
    pub fn side_panels_shown(&self, width: f32) -> (bool, bool) {
        let has_side = self.split_side_panels || !(self.split && self.panes.len() >= 2);
        let lists = self
            .sessions
            .get(self.active)
            .is_some_and(|v| matches!(v.settings.protocol, Protocol::TcpServer | Protocol::Udp));
        let settings = has_side && self.side.settings;
        let clients = has_side && lists && self.side.clients;
        if settings && clients && width - MIN_LOG_WIDTH < SETTINGS_WIDTH + CLIENTS_WIDTH {
            (!self.side.clients_first, self.side.clients_first)
        } else {
            (settings, clients)
        }
    }

    fn apply_theme(&self) {
        self.ctx.set_theme(match self.theme {
            Theme::Dark => egui::Theme::Dark,
            Theme::Light => egui::Theme::Light,
        });
        // A blinking text cursor repaints the whole window twice a second while a text box
        // has focus: 2.5 % CPU of an idle window under software GL. It stays on, solid.
        self.ctx
            .all_styles_mut(|style| style.visuals.text_cursor.blink = false);
    }

    /// Applies waiting engine events within the frame budget; asks for another frame if
    /// some are left, and once a second while traffic flows (for the rates).
    pub fn drain_events(&mut self) {
        self.pacer.frame_started();
        let now = Instant::now();
        let mut more = false;
        let (budget, max_events) = self.pacer.drain_allowance();
        for view in &mut self.sessions {
            more |= view.drain(self.lang, budget, max_events);
            if let Some(due) = view.gap_due {
                let wait = due
                    .duration_since(std::time::SystemTime::now())
                    .unwrap_or_default();
                self.ctx.request_repaint_after(wait);
            }
            view.rates.sample(now, view.counters);
            if !view.rates.settled(view.counters) {
                self.ctx.request_repaint_after(Duration::from_secs(1));
            }
            view.sync_options();
        }
        self.connect_pending();
        smoke::counters(self.sessions.iter().map(|v| (v.counters, v.dropped)));
        if more {
            self.pacer.request(&self.ctx);
        }
    }
}

impl eframe::App for NetAssistApp {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_events();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.app_settings());
    }
}
