//! 串口: the serial port's settings in the connection panel — the port (found ones, a Refresh
//! button, any typed path), baud rate (common values or typed), data bits, parity, stop bits,
//! flow control, DTR and RTS (changeable while open), and the bridge to TCP.

use std::sync::{Mutex, PoisonError};

use eframe::egui::{self, Ui};

use super::labelled_field;
use crate::app::i18n::Lang;
use crate::app::serial_settings::{BridgeChoice, FlowChoice, ParityChoice, SerialSettings};
use crate::app::session::SessionView;
use crate::engine::{COMMON_BAUDS, Command, PortInfo, list_ports};

/// The ports found, looked for once and again when Refresh is pressed (not every frame).
static PORTS: Mutex<Option<Vec<PortInfo>>> = Mutex::new(None);

/// The ports this machine has, from the last look.
pub fn known_ports(refresh: bool) -> Vec<PortInfo> {
    let mut ports = PORTS.lock().unwrap_or_else(PoisonError::into_inner);
    if refresh || ports.is_none() {
        *ports = Some(list_ports());
    }
    ports.clone().unwrap_or_default()
}

/// The serial fields of a serial session (nothing for others). Everything but DTR and RTS
/// waits for the session to be closed.
pub fn serial_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    if !view.settings.serial.enabled {
        return;
    }
    let active = view.is_active();
    ui.add_enabled_ui(!active, |ui| {
        settings_ui(ui, &mut view.settings.serial, lang);
    });
    lines_ui(ui, view, lang);
    ui.add_enabled_ui(!active, |ui| {
        bridge_ui(ui, &mut view.settings.serial, lang);
    });
}

fn settings_ui(ui: &mut Ui, serial: &mut SerialSettings, lang: Lang) {
    let s = lang.s();
    ui.horizontal(|ui| {
        labelled_field(ui, s.serial_port_name, &mut serial.port, 130.0)
            .on_hover_text(s.serial_port_tip);
        let mut refresh = false;
        let ports = known_ports(false);
        egui::ComboBox::from_id_salt("serial-ports")
            .selected_text("")
            .width(24.0)
            .show_ui(ui, |ui| {
                if ports.is_empty() {
                    ui.label(s.serial_no_ports);
                }
                for port in &ports {
                    let label = if port.description.is_empty() {
                        port.name.clone()
                    } else {
                        format!("{} — {}", port.name, port.description)
                    };
                    ui.selectable_value(&mut serial.port, port.name.clone(), label);
                }
            })
            .response
            .on_hover_text(s.serial_port_tip);
        if ui
            .button(s.serial_refresh)
            .on_hover_text(s.serial_refresh_tip)
            .clicked()
        {
            refresh = true;
        }
        if refresh {
            known_ports(true);
        }
    });
    ui.horizontal(|ui| {
        labelled_field(ui, s.serial_baud, &mut serial.baud, 70.0).on_hover_text(s.serial_baud_tip);
        egui::ComboBox::from_id_salt("serial-baud")
            .selected_text("")
            .width(24.0)
            .show_ui(ui, |ui| {
                for baud in COMMON_BAUDS {
                    ui.selectable_value(&mut serial.baud, baud.to_string(), baud.to_string());
                }
            })
            .response
            .on_hover_text(s.serial_baud_tip);
    });
    frame_ui(ui, serial, lang);
}

/// Data bits, stop bits, parity and flow control.
fn frame_ui(ui: &mut Ui, serial: &mut SerialSettings, lang: Lang) {
    let s = lang.s();
    ui.horizontal(|ui| {
        let label = ui.label(s.serial_data_bits);
        egui::ComboBox::from_id_salt("serial-data-bits")
            .selected_text(serial.data_bits.to_string())
            .width(40.0)
            .show_ui(ui, |ui| {
                for bits in [5u8, 6, 7, 8] {
                    ui.selectable_value(&mut serial.data_bits, bits, bits.to_string());
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(s.serial_stop_bits);
        egui::ComboBox::from_id_salt("serial-stop-bits")
            .selected_text(serial.stop_bits.to_string())
            .width(40.0)
            .show_ui(ui, |ui| {
                for bits in [1u8, 2] {
                    ui.selectable_value(&mut serial.stop_bits, bits, bits.to_string());
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let parities = [
            (ParityChoice::None, s.serial_parity_none),
            (ParityChoice::Odd, s.serial_parity_odd),
            (ParityChoice::Even, s.serial_parity_even),
        ];
        let label = ui.label(s.serial_parity);
        let current = parities
            .iter()
            .find(|(p, _)| *p == serial.parity)
            .map_or(s.serial_parity_none, |(_, label)| *label);
        egui::ComboBox::from_id_salt("serial-parity")
            .selected_text(current)
            .width(70.0)
            .show_ui(ui, |ui| {
                for (parity, label) in parities {
                    ui.selectable_value(&mut serial.parity, parity, label);
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let flows = [
            (FlowChoice::None, s.serial_flow_none),
            (FlowChoice::Software, s.serial_flow_software),
            (FlowChoice::Hardware, s.serial_flow_hardware),
        ];
        let label = ui.label(s.serial_flow);
        let current = flows
            .iter()
            .find(|(f, _)| *f == serial.flow)
            .map_or(s.serial_flow_none, |(_, label)| *label);
        egui::ComboBox::from_id_salt("serial-flow")
            .selected_text(current)
            .width(130.0)
            .show_ui(ui, |ui| {
                for (flow, label) in flows {
                    ui.selectable_value(&mut serial.flow, flow, label);
                }
            })
            .response
            .labelled_by(label.id);
    });
}

/// DTR and RTS: set with the port when it opens, and at once when changed while open.
fn lines_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let s = lang.s();
    let active = view.is_active();
    let serial = &mut view.settings.serial;
    let (mut dtr, mut rts) = (None, None);
    ui.horizontal(|ui| {
        if ui
            .checkbox(&mut serial.dtr, "DTR")
            .on_hover_text(s.serial_dtr_tip)
            .changed()
        {
            dtr = Some(serial.dtr);
        }
        if ui
            .checkbox(&mut serial.rts, "RTS")
            .on_hover_text(s.serial_rts_tip)
            .changed()
        {
            rts = Some(serial.rts);
        }
    });
    if active
        && (dtr.is_some() || rts.is_some())
        && let Some(handle) = &view.handle
    {
        handle.send(Command::SetSerialLines { dtr, rts });
    }
}

fn bridge_ui(ui: &mut Ui, serial: &mut SerialSettings, lang: Lang) {
    let s = lang.s();
    let choices = [
        (BridgeChoice::Off, s.serial_bridge_off),
        (BridgeChoice::Listen, s.serial_bridge_listen),
        (BridgeChoice::Connect, s.serial_bridge_connect),
    ];
    ui.horizontal(|ui| {
        let label = ui.label(s.serial_bridge).on_hover_text(s.serial_bridge_tip);
        let current = choices
            .iter()
            .find(|(b, _)| *b == serial.bridge)
            .map_or(s.serial_bridge_off, |(_, label)| *label);
        egui::ComboBox::from_id_salt("serial-bridge")
            .selected_text(current)
            .width(110.0)
            .show_ui(ui, |ui| {
                for (bridge, label) in choices {
                    ui.selectable_value(&mut serial.bridge, bridge, label);
                }
            })
            .response
            .on_hover_text(s.serial_bridge_tip)
            .labelled_by(label.id);
    });
    if serial.bridge != BridgeChoice::Off {
        let tip = if serial.bridge == BridgeChoice::Listen {
            s.serial_bridge_listen_tip
        } else {
            s.serial_bridge_connect_tip
        };
        ui.horizontal(|ui| {
            labelled_field(ui, s.serial_bridge_addr, &mut serial.bridge_addr, 150.0)
                .on_hover_text(tip);
        });
    }
}
