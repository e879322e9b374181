//! What each engine event changes in the session's view: state, clients, counters, errors and
//! the log's records and notes.

use std::sync::Arc;
use std::time::SystemTime;

use crate::engine::{CloseReason, Event, NetError, SendOrigin, SentTo, SessionHandle, SessionId};
use crate::log::{FeedNote, Peer, Record};

use super::{ClientInfo, ClientTarget, FileProgress, LinkState, SessionView, UiError};
use crate::app::i18n::Info;
use crate::app::settings::Protocol;

impl SessionView {
    /// Applies one engine event.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per event; splitting hides the mapping"
    )]
    pub fn apply(&mut self, event: Event) {
        let id = self.handle.as_ref().map_or(0, SessionHandle::id);
        match event {
            // issue 15: serial — the port, then a bridge's TCP side (the state stays the port's).
            Event::Opened { local, remote } if self.settings.serial.enabled => {
                self.open_error = None;
                let info = if let Some(port) = crate::engine::port_name(local) {
                    self.state = LinkState::Open { local, remote };
                    let settings = self
                        .settings
                        .serial
                        .options()
                        .map(|o| o.to_string())
                        .unwrap_or_default();
                    Info::SerialOpened(port, settings)
                } else if let Some(server) = remote {
                    Info::BridgeConnected(server)
                } else {
                    Info::BridgeListening(local)
                };
                let note = Record::note(id, SystemTime::now(), Peer::None, info);
                self.feed.push(&mut self.log, note);
            }
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
                // A TCP client's (or a serial port's) own connection, not a bridge's client.
                if let CloseReason::Error(err) = reason
                    && self.settings.protocol == Protocol::TcpClient
                    && (!self.settings.serial.enabled || crate::engine::port_name(peer).is_some())
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
                // issue 15: websocket
                let message = bytes.message();
                let mut record = Record::rx_chunk(id, at, peer, bytes);
                record.message = message;
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
                kind,
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
                    let mut record = Record::tx(id, at, peer, Arc::clone(&bytes), origin);
                    // issue 15: websocket — what went as a message is marked as the kind
                    // the engine sent it as.
                    record.message = kind;
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
            // issue 15: tls
            Event::Tls(note) => self.note_tls(id, note),
            // issue 15: websocket
            Event::Ws(note) => {
                let peer = Peer::One(note.peer());
                let record = Record::note(id, SystemTime::now(), peer, Info::Ws(note));
                self.feed.push(&mut self.log, record);
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
