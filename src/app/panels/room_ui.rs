//! 聊天室 options (relay, echo, leave rules), the heartbeat and the auto-reply rule list. Changes
//! apply to a running session at once (see `SessionView::sync_options`).

use eframe::egui;
use egui::Ui;

use super::{error_ui, labelled_field};
use crate::app::i18n::Lang;
use crate::app::room::{RuleAction, RuleMatch, RuleSettings};
use crate::app::session::SessionView;
use crate::app::settings::Protocol;

/// Relay, echo, quit line and UDP silence limit.
pub fn room_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let s = lang.s();
    let udp = view.settings.protocol == Protocol::Udp;
    let room = &mut view.settings.room;
    ui.checkbox(&mut room.relay, s.relay)
        .on_hover_text(s.relay_tip);
    ui.add_enabled_ui(room.relay, |ui| {
        ui.indent("relay_options", |ui| {
            ui.checkbox(&mut room.relay_to_sender, s.relay_to_sender);
            ui.checkbox(&mut room.relay_prefix, s.relay_prefix);
        });
    });
    ui.checkbox(&mut room.echo, s.echo)
        .on_hover_text(s.echo_tip);
    if udp {
        ui.horizontal(|ui| {
            ui.checkbox(&mut room.timeout_on, "")
                .on_hover_text(s.timeout_tip);
            labelled_field(ui, s.timeout_on, &mut room.timeout_secs, 50.0)
                .on_hover_text(s.timeout_tip);
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut room.heartbeat_on, "")
                .on_hover_text(s.room_heartbeat_tip);
            labelled_field(ui, s.room_heartbeat, &mut room.heartbeat, 80.0)
                .on_hover_text(s.room_heartbeat_tip);
        });
    } else {
        ui.horizontal(|ui| {
            ui.checkbox(&mut room.quit_on, "").on_hover_text(s.quit_tip);
            labelled_field(ui, s.quit_on, &mut room.quit_line, 80.0).on_hover_text(s.quit_tip);
        });
    }
    error_ui(ui, lang, view.option_error());
}

/// The heartbeat: payload, interval, on/off, and hiding its records.
pub fn heartbeat_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let s = lang.s();
    let t = lang.t();
    let heartbeat = &mut view.settings.heartbeat;
    ui.checkbox(&mut heartbeat.on, s.heartbeat_on)
        .on_hover_text(s.heartbeat_tip);
    ui.horizontal(|ui| {
        labelled_field(ui, s.heartbeat_payload, &mut heartbeat.payload, 100.0);
        ui.checkbox(&mut heartbeat.hex, s.hex);
    });
    ui.horizontal(|ui| {
        labelled_field(ui, t.interval_ms, &mut heartbeat.interval_ms, 60.0);
    });
    ui.checkbox(&mut view.settings.receive.hide_heartbeat, s.hide_heartbeat);
    error_ui(ui, lang, view.option_error());
}

/// The auto-reply rules: one row each, switchable, removable.
pub fn rules_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let s = lang.s();
    let t = lang.t();
    ui.weak(s.auto_reply_tip);
    let match_label = |m: RuleMatch| match m {
        RuleMatch::Contains => s.rule_contains,
        RuleMatch::HexEquals => s.rule_hex_equals,
        RuleMatch::Regex => s.rule_regex,
    };
    let action_label = |a: RuleAction| match a {
        RuleAction::ReplyText => s.rule_reply_text,
        RuleAction::ReplyHex => s.rule_reply_hex,
        RuleAction::Echo => s.rule_echo,
        RuleAction::Disconnect => s.rule_disconnect,
    };
    let mut remove = None;
    if view.settings.rules.is_empty() {
        ui.weak(s.no_rules);
    }
    for (index, rule) in view.settings.rules.iter_mut().enumerate() {
        ui.push_id(index, |ui| {
            ui.separator();
            ui.horizontal(|ui| {
                ui.checkbox(&mut rule.on, format!("{} {}", s.rule_on, index + 1));
                egui::ComboBox::from_id_salt("when")
                    .selected_text(match_label(rule.when))
                    .show_ui(ui, |ui| {
                        for m in [RuleMatch::Contains, RuleMatch::HexEquals, RuleMatch::Regex] {
                            ui.selectable_value(&mut rule.when, m, match_label(m));
                        }
                    });
                if ui.small_button(t.remove).clicked() {
                    remove = Some(index);
                }
            });
            ui.horizontal(|ui| {
                labelled_field(ui, s.rule_pattern, &mut rule.pattern, 140.0);
            });
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt("then")
                    .selected_text(action_label(rule.then))
                    .show_ui(ui, |ui| {
                        for a in [
                            RuleAction::ReplyText,
                            RuleAction::ReplyHex,
                            RuleAction::Echo,
                            RuleAction::Disconnect,
                        ] {
                            ui.selectable_value(&mut rule.then, a, action_label(a));
                        }
                    });
                if matches!(rule.then, RuleAction::ReplyText | RuleAction::ReplyHex) {
                    labelled_field(ui, s.rule_reply, &mut rule.reply, 100.0);
                }
            });
        });
    }
    if let Some(index) = remove {
        view.settings.rules.remove(index);
    }
    if ui.button(s.add_rule).clicked() {
        // A new rule starts switched off and empty: nothing answers until it is filled in.
        view.settings.rules.push(RuleSettings {
            on: false,
            pattern: String::new(),
            reply: String::new(),
            ..RuleSettings::default()
        });
    }
    error_ui(ui, lang, view.option_error());
}
