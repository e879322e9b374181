//! Chat relay: 10 clients talking through `netassist tcp-server --relay` against a naive Python
//! thread-per-client chat server (`recv(1024)` and send to all), in the same run.
//! Each client sends its messages; the run ends when every client has received every other
//! client's bytes. Loopback only; bounded count and time.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CLIENTS: usize = 10;
const MESSAGES: usize = 2_000;
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
fn run(server: SocketAddr) -> f64 {
    let mut streams: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| TcpStream::connect(server).unwrap())
        .collect();
    // Let the server register everyone before anyone talks.
    std::thread::sleep(Duration::from_millis(300));
    let expected = (CLIENTS - 1) * MESSAGES * MESSAGE;
    let start = Instant::now();
    let mut threads = Vec::new();
    for (i, stream) in streams.iter_mut().enumerate() {
        let mut reader = stream.try_clone().unwrap();
        reader.set_read_timeout(Some(LIMIT)).unwrap();
        threads.push(
            std::thread::Builder::new()
                .name(format!("bench-reader-{i}"))
                .spawn(move || {
                    let mut buf = vec![0u8; 65_536];
                    let mut got = 0;
                    while got < expected {
                        let n = reader.read(&mut buf).unwrap();
                        assert!(n > 0, "server closed early");
                        got += n;
                    }
                })
                .unwrap(),
        );
        let mut writer = stream.try_clone().unwrap();
        threads.push(
            std::thread::Builder::new()
                .name(format!("bench-writer-{i}"))
                .spawn(move || {
                    let message = [b'a' + i as u8; MESSAGE];
                    for _ in 0..MESSAGES {
                        writer.write_all(&message).unwrap();
                    }
                })
                .unwrap(),
        );
    }
    for thread in threads {
        thread.join().unwrap();
    }
    start.elapsed().as_secs_f64()
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

    let (mut base, mut mine) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        base.push(run(python_addr));
        mine.push(run(our_addr));
    }
    let _ = python.kill();
    let _ = ours.kill();
    base.sort_by(f64::total_cmp);
    mine.sort_by(f64::total_cmp);
    let (base, mine) = (base[1], mine[1]);
    let delivered = (CLIENTS * (CLIENTS - 1) * MESSAGES) as f64;
    println!(
        "Chat relay: {CLIENTS} clients x {MESSAGES} messages of {MESSAGE} B, each to the other {} (median of 3)",
        CLIENTS - 1
    );
    println!(
        "  naive Python thread-per-client server: {:8.1} ms, {:9.0} messages delivered/s",
        base * 1e3,
        delivered / base
    );
    println!(
        "  netassist tcp-server --relay:          {:8.1} ms, {:9.0} messages delivered/s",
        mine * 1e3,
        delivered / mine
    );
    println!(
        "  netassist is {:.1} x the Python server (goal >= 10 x)",
        base / mine
    );
}
