//! The desktop window (eframe/egui): panels over a list of sessions, fed by the engine.
//!
//! Events are drained in [`eframe::App::logic`] with a time budget per frame; the engine calls
//! `request_repaint` when it queues events, so an idle window repaints nothing.

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
pub mod view_state;
pub mod workspace;

use eframe::egui;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::Notify;
use i18n::Lang;
use panels::{
    clients_ui, connection_ui, framing_ui, log_view_ui, multicast_ui, receive_ui, room_ui, send_ui,
    sessions_ui, status_bar_ui,
};
use session::SessionView;
use settings::{AppSettings, Protocol, QuickCommand, STORAGE_KEY, SplitSettings, Theme};

/// The longest the window spends applying events in one frame.
pub const EVENT_BUDGET: Duration = Duration::from_millis(3);
/// The most events applied in one frame.
pub const MAX_EVENTS_PER_FRAME: usize = 2000;

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

/// The window's size, title and icon.
pub fn native_options() -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("netassist 网络调试助手")
        .with_inner_size([1100.0, 720.0])
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

/// Something that loses state, asked about first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Close the session with this uid (it is open, or has a log).
    CloseSession(u64),
    /// Quit while sessions are open.
    Quit,
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
}

impl Default for WindowLayout {
    fn default() -> Self {
        Self {
            screen: egui::Rect::NOTHING,
            settings: None,
            clients: None,
            send_box: None,
            log: None,
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

    /// Does what the tab bar asked, asking first before closing a session that would lose
    /// something.
    fn tab_action(&mut self, action: workspace::SessionAction) {
        match action {
            workspace::SessionAction::Close(index) if self.loses_something(index) => {
                self.confirm = self
                    .sessions
                    .get(index)
                    .map(|v| Confirm::CloseSession(v.uid));
            }
            action => self.act(action),
        }
    }

    /// Closing session `index` loses something: it is open (or opening) or has a log.
    pub fn loses_something(&self, index: usize) -> bool {
        self.sessions
            .get(index)
            .is_some_and(|v| v.is_active() || !v.log.is_empty())
    }

    /// Quitting with open sessions is cancelled and asked about first.
    fn quit_guard(&mut self, ctx: &egui::Context) {
        if self.terminating.load(std::sync::atomic::Ordering::Relaxed) {
            // Closing for a signal: no question; the close goes through (eframe saves first).
            self.quit_confirmed = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if ctx.input(|i| i.viewport().close_requested())
            && !self.quit_confirmed
            && self.sessions.iter().any(SessionView::is_active)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Confirm::Quit);
        }
    }

    /// The question of [`Self::confirm`], in a modal window.
    fn confirm_ui(&mut self, ctx: &egui::Context) {
        let Some(confirm) = self.confirm else {
            return;
        };
        let s = self.lang.s();
        let (question, yes) = match confirm {
            Confirm::CloseSession(_) => (s.confirm_close_session, s.confirm_close),
            Confirm::Quit => (s.confirm_quit, s.quit),
        };
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("netassist confirm")).show(ctx, |ui| {
            ui.set_max_width(360.0);
            if let Confirm::CloseSession(uid) = confirm
                && let Some(index) = self.index_of(uid)
            {
                ui.strong(self.session_title(index));
            }
            ui.label(question);
            ui.horizontal(|ui| {
                if ui.button(yes).clicked() {
                    answer = Some(true);
                }
                if ui.button(s.cancel).clicked() {
                    answer = Some(false);
                }
            });
        });
        if answer.is_none() && modal.should_close() {
            answer = Some(false);
        }
        match answer {
            Some(true) => {
                self.confirm = None;
                match confirm {
                    Confirm::CloseSession(uid) => {
                        if let Some(index) = self.index_of(uid) {
                            self.act(workspace::SessionAction::Close(index));
                        }
                    }
                    Confirm::Quit => {
                        self.quit_confirmed = true;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
            }
            Some(false) => self.confirm = None,
            None => {}
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
        for view in &mut self.sessions {
            more |= view.drain(self.lang, EVENT_BUDGET, MAX_EVENTS_PER_FRAME);
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

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<_> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        let active = self.active;
        if let (Some(path), Some(view)) = (dropped.first(), self.sessions.get_mut(active)) {
            let text = path.display().to_string();
            view.settings.send.file_path.clone_from(&text);
            view.send_file(&text);
        }
    }

    /// Draws the whole window into `ui`.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if ctx != self.ctx {
            // Built on another context (a test harness makes its own): move over to this one
            // so repaint requests, fonts, theme and zoom land where the window is drawn.
            self.ctx = ctx.clone();
            set_pacer(&ctx, &self.pacer);
            fonts::install(&ctx);
            self.apply_theme();
        }
        self.handle_dropped_files(&ctx);
        self.quit_guard(&ctx);
        let lang = self.lang;
        egui::Panel::top("top_bar").show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::top("session_tabs").show(ui, |ui| {
            if let Some(action) = sessions_ui::tabs_ui(ui, self, lang) {
                self.tab_action(action);
            }
        });
        let notify = self.notify();
        let split = self.split && self.panes.len() >= 2;
        let active = self.active.min(self.sessions.len().saturating_sub(1));
        let width = ctx.content_rect().width();
        let (show_settings, show_clients) = self.side_panels_shown(width);
        let Some(view) = self.sessions.get_mut(active) else {
            return;
        };
        let t = lang.t();
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status_bar_ui::status_bar_ui(ui, view, lang);
        });
        // Room for the side panels; on a very narrow window a lone panel may take about half.
        let room = (width - MIN_LOG_WIDTH).max(width * 0.45);
        let both = show_settings && show_clients;
        let share = |default: f32| {
            if both {
                room * default / (SETTINGS_WIDTH + CLIENTS_WIDTH)
            } else {
                room
            }
        };
        let mut layout = WindowLayout {
            screen: ctx.content_rect(),
            ..WindowLayout::default()
        };
        if show_settings {
            let max = share(SETTINGS_WIDTH);
            let shown = egui::Panel::left("settings")
                .resizable(true)
                .default_size(SETTINGS_WIDTH.min(max))
                .size_range(MIN_PANEL_WIDTH.min(max)..=max)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        ui.push_id(view.uid, |ui| {
                            settings_sections_ui(ui, view, lang, &mut self.local_ips, &notify);
                        });
                    });
                });
            resize_grip(ui, shown.response.rect.right());
            layout.settings = Some(shown.response.rect);
        }
        if show_clients {
            let max = share(CLIENTS_WIDTH);
            let shown = egui::Panel::right("clients")
                .resizable(true)
                .default_size(CLIENTS_WIDTH.min(max))
                .size_range(MIN_PANEL_WIDTH.min(max)..=max)
                .show(ui, |ui| {
                    ui.push_id(view.uid, |ui| clients_ui::clients_ui(ui, view, lang));
                });
            resize_grip(ui, shown.response.rect.left());
            layout.clients = Some(shown.response.rect);
        }
        if split {
            let shown = egui::CentralPanel::default_margins().show(ui, |ui| {
                sessions_ui::split_ui(ui, self, lang, &notify);
            });
            layout.log = Some(shown.response.rect);
        } else {
            let shown = egui::Panel::bottom("send_box")
                .resizable(true)
                .show(ui, |ui| {
                    ui.add_space(4.0);
                    send_ui::send_box_ui(ui, view, lang, &mut self.quick_draft);
                    ui.add_space(4.0);
                });
            layout.send_box = Some(shown.response.rect);
            let shown = egui::CentralPanel::default_margins().show(ui, |ui| {
                if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
                    ui.strong(t.drop_hint);
                }
                ui.push_id(view.uid, |ui| log_view_ui::log_view_ui(ui, view, lang));
            });
            layout.log = Some(shown.response.rect);
        }
        self.layout = layout;
        self.confirm_ui(&ctx);
        for view in &mut self.sessions {
            view.sync_options();
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let t = self.lang.t();
        let s = self.lang.s();
        ui.horizontal(|ui| {
            ui.strong("netassist");
            ui.separator();
            ui.label(t.language);
            let before = self.lang;
            ui.selectable_value(&mut self.lang, Lang::En, "English");
            ui.selectable_value(&mut self.lang, Lang::Zh, "简体中文");
            if self.lang != before {
                ctx.request_repaint();
            }
            ui.separator();
            let before = self.theme;
            ui.selectable_value(&mut self.theme, Theme::Dark, t.dark)
                .on_hover_text(t.theme_tip);
            ui.selectable_value(&mut self.theme, Theme::Light, t.light)
                .on_hover_text(t.theme_tip);
            if self.theme != before {
                self.apply_theme();
            }
            ui.separator();
            ui.weak(format!("{:.0}%", ctx.zoom_factor() * 100.0))
                .on_hover_text(t.zoom_tip);

            ui.separator();
            let mut chosen = None;
            ui.menu_button(s.presets, |ui| {
                for preset in presets::Preset::ALL {
                    if ui.button(preset.label(self.lang)).clicked() {
                        chosen = Some(preset);
                        ui.close();
                    }
                }
            })
            .response
            .on_hover_text(s.presets_tip);
            if let Some(preset) = chosen {
                self.apply_preset(preset);
            }
            // Before the panel toggles, which come and go with the split view: "Open all"
            // stays where the teacher found it.
            if self.sessions.len() > 1
                && ui
                    .button(s.open_all)
                    .on_hover_text(s.open_all_tip)
                    .clicked()
            {
                self.open_all();
            }
            ui.separator();
            self.panel_toggles_ui(ui);
            // Last, where there is room: the panel toggles never give way to it.
            if ui.available_width() > 8.0 * ui.text_style_height(&egui::TextStyle::Body) {
                ui.separator();
                let label = ui.label(t.data_fps).on_hover_text(t.data_fps_tip);
                ui.add(egui::DragValue::new(&mut self.data_fps).range(1..=240))
                    .labelled_by(label.id)
                    .on_hover_text(t.data_fps_tip);
            }
        });
        // Every frame: the field, a test or a restored setting may have changed it.
        self.pacer.set_fps(self.data_fps);
    }

    /// The side panels' toggles: a hidden panel (closed, or collapsed because the window is
    /// narrow) comes back with one click.
    fn panel_toggles_ui(&mut self, ui: &mut egui::Ui) {
        let s = self.lang.s();
        let width = ui.ctx().content_rect().width();
        let (settings, clients) = self.side_panels_shown(width);
        let split = self.split && self.panes.len() >= 2;
        if split && !self.split_side_panels {
            return;
        }
        if ui
            .selectable_label(settings, s.settings_panel)
            .on_hover_text(s.panel_toggle_tip)
            .clicked()
        {
            self.side.settings = !settings;
            if self.side.settings {
                self.side.clients_first = false;
            }
        }
        let protocol = self.sessions.get(self.active).map(|v| v.settings.protocol);
        let title = match protocol {
            Some(Protocol::TcpServer) => self.lang.t().clients,
            Some(Protocol::Udp) => s.peers,
            _ => return,
        };
        if ui
            .selectable_label(clients, title)
            .on_hover_text(s.panel_toggle_tip)
            .clicked()
        {
            self.side.clients = !clients;
            if self.side.clients {
                self.side.clients_first = true;
            }
        }
    }
}

/// A visible grip on a side panel's resizable edge at `x`: three dots half-way down.
fn resize_grip(ui: &egui::Ui, x: f32) {
    let rect = ui.max_rect();
    let color = ui.visuals().widgets.inactive.fg_stroke.color;
    let y = rect.center().y;
    for dy in [-8.0, 0.0, 8.0] {
        ui.painter()
            .circle_filled(egui::pos2(x, y + dy), 2.0, color);
    }
}

/// The side panel's sections for one session.
fn settings_sections_ui(
    ui: &mut egui::Ui,
    view: &mut SessionView,
    lang: Lang,
    local_ips: &mut Vec<String>,
    notify: &Notify,
) {
    let t = lang.t();
    let s = lang.s();
    egui::CollapsingHeader::new(t.network_settings)
        .id_salt("network")
        .default_open(true)
        .show(ui, |ui| {
            connection_ui::connection_ui(ui, view, lang, local_ips, notify);
            if ui.small_button(t.refresh).clicked() {
                *local_ips = connection_ui::local_addresses();
            }
        });
    if view.settings.protocol != Protocol::TcpClient {
        egui::CollapsingHeader::new(s.room)
            .id_salt("room")
            .default_open(false)
            .show(ui, |ui| room_ui::room_ui(ui, view, lang));
    }
    egui::CollapsingHeader::new(s.heartbeat)
        .id_salt("heartbeat")
        .default_open(false)
        .show(ui, |ui| room_ui::heartbeat_ui(ui, view, lang));
    egui::CollapsingHeader::new(s.auto_reply)
        .id_salt("rules")
        .default_open(false)
        .show(ui, |ui| room_ui::rules_ui(ui, view, lang));
    if view.settings.protocol == Protocol::Udp {
        egui::CollapsingHeader::new(s.multicast)
            .id_salt("multicast")
            .default_open(false)
            .show(ui, |ui| multicast_ui::multicast_ui(ui, view, lang));
    }
    egui::CollapsingHeader::new(t.receive_settings)
        .id_salt("receive")
        .default_open(true)
        .show(ui, |ui| {
            receive_ui::receive_ui(ui, view, lang);
            ui.separator();
            framing_ui::framing_ui(ui, view, lang);
        });
    egui::CollapsingHeader::new(t.send_settings)
        .id_salt("send")
        .default_open(true)
        .show(ui, |ui| send_ui::send_settings_ui(ui, view, lang));
}

/// Keeps `pacer` on `ctx`, where views that keep working on data find it
/// ([`request_data_repaint`]).
fn set_pacer(ctx: &egui::Context, pacer: &Arc<pacer::Pacer>) {
    ctx.data_mut(|d| d.insert_temp(egui::Id::unique(PACER_ID), Arc::clone(pacer)));
}

const PACER_ID: &str = "netassist-data-pacer";

/// Asks for a repaint to go on with data work (laying out a flood, searching), capped as the
/// engine's repaints are; immediate when no pacer is set on `ctx`.
pub fn request_data_repaint(ctx: &egui::Context) {
    match ctx.data(|d| d.get_temp::<Arc<pacer::Pacer>>(egui::Id::unique(PACER_ID))) {
        Some(pacer) => pacer.request(ctx),
        None => ctx.request_repaint(),
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
