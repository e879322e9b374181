//! Fault 22 of the fault matrix: a TCP server out of file descriptors. The command-line server
//! runs under `prlimit --nofile=N:N` (the binary raises its soft limit to the hard one at start,
//! so both are set) and more clients connect than it can hold.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli_support::{BIN, Running, pipe_all};
use crate::util::PATIENCE;

/// The open-file limit the server runs with: about 30 clients beside its own descriptors.
const LIMIT: usize = 40;
/// Clients that connect: more than fit.
const CLIENTS: usize = 60;
const FULL_NOTE: &str = "cannot accept more clients: this process may open only 40 files";

/// `prlimit --nofile=LIMIT:LIMIT netassist tcp-server 127.0.0.1:0`, all pipes read.
fn start_server() -> Running {
    let limit = format!("--nofile={LIMIT}:{LIMIT}");
    let mut command = Command::new("prlimit");
    command.args([limit.as_str(), BIN, "tcp-server", "127.0.0.1:0"]);
    Running::from_child(
        pipe_all(&mut command)
            .spawn()
            .expect("prlimit (util-linux) runs netassist"),
    )
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
fn fault_21_emfile_on_accept() {
    let mut server = start_server();
    server.wait_until("listening line", |l| {
        l.iter().any(|l| l.contains("listening on "))
    });
    let line = server
        .err
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
    let note = server.err.iter().find(|l| l.contains(FULL_NOTE)).unwrap();
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
    server.gather_stderr(Duration::from_millis(10));
    let notes = server.stderr_count(FULL_NOTE);
    let allowed = usize::try_from(started.elapsed().as_secs()).unwrap() + 1;
    assert!(notes <= allowed, "{notes} notes in {:?}", started.elapsed());

    // Clients leave: the ones waiting in the backlog are accepted, with no new connect.
    let leaving = clients.drain(..CLIENTS / 2).count();
    server.wait_until("every waiting client accepted", |l| {
        l.iter().filter(|l| l.ends_with(" connected")).count() == CLIENTS
    });
    assert_eq!(server.stderr_count(" left: closed by the peer"), leaving);
    // And served: the last client to connect (accepted last) is heard.
    let last = clients.last_mut().unwrap();
    last.write_all(b"served at last\n").unwrap();
    let deadline = Instant::now() + PATIENCE;
    while !String::from_utf8_lossy(&server.out).contains("served at last") {
        assert!(Instant::now() < deadline, "the late client is not served");
        server.gather_stdout(Duration::from_millis(50));
    }
}
