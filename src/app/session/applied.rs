//! What a running session's options were when last handed to the engine, and the commands
//! that take it to new ones (room, auto-reply rules, heartbeat, encoding, send queue).

use crate::app::room::{self, HeartbeatSettings, OptionError, RoomSettings, RuleSettings};
use crate::app::settings::{Protocol, SessionSettings};
use crate::engine::Command;

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
    /// open (the next [`SessionView::sync_options`](crate::app::session::SessionView::sync_options) hands it over).
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
