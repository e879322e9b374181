//! The session tabs: one per session (click to select, double-click to rename, a menu with
//! rename, duplicate and close), the buttons for the selected session (new, rename, duplicate,
//! close) and the split view's controls (on/off, how many panes, side panels).

use eframe::egui;
use egui::{Color32, RichText, Ui};

use crate::app::NetAssistApp;
use crate::app::i18n::Lang;
use crate::app::workspace::{MAX_PANES, SessionAction};

/// Green that reads on both themes, for open sessions.
fn open_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0x6C, 0xC6, 0x6C)
    } else {
        Color32::from_rgb(0x1E, 0x7B, 0x34)
    }
}

/// The least width the tabs keep beside the tab bar's buttons (points, or all they need when
/// less); with less (a narrow window at projector zoom) the tabs get a row of their own.
const MIN_TABS_WIDTH: f32 = 240.0;

/// The widths (points) the tab bar's parts took in the last frame, to choose its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct TabBarWidths {
    /// The split view's controls.
    split: f32,
    /// The session buttons.
    session: f32,
    /// The tabs (as wide as the view when they wrapped).
    tabs: f32,
}

impl TabBarWidths {
    /// How many rows the tab bar needs in `room` points: the tabs beside the buttons, under
    /// them, or under the buttons in two rows.
    fn rows(self, room: f32, separator: f32) -> usize {
        let buttons = self.split + separator + self.session;
        if buttons + self.tabs.min(MIN_TABS_WIDTH) <= room {
            1
        } else if buttons <= room {
            2
        } else {
            3
        }
    }
}

/// Runs `add` in a row laid out from the right edge; returns its outcome and the width used.
fn from_the_right<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> (R, f32) {
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let before = ui.available_width();
            let inner = add(ui);
            (inner, before - ui.available_width())
        })
        .inner
    })
    .inner
}

/// The split view's controls, a separator and the session buttons in one row from the right;
/// their widths go in `now`, what the user asked for in `actions`.
fn all_buttons_ui(
    ui: &mut Ui,
    app: &mut NetAssistApp,
    lang: Lang,
    now: &mut TabBarWidths,
    actions: &mut Vec<Option<SessionAction>>,
) {
    let before = ui.available_width();
    actions.push(split_controls_ui(ui, app, lang));
    now.split = before - ui.available_width();
    ui.separator();
    let before = ui.available_width();
    actions.push(session_controls_ui(ui, app, lang));
    now.session = before - ui.available_width();
}

/// The tab strip; returns what the user asked for. The buttons sit at the right end, so a
/// longer or shorter session name never moves them; the tabs scroll sideways when many. When
/// the buttons leave the tabs too little room (a narrow window at projector zoom), the tabs
/// wrap on a row of their own under the buttons (which take two rows when they must), so no
/// tab or button is ever cut at the window's edge.
pub fn tabs_ui(ui: &mut Ui, app: &mut NetAssistApp, lang: Lang) -> Option<SessionAction> {
    let id = egui::Id::unique("netassist tab bar widths");
    let last: TabBarWidths = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let room = ui.available_width();
    // A separator and the spacing on both of its sides.
    let separator = 3.0 * ui.spacing().item_spacing.x;
    let rows = last.rows(room, separator);
    let mut now = last;
    let mut actions = Vec::new();
    if rows == 1 {
        let ((), _) = from_the_right(ui, |ui| {
            all_buttons_ui(ui, app, lang, &mut now, &mut actions);
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                egui::ScrollArea::horizontal()
                    .id_salt("tabs")
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        let tabs = ui.horizontal(|ui| tabs_row_ui(ui, app, lang));
                        now.tabs = tabs.response.rect.width();
                        actions.push(tabs.inner);
                    });
            });
        });
    } else {
        if rows == 2 {
            let ((), _) = from_the_right(ui, |ui| {
                all_buttons_ui(ui, app, lang, &mut now, &mut actions);
            });
        } else {
            let (chosen, width) = from_the_right(ui, |ui| split_controls_ui(ui, app, lang));
            actions.push(chosen);
            now.split = width;
            let (chosen, width) = from_the_right(ui, |ui| session_controls_ui(ui, app, lang));
            actions.push(chosen);
            now.session = width;
        }
        let tabs = ui.horizontal_wrapped(|ui| tabs_row_ui(ui, app, lang));
        now.tabs = tabs.response.rect.width();
        actions.push(tabs.inner);
    }
    if now != last {
        ui.data_mut(|d| d.insert_temp(id, now));
        if now.rows(room, separator) != rows {
            // The first frame, a zoom or a longer name: lay out again before showing it.
            ui.ctx().request_discard("the tab bar changes rows");
        }
    }
    actions.into_iter().flatten().last()
}

/// The tabs themselves (one being renamed shows its name field).
fn tabs_row_ui(ui: &mut Ui, app: &mut NetAssistApp, lang: Lang) -> Option<SessionAction> {
    let s = lang.s();
    let mut action = None;
    for index in 0..app.sessions.len() {
        let uid = app.sessions[index].uid;
        if let Some((editing, name)) = app.renaming()
            && *editing == uid
        {
            let label = ui.label(s.session_name);
            let edit = ui
                .add(egui::TextEdit::singleline(name).desired_width(140.0))
                .labelled_by(label.id);
            if !edit.has_focus() && !edit.lost_focus() {
                edit.request_focus();
            }
            if edit.lost_focus() {
                action = Some(if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    SessionAction::CancelRename
                } else {
                    SessionAction::Rename(index, name.clone())
                });
            }
            continue;
        }
        let title = app.session_title(index);
        let text = if app.sessions[index].is_active() {
            RichText::new(title).color(open_color(ui)).strong()
        } else {
            RichText::new(title)
        };
        let tab = ui
            .selectable_label(index == app.active, text)
            .on_hover_text(s.session_menu_tip);
        if tab.double_clicked() {
            action = Some(SessionAction::StartRename(index));
        } else if tab.clicked() {
            action = Some(SessionAction::Select(index));
        }
        tab.context_menu(|ui| {
            if let Some(chosen) = session_buttons(ui, index, lang) {
                action = Some(chosen);
            }
        });
    }
    action
}

/// The split view's controls on the tab bar, laid out right to left: side panels, the pane
/// count, the split view switch.
fn split_controls_ui(ui: &mut Ui, app: &mut NetAssistApp, lang: Lang) -> Option<SessionAction> {
    let s = lang.s();
    let mut action = None;
    if app.split {
        ui.checkbox(&mut app.split_side_panels, s.side_panels)
            .on_hover_text(s.side_panels_tip);
        for count in (2..=MAX_PANES.min(app.sessions.len().max(2))).rev() {
            if ui
                .selectable_label(app.panes.len() == count, count.to_string())
                .clicked()
            {
                action = Some(SessionAction::Panes(count));
            }
        }
        ui.label(s.panes);
    }
    let mut split = app.split;
    if ui
        .checkbox(&mut split, s.split_view)
        .on_hover_text(s.split_tip)
        .changed()
    {
        action = Some(SessionAction::Split(split));
    }
    action
}

/// The selected session's rename, duplicate and close, then "New session", laid out right to
/// left.
fn session_controls_ui(ui: &mut Ui, app: &mut NetAssistApp, lang: Lang) -> Option<SessionAction> {
    let s = lang.s();
    let mut action = None;
    // Right to left: close, duplicate, rename read left to right as rename, duplicate, close.
    let mut chosen = None;
    if ui.small_button(s.close_session).clicked() {
        chosen = Some(SessionAction::Close(app.active));
    }
    if ui.small_button(s.duplicate).clicked() {
        chosen = Some(SessionAction::Duplicate(app.active));
    }
    if ui.small_button(s.rename).clicked() {
        chosen = Some(SessionAction::StartRename(app.active));
    }
    if chosen.is_some() {
        action = chosen;
    }
    ui.separator();
    if ui
        .button(s.new_session)
        .on_hover_text(s.new_session_tip)
        .clicked()
    {
        action = Some(SessionAction::Add);
    }
    action
}

/// Rename, duplicate and close for session `index` (in a tab's menu and on the tab bar).
fn session_buttons(ui: &mut Ui, index: usize, lang: Lang) -> Option<SessionAction> {
    let s = lang.s();
    let mut action = None;
    if ui.small_button(s.rename).clicked() {
        action = Some(SessionAction::StartRename(index));
    }
    if ui.small_button(s.duplicate).clicked() {
        action = Some(SessionAction::Duplicate(index));
    }
    if ui.small_button(s.close_session).clicked() {
        action = Some(SessionAction::Close(index));
    }
    action
}
