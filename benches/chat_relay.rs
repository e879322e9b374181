//! Chat relay: 10 clients talking through `netassist tcp-server --relay` against a naive Python
//! thread-per-client chat server (`recv(1024)` and send to all), in the same run.
//! Each client sends its messages; the run ends when every client has received every other
//! client's bytes. Loopback only; bounded count and time.
//!
//! Two rounds: clients writing each message with its own system call, then 16 messages per
//! write. The 20 client threads share the machine with the server; in the first round their
//! own system calls take most of the wall time on a 2-core machine, so the second round shows
//! what the servers themselves can relay.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const CLIENTS: usize = 10;
const MESSAGES: usize = 10_000;
const MESSAGE: usize = 64;
const LIMIT: Duration = Duration::from_mins(1);

const PYTHON_SERVER: &str = r#"
import socket, sys, threading
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0)); srv.listen(64)
print(srv.getsockname()[1], flush=True)
clients = []; lock = threading.Lock()
def serve(conn):
    while True:
        data = conn.recv(1024)
        if not data:
            break
        with lock:
            others = [c for c in clients if c is not conn]
        for c in others:
            try:
                c.sendall(data)
            except OSError:
                pass
    with lock:
        clients.remove(conn)
while True:
    conn, _ = srv.accept()
    with lock:
        clients.append(conn)
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
"#;

fn start(mut child: Child, port_from_stderr: bool) -> (Child, SocketAddr) {
    let port = if port_from_stderr {
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let line = lines
            .by_ref()
            .map_while(Result::ok)
            .find(|l| l.contains("listening on "))
            .unwrap();
        // Keep reading its status lines so the server never writes into a closed pipe.
        std::thread::Builder::new()
            .name("bench-stderr".into())
            .spawn(move || lines.map_while(Result::ok).for_each(drop))
            .unwrap();
        line.rsplit(' ')
            .next()
            .unwrap()
            .parse::<SocketAddr>()
            .unwrap()
            .port()
    } else {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        line.trim().parse().unwrap()
    };
    (child, SocketAddr::from(([127, 0, 0, 1], port)))
}

/// Seconds until every client has every other client's bytes.
///
/// The client threads are started first and wait at a barrier, so the clock measures the
/// conversation, not the harness starting 20 threads.
fn run(server: SocketAddr, batch: usize) -> f64 {
    assert_eq!(MESSAGES % batch, 0, "every message must be sent");
    let streams: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| TcpStream::connect(server).unwrap())
        .collect();
    // Let the server register everyone before anyone talks.
    std::thread::sleep(Duration::from_millis(300));
    let expected = (CLIENTS - 1) * MESSAGES * MESSAGE;
    let barrier = Arc::new(Barrier::new(2 * CLIENTS + 1));
    let mut threads = Vec::new();
    for (i, stream) in streams.iter().enumerate() {
        let mut reader = stream.try_clone().unwrap();
        reader.set_read_timeout(Some(LIMIT)).unwrap();
        let ready = Arc::clone(&barrier);
        threads.push(
            std::thread::Builder::new()
                .name(format!("bench-reader-{i}"))
                .spawn(move || {
                    let mut buf = vec![0u8; 65_536];
                    let mut got = 0;
                    ready.wait();
                    while got < expected {
                        let n = reader.read(&mut buf).unwrap();
                        assert!(n > 0, "server closed early");
                        got += n;
                    }
                })
                .unwrap(),
        );
        let mut writer = stream.try_clone().unwrap();
        let ready = Arc::clone(&barrier);
        threads.push(
            std::thread::Builder::new()
                .name(format!("bench-writer-{i}"))
                .spawn(move || {
                    let messages = vec![b'a' + i as u8; MESSAGE * batch];
                    ready.wait();
                    for _ in 0..MESSAGES / batch {
                        writer.write_all(&messages).unwrap();
                    }
                })
                .unwrap(),
        );
    }
    barrier.wait();
    let start = Instant::now();
    for thread in threads {
        thread.join().unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    drop(streams);
    secs
}

/// CPU time the process `pid` has used so far, all threads, from `/proc/PID/task/*/schedstat`
/// (nanosecond resolution).
fn cpu_secs(pid: u32) -> f64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return f64::NAN;
    };
    let ns: u64 = tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e9
}

/// Runs the conversation against `server` (process `pid`); wall seconds and server CPU seconds.
fn measured(server: SocketAddr, pid: u32, batch: usize) -> (f64, f64) {
    let before = cpu_secs(pid);
    let wall = run(server, batch);
    (wall, cpu_secs(pid) - before)
}

fn main() {
    let python = Command::new("python3")
        .args(["-u", "-c", PYTHON_SERVER])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut python, python_addr) = start(python, false);
    let ours = Command::new(env!("CARGO_BIN_EXE_netassist"))
        .args(["tcp-server", "127.0.0.1:0", "--relay", "--show", "none"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut ours, our_addr) = start(ours, true);

    println!(
        "Chat relay: {CLIENTS} clients x {MESSAGES} messages of {MESSAGE} B, each to the other {} (median of 3)",
        CLIENTS - 1
    );
    for batch in [1, 16] {
        let (mut base, mut mine) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            base.push(measured(python_addr, python.id(), batch));
            mine.push(measured(our_addr, ours.id(), batch));
        }
        let median = |runs: &mut Vec<(f64, f64)>| {
            let mut wall: Vec<f64> = runs.iter().map(|r| r.0).collect();
            let mut cpu: Vec<f64> = runs.iter().map(|r| r.1).collect();
            wall.sort_by(f64::total_cmp);
            cpu.sort_by(f64::total_cmp);
            (wall[1], cpu[1])
        };
        let ((base, base_cpu), (mine, mine_cpu)) = (median(&mut base), median(&mut mine));
        let delivered = (CLIENTS * (CLIENTS - 1) * MESSAGES) as f64;
        println!("  clients writing {batch} message(s) per system call:");
        println!(
            "    naive Python thread-per-client server: {:8.1} ms, {:9.0} messages delivered/s, server CPU {:7.1} ms",
            base * 1e3,
            delivered / base,
            base_cpu * 1e3
        );
        println!(
            "    netassist tcp-server --relay:          {:8.1} ms, {:9.0} messages delivered/s, server CPU {:7.1} ms",
            mine * 1e3,
            delivered / mine,
            mine_cpu * 1e3
        );
        println!(
            "    netassist is {:.1} x the Python server in wall time, {:.1} x in server CPU (goal >= 10 x)",
            base / mine,
            base_cpu / mine_cpu
        );
    }
    let _ = python.kill();
    let _ = ours.kill();
}
