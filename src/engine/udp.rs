//! UDP: one socket, datagrams from anyone, sends to a target, the last sender or everyone heard.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::time::Instant;

use mio::net::UdpSocket;
use mio::{Interest, Registry, Token};

use super::MAX_DATAGRAM;
use super::command::{Payload, Target};
use super::config::resolve;
use super::core::{Core, Transport, forward};
use super::error::{NetError, Result};
use super::event::{Event, SendOrigin, SentTo};

const SOCKET: Token = Token(1);
/// Datagrams read before timers and commands get their turn.
const READ_BUDGET: usize = 64;
/// File chunks travel as datagrams of this size, which every network carries.
const FILE_DATAGRAM: usize = 1024;

/// A bound UDP socket.
pub(crate) struct Udp {
    socket: UdpSocket,
    local: SocketAddr,
    target: Option<SocketAddr>,
    peers: HashMap<SocketAddr, Instant>,
    last_sender: Option<SocketAddr>,
    out: VecDeque<(SocketAddr, Payload)>,
    out_bytes: usize,
    read_pending: bool,
}

impl Udp {
    pub(crate) fn open(
        registry: &Registry,
        core: &mut Core,
        bind: SocketAddr,
        target: Option<&str>,
        broadcast: bool,
    ) -> Result<Self> {
        use socket2::{Domain, Socket, Type};
        let socket = Socket::new(Domain::for_address(bind), Type::DGRAM, None)
            .map_err(|err| NetError::io("cannot create a UDP socket", &err))?;
        if broadcast {
            socket
                .set_broadcast(true)
                .map_err(|err| NetError::io("cannot allow broadcast", &err))?;
        }
        socket
            .bind(&bind.into())
            .map_err(|err| NetError::from_bind(&err, bind))?;
        socket
            .set_nonblocking(true)
            .map_err(|err| NetError::io("cannot make the socket non-blocking", &err))?;
        let mut socket = UdpSocket::from_std(socket.into());
        let local = socket
            .local_addr()
            .map_err(|err| NetError::io("cannot read the local address", &err))?;
        let target = target.map(|t| resolve_for(t, local)).transpose()?;
        registry
            .register(&mut socket, SOCKET, Interest::READABLE | Interest::WRITABLE)
            .map_err(|err| NetError::io("cannot watch the UDP socket", &err))?;
        core.sink.push(Event::Opened {
            local,
            remote: target,
        });
        Ok(Self {
            socket,
            local,
            target,
            peers: HashMap::new(),
            last_sender: None,
            out: VecDeque::new(),
            out_bytes: 0,
            read_pending: true,
        })
    }

    fn read(&mut self, core: &mut Core, buf: &mut [u8]) {
        for _ in 0..READ_BUDGET {
            match self.socket.recv_from(buf) {
                Ok((n, peer)) => {
                    self.peers.insert(peer, Instant::now());
                    self.last_sender = Some(peer);
                    let fwd = core.take_in(peer, buf[..n].to_vec(), true);
                    forward(self, core, peer, fwd);
                }
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                    self.read_pending = false;
                    return;
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) if err.kind() == io::ErrorKind::ConnectionRefused => {
                    // An ICMP "port unreachable" for something we sent earlier.
                    let addr = self.target.or(self.last_sender).unwrap_or(self.local);
                    core.sink.push(Event::Error(NetError::Refused { addr }));
                }
                Err(err) => {
                    core.sink
                        .push(Event::Error(NetError::io("receiving a datagram", &err)));
                    self.read_pending = false;
                    return;
                }
            }
        }
        self.read_pending = true;
    }

    fn send_one(&mut self, to: SocketAddr, payload: Payload) -> Result<()> {
        if !self.out.is_empty() {
            self.out_bytes += payload.len();
            self.out.push_back((to, payload));
            return Ok(());
        }
        match self.socket.send_to(&payload, to) {
            Ok(_) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                self.out_bytes += payload.len();
                self.out.push_back((to, payload));
                Ok(())
            }
            Err(err) => Err(send_error(&err, to)),
        }
    }

    fn flush(&mut self, core: &mut Core) {
        while let Some((to, payload)) = self.out.front() {
            match self.socket.send_to(payload, *to) {
                Ok(_) => {}
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => return,
                Err(err) => core.sink.push(Event::Error(send_error(&err, *to))),
            }
            self.out_bytes -= payload.len();
            self.out.pop_front();
        }
    }

    fn no_target() -> NetError {
        NetError::NoTarget {
            hint: "set a remote address, or wait until a peer sends something and reply to it",
        }
    }
}

/// Resolves `host:port` to an address of the socket's family.
fn resolve_for(target: &str, local: SocketAddr) -> Result<SocketAddr> {
    let addrs = resolve(target)?;
    addrs
        .iter()
        .copied()
        .find(|a| a.is_ipv4() == local.is_ipv4())
        .ok_or_else(|| NetError::InvalidAddress {
            input: target.to_owned(),
            hint: if local.is_ipv4() {
                "it is IPv6 but the socket is bound to IPv4 — bind to :: or use an IPv4 target"
                    .to_owned()
            } else {
                "it is IPv4 but the socket is bound to IPv6 — bind to 0.0.0.0 or use an IPv6 target"
                    .to_owned()
            },
        })
}

fn send_error(err: &io::Error, to: SocketAddr) -> NetError {
    match err.kind() {
        io::ErrorKind::PermissionDenied => NetError::PermissionDenied { addr: to },
        io::ErrorKind::ConnectionRefused => NetError::Refused { addr: to },
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            NetError::Unreachable { addr: to }
        }
        _ => NetError::io(format!("sending to {to}"), err),
    }
}

impl Transport for Udp {
    fn ready(&mut self, core: &mut Core, event: &mio::event::Event, buf: &mut Vec<u8>) {
        if event.token() != SOCKET {
            return;
        }
        if event.is_writable() {
            self.flush(core);
        }
        if event.is_readable() {
            self.read(core, buf);
        }
    }

    fn read_pending(&mut self, core: &mut Core, buf: &mut Vec<u8>) {
        self.read(core, buf);
    }

    fn has_pending_reads(&self) -> bool {
        self.read_pending
    }

    fn send(
        &mut self,
        core: &mut Core,
        payload: Payload,
        to: Target,
        origin: SendOrigin,
    ) -> Result<()> {
        if payload.len() > MAX_DATAGRAM {
            return Err(NetError::DatagramTooLarge { len: payload.len() });
        }
        let sent_to = match to {
            Target::Default => {
                let peer = self
                    .target
                    .or(self.last_sender)
                    .ok_or_else(Self::no_target)?;
                self.send_one(peer, payload.clone())?;
                SentTo::Peer(peer)
            }
            Target::Peer(peer) => {
                self.send_one(peer, payload.clone())?;
                SentTo::Peer(peer)
            }
            Target::LastSender => {
                let peer = self.last_sender.ok_or(NetError::NoTarget {
                    hint: "no datagram has arrived yet, so there is no one to reply to",
                })?;
                self.send_one(peer, payload.clone())?;
                SentTo::Peer(peer)
            }
            Target::All => {
                if self.peers.is_empty() {
                    return Err(NetError::NoTarget {
                        hint: "no peer has sent anything yet",
                    });
                }
                let peers: Vec<SocketAddr> = self.peers.keys().copied().collect();
                for peer in &peers {
                    self.send_one(*peer, payload.clone())?;
                }
                SentTo::All { peers: peers.len() }
            }
        };
        core.sent(sent_to, payload, origin);
        Ok(())
    }

    fn relay(&mut self, core: &mut Core, from: SocketAddr, payload: Payload, include_sender: bool) {
        let peers: Vec<SocketAddr> = self
            .peers
            .keys()
            .copied()
            .filter(|p| include_sender || *p != from)
            .collect();
        let mut count = 0;
        for peer in peers {
            match self.send_one(peer, payload.clone()) {
                Ok(()) => count += 1,
                Err(err) => core.sink.push(Event::Error(err)),
            }
        }
        if count > 0 {
            core.sent(SentTo::All { peers: count }, payload, SendOrigin::Relay);
        }
    }

    fn kick(&mut self, _core: &mut Core, peer: SocketAddr) -> Result<()> {
        self.peers
            .remove(&peer)
            .map(|_| ())
            .ok_or(NetError::UnknownPeer { peer })
    }

    fn shutdown(&mut self, _core: &mut Core) -> Result<()> {
        Ok(())
    }

    fn set_target(&mut self, core: &mut Core, target: Option<String>) -> Result<()> {
        self.target = match target.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => Some(resolve_for(t, self.local)?),
        };
        core.sink.push(Event::TargetSet {
            target: self.target,
        });
        Ok(())
    }

    fn backlog(&self) -> usize {
        self.out_bytes
    }

    fn finished(&self) -> bool {
        false
    }

    fn close(&mut self, core: &mut Core) {
        self.flush(core);
    }

    fn file_chunk(&self) -> usize {
        FILE_DATAGRAM
    }
}
