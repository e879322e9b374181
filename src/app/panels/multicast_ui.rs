//! 广播与组播 (UDP): allow broadcast, pick a broadcast target, join and leave multicast groups on
//! a chosen interface, TTL and loopback.

use eframe::egui;
use egui::Ui;

use super::{error_ui, labelled_field};
use crate::app::i18n::Lang;
use crate::app::session::SessionView;

/// 255.255.255.255 and the subnet broadcast addresses of this machine's IPv4 interfaces.
pub fn broadcast_addresses() -> Vec<String> {
    let mut list = vec!["255.255.255.255".to_owned()];
    if let Ok(interfaces) = if_addrs::get_if_addrs() {
        for interface in interfaces {
            if let if_addrs::IfAddr::V4(v4) = &interface.addr
                && let Some(broadcast) = v4.broadcast
                && !interface.is_loopback()
            {
                let text = broadcast.to_string();
                if !list.contains(&text) {
                    list.push(text);
                }
            }
        }
    }
    list
}

/// The broadcast and multicast section.
pub fn multicast_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let s = lang.s();
    let active = view.is_active();
    ui.add_enabled_ui(!active, |ui| {
        let m = &mut view.settings.multicast;
        ui.checkbox(&mut m.broadcast, s.broadcast)
            .on_hover_text(s.broadcast_tip);
        ui.horizontal(|ui| {
            labelled_field(ui, s.groups_at_open, &mut m.groups, 120.0).on_hover_text(s.groups_tip);
        });
        ui.horizontal(|ui| {
            labelled_field(ui, s.interface, &mut m.interface, 100.0).on_hover_text(s.interface_tip);
        });
        ui.horizontal(|ui| {
            labelled_field(ui, s.ttl, &mut m.ttl, 40.0);
            ui.checkbox(&mut m.loopback, s.mc_loopback);
        });
        recv_buffer_ui(ui, m, lang);
    });
    ui.menu_button(s.broadcast_targets, |ui| {
        for address in broadcast_addresses() {
            if ui.button(&address).clicked() {
                view.settings.remote_host = address;
                view.settings.multicast.broadcast = true;
                if active {
                    view.apply_udp_target();
                }
                ui.close();
            }
        }
    })
    .response
    .on_hover_text(s.broadcast_tip);
    ui.separator();
    ui.horizontal(|ui| {
        labelled_field(ui, s.group, &mut view.settings.multicast.draft_group, 110.0)
            .on_hover_text(s.groups_tip);
    });
    ui.add_enabled_ui(active, |ui| {
        ui.horizontal(|ui| {
            let group = view.settings.multicast.draft_group.clone();
            if ui.button(s.join).clicked() {
                view.multicast(&group, true);
            }
            if ui.button(s.leave).clicked() {
                view.multicast(&group, false);
            }
        });
    });
    if !view.joined_groups.is_empty() {
        let groups: Vec<String> = view.joined_groups.iter().map(ToString::to_string).collect();
        ui.label(format!("{}: {}", s.joined, groups.join(", ")));
    }
    error_ui(ui, lang, view.open_error.as_ref());
}

/// Issue 13: the receive buffer to ask for (applies at open).
fn recv_buffer_ui(ui: &mut Ui, m: &mut crate::app::room::MulticastSettings, lang: Lang) {
    let t = lang.t();
    ui.horizontal(|ui| {
        ui.label(t.recv_buffer_mib).on_hover_text(t.recv_buffer_tip);
        ui.add(egui::DragValue::new(&mut m.recv_buffer_mib).range(0..=1024))
            .on_hover_text(t.recv_buffer_tip);
    });
}
