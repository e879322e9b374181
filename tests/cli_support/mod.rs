//! Shared harness for the command-line tests: the built `netassist` binary as a child process,
//! its stdout and stderr read on named threads into channels, bounded waits on what it says.
//!
//! A test file includes it with `mod cli_support;` next to `mod util;` (it uses
//! `util::PATIENCE`).
#![allow(dead_code)] // each test file uses its own subset
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::util::PATIENCE;

/// The binary under test, as Cargo built it for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_netassist");

/// `netassist ARGS` with stdin, stdout and stderr piped, not yet started. Change a pipe (e.g.
/// `.stdout(Stdio::null())`) before `spawn`, then hand the child to [`Running::from_child`].
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args);
    pipe_all(&mut command);
    command
}

/// Sets stdin, stdout and stderr of `command` to pipes (for a wrapper such as `prlimit`).
pub fn pipe_all(command: &mut Command) -> &mut Command {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
}

/// Starts `netassist ARGS` with all three pipes.
pub fn netassist(args: &[&str]) -> Running {
    Running::from_child(command(args).spawn().expect("spawn netassist"))
}

/// A running child process with its pipes read on named background threads. Killed on drop,
/// so a test that fails half-way leaves nothing running.
pub struct Running {
    pub child: Child,
    /// Its stdin while piped and not yet closed (`finish` closes it).
    pub stdin: Option<ChildStdin>,
    /// Chunks of stdout as read; `None` when stdout was not piped or the test took it.
    pub stdout: Option<Receiver<Vec<u8>>>,
    /// Lines of stderr as read.
    pub stderr: Receiver<String>,
    /// The stdout received so far.
    pub out: Vec<u8>,
    /// The stderr lines received so far.
    pub err: Vec<String>,
}

impl Running {
    /// Takes over a spawned child: reads its stderr (which must be piped) line by line, and its
    /// stdout when still piped (not taken by the test), each on a named thread.
    pub fn from_child(mut child: Child) -> Self {
        let stdout = child.stdout.take().map(|mut out| {
            let (tx, rx) = mpsc::channel();
            std::thread::Builder::new()
                .name("test-stdout".into())
                .spawn(move || {
                    let mut buf = vec![0u8; 65536];
                    while let Ok(n) = out.read(&mut buf) {
                        if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                })
                .unwrap();
            rx
        });
        let (tx, stderr) = mpsc::channel();
        let err = BufReader::new(child.stderr.take().expect("stderr is piped"));
        std::thread::Builder::new()
            .name("test-stderr".into())
            .spawn(move || {
                for line in err.lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            })
            .unwrap();
        Self {
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
            out: Vec::new(),
            err: Vec::new(),
        }
    }

    fn stdout_channel(&self) -> &Receiver<Vec<u8>> {
        self.stdout
            .as_ref()
            .expect("stdout is not read by this harness (not piped, or taken by the test)")
    }

    /// Waits (at most `PATIENCE`) until stdout holds at least `len` bytes; returns them all.
    pub fn stdout_at_least(&mut self, len: usize) -> &[u8] {
        let deadline = Instant::now() + PATIENCE;
        while self.out.len() < len {
            match self
                .stdout_channel()
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(chunk) => self.out.extend_from_slice(&chunk),
                Err(err) => panic!(
                    "stdout has {:?} after {PATIENCE:?} ({err:?}); stderr: {:?}",
                    String::from_utf8_lossy(&self.out),
                    self.err
                ),
            }
        }
        &self.out
    }

    /// Waits until stdout holds `count` complete lines; returns all its lines.
    pub fn stdout_lines(&mut self, count: usize) -> Vec<String> {
        loop {
            let text = String::from_utf8_lossy(&self.out).into_owned();
            if text.matches('\n').count() >= count {
                return text.lines().map(str::to_owned).collect();
            }
            let len = self.out.len();
            self.stdout_at_least(len + 1);
        }
    }

    /// Takes the stdout that has come (without waiting); returns all of it so far as text.
    pub fn stdout_text(&mut self) -> String {
        if let Some(stdout) = &self.stdout {
            while let Ok(chunk) = stdout.try_recv() {
                self.out.extend_from_slice(&chunk);
            }
        }
        String::from_utf8_lossy(&self.out).into_owned()
    }

    /// Waits at most `wait` for one more chunk of stdout.
    pub fn gather_stdout(&mut self, wait: Duration) {
        if let Ok(chunk) = self.stdout_channel().recv_timeout(wait) {
            self.out.extend_from_slice(&chunk);
        }
    }

    /// Waits (at most `PATIENCE`) for a stderr line containing `needle`; returns it.
    pub fn stderr_line(&mut self, needle: &str) -> String {
        self.stderr_line_within(needle, PATIENCE)
    }

    /// Waits at most `patience` for a stderr line containing `needle` (one already received
    /// counts); returns it.
    pub fn stderr_line_within(&mut self, needle: &str, patience: Duration) -> String {
        if let Some(line) = self.err.iter().find(|l| l.contains(needle)) {
            return line.clone();
        }
        let deadline = Instant::now() + patience;
        loop {
            match self
                .stderr
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) => {
                    self.err.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(err) => panic!(
                    "no stderr line with {needle:?} ({err:?}); got {:?}",
                    self.err
                ),
            }
        }
    }

    /// Takes the stderr lines that have come, waiting at most `wait` for the first.
    pub fn gather_stderr(&mut self, wait: Duration) {
        if let Ok(line) = self.stderr.recv_timeout(wait) {
            self.err.push(line);
        }
        while let Ok(line) = self.stderr.try_recv() {
            self.err.push(line);
        }
    }

    /// Waits (at most `PATIENCE`) until `done` holds for the stderr lines received; `what`
    /// names the wait in the failure message.
    pub fn wait_until(&mut self, what: &str, mut done: impl FnMut(&[String]) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(&self.err) {
            assert!(
                Instant::now() < deadline,
                "no {what} within {PATIENCE:?}; stderr: {:?}",
                self.err
            );
            self.gather_stderr(Duration::from_millis(50));
        }
    }

    /// How many stderr lines received so far contain `needle`.
    pub fn stderr_count(&self, needle: &str) -> usize {
        self.err.iter().filter(|l| l.contains(needle)).count()
    }

    /// Clients a server accepted so far (its "ADDR connected" lines received).
    pub fn connected(&self) -> usize {
        self.err
            .iter()
            .filter(|l| l.ends_with(" connected"))
            .count()
    }

    /// The address after `prefix` in a status line ("listening on ", "bound to ").
    pub fn local_addr(&mut self, prefix: &str) -> SocketAddr {
        let line = self.stderr_line(prefix);
        let rest = &line[line.find(prefix).unwrap() + prefix.len()..];
        rest.split([' ', ',']).next().unwrap().parse().unwrap()
    }

    /// The address a server listens on (its "listening on ADDR" line).
    pub fn listening(&mut self) -> SocketAddr {
        self.local_addr("listening on ")
    }

    /// Writes `data` to stdin and flushes; a failure fails the test.
    pub fn write_stdin(&mut self, data: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(data).unwrap();
        stdin.flush().unwrap();
    }

    /// Writes `data` to stdin and flushes; a process that has already gone is not an error
    /// here. Returns whether it was written.
    pub fn try_write_stdin(&mut self, data: &[u8]) -> bool {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(data).and_then(|()| stdin.flush()).is_ok()
    }

    /// Whether the process has not exited yet.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends SIGTERM, as a service manager or `kill` would.
    pub fn terminate(&mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// utime + stime of the process so far, in clock ticks (from /proc).
    pub fn cpu_ticks(&self) -> u64 {
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

    /// Closes stdin and waits (at most `PATIENCE`) for the exit; returns the exit code (-1 for
    /// a signal), everything on stdout and the stderr lines joined by newlines.
    pub fn finish(mut self) -> (i32, Vec<u8>, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("netassist did not exit; stderr: {:?}", self.err);
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        // The pipes close when the process is gone; the timeouts only guard a stuck reader.
        if let Some(stdout) = &self.stdout {
            while let Ok(chunk) = stdout.recv_timeout(Duration::from_secs(2)) {
                self.out.extend_from_slice(&chunk);
            }
        }
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_millis(500)) {
            self.err.push(line);
        }
        (
            status.code().unwrap_or(-1),
            std::mem::take(&mut self.out),
            self.err.join("\n"),
        )
    }
}

impl Drop for Running {
    /// A test that fails half-way must not leave a process running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `bytes` in small pieces with pauses, so the reader sees many partial reads.
pub fn write_in_pieces(stream: &mut std::net::TcpStream, bytes: &[u8], piece: usize) {
    stream.set_nodelay(true).unwrap();
    for chunk in bytes.chunks(piece) {
        stream.write_all(chunk).unwrap();
        std::thread::sleep(Duration::from_millis(15));
    }
}
