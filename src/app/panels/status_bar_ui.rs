//! The status bar: state, addresses, counters, rates.

use eframe::egui;
use egui::Ui;

use crate::app::format::{bytes, exact_bytes, rate};
use crate::app::i18n::Lang;
use crate::app::session::{LinkState, SessionView};
use crate::app::settings::Protocol;

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
            ui.label(format!("{}: {}", t.local, crate::engine::peer_label(local)));
        }
        if let Some(remote) = remote.filter(|r| Some(*r) != local) {
            ui.separator();
            ui.label(format!(
                "{}: {}",
                t.remote,
                crate::engine::peer_label(remote)
            ));
        }
        ui.separator();
        let c = view.counters;
        ui.label(format!(
            "{} {} / {} {}  ({})",
            t.tx,
            bytes(c.tx_bytes),
            c.tx_packets,
            t.packets,
            rate(view.rates.tx_per_sec)
        ))
        .on_hover_text(format!("{} {}", t.tx, exact_bytes(c.tx_bytes)));
        ui.separator();
        ui.label(format!(
            "{} {} / {} {}  ({})",
            t.rx,
            bytes(c.rx_bytes),
            c.rx_packets,
            t.packets,
            rate(view.rates.rx_per_sec)
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
