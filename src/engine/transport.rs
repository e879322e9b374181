//! The one interface of a session's socket side (TCP client, TCP server, UDP), and what every
//! transport does with received data ([`forward`]).

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use super::command::Target;
use super::error::{NetError, Result};
use super::event::{CloseReason, Event, SendOrigin};
use super::limits::READ_SIZE;
use super::payload::Payload;
use super::session_state::{Forward, SessionState};

/// A session's socket side: TCP client, TCP server or UDP.
pub(crate) trait Transport {
    /// Whether the transport is not open: a client still connecting, or one that never
    /// connected. The loop holds the commands that arrive meanwhile and hands them over in
    /// order once it is open; `Close` acts at once.
    fn opening(&self) -> bool {
        false
    }
    /// Handles readiness of one of this transport's sockets.
    fn ready(&mut self, core: &mut SessionState, event: &mio::event::Event, buf: &mut Vec<u8>);
    /// Reads from sockets that were left with data (backpressure or the fairness budget).
    fn read_pending(&mut self, core: &mut SessionState, buf: &mut Vec<u8>);
    /// Whether any socket was left with data to read and may be read now (reads held back
    /// for a full send queue do not count: they wait for the queue to drain).
    fn has_pending_reads(&self, core: &SessionState) -> bool;
    /// Whether pending reads go on while events wait for the consumer (UDP: while the burst
    /// allowance has room, so the kernel's buffer does not overflow while the front end is
    /// busy). TCP stops reading instead: its window slows the sender.
    fn reads_while_blocked(&self, _core: &SessionState) -> bool {
        false
    }
    /// Whether a peer's send queue is over the limit (see [`SendQueue`]): timed sends wait.
    fn over_limit(&self) -> bool {
        false
    }
    /// Relay, echo, auto-replies or the send-queue limit changed: reads held back for a full
    /// queue are looked at again (they may no longer feed it).
    fn options_changed(&mut self, _core: &SessionState) {}
    /// Sends `payload` and reports it as `Sent`.
    fn send(
        &mut self,
        core: &mut SessionState,
        payload: Payload,
        to: Target,
        origin: SendOrigin,
    ) -> Result<()>;
    /// Forwards `payload` from `from` to every other peer (and `from` too if asked).
    fn relay(
        &mut self,
        core: &mut SessionState,
        from: SocketAddr,
        payload: Payload,
        include_sender: bool,
    );
    /// Disconnects one peer (UDP: forgets it) and reports why.
    fn disconnect(
        &mut self,
        core: &mut SessionState,
        peer: SocketAddr,
        reason: CloseReason,
    ) -> Result<()>;
    /// Closes the sending direction once everything queued is written.
    fn shutdown(&mut self, core: &mut SessionState) -> Result<()>;
    /// Changes the UDP destination.
    fn set_target(&mut self, core: &mut SessionState, target: Option<String>) -> Result<()>;
    /// Bytes queued but not yet written.
    fn backlog(&self) -> usize;
    /// Whether the session has nothing left to do (a client whose server left).
    fn finished(&self) -> bool;
    /// Last writes before the session ends.
    fn close(&mut self, core: &mut SessionState);
    /// How much of a file goes into one send.
    fn file_chunk(&self) -> usize {
        READ_SIZE
    }
    /// Timed work of the transport itself (UDP: forgetting silent peers).
    fn tick(&mut self, _core: &mut SessionState, _now: Instant) {}
    /// When `tick` next has work.
    fn next_deadline(&self, _core: &SessionState) -> Option<Instant> {
        None
    }
    /// Joins (`true`) or leaves a multicast group.
    fn multicast(&mut self, _core: &mut SessionState, _group: IpAddr, _join: bool) -> Result<()> {
        Err(NetError::NotUdp)
    }
    // issue 15: serial
    /// Sets a serial port's DTR and RTS lines (`None` leaves one as it is).
    fn serial_lines(
        &mut self,
        _core: &mut SessionState,
        _dtr: Option<bool>,
        _rts: Option<bool>,
    ) -> Result<()> {
        Err(super::serial::SerialError::NotSerial.into())
    }
}

/// Does what received data asks for: echo to the sender, relay to the others.
pub(crate) fn forward<T: Transport + ?Sized>(
    transport: &mut T,
    core: &mut SessionState,
    peer: SocketAddr,
    forward: Forward,
) {
    for (payload, origin) in forward.replies {
        if let Err(err) = transport.send(core, payload, Target::Peer(peer), origin) {
            core.sink.push(Event::Error(err));
        }
    }
    if let Some((payload, include_sender)) = forward.relay {
        transport.relay(core, peer, payload, include_sender);
    }
    if let Some(reason) = forward.disconnect
        && let Err(err) = transport.disconnect(core, peer, reason)
    {
        core.sink.push(Event::Error(err));
    }
}
