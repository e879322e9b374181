//! The top bar: language, theme, zoom, presets, "Open all", the side panels' toggles and the
//! data repaint rate.

use eframe::egui;

use super::i18n::Lang;
use super::settings::{Protocol, Theme};
use super::{NetAssistApp, presets};

impl NetAssistApp {
    pub(super) fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let t = self.lang.t();
        let s = self.lang.s();
        // Wrapped: at a projector's zoom in the window's first size (1100 × 720 at 200 % is
        // 550 points wide) the bar takes a second row instead of running off the window.
        ui.horizontal_wrapped(|ui| {
            // Narrow (a projector's zoom): the name and the words that only label what speaks
            // for itself give way, so the buttons keep one row.
            let roomy = ui.available_width() > 800.0;
            if roomy {
                ui.strong("netassist");
                ui.separator();
                ui.label(t.language);
            }
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
            if roomy {
                ui.separator();
                ui.weak(format!("{:.0}%", ctx.zoom_factor() * 100.0))
                    .on_hover_text(t.zoom_tip);
            }

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
            let label_width = super::panels::text_width(ui, t.data_fps);
            // The label and its field (about four characters), on this row or not at all.
            let needed = label_width + 5.0 * ui.text_style_height(&egui::TextStyle::Body);
            if ui.available_size_before_wrap().x > needed {
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
