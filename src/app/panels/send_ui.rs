//! 发送设置 and the send box: options, cyclic send, file send, history, quick commands.

use eframe::egui;
use egui::{Key, KeyboardShortcut, Modifiers, Ui};

use super::{error_ui, labelled_field};
use crate::app::file_dialog::{self, DialogKind};
use crate::app::format;
use crate::app::i18n::Lang;
use crate::app::session::SessionView;
use crate::app::settings::QuickCommand;
use crate::codec::{Checksum, Eol};

/// Ctrl+Enter (Cmd+Enter on macOS) sends.
pub const SEND_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);

/// The send settings section.
pub fn send_settings_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let s = &mut view.settings.send;
    ui.horizontal_wrapped(|ui| {
        ui.radio_value(&mut s.hex, false, t.input_text);
        ui.radio_value(&mut s.hex, true, t.input_hex);
    });
    ui.add_enabled_ui(!s.hex, |ui| {
        ui.checkbox(&mut s.escapes, t.escapes)
            .on_hover_text(t.escapes_tip);
        let eol_label = |eol: Eol| match eol {
            Eol::None => t.eol_none.to_owned(),
            other => other.name().to_uppercase(),
        };
        egui::ComboBox::from_label(t.append)
            .selected_text(eol_label(s.eol()))
            .show_ui(ui, |ui| {
                for eol in Eol::ALL {
                    ui.selectable_value(&mut s.eol, eol.name().to_owned(), eol_label(eol));
                }
            });
    });
    egui::ComboBox::from_label(t.checksum)
        .selected_text(s.checksum().map_or(t.checksum_none, |c| c.name()))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut s.checksum, String::new(), t.checksum_none);
            for checksum in Checksum::ALL {
                ui.selectable_value(&mut s.checksum, checksum.name().to_owned(), checksum.name());
            }
        });
    ui.separator();
    ui.checkbox(&mut s.repeat, t.cyclic)
        .on_hover_text(t.cyclic_tip);
    // Interval and count can be set before cyclic send is ticked.
    ui.horizontal(|ui| {
        labelled_field(ui, t.interval_ms, &mut s.interval_ms, 60.0);
    });
    ui.horizontal(|ui| {
        labelled_field(ui, t.count, &mut s.count, 60.0).on_hover_text(t.count_tip);
    });
    ui.horizontal(|ui| {
        ui.label(format!("{}: {}", t.sends_made, view.repeat_sent));
        if view.repeating && ui.button(t.stop).clicked() {
            view.stop_repeat();
        }
    });
    ui.separator();
    ui.label(t.send_file);
    ui.horizontal(|ui| {
        let label = ui.label(t.file_path);
        let field = ui
            .add(egui::TextEdit::singleline(&mut view.settings.send.file_path).desired_width(120.0))
            .labelled_by(label.id);
        let button = ui.button(t.browse).on_hover_text(t.browse_tip);
        if let Some(path) = file_dialog::browse(ui, lang, &button, DialogKind::Open, field.id) {
            view.settings.send.file_path = path.display().to_string();
        }
    });
    ui.horizontal(|ui| {
        if ui.button(t.send_file).clicked() {
            let path = view.settings.send.file_path.clone();
            view.send_file(&path);
        }
        ui.weak(t.drop_hint);
    });
    error_ui(ui, lang, view.file_error.as_ref());
    // issue 11: send queue
    ui.separator();
    let s = &mut view.settings.send;
    ui.horizontal(|ui| {
        let label = ui.label(t.send_queue_mib).on_hover_text(t.send_queue_tip);
        ui.add(egui::DragValue::new(&mut s.send_queue_mib).range(1..=4096))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(t.send_queue_stall).on_hover_text(t.send_queue_tip);
        ui.add(egui::DragValue::new(&mut s.send_queue_stall_secs).range(1..=3600))
            .labelled_by(label.id);
    });
}

/// A file send's progress, under the send box where it is seen without scrolling.
fn file_progress_ui(ui: &mut Ui, view: &SessionView, lang: Lang) {
    let s = lang.s();
    if let Some(progress) = &view.file_progress {
        let fraction = if progress.total == 0 {
            0.0
        } else {
            progress.sent as f32 / progress.total as f32
        };
        let name = progress.path.file_name().map_or_else(
            || progress.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.add(
            egui::ProgressBar::new(fraction)
                .text(format!(
                    "{}: {name} {}",
                    s.sending_file,
                    progress_text(progress.sent, progress.total)
                ))
                .show_percentage(),
        );
    }
}

/// How much of a file went out, in the window's units: `1.5 MiB / 4.0 MiB`.
fn progress_text(sent: u64, total: u64) -> String {
    format!("{} / {}", format::bytes(sent), format::bytes(total))
}

/// The send box with its button, history and quick commands.
pub fn send_box_ui(
    ui: &mut Ui,
    view: &mut SessionView,
    lang: Lang,
    quick_draft: &mut QuickCommand,
) {
    let t = lang.t();
    let s = lang.s();
    let mut send_now: Option<String> = None;
    let label_id = ui
        .horizontal(|ui| {
            let label = ui.label(t.send_box);
            ui.menu_button(t.history, |ui| {
                if view.settings.send.history.is_empty() {
                    ui.weak(t.history_empty);
                }
                let mut chosen = None;
                for entry in &view.settings.send.history {
                    let shown: String = entry.chars().take(60).collect();
                    if ui.button(shown).clicked() {
                        chosen = Some(entry.clone());
                    }
                }
                if let Some(entry) = chosen {
                    view.send_text = entry;
                    ui.close();
                }
            });
            ui.label("·");
            let quick = &view.settings.send.quick;
            // What does not fit on the row goes into a "More" menu at its end.
            let reserve = 2.0 * ui.spacing().interact_size.x + ui.spacing().item_spacing.x;
            let first = quick.first().map_or(0.0, |q| button_width(ui, &q.name));
            if ui.available_width() >= super::text_width(ui, t.quick_commands) + first + reserve {
                ui.label(t.quick_commands);
            }
            let mut overflow_from = None;
            let mut remove = None;
            for (index, quick) in quick.iter().enumerate() {
                if ui.available_width() < button_width(ui, &quick.name) + reserve {
                    overflow_from = Some(index);
                    break;
                }
                quick_button(ui, quick, index, t, &mut send_now, &mut remove);
            }
            if let Some(from) = overflow_from {
                ui.menu_button(s.more, |ui| {
                    for (index, quick) in quick.iter().enumerate().skip(from) {
                        quick_button(ui, quick, index, t, &mut send_now, &mut remove);
                    }
                })
                .response
                .on_hover_text(s.more_tip);
            }
            if let Some(index) = remove {
                view.settings.send.quick.remove(index);
            }
            ui.menu_button("+", |ui| {
                labelled_field(ui, t.quick_name, &mut quick_draft.name, 120.0);
                labelled_field(ui, t.quick_payload, &mut quick_draft.payload, 120.0);
                if ui.button(t.add).clicked() && !quick_draft.name.trim().is_empty() {
                    view.settings.send.quick.push(quick_draft.clone());
                    *quick_draft = QuickCommand {
                        name: String::new(),
                        payload: String::new(),
                    };
                    ui.close();
                }
            });
            label.id
        })
        .inner;
    ui.horizontal(|ui| {
        let button_width = 90.0;
        // A low window (projector zoom) keeps its height for the log.
        let rows = if ui.ctx().content_rect().height() < 500.0 {
            2
        } else {
            3
        };
        let edit = egui::TextEdit::multiline(&mut view.send_text)
            .desired_rows(rows)
            .desired_width(ui.available_width() - button_width - 8.0)
            .code_editor();
        let response = ui.add(edit).labelled_by(label_id);
        crate::app::smoke::report(ui, &response, "send-box");
        let shortcut = response.has_focus() && ui.input_mut(|i| i.consume_shortcut(&SEND_SHORTCUT));
        ui.vertical(|ui| {
            let clicked = ui
                .add(egui::Button::new(t.send).min_size(egui::vec2(button_width, 40.0)))
                .on_hover_text(t.send_tip)
                .clicked();
            if clicked || shortcut {
                send_now = Some(view.send_text.clone());
            }
            if view.repeating && ui.button(t.stop).clicked() {
                view.stop_repeat();
            }
        });
    });
    if let Some(text) = send_now {
        view.send_input(&text);
    }
    send_errors_ui(ui, view, lang);
    file_progress_ui(ui, view, lang);
}

/// The send box's error; while the peer does not read, that is said even before the next try.
fn send_errors_ui(ui: &mut Ui, view: &SessionView, lang: Lang) {
    if let Some(queued) = view.send_queue_waiting
        && view.send_error.is_none()
    {
        error_ui(
            ui,
            lang,
            Some(&crate::app::error::UiError::PeerNotReading(queued)),
        );
    }
    error_ui(ui, lang, view.send_error.as_ref());
}

/// The width of a button showing `text`, with the spacing after it.
fn button_width(ui: &Ui, text: &str) -> f32 {
    super::button_width(ui, text) + ui.spacing().item_spacing.x
}

/// A quick command's button: a click sends it, its context menu removes it.
fn quick_button(
    ui: &mut Ui,
    quick: &QuickCommand,
    index: usize,
    t: &crate::app::i18n::Texts,
    send_now: &mut Option<String>,
    remove: &mut Option<usize>,
) {
    let button = ui.button(&quick.name).on_hover_text(&quick.payload);
    if button.clicked() {
        *send_now = Some(quick.payload.clone());
        ui.close();
    }
    button.context_menu(|ui| {
        if ui.button(t.remove).clicked() {
            *remove = Some(index);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::progress_text;

    #[test]
    fn a_file_send_counts_in_the_windows_units() {
        assert_eq!(progress_text(0, 1000), "0 B / 1000 B");
        assert_eq!(progress_text(1536 * 1024, 4 << 20), "1.5 MiB / 4.0 MiB");
    }
}
