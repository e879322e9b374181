//! Fault 23 of the fault matrix: 10,000 connect/disconnect cycles leave no descriptor or
//! thread behind. Alone in its test binary, so no other test starts threads or opens files
//! while it counts `/proc/self/fd` and `/proc/self/task`.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

mod util;

use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use netassist::engine::{Command, Event, SessionConfig};
use util::{PATIENCE, any_local_v4, next_matching, open};

const SERVER_CYCLES: usize = 10_000;
/// Each client session is a thread of its own, started and ended each cycle.
const CLIENT_CYCLES: usize = 10_000;
/// Connections open at once.
const BATCH: usize = 100;

fn count(dir: &str) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

/// Descriptors and threads of this process.
fn usage() -> (usize, usize) {
    (count("/proc/self/fd"), count("/proc/self/task"))
}

/// Waits until the counts are back to `before` (threads end and sockets close a little after
/// their sessions say so); fails after `PATIENCE` with what is left.
fn settles_to(before: (usize, usize), what: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = usage();
        if now.0 <= before.0 && now.1 <= before.1 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {} descriptors and {} threads before, {} and {} after",
            before.0,
            before.1,
            now.0,
            now.1
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn fault_22_connect_disconnect_cycles_leave_nothing_behind() {
    let before = usage();

    // A server session: 10,000 clients connect and leave, a batch at a time.
    {
        let (server, addr) = open(SessionConfig::tcp_server(any_local_v4()));
        let mut done = 0;
        while done < SERVER_CYCLES {
            let batch: Vec<TcpStream> = (0..BATCH)
                .map(|_| TcpStream::connect(addr).unwrap())
                .collect();
            drop(batch);
            let mut left = 0;
            while left < BATCH {
                if let Event::PeerClosed { .. } =
                    next_matching(&server, |e| matches!(e, Event::PeerClosed { .. }))
                {
                    left += 1;
                }
            }
            done += BATCH;
        }
        assert!(server.send(Command::Close));
        next_matching(&server, |e| matches!(e, Event::Closed));
    }
    settles_to(before, "after 10,000 server connections");

    // Client sessions: each connects, is closed and dropped.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = listener.local_addr().unwrap().to_string();
    for _ in 0..CLIENT_CYCLES {
        let (client, _) = open(SessionConfig::tcp_client(target.clone()));
        let (accepted, _) = listener.accept().unwrap();
        assert!(client.send(Command::Close));
        next_matching(&client, |e| matches!(e, Event::Closed));
        drop(client);
        drop(accepted);
    }
    drop(listener);
    settles_to(before, "after 10,000 client sessions");
}
