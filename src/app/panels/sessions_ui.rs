//! The split view: 2–4 sessions side by side, each with its state, Open/Close, log and a
//! send line (the tabs above it are `tabs_ui`).

use eframe::egui;
use egui::containers::menu::{MenuButton, MenuConfig};
use egui::{PopupCloseBehavior, Rect, RichText, Ui, UiBuilder, vec2};

use super::send_ui::SEND_SHORTCUT;
use super::{error_ui, log_view_ui};
use crate::app::NetAssistApp;
use crate::app::format::{bytes, exact_bytes};
use crate::app::i18n::Lang;
use crate::app::session::{LinkState, SessionView};
use crate::app::settings::Protocol;
use crate::app::workspace::{MAX_PANES, SessionAction};
use crate::engine::Notify;

/// The widest a pane's log menu grows (search bar, filters and export wrap inside it).
const MENU_WIDTH: f32 = 520.0;

/// The least height of a pane in the 2 × 2 grid (points): its toolbar, a log of a few rows and
/// its send line. A view too short for two such rows (four panes at projector zoom in a
/// small window) scrolls instead of squeezing the logs to nothing.
pub const MIN_PANE_HEIGHT: f32 = 190.0;

/// The split view: the panes in a grid (2 or 3 side by side, 4 as 2 × 2). Returns where each
/// pane went.
pub fn split_ui(
    ui: &mut Ui,
    app: &mut NetAssistApp,
    lang: Lang,
    notify: &Notify,
) -> [Option<Rect>; MAX_PANES] {
    let area = ui.available_rect_before_wrap();
    let (columns, rows) = match app.panes.len() {
        0..=3 => (app.panes.len().max(1), 1),
        _ => (2, 2),
    };
    if rows == 1 || area.height() / rows as f32 >= MIN_PANE_HEIGHT {
        let placed = panes_ui(ui, app, lang, notify, area, columns, rows);
        ui.allocate_rect(area, egui::Sense::hover());
        return placed;
    }
    egui::ScrollArea::vertical()
        .id_salt("split_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            let grid = Rect::from_min_size(
                ui.available_rect_before_wrap().min,
                vec2(ui.available_width(), MIN_PANE_HEIGHT * rows as f32),
            );
            let placed = panes_ui(ui, app, lang, notify, grid, columns, rows);
            ui.allocate_rect(grid, egui::Sense::hover());
            placed
        })
        .inner
}

/// Draws the panes in a `columns` × `rows` grid filling `area`.
fn panes_ui(
    ui: &mut Ui,
    app: &mut NetAssistApp,
    lang: Lang,
    notify: &Notify,
    area: Rect,
    columns: usize,
    rows: usize,
) -> [Option<Rect>; MAX_PANES] {
    let mut placed = [None; MAX_PANES];
    let panes = app.panes.clone();
    let size = vec2(area.width() / columns as f32, area.height() / rows as f32);
    let titles: Vec<String> = (0..app.sessions.len())
        .map(|i| app.session_title(i))
        .collect();
    let mut action = None;
    for (pane, uid) in panes.iter().enumerate() {
        let Some(index) = app.index_of(*uid) else {
            continue;
        };
        let (column, row) = (pane % columns, pane / columns);
        let min = area.min + vec2(size.x * column as f32, size.y * row as f32);
        let cell = Rect::from_min_size(min, size).shrink(3.0);
        if let Some(slot) = placed.get_mut(pane) {
            *slot = Some(cell);
        }
        let mut child = ui.new_child(
            UiBuilder::new()
                .max_rect(cell)
                .id_salt(("pane", pane))
                .layout(egui::Layout::top_down(egui::Align::Min)),
        );
        // A pane draws inside its cell only: a widget too wide for a narrow pane is cut off
        // rather than drawn over its neighbour.
        child.set_clip_rect(cell.intersect(ui.clip_rect()));
        let active = index == app.active;
        let stroke = if active {
            child.visuals().selection.stroke
        } else {
            child.visuals().widgets.noninteractive.bg_stroke
        };
        let frame = egui::Frame::group(child.style()).stroke(stroke);
        frame.show(&mut child, |ui| {
            ui.set_min_size(cell.size() - vec2(14.0, 14.0));
            ui.set_max_size(cell.size() - vec2(14.0, 14.0));
            let view = &mut app.sessions[index];
            if let Some(a) = pane_ui(ui, view, pane, index, &titles, active, lang, notify) {
                action = Some(a);
            }
        });
    }
    if let Some(action) = action {
        app.act(action);
    }
    placed
}

/// One pane: which session, its state and Open/Close, its log and a send line.
#[allow(
    clippy::too_many_arguments,
    reason = "a pane needs its place, the titles and the app's context"
)]
fn pane_ui(
    ui: &mut Ui,
    view: &mut SessionView,
    pane: usize,
    index: usize,
    titles: &[String],
    active: bool,
    lang: Lang,
    notify: &Notify,
) -> Option<SessionAction> {
    let t = lang.t();
    let s = lang.s();
    let title = titles.get(index).cloned().unwrap_or_default();
    let mut action = pane_toolbar_ui(ui, view, pane, index, titles, active, lang, notify);
    error_ui(ui, lang, view.open_error.as_ref());
    let mut focused = false;
    super::connection_ui::join_hint_ui(ui, view, lang);
    egui::Panel::bottom(("pane_send", pane))
        .resizable(false)
        .show(ui, |ui| {
            // The button first, from the right, so that it is never pushed out of the pane;
            // the box takes what is left.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                let clicked = ui
                    .add(egui::Button::new(t.send).min_size(vec2(70.0, 0.0)))
                    .on_hover_text(s.pane_send_tip)
                    .clicked();
                let label = format!("{} · {title}", t.send_box);
                // Multi-line as in the main view: Enter adds a line, Ctrl+Enter sends.
                let edit = ui
                    .add(
                        egui::TextEdit::multiline(&mut view.send_text)
                            .desired_rows(2)
                            .desired_width(ui.available_width()),
                    )
                    .on_hover_text(s.pane_send_tip);
                // The accessible name says which pane the field belongs to.
                edit.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::accesskit::Role::TextInput, true, &label)
                });
                focused = edit.has_focus() || edit.gained_focus();
                let shortcut =
                    edit.has_focus() && ui.input_mut(|i| i.consume_shortcut(&SEND_SHORTCUT));
                if shortcut || clicked {
                    let text = view.send_text.clone();
                    view.send_input(&text);
                }
            });
            error_ui(ui, lang, view.send_error.as_ref());
        });
    // The pane the user works in is the selected one: the status bar describes it.
    let pressed_here =
        ui.rect_contains_pointer(ui.max_rect()) && ui.input(|i| i.pointer.any_pressed());
    if !active && (focused || pressed_here) && action.is_none() {
        action = Some(SessionAction::Select(index));
    }
    egui::CentralPanel::default_margins().show(ui, |ui| {
        ui.push_id(view.uid, |ui| log_view_ui::pane_log_ui(ui, view, lang));
    });
    action
}

/// A pane's one toolbar row: its session, state, open/close, the log menu and the counters.
#[allow(clippy::too_many_arguments)] // the pane's place among the panes, as `pane_ui` has it
fn pane_toolbar_ui(
    ui: &mut Ui,
    view: &mut SessionView,
    pane: usize,
    index: usize,
    titles: &[String],
    active: bool,
    lang: Lang,
    notify: &Notify,
) -> Option<SessionAction> {
    let t = lang.t();
    let s = lang.s();
    let mut action = None;
    let title = titles.get(index).cloned().unwrap_or_default();
    // Wrapped: on a pane too narrow even for the short row, the buttons go to a second line
    // instead of over the pane's edge.
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_id_salt(("pane_session", pane))
            .selected_text(RichText::new(&title).strong())
            .show_ui(ui, |ui| {
                for (other, name) in titles.iter().enumerate() {
                    if ui.selectable_label(other == index, name).clicked() {
                        action = Some(SessionAction::PaneSession {
                            pane,
                            session: other,
                        });
                    }
                }
            })
            .response
            .on_hover_text(s.pane_session);
        let open = view.is_active();
        let (state, address) = match view.state {
            LinkState::Closed => (t.state_closed, None),
            LinkState::Opening => (t.state_opening, None),
            LinkState::Open { local, .. } => {
                let state = if view.settings.protocol == Protocol::TcpServer {
                    t.state_listening
                } else {
                    t.state_open
                };
                (state, Some(local))
            }
        };
        // The address only where the row keeps room for the buttons after it (at a projector's
        // zoom a pane is narrow): otherwise it is in the tooltip.
        let full = match address {
            Some(local) => format!("{state} {}", crate::engine::peer_label(local)),
            None => state.to_owned(),
        };
        let buttons = super::button_width(ui, if open { t.close } else { t.open })
            + super::button_width(ui, s.pane_log_menu)
            + 2.0 * ui.spacing().item_spacing.x;
        let fits = super::button_width(ui, &full) + buttons <= ui.available_width();
        let (label, tip) = if fits || address.is_none() {
            (full, s.session_menu_tip.to_owned())
        } else {
            (state.to_owned(), format!("{full}\n{}", s.session_menu_tip))
        };
        if ui
            .selectable_label(active, label)
            .on_hover_text(tip)
            .clicked()
        {
            action = Some(SessionAction::Select(index));
        }
        if ui.button(if open { t.close } else { t.open }).clicked() {
            if open {
                view.close(lang);
            } else {
                view.open(Some(notify.clone()));
            }
        }
        // Search, filters, copy and export: in a menu, so the rows get the pane.
        let config = MenuConfig::new().close_behavior(PopupCloseBehavior::CloseOnClickOutside);
        let (button, _) = MenuButton::new(s.pane_log_menu)
            .config(config)
            .ui(ui, |ui| {
                ui.set_max_width(MENU_WIDTH);
                log_view_ui::log_menu_ui(ui, view, lang);
            });
        button.on_hover_text(s.pane_log_menu_tip);
        // The counters where they fit whole (the status bar has them for the selected pane).
        let counters = format!(
            "{} {} · {} {}",
            t.rx,
            bytes(view.counters.rx_bytes),
            t.tx,
            bytes(view.counters.tx_bytes)
        );
        // The label comes after the row's spacing; measured without it, it wrapped mid-number.
        let room = ui.available_width() - ui.spacing().item_spacing.x;
        if super::text_width(ui, &counters) <= room {
            let label = egui::Label::new(RichText::new(counters).weak()).truncate();
            ui.add(label).on_hover_text(format!(
                "{} {} · {} {}",
                t.rx,
                exact_bytes(view.counters.rx_bytes),
                t.tx,
                exact_bytes(view.counters.tx_bytes)
            ));
        }
    });
    action
}
