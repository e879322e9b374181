//! The list of sessions: add, close, rename, duplicate, the split view's panes, presets. Plain
//! methods on the app, testable without a window.

use super::NetAssistApp;
use super::presets::{PendingConnect, Preset, unique_name};
use super::session::SessionView;
use super::settings::SessionSettings;

/// The most sessions the split view shows at once.
pub const MAX_PANES: usize = 4;

/// What the session tabs ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionAction {
    /// Show this session (by position).
    Select(usize),
    /// Add a new session after the others and show it.
    Add,
    /// Add a copy of this session's settings (closed) after it.
    Duplicate(usize),
    /// Close this session and remove it from the list.
    Close(usize),
    /// Give this session a name.
    Rename(usize, String),
    /// Start editing this session's name.
    StartRename(usize),
    /// Stop editing a name without saving it.
    CancelRename,
    /// Turn the split view on or off.
    Split(bool),
    /// Show this many panes (2–4).
    Panes(usize),
    /// Show session `session` (by position) in pane `pane`.
    PaneSession {
        /// The pane.
        pane: usize,
        /// The session.
        session: usize,
    },
}

impl NetAssistApp {
    /// The position of the session with this uid.
    pub fn index_of(&self, uid: u64) -> Option<usize> {
        self.sessions.iter().position(|s| s.uid == uid)
    }

    /// The name a tab shows: the given name, or the kind and position.
    pub fn session_title(&self, index: usize) -> String {
        let Some(view) = self.sessions.get(index) else {
            return String::new();
        };
        let name = view.settings.name.trim();
        if name.is_empty() {
            let t = self.lang.t();
            let tls = view.settings.tls.enabled;
            // issue 15: websocket
            let ws = view.settings.ws.enabled;
            let kind = match view.settings.protocol {
                // issue 15: serial
                _ if view.settings.serial.enabled => self.lang.s().serial_port,
                super::settings::Protocol::TcpClient if ws => self.lang.s().ws_client,
                super::settings::Protocol::TcpServer if ws => self.lang.s().ws_server,
                super::settings::Protocol::TcpClient if tls => self.lang.s().tls_client,
                super::settings::Protocol::TcpServer if tls => self.lang.s().tls_server,
                super::settings::Protocol::TcpClient => t.tcp_client,
                super::settings::Protocol::TcpServer => t.tcp_server,
                super::settings::Protocol::Udp => t.udp,
            };
            format!("{kind} {}", index + 1)
        } else {
            name.to_owned()
        }
    }

    /// The name being edited, if any: (session uid, text).
    pub fn renaming(&mut self) -> Option<&mut (u64, String)> {
        self.renaming.as_mut()
    }

    /// Carries out a request of the tabs or the split view.
    pub fn act(&mut self, action: SessionAction) {
        match action {
            SessionAction::Select(index) => {
                if index < self.sessions.len() {
                    self.active = index;
                }
            }
            SessionAction::Add => {
                self.add_session(SessionSettings::default());
            }
            SessionAction::Duplicate(index) => self.duplicate_session(index),
            SessionAction::Close(index) => self.close_session(index),
            SessionAction::Rename(index, name) => {
                if let Some(view) = self.sessions.get_mut(index) {
                    name.trim().clone_into(&mut view.settings.name);
                }
                self.renaming = None;
            }
            SessionAction::StartRename(index) => {
                if let Some(view) = self.sessions.get(index) {
                    self.renaming = Some((view.uid, self.session_title(index)));
                }
            }
            SessionAction::CancelRename => self.renaming = None,
            SessionAction::Split(on) => {
                self.split = on;
                if on && self.panes.len() < 2 {
                    self.set_pane_count(2);
                }
            }
            SessionAction::Panes(count) => self.set_pane_count(count),
            SessionAction::PaneSession { pane, session } => {
                if let (Some(slot), Some(view)) =
                    (self.panes.get_mut(pane), self.sessions.get(session))
                {
                    *slot = view.uid;
                }
            }
        }
    }

    /// Adds a closed session with `settings` after the others and selects it; returns its
    /// position.
    pub fn add_session(&mut self, settings: SessionSettings) -> usize {
        self.sessions.push(SessionView::new(settings));
        self.active = self.sessions.len() - 1;
        self.active
    }

    /// Adds a closed copy of a session's settings right after it and selects it.
    pub fn duplicate_session(&mut self, index: usize) {
        let Some(view) = self.sessions.get(index) else {
            return;
        };
        let mut settings = view.settings.clone();
        if !settings.name.trim().is_empty() {
            settings.name = format!("{} (2)", settings.name.trim());
        }
        self.sessions.insert(index + 1, SessionView::new(settings));
        self.active = index + 1;
    }

    /// Closes a session and removes it; the list never becomes empty.
    pub fn close_session(&mut self, index: usize) {
        if index >= self.sessions.len() {
            return;
        }
        let mut view = self.sessions.remove(index);
        view.close(self.lang);
        let uid = view.uid;
        self.panes.retain(|pane| *pane != uid);
        self.pending
            .retain(|p| p.server != uid && !p.clients.contains(&uid));
        if self.sessions.is_empty() {
            self.sessions
                .push(SessionView::new(SessionSettings::default()));
        }
        if self.active > index || self.active >= self.sessions.len() {
            self.active = self.active.saturating_sub(1);
        }
        self.fix_panes();
    }

    /// Shows `count` panes (2–4, at most one per session), keeping the ones shown.
    pub fn set_pane_count(&mut self, count: usize) {
        let count = count.clamp(2, MAX_PANES).min(self.sessions.len().max(2));
        self.panes.truncate(count);
        let mut candidates: Vec<u64> = Vec::new();
        if let Some(active) = self.sessions.get(self.active) {
            candidates.push(active.uid);
        }
        candidates.extend(self.sessions.iter().map(|s| s.uid));
        for uid in candidates {
            if self.panes.len() >= count {
                break;
            }
            if !self.panes.contains(&uid) {
                self.panes.push(uid);
            }
        }
    }

    /// Drops panes of sessions that are gone; leaves the split view when fewer than two remain.
    pub(super) fn fix_panes(&mut self) {
        let uids: Vec<u64> = self.sessions.iter().map(|s| s.uid).collect();
        self.panes.retain(|uid| uids.contains(uid));
        self.panes.truncate(MAX_PANES);
        if self.panes.len() < 2 {
            if self.sessions.len() >= 2 && self.split {
                self.set_pane_count(2);
            } else {
                self.split = false;
            }
        }
    }

    /// Adds a preset's sessions, closed, with names no other session has ("Client 4" when
    /// "Client 1" exists). A chat room's sessions share a room number and are shown side by
    /// side; "Open all" ([`NetAssistApp::open_all`]) opens them.
    pub fn apply_preset(&mut self, preset: Preset) {
        let setup = preset.setup(self.lang);
        let first = self.sessions.len();
        let room = if setup.room {
            self.sessions
                .iter()
                .map(|s| s.settings.room.preset_room)
                .max()
                .unwrap_or(0)
                .saturating_add(1)
        } else {
            0
        };
        let mut taken: Vec<String> = (0..self.sessions.len())
            .map(|i| self.session_title(i))
            .collect();
        for (index, mut settings) in setup.sessions.into_iter().enumerate() {
            settings.name = unique_name(&settings.name, &taken);
            taken.push(settings.name.clone());
            settings.room.preset_room = room;
            let mut view = SessionView::new(settings);
            if let Some(text) = setup.send_text.get(index) {
                view.send_text.clone_from(text);
            }
            self.sessions.push(view);
        }
        self.active = first;
        if !setup.room {
            return;
        }
        self.panes = self.sessions[first..]
            .iter()
            .map(|s| s.uid)
            .take(MAX_PANES)
            .collect();
        self.split = self.panes.len() >= 2;
    }

    /// Opens every closed session: servers and other sessions at once; a preset room's
    /// clients once their server is open, connected to the port it got (so a room restored
    /// after a restart, or whose port was edited, comes back with one click); a client of a
    /// server of this window that opens now, once that server listens (opened together, the
    /// client's connect raced the server's listen and was refused).
    pub fn open_all(&mut self) {
        let notify = self.notify();
        let mut waiting: Vec<PendingConnect> = Vec::new();
        // Who waits for whom, decided before anything opens.
        let servers: Vec<Option<(usize, bool)>> = (0..self.sessions.len())
            .map(|index| {
                let room = &self.sessions[index].settings.room;
                if room.room_client && room.preset_room != 0 {
                    self.room_server(room.preset_room).map(|s| (s, true))
                } else {
                    self.own_server(index).map(|s| (s, false))
                }
            })
            .collect();
        for (index, server) in servers.into_iter().enumerate() {
            let view = &mut self.sessions[index];
            if view.is_active() {
                continue;
            }
            if let Some((server, follow)) = server {
                let uid = self.sessions[server].uid;
                let client = self.sessions[index].uid;
                match waiting
                    .iter_mut()
                    .find(|p| p.server == uid && p.follow == follow)
                {
                    Some(pending) => pending.clients.push(client),
                    None => waiting.push(PendingConnect {
                        server: uid,
                        clients: vec![client],
                        follow,
                    }),
                }
            } else {
                view.open(Some(notify.clone()));
            }
        }
        for pending in waiting {
            // Already waiting clients of the same server are not connected twice.
            self.pending
                .retain(|p| p.server != pending.server || p.clients != pending.clients);
            self.pending.push(pending);
        }
        self.connect_pending();
    }

    /// The position of a server session of this window that client session `index` connects
    /// to (same port, and a loopback host, the server's own address, or any address of a
    /// server listening on all) and that is closed now, so "Open all" opens it too.
    fn own_server(&self, index: usize) -> Option<usize> {
        let client = &self.sessions[index].settings;
        if client.protocol != super::settings::Protocol::TcpClient {
            return None;
        }
        let host = client.remote_host.trim();
        let port = client.remote_port.trim();
        let loopback = matches!(host, "localhost" | "127.0.0.1" | "::1" | "[::1]");
        self.sessions.iter().position(|s| {
            let server = &s.settings;
            let all = matches!(server.local_ip.trim(), "0.0.0.0" | "::");
            server.protocol == super::settings::Protocol::TcpServer
                && !s.is_active()
                && port != "0"
                && server.local_port.trim() == port
                && (loopback || all || server.local_ip.trim() == host)
        })
    }

    /// The position of the server of preset room `room`.
    fn room_server(&self, room: u64) -> Option<usize> {
        self.sessions.iter().position(|s| {
            s.settings.room.preset_room == room
                && !s.settings.room.room_client
                && s.settings.protocol != super::settings::Protocol::TcpClient
        })
    }

    /// Connects preset clients whose server has opened (to its address and port); forgets
    /// those whose server failed to open. Closed clients of an open room server take its port,
    /// so opening one of them by hand connects to the right place too.
    pub(super) fn connect_pending(&mut self) {
        self.follow_room_servers();
        if self.pending.is_empty() {
            return;
        }
        let notify = self.notify();
        let pending = std::mem::take(&mut self.pending);
        for waiting in pending {
            let Some(server) = self.index_of(waiting.server) else {
                continue;
            };
            let local = self.sessions[server].local_addr();
            if local.is_none() && self.sessions[server].is_active() {
                self.pending.push(waiting);
                continue;
            }
            // A preset's clients are forgotten when their server failed to open; a client
            // with its own address is opened anyway and says what it met there.
            if local.is_none() && waiting.follow {
                continue;
            }
            for uid in &waiting.clients {
                if let Some(index) = self.index_of(*uid) {
                    let client = &mut self.sessions[index];
                    if client.is_active() {
                        continue;
                    }
                    if let (Some(local), true) = (local, waiting.follow) {
                        client.settings.remote_host = connect_host(local);
                        client.settings.remote_port = local.port().to_string();
                    }
                    client.open(Some(notify.clone()));
                }
            }
        }
    }

    /// Gives the closed clients of each open preset room server its port.
    fn follow_room_servers(&mut self) {
        let open_servers: Vec<(u64, u16)> = self
            .sessions
            .iter()
            .filter(|s| s.settings.room.preset_room != 0 && !s.settings.room.room_client)
            .filter_map(|s| Some((s.settings.room.preset_room, s.local_addr()?.port())))
            .collect();
        for (room, port) in open_servers {
            let port = port.to_string();
            for client in &mut self.sessions {
                let active = client.is_active();
                let settings = &mut client.settings;
                if settings.room.room_client
                    && settings.room.preset_room == room
                    && !active
                    && settings.remote_port != port
                {
                    settings.remote_port.clone_from(&port);
                }
            }
        }
    }
}

/// Where this machine's own clients reach a server bound to `local`: loopback when it listens
/// on every address.
fn connect_host(local: std::net::SocketAddr) -> String {
    if local.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        local.ip().to_string()
    }
}
