//! UDP: one socket, datagrams from anyone, sends to a target, the last sender or everyone heard.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant, SystemTime};

use mio::net::UdpSocket;
use mio::{Interest, Registry, Token};

use super::MAX_DATAGRAM;
use super::chunk::Chunk;
use super::command::{Payload, Target};
use super::config::Multicast;
use super::config::resolve;
use super::core::{Core, Transport, forward};
use super::error::{NetError, Result};
use super::event::{CloseReason, Event, SendOrigin, SentTo};

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
    next_sweep: Instant,
    multicast_if_v4: Ipv4Addr,
    multicast_if_v6: u32,
}

/// How often silent peers are looked for: often enough that one leaves within a quarter of the
/// timeout of going silent, at most every 250 ms.
fn sweep_interval(timeout: Duration) -> Duration {
    (timeout / 4).clamp(Duration::from_millis(10), Duration::from_millis(250))
}

impl Udp {
    pub(crate) fn open(
        registry: &Registry,
        core: &mut Core,
        bind: SocketAddr,
        target: Option<&str>,
        broadcast: bool,
        multicast: &Multicast,
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
        if let Some(ttl) = multicast.ttl {
            let set = if bind.is_ipv4() {
                socket.set_multicast_ttl_v4(ttl)
            } else {
                socket.set_multicast_hops_v6(ttl)
            };
            set.map_err(|err| NetError::io("cannot set the multicast TTL", &err))?;
        }
        if let Some(on) = multicast.loopback {
            let set = if bind.is_ipv4() {
                socket.set_multicast_loop_v4(on)
            } else {
                socket.set_multicast_loop_v6(on)
            };
            set.map_err(|err| NetError::io("cannot set multicast loopback", &err))?;
        }
        if bind.is_ipv4() && !multicast.interface_v4.is_unspecified() {
            socket
                .set_multicast_if_v4(&multicast.interface_v4)
                .map_err(|err| NetError::io("cannot choose the multicast interface", &err))?;
        }
        if bind.is_ipv6() && multicast.interface_v6 != 0 {
            socket
                .set_multicast_if_v6(multicast.interface_v6)
                .map_err(|err| NetError::io("cannot choose the multicast interface", &err))?;
        }
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
        let mut udp = Self {
            socket,
            local,
            target,
            peers: HashMap::new(),
            last_sender: None,
            out: VecDeque::new(),
            out_bytes: 0,
            read_pending: true,
            next_sweep: Instant::now(),
            multicast_if_v4: multicast.interface_v4,
            multicast_if_v6: multicast.interface_v6,
        };
        for group in &multicast.groups {
            udp.multicast(core, *group, true)?;
        }
        Ok(udp)
    }

    fn read(&mut self, core: &mut Core, buf: &mut [u8]) {
        for _ in 0..READ_BUDGET {
            match self.socket.recv_from(buf) {
                Ok((n, peer)) => {
                    if self.peers.insert(peer, Instant::now()).is_none() {
                        core.sink.push(Event::PeerConnected {
                            peer,
                            at: SystemTime::now(),
                        });
                    }
                    self.last_sender = Some(peer);
                    let fwd = core.take_in(peer, Chunk::new(buf[..n].to_vec()), true);
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

    fn has_pending_reads(&self, _core: &Core) -> bool {
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
                // Before anyone has answered, a reply goes where the first request went (a
                // TFTP server answers from a new port, but the request must reach port 69).
                let peer = self.last_sender.or(self.target).ok_or(NetError::NoTarget {
                    hint: "no datagram has arrived yet and no remote target is set, so there is \
                           no one to reply to",
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

    fn disconnect(&mut self, core: &mut Core, peer: SocketAddr, reason: CloseReason) -> Result<()> {
        self.peers
            .remove(&peer)
            .ok_or(NetError::UnknownPeer { peer })?;
        if self.last_sender == Some(peer) {
            self.last_sender = None;
        }
        core.sink.push(Event::PeerClosed {
            peer,
            reason,
            at: SystemTime::now(),
        });
        Ok(())
    }

    fn tick(&mut self, core: &mut Core, now: Instant) {
        let Some(timeout) = core.peer_timeout else {
            return;
        };
        if now < self.next_sweep {
            return;
        }
        self.next_sweep = now + sweep_interval(timeout);
        let silent: Vec<SocketAddr> = self
            .peers
            .iter()
            .filter(|(_, heard)| now.duration_since(**heard) > timeout)
            .map(|(peer, _)| *peer)
            .collect();
        for peer in silent {
            let _ = self.disconnect(core, peer, CloseReason::Silent);
        }
    }

    fn next_deadline(&self, core: &Core) -> Option<Instant> {
        core.peer_timeout
            .filter(|_| !self.peers.is_empty())
            .map(|_| self.next_sweep)
    }

    fn multicast(&mut self, core: &mut Core, group: IpAddr, join: bool) -> Result<()> {
        let context = if join { "cannot join" } else { "cannot leave" };
        let result = match group {
            IpAddr::V4(v4) if v4.is_multicast() && self.local.is_ipv4() => {
                if join {
                    self.socket.join_multicast_v4(&v4, &self.multicast_if_v4)
                } else {
                    self.socket.leave_multicast_v4(&v4, &self.multicast_if_v4)
                }
            }
            IpAddr::V6(v6) if v6.is_multicast() && self.local.is_ipv6() => {
                if join {
                    self.socket.join_multicast_v6(&v6, self.multicast_if_v6)
                } else {
                    self.socket.leave_multicast_v6(&v6, self.multicast_if_v6)
                }
            }
            _ => return Err(NetError::NotMulticast { group }),
        };
        result.map_err(|err| NetError::io(format!("{context} multicast group {group}"), &err))?;
        core.sink.push(Event::Multicast {
            group,
            joined: join,
        });
        Ok(())
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
