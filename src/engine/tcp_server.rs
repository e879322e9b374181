//! TCP server: one listener, any number of clients, each with its own write queue.
//!
//! Each client's queue is bounded (see [`super::SendQueue`]). While a client is over the
//! limit, the reads that would feed it wait — every client's when relaying, its own when
//! echoing or auto-replying — so a fast sender is slowed to what the readers take instead of
//! filling memory. A client that takes no byte for the stall time while over the limit is
//! disconnected with [`CloseReason::StoppedReading`]; its unwritten bytes are reported as
//! [`Event::Unsent`], and the held reads resume at once.

use std::collections::{HashMap, HashSet};
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Interest, Registry, Token};

use super::broadcast::{self, send_one};
use super::command::Target;
use super::conn::Conn;
use super::error::{IoStep, NetError, Result};
use super::event::{CloseReason, Event, SendOrigin, SentTo};
use super::limits;
use super::payload::Payload;
use super::session_state::SessionState;
use super::socket;
use super::tcp_read::{self, ReadStop, TcpConns};
use super::tls::{ServerSetup, TlsNote};
use super::transport::Transport;
use super::websocket::WsSetup;

const LISTENER: Token = Token(1);
const FIRST_CLIENT: usize = 2;

/// A listening TCP server and its clients.
pub(crate) struct TcpServer {
    listener: TcpListener,
    registry: Registry,
    clients: HashMap<Token, Conn>,
    by_peer: HashMap<SocketAddr, Token>,
    next_token: usize,
    last_sender: Option<SocketAddr>,
    pending: Vec<Token>,
    /// Clients whose send queue is over the limit.
    over: HashSet<Token>,
    /// Clients with data to read whose reads wait for a full queue to drain.
    held: HashSet<Token>,
    /// Out of file descriptors: when to try accepting again (also at once when a client
    /// leaves). The waiting clients stay in the listen backlog meanwhile.
    accept_retry: Option<Instant>,
    /// When "too many open files" was last said (at most once a second).
    full_noted: Option<Instant>,
    /// TLS for every client, when the session speaks it.
    tls: Option<ServerSetup>,
}

/// How often accepting is tried again while out of file descriptors.
const ACCEPT_RETRY: Duration = Duration::from_millis(250);
/// How often "too many open files" is said while it lasts.
const FULL_NOTE_EVERY: Duration = Duration::from_secs(1);

impl TcpServer {
    pub(crate) fn open(
        registry: &Registry,
        core: &mut SessionState,
        bind: SocketAddr,
        tls: Option<(ServerSetup, TlsNote)>,
    ) -> Result<Self> {
        let mut listener = TcpListener::from_std(socket::listen(bind)?);
        registry
            .register(&mut listener, LISTENER, Interest::READABLE)
            .map_err(|err| NetError::io(IoStep::WatchListener, &err))?;
        let local = listener
            .local_addr()
            .map_err(|err| NetError::io(IoStep::ReadListeningAddress, &err))?;
        let registry = registry
            .try_clone()
            .map_err(|err| NetError::io(IoStep::CreatePoller, &err))?;
        core.sink.push(Event::Opened {
            local,
            remote: None,
        });
        let tls = tls.map(|(setup, note)| {
            core.sink.push(Event::Tls(note));
            setup
        });
        Ok(Self {
            listener,
            registry,
            clients: HashMap::new(),
            by_peer: HashMap::new(),
            next_token: FIRST_CLIENT,
            last_sender: None,
            pending: Vec::new(),
            over: HashSet::new(),
            held: HashSet::new(),
            accept_retry: None,
            full_noted: None,
            tls,
        })
    }

    fn accept(&mut self, core: &mut SessionState) {
        loop {
            match self.listener.accept() {
                Ok((stream, peer)) => {
                    self.accept_retry = None;
                    self.add_client(core, stream, peer);
                }
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => return,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) if limits::out_of_descriptors(&err) => {
                    // The client waits in the backlog; it is accepted when a client leaves or
                    // at the next retry. No busy loop: the listener stays quiet until then.
                    let now = Instant::now();
                    self.accept_retry = Some(now + ACCEPT_RETRY);
                    if self
                        .full_noted
                        .is_none_or(|at| now.duration_since(at) >= FULL_NOTE_EVERY)
                    {
                        self.full_noted = Some(now);
                        core.sink.push(Event::Error(NetError::TooManyFiles {
                            limit: limits::open_file_limit(),
                            clients: self.clients.len(),
                        }));
                    }
                    return;
                }
                Err(err) => {
                    // Report, keep serving who is here.
                    core.sink
                        .push(Event::Error(NetError::io(IoStep::AcceptClient, &err)));
                    return;
                }
            }
        }
    }

    fn add_client(&mut self, core: &mut SessionState, mut stream: TcpStream, peer: SocketAddr) {
        let token = Token(self.next_token);
        self.next_token += 1;
        if let Err(err) =
            self.registry
                .register(&mut stream, token, Interest::READABLE | Interest::WRITABLE)
        {
            core.sink.push(Event::Error(NetError::io(
                IoStep::WatchConnection(Some(peer)),
                &err,
            )));
            return;
        }
        let conn = match &self.tls {
            None => Conn::new(stream, peer),
            Some(tls) => match tls.layer(peer) {
                Ok(layer) => Conn::with_tls(stream, peer, layer),
                Err(err) => {
                    let _ = self.registry.deregister(&mut stream);
                    core.sink.push(Event::Error(err));
                    return;
                }
            },
        };
        // issue 15: websocket
        let mut conn = conn;
        if let Err(err) = tcp_read::add_ws(core, &mut conn) {
            let _ = self.registry.deregister(&mut conn.stream);
            core.sink.push(Event::Error(err));
            return;
        }
        core.sink.push(Event::PeerConnected {
            peer,
            at: conn.since,
        });
        self.clients.insert(token, conn);
        self.by_peer.insert(peer, token);
        self.pending.push(token);
    }

    fn drop_client(&mut self, core: &mut SessionState, token: Token, reason: CloseReason) {
        if let Some(mut conn) = self.clients.remove(&token) {
            // A descriptor is free: a client waiting for one is accepted at the next tick.
            if self.accept_retry.is_some() {
                self.accept_retry = Some(Instant::now());
            }
            let _ = self.registry.deregister(&mut conn.stream);
            self.by_peer.remove(&conn.peer);
            if self.last_sender == Some(conn.peer) {
                self.last_sender = None;
            }
            if self.over.remove(&token) {
                self.release_held();
            }
            tcp_read::report_closed(core, &conn, reason);
        }
    }

    /// [`TcpConns::check_queue`] for every client (after a broadcast).
    fn check_queues(&mut self, core: &SessionState) {
        let mut released = false;
        for (token, conn) in &mut self.clients {
            if conn.check_over(&core.send_queue) {
                self.over.insert(*token);
            } else if !self.over.is_empty() {
                released |= self.over.remove(token);
            }
        }
        if released {
            self.release_held();
        }
    }

    /// A queue drained or its client left: held reads are tried again (those that still
    /// have to wait are held anew by `read_client`).
    fn release_held(&mut self) {
        self.pending.extend(self.held.drain());
    }

    /// Reads from one client until it would block, the budget is spent or the queue is full;
    /// notes the client again if data is left.
    fn read_client(&mut self, core: &mut SessionState, token: Token, spare: &mut Vec<u8>) {
        let stop = tcp_read::read(self, core, token, spare);
        self.read_left(token, &stop);
    }

    /// Notes a client whose read stopped with data left: to read at the next turn, or once
    /// the full queue that holds its reads drains (`read_pending` stays set meanwhile).
    fn read_left(&mut self, token: Token, stop: &ReadStop) {
        match stop {
            ReadStop::Done => {}
            ReadStop::Blocked | ReadStop::Spent => self.pending.push(token),
            ReadStop::Held => {
                self.held.insert(token);
            }
        }
    }

    fn send_to(&mut self, core: &mut SessionState, token: Token, payload: &Payload) -> bool {
        let Some(conn) = self.clients.get_mut(&token) else {
            return false;
        };
        match send_one(conn, payload) {
            Ok(()) => {
                self.check_queue(core, token);
                true
            }
            Err(reason) => {
                self.drop_client(core, token, reason);
                false
            }
        }
    }

    /// Sends `payload` to every client but `except`; returns how many took it. A client whose
    /// socket fails is dropped.
    fn send_all(
        &mut self,
        core: &mut SessionState,
        payload: &Payload,
        except: Option<Token>,
    ) -> usize {
        let mut conns: Vec<(Token, &mut Conn)> = self
            .clients
            .iter_mut()
            .filter(|(token, _)| Some(**token) != except)
            .map(|(token, conn)| (*token, conn))
            .collect();
        let total = conns.len();
        let failed = broadcast::send(&mut conns, payload);
        drop(conns);
        let sent = total - failed.len();
        for (token, reason) in failed {
            self.drop_client(core, token, reason);
        }
        self.check_queues(core);
        sent
    }

    fn token_of(&self, peer: SocketAddr) -> Result<Token> {
        self.by_peer
            .get(&peer)
            .copied()
            .ok_or(NetError::UnknownPeer { peer })
    }
}

impl TcpConns for TcpServer {
    fn conn_mut(&mut self, token: Token) -> Option<&mut Conn> {
        self.clients.get_mut(&token)
    }

    /// Whether reading `token` would feed a send queue that is over the limit: any full
    /// queue when relaying, its own when echoing or auto-replying.
    fn reads_held(&self, core: &SessionState, token: Token) -> bool {
        !self.over.is_empty()
            && (core.relays() || (core.answers_sender() && self.over.contains(&token)))
    }

    /// Notes whether `token`'s queue is over the limit after a send or a flush.
    fn check_queue(&mut self, core: &SessionState, token: Token) {
        let Some(conn) = self.clients.get_mut(&token) else {
            return;
        };
        if conn.check_over(&core.send_queue) {
            self.over.insert(token);
        } else if self.over.remove(&token) {
            self.release_held();
        }
    }

    fn end_conn(&mut self, core: &mut SessionState, token: Token, reason: CloseReason) {
        self.drop_client(core, token, reason);
    }

    fn heard(&mut self, peer: SocketAddr) {
        self.last_sender = Some(peer);
    }
}

impl Transport for TcpServer {
    fn ready(&mut self, core: &mut SessionState, event: &mio::event::Event, buf: &mut Vec<u8>) {
        let token = event.token();
        if token == LISTENER {
            self.accept(core);
            return;
        }
        if let Some(stop) = tcp_read::ready(self, core, event, buf) {
            self.read_left(token, &stop);
        }
    }

    fn read_pending(&mut self, core: &mut SessionState, buf: &mut Vec<u8>) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable();
        pending.dedup();
        for token in pending {
            if self.clients.get(&token).is_some_and(|c| c.read_pending) {
                self.read_client(core, token, buf);
            }
        }
    }

    fn has_pending_reads(&self, _core: &SessionState) -> bool {
        !self.pending.is_empty()
    }

    fn options_changed(&mut self, core: &SessionState) {
        // A new limit may put queues over or under it; held reads are tried again either way
        // (those that must still wait are held anew by `read_client`).
        self.check_queues(core);
        self.release_held();
    }

    fn over_limit(&self) -> bool {
        !self.over.is_empty()
    }

    fn tick(&mut self, core: &mut SessionState, now: Instant) {
        // issue 15: websocket
        tcp_read::ws_pings(core, now, self.clients.values_mut());
        if self.accept_retry.is_some_and(|at| now >= at) {
            self.accept_retry = None;
            self.accept(core);
        }
        if self.over.is_empty() {
            return;
        }
        let stall = core.send_queue.stall;
        let stuck: Vec<(Token, usize)> = self
            .over
            .iter()
            .filter_map(|token| {
                let conn = self.clients.get(token)?;
                conn.stall_deadline(stall)
                    .is_some_and(|at| now >= at)
                    .then(|| (*token, conn.backlog()))
            })
            .collect();
        for (token, queued) in stuck {
            if let Some(conn) = self.clients.get_mut(&token) {
                let _ = conn.stream.shutdown(std::net::Shutdown::Both);
            }
            let reason = CloseReason::StoppedReading {
                queued,
                waited: stall,
            };
            self.drop_client(core, token, reason);
        }
    }

    fn next_deadline(&self, core: &SessionState) -> Option<Instant> {
        let stall = core.send_queue.stall;
        self.over
            .iter()
            .filter_map(|token| self.clients.get(token)?.stall_deadline(stall))
            .chain(self.accept_retry)
            // issue 15: websocket
            .chain(core.ws.as_ref().and_then(WsSetup::next_ping))
            .min()
    }

    fn send(
        &mut self,
        core: &mut SessionState,
        payload: Payload,
        to: Target,
        origin: SendOrigin,
    ) -> Result<()> {
        let to = match to {
            Target::Default | Target::All => {
                if self.clients.is_empty() {
                    return Err(NetError::NoTarget {
                        hint: "no client is connected yet",
                    });
                }
                let peers = self.send_all(core, &payload, None);
                SentTo::All { peers }
            }
            Target::Peer(peer) => {
                let token = self.token_of(peer)?;
                if !self.send_to(core, token, &payload) {
                    return Ok(());
                }
                SentTo::Peer(peer)
            }
            Target::LastSender => {
                let peer = self.last_sender.ok_or(NetError::NoTarget {
                    hint: "no client has sent anything yet",
                })?;
                let token = self.token_of(peer)?;
                if !self.send_to(core, token, &payload) {
                    return Ok(());
                }
                SentTo::Peer(peer)
            }
        };
        core.sent(to, payload, origin);
        Ok(())
    }

    fn relay(
        &mut self,
        core: &mut SessionState,
        from: SocketAddr,
        payload: Payload,
        include_sender: bool,
    ) {
        let except = if include_sender {
            None
        } else {
            self.by_peer.get(&from).copied()
        };
        let peers = self.send_all(core, &payload, except);
        if peers > 0 {
            core.sent(SentTo::All { peers }, payload, SendOrigin::Relay);
        }
    }

    fn disconnect(
        &mut self,
        core: &mut SessionState,
        peer: SocketAddr,
        reason: CloseReason,
    ) -> Result<()> {
        let token = self.token_of(peer)?;
        if let Some(conn) = self.clients.get_mut(&token) {
            let _ = conn.flush();
            conn.close_notify(&mut core.sink);
            let _ = conn.stream.shutdown(std::net::Shutdown::Both);
        }
        self.drop_client(core, token, reason);
        Ok(())
    }

    fn shutdown(&mut self, _core: &mut SessionState) -> Result<()> {
        Ok(())
    }

    fn set_target(&mut self, _core: &mut SessionState, _target: Option<String>) -> Result<()> {
        Ok(())
    }

    fn backlog(&self) -> usize {
        self.clients.values().map(Conn::backlog).max().unwrap_or(0)
    }

    fn finished(&self) -> bool {
        false
    }

    fn close(&mut self, core: &mut SessionState) {
        let tokens: Vec<Token> = self.clients.keys().copied().collect();
        for token in tokens {
            if let Some(conn) = self.clients.get_mut(&token) {
                let _ = conn.flush();
                conn.close_notify(&mut core.sink);
            }
            self.drop_client(core, token, CloseReason::LocalClosed);
        }
    }
}
