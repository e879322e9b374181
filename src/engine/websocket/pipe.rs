//! The in-memory stream tungstenite runs over ([`Pipe`]), the server's check of a request
//! ([`Check`]: path and subprotocol), and the handshake's helpers.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tungstenite::Error;
use tungstenite::handshake::server::{Callback, ErrorResponse};
use tungstenite::handshake::server::{Request, Response as ServerResponse};
use tungstenite::http::{HeaderValue, StatusCode};
use tungstenite::protocol::WebSocketConfig;

use super::MAX_MESSAGE;
use super::error::WsError;

/// tungstenite's stream: the bytes handed in, the bytes to send.
#[derive(Debug, Default)]
pub(crate) struct Pipe {
    inbox: Vec<u8>,
    read_at: usize,
    pub(super) outbox: Vec<u8>,
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

/// The answer to a request for another path than the server's.
pub(super) const NOT_FOUND: &[u8] = b"HTTP/1.1 404 Not Found\r\nContent-Length: 26\r\nConnection: close\r\n\r\nno WebSocket at this path\n";

/// What the server's handshake saw: the request's lines, and the path refused.
#[derive(Debug, Default)]
pub(super) struct Seen {
    pub(super) request: Vec<String>,
    pub(super) refused: Option<String>,
}

/// The server's check of a request: the path, the subprotocol.
pub(super) struct Check {
    pub(super) path: Option<String>,
    pub(super) subprotocols: Vec<String>,
    pub(super) seen: Arc<Mutex<Seen>>,
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
            let mut refuse = ErrorResponse::new(None);
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

pub(super) fn config() -> WebSocketConfig {
    // Small read buffers (a server may hold thousands of connections); messages up to
    // MAX_MESSAGE whole; writes go straight to the pipe.
    WebSocketConfig::default()
        .read_buffer_size(8 * 1024)
        .write_buffer_size(0)
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE))
}

/// The start line and header lines of an HTTP head written as bytes.
pub(super) fn head_lines(bytes: &[u8]) -> Vec<String> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end])
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

pub(super) fn feed(pipe: &mut Pipe, bytes: &[u8], eof: bool) {
    pipe.inbox.extend_from_slice(bytes);
    pipe.eof |= eof;
}

/// The sentence for a failed handshake.
pub(super) fn handshake_error(err: Error, peer: SocketAddr, eof: bool) -> WsError {
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
