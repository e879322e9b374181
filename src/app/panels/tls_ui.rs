//! The protocol picker with TLS client / TLS server beside TCP and UDP, and the TLS fields:
//! CA file or "accept any certificate" and a client certificate (client); certificate files
//! or a self-signed certificate, and the client-certificate request (server).

use eframe::egui::{self, RichText, Ui};

use super::labelled_field;
use crate::app::file_dialog::{self, DialogKind};
use crate::app::i18n::Lang;
use crate::app::settings::{Protocol, SessionSettings};

/// The five kinds of session in one drop-down (as the classic tool's protocol type; one row,
/// so the panel is no taller than with three kinds); TLS is TCP with `tls.enabled`.
pub fn protocol_picker(ui: &mut Ui, settings: &mut SessionSettings, lang: Lang) {
    let t = lang.t();
    let s = lang.s();
    // issue 15: websocket — (protocol, TLS, WebSocket); a WebSocket session's TLS is set
    // by its URL (client) or its wss box (server), not by the picker.
    let choices = [
        (Protocol::TcpClient, false, false, t.tcp_client),
        (Protocol::TcpServer, false, false, t.tcp_server),
        (Protocol::Udp, false, false, t.udp),
        (Protocol::TcpClient, true, false, s.tls_client),
        (Protocol::TcpServer, true, false, s.tls_server),
        (Protocol::TcpClient, false, true, s.ws_client),
        (Protocol::TcpServer, false, true, s.ws_server),
    ];
    let ws_now = settings.ws.enabled && settings.protocol != Protocol::Udp;
    let tls_now = settings.tls.enabled && settings.protocol != Protocol::Udp && !ws_now;
    let current = choices
        .iter()
        .find(|(protocol, tls, ws, _)| {
            settings.protocol == *protocol && tls_now == *tls && ws_now == *ws
        })
        .map_or(t.tcp_server, |(_, _, _, label)| *label);
    // issue 15: serial
    let serial_now = settings.serial.enabled;
    let current = if serial_now { s.serial_port } else { current };
    egui::ComboBox::from_label(t.protocol)
        .selected_text(current)
        .width(130.0)
        .show_ui(ui, |ui| {
            for (protocol, tls, ws, label) in choices {
                let selected =
                    !serial_now && settings.protocol == protocol && tls_now == tls && ws_now == ws;
                if ui.selectable_label(selected, label).clicked() {
                    settings.protocol = protocol;
                    settings.tls.enabled = tls;
                    settings.ws.enabled = ws;
                    settings.serial.enabled = false;
                }
            }
            // issue 15: serial — a TCP client in everything but its transport.
            if ui.selectable_label(serial_now, s.serial_port).clicked() {
                settings.protocol = Protocol::TcpClient;
                settings.tls.enabled = false;
                settings.ws.enabled = false;
                settings.serial.enabled = true;
            }
        });
}

/// The TLS fields of a TLS session (nothing for others).
pub fn tls_fields_ui(ui: &mut Ui, settings: &mut SessionSettings, lang: Lang) {
    // issue 15: websocket — wss:// (client URL, server box) uses these fields too.
    let wss = settings.ws.enabled
        && match settings.protocol {
            Protocol::TcpClient => settings
                .ws
                .url
                .trim()
                .to_ascii_lowercase()
                .starts_with("wss://"),
            _ => settings.tls.enabled,
        };
    if (!settings.tls.enabled && !wss)
        || settings.protocol == Protocol::Udp
        || settings.serial.enabled
    {
        return;
    }
    let t = lang.s();
    let tls = &mut settings.tls;
    if settings.protocol == Protocol::TcpClient {
        ui.add_enabled_ui(!tls.insecure, |ui| {
            file_field(ui, lang, t.tls_ca_file, &mut tls.ca_file).on_hover_text(t.tls_ca_file_tip);
        });
        ui.checkbox(&mut tls.insecure, t.tls_insecure)
            .on_hover_text(t.tls_insecure_tip);
        if tls.insecure {
            ui.label(RichText::new(t.tls_insecure_warning).color(ui.visuals().warn_fg_color));
        }
        ui.horizontal(|ui| {
            labelled_field(ui, t.tls_sni, &mut tls.server_name, 150.0).on_hover_text(t.tls_sni_tip);
        });
        file_field(ui, lang, t.tls_client_cert, &mut tls.client_cert)
            .on_hover_text(t.tls_client_cert_tip);
        file_field(ui, lang, t.tls_key, &mut tls.client_key);
    } else {
        ui.horizontal(|ui| {
            ui.radio_value(&mut tls.cert_from_files, false, t.tls_self_signed)
                .on_hover_text(t.tls_self_signed_tip);
            ui.radio_value(&mut tls.cert_from_files, true, t.tls_cert_files);
        });
        if tls.cert_from_files {
            file_field(ui, lang, t.tls_cert, &mut tls.server_cert);
            file_field(ui, lang, t.tls_key, &mut tls.server_key);
        }
        ui.checkbox(&mut tls.request_client_cert, t.tls_request_cert)
            .on_hover_text(t.tls_request_cert_tip);
    }
    ui.horizontal(|ui| {
        labelled_field(ui, t.tls_alpn, &mut tls.alpn, 120.0).on_hover_text(t.tls_alpn_tip);
    });
}

/// A PEM file's path field with its "…" button (the file dialog fills it in); returns the
/// field's response.
fn file_field(ui: &mut Ui, lang: Lang, label: &str, value: &mut String) -> egui::Response {
    ui.horizontal(|ui| {
        let field = labelled_field(ui, label, value, 150.0);
        let t = lang.t();
        let button = ui.button(t.browse).on_hover_text(t.browse_tip);
        if let Some(path) = file_dialog::browse(ui, lang, &button, DialogKind::Open, field.id) {
            *value = path.display().to_string();
        }
        field
    })
    .inner
}
