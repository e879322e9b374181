//! One panel per file, each a `*_ui` function over a [`super::session::SessionView`].
//!
//! A new panel: a file here with `pub fn thing_ui(ui, view, lang)`; what it keeps between
//! frames goes in `app/view_state.rs` (or the session's settings when it is persisted), its
//! words in `app/i18n`, byte counts through `app/format.rs`; it is placed in the window by
//! `app/window.rs` (a side panel section: `settings_sections_ui` there). Panels do not import
//! each other's code: what two share goes below them.

pub mod clients_ui;
pub mod connection_ui;
pub mod framing_ui;
pub mod log_rows_ui;
pub mod log_view_ui;
pub mod multicast_ui;
pub mod plot_ui;
pub mod receive_ui;
pub mod room_ui;
pub mod search_ui;
pub mod send_ui;
pub mod sessions_ui;
pub mod status_bar_ui;
pub mod tabs_ui;
pub mod tls_ui;
// issue 15: websocket
pub mod ws_ui;
// issue 15: serial
pub mod serial_ui;

use eframe::egui;
use egui::{Color32, RichText, Ui};

use super::error::UiError;
use super::i18n::{Lang, error_text};

/// Shows an error in red right where it belongs, wrapped to the available width.
pub fn error_ui(ui: &mut Ui, lang: Lang, error: Option<&UiError>) {
    if let Some(error) = error {
        ui.label(RichText::new(error_text(lang, error)).color(error_color(ui)));
    }
}

/// Red that reads on both themes.
pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// A single-line text field with an accessible label shown before it.
pub fn labelled_field(ui: &mut Ui, label: &str, value: &mut String, width: f32) -> egui::Response {
    let label = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(width))
        .labelled_by(label.id)
}

/// The width of `text` in the body font (labels and buttons use it).
pub fn text_width(ui: &Ui, text: &str) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.fonts_mut(|f| {
        f.layout_no_wrap(text.to_owned(), font, Color32::WHITE)
            .size()
            .x
    })
}

/// The width of a button (or selectable label) showing `text`.
pub fn button_width(ui: &Ui, text: &str) -> f32 {
    text_width(ui, text) + 2.0 * ui.spacing().button_padding.x
}
