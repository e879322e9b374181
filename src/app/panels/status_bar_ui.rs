//! The status bar: state, addresses, counters, rates.

use eframe::egui;
use egui::Ui;

use crate::app::i18n::Lang;
use crate::app::session::{LinkState, SessionView};
use crate::app::settings::Protocol;

/// `1.5 KiB`-style sizes.
pub fn human_bytes(bytes: f64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A byte count to read at a glance, in decimal units as disks and networks count them:
/// `999 B`, `1.5 kB`, `18.2 GB` (the exact count goes in a tooltip, the CSV export and the
/// CLI's totals).
pub fn readable_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    // Up a unit before rounding could show "1000.0 kB".
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The exact count for a tooltip: `18173722624 B` with thin groups, `18 173 722 624 B`.
pub fn exact_bytes(bytes: u64) -> String {
    let digits = bytes.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out.push_str(" B");
    out
}

/// The status bar.
pub fn status_bar_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    ui.horizontal(|ui| {
        let (state, local, remote) = match view.state {
            LinkState::Closed => (t.state_closed, None, None),
            LinkState::Opening => (t.state_opening, None, None),
            LinkState::Open { local, remote } => {
                let state = if view.settings.protocol == Protocol::TcpServer {
                    t.state_listening
                } else {
                    t.state_open
                };
                (state, Some(local), remote)
            }
        };
        ui.strong(state);
        if let Some(local) = local {
            ui.separator();
            ui.label(format!("{}: {local}", t.local));
        }
        if let Some(remote) = remote {
            ui.separator();
            ui.label(format!("{}: {remote}", t.remote));
        }
        ui.separator();
        let c = view.counters;
        ui.label(format!(
            "{} {} / {} {}  ({}/s)",
            t.tx,
            readable_bytes(c.tx_bytes),
            c.tx_packets,
            t.packets,
            human_bytes(view.rates.tx_per_sec)
        ))
        .on_hover_text(format!("{} {}", t.tx, exact_bytes(c.tx_bytes)));
        ui.separator();
        ui.label(format!(
            "{} {} / {} {}  ({}/s)",
            t.rx,
            readable_bytes(c.rx_bytes),
            c.rx_packets,
            t.packets,
            human_bytes(view.rates.rx_per_sec)
        ))
        .on_hover_text(format!("{} {}", t.rx, exact_bytes(c.rx_bytes)));
        if view.dropped > 0 {
            ui.separator();
            ui.label(format!("{}: {}", t.dropped, view.dropped));
        }
        kernel_dropped_ui(ui, view, lang);
        ui.separator();
        if ui.button(t.reset).on_hover_text(t.reset_tip).clicked() {
            view.reset_counters();
        }
    });
}

/// Issue 13: datagrams the kernel dropped, beside the engine's drops (only once there are some).
fn kernel_dropped_ui(ui: &mut Ui, view: &SessionView, lang: Lang) {
    if view.kernel_dropped > 0 {
        let t = lang.t();
        ui.separator();
        ui.label(format!("{}: {}", t.kernel_dropped, view.kernel_dropped))
            .on_hover_text(t.kernel_dropped_tip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_in_decimal_units_and_stay_exact_in_the_tooltip() {
        assert_eq!(readable_bytes(0), "0 B");
        assert_eq!(readable_bytes(999), "999 B");
        assert_eq!(readable_bytes(1000), "1.0 kB");
        assert_eq!(readable_bytes(1536), "1.5 kB");
        assert_eq!(readable_bytes(999_949), "999.9 kB");
        assert_eq!(readable_bytes(999_999), "1.0 MB");
        assert_eq!(readable_bytes(18_173_722_624), "18.2 GB");
        assert_eq!(readable_bytes(u64::MAX), "18446.7 PB");
        assert_eq!(exact_bytes(18_173_722_624), "18 173 722 624 B");
        assert_eq!(exact_bytes(999), "999 B");
        assert_eq!(exact_bytes(1000), "1 000 B");
    }
}
