//! TCP client: connects without blocking the front end, then talks to one server.
//!
//! Connecting is the client's first state in the session loop: the loop holds the commands
//! that arrive meanwhile ([`Transport::opening`]) and hands them over in order once the
//! connection is up; `Close` cancels at once. Each resolved address is tried in turn, each
//! with the connect timeout.
//!
//! A server that stops reading is waited for, never dropped: once more than the send-queue
//! limit waits for it, the session reports [`Event::SendQueue`] (`waiting`), timed sends and
//! the file send pause, echo and auto-replies stop reading, and the front ends stop taking
//! input until the queue is down to half the limit.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Interest, Registry, Token};

use super::command::Target;
use super::config::resolve;
use super::conn::{Conn, close_reason};
use super::error::{IoStep, NetError, Result};
use super::event::{CloseReason, Event, SendOrigin, SentTo};
use super::payload::Payload;
use super::session_state::SessionState;
use super::socket::{self, Kind};
use super::tcp_read::{self, TcpConns};
use super::tls::{ClientSetup, TlsInfo, TlsNote};
use super::transport::Transport;
use super::websocket::{WsError, WsSetup};

const STREAM: Token = Token(1);
/// `connect` on a non-blocking socket answers this while the handshake runs.
const EINPROGRESS: i32 = if cfg!(target_os = "linux") { 115 } else { 36 };

/// A TCP client, from its first connect attempt to its end.
pub(crate) struct TcpClient {
    registry: Registry,
    link: Link,
    /// TLS over the connection, when the session speaks it.
    tls: Option<ClientSetup>,
    /// TLS: the connection is up and the handshake runs; `Opened` (with this local address)
    /// waits for it, and so do the commands. It must end by `handshake_deadline`.
    pending_open: Option<SocketAddr>,
    handshake_deadline: Option<Instant>,
    timeout: Duration,
}

/// Where the client is.
enum Link {
    /// A handshake runs.
    Connecting(Connecting),
    /// Connected; `ended` once the connection is over.
    Up { conn: Conn, ended: bool },
    /// No connection came up (reported as `Failed`), or connecting was cancelled.
    Down,
}

/// A handshake with `addr`, and the addresses still to try after it.
struct Connecting {
    stream: TcpStream,
    addr: SocketAddr,
    deadline: Instant,
    rest: std::vec::IntoIter<SocketAddr>,
    local: Option<SocketAddr>,
    timeout: Duration,
}

impl TcpClient {
    /// Resolves `remote` and starts connecting to its first address that takes a socket;
    /// returns at once (the outcome arrives as `Opened` or `Failed`).
    pub(crate) fn open(
        registry: &Registry,
        remote: &str,
        local: Option<SocketAddr>,
        timeout: Duration,
        tls: Option<ClientSetup>,
    ) -> Result<Self> {
        let registry = registry
            .try_clone()
            .map_err(|err| NetError::io(IoStep::CreatePoller, &err))?;
        let rest = resolve(remote)?.into_iter();
        match start_next(&registry, rest, local, timeout, None) {
            Ok(connecting) => Ok(Self {
                registry,
                link: Link::Connecting(connecting),
                tls,
                pending_open: None,
                handshake_deadline: None,
                timeout,
            }),
            Err(err) => Err(err.unwrap_or(NetError::Resolve {
                host: remote.to_owned(),
                reason: "no address found".to_owned(),
            })),
        }
    }

    /// The open connection, if there is one.
    fn conn(&self) -> Option<&Conn> {
        match &self.link {
            Link::Up { conn, ended: false } => Some(conn),
            _ => None,
        }
    }

    /// The handshake answered (or the attempt ran out of time): connected, or the next
    /// address, or `Failed` when none is left.
    fn handshake(&mut self, core: &mut SessionState, hangup_seen: bool, timed_out: bool) {
        let Link::Connecting(connecting) = &mut self.link else {
            return;
        };
        let addr = connecting.addr;
        let outcome = if timed_out {
            Err(NetError::ConnectTimeout {
                addr,
                secs: connecting.timeout.as_secs().max(1),
            })
        } else {
            match connecting.stream.take_error() {
                Ok(Some(err)) | Err(err) => Err(NetError::from_connect(&err, addr)),
                Ok(None) => match connecting.stream.peer_addr() {
                    Ok(_) => Ok(()),
                    // Still connecting: wait for the next event.
                    Err(err) if err.kind() == io::ErrorKind::NotConnected => return,
                    Err(err) => Err(NetError::from_connect(&err, addr)),
                },
            }
        };
        let Link::Connecting(mut connecting) = std::mem::replace(&mut self.link, Link::Down) else {
            return;
        };
        match outcome {
            Ok(()) => self.up(core, connecting, hangup_seen),
            Err(err) => {
                let _ = self.registry.deregister(&mut connecting.stream);
                let Connecting {
                    rest,
                    local,
                    timeout,
                    ..
                } = connecting;
                match start_next(&self.registry, rest, local, timeout, Some(err)) {
                    Ok(next) => self.link = Link::Connecting(next),
                    Err(err) => {
                        // `start_next` was given an error, so it gives one back.
                        if let Some(err) = err {
                            core.sink.push(Event::Failed(err));
                        }
                    }
                }
            }
        }
    }

    /// The handshake is done: reports `Opened`. Reads start in the loop's next turn, after
    /// the commands that waited for the connection.
    fn up(&mut self, core: &mut SessionState, connecting: Connecting, hangup_seen: bool) {
        let Connecting {
            mut stream, addr, ..
        } = connecting;
        match stream.local_addr() {
            Ok(local) => {
                let mut conn = match self.tls.as_ref().map(|tls| tls.layer(addr)) {
                    // issue 15: websocket — `Opened` waits for the WebSocket handshake.
                    None if core.ws.is_some() => {
                        self.pending_open = Some(local);
                        self.handshake_deadline = Some(Instant::now() + self.timeout);
                        Conn::new(stream, addr)
                    }
                    None => {
                        core.sink.push(Event::Opened {
                            local,
                            remote: Some(addr),
                        });
                        Conn::new(stream, addr)
                    }
                    Some(Ok(layer)) => {
                        // `Opened` waits for the TLS handshake (see `secured`).
                        self.pending_open = Some(local);
                        self.handshake_deadline = Some(Instant::now() + self.timeout);
                        Conn::with_tls(stream, addr, layer)
                    }
                    Some(Err(err)) => {
                        let _ = self.registry.deregister(&mut stream);
                        core.sink.push(Event::Failed(err));
                        return;
                    }
                };
                // issue 15: websocket
                if let Err(err) = tcp_read::add_ws(core, &mut conn) {
                    let _ = self.registry.deregister(&mut conn.stream);
                    (self.pending_open, self.handshake_deadline) = (None, None);
                    core.sink.push(Event::Failed(err));
                    return;
                }
                // A peer that wrote and closed at once: the edge that said so came with the
                // handshake, so the first reads go on until the close shows.
                conn.hangup_seen = hangup_seen;
                self.link = Link::Up { conn, ended: false };
            }
            Err(err) => {
                let _ = self.registry.deregister(&mut stream);
                core.sink
                    .push(Event::Failed(NetError::io(IoStep::ReadLocalAddress, &err)));
            }
        }
    }
}

/// Starts connecting to the next address of `rest` that takes a socket. When none does,
/// the last error (`last`, or a later one) is given back.
fn start_next(
    registry: &Registry,
    mut rest: std::vec::IntoIter<SocketAddr>,
    local: Option<SocketAddr>,
    timeout: Duration,
    mut last: Option<NetError>,
) -> std::result::Result<Connecting, Option<NetError>> {
    for addr in rest.by_ref() {
        let started = start_connect(addr, local).and_then(|mut stream| {
            registry
                .register(&mut stream, STREAM, Interest::READABLE | Interest::WRITABLE)
                .map_err(|err| NetError::io(IoStep::WatchConnection(None), &err))?;
            Ok(stream)
        });
        match started {
            Ok(stream) => {
                return Ok(Connecting {
                    stream,
                    addr,
                    deadline: Instant::now() + timeout,
                    rest,
                    local,
                    timeout,
                });
            }
            Err(err) => last = Some(err),
        }
    }
    Err(last)
}

fn start_connect(addr: SocketAddr, local: Option<SocketAddr>) -> Result<TcpStream> {
    let socket = socket::open(Kind::Tcp, addr, local, |_| Ok(()))?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(err)
            if err.kind() == io::ErrorKind::WouldBlock
                || err.raw_os_error() == Some(EINPROGRESS) => {}
        Err(err) => return Err(NetError::from_connect(&err, addr)),
    }
    Ok(TcpStream::from_std(socket.into()))
}

impl TcpConns for TcpClient {
    fn conn_mut(&mut self, token: Token) -> Option<&mut Conn> {
        match &mut self.link {
            Link::Up { conn, ended: false } if token == STREAM => Some(conn),
            _ => None,
        }
    }

    /// Reads wait for the send queue when what is read would be answered (echo,
    /// auto-replies) into a queue that is over the limit.
    fn reads_held(&self, core: &SessionState, _token: Token) -> bool {
        self.conn().is_some_and(Conn::is_over) && core.answers_sender()
    }

    fn check_queue(&mut self, core: &SessionState, token: Token) {
        if let Some(conn) = self.conn_mut(token) {
            conn.check_over(&core.send_queue);
        }
    }

    fn end_conn(&mut self, core: &mut SessionState, _token: Token, reason: CloseReason) {
        if self.pending_open.take().is_some() {
            // The TLS handshake did not finish: the session never opened.
            if let Link::Up { conn, .. } = &mut self.link {
                let _ = self.registry.deregister(&mut conn.stream);
                let peer = conn.peer;
                let error = match reason {
                    CloseReason::Error(err) => err,
                    CloseReason::LocalClosed => NetError::Closed,
                    CloseReason::Reset => NetError::Reset { peer },
                    _ => NetError::TlsClosedInHandshake { peer },
                };
                core.sink.push(Event::Failed(error));
            }
            self.link = Link::Down;
            return;
        }
        if let Link::Up { conn, ended } = &mut self.link
            && !*ended
        {
            *ended = true;
            let _ = self.registry.deregister(&mut conn.stream);
            tcp_read::report_closed(core, conn, reason);
        }
    }

    fn secured(&mut self, core: &mut SessionState, peer: SocketAddr, info: TlsInfo) {
        // issue 15: websocket — a WebSocket client opens when its handshake is done.
        if self.conn().is_some_and(Conn::ws_handshaking) {
            core.sink.push(Event::Tls(TlsNote::Secured { peer, info }));
            return;
        }
        if let Some(local) = self.pending_open.take() {
            self.handshake_deadline = None;
            core.sink.push(Event::Opened {
                local,
                remote: Some(peer),
            });
        }
        core.sink.push(Event::Tls(TlsNote::Secured { peer, info }));
    }
    // issue 15: websocket
    fn ws_opened(&mut self, core: &mut SessionState, peer: SocketAddr) {
        if let Some(local) = self.pending_open.take() {
            self.handshake_deadline = None;
            core.sink.push(Event::Opened {
                local,
                remote: Some(peer),
            });
        }
    }
}

impl Transport for TcpClient {
    fn opening(&self) -> bool {
        matches!(self.link, Link::Connecting(_) | Link::Down) || self.pending_open.is_some()
    }

    fn ready(&mut self, core: &mut SessionState, event: &mio::event::Event, buf: &mut Vec<u8>) {
        if event.token() != STREAM {
            return;
        }
        if matches!(self.link, Link::Connecting(_)) {
            self.handshake(core, event.is_read_closed() || event.is_error(), false);
            return;
        }
        tcp_read::ready(self, core, event, buf);
    }

    fn read_pending(&mut self, core: &mut SessionState, buf: &mut Vec<u8>) {
        tcp_read::read(self, core, STREAM, buf);
    }

    fn has_pending_reads(&self, core: &SessionState) -> bool {
        self.conn().is_some_and(|conn| conn.read_pending) && !self.reads_held(core, STREAM)
    }

    fn over_limit(&self) -> bool {
        self.conn().is_some_and(Conn::is_over)
    }

    fn send(
        &mut self,
        core: &mut SessionState,
        payload: Payload,
        to: Target,
        origin: SendOrigin,
    ) -> Result<()> {
        let Link::Up { conn, ended } = &mut self.link else {
            // Commands wait while connecting; after a failed connect nothing is sent.
            return Err(NetError::Closed);
        };
        let peer = conn.peer;
        if let Target::Peer(other) = to
            && other != peer
        {
            return Err(NetError::UnknownPeer { peer: other });
        }
        if *ended {
            return Err(NetError::Closed);
        }
        if let Err(err) = conn.send(payload.clone()) {
            let error = NetError::from_stream(&err, peer);
            self.end_conn(core, STREAM, close_reason(&err, peer));
            return Err(error);
        }
        self.check_queue(core, STREAM);
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
        let Link::Up { conn, .. } = &mut self.link else {
            return Err(NetError::UnknownPeer { peer });
        };
        if peer != conn.peer {
            return Err(NetError::UnknownPeer { peer });
        }
        let _ = conn.flush();
        conn.close_notify(&mut core.sink);
        let _ = conn.stream.shutdown(std::net::Shutdown::Both);
        self.end_conn(core, STREAM, reason);
        Ok(())
    }

    fn shutdown(&mut self, core: &mut SessionState) -> Result<()> {
        if let Link::Up { conn, .. } = &mut self.link {
            conn.shutdown_after_flush = true;
            if let Err(err) = conn.flush() {
                let reason = close_reason(&err, conn.peer);
                self.end_conn(core, STREAM, reason);
            }
        }
        Ok(())
    }

    fn set_target(&mut self, _core: &mut SessionState, _target: Option<String>) -> Result<()> {
        Ok(())
    }

    fn backlog(&self) -> usize {
        match &self.link {
            Link::Up { conn, .. } => conn.backlog(),
            _ => 0,
        }
    }

    fn finished(&self) -> bool {
        matches!(self.link, Link::Down | Link::Up { ended: true, .. })
    }

    fn tick(&mut self, core: &mut SessionState, now: Instant) {
        // issue 15: websocket
        if let Link::Up { conn, .. } = &mut self.link {
            tcp_read::ws_pings(core, now, std::iter::once(conn));
        }
        if matches!(&self.link, Link::Connecting(c) if now >= c.deadline) {
            self.handshake(core, false, true);
        }
        if self.handshake_deadline.is_some_and(|at| now >= at)
            && let Link::Up { conn, .. } = &self.link
        {
            let (peer, secs) = (conn.peer, self.timeout.as_secs().max(1));
            // issue 15: websocket — TLS is done: the WebSocket handshake is what waits.
            let reason = CloseReason::Error(if conn.has_ws() && !conn.tls_handshaking() {
                NetError::Ws(WsError::NoAnswer { peer, secs })
            } else {
                NetError::TlsNoAnswer { peer, secs }
            });
            self.handshake_deadline = None;
            self.end_conn(core, STREAM, reason);
        }
    }

    fn next_deadline(&self, core: &SessionState) -> Option<Instant> {
        match &self.link {
            Link::Connecting(connecting) => Some(connecting.deadline),
            // issue 15: websocket
            Link::Up { .. } => [
                self.handshake_deadline,
                core.ws.as_ref().and_then(WsSetup::next_ping),
            ]
            .into_iter()
            .flatten()
            .min(),
            Link::Down => self.handshake_deadline,
        }
    }

    fn close(&mut self, core: &mut SessionState) {
        match &mut self.link {
            Link::Connecting(connecting) => {
                // Closed before the connection came up: connecting is cancelled.
                let _ = self.registry.deregister(&mut connecting.stream);
                self.link = Link::Down;
                core.sink.push(Event::Failed(NetError::Closed));
            }
            Link::Up { conn, .. } => {
                let _ = conn.flush();
                conn.close_notify(&mut core.sink);
                self.end_conn(core, STREAM, CloseReason::LocalClosed);
            }
            Link::Down => {}
        }
    }
}

#[cfg(test)]
mod tests;
