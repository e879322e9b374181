//! The options a running session can change without reopening (room, auto-reply rules,
//! heartbeat, encoding, send queue): compared with what the engine was last given every frame,
//! and handed over as commands when they changed and parse.

use super::applied::{AppliedOptions, commands_for};
use super::{LinkState, SessionView, UiError};

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
