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
        }
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
        self.out_bytes
    }

    /// Whether the queue is over `queue`'s limit, with hysteresis: once over, it stays so until
    /// the queue is down to half the limit. Call after sends and flushes.
    pub(crate) fn check_over(&mut self, queue: &SendQueue) -> bool {
        if self.out_bytes > queue.limit {
            if !self.over {
                self.over = true;
                self.over_since = Instant::now();
            }
        } else if self.out_bytes <= queue.resume_at() {
            self.over = false;
        }
        self.over
    }

    /// The event for bytes still queued when the connection ends (they are not sent), if any.
    pub(crate) fn unsent(&self) -> Option<Event> {
        (self.out_bytes > 0).then(|| Event::Unsent {
            peer: self.peer,
            bytes: self.out_bytes as u64,
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

    /// Queues `payload` and writes what the socket takes now.
    pub(crate) fn send(&mut self, payload: Payload) -> io::Result<()> {
        if self.write_closed {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the sending direction is already closed",
            ));
        }
        if payload.is_empty() {
            return Ok(());
        }
        if self.out.is_empty() {
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

/// Why a connection ended when its socket failed with `err`.
pub(crate) fn close_reason(err: &io::Error, peer: SocketAddr) -> CloseReason {
    match err.kind() {
        io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => CloseReason::Reset,
        _ => CloseReason::Error(NetError::from_stream(err, peer)),
    }
}
