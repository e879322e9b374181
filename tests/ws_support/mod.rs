//! Shared by the WebSocket tests: the Python peer (Debian's python3-websockets, run with
//! /usr/bin/python3 as .ci/run installs it) and bounded waits on WebSocket events.
#![allow(dead_code)] // each test file uses its own subset

use std::process::Command;
use std::time::Instant;

use netassist::engine::{Event, MessageKind, SessionHandle, WsNote};

use crate::cli_support::{Running, pipe_all};
use crate::util::PATIENCE;

/// The Python peer script.
pub const PEER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ws_support/peer.py");

/// `/usr/bin/python3 peer.py ARGS` with all pipes.
pub fn python(args: &[&str]) -> Running {
    let mut command = Command::new("/usr/bin/python3");
    command.arg(PEER).args(args);
    pipe_all(&mut command);
    Running::from_child(command.spawn().expect(
        "/usr/bin/python3 with the websockets module is needed (Debian python3-websockets; .ci/run installs it)",
    ))
}

/// A Python server on `path` (every path when `None`); returns it and its port.
pub fn python_server(path: Option<&str>) -> (Running, u16) {
    let mut args = vec!["server"];
    args.extend(path);
    let mut server = python(&args);
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = server.stdout_text();
        // Whole lines only: the line may come in pieces.
        if let Some(line) = text
            .split_inclusive('\n')
            .find(|l| l.starts_with("PORT ") && l.ends_with('\n'))
        {
            return (server, line[5..].trim().parse().unwrap());
        }
        assert!(
            Instant::now() < deadline,
            "the Python server did not start: {text:?} {:?}",
            server.err
        );
        server.gather_stdout(std::time::Duration::from_millis(50));
    }
}

/// The next whole message: its bytes and kind (other events are skipped; a failure panics).
pub fn message(session: &SessionHandle) -> (Vec<u8>, MessageKind) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match session.events().recv_timeout(left) {
            Ok(Event::Received { bytes, .. }) => {
                let kind = bytes.message().expect("a WebSocket message is marked");
                return (bytes.into_vec(), kind);
            }
            Ok(Event::Failed(err) | Event::Error(err)) => panic!("failed: {err}"),
            Ok(Event::Closed) => panic!("closed before a message came"),
            Ok(_) => {}
            Err(err) => panic!("no message within {PATIENCE:?}: {err}"),
        }
    }
}

/// The next WebSocket note that `pred` accepts (other events are skipped).
pub fn note(session: &SessionHandle, mut pred: impl FnMut(&WsNote) -> bool) -> WsNote {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match session.events().recv_timeout(left) {
            Ok(Event::Ws(note)) if pred(&note) => return note,
            Ok(Event::Closed) => panic!("closed before the note came"),
            Ok(_) => {}
            Err(err) => panic!("no such note within {PATIENCE:?}: {err}"),
        }
    }
}
