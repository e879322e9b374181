//! The live throughput plot: RX and TX bytes per second over the last minute (`egui_plot`).

use std::time::Instant;

use eframe::egui;
use egui::{Color32, Ui};
use egui_plot::{Legend, Line, Plot, PlotPoints};

use crate::app::format;
use crate::app::i18n::Lang;
use crate::app::view_state::PlotState;
use crate::log::RateHistory;

/// The plot, `height` points tall. It asks for no repaint of its own: while traffic flows the
/// window repaints once a second anyway for the rates, and idle it stays still.
pub fn throughput_plot_ui(ui: &mut Ui, state: &PlotState, lang: Lang, height: f32) {
    let t = lang.t();
    let now = Instant::now();
    let ago = |at: Instant| -(now.saturating_duration_since(at).as_secs_f64());
    let rx: Vec<[f64; 2]> = state
        .history
        .points()
        .map(|p| [ago(p.at), p.rx_per_sec])
        .collect();
    let tx: Vec<[f64; 2]> = state
        .history
        .points()
        .map(|p| [ago(p.at), p.tx_per_sec])
        .collect();
    let dark = ui.visuals().dark_mode;
    let (rx_color, tx_color) = if dark {
        (
            Color32::from_rgb(0x6C, 0xA8, 0xF0),
            Color32::from_rgb(0x6C, 0xC6, 0x6C),
        )
    } else {
        (
            Color32::from_rgb(0x1A, 0x5F, 0xB4),
            Color32::from_rgb(0x1E, 0x7B, 0x34),
        )
    };
    Plot::new("throughput")
        .height(height)
        .include_x(-RateHistory::SPAN.as_secs_f64())
        .include_x(0.0)
        .include_y(0.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .x_axis_label(t.seconds_ago)
        .y_axis_formatter(|mark, _| format::rate(mark.value))
        .legend(Legend::default())
        .show(ui, |plot| {
            plot.line(Line::new(format!("{} B/s", t.rx), PlotPoints::from(rx)).color(rx_color));
            plot.line(Line::new(format!("{} B/s", t.tx), PlotPoints::from(tx)).color(tx_color));
        });
}
