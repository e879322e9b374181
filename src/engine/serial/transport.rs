//! A serial session's transport: the port, and optionally a TCP side it is bridged to.
//!
//! Bytes read from the port go through [`SessionState::take_in`] like a socket's (echo,
//! auto-replies, saving, the log). A bridged session also forwards them to the TCP side and
//! what the TCP side receives to the port (see [`super::bridge`]), both with
//! [`SendOrigin::Relay`], so the log holds both sides' bytes, each record naming its side.
//!
//! Backpressure: while the port's queue is over the send-queue limit, reads that would feed it
//! wait (echo and auto-replies of the port's bytes, and every TCP read of a bridge); while the
//! TCP side's queue is over, the port's bytes wait in the reader's channel and then in the
//! port's own buffer, where flow control holds the device back.

use std::net::SocketAddr;
use std::time::{Instant, SystemTime};

use mio::Registry;

use super::super::chunk::Chunk;
use super::super::command::Target;
use super::super::error::{NetError, Result};
use super::super::event::{CloseReason, Event, SendOrigin, SentTo};
use super::super::payload::Payload;
use super::super::session_state::SessionState;
use super::super::transport::{Transport, forward};
use super::bridge;
use super::errors::{SerialError, SerialProblem};
use super::names::port_addr;
use super::options::{Bridge, SerialOptions};
use super::port::{News, PortIo};

/// Reads handed over per turn before timers, commands and the TCP side get theirs.
const READ_BUDGET: usize = 16;

/// A serial port session's transport.
pub(crate) struct SerialLink {
    port: Option<PortIo>,
    /// The port's name.
    name: String,
    /// The stand-in address of the port's bytes.
    peer: SocketAddr,
    /// Over the send-queue limit and not yet back down to half of it.
    over: bool,
    /// The port ended (closed here, or it failed).
    ended: bool,
    /// The command line's end of input: close once everything queued is written.
    close_when_written: bool,
    /// The TCP side of a bridge.
    net: Option<Box<dyn Transport>>,
}

impl SerialLink {
    /// Opens the port `name` (and the TCP side of `bridge`, registered with `registry`) and
    /// reports `Opened` for the port.
    pub(crate) fn open(
        registry: &Registry,
        core: &mut SessionState,
        name: &str,
        options: &SerialOptions,
        bridge_to: Option<&Bridge>,
    ) -> Result<Self> {
        let name = name.trim();
        if name.is_empty() {
            return Err(SerialError::Settings {
                port: String::new(),
                problem: SerialProblem::NoPort,
            }
            .into());
        }
        let port = PortIo::open(name, options, core.waker())?;
        let peer = port_addr(name);
        core.sink.push(Event::Opened {
            local: peer,
            remote: Some(peer),
        });
        let net = bridge_to
            .map(|to| bridge::open_net(registry, core, to))
            .transpose()?;
        if net.is_some() {
            core.tap = Some(Vec::new());
        }
        Ok(Self {
            port: Some(port),
            name: name.to_owned(),
            peer,
            over: false,
            ended: false,
            close_when_written: false,
            net,
        })
    }

    /// Whether the port's queue is over the limit (with hysteresis: see `SendQueue`).
    fn check_over(&mut self, core: &SessionState) {
        let backlog = self.port_backlog();
        if backlog > core.send_queue.limit {
            self.over = true;
        } else if backlog <= core.send_queue.resume_at() {
            self.over = false;
        }
    }

    fn port_backlog(&self) -> usize {
        self.port.as_ref().map_or(0, PortIo::backlog)
    }

    /// Whether the port's bytes must wait: they would be answered into its full queue, or
    /// forwarded to a full TCP side, or to a bridge still connecting to its server.
    fn port_reads_held(&self, core: &SessionState) -> bool {
        (self.over && core.answers_sender())
            || self
                .net
                .as_ref()
                .is_some_and(|n| n.over_limit() || n.opening())
    }

    /// Ends the port and reports why (the bytes still queued for it first).
    fn end_port(&mut self, core: &mut SessionState, reason: CloseReason) {
        if self.ended {
            return;
        }
        self.ended = true;
        if let Some(mut port) = self.port.take() {
            port.stop();
            let unsent = port.backlog();
            if unsent > 0 {
                core.sink.push(Event::Unsent {
                    peer: self.peer,
                    bytes: unsent as u64,
                });
            }
        }
        core.sink.push(Event::PeerClosed {
            peer: self.peer,
            reason,
            at: SystemTime::now(),
        });
    }

    /// Queues `payload` for the port and reports it.
    fn send_port(
        &mut self,
        core: &mut SessionState,
        payload: Payload,
        origin: SendOrigin,
    ) -> Result<()> {
        let closed = || {
            NetError::from(SerialError::Closed {
                port: self.name.clone(),
            })
        };
        let Some(port) = self.port.as_ref().filter(|_| !self.ended) else {
            return Err(closed());
        };
        if payload.is_empty() {
            return Ok(());
        }
        if !port.write(payload.clone()) {
            return Err(closed());
        }
        self.check_over(core);
        core.sent(SentTo::Peer(self.peer), payload, origin);
        Ok(())
    }

    /// Hands the port's reads to the session, at most a budget of them.
    fn read_port(&mut self, core: &mut SessionState) {
        for _ in 0..READ_BUDGET {
            if core.sink.blocked() || self.ended || self.port_reads_held(core) {
                return;
            }
            let Some(news) = self.port.as_ref().and_then(PortIo::next) else {
                return;
            };
            match news {
                News::Data(at, bytes) => {
                    let peer = self.peer;
                    let fwd = core.take_in_at(peer, Chunk::new(bytes), false, at);
                    forward(self, core, peer, fwd);
                    self.pass_on(core);
                }
                News::Ended(err) => {
                    let error = NetError::from(SerialError::Lost {
                        port: self.name.clone(),
                        reason: err.to_string(),
                    });
                    self.end_port(core, CloseReason::Error(error));
                }
            }
        }
    }

    /// Forwards what was read since the last call: the port's bytes to every TCP peer, the
    /// TCP peers' bytes to the port (see `super::bridge`).
    fn pass_on(&mut self, core: &mut SessionState) {
        let Some(tap) = core.tap.as_mut() else {
            return;
        };
        if tap.is_empty() {
            return;
        }
        let reads = std::mem::take(tap);
        for (peer, payload) in reads {
            if peer == self.peer {
                if let Some(net) = self.net.as_mut() {
                    bridge::send_quietly(net.as_mut(), core, payload, SendOrigin::Relay);
                }
            } else if let Err(err) = self.send_port(core, payload, SendOrigin::Relay) {
                core.sink.push(Event::Error(err));
            }
        }
    }

    /// Sets the DTR and RTS lines of the open port.
    pub(crate) fn lines(&mut self, dtr: Option<bool>, rts: Option<bool>) -> Result<()> {
        let Some(port) = self.port.as_mut().filter(|_| !self.ended) else {
            return Err(SerialError::Closed {
                port: self.name.clone(),
            }
            .into());
        };
        port.set_lines(dtr, rts).map_err(|err| {
            NetError::from(SerialError::Lines {
                port: self.name.clone(),
                reason: err.description,
            })
        })
    }
}

impl Transport for SerialLink {
    fn opening(&self) -> bool {
        self.net.as_ref().is_some_and(|net| net.opening())
    }

    fn ready(&mut self, core: &mut SessionState, event: &mio::event::Event, buf: &mut Vec<u8>) {
        // Only the TCP side of a bridge has sockets.
        if let Some(net) = self.net.as_mut() {
            core.hold_reads = self.over;
            net.ready(core, event, buf);
            core.hold_reads = false;
            self.pass_on(core);
        }
    }

    fn read_pending(&mut self, core: &mut SessionState, buf: &mut Vec<u8>) {
        self.read_port(core);
        if !self.over
            && let Some(net) = self.net.as_mut()
        {
            net.read_pending(core, buf);
            self.pass_on(core);
        }
    }

    fn has_pending_reads(&self, core: &SessionState) -> bool {
        let port = !self.ended
            && self.port.as_ref().is_some_and(PortIo::has_news)
            && !self.port_reads_held(core);
        let net = !self.over && self.net.as_ref().is_some_and(|n| n.has_pending_reads(core));
        port || net
    }

    fn over_limit(&self) -> bool {
        self.over || self.net.as_ref().is_some_and(|n| n.over_limit())
    }

    fn options_changed(&mut self, core: &SessionState) {
        if let Some(net) = self.net.as_mut() {
            net.options_changed(core);
        }
    }

    fn send(
        &mut self,
        core: &mut SessionState,
        payload: Payload,
        to: Target,
        origin: SendOrigin,
    ) -> Result<()> {
        match to {
            Target::Peer(peer) if peer != self.peer => match self.net.as_mut() {
                Some(net) => net.send(core, payload, to, origin),
                None => Err(NetError::UnknownPeer { peer }),
            },
            Target::All => {
                if let Some(net) = self.net.as_mut() {
                    bridge::send_quietly(net.as_mut(), core, payload.clone(), origin);
                }
                self.send_port(core, payload, origin)
            }
            _ => self.send_port(core, payload, origin),
        }
    }

    fn relay(&mut self, _core: &mut SessionState, _from: SocketAddr, _payload: Payload, _s: bool) {
        // A port has one peer; a bridge forwards through `bridge::pass_on`.
    }

    fn disconnect(
        &mut self,
        core: &mut SessionState,
        peer: SocketAddr,
        reason: CloseReason,
    ) -> Result<()> {
        if peer == self.peer {
            self.end_port(core, reason);
            return Ok(());
        }
        match self.net.as_mut() {
            Some(net) => net.disconnect(core, peer, reason),
            None => Err(NetError::UnknownPeer { peer }),
        }
    }

    fn shutdown(&mut self, _core: &mut SessionState) -> Result<()> {
        // A port has no half-close: the session ends once everything queued is written.
        self.close_when_written = true;
        Ok(())
    }

    fn set_target(&mut self, _core: &mut SessionState, _target: Option<String>) -> Result<()> {
        Ok(())
    }

    fn backlog(&self) -> usize {
        self.port_backlog() + self.net.as_ref().map_or(0, |n| n.backlog())
    }

    fn finished(&self) -> bool {
        self.ended
            || (self.close_when_written && self.backlog() == 0)
            || self.net.as_ref().is_some_and(|n| n.finished())
    }

    fn close(&mut self, core: &mut SessionState) {
        if let Some(net) = self.net.as_mut() {
            net.close(core);
        }
        self.end_port(core, CloseReason::LocalClosed);
    }

    fn tick(&mut self, core: &mut SessionState, now: Instant) {
        self.check_over(core);
        if let Some(net) = self.net.as_mut() {
            net.tick(core, now);
        }
    }

    fn next_deadline(&self, core: &SessionState) -> Option<Instant> {
        self.net.as_ref().and_then(|n| n.next_deadline(core))
    }

    // issue 15: serial
    fn serial_lines(
        &mut self,
        _core: &mut SessionState,
        dtr: Option<bool>,
        rts: Option<bool>,
    ) -> Result<()> {
        self.lines(dtr, rts)
    }
}
