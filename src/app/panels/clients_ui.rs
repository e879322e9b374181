//! TCP server and UDP: who is in the room (when each was last heard), the send target and the
//! disconnect button.

use eframe::egui;
use egui::Ui;

use crate::app::i18n::Lang;
use crate::app::session::{ClientTarget, SessionView};
use crate::app::settings::Protocol;
use crate::log::render::time_of_day;

/// The client list panel.
pub fn clients_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let s = lang.s();
    let udp = view.settings.protocol == Protocol::Udp;
    let title = if udp { s.peers } else { t.clients };
    ui.heading(format!("{title} ({})", view.clients.len()));
    if !udp {
        target_ui(ui, view, lang);
    }
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
        ui.weak(t.no_clients);
        return;
    }
    // Scrolls sideways instead of widening the panel under the pointer.
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("clients")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                ui.strong(t.address);
                ui.strong(t.since);
                ui.strong(s.last_heard);
                ui.strong(t.rx);
                ui.strong(t.tx);
                ui.end_row();
                for client in &view.clients {
                    let selected = view.selected_client == Some(client.addr);
                    if ui
                        .selectable_label(selected, client.addr.to_string())
                        .clicked()
                    {
                        view.selected_client = if selected { None } else { Some(client.addr) };
                    }
                    ui.label(time_of_day(client.since));
                    ui.label(
                        client
                            .last_heard
                            .map_or_else(|| "-".to_owned(), time_of_day),
                    );
                    ui.label(client.rx_bytes.to_string());
                    ui.label(client.tx_bytes.to_string());
                    ui.end_row();
                }
            });
    });
}

fn target_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let t = lang.t();
    let target_text = match view.target {
        ClientTarget::All => t.all_clients.to_owned(),
        ClientTarget::One(addr) => addr.to_string(),
    };
    egui::ComboBox::from_label(t.send_to)
        .selected_text(target_text)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut view.target, ClientTarget::All, t.all_clients);
            for client in &view.clients {
                ui.selectable_value(
                    &mut view.target,
                    ClientTarget::One(client.addr),
                    format!("→ {}", client.addr),
                );
            }
        });
}
