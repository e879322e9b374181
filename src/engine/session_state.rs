//! What a session has besides its sockets, shared by the transports and the session loop:
//! the event sink, the read-buffer pool, the save file, and the options that decide what
//! happens to received data (echo, relay, quit line, auto-replies, the send-queue limit).
//!
//! The transports take received bytes in through [`SessionState::take_in`] and report sends
//! through [`SessionState::sent`]; the session loop (above the transports) changes the options.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use mio::Waker;

use super::chunk::{Chunk, Pool};
use super::config::{Relay, SendQueue, SessionConfig};
use super::error::NetError;
use super::event::{CloseReason, Event, SendOrigin, SentTo};
use super::payload::Payload;
use super::rules::{Action, AutoReply, has_line, is_heartbeat};
use super::save::Saver;
use super::sink::Sink;
use super::websocket::MessageKind;

/// What to do with received data besides showing it.
pub(crate) struct Forward {
    /// Sends back to the sender, each with why.
    pub replies: Vec<(Payload, SendOrigin)>,
    /// Bytes for the other peers, and whether the sender gets them too.
    pub relay: Option<(Payload, bool)>,
    /// Why the sender is disconnected, if it is.
    pub disconnect: Option<CloseReason>,
}

/// Everything a session has besides its sockets.
pub(crate) struct SessionState {
    pub sink: Sink,
    /// Read buffers that come back when their events are dropped.
    pub pool: Pool,
    save: Option<Saver>,
    pub echo: bool,
    pub relay: Option<Relay>,
    pub quit_line: Option<Vec<u8>>,
    /// UDP: a datagram equal to this is a heartbeat, not relayed.
    pub room_heartbeat: Option<Vec<u8>>,
    pub auto_replies: Vec<AutoReply>,
    /// UDP: how long a peer may stay silent.
    pub peer_timeout: Option<Duration>,
    /// Set by `Close` or by the front end going away.
    pub stop: bool,
    /// The bound on each TCP peer's send queue.
    pub send_queue: SendQueue,
    /// Wakes this session's loop (held here for the whole session, see `Session::open`).
    waker: Arc<Waker>,
    // issue 15: websocket
    /// WebSocket over the TCP connections, when the session speaks it.
    pub ws: Option<super::websocket::WsSetup>,
    // issue 15: serial
    /// A serial bridge: a copy of every read with its peer, for the bridge to forward to the
    /// other side (see `serial::bridge`).
    pub tap: Option<Vec<(SocketAddr, Payload)>>,
    /// A serial bridge whose port is over the send-queue limit: TCP reads wait (they stay
    /// pending, as when the front end has no room).
    pub hold_reads: bool,
}

impl SessionState {
    /// The state a session starts with: its options from `config`, events into `sink`.
    pub(crate) fn new(config: &SessionConfig, sink: Sink, waker: Arc<Waker>) -> Self {
        let mut state = Self {
            waker,
            sink,
            pool: Pool::new(),
            save: None,
            echo: config.echo,
            relay: config.relay,
            quit_line: config.quit_line.clone(),
            room_heartbeat: config.room_heartbeat.clone(),
            auto_replies: config.auto_replies.clone(),
            peer_timeout: config.peer_timeout,
            stop: false,
            send_queue: config.send_queue.at_least_one_byte(),
            ws: config
                .websocket
                .as_ref()
                .map(super::websocket::WsSetup::new),
            tap: None,
            hold_reads: false,
        };
        state.set_save(config.save_to.clone());
        state
    }

    /// Whether data read from a peer may be sent back to that peer (echo, auto-replies).
    pub(crate) fn answers_sender(&self) -> bool {
        self.echo || !self.auto_replies.is_empty()
    }

    /// Whether data read from a peer is forwarded to the others.
    pub(crate) fn relays(&self) -> bool {
        self.relay.is_some()
    }
    /// Saves, queues and decides what to forward for bytes from `peer`.
    pub(crate) fn take_in(&mut self, peer: SocketAddr, bytes: Chunk, datagram: bool) -> Forward {
        self.take_in_at(peer, bytes, datagram, SystemTime::now())
    }

    /// [`SessionState::take_in`] for bytes read at `at` (a serial port's reader thread reads
    /// before the session takes them in: gap framing goes by when they were read).
    pub(crate) fn take_in_at(
        &mut self,
        peer: SocketAddr,
        bytes: Chunk,
        datagram: bool,
        at: SystemTime,
    ) -> Forward {
        self.save_bytes(&bytes);
        if let Some(tap) = &mut self.tap {
            tap.push((peer, Payload::from(bytes.as_slice())));
        }
        let mut replies = Vec::new();
        if self.echo {
            replies.push((Payload::from(bytes.as_slice()), SendOrigin::Echo));
        }
        let mut disconnect = None;
        for rule in &self.auto_replies {
            if rule.when.matches(&bytes) {
                match &rule.then {
                    Action::Reply(payload) => {
                        replies.push((payload.clone(), SendOrigin::AutoReply));
                    }
                    Action::Echo => {
                        replies.push((Payload::from(bytes.as_slice()), SendOrigin::AutoReply));
                    }
                    Action::Disconnect => disconnect = Some(CloseReason::Rule),
                }
            }
        }
        let quits = self
            .quit_line
            .as_ref()
            .is_some_and(|line| has_line(&bytes, line));
        if quits {
            disconnect = Some(CloseReason::Quit);
        }
        // A room heartbeat keeps its sender in the room (the transport has refreshed its
        // "last heard") but is nobody else's business.
        let heartbeat = datagram
            && self
                .room_heartbeat
                .as_ref()
                .is_some_and(|beat| is_heartbeat(&bytes, beat));
        let relay = self.relay.filter(|_| !quits && !heartbeat).map(|relay| {
            let payload = if relay.prefix_peer {
                // A serial port by its name, not its stand-in address.
                let mut framed = format!("{}\n", super::peer_label(peer)).into_bytes();
                framed.extend_from_slice(&bytes);
                Payload::from(framed)
            } else {
                Payload::from(bytes.as_slice())
            };
            (payload, relay.include_sender)
        });
        let event = Event::Received { peer, at, bytes };
        if datagram {
            self.sink.push_datagram(event);
        } else {
            self.sink.push(event);
        }
        Forward {
            replies,
            relay,
            disconnect,
        }
    }

    fn save_bytes(&mut self, bytes: &[u8]) {
        if let Some(save) = &mut self.save
            && let Err(reason) = save.write(bytes)
        {
            self.save_failed(reason);
        }
    }

    /// Lets the file catch up while the session waits for the network.
    pub(crate) fn flush_save(&mut self) {
        if let Some(save) = &mut self.save
            && let Err(reason) = save.flush()
        {
            self.save_failed(reason);
        }
    }

    /// Writes out and closes the file, waiting for it.
    pub(crate) fn finish_save(&mut self) {
        if let Some(save) = self.save.take() {
            let path = save.path().to_owned();
            if let Err(reason) = save.finish() {
                self.sink
                    .push(Event::Error(NetError::FileWrite { path, reason }));
            }
        }
    }

    fn save_failed(&mut self, reason: String) {
        if let Some(save) = self.save.take() {
            let path = save.path().to_owned();
            drop(save);
            self.sink
                .push(Event::Error(NetError::FileWrite { path, reason }));
        }
    }

    pub(crate) fn set_save(&mut self, path: Option<PathBuf>) {
        self.finish_save();
        if let Some(path) = path {
            match Saver::open(path, Some(Arc::clone(&self.waker))) {
                Ok(saver) => self.save = Some(saver),
                Err(err) => self.sink.push(Event::Error(err)),
            }
        }
    }

    /// The waker of this session's loop (a serial port's threads wake it).
    pub(crate) fn waker(&self) -> &Arc<Waker> {
        &self.waker
    }

    /// Reports a `Sent` event.
    pub(crate) fn sent(&mut self, to: SentTo, bytes: Payload, origin: SendOrigin) {
        // The kind the WebSocket layer chose for these bytes just now (it decides the same
        // way, with the same setting, in the same turn).
        let kind = self.ws.as_ref().map(|ws| {
            if !ws.send_kind().binary() && std::str::from_utf8(&bytes).is_ok() {
                MessageKind::Text
            } else {
                MessageKind::Binary
            }
        });
        self.sink.push(Event::Sent {
            to,
            at: SystemTime::now(),
            bytes,
            origin,
            kind,
        });
    }
}

#[cfg(test)]
mod tests;
