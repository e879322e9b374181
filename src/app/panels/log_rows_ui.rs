//! One row of the log as drawn: the header coloured by direction, the text, the fill that
//! marks a search match, the current match or the selection; and the column width the rows
//! are laid out with.

use eframe::egui;
use egui::text::LayoutJob;
use egui::{Color32, FontId, Sense, TextFormat, Ui};

use crate::log::render::{Line, Span, line_prefix};
use crate::log::{Direction, TextStyle as Style};

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

/// Room the vertical scroll bar and the row margins take beside the rows.
const ROW_MARGIN: f32 = 24.0;

/// Width of one column of the log's monospace `font` as the rows are drawn: the widest of a
/// digit, half a CJK character, a tab's quarter and the header's arrows, so that a row of `n`
/// columns (a wide character counting two, see [`crate::log::render::char_columns`]) is never
/// wider than `n` times this.
pub fn column_width(ctx: &egui::Context, font: &FontId) -> f32 {
    // Measured as laid out (whole runs, so rounding to pixels is included), not glyph by glyph.
    const SAMPLES: [(&str, f32); 5] = [
        ("0000000000000000", 16.0),
        ("中文汉字，。好", 14.0),
        ("\t\t", 8.0),
        ("→←•→←•", 6.0),
        ("\\x0D\\x0A", 8.0),
    ];
    ctx.fonts_mut(|fonts| {
        SAMPLES
            .iter()
            .map(|(text, columns)| {
                let galley = fonts.layout_no_wrap((*text).to_owned(), font.clone(), Color32::WHITE);
                galley.size().x / columns
            })
            .fold(1.0, f32::max)
    })
}

/// How many columns of `font` fit in a log view `width` points wide (scroll bar and margins
/// taken off); the layout wraps rows at this many, prefix included.
pub fn view_columns(ctx: &egui::Context, font: &FontId, width: f32) -> usize {
    let column = column_width(ctx, font);
    ((width - ROW_MARGIN) / column).floor().max(8.0) as usize
}

/// The fill of a row holding a search match: amber, clearly apart from the panel in both
/// themes, under the theme's strong text colour.
pub fn match_fill(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(0x6B, 0x52, 0x00)
    } else {
        Color32::from_rgb(0xFF, 0xC1, 0x07)
    }
}

/// How a row stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    None,
    Match,
    Selected,
    Current,
}

pub(super) fn line_ui(
    ui: &mut Ui,
    line: &Line<'_>,
    style: Style,
    font: &FontId,
    mark: Mark,
) -> egui::Response {
    let color = direction_color(ui, line.record.direction);
    let format = |color: Color32| TextFormat {
        font_id: font.clone(),
        color,
        ..TextFormat::default()
    };
    let mut job = LayoutJob::default();
    job.append(
        &line_prefix(line, style.log_mode, style.header_columns),
        0.0,
        format(color),
    );
    if line.span != Span::Header {
        let text_color = if mark == Mark::Match {
            ui.visuals().strong_text_color()
        } else if line.record.direction == Direction::Info {
            color
        } else {
            ui.visuals().text_color()
        };
        job.append(&line.content, 0.0, format(text_color));
    }
    job.wrap.max_width = f32::INFINITY;
    let background = ui.painter().add(egui::Shape::Noop);
    let response = ui.add(egui::Label::new(job).extend().sense(Sense::click()));
    let fill = match mark {
        Mark::None => None,
        Mark::Match => Some(match_fill(ui.visuals())),
        Mark::Selected => Some(ui.visuals().selection.bg_fill.gamma_multiply(0.5)),
        Mark::Current => Some(ui.visuals().selection.bg_fill),
    };
    if let Some(fill) = fill {
        let mut rect = response.rect;
        rect.max.x = rect.max.x.max(ui.max_rect().right());
        ui.painter()
            .set(background, egui::Shape::rect_filled(rect, 0.0, fill));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(color: Color32) -> f32 {
        let channel = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(color.r()) + 0.7152 * channel(color.g()) + 0.0722 * channel(color.b())
    }

    /// WCAG contrast ratio, 1 (none) to 21.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn the_match_highlight_stands_out_in_both_themes_and_keeps_text_readable() {
        for visuals in [egui::Visuals::dark(), egui::Visuals::light()] {
            let fill = match_fill(&visuals);
            let panel = visuals.panel_fill;
            assert!(
                contrast(fill, panel) >= 1.5,
                "dark {}: highlight {fill:?} on panel {panel:?}: {}",
                visuals.dark_mode,
                contrast(fill, panel)
            );
            let text = visuals.strong_text_color();
            assert!(
                contrast(text, fill) >= 4.5,
                "dark {}: text {text:?} on {fill:?}: {}",
                visuals.dark_mode,
                contrast(text, fill)
            );
            // The old highlight, the theme's faint background, is next to invisible.
            let faint = visuals.faint_bg_color;
            let old = Color32::from_rgb(
                panel.r().saturating_add(faint.r()),
                panel.g().saturating_add(faint.g()),
                panel.b().saturating_add(faint.b()),
            );
            assert!(contrast(old, panel) < 1.2, "{}", contrast(old, panel));
        }
    }
}
