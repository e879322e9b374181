//! A TCP server with 15,000 clients: accept time, a 64-byte broadcast to all, and memory —
//! the engine's server against a bare blocking `std::net` server in the same run.
//!
//! The clients live in a child process (this binary run again), so each process stays under
//! the machine's open-file limit. Loopback only; every wait is bounded.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

// The same allocator as the netassist binary, so the engine is measured as it ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use netassist::engine::{Command, Event, Payload, Session, SessionConfig, Target};

const CLIENTS: usize = 15_000;
const MESSAGE: [u8; 64] = [b'x'; 64];
const LIMIT: Duration = Duration::from_mins(2);

/// The child: connect `CLIENTS` sockets from `source`, say "ready", then wait for 64 bytes on
/// each and print how long after "go" the last one arrived.
fn swarm(server: SocketAddr, source: &str) {
    let source: std::net::IpAddr = source.parse().unwrap();
    let mut streams = Vec::with_capacity(CLIENTS);
    for _ in 0..CLIENTS {
        let socket =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        socket.bind(&SocketAddr::new(source, 0).into()).unwrap();
        socket.connect(&server.into()).unwrap();
        let stream: TcpStream = socket.into();
        stream.set_read_timeout(Some(LIMIT)).unwrap();
        streams.push(stream);
    }
    println!("ready");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let go = Instant::now();
    for stream in &mut streams {
        let mut buf = [0u8; 64];
        stream.read_exact(&mut buf).unwrap();
    }
    println!("{}", go.elapsed().as_secs_f64());
}

struct Swarm {
    child: Child,
    out: BufReader<std::process::ChildStdout>,
}

impl Swarm {
    fn start(server: SocketAddr, source: &str) -> Self {
        let mut child = Process::new(std::env::current_exe().unwrap())
            .env("NETASSIST_SWARM", format!("{server} {source}"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        Self { child, out }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.out.read_line(&mut line).unwrap();
        assert!(
            !line.is_empty(),
            "the client process failed (see its message above)"
        );
        line.trim().to_owned()
    }

    /// Tells the swarm to start its clock: the broadcast starts now.
    fn go(&mut self) {
        self.child
            .stdin
            .as_mut()
            .unwrap()
            .write_all(b"go\n")
            .unwrap();
    }

    /// Seconds from "go" until the last client had its 64 bytes.
    fn finish(&mut self) -> f64 {
        let secs = self.line().parse().unwrap();
        self.child.wait().unwrap();
        secs
    }
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A loopback source address of its own for each run: closed client ports linger in
/// `TIME_WAIT`, and 15,000 of them from one address would leave the next run none.
fn source(run: u32) -> String {
    let salt = std::process::id() % 250;
    format!("127.{}.{}.{}", 1 + salt, 1 + run, 2)
}

/// Bare baseline: accept everyone, then write 64 bytes to each in one loop. Returns the
/// accept time, the time of the write loop and the time until the swarm has read everything.
fn bare() -> (f64, f64, f64) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut swarm = Swarm::start(listener.local_addr().unwrap(), &source(0));
    let start = Instant::now();
    let mut streams = Vec::with_capacity(CLIENTS);
    while streams.len() < CLIENTS {
        streams.push(listener.accept().unwrap().0);
        assert!(start.elapsed() < LIMIT, "clients did not connect in time");
    }
    let accept = start.elapsed().as_secs_f64();
    assert_eq!(swarm.line(), "ready");
    // As for the engine below: "go" first, so the swarm's clock runs while the writes happen.
    swarm.go();
    let writing = Instant::now();
    for stream in &mut streams {
        stream.write_all(&MESSAGE).unwrap();
    }
    let writes = writing.elapsed().as_secs_f64();
    (accept, writes, swarm.finish())
}

/// The engine's server: accept time, time from the send command to the engine's report that
/// all writes are done, time until the swarm has read everything, and memory.
fn engine() -> (f64, f64, f64, u64) {
    let before = rss_kib();
    let session = Session::open(
        SessionConfig::tcp_server("127.0.0.1:0".parse().unwrap()),
        None,
    )
    .unwrap();
    let addr = match session.events().recv_timeout(LIMIT).unwrap() {
        Event::Opened { local, .. } => local,
        other => panic!("{other:?}"),
    };
    let mut swarm = Swarm::start(addr, &source(1));
    let mut start = None;
    let mut connected = 0;
    while connected < CLIENTS {
        if let Event::PeerConnected { .. } = session.events().recv_timeout(LIMIT).unwrap() {
            start.get_or_insert_with(Instant::now);
            connected += 1;
        }
    }
    let accept = start.unwrap().elapsed().as_secs_f64();
    assert_eq!(swarm.line(), "ready");
    let rss = rss_kib().saturating_sub(before);
    // "go" first, so the swarm's clock starts before the first byte can arrive.
    swarm.go();
    let writing = Instant::now();
    session.send(Command::Send {
        payload: Payload::from(&MESSAGE[..]),
        to: Target::All,
    });
    let writes = loop {
        match session.events().recv_timeout(LIMIT).unwrap() {
            Event::Sent { .. } => break writing.elapsed().as_secs_f64(),
            Event::Failed(err) => panic!("{err}"),
            _ => {}
        }
    };
    let broadcast = swarm.finish();
    drop(session);
    (accept, writes, broadcast, rss)
}

fn main() {
    if let Ok(spec) = std::env::var("NETASSIST_SWARM") {
        let (server, source) = spec.split_once(' ').unwrap();
        swarm(server.parse().unwrap(), source);
        return;
    }
    println!("TCP server with {CLIENTS} clients over loopback");
    println!("  (64 B to all: until the last client has read it; writes: the server's loop alone)");
    let (bare_accept, bare_writes, bare_broadcast) = bare();
    println!(
        "  bare std::net server:  accept all {:7.1} ms, 64 B to all {:6.1} ms (writes {:6.1} ms)",
        bare_accept * 1e3,
        bare_broadcast * 1e3,
        bare_writes * 1e3
    );
    let (accept, writes, broadcast, rss) = engine();
    println!(
        "  netassist server:      accept all {:7.1} ms, 64 B to all {:6.1} ms (writes {:6.1} ms), memory for {CLIENTS} clients {:.1} MiB",
        accept * 1e3,
        broadcast * 1e3,
        writes * 1e3,
        rss as f64 / 1024.0
    );
    println!(
        "  ratios to bare: accept {:.2}, broadcast {:.2}, writes {:.2} (goals: broadcast <= 100 ms, memory <= 64 MiB)",
        accept / bare_accept,
        broadcast / bare_broadcast,
        writes / bare_writes
    );
}
