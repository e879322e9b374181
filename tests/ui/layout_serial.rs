//! The serial port's fields on a projector: a serial session with its bridge on, at 100–200 %
//! zoom in English and Chinese. Beside what every layout check asks (tests/ui/layout.rs), each
//! serial field (port, baud rate, data and stop bits, parity, flow control, DTR/RTS, bridge
//! and its address) is whole inside the settings panel.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::serial_settings::{BridgeChoice, SerialSettings};
use netassist::app::settings::{Protocol, SessionSettings};

use crate::layout::{ZOOMS, inside, problems, zoomed_with};

fn serial_session() -> SessionSettings {
    SessionSettings {
        protocol: Protocol::TcpClient,
        serial: SerialSettings {
            enabled: true,
            port: "/dev/serial/by-id/usb-FTDI_FT232R-if00-port0".to_owned(),
            baud: "921600".to_owned(),
            bridge: BridgeChoice::Listen,
            ..SerialSettings::default()
        },
        ..SessionSettings::default()
    }
}

/// Each labelled widget of `labels`: there and inside the settings panel.
fn fields_inside(h: &Harness<'_, NetAssistApp>, labels: &[&str], what: &str) -> Vec<String> {
    let Some(panel) = h.state().layout.settings else {
        return vec![format!("{what}: no settings panel")];
    };
    let mut wrong = Vec::new();
    for label in labels {
        match h.query_all_by_label(label).next() {
            Some(node) if inside(panel, node.rect()) => {}
            Some(node) => wrong.push(format!(
                "{what}: {label} {:?} leaves the panel {panel:?}",
                node.rect()
            )),
            None => wrong.push(format!("{what}: no {label}")),
        }
    }
    wrong
}

#[test]
fn serial_fields_fit_at_every_zoom_in_both_languages() {
    let mut wrong = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let s = lang.s();
        for zoom in ZOOMS {
            let mut h = zoomed_with(serial_session(), lang, zoom);
            h.run();
            let what = format!("serial {lang:?} at {:.0} %", zoom * 100.0);
            wrong.extend(problems(&h, lang, &what));
            // The port list's Refresh only: a port has no local addresses to refresh.
            let refreshes = h.query_all_by_label(s.serial_refresh).count();
            if refreshes != 1 {
                wrong.push(format!("{what}: {refreshes} Refresh buttons"));
            }
            wrong.extend(fields_inside(
                &h,
                &[
                    s.serial_port_name,
                    s.serial_refresh,
                    s.serial_baud,
                    s.serial_data_bits,
                    s.serial_stop_bits,
                    s.serial_parity,
                    s.serial_flow,
                    "DTR",
                    "RTS",
                    s.serial_bridge,
                    s.serial_bridge_addr,
                ],
                &what,
            ));
        }
    }
    assert!(wrong.is_empty(), "layout problems:\n{}", wrong.join("\n"));
}
