//! TCP server and UDP: who is in the room (when each was first and last heard), the send
//! target and the disconnect button. Clicking a row makes that client (or peer) the send
//! target; clicking it again, or choosing "All clients", sends to all again.

use std::net::SocketAddr;
use std::time::SystemTime;

use eframe::egui;
use egui::Ui;

use crate::app::format;
use crate::app::i18n::Lang;
use crate::app::session::{ClientTarget, SessionView};
use crate::app::settings::Protocol;
use crate::log::render::time_of_day;

/// Local time in `format` (`%H:%M:%S`, `%H:%M`): short enough for the list's default width
/// (the tooltip has the milliseconds).
fn clock(at: SystemTime, format: &str) -> String {
    let local: chrono::DateTime<chrono::Local> = at.into();
    local.format(format).to_string()
}

/// A byte count as the list shows it, short (`1.4M`) so the column stays narrow however much a
/// client moves, and its exact value for the tooltip.
fn count_cell(count: u64) -> (String, String) {
    (format::bytes_compact(count), format::exact_bytes(count))
}

/// Makes `addr` the send target (and the selected row), or goes back to all when it already is.
fn toggle_target(view: &mut SessionView, addr: SocketAddr) {
    if view.target == ClientTarget::One(addr) {
        view.target = ClientTarget::All;
        view.selected_client = None;
    } else {
        view.target = ClientTarget::One(addr);
        view.selected_client = Some(addr);
    }
}

/// The client list panel.
pub fn clients_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let s = lang.s();
    let udp = view.settings.protocol == Protocol::Udp;
    let title = if udp { s.peers } else { t.clients };
    ui.heading(format!("{title} ({})", view.clients.len()));
    target_ui(ui, view, lang);
    let (kick_text, kick_tip) = if udp {
        (s.forget, s.timeout_tip)
    } else {
        (t.kick, t.kick_tip)
    };
    let kick = ui.add_enabled(view.selected_client.is_some(), egui::Button::new(kick_text));
    if kick.on_hover_text(kick_tip).clicked()
        && let Some(addr) = view.selected_client
    {
        view.kick(addr);
    }
    ui.separator();
    if view.clients.is_empty() {
        ui.weak(if udp { s.no_peers } else { t.no_clients });
        return;
    }
    let mut clicked = None;
    // Scrolls sideways instead of widening the panel under the pointer.
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("clients")
            .striped(true)
            .num_columns(5)
            .min_col_width(0.0)
            .spacing([4.0, 4.0])
            .show(ui, |ui| {
                // Rows are selectable labels: a narrow padding keeps the five columns whole.
                ui.spacing_mut().button_padding.x = 2.0;
                ui.strong(t.address);
                ui.strong(if udp { s.first_heard } else { t.since });
                ui.strong(s.last_heard);
                ui.strong(t.rx);
                ui.strong(t.tx);
                ui.end_row();
                for client in &view.clients {
                    let selected = view.target == ClientTarget::One(client.addr);
                    let cells = [
                        (client.addr.to_string(), s.row_target_tip.to_owned()),
                        // Hours and minutes: when a client came matters less than when it
                        // was last heard; the tooltip has the seconds.
                        (clock(client.since, "%H:%M"), time_of_day(client.since)),
                        client.last_heard.map_or_else(
                            || ("-".to_owned(), String::new()),
                            |at| (clock(at, "%H:%M:%S"), time_of_day(at)),
                        ),
                        // Short in the column, exact in the tooltip.
                        count_cell(client.rx_bytes),
                        count_cell(client.tx_bytes),
                    ];
                    for (text, tip) in cells {
                        let mut cell = ui.selectable_label(selected, text);
                        if !tip.is_empty() {
                            cell = cell.on_hover_text(tip);
                        }
                        if cell.clicked() {
                            clicked = Some(client.addr);
                        }
                    }
                    ui.end_row();
                }
            });
    });
    if let Some(addr) = clicked {
        toggle_target(view, addr);
    }
}

fn target_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let s = lang.s();
    let all = if view.settings.protocol == Protocol::Udp {
        s.udp_default_target
    } else {
        t.all_clients
    };
    let target_text = match view.target {
        ClientTarget::All => all.to_owned(),
        ClientTarget::One(addr) => addr.to_string(),
    };
    let before = view.target;
    egui::ComboBox::from_label(t.send_to)
        .selected_text(target_text)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut view.target, ClientTarget::All, all);
            for client in &view.clients {
                ui.selectable_value(
                    &mut view.target,
                    ClientTarget::One(client.addr),
                    format!("→ {}", client.addr),
                );
            }
        });
    if view.target != before {
        view.selected_client = match view.target {
            ClientTarget::All => None,
            ClientTarget::One(addr) => Some(addr),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::count_cell;

    #[test]
    fn counts_are_short_in_the_column_and_exact_in_the_tooltip() {
        let short = |bytes| count_cell(bytes).0;
        assert_eq!(short(0), "0");
        assert_eq!(short(1023), "1023");
        assert_eq!(short(1024), "1.0K");
        assert_eq!(short(20_480), "20K");
        assert_eq!(short(1_500_000), "1.4M");
        assert_eq!(short(5 << 30), "5.0G");
        assert_eq!(short(u64::MAX), "16E");
        assert_eq!(count_cell(1_500_000).1, "1 500 000 B");
    }
}
