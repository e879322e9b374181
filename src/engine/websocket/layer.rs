//! One connection's WebSocket: tungstenite's handshake and framing over in-memory buffers.
//!
//! [`super::super::conn::Conn`] hands in what its socket (or TLS) read and writes out what
//! the layer produced (the handshake, frames, pongs, close replies) through its send queue;
//! tungstenite never sees the socket. Its "stream" is a [`Pipe`]: reads take from the bytes
//! handed in and say `WouldBlock` when they are used up, writes append to the bytes to send.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tungstenite::handshake::client::ClientHandshake;
use tungstenite::handshake::server::{Callback, ErrorResponse, ServerHandshake};
use tungstenite::handshake::server::{Request, Response as ServerResponse};
use tungstenite::handshake::{HandshakeError, MidHandshake};
use tungstenite::http::{HeaderValue, StatusCode};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::protocol::frame::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Bytes, ClientRequestBuilder, Error, Message, WebSocket};

use super::error::WsError;
use super::note::WsNote;
use super::{MAX_MESSAGE, MessageKind, SendKind, WsOptions, WsSide};

/// tungstenite's stream: the bytes handed in, the bytes to send.
#[derive(Debug, Default)]
pub(crate) struct Pipe {
    inbox: Vec<u8>,
    read_at: usize,
    outbox: Vec<u8>,
    /// The socket reached its end: reads return 0 once the inbox is used up.
    eof: bool,
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let rest = &self.inbox[self.read_at..];
        if rest.is_empty() {
            return if self.eof {
                Ok(0)
            } else {
                Err(io::ErrorKind::WouldBlock.into())
            };
        }
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.read_at += n;
        if self.read_at == self.inbox.len() {
            self.inbox.clear();
            self.read_at = 0;
        }
        Ok(n)
    }
}

impl Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.outbox.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What the server's handshake saw: the request's lines, and the path refused.
#[derive(Debug, Default)]
struct Seen {
    request: Vec<String>,
    refused: Option<String>,
}

/// The server's check of a request: the path, the subprotocol.
struct Check {
    path: Option<String>,
    subprotocols: Vec<String>,
    seen: Arc<Mutex<Seen>>,
}

impl Callback for Check {
    fn on_request(
        self,
        request: &Request,
        mut response: ServerResponse,
    ) -> Result<ServerResponse, ErrorResponse> {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let target = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        seen.request.push(format!("GET {target} HTTP/1.1"));
        for (name, value) in request.headers() {
            seen.request.push(format!(
                "{}: {}",
                name,
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        if let Some(path) = &self.path
            && request.uri().path() != path
        {
            seen.refused = Some(target);
            let mut refuse = ErrorResponse::new(Some("no WebSocket at this path\n".to_owned()));
            *refuse.status_mut() = StatusCode::NOT_FOUND;
            return Err(refuse);
        }
        let offered: Vec<String> = request
            .headers()
            .get_all("Sec-WebSocket-Protocol")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|p| p.trim().to_owned())
            .collect();
        if let Some(chosen) = self.subprotocols.iter().find(|p| offered.contains(p))
            && let Ok(value) = HeaderValue::from_str(chosen)
        {
            response
                .headers_mut()
                .insert("Sec-WebSocket-Protocol", value);
        }
        Ok(response)
    }
}

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

fn config() -> WebSocketConfig {
    // Small read buffers (a server may hold thousands of connections); messages up to
    // MAX_MESSAGE whole; writes go straight to the pipe.
    WebSocketConfig::default()
        .read_buffer_size(16 * 1024)
        .write_buffer_size(0)
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE))
}

/// The start line and header lines of an HTTP head written as bytes.
fn head_lines(bytes: &[u8]) -> Vec<String> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end])
        .split("\r\n")
        .map(str::to_owned)
        .collect()
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
        let peer = self.peer;
        let state = std::mem::replace(&mut self.state, State::Gone);
        self.state = match state {
            State::Client(mut mid) => {
                feed(mid.get_mut().get_mut(), bytes, eof);
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
            State::Server(mut mid) => {
                feed(mid.get_mut().get_mut(), bytes, eof);
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
                            out.failed = Some(WsError::ClosedInHandshake { peer });
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
                            (None, err) => handshake_error(err, peer, eof),
                        });
                        // The 404 went out inside tungstenite's handshake machine: written
                        // again here from what it said.
                        if seen.refused.is_some() {
                            out.wire.extend_from_slice(
                                b"HTTP/1.1 404 Not Found\r\nContent-Length: 26\r\nConnection: close\r\n\r\nno WebSocket at this path\n",
                            );
                        }
                        State::Gone
                    }
                }
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
            return Err(WsError::Protocol {
                peer,
                reason: "the WebSocket is closed".to_owned(),
            });
        };
        let result = ws.send(message);
        wire.append(&mut ws.get_mut().outbox);
        result.map_err(|err| WsError::Protocol {
            peer,
            reason: err.to_string(),
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

fn feed(pipe: &mut Pipe, bytes: &[u8], eof: bool) {
    pipe.inbox.extend_from_slice(bytes);
    pipe.eof |= eof;
}

/// The sentence for a failed handshake.
fn handshake_error(err: Error, peer: SocketAddr, eof: bool) -> WsError {
    match err {
        Error::Http(response) => WsError::Rejected {
            peer,
            status: response.status().as_u16(),
            phrase: response
                .status()
                .canonical_reason()
                .unwrap_or_default()
                .to_owned(),
        },
        Error::Protocol(tungstenite::error::ProtocolError::HandshakeIncomplete) if eof => {
            WsError::ClosedInHandshake { peer }
        }
        Error::Protocol(err) => WsError::NotWebSocket {
            peer,
            detail: err.to_string(),
        },
        Error::Io(err) if err.kind() == io::ErrorKind::UnexpectedEof || eof => {
            WsError::ClosedInHandshake { peer }
        }
        other => WsError::NotWebSocket {
            peer,
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives a client and a server layer against each other in memory.
    #[test]
    fn a_client_and_a_server_shake_hands_and_trade_messages_in_memory() {
        let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let mut client_options = WsOptions::client("ws://127.0.0.1:1/chat");
        if let WsSide::Client(c) = &mut client_options.side {
            c.headers.push(("X-Test".to_owned(), "yes".to_owned()));
        }
        let mut client = WsLayer::new(&client_options, SendKind::new(false), addr).unwrap();
        let mut server = WsLayer::new(
            &WsOptions::server(Some("/chat".to_owned())),
            SendKind::new(true),
            addr,
        )
        .unwrap();
        let hello = client.start();
        assert!(hello.wire.starts_with(b"GET /chat HTTP/1.1\r\n"));
        let mut early = Vec::new();
        client.encode(b"early", &mut early).unwrap();
        assert!(early.is_empty(), "a send waits for the handshake");
        let answer = server.take_in(&hello.wire, false);
        assert!(answer.opened);
        let WsNote::Handshake { request, .. } = &answer.notes[0] else {
            panic!("{:?}", answer.notes);
        };
        assert!(request.iter().any(|l| l == "x-test: yes"), "{request:?}");
        let opened = client.take_in(&answer.wire, false);
        assert!(opened.opened);
        let got = server.take_in(&opened.wire, false);
        assert_eq!(got.messages, vec![(b"early".to_vec(), MessageKind::Text)]);
        let mut wire = Vec::new();
        server.encode(b"\x00\x01", &mut wire).unwrap();
        let got = client.take_in(&wire, false);
        assert_eq!(got.messages, vec![(vec![0, 1], MessageKind::Binary)]);
    }

    #[test]
    fn another_path_is_refused_with_404() {
        let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let mut client = WsLayer::new(
            &WsOptions::client("ws://127.0.0.1:1/other"),
            SendKind::new(false),
            addr,
        )
        .unwrap();
        let mut server = WsLayer::new(
            &WsOptions::server(Some("/chat".to_owned())),
            SendKind::new(false),
            addr,
        )
        .unwrap();
        let answer = server.take_in(&client.start().wire, false);
        assert!(matches!(answer.failed, Some(WsError::WrongPath { .. })));
        let failed = client.take_in(&answer.wire, false);
        assert!(
            matches!(failed.failed, Some(WsError::Rejected { status: 404, .. })),
            "{:?}",
            failed.failed.map(|e| e.to_string())
        );
    }
}
