//! The client's connecting state, against a real loopback listener whose accept queue is
//! full: the kernel drops the client's SYN, so the handshake waits for the retransmission
//! (about a second later) and commands certainly arrive while the client is connecting.

use std::io::Read as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::engine::{
    Command, Event, NetError, Payload, Session, SessionConfig, SessionHandle, SessionKind, Target,
};

const PATIENCE: Duration = Duration::from_secs(10);

/// A listener with room for one waiting connection, and that connection (not accepted), so
/// the next SYN finds the queue full.
fn full_listener() -> (TcpListener, TcpStream) {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
    socket.bind(&any.into()).unwrap();
    socket.listen(0).unwrap();
    let listener: TcpListener = socket.into();
    let filler = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    (listener, filler)
}

fn client(addr: SocketAddr, connect_timeout: Duration) -> SessionHandle {
    let mut config = SessionConfig::tcp_client(addr.to_string());
    config.kind = SessionKind::TcpClient {
        remote: addr.to_string(),
        local: None,
        connect_timeout,
    };
    Session::open(config, None).unwrap()
}

/// The events until (and with) the first that `last` accepts; fails after `PATIENCE`.
fn events_until(session: &SessionHandle, last: impl Fn(&Event) -> bool) -> Vec<Event> {
    let deadline = Instant::now() + PATIENCE;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = session
            .events()
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no such event; saw {seen:?}"));
        let done = last(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

fn send(session: &SessionHandle, text: &str) {
    assert!(session.send(Command::Send {
        payload: Payload::from(text.as_bytes()),
        to: Target::Default,
    }));
}

#[test]
fn commands_sent_while_connecting_take_effect_in_order_once_connected() {
    let (listener, filler) = full_listener();
    let session = client(listener.local_addr().unwrap(), PATIENCE);
    send(&session, "one,");
    assert!(session.send(Command::SetEcho(true)));
    send(&session, "two,");
    send(&session, "three");
    // Still connecting: nothing has happened yet (the SYN waits for its retransmission).
    let early = session.events().recv_timeout(Duration::from_millis(300));
    assert!(early.is_err(), "connected too early to test: {early:?}");

    // Room in the queue: the retransmitted SYN gets through.
    let (_first, _) = listener.accept().unwrap();
    drop(filler);
    let (mut server_side, _) = listener.accept().unwrap();
    server_side.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut got = [0u8; 13];
    server_side.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"one,two,three");

    let events = events_until(
        &session,
        |e| matches!(e, Event::Sent { bytes, .. } if bytes.as_ref() == b"three"),
    );
    let order: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Opened { .. } => Some("opened".to_owned()),
            Event::Sent { bytes, .. } => Some(String::from_utf8_lossy(bytes).into_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["opened", "one,", "two,", "three"]);

    // The echo that was switched on while connecting is on.
    std::io::Write::write_all(&mut server_side, b"ping").unwrap();
    let mut echoed = [0u8; 4];
    server_side.read_exact(&mut echoed).unwrap();
    assert_eq!(&echoed, b"ping");
}

#[test]
fn close_while_connecting_cancels_and_sends_nothing() {
    let (listener, filler) = full_listener();
    let session = client(listener.local_addr().unwrap(), PATIENCE);
    send(&session, "never");
    assert!(session.send(Command::Close));
    let events = events_until(&session, |e| matches!(e, Event::Closed));
    assert!(
        matches!(
            events.as_slice(),
            [Event::Failed(NetError::Closed), Event::Closed]
        ),
        "{events:?}"
    );
    drop(filler);
}

#[test]
fn a_connect_without_an_answer_fails_after_the_timeout() {
    let (listener, _filler) = full_listener();
    let addr = listener.local_addr().unwrap();
    let started = Instant::now();
    let session = client(addr, Duration::from_millis(200));
    send(&session, "dropped with the failed connect");
    let events = events_until(&session, |e| matches!(e, Event::Closed));
    assert!(
        matches!(
            events.as_slice(),
            [Event::Failed(NetError::ConnectTimeout { addr: a, secs: 1 }), Event::Closed] if *a == addr
        ),
        "{events:?}"
    );
    // It waited for the timeout, not for the kernel's own (minutes of retransmissions).
    assert!(started.elapsed() < PATIENCE, "{:?}", started.elapsed());
}
