//! Bounded send queues through the command line (issue 11): the built binary with its default
//! limit (8 MiB, 5 s), real loopback clients, the server's memory read from /proc.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::cli_support::{Running, command};
use crate::util::pattern;
use sha2::{Digest as _, Sha256};

const MIB: usize = 1024 * 1024;

/// `netassist ARGS` with stdin piped (kept open), stdout not read and stderr read on a thread.
fn start(args: &[&str]) -> Running {
    Running::from_child(
        command(args)
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn netassist"),
    )
}

/// The resident memory of process `pid`, in bytes (0 once it is gone).
fn rss(pid: u32) -> usize {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return 0;
    };
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|line| line.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |kib| kib * 1024)
}

/// The largest RSS of `pid` seen every 10 ms until `stop` is set.
fn sample_rss(pid: u32, stop: Arc<AtomicBool>) -> JoinHandle<usize> {
    std::thread::Builder::new()
        .name("test-rss".into())
        .spawn(move || {
            let mut peak = 0;
            while !stop.load(Ordering::Relaxed) {
                peak = peak.max(rss(pid));
                std::thread::sleep(Duration::from_millis(10));
            }
            peak
        })
        .unwrap()
}

/// The bytes the sender writes: `chunks` MiB, each a different pseudo-random MiB.
fn chunk(i: usize) -> Vec<u8> {
    pattern(MIB, 1000 + i as u64)
}

/// Reads `total` bytes on a thread, publishing the count in `got`; returns the count and
/// the SHA-256 of what came.
fn hashing_reader(
    mut reader: TcpStream,
    total: usize,
    got: Arc<AtomicUsize>,
) -> JoinHandle<(usize, Vec<u8>)> {
    reader
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    std::thread::Builder::new()
        .name("test-reader".into())
        .spawn(move || {
            let mut hash = Sha256::new();
            let mut buf = vec![0u8; 256 * 1024];
            let mut n_got = 0;
            while n_got < total {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        hash.update(&buf[..n]);
                        n_got += n;
                        got.store(n_got, Ordering::Relaxed);
                    }
                }
            }
            (n_got, hash.finalize().to_vec())
        })
        .unwrap()
}

#[test]
fn a_relay_drops_the_client_that_never_reads_and_stays_small() {
    const CHUNKS: usize = 300;
    let total = CHUNKS * MIB;
    let mut cli = start(&["tcp-server", "0", "--relay", "--show", "none"]);
    let pid = cli.child.id();
    let addr = cli.listening();

    let stuck = TcpStream::connect(addr).unwrap();
    let reader = TcpStream::connect(addr).unwrap();
    let mut sender = TcpStream::connect(addr).unwrap();
    for client in [&stuck, &reader, &sender] {
        cli.stderr_line(&format!("{} connected", client.local_addr().unwrap()));
    }
    std::thread::sleep(Duration::from_millis(300));
    let idle = rss(pid);
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample_rss(pid, Arc::clone(&stop));

    let got = Arc::new(AtomicUsize::new(0));
    let reading = hashing_reader(reader, total, Arc::clone(&got));
    let started = Instant::now();
    let writing = std::thread::Builder::new()
        .name("test-sender".into())
        .spawn(move || {
            let mut hash = Sha256::new();
            for i in 0..CHUNKS {
                let data = chunk(i);
                sender.write_all(&data).unwrap();
                hash.update(&data);
            }
            hash.finalize().to_vec()
        })
        .unwrap();

    // Dropped with a note that names it and says why (the default: 8 MiB, 5 s).
    let stuck_addr = stuck.local_addr().unwrap();
    let note = cli.stderr_line_within(
        &format!("{stuck_addr} stopped reading: "),
        Duration::from_secs(30),
    );
    let dropped_at = Instant::now();
    let got_at_drop = got.load(Ordering::Relaxed);
    assert!(
        note.contains(" MiB waiting for 5 s — disconnected"),
        "the note says why: {note}"
    );

    let sent_hash = writing.join().unwrap();
    let (n_got, hash) = reading.join().unwrap();
    let finished = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let peak = sampler.join().unwrap();
    assert_eq!(n_got, total, "the reading client got every byte");
    assert_eq!(hash, sent_hash, "and exactly them (sha256)");
    let grew = peak.saturating_sub(idle);
    let after = (finished - dropped_at).as_secs_f64();
    #[allow(clippy::cast_precision_loss)] // figures for the log
    let rate = (total - got_at_drop) as f64 / MIB as f64 / after.max(1e-3);
    eprintln!(
        "RSS idle {} MiB, peak {} MiB (+{} MiB); {} MiB reached the reader before the drop \
         ({:.1} s after the start), then {:.0} MiB/s until the end",
        idle / MIB,
        peak / MIB,
        grew / MIB,
        got_at_drop / MIB,
        (dropped_at - started).as_secs_f64(),
        rate
    );
    assert!(
        grew < 64 * MIB,
        "the server stays small: RSS {} MiB idle, {} MiB at the peak",
        idle / MIB,
        peak / MIB
    );
    drop(stuck);

    // At the end the summary says what was never written to the client that left.
    let term = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let summary = cli.stderr_line("closed (received ");
    assert!(
        summary.contains(" B queued for clients that left were not sent)"),
        "{summary}"
    );
}

#[test]
fn a_client_stops_reading_stdin_while_the_server_does_not_read() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut cli = start(&["tcp-client", &addr, "--send-queue", "1", "--show", "none"]);
    let (mut server_end, _) = listener.accept().unwrap();
    cli.stderr_line("connected to ");

    // A producer pipes 256 MiB of lines into the client while the server reads nothing.
    let mut stdin = cli.stdin.take().unwrap();
    let line: Vec<u8> = {
        let mut line = vec![b'x'; 1023];
        line.push(b'\n');
        line
    };
    let lines = 256 * 1024;
    let fed = Arc::new(AtomicU64::new(0));
    let feeding = {
        let fed = Arc::clone(&fed);
        std::thread::Builder::new()
            .name("test-stdin".into())
            .spawn(move || {
                for _ in 0..lines {
                    if stdin.write_all(&line).is_err() {
                        return;
                    }
                    fed.fetch_add(line.len() as u64, Ordering::Relaxed);
                }
            })
            .unwrap()
    };
    cli.stderr_line("waiting for the peer to read (");
    let pid = cli.child.id();
    std::thread::sleep(Duration::from_millis(1500));
    let held = fed.load(Ordering::Relaxed);
    eprintln!(
        "stdin took {} MiB while the server read nothing; client RSS {} MiB",
        held / MIB as u64,
        rss(pid) / MIB
    );
    assert!(
        held < 64 * MIB as u64,
        "the client stopped reading stdin: {} MiB taken",
        held / MIB as u64
    );

    // The server reads: every line arrives.
    server_end
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut got = 0usize;
    let mut buf = vec![0u8; 256 * 1024];
    let want = lines * 1024;
    while got < want {
        match server_end.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                assert!(buf[..n].iter().all(|&b| b == b'x' || b == b'\n'));
                got += n;
            }
        }
    }
    assert_eq!(got, want, "every line reached the server");
    feeding.join().unwrap();
}
