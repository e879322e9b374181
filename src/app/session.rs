//! One session as the window sees it: its settings, the engine handle, log, counters and the
//! state of its send box. State changes are plain methods, testable without a window.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::codec::build_payload;
use crate::engine::{
    CloseReason, Command, Event, NetError, Notify, SendOrigin, SentTo, Session, SessionConfig,
    SessionHandle, SessionId, SessionKind, Target,
};
use crate::log::{Counters, FeedNote, Layout, LogFeed, LogStore, Peer, Rates, Record};

use super::i18n::{Info, Lang};
use super::room::{self, HeartbeatSettings, OptionError, RoomSettings, RuleSettings};
use super::settings::{Protocol, SessionSettings};

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

    /// Builds the engine configuration from the settings, or says what is wrong.
    pub fn config(&self) -> Result<SessionConfig, UiError> {
        let s = &self.settings;
        let ip = parse_ip(&s.local_ip)?;
        let mut config = match s.protocol {
            Protocol::TcpServer => {
                SessionConfig::tcp_server(SocketAddr::new(ip, parse_port(&s.local_port)?))
            }
            Protocol::Udp => {
                let bind = SocketAddr::new(ip, parse_port(&s.local_port)?);
                let target = if s.remote_host.trim().is_empty() && s.remote_port.trim().is_empty() {
                    None
                } else {
                    Some(self.remote_text()?)
                };
                SessionConfig::udp(bind, target)
            }
            Protocol::TcpClient => {
                let remote = self.remote_text()?;
                let port = if s.client_local_port.trim().is_empty() {
                    0
                } else {
                    parse_port(&s.client_local_port)?
                };
                let local =
                    (port != 0 || !ip.is_unspecified()).then_some(SocketAddr::new(ip, port));
                let mut config = SessionConfig::tcp_client(remote);
                if let SessionKind::TcpClient { local: slot, .. } = &mut config.kind {
                    *slot = local;
                }
                config
            }
        };
        config.save_to.clone_from(&self.saving);
        // What may wait between the engine and the window counts against the memory beside
        // the log cap: 256 reads of up to 64 KiB (16 MiB) keep a TCP flood moving through the
        // frames, and 16 MiB of datagrams absorb a UDP burst while a frame is drawn.
        config.event_capacity = WINDOW_EVENT_CAPACITY;
        config.udp_burst_bytes = WINDOW_UDP_BURST_BYTES;
        config.send_queue = s.send.send_queue();
        let encoding = s.receive.encoding();
        if s.protocol != Protocol::TcpClient {
            let options = s.room.options().map_err(UiError::Option)?;
            config.echo = options.echo;
            config.relay = options.relay;
            config.quit_line = options.quit_line;
            if s.protocol == Protocol::Udp {
                config.peer_timeout = options.peer_timeout;
                config.room_heartbeat = options.room_heartbeat;
            }
        }
        config.auto_replies = room::rules(&s.rules, encoding).map_err(UiError::Option)?;
        s.heartbeat.heartbeat(encoding).map_err(UiError::Option)?;
        if let SessionKind::Udp { broadcast, .. } = &mut config.kind {
            *broadcast = s.multicast.broadcast;
            config.multicast = s.multicast.multicast().map_err(UiError::Option)?;
            config.udp_recv_buffer = s.multicast.recv_buffer();
        }
        Ok(config)
    }

    /// `host:port` of the remote fields, IPv6 literals in brackets.
    pub fn remote_text(&self) -> Result<String, UiError> {
        let host = self.settings.remote_host.trim();
        if host.is_empty() {
            return Err(UiError::EmptyHost);
        }
        let port = parse_port(&self.settings.remote_port)?;
        if host.contains(':') && !host.starts_with('[') {
            Ok(format!("[{host}]:{port}"))
        } else {
            Ok(format!("{host}:{port}"))
        }
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
                // What the configuration carried; the heartbeat starts once open.
                self.applied = Some(AppliedOptions {
                    heartbeat: HeartbeatSettings {
                        on: false,
                        ..self.settings.heartbeat.clone()
                    },
                    ..AppliedOptions::of(&self.settings)
                });
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

    /// Applies engine events, stopping after `budget`; returns true if more are waiting.
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
        for _ in 0..max_events {
            let Some(event) = self.handle.as_ref().and_then(SessionHandle::try_recv) else {
                return false;
            };
            self.apply(event);
            if start.elapsed() >= budget {
                break;
            }
        }
        self.handle.as_ref().is_some_and(|h| !h.events().is_empty())
    }

    /// Applies one engine event.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per event; splitting hides the mapping"
    )]
    pub fn apply(&mut self, event: Event) {
        let id = self.handle.as_ref().map_or(0, SessionHandle::id);
        match event {
            Event::Opened { local, remote } => {
                self.state = LinkState::Open { local, remote };
                self.open_error = None;
                if self.settings.protocol == Protocol::Udp {
                    self.udp_target = remote;
                }
                let info = match self.settings.protocol {
                    Protocol::TcpServer => Info::Listening(local),
                    Protocol::TcpClient => Info::Connected(local, remote),
                    Protocol::Udp => Info::Bound(local),
                };
                let note = Record::note(id, SystemTime::now(), Peer::None, info);
                self.feed.push(&mut self.log, note);
            }
            Event::PeerConnected { peer, at } => {
                self.clients.push(ClientInfo {
                    addr: peer,
                    since: at,
                    rx_bytes: 0,
                    tx_bytes: 0,
                    last_heard: None,
                });
                let note = Record::note(id, at, Peer::One(peer), Info::PeerConnected);
                self.feed.push(&mut self.log, note);
            }
            Event::PeerClosed { peer, reason, at } => {
                self.clients.retain(|c| c.addr != peer);
                if self.selected_client == Some(peer) {
                    self.selected_client = None;
                }
                if self.target == ClientTarget::One(peer) {
                    self.target = ClientTarget::All;
                }
                self.feed.peer_ended(&mut self.log, peer, at);
                let note = Record::note(id, at, Peer::One(peer), Info::PeerClosed(reason.clone()));
                self.feed.push(&mut self.log, note);
                if let CloseReason::Error(err) = reason
                    && self.settings.protocol == Protocol::TcpClient
                {
                    self.open_error = Some(UiError::Net(err));
                }
            }
            Event::Multicast { group, joined } => {
                self.joined_groups.retain(|g| *g != group);
                if joined {
                    self.joined_groups.push(group);
                }
                let note = Record::note(
                    id,
                    SystemTime::now(),
                    Peer::None,
                    Info::Multicast(group, joined),
                );
                self.feed.push(&mut self.log, note);
            }
            Event::Received { peer, at, bytes } => {
                self.counters.add_rx(bytes.len());
                if let Some(client) = self.clients.iter_mut().find(|c| c.addr == peer) {
                    client.rx_bytes += bytes.len() as u64;
                    client.last_heard = Some(at);
                }
                self.last_sender = Some(peer);
                let mut record = Record::rx_chunk(id, at, peer, bytes);
                // A room heartbeat the engine consumed: hidden with the heartbeat records.
                if self.settings.protocol == Protocol::Udp
                    && let Some(applied) = &self.applied
                    && let Some(beat) = applied.room.consumed_heartbeat()
                    && crate::engine::is_heartbeat(&record.bytes, beat)
                {
                    record.origin = Some(crate::engine::SendOrigin::Heartbeat);
                }
                self.feed.push(&mut self.log, record);
            }
            Event::Sent {
                to,
                at,
                bytes,
                origin,
            } => {
                self.counters.add_tx_copies(bytes.len(), to.copies());
                let peer = match to {
                    SentTo::Peer(addr) => {
                        if let Some(client) = self.clients.iter_mut().find(|c| c.addr == addr) {
                            client.tx_bytes += bytes.len() as u64;
                        }
                        Peer::One(addr)
                    }
                    SentTo::All { peers } => {
                        for client in &mut self.clients {
                            client.tx_bytes += bytes.len() as u64;
                        }
                        Peer::All(peers)
                    }
                };
                if origin == SendOrigin::Repeat {
                    self.repeat_sent += 1;
                }
                if origin == SendOrigin::File {
                    // A file's bytes are counted, not dumped into the log: one note says what
                    // is being sent.
                    self.note_file_send(id, at, peer);
                } else {
                    let record = Record::tx(id, at, peer, Arc::clone(&bytes), origin);
                    self.feed.push(&mut self.log, record);
                }
            }
            Event::Unsent { bytes, .. } => {
                // TX counts what reached the sockets (the peer's row goes with its
                // `PeerClosed`, which follows).
                self.counters.tx_bytes = self.counters.tx_bytes.saturating_sub(bytes);
            }
            Event::SendQueue { waiting, queued } => {
                self.send_queue_waiting = waiting.then_some(queued);
                if !waiting && matches!(self.send_error, Some(UiError::PeerNotReading(_))) {
                    self.send_error = None;
                }
            }
            Event::Dropped { total } => self.dropped = total,
            Event::KernelDropped { total } => {
                // The log says when they start; the status bar keeps the count.
                if self.kernel_dropped == 0 && total > 0 {
                    let note =
                        Record::note(id, SystemTime::now(), Peer::None, Info::KernelDrops(total));
                    self.feed.push(&mut self.log, note);
                }
                self.kernel_dropped = total;
            }
            Event::ReceiveBuffer { asked, granted } => {
                let note = Record::note(
                    id,
                    SystemTime::now(),
                    Peer::None,
                    Info::ReceiveBuffer(asked, granted),
                );
                self.feed.push(&mut self.log, note);
            }
            Event::TargetSet { target } => {
                self.udp_target = target;
                if let LinkState::Open { local, .. } = self.state {
                    self.state = LinkState::Open {
                        local,
                        remote: target,
                    };
                }
            }
            Event::RepeatFinished { sent } => {
                self.repeating = false;
                self.repeat_sent = sent;
            }
            Event::FileProgress { path, sent, total } => {
                if sent >= total {
                    self.note_file_sent(id, sent);
                }
                self.file_progress = Some(FileProgress { path, sent, total });
            }
            Event::Error(err) => {
                let note =
                    Record::note(id, SystemTime::now(), Peer::None, Info::Error(err.clone()));
                self.feed.push(&mut self.log, note);
                match err {
                    NetError::FileRead { .. }
                    | NetError::FileMissing { .. }
                    | NetError::FileIsFolder { .. }
                    | NetError::FileStopped { .. }
                    | NetError::FileShrank { .. } => {
                        self.file_progress = None;
                        self.file_note = None;
                        self.file_error = Some(UiError::Net(err));
                    }
                    NetError::FileWrite { .. }
                    | NetError::SaveFolderMissing { .. }
                    | NetError::SaveIsFolder { .. } => {
                        self.saving = None;
                        self.save_error = Some(UiError::Net(err));
                    }
                    _ => self.send_error = Some(UiError::Net(err)),
                }
            }
            Event::Failed(err) => {
                let note =
                    Record::note(id, SystemTime::now(), Peer::None, Info::Error(err.clone()));
                self.feed.push(&mut self.log, note);
                self.open_error = Some(UiError::Net(err));
            }
            Event::Closed => {
                self.handle = None;
                self.mark_closed();
            }
        }
    }

    /// The first chunk of a file went out: the log gets a note with its name and size.
    fn note_file_send(&mut self, id: SessionId, at: SystemTime, peer: Peer) {
        let Some(note) = &mut self.file_note else {
            return;
        };
        if note.seq.is_some() {
            return;
        }
        let seq = self.log.end_seq();
        let info = Info::FileSending(note.name.clone(), note.size);
        self.feed
            .push(&mut self.log, Record::note(id, at, peer, info));
        note.peer = peer;
        note.seq = (self.log.end_seq() == seq + 1).then_some(seq);
    }

    /// The whole file went out: its note says so (a new note when the first is gone).
    fn note_file_sent(&mut self, id: SessionId, sent: u64) {
        let Some(note) = self.file_note.take() else {
            return;
        };
        let at = SystemTime::now();
        let record = Record::note(id, at, note.peer, Info::FileSent(note.name, sent));
        if let Some(seq) = note.seq
            && self.log.replace_note(seq, record.clone())
        {
            return;
        }
        self.feed.push(&mut self.log, record);
    }

    /// Where a send from the send box goes.
    pub fn send_target(&self) -> Target {
        match self.settings.protocol {
            Protocol::TcpClient => Target::Default,
            Protocol::TcpServer => match self.target {
                ClientTarget::All => Target::All,
                ClientTarget::One(addr) => Target::Peer(addr),
            },
            Protocol::Udp => {
                if let ClientTarget::One(addr) = self.target {
                    return Target::Peer(addr);
                }
                // Until someone has sent, the engine sends "reply to last sender" to the remote
                // host (a TFTP request must reach port 69 before the server answers).
                if self.settings.reply_to_last {
                    Target::LastSender
                } else {
                    Target::Default
                }
            }
        }
    }

    /// Sends `text` interpreted with the send options (once, or cyclically when that is on).
    /// On any error nothing is sent and the error is shown by the send box.
    ///
    /// While the peer's send queue is over the limit nothing is taken: the box keeps its text
    /// and says "waiting for the peer to read" (the engine holds timed and file sends itself).
    pub fn send_input(&mut self, text: &str) -> bool {
        self.send_error = None;
        let Some(handle) = &self.handle else {
            self.send_error = Some(UiError::NotOpen);
            return false;
        };
        if let Some(queued) = self.send_queue_waiting {
            self.send_error = Some(UiError::PeerNotReading(queued));
            return false;
        }
        let options = self
            .settings
            .send
            .payload_options(self.settings.receive.encoding());
        let bytes = match build_payload(text, &options) {
            Ok(bytes) => bytes,
            Err(err) => {
                self.send_error = Some(UiError::Payload(err));
                return false;
            }
        };
        if bytes.is_empty() {
            self.send_error = Some(UiError::EmptyPayload);
            return false;
        }
        let to = self.send_target();
        let command = if self.settings.send.repeat {
            let interval = match self.settings.send.interval_ms.trim().parse::<u64>() {
                Ok(ms) if ms > 0 => Duration::from_millis(ms),
                _ => {
                    self.send_error =
                        Some(UiError::BadInterval(self.settings.send.interval_ms.clone()));
                    return false;
                }
            };
            let count_text = self.settings.send.count.trim();
            let count = if count_text.is_empty() {
                None
            } else {
                match count_text.parse::<u64>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        self.send_error = Some(UiError::BadCount(count_text.to_owned()));
                        return false;
                    }
                }
            };
            self.repeating = true;
            self.repeat_sent = 0;
            Command::Repeat {
                payload: bytes.into(),
                to,
                interval,
                count,
            }
        } else {
            Command::Send {
                payload: bytes.into(),
                to,
            }
        };
        if !handle.send(command) {
            self.send_error = Some(UiError::Net(NetError::Closed));
            return false;
        }
        if !text.is_empty() {
            self.settings.send.remember(text);
        }
        true
    }

    /// Stops the cyclic send.
    pub fn stop_repeat(&mut self) {
        if let Some(handle) = &self.handle {
            handle.send(Command::StopRepeat);
        }
    }

    /// Streams a file to the current target.
    pub fn send_file(&mut self, path: &str) {
        self.file_error = None;
        let path = path.trim();
        if path.is_empty() {
            self.file_error = Some(UiError::NoFile);
            return;
        }
        let Some(handle) = &self.handle else {
            self.file_error = Some(UiError::NotOpen);
            return;
        };
        let path = PathBuf::from(path);
        // Missing, a folder or not readable: said here, before anything starts.
        let size = match crate::engine::check_file_to_send(&path) {
            Ok(size) => size,
            Err(err) => {
                self.file_error = Some(UiError::Net(err));
                return;
            }
        };
        self.file_note = Some(FileNote {
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            ),
            size,
            peer: Peer::None,
            seq: None,
        });
        self.file_progress = Some(FileProgress {
            path: path.clone(),
            sent: 0,
            total: 0,
        });
        handle.send(Command::SendFile {
            path,
            to: self.send_target(),
        });
    }

    /// Starts (`Some`) or stops saving received bytes.
    pub fn save_to(&mut self, path: Option<&str>) {
        self.save_error = None;
        let path = match path.map(str::trim) {
            Some("") => {
                self.save_error = Some(UiError::NoFile);
                return;
            }
            Some(path) => Some(PathBuf::from(path)),
            None => None,
        };
        // A folder that does not exist is said at once, open or not.
        if let Some(Err(err)) = path.as_deref().map(crate::engine::check_save_path) {
            self.save_error = Some(UiError::Net(err));
            return;
        }
        if let Some(handle) = &self.handle {
            handle.send(Command::SaveTo(path.clone()));
        }
        self.saving = path;
    }

    /// Disconnects one client of a server.
    pub fn kick(&mut self, addr: SocketAddr) {
        if let Some(handle) = &self.handle {
            handle.send(Command::Kick(addr));
        }
    }

    /// UDP: changes the default destination to the remote fields.
    pub fn apply_udp_target(&mut self) {
        self.open_error = None;
        let target = if self.settings.remote_host.trim().is_empty() {
            None
        } else {
            match self.remote_text() {
                Ok(text) => Some(text),
                Err(err) => {
                    self.open_error = Some(err);
                    return;
                }
            }
        };
        if let Some(handle) = &self.handle {
            handle.send(Command::SetUdpTarget(target));
        }
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
}

/// The options a running session can change without reopening, as last handed to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AppliedOptions {
    room: RoomSettings,
    heartbeat: HeartbeatSettings,
    rules: Vec<RuleSettings>,
    encoding: String,
    send_queue: crate::engine::SendQueue,
}

impl AppliedOptions {
    /// True when `settings` hold these options (compared in place: this runs every frame).
    fn matches(&self, settings: &SessionSettings) -> bool {
        self.room == settings.room
            && self.heartbeat == settings.heartbeat
            && self.rules == settings.rules
            && self.encoding == settings.receive.encoding
            && self.send_queue == settings.send.send_queue()
    }

    fn of(settings: &SessionSettings) -> Self {
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

    /// Empties the log (counters stay).
    pub fn clear_log(&mut self) {
        self.feed.clear(&mut self.log);
    }

    /// UDP: joins (`true`) or leaves a multicast group typed as text.
    pub fn multicast(&mut self, group: &str, join: bool) {
        self.open_error = None;
        let group = match room::parse_group(group) {
            Ok(group) => group,
            Err(err) => {
                self.open_error = Some(UiError::Option(err));
                return;
            }
        };
        let Some(handle) = &self.handle else {
            self.open_error = Some(UiError::NotOpen);
            return;
        };
        handle.send(if join {
            Command::JoinMulticast(group)
        } else {
            Command::LeaveMulticast(group)
        });
    }
}

/// The commands that take a running session from `old` to `new` options.
fn commands_for(
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

/// The log feed's notes, as the window words them.
impl From<FeedNote> for Info {
    fn from(note: FeedNote) -> Self {
        match note {
            FeedNote::FrameHeader(header) => Self::FrameHeader(header),
            FeedNote::Incomplete(bytes) => Self::FrameIncomplete(bytes),
            FeedNote::GaveUp(gave_up) => Self::FrameGaveUp(gave_up),
        }
    }
}

impl Drop for SessionView {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.send(Command::Close);
        }
    }
}

fn parse_port(text: &str) -> Result<u16, UiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(UiError::EmptyPort);
    }
    text.parse().map_err(|_| UiError::BadPort(text.to_owned()))
}

fn parse_ip(text: &str) -> Result<IpAddr, UiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    }
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| UiError::BadLocalIp(text.to_owned()))
}
