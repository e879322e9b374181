//! Questions before something is lost: closing a session that is open or has a log, quitting
//! with sessions open (a signal closes without asking).

use eframe::egui;

use super::view_state::Confirm;
use super::{NetAssistApp, SessionView, workspace};

impl NetAssistApp {
    /// Does what the tab bar asked, asking first before closing a session that would lose
    /// something.
    pub(super) fn tab_action(&mut self, action: workspace::SessionAction) {
        match action {
            workspace::SessionAction::Close(index) if self.loses_something(index) => {
                self.confirm = self
                    .sessions
                    .get(index)
                    .map(|v| Confirm::CloseSession(v.uid));
            }
            action => self.act(action),
        }
    }

    /// Closing session `index` loses something: it is open (or opening) or has a log.
    pub fn loses_something(&self, index: usize) -> bool {
        self.sessions
            .get(index)
            .is_some_and(|v| v.is_active() || !v.log.is_empty())
    }

    /// Quitting with open sessions is cancelled and asked about first.
    pub(super) fn quit_guard(&mut self, ctx: &egui::Context) {
        if self.terminating.load(std::sync::atomic::Ordering::Relaxed) {
            // Closing for a signal: no question; the close goes through (eframe saves first).
            self.quit_confirmed = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if ctx.input(|i| i.viewport().close_requested())
            && !self.quit_confirmed
            && self.sessions.iter().any(SessionView::is_active)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Confirm::Quit);
        }
    }

    /// The question of [`Self::confirm`], in a modal window.
    pub(super) fn confirm_ui(&mut self, ctx: &egui::Context) {
        let Some(confirm) = self.confirm else {
            return;
        };
        let s = self.lang.s();
        let (question, yes) = match confirm {
            Confirm::CloseSession(_) => (s.confirm_close_session, s.confirm_close),
            Confirm::Quit => (s.confirm_quit, s.quit),
        };
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("netassist confirm")).show(ctx, |ui| {
            ui.set_max_width(360.0);
            if let Confirm::CloseSession(uid) = confirm
                && let Some(index) = self.index_of(uid)
            {
                ui.strong(self.session_title(index));
            }
            ui.label(question);
            ui.horizontal(|ui| {
                if ui.button(yes).clicked() {
                    answer = Some(true);
                }
                if ui.button(s.cancel).clicked() {
                    answer = Some(false);
                }
            });
        });
        if answer.is_none() && modal.should_close() {
            answer = Some(false);
        }
        match answer {
            Some(true) => {
                self.confirm = None;
                match confirm {
                    Confirm::CloseSession(uid) => {
                        if let Some(index) = self.index_of(uid) {
                            self.act(workspace::SessionAction::Close(index));
                        }
                    }
                    Confirm::Quit => {
                        self.quit_confirmed = true;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
            }
            Some(false) => self.confirm = None,
            None => {}
        }
    }
}
