//! The WebSocket fields: URL, extra headers and subprotocols (client); path, subprotocols and
//! wss (server); the ping interval and auto-pong (both).

use std::net::SocketAddr;

use eframe::egui::{self, Ui};

use super::labelled_field;
use crate::app::i18n::Lang;
use crate::app::settings::{Protocol, SessionSettings};

/// The WebSocket fields of a WebSocket session (nothing for others).
pub fn ws_fields_ui(ui: &mut Ui, settings: &mut SessionSettings, lang: Lang) {
    if !settings.ws.enabled || settings.protocol == Protocol::Udp {
        return;
    }
    let t = lang.s();
    let ws = &mut settings.ws;
    if settings.protocol == Protocol::TcpClient {
        ui.horizontal(|ui| {
            labelled_field(ui, t.ws_url, &mut ws.url, 220.0).on_hover_text(t.ws_url_tip);
        });
        let label = ui.label(t.ws_headers).on_hover_text(t.ws_headers_tip);
        ui.add(
            egui::TextEdit::multiline(&mut ws.headers)
                .desired_rows(2)
                .desired_width(260.0),
        )
        .labelled_by(label.id)
        .on_hover_text(t.ws_headers_tip);
    } else {
        ui.horizontal(|ui| {
            labelled_field(ui, t.ws_path, &mut ws.path, 120.0).on_hover_text(t.ws_path_tip);
            ui.checkbox(&mut settings.tls.enabled, t.ws_secure);
        });
    }
    ui.horizontal(|ui| {
        labelled_field(ui, t.ws_subprotocols, &mut ws.subprotocols, 140.0)
            .on_hover_text(t.ws_subprotocols_tip);
    });
    ui.horizontal(|ui| {
        ui.label(t.ws_ping).on_hover_text(t.ws_ping_tip);
        ui.add(egui::DragValue::new(&mut ws.ping_secs).range(0..=3600))
            .on_hover_text(t.ws_ping_tip);
        ui.checkbox(&mut ws.auto_pong, t.ws_auto_pong)
            .on_hover_text(t.ws_auto_pong_tip);
    });
    ui.label(egui::RichText::new(t.ws_send_kind).small().weak());
}

/// What students type to join a server at `addr`: the address, or for a WebSocket server its
/// URL (`ws://192.168.1.10:8080/chat`, `wss://…` with TLS).
pub fn join_entry(settings: &SessionSettings, addr: SocketAddr) -> String {
    if !settings.ws.enabled || settings.protocol != Protocol::TcpServer {
        return addr.to_string();
    }
    let scheme = if settings.tls.enabled { "wss" } else { "ws" };
    let path = settings.ws.path.trim();
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("{scheme}://{addr}{slash}{path}")
}
