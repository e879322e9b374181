//! The options a running session can change without reopening (room, auto-reply rules,
//! heartbeat, encoding, send queue): compared with what the engine was last given every frame,
//! and handed over as commands when they changed and parse.

use crate::engine::Command;

use super::{LinkState, SessionView, UiError};
use crate::app::room::{self, HeartbeatSettings, OptionError, RoomSettings, RuleSettings};
use crate::app::settings::{Protocol, SessionSettings};

/// The options a running session can change without reopening, as last handed to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AppliedOptions {
    pub(super) room: RoomSettings,
    heartbeat: HeartbeatSettings,
    rules: Vec<RuleSettings>,
    encoding: String,
    send_queue: crate::engine::SendQueue,
}

impl AppliedOptions {
    /// True when `settings` hold these options (compared in place: this runs every frame).
    pub(super) fn matches(&self, settings: &SessionSettings) -> bool {
        self.room == settings.room
            && self.heartbeat == settings.heartbeat
            && self.rules == settings.rules
            && self.encoding == settings.receive.encoding
            && self.send_queue == settings.send.send_queue()
    }

    /// What the configuration of a session being opened carried: the heartbeat starts once
    /// open (the next [`SessionView::sync_options`] hands it over).
    pub(super) fn at_open(settings: &SessionSettings) -> Self {
        Self {
            heartbeat: HeartbeatSettings {
                on: false,
                ..settings.heartbeat.clone()
            },
            ..Self::of(settings)
        }
    }

    pub(super) fn of(settings: &SessionSettings) -> Self {
        Self {
            room: settings.room.clone(),
            heartbeat: settings.heartbeat.clone(),
            rules: settings.rules.clone(),
            encoding: settings.receive.encoding.clone(),
            send_queue: settings.send.send_queue(),
        }
    }
}

impl SessionView {
    /// Brings the log feed (framing view, hidden heartbeats) and the running engine session
    /// (room options, rules, heartbeat) in line with the settings; called every frame, it does
    /// nothing unless something changed. Options that do not parse are kept back and reported
    /// by [`SessionView::option_error`].
    pub fn sync_options(&mut self) {
        let receive = &self.settings.receive;
        self.feed
            .configure(&mut self.log, &receive.framing, receive.hide_heartbeat);
        let (Some(handle), LinkState::Open { .. }, Some(applied)) =
            (&self.handle, self.state, &self.applied)
        else {
            return;
        };
        if applied.matches(&self.settings) {
            self.refused = None;
            return;
        }
        if self
            .refused
            .as_ref()
            .is_some_and(|(refused, _)| refused.matches(&self.settings))
        {
            return;
        }
        let current = AppliedOptions::of(&self.settings);
        match commands_for(self.settings.protocol, applied, &current) {
            Ok(commands) => {
                for command in commands {
                    handle.send(command);
                }
                self.applied = Some(current);
                self.refused = None;
            }
            Err(err) => self.refused = Some((current, UiError::Option(err))),
        }
    }

    /// Why the room, rule or heartbeat options as typed were not applied, if so.
    pub fn option_error(&self) -> Option<&UiError> {
        self.refused.as_ref().map(|(_, err)| err)
    }
}

/// The commands that take a running session from `old` to `new` options.
pub(super) fn commands_for(
    protocol: Protocol,
    old: &AppliedOptions,
    new: &AppliedOptions,
) -> Result<Vec<Command>, OptionError> {
    let encoding = crate::codec::TextEncoding::for_label(&new.encoding).unwrap_or_default();
    let mut commands = Vec::new();
    if protocol != Protocol::TcpClient && old.room != new.room {
        let options = new.room.options()?;
        commands.push(Command::SetEcho(options.echo));
        commands.push(Command::SetRelay(options.relay));
        commands.push(Command::SetQuitLine(options.quit_line));
        if protocol == Protocol::Udp {
            commands.push(Command::SetPeerTimeout(options.peer_timeout));
            commands.push(Command::SetRoomHeartbeat(options.room_heartbeat));
        }
    }
    let recode = old.encoding != new.encoding;
    if recode || old.rules != new.rules {
        commands.push(Command::SetAutoReplies(room::rules(&new.rules, encoding)?));
    }
    if recode || old.heartbeat != new.heartbeat {
        commands.push(Command::Heartbeat(new.heartbeat.heartbeat(encoding)?));
    }
    if protocol != Protocol::Udp && old.send_queue != new.send_queue {
        commands.push(Command::SetSendQueue(new.send_queue));
    }
    Ok(commands)
}
