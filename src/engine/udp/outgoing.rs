//! Sending datagrams, and what the network says about earlier ones: ICMP errors (port or host
//! unreachable) come back to later sends and reads, and are reported once a second at most
//! for each destination.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::super::error::{IoStep, NetError, Result};
use super::super::event::Event;
use super::super::payload::Payload;
use super::super::session_state::SessionState;
use super::Udp;
use super::sys::icmp;

impl Udp {
    /// Reads the ICMP errors queued for datagrams sent earlier and reports them; whether
    /// there were any.
    pub(super) fn icmp_errors(&mut self, core: &mut SessionState) -> bool {
        let mut errors = std::mem::take(&mut self.icmp_taken);
        errors.extend(icmp::take_errors(&self.socket));
        let any = !errors.is_empty();
        for (addr, err) in errors {
            let err = match err.kind() {
                io::ErrorKind::ConnectionRefused => NetError::UdpPortUnreachable { addr },
                io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                    NetError::Unreachable { addr }
                }
                _ => NetError::io(IoStep::SendTo(addr), &err),
            };
            self.note_unreachable(core, err);
        }
        any
    }

    /// Reports an error about a destination, at most once a second for each (a flood to a
    /// closed port brings one ICMP message per datagram).
    pub(super) fn note_unreachable(&mut self, core: &mut SessionState, err: NetError) {
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

    pub(super) fn send_one(&mut self, to: SocketAddr, payload: Payload) -> Result<()> {
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
    pub(super) fn report_icmp(&mut self, core: &mut SessionState) {
        if std::mem::take(&mut self.icmp_pending)
            && !self.icmp_errors(core)
            && let Some(addr) = self.last_sent_to.or(self.target)
        {
            self.note_unreachable(core, NetError::UdpPortUnreachable { addr });
        }
    }

    pub(super) fn flush(&mut self, core: &mut SessionState) {
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
}

fn send_error(err: &io::Error, to: SocketAddr) -> NetError {
    match err.kind() {
        io::ErrorKind::PermissionDenied => NetError::PermissionDenied { addr: to },
        io::ErrorKind::ConnectionRefused => NetError::UdpPortUnreachable { addr: to },
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            NetError::Unreachable { addr: to }
        }
        _ => NetError::io(IoStep::SendTo(to), err),
    }
}
