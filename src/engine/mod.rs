//! The socket engine: one named I/O thread per session, driven by commands, reporting events.
//!
//! ```no_run
//! use netassist::engine::{Command, Event, Session, SessionConfig, Target};
//!
//! let session = Session::open(SessionConfig::tcp_client("127.0.0.1:9000"), None)?;
//! session.send(Command::Send { payload: b"hello\n".as_slice().into(), to: Target::Default });
//! for event in session.events() {
//!     match event {
//!         Event::Received { bytes, .. } => println!("{}", String::from_utf8_lossy(&bytes)),
//!         Event::Closed => break,
//!         _ => {}
//!     }
//! }
//! # Ok::<(), netassist::engine::NetError>(())
//! ```

mod broadcast;
mod chunk;
mod command;
mod config;
mod conn;
mod error;
mod event;
mod file_send;
mod limits;
mod multicast_if;
mod payload;
mod rules;
mod save;
mod schedule;
mod serial;
mod session_loop;
mod session_state;
mod sink;
mod socket;
mod tcp_client;
mod tcp_read;
mod tcp_server;
mod tls;
mod tls_problem;
mod transport;
mod udp;
// issue 15: websocket
mod websocket;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use mio::{Poll, Waker};

pub use chunk::Chunk;
pub use command::{Command, Heartbeat, Target};
pub use config::{
    Multicast, Relay, SendQueue, SessionConfig, SessionKind, check_remote, parse_socket_addr,
    resolve,
};
pub(crate) use error::group_digits;
pub use error::{IoStep, NetError, Result};
pub use event::{CloseReason, Event, SendOrigin, SentTo};
pub(crate) use event::{human_secs, human_size};
pub use multicast_if::{InterfaceError, MulticastInterface, parse_multicast_interface};
pub use payload::Payload;
pub use rules::{
    Action, AutoReply, Match, RuleError, RuleThen, RuleWhen, build_rule, has_line, is_heartbeat,
    parse_rule,
};
pub use sink::Notify;
pub use tls::{
    CertInfo, CertKey, ServerIdentity, TlsClientOptions, TlsInfo, TlsNote, TlsOptions,
    TlsServerOptions, Trust, info::fingerprint,
};
pub use tls_problem::TlsProblem;
// issue 11: io and network faults
// issue 15: websocket
pub use file_send::check_file_to_send;
pub use limits::{MAX_DATAGRAM, MAX_DATAGRAM_V6, READ_SIZE};
pub use save::check_save_path;
pub use udp::known_interfaces;
pub use websocket::{
    MAX_MESSAGE, MessageKind, WsClientOptions, WsError, WsNote, WsOptions, WsServerOptions, WsSide,
    WsUrl, parse_header,
};
// issue 15: serial
pub use serial::{
    Bridge, COMMON_BAUDS, FlowControl, MAX_BAUD, Parity, PortInfo, SerialError, SerialOptions,
    SerialProblem, list_ports, peer_label, port_addr, port_name,
};

/// Identifies a session for the life of the process.
pub type SessionId = u64;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Opens sessions.
pub struct Session;

impl Session {
    /// Starts a session's I/O thread and returns at once; the outcome of opening arrives as
    /// [`Event::Opened`] or [`Event::Failed`]. `notify` is called after events were queued.
    ///
    /// Fails only when the system cannot create the poller or the thread.
    pub fn open(config: SessionConfig, notify: Option<Notify>) -> Result<SessionHandle> {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let poll = Poll::new().map_err(|err| NetError::io(IoStep::CreatePoller, &err))?;
        let waker = Arc::new(
            Waker::new(poll.registry(), session_loop::WAKER)
                .map_err(|err| NetError::io(IoStep::CreatePoller, &err))?,
        );
        let (command_tx, command_rx) = crossbeam_channel::unbounded();
        let (event_tx, event_rx) = crossbeam_channel::bounded(config.event_capacity.max(16));
        let name = format!("netassist-io-{id}");
        let ended = Arc::new(Mutex::new(false));
        let thread_ended = Arc::clone(&ended);
        let thread_waker = Arc::clone(&waker);
        let backlogged = Arc::new(AtomicBool::new(false));
        let thread_backlogged = Arc::clone(&backlogged);
        let thread = std::thread::Builder::new()
            .name(name)
            .spawn(move || {
                // The thread keeps the waker too: closing its eventfd (when the front end drops
                // its handle right after a last `wake`) would take the pending wake-up with it,
                // and the thread would never learn that it should close.
                session_loop::run_session(
                    poll,
                    &config,
                    (command_rx, &thread_ended),
                    (event_tx, thread_backlogged),
                    notify,
                    thread_waker,
                );
            })
            .map_err(|err| NetError::io(IoStep::StartThread, &err))?;
        Ok(SessionHandle {
            id,
            commands: command_tx,
            events: event_rx,
            backlogged,
            waker,
            thread: Some(thread),
            ended,
        })
    }
}

/// The front end's side of a running session. Dropping it closes the session.
pub struct SessionHandle {
    id: SessionId,
    commands: Sender<Command>,
    events: Receiver<Event>,
    /// Set by the I/O thread while datagrams wait for room in `events` (see
    /// [`Self::recv_refill`]).
    backlogged: Arc<AtomicBool>,
    waker: Arc<Waker>,
    thread: Option<JoinHandle<()>>,
    /// Set by the I/O thread, under the lock, when it takes its last commands: a send either
    /// gets in before (and is answered) or sees it set (and returns false), never lost between.
    ended: Arc<Mutex<bool>>,
}

impl SessionHandle {
    /// This session's id.
    pub fn id(&self) -> SessionId {
        self.id
    }

    /// Hands a command to the I/O thread. Returns false when the session has ended.
    pub fn send(&self, command: Command) -> bool {
        let ended = self.ended.lock().unwrap_or_else(PoisonError::into_inner);
        let delivered = !*ended && self.commands.send(command).is_ok();
        drop(ended);
        // A failed wake means the thread is gone; the failed send already says so.
        let _ = self.waker.wake();
        delivered
    }

    /// The events of this session, in order. Ends after [`Event::Closed`].
    pub fn events(&self) -> &Receiver<Event> {
        &self.events
    }

    /// Takes the next event if one is waiting.
    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// Takes the next event; when the queue is empty but the I/O thread holds datagrams that
    /// did not fit (a UDP flood), wakes it and waits up to `timeout` for it to refill the
    /// queue. Returns `None` at once otherwise (TCP reads simply wait: the sender is slowed).
    ///
    /// A front end that drains only when it draws (a window at a few frames a second) would
    /// otherwise take one queue's worth per frame, however much time the frame has left.
    pub fn recv_refill(&self, timeout: Duration) -> Option<Event> {
        if let Ok(event) = self.events.try_recv() {
            return Some(event);
        }
        if !self.backlogged.load(Ordering::Acquire) {
            return None;
        }
        // A failed wake means the thread is gone; the queue then ends with `Closed`.
        let _ = self.waker.wake();
        self.events.recv_timeout(timeout).ok()
    }

    /// Asks the session to close, waits for its thread to end and returns the events that
    /// were still queued, `Closed` last.
    pub fn close_and_wait(mut self) -> Vec<Event> {
        self.send(Command::Close);
        let mut rest = Vec::new();
        // The thread may wait for room to deliver `Closed`; keep draining so it can.
        for event in &self.events {
            rest.push(event);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        rest
    }
}

impl Drop for SessionHandle {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.send(Command::Close);
        }
    }
}
