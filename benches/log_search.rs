//! Search across 1,000,000 log records: the log's [`Search`] against a naive
//! `[u8]::windows` scan over every record, measured in the same run.
//!
//! `cargo bench --bench log_search` prints both times (median of a few runs) and their ratio.
//! Goal: our search of 1,000,000 records in at most 200 ms.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

// The same allocator as the netassist binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::time::{Instant, SystemTime};

use netassist::codec::TextEncoding;
use netassist::log::{LogStore, Query, Record, Search};

const RECORDS: u64 = 1_000_000;
const RUNS: usize = 5;
const NEEDLE: &str = "ALARM sensor";

/// A million records of 40–110 bytes of telemetry text; one in a thousand holds the needle.
fn store() -> LogStore {
    let peers: Vec<SocketAddr> = (0..8)
        .map(|i| SocketAddr::from(([127, 0, 0, 1], 9000 + i)))
        .collect();
    let mut store = LogStore::new(usize::MAX, RECORDS as usize);
    let now = SystemTime::now();
    for i in 0..RECORDS {
        let mut line = format!(
            "seq={i} temp={}.{} humidity={}",
            20 + i % 15,
            i % 10,
            i % 97
        );
        line.push_str(&" pad".repeat((i % 17) as usize));
        if i % 1000 == 7 {
            line.push_str(" ALARM sensor 3");
        }
        line.push_str("\r\n");
        store.push(Record::rx(1, now, peers[(i % 8) as usize], line.as_bytes()));
    }
    store
}

/// The baseline: every window of every record compared with the needle.
fn naive(store: &LogStore, needle: &[u8]) -> usize {
    store
        .iter()
        .map(|(record, _)| {
            record
                .bytes
                .windows(needle.len())
                .filter(|w| *w == needle)
                .count()
        })
        .sum()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let built = Instant::now();
    let store = store();
    let bytes: usize = store.iter().map(|(r, _)| r.bytes.len()).sum();
    println!(
        "{} records, {:.1} MiB of data, built in {:.1} s",
        store.len(),
        bytes as f64 / f64::from(1 << 20),
        built.elapsed().as_secs_f64()
    );
    let query = Query {
        pattern: NEEDLE.to_owned(),
        ..Query::default()
    };
    let (mut base, mut ours) = (Vec::new(), Vec::new());
    let mut counts = (0, 0);
    for _ in 0..RUNS {
        let start = Instant::now();
        counts.0 = naive(&store, NEEDLE.as_bytes());
        base.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        counts.1 = Search::find_all(&store, &query, TextEncoding::UTF_8)
            .unwrap()
            .len();
        ours.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    assert_eq!(counts.0, counts.1, "both find the same matches");
    let (base, ours) = (median(base), median(ours));
    println!(
        "Search for {NEEDLE:?} across {RECORDS} records ({} matches), median of {RUNS}",
        counts.1
    );
    println!("  naive windows() scan (baseline): {base:7.1} ms");
    println!("  netassist Search:               {ours:7.1} ms  (goal <= 200 ms)");
    println!("  ratio baseline / ours:          {:7.2}x", base / ours);
}
