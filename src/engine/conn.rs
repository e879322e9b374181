//! One TCP connection: its stream, its write queue and what it has moved.

use std::collections::VecDeque;
use std::io::{self, Read as _, Write as _};
use std::net::{Shutdown, SocketAddr};
use std::time::{Duration, Instant, SystemTime};

use mio::net::TcpStream;

use super::chunk::{Chunk, Pool};
use super::config::SendQueue;
use super::error::NetError;
use super::event::{CloseReason, Event};
use super::limits::READ_SIZE;
use super::payload::Payload;
use super::sink::Sink;
use super::tls::TlsInfo;
use super::tls::layer::{TlsLayer, TlsStep};
use super::websocket::layer::{WsLayer, WsRead};
use super::websocket::{WsError, WsNote};

/// What a read found after the bytes it returned.
pub(crate) enum AfterRead {
    /// The read filled a whole chunk: more is probably waiting.
    More,
    /// The socket has nothing more for now.
    Drained,
    /// The peer closed its sending direction.
    Eof,
    /// The connection broke.
    Failed(io::Error),
    /// The connection's protocol failed (TLS): it ends for this reason.
    Broke(CloseReason),
}
/// A connected TCP stream with the bytes still to be written.
#[allow(clippy::struct_excessive_bools)] // independent flags of one connection, not a state machine
pub(crate) struct Conn {
    pub stream: TcpStream,
    pub peer: SocketAddr,
    pub since: SystemTime,
    out: VecDeque<(Payload, usize)>,
    out_bytes: usize,
    /// The socket may have more to read (edge-triggered readiness was not drained).
    pub read_pending: bool,
    /// The poller reported the peer's close or an error; reads go on until it shows.
    pub hangup_seen: bool,
    /// Close the sending direction once the queue is empty.
    pub shutdown_after_flush: bool,
    write_closed: bool,
    /// Over the send-queue limit and not yet back down to half of it.
    over: bool,
    /// When the queue last went over the limit.
    over_since: Instant,
    /// When the socket last took bytes.
    last_write: Instant,
    /// TLS over the stream, when the session speaks it.
    tls: Option<Box<TlsLayer>>,
    // issue 15: websocket
    /// WebSocket over the stream (over TLS when both are on), when the session speaks it.
    ws: Option<Box<WsLayer>>,
}

impl Conn {
    pub(crate) fn new(stream: TcpStream, peer: SocketAddr) -> Self {
        // Small messages are what this tool sends by hand; do not hold them back.
        let _ = stream.set_nodelay(true);
        Self {
            stream,
            peer,
            since: SystemTime::now(),
            out: VecDeque::new(),
            out_bytes: 0,
            read_pending: true,
            hangup_seen: false,
            shutdown_after_flush: false,
            write_closed: false,
            over: false,
            over_since: Instant::now(),
            last_write: Instant::now(),
            tls: None,
            ws: None,
        }
    }

    /// A connection that speaks TLS through `layer`; the client's first handshake records
    /// go out at once.
    pub(crate) fn with_tls(stream: TcpStream, peer: SocketAddr, layer: TlsLayer) -> Self {
        let mut conn = Self::new(stream, peer);
        conn.tls = Some(Box::new(layer));
        let _ = conn.flush();
        conn
    }

    /// TLS: says `close_notify` before the connection is closed here (best effort; plain TCP
    /// has nothing to say).
    /// The note of the WebSocket close frame sent, if one was, goes to `sink` at once: the
    /// connection ends here, so no later read would show it.
    pub(crate) fn close_notify(&mut self, sink: &mut Sink) {
        // issue 15: websocket — a close frame first (best effort too).
        let mut note = None;
        if let Some(ws) = self.ws.as_mut() {
            let mut wire = Vec::new();
            note = ws.close(&mut wire);
            if note.is_some() {
                let _ = self.send_raw(Payload::from(wire));
            }
        }
        if let Some(tls) = self.tls.as_mut() {
            tls.close_notify();
            let _ = tls.write_pending(&mut self.stream);
        }
        if let Some(note) = note {
            sink.push(Event::Ws(note));
        }
    }

    /// The TLS handshake that just finished, once.
    pub(crate) fn take_secured(&mut self) -> Option<TlsInfo> {
        self.tls.as_mut().and_then(|tls| tls.take_secured())
    }

    /// [`Conn::read_chunk`] through TLS: as much plaintext as the socket's records give, up
    /// to a whole buffer.
    fn read_tls_chunk(&mut self, spare: &mut Vec<u8>, pool: &Pool) -> (Chunk, AfterRead) {
        let Some(tls) = self.tls.as_mut() else {
            return (Chunk::new(Vec::new()), AfterRead::Drained);
        };
        let (n, step) = tls.read(&mut self.stream, spare, self.peer);
        let secured = !tls.handshaking();
        let mut after = match step {
            TlsStep::More => AfterRead::More,
            TlsStep::Drained => AfterRead::Drained,
            TlsStep::Eof => AfterRead::Eof,
            TlsStep::Io(err) => AfterRead::Failed(err),
            TlsStep::Tls(err) => AfterRead::Broke(CloseReason::Error(err)),
        };
        // What was queued during the handshake goes out once it is done.
        if secured
            && !self.out.is_empty()
            && matches!(after, AfterRead::More | AfterRead::Drained)
            && let Err(err) = self.flush()
        {
            after = AfterRead::Failed(err);
        }
        let chunk = if n == 0 {
            Chunk::new(Vec::new())
        } else if n >= READ_SIZE / 4 {
            let full = std::mem::replace(spare, pool.buffer());
            pool.chunk(full, n)
        } else {
            Chunk::new(spare[..n].to_vec())
        };
        (chunk, after)
    }

    /// [`Conn::flush`] through TLS: records first, then plaintext as rustls takes it.
    fn flush_tls(&mut self) -> io::Result<()> {
        let Some(tls) = self.tls.as_mut() else {
            return Ok(());
        };
        loop {
            if !tls.write_pending(&mut self.stream)? {
                return Ok(());
            }
            let Some((payload, offset)) = self.out.front_mut() else {
                break;
            };
            let n = tls.write_plain(&payload[*offset..])?;
            if n == 0 {
                // The handshake still runs: the queue waits for it.
                return Ok(());
            }
            self.last_write = Instant::now();
            *offset += n;
            self.out_bytes -= n;
            if *offset == payload.len() {
                self.out.pop_front();
            }
        }
        if self.shutdown_after_flush && !self.write_closed {
            tls.close_notify();
            if !tls.write_pending(&mut self.stream)? {
                return Ok(());
            }
            self.write_closed = true;
            self.stream.shutdown(Shutdown::Write)?;
        }
        Ok(())
    }

    /// One read of up to [`READ_SIZE`] bytes.
    ///
    /// A large read hands its whole buffer over as the event (no copy) and a fresh one takes its
    /// place; a small read is copied out so the event holds no unused space. A short read means
    /// the socket is empty for now (TCP returns all it has), which spares the `EAGAIN` read
    /// that edge-triggered polling would otherwise need.
    ///
    /// `spare` is the session's read buffer (one per session, not per connection, so 15,000
    /// idle clients cost no read buffers); it is replaced when it leaves as an event.
    pub(crate) fn read_chunk(&mut self, spare: &mut Vec<u8>, pool: &Pool) -> (Chunk, AfterRead) {
        if spare.len() != READ_SIZE {
            *spare = pool.buffer();
        }
        if self.tls.is_some() {
            return self.read_tls_chunk(spare, pool);
        }
        loop {
            match self.stream.read(spare) {
                Ok(0) => return (Chunk::new(Vec::new()), AfterRead::Eof),
                Ok(n) => {
                    // A short read emptied the socket, unless the poller already said the peer
                    // closed or failed: then read on until that shows.
                    let after = if n == spare.len() || self.hangup_seen {
                        AfterRead::More
                    } else {
                        AfterRead::Drained
                    };
                    let chunk = if n >= READ_SIZE / 4 {
                        let full = std::mem::replace(spare, pool.buffer());
                        pool.chunk(full, n)
                    } else {
                        Chunk::new(spare[..n].to_vec())
                    };
                    return (chunk, after);
                }
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                    return (Chunk::new(Vec::new()), AfterRead::Drained);
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return (Chunk::new(Vec::new()), AfterRead::Failed(err)),
            }
        }
    }

    /// Bytes waiting to be written.
    pub(crate) fn backlog(&self) -> usize {
        // TLS records not yet written count as one byte: the queue is not empty yet.
        self.queued() + usize::from(self.tls.as_ref().is_some_and(|tls| tls.wants_write()))
    }

    /// Bytes queued for the socket, and messages held for a WebSocket handshake that has not
    /// finished (a server's client that never finishes it must not collect sends without
    /// limit, and what it held is reported unsent when it leaves).
    fn queued(&self) -> usize {
        self.out_bytes + self.ws.as_ref().map_or(0, |ws| ws.waiting_bytes())
    }

    /// Whether the queue is over `queue`'s limit, with hysteresis: once over, it stays so until
    /// the queue is down to half the limit. Call after sends and flushes.
    pub(crate) fn check_over(&mut self, queue: &SendQueue) -> bool {
        let queued = self.queued();
        if queued > queue.limit {
            if !self.over {
                self.over = true;
                self.over_since = Instant::now();
            }
        } else if queued <= queue.resume_at() {
            self.over = false;
        }
        self.over
    }

    /// The event for bytes still queued when the connection ends (they are not sent), if any.
    pub(crate) fn unsent(&self) -> Option<Event> {
        let queued = self.queued();
        (queued > 0).then(|| Event::Unsent {
            peer: self.peer,
            bytes: queued as u64,
        })
    }

    /// Whether the queue was over the limit at the last [`Conn::check_over`].
    pub(crate) fn is_over(&self) -> bool {
        self.over
    }

    /// While over the limit: when the peer will have taken no bytes for `stall`.
    pub(crate) fn stall_deadline(&self, stall: Duration) -> Option<Instant> {
        // A stall too long for the clock means no deadline rather than a panic.
        self.over
            .then(|| self.over_since.max(self.last_write).checked_add(stall))
            .flatten()
    }

    /// Queues `payload` and writes what the socket takes now (on a WebSocket: as one
    /// message).
    pub(crate) fn send(&mut self, payload: Payload) -> io::Result<()> {
        // issue 15: websocket
        if let Some(ws) = self.ws.as_mut() {
            // The WebSocket error rides inside the I/O error: `NetError::from_stream` and
            // `close_reason` take it back out, so it stays its own sentence.
            let failed = |err: WsError| io::Error::new(io::ErrorKind::BrokenPipe, err);
            if self.write_closed {
                return Err(failed(WsError::Closing { peer: self.peer }));
            }
            let mut wire = Vec::new();
            ws.encode(&payload, &mut wire).map_err(failed)?;
            return self.send_raw(Payload::from(wire));
        }
        self.send_raw(payload)
    }

    /// Queues bytes for the stream (under TLS, over no WebSocket) and writes what the socket
    /// takes now.
    fn send_raw(&mut self, payload: Payload) -> io::Result<()> {
        if self.write_closed {
            return Err(closed_error());
        }
        if payload.is_empty() {
            return Ok(());
        }
        if self.out.is_empty() && self.tls.is_none() {
            // The common case: the socket takes it all at once and nothing needs queueing.
            let written = self.write_now(&payload)?;
            if written > 0 {
                self.last_write = Instant::now();
            }
            if written == payload.len() {
                return self.flush();
            }
            self.out_bytes += payload.len() - written;
            self.out.push_back((payload, written));
            return Ok(());
        }
        self.out_bytes += payload.len();
        self.out.push_back((payload, 0));
        self.flush()
    }

    /// Writes what the socket takes now, without waiting.
    fn write_now(&mut self, bytes: &[u8]) -> io::Result<usize> {
        loop {
            match self.stream.write(bytes) {
                Ok(n) => return Ok(n),
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(0),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
    }

    /// Writes queued bytes until the socket would block; then closes the sending direction if
    /// that was asked for and nothing is left.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        // issue 15: websocket — closing the sending direction says so with a close frame.
        if self.shutdown_after_flush
            && !self.write_closed
            && let Some(ws) = self.ws.as_mut()
        {
            let mut wire = Vec::new();
            if ws.close(&mut wire).is_some() {
                self.out_bytes += wire.len();
                self.out.push_back((Payload::from(wire), 0));
            }
        }
        if self.tls.is_some() {
            return self.flush_tls();
        }
        while let Some((payload, offset)) = self.out.front_mut() {
            match self.stream.write(&payload[*offset..]) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "the connection accepts no more data",
                    ));
                }
                Ok(n) => {
                    self.last_write = Instant::now();
                    *offset += n;
                    self.out_bytes -= n;
                    if *offset == payload.len() {
                        self.out.pop_front();
                    }
                }
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        if self.shutdown_after_flush && !self.write_closed {
            self.write_closed = true;
            self.stream.shutdown(Shutdown::Write)?;
        }
        Ok(())
    }
}

fn closed_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "the sending direction is already closed",
    )
}

// issue 15: websocket
impl Conn {
    /// Puts a WebSocket over the stream; a client's request is queued at once (it goes out
    /// after the TLS handshake when TLS is under it).
    pub(crate) fn set_ws(&mut self, mut layer: WsLayer) {
        let start = layer.start();
        self.ws = Some(Box::new(layer));
        let _ = self.send_raw(Payload::from(start.wire));
    }

    /// Whether the connection speaks WebSocket.
    pub(crate) fn has_ws(&self) -> bool {
        self.ws.is_some()
    }

    /// Whether the TLS handshake is still running.
    pub(crate) fn tls_handshaking(&self) -> bool {
        self.tls.as_ref().is_some_and(|tls| tls.handshaking())
    }

    /// Whether the WebSocket handshake is still running.
    pub(crate) fn ws_handshaking(&self) -> bool {
        self.ws.as_ref().is_some_and(|ws| ws.handshaking())
    }

    /// Hands bytes read from the stream to the WebSocket (`eof`: the stream ended) and writes
    /// what it answers; a peer's close frame closes the sending direction after the reply.
    pub(crate) fn ws_take_in(&mut self, bytes: &[u8], eof: bool) -> Option<WsRead> {
        let mut read = self.ws.as_mut()?.take_in(bytes, eof);
        // After our close frame and FIN, what tungstenite still answers has nowhere to go.
        if !read.wire.is_empty() && !self.write_closed {
            let wire = Payload::from(std::mem::take(&mut read.wire));
            if let Err(err) = self.send_raw(wire)
                && read.failed.is_none()
            {
                read.failed = Some(WsError::Protocol {
                    peer: self.peer,
                    reason: err.to_string(),
                });
            }
        }
        if read.closing {
            self.shutdown_after_flush = true;
            let _ = self.flush();
        }
        Some(read)
    }

    /// Sends a ping (when the WebSocket is open); its note.
    pub(crate) fn ws_ping(&mut self) -> Option<WsNote> {
        let mut wire = Vec::new();
        let note = self.ws.as_mut()?.ping(b"netassist", &mut wire)?;
        self.send_raw(Payload::from(wire)).ok()?;
        Some(note)
    }
}

/// Why a connection ended when its socket failed with `err`.
pub(crate) fn close_reason(err: &io::Error, peer: SocketAddr) -> CloseReason {
    if let Some(ws) = err.get_ref().and_then(|e| e.downcast_ref::<WsError>()) {
        return CloseReason::Error(NetError::Ws(ws.clone()));
    }
    match err.kind() {
        io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => CloseReason::Reset,
        _ => CloseReason::Error(NetError::from_stream(err, peer)),
    }
}
