//! The window's frame: the top bar, tabs, status bar, side panels (settings, client list), the
//! log with its send box or the split view, each placed within the window's width.

use eframe::egui;

use super::i18n::Lang;
use super::pacer::set_pacer;
use super::panels::{
    clients_ui, connection_ui, framing_ui, log_view_ui, multicast_ui, receive_ui, room_ui, send_ui,
    sessions_ui, status_bar_ui, tabs_ui,
};
use super::session::SessionView;
use super::settings::Protocol;
use super::{
    CLIENTS_WIDTH, MIN_LOG_WIDTH, MIN_PANEL_WIDTH, NetAssistApp, SETTINGS_WIDTH, WindowLayout,
    fonts,
};
use crate::engine::Notify;

impl NetAssistApp {
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
            if let Some(action) = tabs_ui::tabs_ui(ui, self, lang) {
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
            let shown = egui::CentralPanel::default_margins()
                .show(ui, |ui| sessions_ui::split_ui(ui, self, lang, &notify));
            layout.log = Some(shown.response.rect);
            layout.panes = shown.inner;
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
            // issue 15: serial — a port has no local address (its own Refresh lists ports).
            if !view.settings.serial.enabled && ui.small_button(t.refresh).clicked() {
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
