//! Fault 22 of the fault matrix: a TCP server out of file descriptors. The command-line server
//! runs under `prlimit --nofile=N:N` (the binary raises its soft limit to the hard one at start,
//! so both are set) and more clients connect than it can hold.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

mod util;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use util::PATIENCE;

/// The open-file limit the server runs with: about 30 clients beside its own descriptors.
const LIMIT: usize = 40;
/// Clients that connect: more than fit.
const CLIENTS: usize = 60;
const FULL_NOTE: &str = "cannot accept more clients: this process may open only 40 files";

struct Server {
    child: Child,
    stderr: Receiver<String>,
    stdout: Receiver<Vec<u8>>,
    lines: Vec<String>,
    out: Vec<u8>,
}

impl Server {
    fn start() -> Self {
        let limit = format!("--nofile={LIMIT}:{LIMIT}");
        let mut child = Command::new("prlimit")
            .args([
                limit.as_str(),
                env!("CARGO_BIN_EXE_netassist"),
                "tcp-server",
                "127.0.0.1:0",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("prlimit (util-linux) runs netassist");
        let (tx, stderr) = std::sync::mpsc::channel();
        let err = BufReader::new(child.stderr.take().unwrap());
        std::thread::Builder::new()
            .name("emfile-stderr".into())
            .spawn(move || {
                for line in err.lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            })
            .unwrap();
        let (tx, stdout) = std::sync::mpsc::channel();
        let mut out = child.stdout.take().unwrap();
        std::thread::Builder::new()
            .name("emfile-stdout".into())
            .spawn(move || {
                let mut buf = vec![0u8; 4096];
                while let Ok(n) = out.read(&mut buf) {
                    if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            })
            .unwrap();
        Self {
            child,
            stderr,
            stdout,
            lines: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Takes the stderr lines that came, waiting at most `wait` for the first.
    fn gather(&mut self, wait: Duration) {
        if let Ok(line) = self.stderr.recv_timeout(wait) {
            self.lines.push(line);
        }
        while let Ok(line) = self.stderr.try_recv() {
            self.lines.push(line);
        }
    }

    fn wait_until(&mut self, what: &str, mut done: impl FnMut(&[String]) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(&self.lines) {
            assert!(
                Instant::now() < deadline,
                "no {what} within {PATIENCE:?}; stderr: {:?}",
                self.lines
            );
            self.gather(Duration::from_millis(50));
        }
    }

    fn count(&self, needle: &str) -> usize {
        self.lines.iter().filter(|l| l.contains(needle)).count()
    }

    /// Clients accepted so far ("ADDR connected" lines).
    fn connected(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.ends_with(" connected"))
            .count()
    }

    /// utime + stime of the server in clock ticks.
    fn cpu_ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        // The fields after the command name in parentheses (which may hold spaces).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn clock_ticks_per_second() -> u64 {
    let out = Command::new("getconf").arg("CLK_TCK").output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn fault_22_emfile_on_accept() {
    let mut server = Server::start();
    server.wait_until("listening line", |l| {
        l.iter().any(|l| l.contains("listening on "))
    });
    let line = server
        .lines
        .iter()
        .find(|l| l.contains("listening on "))
        .unwrap();
    let addr: SocketAddr = line
        .rsplit("listening on ")
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();

    // Clients arrive one by one (each a separate wake-up of the server), more than fit.
    let started = Instant::now();
    let mut clients: Vec<TcpStream> = Vec::new();
    for _ in 0..CLIENTS {
        clients.push(TcpStream::connect(addr).unwrap()); // the kernel's backlog takes them
        std::thread::sleep(Duration::from_millis(5));
    }
    server.wait_until("note that the server is full", |l| {
        l.iter().any(|l| l.contains(FULL_NOTE))
    });
    let accepted = server.connected();
    assert!(
        accepted > 10 && accepted < CLIENTS,
        "{accepted} of {CLIENTS} accepted under a limit of {LIMIT}"
    );
    let note = server.lines.iter().find(|l| l.contains(FULL_NOTE)).unwrap();
    assert!(
        note.ends_with(
            "clients connected) — waiting clients are accepted as others leave; raise the limit with 'ulimit -n'"
        ),
        "{note}"
    );

    // At the limit: no busy loop (CPU under 10 % over 2 s) and at most one note a second.
    let ticks = clock_ticks_per_second();
    let (cpu_before, at) = (server.cpu_ticks(), Instant::now());
    std::thread::sleep(Duration::from_secs(2));
    let used = server.cpu_ticks() - cpu_before;
    let wall = at.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss)] // tick counts are small
    let share = used as f64 / ticks as f64 / wall;
    assert!(
        share < 0.10,
        "the server used {:.0} % of a CPU while full",
        share * 100.0
    );
    server.gather(Duration::from_millis(10));
    let notes = server.count(FULL_NOTE);
    let allowed = usize::try_from(started.elapsed().as_secs()).unwrap() + 1;
    assert!(notes <= allowed, "{notes} notes in {:?}", started.elapsed());

    // Clients leave: the ones waiting in the backlog are accepted, with no new connect.
    let leaving = clients.drain(..CLIENTS / 2).count();
    server.wait_until("every waiting client accepted", |l| {
        l.iter().filter(|l| l.ends_with(" connected")).count() == CLIENTS
    });
    assert_eq!(server.count(" left: closed by the peer"), leaving);
    // And served: the last client to connect (accepted last) is heard.
    let last = clients.last_mut().unwrap();
    last.write_all(b"served at last\n").unwrap();
    let deadline = Instant::now() + PATIENCE;
    while !String::from_utf8_lossy(&server.out).contains("served at last") {
        assert!(Instant::now() < deadline, "the late client is not served");
        if let Ok(chunk) = server.stdout.recv_timeout(Duration::from_millis(50)) {
            server.out.extend_from_slice(&chunk);
        }
    }
}
