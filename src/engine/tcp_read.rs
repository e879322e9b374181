//! What the TCP client and the TCP server do alike with a connection: answering its
//! readiness, the read loop (read, take in, forward, until the socket is drained, the budget is
//! spent or a full send queue holds the reads), and the report of its end.

use std::net::SocketAddr;
use std::time::SystemTime;

use mio::Token;

use super::chunk::Chunk;
use super::conn::{AfterRead, Conn, close_reason};
use super::error::NetError;
use super::event::{CloseReason, Event};
use super::session_state::SessionState;
use super::tls::{TlsInfo, TlsNote};
use super::transport::{Transport, forward};
use super::websocket::MessageKind;

/// Reads one connection may make before timers, commands and the other connections get
/// their turn.
const READ_BUDGET: usize = 16;

/// A TCP transport's connections, as the shared read loop sees them.
pub(crate) trait TcpConns: Transport {
    /// The open connection behind `token`, if there is one.
    fn conn_mut(&mut self, token: Token) -> Option<&mut Conn>;
    /// Whether reading `token` now would feed a send queue that is over the limit.
    fn reads_held(&self, core: &SessionState, token: Token) -> bool;
    /// Notes whether `token`'s queue is over the limit after a send or a flush.
    fn check_queue(&mut self, core: &SessionState, token: Token);
    /// Ends the connection behind `token` and reports why.
    fn end_conn(&mut self, core: &mut SessionState, token: Token, reason: CloseReason);
    /// Bytes arrived from `peer`; called before they are handled.
    fn heard(&mut self, _peer: SocketAddr) {}
    /// The TLS handshake with `peer` finished: reported as a note (the client reports that
    /// it is open first).
    fn secured(&mut self, core: &mut SessionState, peer: SocketAddr, info: TlsInfo) {
        core.sink.push(Event::Tls(TlsNote::Secured { peer, info }));
    }
    // issue 15: websocket
    /// The WebSocket handshake with `peer` finished (the client reports that it is open).
    fn ws_opened(&mut self, _core: &mut SessionState, _peer: SocketAddr) {}
}

/// Why the read loop stopped with data possibly left.
pub(crate) enum ReadStop {
    /// Nothing left: drained, closed, or the connection is gone.
    Done,
    /// The front end has no room; read again when it has.
    Blocked,
    /// The reads wait for a full send queue to drain (`read_pending` stays set).
    Held,
    /// The budget is spent; more is waiting.
    Spent,
}

/// Answers a readiness event of `token`'s connection: writes what waits, then reads.
/// `None` when there was nothing to read.
pub(crate) fn ready<T: TcpConns>(
    transport: &mut T,
    core: &mut SessionState,
    event: &mio::event::Event,
    spare: &mut Vec<u8>,
) -> Option<ReadStop> {
    let token = event.token();
    if event.is_writable()
        && let Some(conn) = transport.conn_mut(token)
    {
        if let Err(err) = conn.flush() {
            let reason = close_reason(&err, conn.peer);
            transport.end_conn(core, token, reason);
            return None;
        }
        transport.check_queue(core, token);
    }
    if event.is_readable() || event.is_read_closed() || event.is_error() {
        if let Some(conn) = transport.conn_mut(token) {
            conn.read_pending = true;
            conn.hangup_seen |= event.is_read_closed() || event.is_error();
        }
        return Some(read(transport, core, token, spare));
    }
    None
}

/// Reads `token`'s connection until it would block, the budget is spent, the front end has
/// no room or the reads must wait for a full queue. The end of the connection (EOF, an error)
/// is reported here, after the bytes still queued for it are written.
pub(crate) fn read<T: TcpConns>(
    transport: &mut T,
    core: &mut SessionState,
    token: Token,
    spare: &mut Vec<u8>,
) -> ReadStop {
    for _ in 0..READ_BUDGET {
        if core.sink.blocked() || core.hold_reads {
            return ReadStop::Blocked;
        }
        if transport.reads_held(core, token) {
            return ReadStop::Held;
        }
        let Some(conn) = transport.conn_mut(token) else {
            return ReadStop::Done;
        };
        let peer = conn.peer;
        let (bytes, after) = conn.read_chunk(spare, &core.pool);
        conn.read_pending = matches!(after, AfterRead::More);
        let has_ws = conn.has_ws();
        if let Some(info) = conn.take_secured() {
            transport.secured(core, peer, info);
        }
        // issue 15: websocket
        let after = if has_ws {
            match ws_read(transport, core, token, peer, &bytes, after) {
                Some(after) => after,
                None => return ReadStop::Done,
            }
        } else {
            if !bytes.is_empty() {
                transport.heard(peer);
                let fwd = core.take_in(peer, bytes, false);
                forward(transport, core, peer, fwd);
            }
            after
        };
        match after {
            AfterRead::More => {}
            AfterRead::Drained => return ReadStop::Done,
            AfterRead::Eof => {
                // A peer that half-closes may still want our answers, but the classic tools
                // treat EOF as leaving, and so do we (pending writes go out first).
                if let Some(conn) = transport.conn_mut(token) {
                    let _ = conn.flush();
                }
                transport.end_conn(core, token, CloseReason::PeerClosed);
                return ReadStop::Done;
            }
            AfterRead::Failed(err) => {
                transport.end_conn(core, token, close_reason(&err, peer));
                return ReadStop::Done;
            }
            AfterRead::Broke(reason) => {
                transport.end_conn(core, token, reason);
                return ReadStop::Done;
            }
        }
    }
    ReadStop::Spent
}

// issue 15: websocket
/// Hands what a read gave to `token`'s WebSocket: notes, the end of the handshake, and each
/// whole message taken in as one chunk of its kind (echo and relay keep the kind). `None`
/// when the connection ended here.
fn ws_read<T: TcpConns>(
    transport: &mut T,
    core: &mut SessionState,
    token: Token,
    peer: SocketAddr,
    bytes: &[u8],
    after: AfterRead,
) -> Option<AfterRead> {
    let eof = matches!(after, AfterRead::Eof);
    let read = transport.conn_mut(token)?.ws_take_in(bytes, eof)?;
    for note in read.notes {
        core.sink.push(Event::Ws(note));
    }
    if read.opened {
        transport.ws_opened(core, peer);
    }
    for (message, kind) in read.messages {
        transport.heard(peer);
        let was_binary = core
            .ws
            .as_ref()
            .map(|ws| ws.send_kind().set_binary(kind == MessageKind::Binary));
        let fwd = core.take_in(peer, Chunk::message_of(message, kind), false);
        forward(transport, core, peer, fwd);
        if let (Some(ws), Some(was)) = (&core.ws, was_binary) {
            ws.send_kind().set_binary(was);
        }
    }
    if let Some(err) = read.failed {
        transport.end_conn(core, token, CloseReason::Error(NetError::Ws(err)));
        return None;
    }
    Some(after)
}

/// Puts the session's WebSocket (if it speaks it) over a new connection.
pub(crate) fn add_ws(core: &SessionState, conn: &mut Conn) -> Result<(), NetError> {
    if let Some(ws) = &core.ws {
        conn.set_ws(ws.layer(conn.peer).map_err(NetError::Ws)?);
    }
    Ok(())
}

/// Sends each of `conns` a ping when one is due and reports them.
pub(crate) fn ws_pings<'a>(
    core: &mut SessionState,
    now: std::time::Instant,
    conns: impl Iterator<Item = &'a mut Conn>,
) {
    if core.ws.as_mut().is_some_and(|ws| ws.ping_due(now)) {
        for conn in conns {
            if let Some(note) = conn.ws_ping() {
                core.sink.push(Event::Ws(note));
            }
        }
    }
}

/// Reports that `conn` ended, and why: the bytes it leaves unsent first, if any.
pub(crate) fn report_closed(core: &mut SessionState, conn: &Conn, reason: CloseReason) {
    if let Some(unsent) = conn.unsent() {
        core.sink.push(unsent);
    }
    core.sink.push(Event::PeerClosed {
        peer: conn.peer,
        reason,
        at: SystemTime::now(),
    });
}
