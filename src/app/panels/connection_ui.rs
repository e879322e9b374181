//! 网络设置: protocol, local and remote address, the Open/Close button.

use eframe::egui;
use egui::{Button, Color32, RichText, Ui};

use std::net::{IpAddr, SocketAddr};

use super::{error_ui, labelled_field};
use crate::app::i18n::Lang;
use crate::app::session::{LinkState, SessionView};
use crate::app::settings::Protocol;
use crate::engine::Notify;

/// This machine's interface addresses plus the loopback and "any" addresses, for the
/// local-address drop-down.
pub fn local_addresses() -> Vec<String> {
    let mut list: Vec<String> = ["127.0.0.1", "0.0.0.0", "::1", "::"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    if let Ok(interfaces) = if_addrs::get_if_addrs() {
        for interface in interfaces {
            let ip = interface.ip().to_string();
            if !list.contains(&ip) {
                list.push(ip);
            }
        }
    }
    list
}

/// The network settings section.
pub fn connection_ui(
    ui: &mut Ui,
    view: &mut SessionView,
    lang: Lang,
    local_ips: &[String],
    notify: &Notify,
) {
    let t = lang.t();
    let active = view.is_active();
    let protocol = view.settings.protocol;
    // issue 15: serial — the port's fields instead of the addresses.
    if view.settings.serial.enabled {
        ui.add_enabled_ui(!active, |ui| {
            super::tls_ui::protocol_picker(ui, &mut view.settings, lang);
        });
        super::serial_ui::serial_ui(ui, view, lang);
        open_button_ui(ui, view, lang, notify);
        return;
    }
    ui.add_enabled_ui(!active, |ui| {
        super::tls_ui::protocol_picker(ui, &mut view.settings, lang);
        ui.horizontal(|ui| {
            egui::ComboBox::from_label(t.local_address)
                .selected_text(view.settings.local_ip.as_str())
                .width(150.0)
                .show_ui(ui, |ui| {
                    for ip in local_ips {
                        ui.selectable_value(&mut view.settings.local_ip, ip.clone(), ip);
                    }
                })
                .response
                .on_hover_text(t.local_address_tip);
        });
        ui.horizontal(|ui| {
            if protocol == Protocol::TcpClient {
                labelled_field(ui, t.local_port, &mut view.settings.client_local_port, 70.0)
                    .on_hover_text(t.client_port_tip);
            } else {
                labelled_field(ui, t.local_port, &mut view.settings.local_port, 70.0);
            }
        });
    });
    // issue 15: websocket — a WebSocket client's URL names its server.
    let ws_client = protocol == Protocol::TcpClient && view.settings.ws.enabled;
    if protocol != Protocol::TcpServer && !ws_client {
        // The UDP target stays editable while open.
        ui.add_enabled_ui(!active || protocol == Protocol::Udp, |ui| {
            ui.horizontal(|ui| {
                labelled_field(ui, t.remote_host, &mut view.settings.remote_host, 150.0);
            });
            ui.horizontal(|ui| {
                let port = labelled_field(ui, t.remote_port, &mut view.settings.remote_port, 70.0);
                let enter = port.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if protocol == Protocol::Udp && active {
                    let set = ui.button(t.set_target).on_hover_text(t.set_target_tip);
                    if set.clicked() || enter {
                        view.apply_udp_target();
                    }
                }
            });
        });
    }
    ui.add_enabled_ui(!active, |ui| {
        // issue 15: websocket
        super::ws_ui::ws_fields_ui(ui, &mut view.settings, lang);
        super::tls_ui::tls_fields_ui(ui, &mut view.settings, lang);
    });
    if protocol == Protocol::Udp {
        ui.checkbox(&mut view.settings.reply_to_last, t.reply_to_last)
            .on_hover_text(t.reply_to_last_tip);
    }
    if protocol == Protocol::TcpServer && is_unspecified(&view.settings.local_ip) {
        ui.label(RichText::new(t.reachable_warning).color(ui.visuals().warn_fg_color));
    }
    join_hint_ui(ui, view, lang);
    open_button_ui(ui, view, lang, notify);
}

/// The Open/Close button, the opening spinner and the error of the last attempt.
fn open_button_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang, notify: &Notify) {
    let t = lang.t();
    let active = view.is_active();
    ui.horizontal(|ui| {
        let (text, fill) = if active {
            (t.close, Color32::from_rgb(0xC0, 0x39, 0x2B))
        } else {
            (t.open, Color32::from_rgb(0x27, 0x80, 0x4A))
        };
        let button = Button::new(RichText::new(text).color(Color32::WHITE).strong())
            .fill(fill)
            .min_size(egui::vec2(90.0, 26.0));
        let button = ui.add(button).on_hover_text(t.open_tip);
        crate::app::smoke::report(ui, &button, "session-open");
        if button.clicked() {
            if active {
                view.close(lang);
            } else {
                view.open(Some(notify.clone()));
            }
        }
        if view.state == LinkState::Opening {
            ui.spinner();
            ui.label(t.opening);
        }
    });
    error_ui(ui, lang, view.open_error.as_ref());
}

/// The addresses other machines can reach a server bound to `bind` at: this machine's
/// non-loopback addresses of the family it listens on (both for `::`, which also takes IPv4),
/// leaving out IPv6 link-local ones (they need an interface name to be typed).
pub fn join_addresses(bind: IpAddr, port: u16) -> Vec<SocketAddr> {
    let mut list: Vec<SocketAddr> = Vec::new();
    for ip in interface_ips() {
        let wanted = match ip {
            IpAddr::V4(_) => true,
            IpAddr::V6(v6) => bind.is_ipv6() && !v6.is_unicast_link_local(),
        };
        let addr = SocketAddr::new(ip, port);
        if wanted && !ip.is_loopback() && !ip.is_unspecified() && !list.contains(&addr) {
            list.push(addr);
        }
    }
    // IPv4 first: what students type most easily.
    list.sort_by_key(SocketAddr::is_ipv6);
    list
}

/// For a server (or a relaying UDP room) on every address: the sentence that tells students
/// where to join, with this machine's LAN addresses and the port (the bound one once open,
/// else the typed one); `None` for other sessions.
pub fn join_hint(view: &SessionView, lang: Lang) -> Option<String> {
    let s = lang.s();
    let settings = &view.settings;
    let server = match settings.protocol {
        Protocol::TcpServer => true,
        Protocol::Udp => settings.room.relay && !settings.room.room_client,
        Protocol::TcpClient => false,
    };
    let bind: IpAddr = settings.local_ip.trim().parse().ok()?;
    if !server || !bind.is_unspecified() {
        return None;
    }
    let port = match view.local_addr() {
        Some(local) => local.port(),
        None => settings.local_port.trim().parse::<u16>().ok()?,
    };
    if port == 0 {
        return Some(s.join_port_unknown.to_owned());
    }
    let addresses = join_addresses(bind, port);
    if addresses.is_empty() {
        return Some(s.join_no_lan.to_owned());
    }
    let list: Vec<String> = addresses
        .iter()
        .map(|addr| super::ws_ui::join_entry(settings, *addr))
        .collect();
    Some(format!("{} {}", s.join_students, list.join(s.join_or)))
}

/// This machine's interface addresses, asked of the system at most every two seconds: the
/// join hint is drawn every frame, in every pane of a split view.
fn interface_ips() -> Vec<IpAddr> {
    use std::sync::{Mutex, PoisonError};
    use std::time::{Duration, Instant};
    static CACHE: Mutex<Option<(Instant, Vec<IpAddr>)>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    match &*cache {
        Some((at, ips)) if at.elapsed() < Duration::from_secs(2) => ips.clone(),
        _ => {
            let ips: Vec<IpAddr> = if_addrs::get_if_addrs()
                .map(|list| list.iter().map(if_addrs::Interface::ip).collect())
                .unwrap_or_default();
            *cache = Some((Instant::now(), ips.clone()));
            ips
        }
    }
}

/// Shows [`join_hint`] when there is one.
pub fn join_hint_ui(ui: &mut Ui, view: &SessionView, lang: Lang) {
    if let Some(hint) = join_hint(view, lang) {
        ui.label(RichText::new(hint).strong());
    }
}

fn is_unspecified(ip: &str) -> bool {
    ip.trim()
        .parse::<std::net::IpAddr>()
        .map_or(ip.trim().is_empty(), |ip| ip.is_unspecified())
}
