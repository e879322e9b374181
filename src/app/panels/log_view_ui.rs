//! The log: one fixed-height row per line, only the rows on screen are rendered; above it the
//! search bar, the copy and export tools and the throughput plot.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use eframe::egui;
use egui::{RichText, TextStyle, Ui};

use super::log_rows_ui::{Mark, line_ui};
pub use super::log_rows_ui::{column_width, match_fill, view_columns};
use super::plot_ui::throughput_plot_ui;
use super::search_ui::search_bar_ui;
use super::{error_color, labelled_field};
use crate::app::file_dialog::{self, DialogKind};
use crate::app::i18n::{Lang, bad_cap_text};
use crate::app::session::SessionView;
use crate::app::settings::Protocol;
use crate::app::view_state::{LogViewState, SEARCH_BUDGET};
use crate::log::export::records_text;
use crate::log::render::Layout;
use crate::log::{Export, ExportError, ExportFormat, LayoutParams, TextStyle as Style};

/// The longest a frame spends writing an export.
pub const EXPORT_BUDGET: Duration = Duration::from_millis(4);
/// The longest a frame spends laying out new records (the rest waits for the next frame).
pub const LAYOUT_BUDGET: Duration = Duration::from_millis(3);
/// Columns the stream view pads a record's header to ("← 255.255.255.255:65535" fits).
pub const STREAM_HEADER_COLUMNS: usize = 24;
/// The stream view's header padding in a narrow view: the arrow; rows after a record's first
/// start after it.
pub const NARROW_HEADER_COLUMNS: usize = 1;
/// Height of the throughput plot.
const PLOT_HEIGHT: f32 = 120.0;

/// The log cap fields of the receive settings. A typed value is applied when the field loses
/// focus (Enter or a click elsewhere), so typing `1000` does not trim to 1 on the way.
pub fn log_cap_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let state = &mut view.log_view;
    let receive = &mut view.settings.receive;
    let fields = [
        (
            t.log_cap_mib,
            &mut state.cap_mib_draft,
            &mut receive.log_max_mib,
        ),
        (
            t.log_cap_records,
            &mut state.cap_records_draft,
            &mut receive.log_max_records,
        ),
    ];
    for (field, (label, draft, value)) in fields.into_iter().enumerate() {
        ui.horizontal(|ui| {
            let mut text = draft.clone().unwrap_or_else(|| value.to_string());
            let response = labelled_field(ui, label, &mut text, 90.0).on_hover_text(t.log_cap_tip);
            if response.changed() {
                *draft = Some(text);
            }
            if response.lost_focus()
                && let Some(typed) = draft.take()
            {
                match typed.trim().parse::<u64>() {
                    Ok(n) if n > 0 => {
                        *value = n;
                        state.cap_error = None;
                    }
                    _ => state.cap_error = Some((field, typed)),
                }
            }
        });
    }
    if let Some((field, typed)) = &state.cap_error {
        let label = if *field == 0 {
            t.log_cap_mib
        } else {
            t.log_cap_records
        };
        let err = bad_cap_text(lang, label, typed);
        ui.label(RichText::new(err).color(error_color(ui)));
    }
}

/// The log view of a session, with its search bar and tools above the rows.
pub fn log_view_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    log_ui(ui, view, lang, true);
}

/// A split pane's log: the rows get the pane; search, filters and export are in the pane's
/// toolbar menu ([`log_menu_ui`]). A running export goes on, its progress and result shown.
pub fn pane_log_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    log_ui(ui, view, lang, false);
}

/// What a split pane's toolbar menu holds: the search bar with its filters, copy, export and
/// the throughput switch.
pub fn log_menu_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    if search_bar_ui(ui, &mut view.log_view.search, &view.log, lang) {
        ui.ctx().request_repaint();
    }
    ui.separator();
    let style = text_style(view);
    tools_row_ui(ui, view, lang, style);
}

/// How the log's text is put together for copy and export: the log mode's header lines or the
/// stream view's leading header.
fn text_style(view: &SessionView) -> Style {
    let log_mode = view.settings.receive.log_mode;
    Style {
        log_mode,
        // Header: "[12:34:56.789] ← [ffff:…]:65535 " — sized for IPv4, longer ones push the
        // text. In log mode the header has a line of its own; otherwise "← 127.0.0.1:65535 "
        // leads.
        header_columns: if log_mode { 0 } else { STREAM_HEADER_COLUMNS },
    }
}

/// The stream view's rows in a view of `text_columns`: in a narrow one (a pane of the split
/// view, a projector's zoom) the padded header column would take a third of each row or more,
/// so a record's header leads its first row only and the rows after it start near the left.
/// Copy and export keep the padded header ([`text_style`]).
fn narrow_rows(style: Style, text_columns: usize) -> Style {
    if style.log_mode || text_columns >= 3 * STREAM_HEADER_COLUMNS {
        return style;
    }
    Style {
        header_columns: NARROW_HEADER_COLUMNS,
        ..style
    }
}

/// The log's caps and language from the settings; the plot's next sample.
fn apply_caps(view: &mut SessionView, lang: Lang) {
    let receive = &view.settings.receive;
    let mib = usize::try_from(receive.log_max_mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
    let records = usize::try_from(receive.log_max_records).unwrap_or(usize::MAX);
    view.log.set_caps(mib, records);
    view.log.set_lang(lang);
    view.log_view.plot.record(view.counters);
}

fn log_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang, with_tools: bool) {
    let font = TextStyle::Monospace.resolve(ui.style());
    let row_height = ui.text_style_height(&TextStyle::Monospace);
    apply_caps(view, lang);
    let receive = &view.settings.receive;
    let style = text_style(view);
    let text_columns = view_columns(ui.ctx(), &font, ui.available_width());
    let rows_style = narrow_rows(style, text_columns);
    let (log_mode, header_columns) = (rows_style.log_mode, rows_style.header_columns);

    let searching = if with_tools {
        search_bar_ui(ui, &mut view.log_view.search, &view.log, lang)
    } else {
        // The search bar is in the pane's menu: the search goes on while it is closed, so the
        // rows' highlights stay current.
        view.log_view.search.update(&view.log, SEARCH_BUDGET)
    };
    if searching {
        ui.ctx().request_repaint();
    }
    let params = LayoutParams {
        mode: receive.view,
        wrap_columns: receive.wrap.then_some(text_columns),
        hide_received: receive.hide_received,
        // A datagram is a message of its own: UDP records never flow into one line.
        merge: !log_mode && view.settings.protocol != Protocol::Udp,
        header_lines: log_mode,
        filter: view.log_view.search.query.filter,
        prefix: Some(header_columns),
    };
    let complete = view
        .layout
        .sync_within(&view.log, params, view.paused, Some(LAYOUT_BUDGET));
    if !complete {
        crate::app::pacer::request_data_repaint(ui.ctx());
    }
    tools_above_rows_ui(ui, view, lang, style, with_tools);

    let receive = &view.settings.receive;
    let spacing = ui.spacing().item_spacing.y;
    // The full layout is behind (a flood, or a new wrap width being laid out) while the view
    // follows the newest records: show those from a small layout of the tail, built now, so
    // the newest data is on screen in every frame.
    let following = receive.auto_scroll && !view.log_view.scrolled_up;
    let tail = (!complete && !view.paused && following).then(|| {
        let visible = (ui.available_height() / (row_height + spacing)).ceil() as usize + 2;
        Layout::tail(&view.log, params, visible)
    });
    view.log_view.showed_tail = tail.is_some();
    let layout = tail.as_ref().unwrap_or(&view.layout);
    let rows = layout.rows();
    let mut area = rows_area(ui, receive.wrap, receive.auto_scroll);
    let search = &mut view.log_view.search;
    let current_row = search
        .current
        .and_then(|m| layout.row_of(&view.log, m.seq, m.offset));
    let grown = view.log_view.drawn_rows != (layout.first_seq(), rows);
    if std::mem::take(&mut search.jump)
        && let Some(row) = current_row
    {
        let offset = row as f32 * (row_height + spacing) - ui.available_height() / 2.0;
        area = area.vertical_scroll_offset(offset.max(0.0));
    } else if std::mem::take(&mut view.scroll_to_end) || (following && grown) {
        // Following the newest rows: at the end in this frame already (sticking to the bottom
        // alone would show the rows that arrived in this frame only in the next one).
        let height = ui.available_height();
        area = area.vertical_scroll_offset(end_offset(rows, row_height, spacing, height));
    }
    let state = &mut view.log_view;
    let selected = state.selected();
    let log = &view.log;
    state.drawn = None;
    let output = area.show_rows(ui, row_height, rows, |ui, range| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for row in range {
            let Some(line) = layout.line(log, row) else {
                ui.label("");
                continue;
            };
            state.drawn = Some(widen(state.drawn, line.seq));
            let mark = mark_of(
                current_row == Some(row),
                selected.is_some_and(|(a, b)| (a..=b).contains(&line.seq)),
                state
                    .search
                    .search()
                    .is_some_and(|s| s.matches_in(line.seq)),
            );
            if line_ui(ui, &line, rows_style, &font, mark).clicked() {
                let shift = ui.input(|i| i.modifiers.shift);
                state.selection = match state.selection {
                    Some((anchor, _)) if shift => Some((anchor, line.seq)),
                    _ => Some((line.seq, line.seq)),
                };
            }
        }
    });
    // Scrolled up: more than a row above the bottom (the tail is not forced on the reader).
    let bottom = output.state.clamped_offset().y + output.inner_rect.height();
    state.scrolled_up = bottom + row_height < output.content_size.y;
    state.drawn_rows = (layout.first_seq(), rows);
}

/// The rows' scroll area: vertical only when lines wrap, stuck to the bottom when following.
fn rows_area(ui: &mut Ui, wrap: bool, follow: bool) -> egui::ScrollArea {
    // No rubber band: arriving rows move the end past last frame's, and its spring back asked
    // for frame after frame (~70 a second whatever the data rate or the Data fps setting).
    ui.spacing_mut().scroll.kinetic.rubber_band = false;
    if wrap {
        egui::ScrollArea::vertical()
    } else {
        egui::ScrollArea::both()
    }
    .auto_shrink([false, false])
    .stick_to_bottom(follow)
}

/// How a row stands out: the match navigated to, then the selection, then any match.
fn mark_of(current: bool, selected: bool, matched: bool) -> Mark {
    if current {
        Mark::Current
    } else if selected {
        Mark::Selected
    } else if matched {
        Mark::Match
    } else {
        Mark::None
    }
}

/// The scroll offset that shows the last of `rows` at the bottom of a view `height` high,
/// exactly as the scroll area measures it. Rows are placed from the offset as given, so one
/// past the end put them above the view (a short pane stayed blank during a flood), and the
/// area springs back from past the end with an animation that asks for frame after frame.
fn end_offset(rows: usize, row_height: f32, spacing: f32, height: f32) -> f32 {
    let content = (rows as f32 * (row_height + spacing) - spacing).max(0.0);
    (content - height).max(0.0)
}

/// What sits between the search bar and the rows: tools, export progress, plot, trim note.
fn tools_above_rows_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang, style: Style, tools: bool) {
    if tools {
        tools_row_ui(ui, view, lang, style);
    }
    export_status_ui(ui, view, lang);
    if view.log_view.plot.shown {
        throughput_plot_ui(ui, &view.log_view.plot, lang, PLOT_HEIGHT);
    }
    if view.log.trimmed() > 0 {
        ui.weak(format!("… {} {}", view.log.trimmed(), lang.t().trimmed));
    }
}

/// The range `drawn` with `seq` in it.
fn widen(drawn: Option<(u64, u64)>, seq: u64) -> (u64, u64) {
    drawn.map_or((seq, seq), |(a, b)| (a.min(seq), b.max(seq)))
}

/// Copy, export and the plot toggle.
fn tools_row_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang, style: Style) {
    let t = lang.t();
    let state = &mut view.log_view;
    ui.horizontal_wrapped(|ui| {
        let selected = state.selected();
        if ui
            .add_enabled(selected.is_some(), egui::Button::new(t.copy))
            .on_hover_text(t.copy_tip)
            .clicked()
            && let Some((first, last)) = selected
        {
            ui.ctx()
                .copy_text(records_text(&view.log, &view.layout, first, last, style));
        }
        if let Some((first, last)) = selected {
            let count = last.min(view.log.end_seq().saturating_sub(1)) + 1
                - first.max(view.log.first_seq()).min(last + 1);
            ui.weak(format!("{count} {}", t.selected));
        }
        ui.separator();
        let field = labelled_field(ui, t.export_path, &mut state.export_path, 140.0)
            .on_hover_text(t.export_tip);
        let button = ui.button(t.browse).on_hover_text(t.browse_tip);
        let kind = DialogKind::Save("netassist-log.txt");
        if let Some(path) = file_dialog::browse(ui, lang, &button, kind, field.id) {
            state.export_path = path.display().to_string();
        }
        let idle = state.export.is_none();
        for (format, label) in [
            (ExportFormat::Text, t.export_text),
            (ExportFormat::Csv, t.export_csv),
        ] {
            if ui
                .add_enabled(idle, egui::Button::new(label))
                .on_hover_text(t.export_tip)
                .clicked()
            {
                start_export(state, &view.log, &view.layout, format, style);
            }
        }
        ui.separator();
        ui.checkbox(&mut state.plot.shown, t.throughput)
            .on_hover_text(t.throughput_tip);
    });
}

/// A running export's next steps and progress, then its result: drawn whether or not the
/// tools that started it are on screen, so an export started from a pane's menu finishes.
fn export_status_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let state = &mut view.log_view;
    if let Some(export) = &mut state.export {
        match export.advance(&view.log, &view.layout, Some(EXPORT_BUDGET)) {
            Ok(None) => {
                let done = export.progress(&view.layout, &view.log);
                ui.add(egui::ProgressBar::new(done).show_percentage());
                ui.ctx().request_repaint();
            }
            Ok(Some(summary)) => {
                state.export = None;
                state.export_result = Some(Ok(summary));
            }
            Err(err) => {
                state.export = None;
                state.export_result = Some(Err(err));
            }
        }
    }
    match &state.export_result {
        Some(Ok(summary)) => {
            let mut text = format!(
                "{} {} → {}",
                t.exported,
                summary.written,
                summary.path.display()
            );
            if summary.skipped > 0 {
                let _ = write!(text, " ({} {})", summary.skipped, t.export_skipped);
            }
            ui.weak(text);
        }
        Some(Err(err)) => {
            ui.label(RichText::new(export_error_text(lang, err)).color(error_color(ui)));
        }
        None => {}
    }
}

fn start_export(
    state: &mut LogViewState,
    log: &crate::log::LogStore,
    layout: &crate::log::Layout,
    format: ExportFormat,
    style: Style,
) {
    let path = state.export_path.trim();
    if path.is_empty() {
        state.export_result = Some(Err(ExportError::NoFile));
        return;
    }
    let path = PathBuf::from(path);
    let started = match format {
        ExportFormat::Text => Export::text(&path, layout, style),
        ExportFormat::Csv => Export::csv(&path, log, state.search.query.filter),
    };
    match started {
        Ok(export) => {
            state.export = Some(export);
            state.export_result = None;
        }
        Err(err) => state.export_result = Some(Err(err)),
    }
}

/// An export error as a sentence in `lang`.
pub fn export_error_text(lang: Lang, err: &ExportError) -> String {
    lang.m().export_error(err)
}
