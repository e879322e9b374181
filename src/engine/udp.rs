//! UDP: one socket, datagrams from anyone, sends to a target, the last sender or everyone heard.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant, SystemTime};

use mio::net::UdpSocket;
use mio::{Interest, Registry, Token};

use super::chunk::Chunk;
use super::command::Target;
use super::config::Multicast;
use super::config::resolve;
use super::error::{NetError, Result};
use super::event::{CloseReason, Event, SendOrigin, SentTo};
use super::payload::Payload;
use super::session_state::SessionState;
use super::socket::{self, Kind};
use super::transport::{Transport, forward};
use super::{MAX_DATAGRAM, MAX_DATAGRAM_V6};

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
    /// Where the last datagram went (the guess for an ICMP error where no queue names it).
    last_sent_to: Option<SocketAddr>,
    /// When each unreachable destination was last reported.
    unreachable_noted: HashMap<SocketAddr, Instant>,
    /// A send ran into an ICMP error for an earlier datagram, not yet reported.
    icmp_pending: bool,
    /// ICMP errors read from the queue by a send, not yet reported.
    icmp_taken: Vec<(SocketAddr, io::Error)>,
    /// The kernel's drop counter as last read (`SO_RXQ_OVFL`: cumulative, 32 bits, wraps).
    kernel_counter: u32,
    /// Datagrams the kernel dropped since the session opened.
    kernel_dropped: u64,
    /// Room for the control message of each read (kept: a read allocates nothing).
    control: Vec<u8>,
}

/// How often silent peers are looked for: often enough that one leaves within a quarter of the
/// timeout of going silent, at most every 250 ms.
fn sweep_interval(timeout: Duration) -> Duration {
    (timeout / 4).clamp(Duration::from_millis(10), Duration::from_millis(250))
}

impl Udp {
    pub(crate) fn open(
        registry: &Registry,
        core: &mut SessionState,
        bind: SocketAddr,
        target: Option<&str>,
        broadcast: bool,
        multicast: &Multicast,
        recv_buffer: Option<usize>,
    ) -> Result<Self> {
        let mut granted = 0;
        let socket = socket::open(Kind::Udp, bind, Some(bind), |socket| {
            if broadcast {
                socket
                    .set_broadcast(true)
                    .map_err(|err| NetError::io("cannot allow broadcast", &err))?;
            }
            if let Some(size) = recv_buffer {
                socket
                    .set_recv_buffer_size(size)
                    .map_err(|err| NetError::io("cannot set the UDP receive buffer size", &err))?;
            }
            granted = socket
                .recv_buffer_size()
                .map(rx::usable_buffer)
                .unwrap_or_default();
            Ok(())
        })?;
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
                .map_err(|err| interface_error(&err, &multicast.interface_v4.to_string(), false))?;
        }
        if bind.is_ipv6() && multicast.interface_v6 != 0 {
            socket
                .set_multicast_if_v6(multicast.interface_v6)
                .map_err(|err| interface_error(&err, &multicast.interface_v6.to_string(), true))?;
        }
        icmp::report_errors(&socket, bind.is_ipv6());
        rx::count_drops(&socket);
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
        core.sink.push(Event::ReceiveBuffer {
            asked: recv_buffer,
            granted,
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
            last_sent_to: None,
            unreachable_noted: HashMap::new(),
            icmp_pending: false,
            icmp_taken: Vec::new(),
            kernel_counter: 0,
            kernel_dropped: 0,
            control: rx::control_buffer(),
        };
        for group in &multicast.groups {
            udp.multicast(core, *group, true)?;
        }
        Ok(udp)
    }

    fn read(&mut self, core: &mut SessionState, buf: &mut [u8]) {
        for _ in 0..READ_BUDGET {
            if core.sink.blocked() && !core.sink.burst_room() {
                // No room: what waits stays in the kernel's buffer (and what overflows it is
                // counted there) until the consumer makes room; reading it now would only
                // drop it.
                break;
            }
            match rx::recv(&self.socket, buf, &mut self.control) {
                Ok((n, peer, counter)) => {
                    if let Some(counter) = counter {
                        self.kernel_drops(core, counter);
                    }
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
                    // An ICMP "port unreachable" for something we sent earlier: the error
                    // queue says where it went; without one, the last destination is the guess.
                    if !self.icmp_errors(core)
                        && let Some(addr) = self.last_sent_to.or(self.target)
                    {
                        self.note_unreachable(core, NetError::UdpPortUnreachable { addr });
                    }
                }
                Err(err) => {
                    // Host or network unreachable for an earlier datagram shows here too.
                    if self.icmp_errors(core) {
                        continue;
                    }
                    core.sink
                        .push(Event::Error(NetError::io("receiving a datagram", &err)));
                    self.read_pending = false;
                    return;
                }
            }
        }
        self.read_pending = true;
    }

    /// Takes the kernel's cumulative drop counter from a datagram and reports the total.
    fn kernel_drops(&mut self, core: &mut SessionState, counter: u32) {
        let new = counter.wrapping_sub(self.kernel_counter);
        if new > 0 {
            self.kernel_counter = counter;
            self.kernel_dropped += u64::from(new);
            core.sink.kernel_dropped(self.kernel_dropped);
        }
    }

    /// Reads the ICMP errors queued for datagrams sent earlier and reports them; whether
    /// there were any.
    fn icmp_errors(&mut self, core: &mut SessionState) -> bool {
        let mut errors = std::mem::take(&mut self.icmp_taken);
        errors.extend(icmp::take_errors(&self.socket));
        let any = !errors.is_empty();
        for (addr, err) in errors {
            let err = match err.kind() {
                io::ErrorKind::ConnectionRefused => NetError::UdpPortUnreachable { addr },
                io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                    NetError::Unreachable { addr }
                }
                _ => NetError::io(format!("sending to {addr}"), &err),
            };
            self.note_unreachable(core, err);
        }
        any
    }

    /// Reports an error about a destination, at most once a second for each (a flood to a
    /// closed port brings one ICMP message per datagram).
    fn note_unreachable(&mut self, core: &mut SessionState, err: NetError) {
        let addr = match &err {
            NetError::UdpPortUnreachable { addr } | NetError::Unreachable { addr } => Some(*addr),
            _ => None,
        };
        let now = Instant::now();
        if let Some(addr) = addr {
            if self
                .unreachable_noted
                .get(&addr)
                .is_some_and(|at| now.duration_since(*at) < Duration::from_secs(1))
            {
                return;
            }
            if self.unreachable_noted.len() >= 1024 {
                self.unreachable_noted
                    .retain(|_, at| now.duration_since(*at) < Duration::from_secs(1));
            }
            self.unreachable_noted.insert(addr, now);
        }
        core.sink.push(Event::Error(err));
    }

    fn send_one(&mut self, to: SocketAddr, payload: Payload) -> Result<()> {
        if !self.out.is_empty() {
            self.out_bytes += payload.len();
            self.out.push_back((to, payload));
            return Ok(());
        }
        match self.send_to(&payload, to) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                self.out_bytes += payload.len();
                self.out.push_back((to, payload));
                Ok(())
            }
            Err(err) => Err(send_error(&err, to)),
        }
    }

    /// One `send_to`. An ICMP error for an earlier datagram is handed to the next send
    /// (`ECONNREFUSED`, `EHOSTUNREACH`, …) without sending this one: it is kept for
    /// [`Udp::report_icmp`] and the datagram is sent again. An unreachable host with nothing
    /// in the error queue is this datagram's own error.
    fn send_to(&mut self, payload: &[u8], to: SocketAddr) -> io::Result<()> {
        for _ in 0..4 {
            match self.socket.send_to(payload, to) {
                Ok(_) => {
                    self.last_sent_to = Some(to);
                    return Ok(());
                }
                Err(err) if err.kind() == io::ErrorKind::ConnectionRefused => {
                    self.icmp_pending = true;
                    self.icmp_taken.extend(icmp::take_errors(&self.socket));
                }
                Err(err)
                    if matches!(
                        err.kind(),
                        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable
                    ) =>
                {
                    let earlier = icmp::take_errors(&self.socket);
                    if earlier.is_empty() {
                        return Err(err);
                    }
                    self.icmp_pending = true;
                    self.icmp_taken.extend(earlier);
                }
                Err(err) => return Err(err),
            }
        }
        Err(io::Error::from(io::ErrorKind::ConnectionRefused))
    }

    /// Reports the ICMP errors that sends ran into.
    fn report_icmp(&mut self, core: &mut SessionState) {
        if std::mem::take(&mut self.icmp_pending)
            && !self.icmp_errors(core)
            && let Some(addr) = self.last_sent_to.or(self.target)
        {
            self.note_unreachable(core, NetError::UdpPortUnreachable { addr });
        }
    }

    fn flush(&mut self, core: &mut SessionState) {
        while let Some((to, payload)) = self.out.pop_front() {
            match self.send_to(&payload, to) {
                Ok(()) => {}
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                    self.out.push_front((to, payload));
                    break;
                }
                Err(err) => core.sink.push(Event::Error(send_error(&err, to))),
            }
            self.out_bytes -= payload.len();
        }
        self.report_icmp(core);
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

/// Whether choosing an interface failed because it is not there (`EADDRNOTAVAIL`, or
/// `ENODEV` on Linux).
fn no_such_interface(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::AddrNotAvailable
        || (cfg!(target_os = "linux") && err.raw_os_error() == Some(19))
}

/// The error for choosing the multicast interface `interface` (an IPv4 address or an index).
fn interface_error(err: &io::Error, interface: &str, v6: bool) -> NetError {
    if no_such_interface(err) {
        NetError::NoSuchInterface {
            interface: interface.to_owned(),
            known: known_interfaces(v6),
        }
    } else {
        NetError::io(format!("cannot send multicast through {interface}"), err)
    }
}

/// This machine's interfaces as a user picks them: IPv4 addresses with their names, or IPv6
/// interface indexes with their names, e.g. "127.0.0.1 (lo), 192.168.1.5 (eth0)".
pub fn known_interfaces(v6: bool) -> String {
    let mut known: Vec<String> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| match i.addr {
            if_addrs::IfAddr::V4(v4) if !v6 => Some(format!("{} ({})", v4.ip, i.name)),
            if_addrs::IfAddr::V6(_) if v6 => i.index.map(|index| format!("{index} ({})", i.name)),
            _ => None,
        })
        .collect();
    known.dedup();
    if known.is_empty() {
        "none found".to_owned()
    } else {
        known.join(", ")
    }
}

/// The largest payload a datagram to `to` may carry.
fn max_datagram(to: SocketAddr) -> usize {
    match to {
        SocketAddr::V6(v6) if v6.ip().to_ipv4_mapped().is_none() => MAX_DATAGRAM_V6,
        _ => MAX_DATAGRAM,
    }
}

fn send_error(err: &io::Error, to: SocketAddr) -> NetError {
    match err.kind() {
        io::ErrorKind::PermissionDenied => NetError::PermissionDenied { addr: to },
        io::ErrorKind::ConnectionRefused => NetError::UdpPortUnreachable { addr: to },
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            NetError::Unreachable { addr: to }
        }
        _ => NetError::io(format!("sending to {to}"), err),
    }
}

impl Transport for Udp {
    fn ready(&mut self, core: &mut SessionState, event: &mio::event::Event, buf: &mut Vec<u8>) {
        if event.token() != SOCKET {
            return;
        }
        if event.is_writable() {
            self.flush(core);
        }
        if event.is_error() {
            // An ICMP error was queued (EPOLLERR, not EPOLLIN).
            self.icmp_errors(core);
        }
        if event.is_readable() || event.is_error() {
            self.read(core, buf);
        }
    }

    fn read_pending(&mut self, core: &mut SessionState, buf: &mut Vec<u8>) {
        self.read(core, buf);
    }

    fn has_pending_reads(&self, _core: &SessionState) -> bool {
        self.read_pending
    }

    fn reads_while_blocked(&self, core: &SessionState) -> bool {
        core.sink.burst_room()
    }

    fn send(
        &mut self,
        core: &mut SessionState,
        payload: Payload,
        to: Target,
        origin: SendOrigin,
    ) -> Result<()> {
        let (peers, sent_to) = match to {
            Target::Default => {
                let peer = self
                    .target
                    .or(self.last_sender)
                    .ok_or_else(Self::no_target)?;
                (vec![peer], SentTo::Peer(peer))
            }
            Target::Peer(peer) => (vec![peer], SentTo::Peer(peer)),
            Target::LastSender => {
                // Before anyone has answered, a reply goes where the first request went (a
                // TFTP server answers from a new port, but the request must reach port 69).
                let peer = self.last_sender.or(self.target).ok_or(NetError::NoTarget {
                    hint: "no datagram has arrived yet and no remote target is set, so there is \
                           no one to reply to",
                })?;
                (vec![peer], SentTo::Peer(peer))
            }
            Target::All => {
                if self.peers.is_empty() {
                    return Err(NetError::NoTarget {
                        hint: "no peer has sent anything yet",
                    });
                }
                let peers: Vec<SocketAddr> = self.peers.keys().copied().collect();
                let count = peers.len();
                (peers, SentTo::All { peers: count })
            }
        };
        // Checked for every destination before anything goes: nothing is half-sent.
        if let Some(max) = peers.iter().map(|p| max_datagram(*p)).min()
            && payload.len() > max
        {
            return Err(NetError::DatagramTooLarge {
                len: payload.len(),
                max,
            });
        }
        let sent = peers
            .iter()
            .try_for_each(|peer| self.send_one(*peer, payload.clone()));
        self.report_icmp(core);
        sent?;
        core.sent(sent_to, payload, origin);
        Ok(())
    }

    fn relay(
        &mut self,
        core: &mut SessionState,
        from: SocketAddr,
        payload: Payload,
        include_sender: bool,
    ) {
        let peers: Vec<SocketAddr> = self
            .peers
            .keys()
            .copied()
            .filter(|p| include_sender || *p != from)
            .collect();
        let mut count = 0;
        for peer in peers {
            if payload.len() > max_datagram(peer) {
                core.sink.push(Event::Error(NetError::DatagramTooLarge {
                    len: payload.len(),
                    max: max_datagram(peer),
                }));
                continue;
            }
            match self.send_one(peer, payload.clone()) {
                Ok(()) => count += 1,
                Err(err) => core.sink.push(Event::Error(err)),
            }
        }
        self.report_icmp(core);
        if count > 0 {
            core.sent(SentTo::All { peers: count }, payload, SendOrigin::Relay);
        }
    }

    fn disconnect(
        &mut self,
        core: &mut SessionState,
        peer: SocketAddr,
        reason: CloseReason,
    ) -> Result<()> {
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

    fn tick(&mut self, core: &mut SessionState, now: Instant) {
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

    fn next_deadline(&self, core: &SessionState) -> Option<Instant> {
        core.peer_timeout
            .filter(|_| !self.peers.is_empty())
            .map(|_| self.next_sweep)
    }

    fn multicast(&mut self, core: &mut SessionState, group: IpAddr, join: bool) -> Result<()> {
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
        result.map_err(|err| match group {
            IpAddr::V4(_) if no_such_interface(&err) && !self.multicast_if_v4.is_unspecified() => {
                interface_error(&err, &self.multicast_if_v4.to_string(), false)
            }
            IpAddr::V6(_) if no_such_interface(&err) && self.multicast_if_v6 != 0 => {
                interface_error(&err, &self.multicast_if_v6.to_string(), true)
            }
            _ => NetError::io(format!("{context} multicast group {group}"), &err),
        })?;
        core.sink.push(Event::Multicast {
            group,
            joined: join,
        });
        Ok(())
    }

    fn shutdown(&mut self, _core: &mut SessionState) -> Result<()> {
        Ok(())
    }

    fn set_target(&mut self, core: &mut SessionState, target: Option<String>) -> Result<()> {
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

    fn close(&mut self, core: &mut SessionState) {
        self.flush(core);
    }

    fn file_chunk(&self) -> usize {
        FILE_DATAGRAM
    }
}

/// ICMP errors for datagrams sent from an unconnected socket. Linux passes them on only with
/// `IP_RECVERR` / `IPV6_RECVERR`, as a pending `ECONNREFUSED` and as entries in the socket's
/// error queue that name the datagram's destination. The queue must be read: its entries take
/// room in the receive buffer.
#[cfg(target_os = "linux")]
mod icmp {
    use std::io;
    use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
    use std::os::fd::AsRawFd as _;

    use nix::sys::socket::{
        ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg, setsockopt, sockopt,
    };

    /// Most errors read from the queue at once.
    const BUDGET: usize = 64;

    /// Asks for ICMP errors (best effort: without them, nothing is reported).
    pub(super) fn report_errors(socket: &socket2::Socket, v6: bool) {
        if v6 {
            let _ = setsockopt(socket, sockopt::Ipv6RecvErr, &true);
        }
        let _ = setsockopt(socket, sockopt::Ipv4RecvErr, &true);
    }

    /// The queued errors: the destination of the datagram and what went wrong.
    pub(super) fn take_errors(socket: &mio::net::UdpSocket) -> Vec<(SocketAddr, io::Error)> {
        let mut errors = Vec::new();
        let mut data = [0u8; 64];
        let mut control = nix::cmsg_space!(nix::libc::sock_extended_err, nix::libc::sockaddr_in6);
        for _ in 0..BUDGET {
            let mut iov = [io::IoSliceMut::new(&mut data)];
            let Ok(msg) = recvmsg::<SockaddrStorage>(
                socket.as_raw_fd(),
                &mut iov,
                Some(&mut control),
                MsgFlags::MSG_ERRQUEUE | MsgFlags::MSG_DONTWAIT,
            ) else {
                break;
            };
            let errno = msg.cmsgs().ok().and_then(|mut cmsgs| {
                cmsgs.find_map(|cmsg| match cmsg {
                    ControlMessageOwned::Ipv4RecvErr(err, _)
                    | ControlMessageOwned::Ipv6RecvErr(err, _) => Some(err.ee_errno),
                    _ => None,
                })
            });
            let addr = msg.address.as_ref().and_then(to_std);
            if let (Some(addr), Some(errno)) = (addr, errno) {
                errors.push((
                    addr,
                    io::Error::from_raw_os_error(i32::try_from(errno).unwrap_or(0)),
                ));
            }
        }
        errors
    }

    fn to_std(addr: &SockaddrStorage) -> Option<SocketAddr> {
        if let Some(v4) = addr.as_sockaddr_in() {
            return Some(SocketAddr::V4(SocketAddrV4::from(*v4)));
        }
        let v6 = SocketAddrV6::from(*addr.as_sockaddr_in6()?);
        // An IPv4 peer of a dual-stack socket is shown as IPv4.
        Some(match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::V4(SocketAddrV4::new(v4, v6.port())),
            None => SocketAddr::V6(v6),
        })
    }
}

/// Reading datagrams. On Linux with `recvmsg`, which also brings the kernel's count of
/// datagrams it dropped on this socket (`SO_RXQ_OVFL`).
#[cfg(target_os = "linux")]
mod rx {
    use std::io;
    use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
    use std::os::fd::AsRawFd as _;

    use nix::sys::socket::{
        ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg, setsockopt, sockopt,
    };

    /// Asks for the drop counter with every datagram (best effort: without it, kernel drops
    /// are not counted).
    pub(super) fn count_drops(socket: &socket2::Socket) {
        let _ = setsockopt(socket, sockopt::RxqOvfl, &1);
    }

    /// What `SO_RCVBUF` reads back is twice the room for data (the kernel doubles the size
    /// asked for, to cover its bookkeeping).
    pub(super) fn usable_buffer(read_back: usize) -> usize {
        read_back / 2
    }

    /// Room for the drop counter's control message.
    pub(super) fn control_buffer() -> Vec<u8> {
        nix::cmsg_space!(u32)
    }

    /// One datagram: its length, its sender and the kernel's drop counter if it came along.
    pub(super) fn recv(
        socket: &mio::net::UdpSocket,
        buf: &mut [u8],
        control: &mut Vec<u8>,
    ) -> io::Result<(usize, SocketAddr, Option<u32>)> {
        let mut iov = [io::IoSliceMut::new(buf)];
        let msg = recvmsg::<SockaddrStorage>(
            socket.as_raw_fd(),
            &mut iov,
            Some(control.as_mut_slice()),
            MsgFlags::MSG_DONTWAIT,
        )
        .map_err(io::Error::from)?;
        let counter = msg.cmsgs().ok().and_then(|mut cmsgs| {
            cmsgs.find_map(|cmsg| match cmsg {
                ControlMessageOwned::RxqOvfl(count) => Some(count),
                _ => None,
            })
        });
        let peer = msg
            .address
            .as_ref()
            .and_then(sender)
            .ok_or_else(|| io::Error::other("a datagram came without a sender address"))?;
        Ok((msg.bytes, peer, counter))
    }

    /// The sender as `recv_from` gives it (an IPv4 peer of a dual-stack socket stays
    /// IPv4-mapped, so replies go back through the same socket family).
    fn sender(addr: &SockaddrStorage) -> Option<SocketAddr> {
        if let Some(v4) = addr.as_sockaddr_in() {
            return Some(SocketAddr::V4(SocketAddrV4::from(*v4)));
        }
        addr.as_sockaddr_in6()
            .map(|v6| SocketAddr::V6(SocketAddrV6::from(*v6)))
    }
}

/// Elsewhere datagrams are read with `recv_from`; the kernel's drops are not counted.
#[cfg(not(target_os = "linux"))]
mod rx {
    use std::io;
    use std::net::SocketAddr;

    pub(super) fn count_drops(_socket: &socket2::Socket) {}

    pub(super) fn usable_buffer(read_back: usize) -> usize {
        read_back
    }

    pub(super) fn control_buffer() -> Vec<u8> {
        Vec::new()
    }

    pub(super) fn recv(
        socket: &mio::net::UdpSocket,
        buf: &mut [u8],
        _control: &mut Vec<u8>,
    ) -> io::Result<(usize, SocketAddr, Option<u32>)> {
        socket
            .recv_from(buf)
            .map(|(n, peer)| (n, peer, None::<u32>))
    }
}

/// Elsewhere ICMP errors are not read from a queue; a pending error is still reported.
#[cfg(not(target_os = "linux"))]
mod icmp {
    use std::io;
    use std::net::SocketAddr;

    pub(super) fn report_errors(_socket: &socket2::Socket, _v6: bool) {}

    pub(super) fn take_errors(_socket: &mio::net::UdpSocket) -> Vec<(SocketAddr, io::Error)> {
        Vec::new()
    }
}
