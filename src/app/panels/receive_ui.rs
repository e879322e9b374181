//! 接收设置: how the log shows data, and saving received bytes.

use eframe::egui;
use egui::Ui;

use super::error_ui;
use crate::app::file_dialog::{self, DialogKind};
use crate::app::i18n::Lang;
use crate::app::session::SessionView;
use crate::codec::TextEncoding;
use crate::log::ViewMode;

/// The receive settings section.
pub fn receive_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let r = &mut view.settings.receive;
    ui.horizontal_wrapped(|ui| {
        ui.radio_value(&mut r.view, ViewMode::Text, t.view_text);
        ui.radio_value(&mut r.view, ViewMode::Hex, t.view_hex);
        ui.radio_value(&mut r.view, ViewMode::Both, t.view_both);
    });
    let mut encoding = r.encoding.clone();
    egui::ComboBox::from_label(t.encoding)
        .selected_text(encoding.as_str())
        .show_ui(ui, |ui| {
            for enc in TextEncoding::common() {
                ui.selectable_value(&mut encoding, enc.name().to_owned(), enc.name());
            }
        })
        .response
        .on_hover_text(t.encoding_tip);
    if encoding != view.settings.receive.encoding {
        view.set_encoding(&encoding);
    }
    let r = &mut view.settings.receive;
    // The framing view needs one header per record to show where each message starts.
    ui.add_enabled(
        r.framing.is_empty(),
        egui::Checkbox::new(&mut r.log_mode, t.log_mode),
    )
    .on_hover_text(t.log_mode_tip);
    ui.checkbox(&mut r.wrap, t.auto_wrap);
    ui.checkbox(&mut r.hide_received, t.hide_received);
    ui.checkbox(&mut view.paused, t.pause_display)
        .on_hover_text(t.pause_tip);
    ui.checkbox(&mut r.auto_scroll, t.auto_scroll)
        .on_hover_text(t.auto_scroll_tip);
    if ui.button(t.clear).clicked() {
        view.clear_log();
    }
    super::log_view_ui::log_cap_ui(ui, view, lang);
    ui.separator();
    ui.label(t.save_received);
    ui.horizontal(|ui| {
        let label = ui.label(t.save_path);
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut view.settings.receive.save_path)
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
        let button = ui.button(t.browse).on_hover_text(t.browse_tip);
        let kind = DialogKind::Save("received.bin");
        if let Some(path) = file_dialog::browse(ui, lang, &button, kind, field.id) {
            view.settings.receive.save_path = path.display().to_string();
        }
    });
    ui.horizontal(|ui| {
        if let Some(path) = &view.saving {
            let path = path.display().to_string();
            if ui.button(t.stop_saving).clicked() {
                view.save_to(None);
            }
            ui.label(format!("{}: {path}", t.saving_to));
        } else {
            let button = ui.button(t.start_saving);
            crate::app::smoke::report(ui, &button, "start-saving");
            if button.clicked() {
                let path = view.settings.receive.save_path.clone();
                view.save_to(Some(&path));
            }
        }
    });
    error_ui(ui, lang, view.save_error.as_ref());
}
