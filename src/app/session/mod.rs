//! One session as the window sees it: its settings, the engine handle, log, counters and the
//! state of its send box. State changes are plain methods, testable without a window.
//!
//! This file holds the state and its life (open, close, drain); the rest, by job:
//! `config` (settings to an engine configuration), `events` (what each engine event changes),
//! `send` (the send box, files, saving and other commands), `options` (room, rules and
//! heartbeat kept in line with the settings while open).

mod applied;
mod config;
mod events;
mod options;
mod send;
#[cfg(test)]
mod tests;
mod tls;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::engine::{Command, Event, Notify, Session, SessionHandle};
use crate::log::{Counters, Layout, LogFeed, LogStore, Peer, Rates, Record};

use super::i18n::{Info, Lang};
use super::settings::SessionSettings;
use applied::AppliedOptions;

pub use super::error::UiError;

/// Events that may wait for the window per session (see [`SessionView::config`]).
pub const WINDOW_EVENT_CAPACITY: usize = 256;
/// Datagram bytes that may wait beyond the event channel before drops are counted.
pub const WINDOW_UDP_BURST_BYTES: usize = 16 * 1024 * 1024;

/// Gives every session view of this process its own number, for widget ids and presets.
static NEXT_UID: AtomicU64 = AtomicU64::new(1);

/// Whether the session is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// Nothing open.
    Closed,
    /// Opening (connecting, binding); the window stays responsive.
    Opening,
    /// Open.
    Open {
        /// The local address.
        local: SocketAddr,
        /// TCP client: the server; UDP: the default target.
        remote: Option<SocketAddr>,
    },
}

/// A client of a TCP server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInfo {
    /// Its address.
    pub addr: SocketAddr,
    /// When it connected.
    pub since: SystemTime,
    /// Bytes received from it.
    pub rx_bytes: u64,
    /// Bytes sent to it.
    pub tx_bytes: u64,
    /// When it last sent something.
    pub last_heard: Option<SystemTime>,
}

/// Who the send box goes to on a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientTarget {
    /// Every client.
    #[default]
    All,
    /// One client.
    One(SocketAddr),
}

/// Progress of a file send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProgress {
    /// The file.
    pub path: PathBuf,
    /// Bytes queued.
    pub sent: u64,
    /// File size.
    pub total: u64,
}

/// A session shown in the window.
pub struct SessionView {
    /// This view's number, unique in the process (not persisted).
    pub uid: u64,
    /// Persisted settings.
    pub settings: SessionSettings,
    /// The running engine session.
    pub handle: Option<SessionHandle>,
    /// Sessions being closed: drained (and their events dropped) until they end.
    closing: Vec<SessionHandle>,
    /// Open, opening or closed.
    pub state: LinkState,
    /// Sent and received records.
    pub log: LogStore,
    /// The view's line layout over `log`.
    pub layout: Layout,
    /// Totals.
    pub counters: Counters,
    /// Rates.
    pub rates: Rates,
    /// TCP server: connected clients.
    pub clients: Vec<ClientInfo>,
    /// TCP server and UDP: who sends go to (UDP: `All` is the remote address, or the last
    /// sender when replying to it).
    pub target: ClientTarget,
    /// TCP server and UDP: the client (or peer) selected in the list.
    pub selected_client: Option<SocketAddr>,
    /// Next to the Open button.
    pub open_error: Option<UiError>,
    /// Next to the send box.
    pub send_error: Option<UiError>,
    /// Next to the file send.
    pub file_error: Option<UiError>,
    /// Next to the save option.
    pub save_error: Option<UiError>,
    /// The send box.
    pub send_text: String,
    /// Cyclic send running.
    pub repeating: bool,
    /// Cyclic sends made.
    pub repeat_sent: u64,
    /// File send progress.
    pub file_progress: Option<FileProgress>,
    /// Saving received bytes.
    pub saving: Option<PathBuf>,
    /// The view is frozen.
    pub paused: bool,
    /// UDP datagrams dropped by the engine.
    pub dropped: u64,
    /// Issue 13: UDP datagrams dropped by the kernel (its receive buffer was full).
    pub kernel_dropped: u64,
    /// UDP: the resolved default target.
    pub udp_target: Option<SocketAddr>,
    /// UDP: who sent last.
    pub last_sender: Option<SocketAddr>,
    /// Set on open to tell the log view to follow.
    pub scroll_to_end: bool,
    /// Feeds `log`: framing view and hidden heartbeats.
    pub feed: LogFeed<Info>,
    /// Gap framing: when the pending message ends if nothing more arrives (a frame is asked
    /// for then).
    pub gap_due: Option<SystemTime>,
    /// Room, rules and heartbeat as last handed to the engine.
    applied: Option<AppliedOptions>,
    /// Options that could not be handed to the engine as typed (and why).
    refused: Option<(AppliedOptions, UiError)>,
    /// UDP: multicast groups joined.
    pub joined_groups: Vec<IpAddr>,
    /// Search, selection, export and plot state of the log view.
    pub log_view: super::view_state::LogViewState,
    /// Issue 11: bytes queued while a peer's send queue is over the limit (the send box
    /// waits); `None` when sends may go.
    pub send_queue_waiting: Option<usize>,
    /// The log's note about the file being sent.
    file_note: Option<FileNote>,
}

/// The log's note about a file being sent (its bytes are not logged).
struct FileNote {
    /// The file's name.
    name: String,
    /// Its size when the send started.
    size: u64,
    /// Who it goes to.
    peer: Peer,
    /// The note's record, once written.
    seq: Option<u64>,
}

impl SessionView {
    /// A closed session with these settings.
    pub fn new(settings: SessionSettings) -> Self {
        let mut log = LogStore::default();
        log.set_encoding(settings.receive.encoding());
        Self {
            uid: NEXT_UID.fetch_add(1, Ordering::Relaxed),
            settings,
            handle: None,
            closing: Vec::new(),
            state: LinkState::Closed,
            log,
            layout: Layout::default(),
            counters: Counters::default(),
            rates: Rates::default(),
            clients: Vec::new(),
            target: ClientTarget::All,
            selected_client: None,
            open_error: None,
            send_error: None,
            file_error: None,
            save_error: None,
            send_text: String::new(),
            repeating: false,
            repeat_sent: 0,
            file_progress: None,
            saving: None,
            paused: false,
            dropped: 0,
            kernel_dropped: 0,
            udp_target: None,
            last_sender: None,
            scroll_to_end: false,
            feed: LogFeed::default(),
            gap_due: None,
            applied: None,
            refused: None,
            joined_groups: Vec::new(),
            log_view: super::view_state::LogViewState::default(),
            file_note: None,
            send_queue_waiting: None,
        }
    }

    /// The local address once open.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        match self.state {
            LinkState::Open { local, .. } => Some(local),
            _ => None,
        }
    }

    /// True while a session is open or opening.
    pub fn is_active(&self) -> bool {
        self.handle.is_some()
    }

    /// Starts opening. Never blocks: the outcome arrives as events.
    pub fn open(&mut self, notify: Option<Notify>) {
        self.open_error = None;
        let config = match self.config() {
            Ok(config) => config,
            Err(err) => {
                self.open_error = Some(err);
                return;
            }
        };
        match Session::open(config, notify) {
            Ok(handle) => {
                self.handle = Some(handle);
                self.state = LinkState::Opening;
                self.applied = Some(AppliedOptions::at_open(&self.settings));
                self.refused = None;
                self.joined_groups.clear();
                self.clients.clear();
                // The engine counts drops per session.
                self.dropped = 0;
                self.kernel_dropped = 0;
                self.target = ClientTarget::All;
                self.selected_client = None;
                self.scroll_to_end = true;
            }
            Err(err) => self.open_error = Some(UiError::Net(err)),
        }
    }

    /// Closes at once from the window's point of view; the engine finishes in the background.
    pub fn close(&mut self, lang: Lang) {
        self.log.set_lang(lang);
        if let Some(handle) = self.handle.take() {
            handle.send(Command::Close);
            self.closing.push(handle);
            let closed = Record::note(0, SystemTime::now(), Peer::None, Info::Closed);
            self.feed.push(&mut self.log, closed);
        }
        self.mark_closed();
    }

    fn mark_closed(&mut self) {
        self.state = LinkState::Closed;
        self.clients.clear();
        self.repeating = false;
        self.file_progress = None;
        self.file_note = None;
        self.udp_target = None;
        self.applied = None;
        self.refused = None;
        self.joined_groups.clear();
        self.send_queue_waiting = None;
    }

    /// Applies engine events, stopping after `budget` or `max_events`; returns true if more
    /// are waiting. When the queue runs dry while the engine holds more (a flood fills the
    /// queue faster than frames come), it waits for the refill within `budget`: one frame
    /// takes what came since the last one, not one queue's worth.
    pub fn drain(&mut self, lang: Lang, budget: Duration, max_events: usize) -> bool {
        self.log.set_lang(lang);
        // Drain closing sessions so their threads can deliver `Closed` and end.
        self.closing.retain(|handle| {
            while let Some(event) = handle.try_recv() {
                if matches!(event, Event::Closed) {
                    return false;
                }
            }
            true
        });
        let start = Instant::now();
        let more = 'apply: {
            for _ in 0..max_events {
                let left = budget.saturating_sub(start.elapsed());
                let Some(event) = self.handle.as_ref().and_then(|h| h.recv_refill(left)) else {
                    break 'apply false;
                };
                self.apply(event);
                if start.elapsed() >= budget {
                    break;
                }
            }
            self.handle.as_ref().is_some_and(|h| !h.events().is_empty())
        };
        // Gap framing: a silence is only a silence once every read that came is applied.
        if !more {
            self.gap_due = self.feed.tick(&mut self.log, SystemTime::now());
        }
        more
    }

    /// Sets the display encoding (also used to encode sent text) and re-decodes the log.
    pub fn set_encoding(&mut self, name: &str) {
        name.clone_into(&mut self.settings.receive.encoding);
        self.log.set_encoding(self.settings.receive.encoding());
    }

    /// Zeroes the counters and rates.
    pub fn reset_counters(&mut self) {
        self.counters = Counters::default();
        self.rates.reset();
        self.repeat_sent = 0;
    }

    /// Empties the log (counters stay).
    pub fn clear_log(&mut self) {
        self.feed.clear(&mut self.log);
    }
}

impl Drop for SessionView {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.send(Command::Close);
        }
    }
}
