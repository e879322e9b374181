//! TCP client: connects without blocking the front end, then talks to one server.
//!
//! A server that stops reading is waited for, never dropped: once more than the send-queue
//! limit waits for it, the session reports [`Event::SendQueue`] (`waiting`), timed sends and
//! the file send pause, echo and auto-replies stop reading, and the front ends stop taking
//! input until the queue is down to half the limit.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::{Receiver, TryRecvError};
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Registry, Token};

use super::command::{Command, Target};
use super::config::resolve;
use super::conn::{AfterRead, Conn};
use super::error::{NetError, Result};
use super::event::{CloseReason, Event, SendOrigin, SentTo};
use super::payload::Payload;
use super::session_state::SessionState;
use super::transport::{Transport, forward};

const STREAM: Token = Token(1);
/// `connect` on a non-blocking socket answers this while the handshake runs.
const EINPROGRESS: i32 = if cfg!(target_os = "linux") { 115 } else { 36 };
/// Reads before timers and commands get their turn.
const READ_BUDGET: usize = 16;

/// A connected TCP client.
pub(crate) struct TcpClient {
    registry: Registry,
    conn: Conn,
    ended: bool,
}

enum Attempt {
    /// Connected; `true` when the poller already said the peer closed (its edge is spent).
    Connected(TcpStream, bool),
    Failed(NetError),
    Cancelled,
}

impl TcpClient {
    /// Resolves `remote` and tries each address in turn until one connects.
    ///
    /// Commands that arrive meanwhile are kept in `deferred`; `Close` cancels.
    pub(crate) fn open(
        poll: &mut Poll,
        core: &mut SessionState,
        (commands, deferred): (&Receiver<Command>, &mut Vec<Command>),
        remote: &str,
        local: Option<SocketAddr>,
        timeout: Duration,
    ) -> Result<Self> {
        let addrs = resolve(remote)?;
        let mut last_error = None;
        for addr in addrs {
            match connect_one(poll, core, commands, deferred, addr, local, timeout) {
                Attempt::Connected(stream, hangup_seen) => {
                    let local = stream
                        .local_addr()
                        .map_err(|err| NetError::io("cannot read the local address", &err))?;
                    core.sink.push(Event::Opened {
                        local,
                        remote: Some(addr),
                    });
                    let registry = poll
                        .registry()
                        .try_clone()
                        .map_err(|err| NetError::io("cannot create the poller", &err))?;
                    let mut conn = Conn::new(stream, addr);
                    // A peer that wrote and closed at once: the edge that said so was taken
                    // while connecting, so the first reads go on until the close shows.
                    conn.hangup_seen = hangup_seen;
                    return Ok(Self {
                        registry,
                        conn,
                        ended: false,
                    });
                }
                Attempt::Failed(err) => last_error = Some(err),
                Attempt::Cancelled => return Err(NetError::Closed),
            }
        }
        Err(last_error.unwrap_or(NetError::Resolve {
            host: remote.to_owned(),
            reason: "no address found".to_owned(),
        }))
    }

    /// Whether reads wait for the send queue: what is read would be answered (echo,
    /// auto-replies) into a queue that is over the limit.
    fn reads_held(&self, core: &SessionState) -> bool {
        self.conn.is_over() && core.answers_sender()
    }

    /// Notes whether the queue is over the limit after a send or a flush.
    fn check_queue(&mut self, core: &SessionState) {
        self.conn.check_over(&core.send_queue);
    }

    fn read(&mut self, core: &mut SessionState, spare: &mut Vec<u8>) {
        for _ in 0..READ_BUDGET {
            // Held reads stay pending (`read_pending`) and resume once the queue drains.
            if core.sink.blocked() || self.ended || self.reads_held(core) {
                return;
            }
            let peer = self.conn.peer;
            let (bytes, after) = self.conn.read_chunk(spare, &core.pool);
            self.conn.read_pending = matches!(after, AfterRead::More);
            if !bytes.is_empty() {
                let fwd = core.take_in(peer, bytes, false);
                forward(self, core, peer, fwd);
            }
            match after {
                AfterRead::More => {}
                AfterRead::Drained => return,
                AfterRead::Eof => {
                    let _ = self.conn.flush();
                    self.end(core, CloseReason::PeerClosed);
                    return;
                }
                AfterRead::Failed(err) => {
                    self.fail(core, &err);
                    return;
                }
            }
        }
    }

    fn end(&mut self, core: &mut SessionState, reason: CloseReason) {
        if !self.ended {
            self.ended = true;
            let _ = self.registry.deregister(&mut self.conn.stream);
            if let Some(unsent) = self.conn.unsent() {
                core.sink.push(unsent);
            }
            core.sink.push(Event::PeerClosed {
                peer: self.conn.peer,
                reason,
                at: SystemTime::now(),
            });
        }
    }

    fn fail(&mut self, core: &mut SessionState, err: &io::Error) {
        let reason = match err.kind() {
            io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => CloseReason::Reset,
            _ => CloseReason::Error(NetError::from_stream(err, self.conn.peer)),
        };
        self.end(core, reason);
    }
}

fn connect_one(
    poll: &mut Poll,
    core: &mut SessionState,
    commands: &Receiver<Command>,
    deferred: &mut Vec<Command>,
    addr: SocketAddr,
    local: Option<SocketAddr>,
    timeout: Duration,
) -> Attempt {
    let mut stream = match start_connect(addr, local) {
        Ok(stream) => stream,
        Err(err) => return Attempt::Failed(err),
    };
    if let Err(err) =
        poll.registry()
            .register(&mut stream, STREAM, Interest::READABLE | Interest::WRITABLE)
    {
        return Attempt::Failed(NetError::io("cannot watch the connection", &err));
    }
    let deadline = Instant::now() + timeout;
    let mut events = Events::with_capacity(16);
    loop {
        let now = Instant::now();
        if now >= deadline {
            let _ = poll.registry().deregister(&mut stream);
            return Attempt::Failed(NetError::ConnectTimeout {
                addr,
                secs: timeout.as_secs().max(1),
            });
        }
        if let Err(err) = poll.poll(&mut events, Some(deadline - now))
            && err.kind() != io::ErrorKind::Interrupted
        {
            return Attempt::Failed(NetError::io("waiting for the network", &err));
        }
        let mut hangup_seen = false;
        for event in &events {
            if event.token() != STREAM {
                continue;
            }
            hangup_seen |= event.is_read_closed() || event.is_error();
            if let Ok(Some(err)) | Err(err) = stream.take_error() {
                let _ = poll.registry().deregister(&mut stream);
                return Attempt::Failed(NetError::from_connect(&err, addr));
            }
            match stream.peer_addr() {
                Ok(_) => return Attempt::Connected(stream, hangup_seen),
                Err(err) if err.kind() == io::ErrorKind::NotConnected => {}
                Err(err) => {
                    let _ = poll.registry().deregister(&mut stream);
                    return Attempt::Failed(NetError::from_connect(&err, addr));
                }
            }
        }
        loop {
            match commands.try_recv() {
                Ok(Command::Close) | Err(TryRecvError::Disconnected) => {
                    core.stop = true;
                    return Attempt::Cancelled;
                }
                Ok(command) => deferred.push(command),
                Err(TryRecvError::Empty) => break,
            }
        }
        if core.sink.gone() {
            core.stop = true;
            return Attempt::Cancelled;
        }
    }
}

fn start_connect(addr: SocketAddr, local: Option<SocketAddr>) -> Result<TcpStream> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)
        .map_err(|err| NetError::io("cannot create a TCP socket", &err))?;
    if let Some(local) = local {
        socket
            .bind(&local.into())
            .map_err(|err| NetError::from_bind(&err, local))?;
    }
    socket
        .set_nonblocking(true)
        .map_err(|err| NetError::io("cannot make the socket non-blocking", &err))?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(err)
            if err.kind() == io::ErrorKind::WouldBlock
                || err.raw_os_error() == Some(EINPROGRESS) => {}
        Err(err) => return Err(NetError::from_connect(&err, addr)),
    }
    Ok(TcpStream::from_std(socket.into()))
}

impl Transport for TcpClient {
    fn ready(&mut self, core: &mut SessionState, event: &mio::event::Event, buf: &mut Vec<u8>) {
        if event.token() != STREAM || self.ended {
            return;
        }
        if event.is_writable() {
            if let Err(err) = self.conn.flush() {
                self.fail(core, &err);
                return;
            }
            self.check_queue(core);
        }
        if event.is_readable() || event.is_read_closed() || event.is_error() {
            self.conn.read_pending = true;
            self.conn.hangup_seen |= event.is_read_closed() || event.is_error();
            self.read(core, buf);
        }
    }

    fn read_pending(&mut self, core: &mut SessionState, buf: &mut Vec<u8>) {
        self.read(core, buf);
    }

    fn has_pending_reads(&self, core: &SessionState) -> bool {
        self.conn.read_pending && !self.ended && !self.reads_held(core)
    }

    fn over_limit(&self) -> bool {
        !self.ended && self.conn.is_over()
    }

    fn send(
        &mut self,
        core: &mut SessionState,
        payload: Payload,
        to: Target,
        origin: SendOrigin,
    ) -> Result<()> {
        let peer = self.conn.peer;
        if let Target::Peer(other) = to
            && other != peer
        {
            return Err(NetError::UnknownPeer { peer: other });
        }
        if self.ended {
            return Err(NetError::Closed);
        }
        if let Err(err) = self.conn.send(payload.clone()) {
            let error = NetError::from_stream(&err, peer);
            self.fail(core, &err);
            return Err(error);
        }
        self.check_queue(core);
        core.sent(SentTo::Peer(peer), payload, origin);
        Ok(())
    }

    fn relay(
        &mut self,
        _core: &mut SessionState,
        _from: SocketAddr,
        _payload: Payload,
        _sender: bool,
    ) {
        // A client has one peer: there is no one else to relay to.
    }

    fn disconnect(
        &mut self,
        core: &mut SessionState,
        peer: SocketAddr,
        reason: CloseReason,
    ) -> Result<()> {
        if peer != self.conn.peer {
            return Err(NetError::UnknownPeer { peer });
        }
        let _ = self.conn.flush();
        let _ = self.conn.stream.shutdown(std::net::Shutdown::Both);
        self.end(core, reason);
        Ok(())
    }

    fn shutdown(&mut self, core: &mut SessionState) -> Result<()> {
        self.conn.shutdown_after_flush = true;
        if let Err(err) = self.conn.flush() {
            self.fail(core, &err);
        }
        Ok(())
    }

    fn set_target(&mut self, _core: &mut SessionState, _target: Option<String>) -> Result<()> {
        Ok(())
    }

    fn backlog(&self) -> usize {
        self.conn.backlog()
    }

    fn finished(&self) -> bool {
        self.ended
    }

    fn close(&mut self, core: &mut SessionState) {
        let _ = self.conn.flush();
        self.end(core, CloseReason::LocalClosed);
    }
}
