//! The log: one fixed-height row per line, only the rows on screen are rendered.

use eframe::egui;
use egui::text::LayoutJob;
use egui::{Color32, FontId, TextFormat, TextStyle, Ui};

use crate::app::i18n::Lang;
use crate::app::session::SessionView;
use crate::log::render::{Line, Span, header};
use crate::log::{Direction, LayoutParams};

/// Colours of the header by direction.
fn direction_color(ui: &Ui, direction: Direction) -> Color32 {
    let dark = ui.visuals().dark_mode;
    match (direction, dark) {
        (Direction::Tx, true) => Color32::from_rgb(0x6C, 0xC6, 0x6C),
        (Direction::Tx, false) => Color32::from_rgb(0x1E, 0x7B, 0x34),
        (Direction::Rx, true) => Color32::from_rgb(0x6C, 0xA8, 0xF0),
        (Direction::Rx, false) => Color32::from_rgb(0x1A, 0x5F, 0xB4),
        (Direction::Info, _) => ui.visuals().weak_text_color(),
    }
}

/// The log view of a session.
pub fn log_view_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let font = TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.fonts_mut(|f| f.glyph_width(&font, '0')).max(1.0);
    let row_height = ui.text_style_height(&TextStyle::Monospace);
    let receive = &view.settings.receive;
    let log_mode = receive.log_mode;
    // Header: "[12:34:56.789] ← [ffff:…]:65535 " — sized for IPv4, longer ones push the text.
    // In log mode the header has a line of its own; otherwise "← 127.0.0.1:65535 " leads.
    let header_columns: usize = if log_mode { 0 } else { 24 };
    let header_width = header_columns as f32 * char_width;
    let text_columns =
        ((ui.available_width() - header_width - 24.0) / char_width).max(8.0) as usize;
    let params = LayoutParams {
        mode: receive.view,
        wrap_columns: receive.wrap.then_some(text_columns),
        hide_received: receive.hide_received,
        merge: !log_mode,
        header_lines: log_mode,
    };
    view.layout.sync(&view.log, params, view.paused);
    if view.log.trimmed() > 0 {
        ui.weak(format!("… {} {}", view.log.trimmed(), t.trimmed));
    }
    let rows = view.layout.rows();
    let mut area = egui::ScrollArea::both()
        .auto_shrink([false, false])
        .stick_to_bottom(receive.auto_scroll);
    if receive.wrap {
        area = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .stick_to_bottom(receive.auto_scroll);
    }
    if std::mem::take(&mut view.scroll_to_end) && receive.auto_scroll {
        let spacing = ui.spacing().item_spacing.y;
        area = area.vertical_scroll_offset(rows as f32 * (row_height + spacing));
    }
    area.show_rows(ui, row_height, rows, |ui, range| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for row in range {
            let Some(line) = view.layout.line(&view.log, row) else {
                ui.label("");
                continue;
            };
            line_ui(ui, &line, log_mode, &font, header_columns);
        }
    });
}

fn line_ui(ui: &mut Ui, line: &Line<'_>, log_mode: bool, font: &FontId, header_columns: usize) {
    let color = direction_color(ui, line.record.direction);
    let format = |color: Color32| TextFormat {
        font_id: font.clone(),
        color,
        ..TextFormat::default()
    };
    let mut job = LayoutJob::default();
    if line.span == Span::Header {
        job.append(&header(line.record, true), 0.0, format(color));
    } else {
        let inline_header = !log_mode || line.record.direction == Direction::Info;
        if inline_header && line.first {
            let head = header(line.record, log_mode);
            job.append(&format!("{head:<header_columns$} "), 0.0, format(color));
        } else if inline_header {
            job.append(&" ".repeat(header_columns + 1), 0.0, format(color));
        }
        let text_color = if line.record.direction == Direction::Info {
            color
        } else {
            ui.visuals().text_color()
        };
        job.append(&line.content, 0.0, format(text_color));
    }
    job.wrap.max_width = f32::INFINITY;
    ui.add(egui::Label::new(job).extend());
}
