//! The embedded CJK font, added after egui's own fonts so Latin text keeps its look.

use eframe::egui;
use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily};

/// Noto Sans SC, subset to GB2312 plus punctuation and arrows (see `assets/fonts/README.md`).
pub static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-subset.otf");

const NAME: &str = "NotoSansSC-subset";

/// Adds the CJK font as the last fallback of the proportional and monospace families.
/// eframe's `system_fonts` provider still covers what the subset lacks.
pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        NAME,
        FontData::from_static(CJK_FONT),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}
