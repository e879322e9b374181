//! One connection's WebSocket: tungstenite's handshake and framing over in-memory buffers.
//!
//! [`super::super::conn::Conn`] hands in what its socket (or TLS) read and writes out what
//! the layer produced (the handshake, frames, pongs, close replies) through its send queue;
//! tungstenite never sees the socket. Its "stream" is a [`Pipe`]: reads take from the bytes
//! handed in and say `WouldBlock` when they are used up, writes append to the bytes to send.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tungstenite::handshake::client::ClientHandshake;
use tungstenite::handshake::server::ServerHandshake;
use tungstenite::handshake::{HandshakeError, MidHandshake};
use tungstenite::protocol::frame::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Bytes, ClientRequestBuilder, Error, Message, WebSocket};

use super::error::WsError;
use super::note::WsNote;
use super::pipe::{Check, NOT_FOUND, Pipe, Seen, config, feed, handshake_error, head_lines};
use super::{MAX_MESSAGE, MessageKind, SendKind, WsOptions, WsSide};

enum State {
    Client(MidHandshake<ClientHandshake<Pipe>>),
    Server(MidHandshake<ServerHandshake<Pipe, Check>>),
    Open(WebSocket<Pipe>),
    /// Failed or closed: nothing more goes in or out.
    Gone,
}

/// What one batch of read bytes gave.
#[derive(Default)]
pub(crate) struct WsRead {
    /// Whole messages, in order.
    pub messages: Vec<(Vec<u8>, MessageKind)>,
    /// Notes, in order (before the messages that came with them).
    pub notes: Vec<WsNote>,
    /// The handshake finished with this batch.
    pub opened: bool,
    /// The peer sent a close frame: close the sending direction once the reply is out.
    pub closing: bool,
    /// The WebSocket failed: the connection ends for this reason (after `wire` is written).
    pub failed: Option<WsError>,
    /// Bytes to send (handshake, pongs, close replies, sends that waited for the handshake).
    pub wire: Vec<u8>,
}

/// A WebSocket over a connection that [`super::super::conn::Conn`] owns.
pub(crate) struct WsLayer {
    state: State,
    peer: SocketAddr,
    auto_pong: bool,
    send_kind: SendKind,
    /// Sends made before the handshake finished, with their kind.
    waiting: Vec<(Vec<u8>, MessageKind)>,
    /// The client's request lines (what it wrote).
    request: Vec<String>,
    seen: Arc<Mutex<Seen>>,
    /// The server's path.
    path: Option<String>,
    /// Notes of frames we sent outside a read (our close), given with the next read.
    later: Vec<WsNote>,
}

impl WsLayer {
    /// The layer of a new connection with `peer`; a client's request is ready to go
    /// ([`WsLayer::start`]).
    pub(crate) fn new(
        options: &WsOptions,
        send_kind: SendKind,
        peer: SocketAddr,
    ) -> Result<Self, WsError> {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let state = match &options.side {
            WsSide::Client(client) => {
                let uri = client.url.trim().parse().map_err(
                    |err: tungstenite::http::uri::InvalidUri| WsError::Url {
                        url: client.url.clone(),
                        reason: err.to_string(),
                    },
                )?;
                let mut builder = ClientRequestBuilder::new(uri);
                for (name, value) in &client.headers {
                    builder = builder.with_header(name.clone(), value.clone());
                }
                for protocol in &client.subprotocols {
                    builder = builder.with_sub_protocol(protocol.clone());
                }
                let request = tungstenite::client::IntoClientRequest::into_client_request(builder)
                    .map_err(|err| WsError::Url {
                        url: client.url.clone(),
                        reason: err.to_string(),
                    })?;
                let mid = ClientHandshake::start(Pipe::default(), request, Some(config()))
                    .map_err(|err| WsError::Url {
                        url: client.url.clone(),
                        reason: err.to_string(),
                    })?;
                State::Client(mid)
            }
            WsSide::Server(server) => {
                let check = Check {
                    path: server.path.clone().filter(|p| !p.is_empty()),
                    subprotocols: server.subprotocols.clone(),
                    seen: Arc::clone(&seen),
                };
                State::Server(ServerHandshake::start(
                    Pipe::default(),
                    check,
                    Some(config()),
                ))
            }
        };
        Ok(Self {
            state,
            peer,
            auto_pong: options.auto_pong,
            send_kind,
            waiting: Vec::new(),
            request: Vec::new(),
            seen,
            later: Vec::new(),
            path: match &options.side {
                WsSide::Server(server) => server.path.clone(),
                WsSide::Client(_) => None,
            },
        })
    }

    /// A client's request (the first bytes to send); nothing for a server.
    pub(crate) fn start(&mut self) -> WsRead {
        self.take_in(&[], false)
    }

    /// Whether the handshake is still running.
    pub(crate) fn handshaking(&self) -> bool {
        matches!(self.state, State::Client(_) | State::Server(_))
    }

    /// Takes in `bytes` read from the connection (`eof`: the socket reached its end).
    pub(crate) fn take_in(&mut self, bytes: &[u8], eof: bool) -> WsRead {
        let mut out = WsRead {
            notes: std::mem::take(&mut self.later),
            ..WsRead::default()
        };
        let state = std::mem::replace(&mut self.state, State::Gone);
        self.state = match state {
            State::Client(mut mid) => {
                feed(mid.get_mut().get_mut(), bytes, eof);
                self.client_step(mid, eof, &mut out)
            }
            State::Server(mut mid) => {
                feed(mid.get_mut().get_mut(), bytes, eof);
                self.server_step(mid, eof, &mut out)
            }
            State::Open(mut ws) => {
                feed(ws.get_mut(), bytes, eof);
                State::Open(ws)
            }
            State::Gone => State::Gone,
        };
        if out.opened {
            for (payload, kind) in std::mem::take(&mut self.waiting) {
                if let Err(err) = self.encode_as(payload, kind, &mut out.wire) {
                    out.failed.get_or_insert(err);
                }
            }
        }
        if matches!(self.state, State::Open(_)) {
            self.read_messages(&mut out);
        }
        out
    }

    /// The client's handshake after new bytes: on, done or failed.
    fn client_step(
        &mut self,
        mid: MidHandshake<ClientHandshake<Pipe>>,
        eof: bool,
        out: &mut WsRead,
    ) -> State {
        let peer = self.peer;
        match mid.handshake() {
            Ok((mut ws, response)) => {
                let mut lines = vec![format!(
                    "HTTP/1.1 {} {}",
                    response.status().as_u16(),
                    response.status().canonical_reason().unwrap_or("")
                )];
                lines.extend(response.headers().iter().map(|(name, value)| {
                    format!("{name}: {}", String::from_utf8_lossy(value.as_bytes()))
                }));
                out.notes.push(WsNote::Handshake {
                    peer,
                    request: std::mem::take(&mut self.request),
                    response: lines,
                });
                out.opened = true;
                out.wire.append(&mut ws.get_mut().outbox);
                State::Open(ws)
            }
            Err(HandshakeError::Interrupted(mut mid)) => {
                let pipe = mid.get_mut().get_mut();
                if self.request.is_empty() && !pipe.outbox.is_empty() {
                    self.request = head_lines(&pipe.outbox);
                }
                out.wire.append(&mut pipe.outbox);
                if eof {
                    out.failed = Some(WsError::ClosedInHandshake { peer });
                    State::Gone
                } else {
                    State::Client(mid)
                }
            }
            Err(HandshakeError::Failure(err)) => {
                out.failed = Some(handshake_error(err, peer, eof));
                State::Gone
            }
        }
    }

    /// The server's handshake after new bytes: on, done or failed (a refused path is
    /// answered 404).
    fn server_step(
        &mut self,
        mid: MidHandshake<ServerHandshake<Pipe, Check>>,
        eof: bool,
        out: &mut WsRead,
    ) -> State {
        let peer = self.peer;
        match mid.handshake() {
            Ok(mut ws) => {
                let pipe = ws.get_mut();
                let response = head_lines(&pipe.outbox);
                out.wire.append(&mut pipe.outbox);
                let request = std::mem::take(
                    &mut self
                        .seen
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .request,
                );
                out.notes.push(WsNote::Handshake {
                    peer,
                    request,
                    response,
                });
                out.opened = true;
                State::Open(ws)
            }
            Err(HandshakeError::Interrupted(mut mid)) => {
                out.wire.append(&mut mid.get_mut().get_mut().outbox);
                if eof {
                    out.failed = Some(WsError::ClientLeftInHandshake { peer });
                    State::Gone
                } else {
                    State::Server(mid)
                }
            }
            Err(HandshakeError::Failure(err)) => {
                let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
                out.failed = Some(match (&seen.refused, err) {
                    (Some(asked), _) => WsError::WrongPath {
                        peer,
                        asked: asked.clone(),
                        served: self.path.clone().unwrap_or_default(),
                    },
                    (None, err) => handshake_error(err, peer, eof).on_server(),
                });
                // The 404 tungstenite wrote went with its handshake machine (the error does
                // not give the stream back): the same answer is written here.
                if seen.refused.is_some() {
                    out.wire.extend_from_slice(NOT_FOUND);
                }
                State::Gone
            }
        }
    }

    /// Reads every whole message the pipe holds.
    fn read_messages(&mut self, out: &mut WsRead) {
        let peer = self.peer;
        let State::Open(ws) = &mut self.state else {
            return;
        };
        // Bounded: each round takes a frame's bytes from the pipe, or ends.
        loop {
            match ws.read() {
                Ok(Message::Text(text)) => {
                    out.messages
                        .push((text.as_bytes().to_vec(), MessageKind::Text));
                }
                Ok(Message::Binary(bytes)) => {
                    out.messages.push((bytes.to_vec(), MessageKind::Binary));
                }
                Ok(Message::Ping(payload)) => {
                    if !self.auto_pong {
                        // tungstenite queued a pong: it is written here and taken back.
                        let pipe_len = ws.get_ref().outbox.len();
                        let _ = ws.flush();
                        ws.get_mut().outbox.truncate(pipe_len);
                    }
                    out.notes.push(WsNote::Ping {
                        peer,
                        payload: payload.to_vec(),
                        from_peer: true,
                        answered: self.auto_pong,
                    });
                }
                Ok(Message::Pong(payload)) => out.notes.push(WsNote::Pong {
                    peer,
                    payload: payload.to_vec(),
                    from_peer: true,
                }),
                Ok(Message::Close(frame)) => {
                    out.notes.push(WsNote::Close {
                        peer,
                        code: frame.as_ref().map(|f| u16::from(f.code)),
                        reason: frame.map(|f| f.reason.to_string()).unwrap_or_default(),
                        from_peer: true,
                    });
                    out.closing = true;
                }
                Ok(Message::Frame(_)) => {}
                Err(Error::Io(err)) if err.kind() == io::ErrorKind::WouldBlock => break,
                Err(Error::ConnectionClosed | Error::AlreadyClosed) => {
                    out.closing = true;
                    break;
                }
                // The socket ended without a close frame: the connection's end says so.
                Err(Error::Protocol(
                    tungstenite::error::ProtocolError::ResetWithoutClosingHandshake,
                )) => {
                    break;
                }
                Err(Error::Capacity(_)) => {
                    out.failed = Some(WsError::TooBig {
                        peer,
                        limit_mib: MAX_MESSAGE / (1024 * 1024),
                    });
                    break;
                }
                Err(err) => {
                    out.failed = Some(WsError::Protocol {
                        peer,
                        reason: err.to_string(),
                    });
                    break;
                }
            }
        }
        out.wire.append(&mut ws.get_mut().outbox);
        if out.failed.is_some() {
            self.state = State::Gone;
        }
    }

    /// Bytes of messages waiting for the handshake to finish (sent to a server's client that
    /// has not finished it yet): they count in the connection's send queue.
    pub(crate) fn waiting_bytes(&self) -> usize {
        self.waiting.iter().map(|(payload, _)| payload.len()).sum()
    }

    /// The frames of `payload` as a message of the kind sends go as (text only when it is
    /// UTF-8), appended to `wire`; while the handshake runs, it waits (nothing appended).
    pub(crate) fn encode(&mut self, payload: &[u8], wire: &mut Vec<u8>) -> Result<(), WsError> {
        let kind = if !self.send_kind.binary() && std::str::from_utf8(payload).is_ok() {
            MessageKind::Text
        } else {
            MessageKind::Binary
        };
        if self.handshaking() {
            self.waiting.push((payload.to_vec(), kind));
            return Ok(());
        }
        self.encode_as(payload.to_vec(), kind, wire)
    }

    fn encode_as(
        &mut self,
        payload: Vec<u8>,
        kind: MessageKind,
        wire: &mut Vec<u8>,
    ) -> Result<(), WsError> {
        let message = match (kind, String::from_utf8(payload)) {
            (MessageKind::Text, Ok(text)) => Message::text(text),
            (_, Ok(text)) => Message::binary(text.into_bytes()),
            (_, Err(err)) => Message::binary(err.into_bytes()),
        };
        self.write(message, wire)
    }

    fn write(&mut self, message: Message, wire: &mut Vec<u8>) -> Result<(), WsError> {
        let peer = self.peer;
        let State::Open(ws) = &mut self.state else {
            return Err(WsError::Closing { peer });
        };
        let result = ws.send(message);
        wire.append(&mut ws.get_mut().outbox);
        result.map_err(|err| match err {
            // A close frame went one way or both: the WebSocket is closing, not broken.
            tungstenite::Error::AlreadyClosed
            | tungstenite::Error::ConnectionClosed
            | tungstenite::Error::Protocol(tungstenite::error::ProtocolError::SendAfterClosing) => {
                WsError::Closing { peer }
            }
            other => WsError::Protocol {
                peer,
                reason: other.to_string(),
            },
        })
    }

    /// A ping with `payload`, appended to `wire`; its note.
    pub(crate) fn ping(&mut self, payload: &[u8], wire: &mut Vec<u8>) -> Option<WsNote> {
        if !matches!(self.state, State::Open(_)) {
            return None;
        }
        self.write(Message::Ping(Bytes::copy_from_slice(payload)), wire)
            .ok()?;
        Some(WsNote::Ping {
            peer: self.peer,
            payload: payload.to_vec(),
            from_peer: false,
            answered: false,
        })
    }

    /// A close frame (1000, normal closure), appended to `wire`; its note. Nothing when the
    /// WebSocket is not open or already closing.
    pub(crate) fn close(&mut self, wire: &mut Vec<u8>) -> Option<WsNote> {
        let State::Open(ws) = &mut self.state else {
            return None;
        };
        if !ws.can_write() {
            return None;
        }
        let frame = CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        };
        let _ = ws.close(Some(frame));
        wire.append(&mut ws.get_mut().outbox);
        let note = WsNote::Close {
            peer: self.peer,
            code: Some(1000),
            reason: String::new(),
            from_peer: false,
        };
        self.later.push(note.clone());
        Some(note)
    }
}

#[cfg(test)]
#[path = "layer_tests.rs"]
mod tests;
