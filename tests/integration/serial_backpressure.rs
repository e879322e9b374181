//! Backpressure of serial sessions: a port that takes nothing holds the session back (the
//! send queue reports waiting, nothing is lost), and a bridge stops reading the side whose
//! bytes would feed a full queue — TCP while the port is full, the port while TCP is full —
//! then delivers everything byte-exact once the slow side reads.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use netassist::engine::{
    Bridge, Command, Event, SendQueue, SerialOptions, SessionConfig, SessionHandle, SessionKind,
    Target, port_name,
};

use crate::serial_support::PtyPair;
use crate::util::{PATIENCE, next_matching, open, pattern, receive_exactly};

/// A limit small enough that a pty's buffers overflow it at once.
const LIMIT: usize = 64 * 1024;

fn serial(port: &str, bridge: Option<Bridge>) -> SessionConfig {
    let mut config = SessionConfig::serial(port, SerialOptions::default());
    config.send_queue = SendQueue {
        limit: LIMIT,
        ..SendQueue::default()
    };
    if let SessionKind::Serial { bridge: slot, .. } = &mut config.kind {
        *slot = bridge;
    }
    config
}

/// What a session said so far: bytes received from the port, from TCP, and whether its send
/// queue said "waiting".
#[derive(Default, Debug)]
struct Seen {
    from_port: usize,
    from_tcp: usize,
    waiting: bool,
}

impl Seen {
    /// Takes the events that come within `wait`.
    fn gather(&mut self, session: &SessionHandle, wait: Duration) {
        let until = Instant::now() + wait;
        while let Ok(event) = session
            .events()
            .recv_timeout(until.saturating_duration_since(Instant::now()))
        {
            match event {
                Event::Received { peer, bytes, .. } if port_name(peer).is_some() => {
                    self.from_port += bytes.len();
                }
                Event::Received { bytes, .. } => self.from_tcp += bytes.len(),
                Event::SendQueue { waiting, .. } => self.waiting = waiting,
                _ => {}
            }
        }
    }

    /// Gathers until the send queue says "waiting" (bounded).
    fn until_waiting(&mut self, session: &SessionHandle) {
        let deadline = Instant::now() + PATIENCE;
        while !self.waiting {
            assert!(Instant::now() < deadline, "never waited: {self:?}");
            self.gather(session, Duration::from_millis(20));
        }
    }
}

#[test]
fn a_port_that_takes_nothing_holds_the_sender_back_and_loses_nothing() {
    let pair = PtyPair::new();
    let (a, _) = open(serial(&pair.a, None));
    // Nobody has the other end open: the ptys' buffers fill, and then the port's queue.
    let data = pattern(2 * 1024 * 1024, 3);
    a.send(Command::Send {
        payload: data.as_slice().into(),
        to: Target::Default,
    });
    let mut seen = Seen::default();
    seen.until_waiting(&a);
    let (b, _) = open(serial(&pair.b, None));
    assert!(receive_exactly(&b, data.len()) == data, "differs");
    next_matching(&a, |e| matches!(e, Event::SendQueue { waiting: false, .. }));
}

/// Takes a session's events on a named thread (a front end that keeps up), until dropped.
struct Drain(
    Option<std::thread::JoinHandle<()>>,
    crossbeam_channel::Sender<()>,
);

impl Drain {
    fn new(session: &SessionHandle) -> Self {
        let events = session.events().clone();
        let (stop, stopped) = crossbeam_channel::bounded::<()>(1);
        let thread = std::thread::Builder::new()
            .name("event-drain".to_owned())
            .spawn(move || {
                while stopped.try_recv().is_err() {
                    let _ = events.recv_timeout(Duration::from_millis(10));
                }
            })
            .unwrap();
        Self(Some(thread), stop)
    }
}

impl Drop for Drain {
    fn drop(&mut self) {
        let _ = self.1.send(());
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

fn open_bridge(port: &str, bridge: Bridge) -> (SessionHandle, SocketAddr) {
    let (session, _) = open(serial(port, Some(bridge)));
    let tcp = match next_matching(&session, |e| {
        matches!(e, Event::Opened { .. } | Event::Failed(_))
    }) {
        Event::Opened { local, .. } => local,
        other => panic!("the bridge's TCP side did not open: {other:?}"),
    };
    (session, tcp)
}

#[test]
fn a_bridge_stops_reading_tcp_while_the_port_is_full() {
    let pair = PtyPair::new();
    let (bridge, listen) = open_bridge(&pair.a, Bridge::Listen("127.0.0.1:0".parse().unwrap()));
    let data = pattern(8 * 1024 * 1024, 4);
    let mut tcp = TcpStream::connect(listen).unwrap();
    let sent = data.clone();
    let writer = std::thread::Builder::new()
        .name("tcp-writer".to_owned())
        .spawn(move || tcp.write_all(&sent).map(|()| tcp))
        .unwrap();
    let mut seen = Seen::default();
    seen.until_waiting(&bridge);
    seen.gather(&bridge, Duration::from_millis(300));
    // Held: far less than all of it was read (one turn of reads may overshoot the limit).
    assert!(seen.from_tcp < 4 * 1024 * 1024, "read on: {seen:?}");
    let (device, _) = open(serial(&pair.b, None));
    assert!(
        receive_exactly(&device, data.len()) == data,
        "tcp → port differs"
    );
    let _tcp = writer.join().unwrap().unwrap();
}

#[test]
fn a_bridge_stops_reading_the_port_while_tcp_is_full() {
    let pair = PtyPair::new();
    let (bridge, listen) = open_bridge(&pair.a, Bridge::Listen("127.0.0.1:0".parse().unwrap()));
    let mut tcp = TcpStream::connect(listen).unwrap();
    next_matching(&bridge, |e| matches!(e, Event::PeerConnected { .. }));
    let (device, _) = open(serial(&pair.b, None));
    // The TCP client reads nothing yet: its socket buffers fill, then the bridge's queue.
    let data = pattern(24 * 1024 * 1024, 5);
    device.send(Command::Send {
        payload: data.as_slice().into(),
        to: Target::Default,
    });
    let mut seen = Seen::default();
    seen.until_waiting(&bridge);
    seen.gather(&bridge, Duration::from_millis(300));
    assert!(seen.from_port < 16 * 1024 * 1024, "read on: {seen:?}");
    let _drain = Drain::new(&bridge);
    tcp.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut got = vec![0; data.len()];
    tcp.read_exact(&mut got).unwrap();
    assert!(got == data, "port → tcp differs");
}
