//! Pseudo-terminal pairs for serial tests: `socat -d -d pty,raw,echo=0 pty,raw,echo=0` (Debian
//! package socat; .ci/run installs it) joins two ptys the way a null-modem cable joins two
//! ports. Killing socat is unplugging: both ptys' other sides close.
#![allow(dead_code)] // each test file uses its own subset
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Two joined pseudo-terminals, while socat runs.
pub struct PtyPair {
    child: Child,
    /// One end, e.g. `/dev/pts/3`.
    pub a: String,
    /// The other end.
    pub b: String,
}

impl PtyPair {
    /// Starts socat and waits (at most 10 s) until both ends exist and it moves data.
    pub fn new() -> Self {
        let mut child = Command::new("socat")
            .args(["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect(
                "socat is needed for the serial tests (Debian package socat; .ci/run installs it)",
            );
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("socat-stderr".to_owned())
            .spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { return };
                    if tx.send(line).is_err() {
                        return;
                    }
                }
            })
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut paths = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("socat did not start within 10 s: {paths:?}"));
            if let Some(at) = line.find("PTY is ") {
                paths.push(line[at + 7..].trim().to_owned());
            }
            if line.contains("starting data transfer loop") {
                break;
            }
        }
        assert_eq!(paths.len(), 2, "socat named {paths:?}");
        let b = paths.pop().unwrap();
        let a = paths.pop().unwrap();
        Self { child, a, b }
    }

    /// Unplugs: ends socat, so both ptys' other sides close.
    pub fn unplug(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for PtyPair {
    fn drop(&mut self) {
        self.unplug();
    }
}
