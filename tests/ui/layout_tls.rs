//! The TLS and WebSocket fields on a projector: a TLS client (CA file, server name, client
//! certificate and key), a TLS server (certificate and key files), a wss:// WebSocket client
//! (URL, headers, subprotocols, and the TLS fields) and a WebSocket server (path, wss,
//! subprotocols) at 100–200 % zoom in English and Chinese. Beside what every layout check asks
//! (tests/ui/layout.rs), each field is whole inside the settings panel, and each path field's
//! "…" button is on its row.

use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::settings::{Protocol, SessionSettings};

use crate::layout::{ZOOMS, problems, zoomed_with};

/// Whether `inner` is within `panel` across: the panel scrolls down, never across, so what is
/// below its fold is still whole once scrolled to.
fn across(panel: egui::Rect, inner: egui::Rect) -> bool {
    inner.left() >= panel.left() - 0.5 && inner.right() <= panel.right() + 0.5
}

const LONG_PATH: &str = "/home/student/课程/网络编程/certs/server-chain.pem";

fn tls_session(protocol: Protocol) -> SessionSettings {
    let mut session = SessionSettings {
        protocol,
        local_ip: "127.0.0.1".to_owned(),
        local_port: "0".to_owned(),
        ..SessionSettings::default()
    };
    session.tls = netassist::app::tls_settings::TlsSettings {
        enabled: true,
        cert_from_files: true,
        ca_file: LONG_PATH.to_owned(),
        client_cert: LONG_PATH.to_owned(),
        server_cert: LONG_PATH.to_owned(),
        server_name: "printer.lan".to_owned(),
        ..Default::default()
    };
    session
}

/// Each labelled field of `fields` and the "…" button on its row: within the settings panel's
/// width, the button right of the field.
fn file_rows(h: &Harness<'_, NetAssistApp>, fields: &[&str], what: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    let Some(panel) = h.state().layout.settings else {
        return vec![format!("{what}: no settings panel")];
    };
    let browse = Lang::En.t().browse;
    for field in fields {
        let Some(node) = h.query_by_label(field) else {
            wrong.push(format!("{what}: no field {field}"));
            continue;
        };
        let rect = node.rect();
        if !across(panel, rect) {
            wrong.push(format!(
                "{what}: {field} {rect:?} leaves the panel {panel:?}"
            ));
        }
        let button = h
            .query_all_by_role_and_label(Role::Button, browse)
            .map(|b| b.rect())
            .find(|b| (b.center().y - rect.center().y).abs() < rect.height());
        match button {
            Some(b) if across(panel, b) && b.left() >= rect.right() - 0.5 => {}
            other => wrong.push(format!(
                "{what}: the … of {field} is {other:?} (field {rect:?}, panel {panel:?})"
            )),
        }
    }
    wrong
}

#[test]
fn tls_file_fields_fit_at_every_zoom_in_both_languages() {
    let mut wrong = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let s = lang.s();
        for zoom in ZOOMS {
            for protocol in [Protocol::TcpClient, Protocol::TcpServer] {
                let mut h = zoomed_with(tls_session(protocol), lang, zoom);
                h.run();
                let what = format!("TLS {protocol:?} {lang:?} at {:.0} %", zoom * 100.0);
                wrong.extend(problems(&h, lang, &what));
                let fields: &[&str] = if protocol == Protocol::TcpClient {
                    &[s.tls_ca_file, s.tls_client_cert, s.tls_key]
                } else {
                    &[s.tls_cert, s.tls_key]
                };
                wrong.extend(file_rows(&h, fields, &what));
                if protocol == Protocol::TcpClient && h.query_by_label(s.tls_sni).is_none() {
                    wrong.push(format!("{what}: no server-name field"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "layout problems:\n{}", wrong.join("\n"));
}

/// Each labelled field of `fields` whole within the settings panel's width.
fn fields_inside(h: &Harness<'_, NetAssistApp>, fields: &[&str], what: &str) -> Vec<String> {
    let Some(panel) = h.state().layout.settings else {
        return vec![format!("{what}: no settings panel")];
    };
    fields
        .iter()
        .filter_map(|field| match h.query_by_label(field) {
            Some(node) if across(panel, node.rect()) => None,
            Some(node) => Some(format!(
                "{what}: {field} {:?} leaves the panel {panel:?}",
                node.rect()
            )),
            None => Some(format!("{what}: no field {field}")),
        })
        .collect()
}

#[test]
fn websocket_fields_fit_at_every_zoom_in_both_languages() {
    let mut wrong = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let s = lang.s();
        for zoom in ZOOMS {
            for protocol in [Protocol::TcpClient, Protocol::TcpServer] {
                let mut session = tls_session(protocol);
                session.ws = netassist::app::ws_settings::WsSettings {
                    enabled: true,
                    url: "wss://class.example.edu:8443/chat/room-3A?token=abc".to_owned(),
                    headers: "Authorization: Bearer abc\nX-Class: 3A".to_owned(),
                    subprotocols: "chat, superchat".to_owned(),
                    path: "/chat".to_owned(),
                    ..Default::default()
                };
                let mut h = zoomed_with(session, lang, zoom);
                h.run();
                let what = format!("WebSocket {protocol:?} {lang:?} at {:.0} %", zoom * 100.0);
                wrong.extend(problems(&h, lang, &what));
                if protocol == Protocol::TcpClient {
                    wrong.extend(fields_inside(
                        &h,
                        &[s.ws_url, s.ws_headers, s.ws_subprotocols, s.tls_sni],
                        &what,
                    ));
                    wrong.extend(file_rows(&h, &[s.tls_ca_file], &what));
                } else {
                    wrong.extend(fields_inside(&h, &[s.ws_path, s.ws_subprotocols], &what));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "layout problems:\n{}", wrong.join("\n"));
}
