//! TCP ingest: the whole engine path (`--show none` semantics: events drained and dropped)
//! against a bare `std::net` reader with 64 KiB reads, measured in the same run.
//!
//! `cargo bench --bench throughput` prints both rates and their ratio. Loopback only; every
//! run moves a fixed number of bytes and gives up after a time limit.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

// The same allocator as the netassist binary, so the engine is measured as it ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use netassist::engine::{Event, Session, SessionConfig};
use netassist::log::{LogStore, Record};

const TOTAL: usize = 1 << 30; // 1 GiB per run
const CHUNK: usize = 1 << 20;
const RUNS: usize = 5;
const LIMIT: Duration = Duration::from_mins(1);

fn writer(addr: SocketAddr) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("bench-writer".into())
        .spawn(move || {
            let mut stream = TcpStream::connect(addr).unwrap();
            let chunk = vec![0x5Au8; CHUNK];
            let mut left = TOTAL;
            while left > 0 {
                let n = left.min(CHUNK);
                stream.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
        })
        .unwrap()
}

/// Seconds for a plain blocking reader to take in `TOTAL` bytes (and write each read to
/// `save`, when given: the cost of the file alone, for comparison).
fn bare_reader(save: Option<&std::path::Path>) -> f64 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let writer = writer(listener.local_addr().unwrap());
    let (mut stream, _) = listener.accept().unwrap();
    let mut file = save.map(|path| std::fs::File::create(path).unwrap());
    let mut buf = vec![0u8; 64 * 1024];
    let start = Instant::now();
    let mut got = 0;
    while got < TOTAL {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "writer stopped early");
        if let Some(file) = &mut file {
            file.write_all(&buf[..n]).unwrap();
        }
        got += n;
        assert!(start.elapsed() < LIMIT, "bare reader too slow");
    }
    let secs = start.elapsed().as_secs_f64();
    writer.join().unwrap();
    secs
}

/// Seconds for the engine's TCP server to deliver `TOTAL` bytes as events to a draining consumer
/// (into a log store with the window's default caps, when `store`).
fn engine(save: Option<std::path::PathBuf>, store: bool) -> f64 {
    let mut log = store.then(LogStore::default);
    let mut config = SessionConfig::tcp_server("127.0.0.1:0".parse().unwrap());
    config.save_to = save;
    let session = Session::open(config, None).unwrap();
    let addr = loop {
        match session.events().recv_timeout(LIMIT).unwrap() {
            Event::Opened { local, .. } => break local,
            Event::Failed(err) => panic!("{err}"),
            _ => {}
        }
    };
    let writer = writer(addr);
    let mut start = None;
    let mut got = 0;
    let mut busy = false;
    while got < TOTAL {
        // The command line's consumer: when the queue runs dry while data flows it lets events
        // gather for a millisecond rather than being woken for each one.
        if std::mem::take(&mut busy) && session.events().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        match session.events().recv_timeout(LIMIT).unwrap() {
            Event::PeerConnected { .. } => start = Some(Instant::now()),
            Event::Received { bytes, peer, at } => {
                got += bytes.len();
                if let Some(log) = &mut log {
                    log.push(Record::rx_chunk(1, at, peer, bytes));
                }
            }
            _ => {}
        }
        busy = true;
    }
    let secs = start.unwrap().elapsed().as_secs_f64();
    writer.join().unwrap();
    session.close_and_wait();
    secs
}

/// Removes the file a run saved, after writing its pages out: every run then starts with no
/// dirty pages waiting, so the kernel's write-back throttling hits none of them more than
/// another (it made consecutive runs differ by a factor of three).
fn discard(path: &std::path::Path) {
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.sync_all();
    }
    let _ = std::fs::remove_file(path);
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let gib = TOTAL as f64 / f64::from(1u32 << 30);
    let save = std::env::temp_dir().join(format!("netassist-bench-{}.bin", std::process::id()));
    let mut runs: [Vec<f64>; 5] = Default::default();
    // For profiling one path alone: NETASSIST_BENCH_ONLY=engine|store|save.
    if let Some(only) = std::env::var_os("NETASSIST_BENCH_ONLY") {
        for _ in 0..3 {
            let secs = match only.to_str() {
                Some("store") => engine(None, true),
                Some("save") => {
                    discard(&save);
                    engine(Some(save.clone()), true)
                }
                Some("engine") => engine(None, false),
                _ => panic!("NETASSIST_BENCH_ONLY is engine, store or save"),
            };
            println!("{} {:.2} GiB/s", only.display(), gib / secs);
        }
        discard(&save);
        return;
    }
    for _ in 0..RUNS {
        // Interleaved, so drift in the machine's speed hits all alike.
        runs[0].push(gib / bare_reader(None));
        runs[1].push(gib / engine(None, false));
        runs[2].push(gib / engine(None, true));
        discard(&save);
        runs[3].push(gib / bare_reader(Some(&save)));
        discard(&save);
        runs[4].push(gib / engine(Some(save.clone()), true));
    }
    discard(&save);
    let [bare, ours, stored, bare_saved, saved] = runs.map(median);
    println!("TCP ingest, 1 GiB over loopback, median of {RUNS} runs");
    println!("  bare std::net reader (64 KiB reads):    {bare:6.2} GiB/s");
    println!(
        "  engine, events drained (--show none):   {ours:6.2} GiB/s  ({:5.1} % of bare, goal >= 75 %)",
        ours / bare * 100.0
    );
    println!(
        "  engine into the window's log store:     {stored:6.2} GiB/s  ({:5.1} % of bare, goal >= 75 %)",
        stored / bare * 100.0
    );
    println!(
        "  bare reader writing each read to a file: {bare_saved:5.2} GiB/s  ({:5.1} % of bare)",
        bare_saved / bare * 100.0
    );
    println!(
        "  engine into the log store + save file:  {saved:6.2} GiB/s  ({:5.1} % of bare, goal >= 50 %; {:5.1} % of the bare reader writing a file)",
        saved / bare * 100.0,
        saved / bare_saved * 100.0
    );
}
