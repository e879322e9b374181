//! One TCP connection: its stream, its write queue and what it has moved.

use std::collections::VecDeque;
use std::io::{self, Read as _, Write as _};
use std::net::{Shutdown, SocketAddr};
use std::time::SystemTime;

use mio::net::TcpStream;

use super::command::Payload;

/// What a read attempt found.
pub(crate) enum ReadOutcome {
    /// `n` bytes are in the buffer.
    Data(usize),
    /// Nothing more for now.
    WouldBlock,
    /// The peer closed its sending direction.
    Eof,
    /// The connection broke.
    Failed(io::Error),
}

/// A connected TCP stream with the bytes still to be written.
pub(crate) struct Conn {
    pub stream: TcpStream,
    pub peer: SocketAddr,
    pub since: SystemTime,
    out: VecDeque<(Payload, usize)>,
    out_bytes: usize,
    /// The socket may have more to read (edge-triggered readiness was not drained).
    pub read_pending: bool,
    /// Close the sending direction once the queue is empty.
    pub shutdown_after_flush: bool,
    write_closed: bool,
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
            shutdown_after_flush: false,
            write_closed: false,
        }
    }

    pub(crate) fn read(&mut self, buf: &mut [u8]) -> ReadOutcome {
        loop {
            match self.stream.read(buf) {
                Ok(0) => return ReadOutcome::Eof,
                Ok(n) => return ReadOutcome::Data(n),
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                    return ReadOutcome::WouldBlock;
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return ReadOutcome::Failed(err),
            }
        }
    }

    /// Bytes waiting to be written.
    pub(crate) fn backlog(&self) -> usize {
        self.out_bytes
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
        self.out_bytes += payload.len();
        self.out.push_back((payload, 0));
        self.flush()
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
