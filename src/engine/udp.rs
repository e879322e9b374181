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
use super::error::{IoStep, NetError, Result};
use super::event::{CloseReason, Event, SendOrigin, SentTo};
use super::limits::{MAX_DATAGRAM, MAX_DATAGRAM_V6};
use super::payload::Payload;
use super::session_state::SessionState;
use super::socket::{self, Kind};
use super::transport::{Transport, forward};

mod multicast;
mod outgoing;
#[cfg(target_os = "linux")]
#[path = "udp/linux.rs"]
mod sys;
#[cfg(not(target_os = "linux"))]
#[path = "udp/other.rs"]
mod sys;

pub use multicast::known_interfaces;
use sys::{icmp, rx};

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
                    .map_err(|err| NetError::io(IoStep::AllowBroadcast, &err))?;
            }
            if let Some(size) = recv_buffer {
                socket
                    .set_recv_buffer_size(size)
                    .map_err(|err| NetError::io(IoStep::ReceiveBufferSize, &err))?;
            }
            granted = socket
                .recv_buffer_size()
                .map(rx::usable_buffer)
                .unwrap_or_default();
            Ok(())
        })?;
        multicast::set_options(&socket, bind, multicast)?;
        icmp::report_errors(&socket, bind.is_ipv6());
        rx::count_drops(&socket);
        let mut socket = UdpSocket::from_std(socket.into());
        let local = socket
            .local_addr()
            .map_err(|err| NetError::io(IoStep::ReadLocalAddress, &err))?;
        let target = target.map(|t| resolve_for(t, local)).transpose()?;
        registry
            .register(&mut socket, SOCKET, Interest::READABLE | Interest::WRITABLE)
            .map_err(|err| NetError::io(IoStep::WatchUdpSocket, &err))?;
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
                        .push(Event::Error(NetError::io(IoStep::ReceiveDatagram, &err)));
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

/// The largest payload a datagram to `to` may carry.
fn max_datagram(to: SocketAddr) -> usize {
    match to {
        SocketAddr::V6(v6) if v6.ip().to_ipv4_mapped().is_none() => MAX_DATAGRAM_V6,
        _ => MAX_DATAGRAM,
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
        multicast::join_or_leave(
            &self.socket,
            self.local,
            group,
            join,
            (self.multicast_if_v4, self.multicast_if_v6),
        )?;
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
