//! Issue 11, the fault matrix: the input/output faults (13–20), one test each, engine and
//! command line over loopback. Each says what was wrong and how to fix it, sends nothing
//! half-made, does not panic, and ends with the documented exit code: bad input 2 (nothing
//! opened), data not saved 1, stdout closed by its reader 0, SIGTERM 0.
//!
//! The window's side of 13, 14, 15 and 17 is in `tests/ui/faults_io.rs`.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cli_support::{Running, command, netassist};
use crate::util::{PATIENCE, any_local_v4, next_matching, open, pattern};
use netassist::codec::{InputMode, PayloadOptions, TextEncoding, build_payload};
use netassist::engine::{Command, Event, NetError, SessionConfig, Target};
use sha2::{Digest as _, Sha256};

// ---------------------------------------------------------------------------------------------
// The command line, run as a child through `cli_support`: checks on what it says, its files.

/// No panic, no backtrace, no raw "os error" of a broken pipe in what the CLI said.
fn assert_calm(err: &str) {
    for bad in [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "Broken pipe",
    ] {
        assert!(!err.contains(bad), "{bad:?} in stderr: {err}");
    }
}

/// Reads from `peer` until it closes or `PATIENCE` passes without data.
fn read_to_close(peer: &mut TcpStream) -> Vec<u8> {
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut got = Vec::new();
    peer.read_to_end(&mut got).unwrap();
    got
}

/// A fresh folder for one test's files.
fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("netassist-faults-io-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

// ---------------------------------------------------------------------------------------------
// 13. Invalid hex.
//
// `--send` with bad hex exits 2 before anything opens: pinned in
// `tests/integration/cli.rs::bad_values_exit_2_before_anything_is_sent`; the window's send box in
// `tests/ui/faults_io.rs`.

#[test]
fn fault_13_invalid_hex() {
    // The payload builder names the character, its column and the fix, and makes no bytes.
    let hex = PayloadOptions {
        mode: InputMode::Hex,
        ..PayloadOptions::default()
    };
    let err = build_payload("48 65 6G 6C", &hex).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid hex: 'G' at column 8 is not a hex digit — use 0-9 and A-F, separated by spaces if you like"
    );
    let err = build_payload("48 6", &hex).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid hex: the digit at column 4 has no partner — hex bytes are two digits each (write 0A, not A)"
    );

    // A stdin line of bad hex: the sentence names the line; nothing of it is sent, and the
    // lines after it go on as usual.
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut client = netassist(&["tcp-client", &addr, "--send-hex", "--eol", "none"]);
    let (mut peer, _) = listener.accept().unwrap();
    client.write_stdin(b"41 42\n48 6G\n43 4\n44 45\n");
    let line = client.stderr_line("stdin line 2");
    assert_eq!(
        line,
        "netassist: stdin line 2: invalid hex: 'G' at column 5 is not a hex digit — use 0-9 \
         and A-F, separated by spaces if you like — the line was not sent"
    );
    let line = client.stderr_line("stdin line 3");
    assert!(
        line.contains("the digit at column 4 has no partner"),
        "{line}"
    );
    // End of stdin closes our side; the server closes its side in answer.
    drop(client.stdin.take());
    let got = read_to_close(&mut peer);
    assert_eq!(got, b"ABDE", "only the good lines, whole");
    drop(peer);
    let (code, _, err) = client.finish();
    assert_eq!(code, 0, "a bad line is not a failure of the session: {err}");
    assert_calm(&err);
}

// ---------------------------------------------------------------------------------------------
// 14. A character the chosen encoding cannot encode.
//
// `--send` with one exits 2: `tests/integration/cli.rs::bad_values_exit_2_before_anything_is_sent`.

#[test]
fn fault_14_unencodable_character() {
    let gb2312 = PayloadOptions {
        encoding: TextEncoding::for_label("gb2312").unwrap(),
        ..PayloadOptions::default()
    };
    let err = build_payload("温度😀", &gb2312).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'😀' (U+1F600) at position 3 cannot be written in GB2312 — remove it or choose UTF-8 or GB18030"
    );
    // "latin1" and "ascii" are windows-1252, as in every browser: Chinese is not in it.
    let latin1 = PayloadOptions {
        encoding: TextEncoding::for_label("latin1").unwrap(),
        ..PayloadOptions::default()
    };
    let err = build_payload("T=中", &latin1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'中' (U+4E2D) at position 3 cannot be written in windows-1252 — remove it or choose UTF-8 or GB18030"
    );

    // On stdin: the line is named and not sent, not even the part before the character.
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut client = netassist(&["tcp-client", &addr, "-e", "gb2312"]);
    let (mut peer, _) = listener.accept().unwrap();
    client.write_stdin("温度 25\n温度😀\n湿度 40\n".as_bytes());
    let line = client.stderr_line("stdin line 2");
    assert_eq!(
        line,
        "netassist: stdin line 2: '😀' (U+1F600) at position 3 cannot be written in GB2312 — \
         remove it or choose UTF-8 or GB18030 — the line was not sent"
    );
    drop(client.stdin.take());
    let got = read_to_close(&mut peer);
    let expected = [
        TextEncoding::GB2312.encode("温度 25\n").unwrap(),
        TextEncoding::GB2312.encode("湿度 40\n").unwrap(),
    ]
    .concat();
    assert_eq!(
        got, expected,
        "the other lines, in GB2312, nothing of line 2"
    );
    drop(peer);
    let (code, _, err) = client.finish();
    assert_eq!(code, 0, "{err}");
    assert_calm(&err);
}

// ---------------------------------------------------------------------------------------------
// 15. A file that cannot be read.
//
// The tests run as root, for whom mode 000 still reads, so the permission trick proves
// nothing here. Used instead: a folder, a missing file, and /proc/self/mem, which opens and
// then fails its first read with EIO (offset 0 is never mapped) — a real read error in the
// middle of the send machinery.

/// A TCP client session to a plain listener; returns it and the accepted peer.
fn client_and_peer() -> (netassist::engine::SessionHandle, TcpStream) {
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let (client, _) = open(SessionConfig::tcp_client(
        listener.local_addr().unwrap().to_string(),
    ));
    let (peer, _) = listener.accept().unwrap();
    (client, peer)
}

fn next_error(session: &netassist::engine::SessionHandle) -> NetError {
    match next_matching(session, |e| matches!(e, Event::Error(_))) {
        Event::Error(err) => err,
        _ => unreachable!(),
    }
}

#[test]
fn fault_15_file_unreadable() {
    let dir = temp_dir("unreadable");
    let (client, mut peer) = client_and_peer();
    let send_file = |path: &Path| {
        client.send(Command::SendFile {
            path: path.to_owned(),
            to: Target::Default,
        });
    };

    send_file(&dir);
    let err = next_error(&client);
    assert_eq!(
        err.to_string(),
        format!(
            "cannot read {}: it is a folder, not a file — choose a file inside it",
            dir.display()
        )
    );

    let missing = dir.join("missing.bin");
    send_file(&missing);
    assert_eq!(
        next_error(&client).to_string(),
        format!(
            "cannot read {}: there is no such file — check the folder and the name",
            missing.display()
        )
    );

    let mem = PathBuf::from("/proc/self/mem");
    send_file(&mem);
    assert_eq!(
        next_error(&client).to_string(),
        "reading /proc/self/mem failed before any byte was sent: Input/output error (os error 5) \
         — nothing more of it was sent; check the file and send it again"
    );
    // Front ends check before they start, with the same sentences.
    assert!(matches!(
        netassist::engine::check_file_to_send(&dir),
        Err(NetError::FileIsFolder { .. })
    ));
    assert!(matches!(
        netassist::engine::check_file_to_send(&missing),
        Err(NetError::FileMissing { .. })
    ));

    // Nothing was sent, and the session goes on.
    client.send(Command::Send {
        payload: b"still here".as_slice().into(),
        to: Target::Default,
    });
    client.send(Command::Shutdown);
    assert_eq!(read_to_close(&mut peer), b"still here");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// 16. A file truncated or deleted while it is being sent.

/// A 64 MiB file sent to a peer that does not read yet: the send stalls a few MiB in (the
/// kernel's buffers and the engine's 256 KiB read-ahead), well before the middle.
const BIG: usize = 64 * 1024 * 1024;

/// Starts sending `path` to a peer that does not read, and waits until the send has stalled
/// (no progress for half a second); returns the bytes queued so far.
fn start_stalled_send(client: &netassist::engine::SessionHandle, path: &Path) -> u64 {
    client.send(Command::SendFile {
        path: path.to_owned(),
        to: Target::Default,
    });
    let deadline = Instant::now() + PATIENCE;
    let mut sent = 0;
    loop {
        assert!(Instant::now() < deadline, "the send never stalled");
        match client.events().recv_timeout(Duration::from_millis(500)) {
            Ok(Event::FileProgress {
                sent: now, total, ..
            }) => {
                assert_eq!(total, BIG as u64);
                sent = now;
            }
            Ok(Event::Error(err)) => panic!("{err}"),
            Err(_) if sent > 0 => return sent,
            Ok(_) | Err(_) => {}
        }
    }
}

/// Reads exactly `len` bytes from `peer` (on a thread, so the session is never blocked).
fn read_exactly(mut peer: TcpStream, len: usize) -> std::thread::JoinHandle<(Vec<u8>, TcpStream)> {
    std::thread::Builder::new()
        .name("test-reader".into())
        .spawn(move || {
            peer.set_read_timeout(Some(PATIENCE)).unwrap();
            let mut got = vec![0u8; len];
            peer.read_exact(&mut got).unwrap();
            (got, peer)
        })
        .unwrap()
}

#[test]
fn fault_16_file_truncated_while_sent() {
    let dir = temp_dir("truncated");
    let path = dir.join("growing.bin");
    let data = pattern(BIG, 16);
    std::fs::write(&path, &data).unwrap();
    let (client, peer) = client_and_peer();
    let stalled = start_stalled_send(&client, &path);
    let half = BIG / 2;
    assert!(
        stalled < half as u64,
        "stalled at {stalled}, past the middle"
    );

    // Another program cuts the file to half while we are in the middle of sending it.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(half as u64)
        .unwrap();
    let reader = read_exactly(peer, half);
    let err = next_error(&client);
    assert_eq!(
        err.to_string(),
        format!(
            "{} got shorter while it was being sent: {half} of {BIG} bytes were sent, the rest \
             no longer exists — send it again once it is complete",
            path.display()
        )
    );
    let (got, mut peer) = reader.join().unwrap();
    assert!(
        sha256(&got) == sha256(&data[..half]),
        "the peer got the file's first half, byte for byte"
    );
    // Nothing after it: no garbage, no zeros for the part that is gone.
    client.send(Command::Shutdown);
    assert!(read_to_close(&mut peer).is_empty(), "nothing past the cut");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fault_16_file_deleted_while_sent() {
    // On Linux a deleted file lives on while it is open: the send completes, every byte.
    let dir = temp_dir("deleted");
    let path = dir.join("gone.bin");
    let data = pattern(BIG, 17);
    std::fs::write(&path, &data).unwrap();
    let (client, peer) = client_and_peer();
    start_stalled_send(&client, &path);
    std::fs::remove_file(&path).unwrap();
    let reader = read_exactly(peer, BIG);
    loop {
        match next_matching(&client, |e| {
            matches!(e, Event::FileProgress { .. } | Event::Error(_))
        }) {
            Event::FileProgress { sent, total, .. } if sent == total => {
                assert_eq!(total, BIG as u64);
                break;
            }
            Event::Error(err) => panic!("{err}"),
            _ => {}
        }
    }
    let (got, _peer) = reader.join().unwrap();
    assert!(sha256(&got) == sha256(&data), "the whole file arrived");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// 17. A save path in a folder that does not exist.

#[test]
fn fault_17_save_folder_missing() {
    let dir = temp_dir("missing-folder");
    let folder = dir.join("no-such-folder");
    let path = folder.join("rx.bin");
    let sentence = format!(
        "cannot save to {}: the folder {} does not exist — create it or choose another folder",
        path.display(),
        folder.display()
    );

    // The engine opens, says so once, and goes on without saving.
    let mut config = SessionConfig::tcp_server(any_local_v4());
    config.save_to = Some(path.clone());
    let session = netassist::engine::Session::open(config, None).unwrap();
    assert_eq!(next_error(&session).to_string(), sentence);
    assert!(matches!(
        next_matching(&session, |e| matches!(e, Event::Opened { .. })),
        Event::Opened { .. }
    ));
    assert!(!folder.exists(), "no folder is made behind the user's back");

    // The command line refuses it as bad input: exit 2, before listening.
    let (code, out, err) = netassist(&[
        "tcp-server",
        "127.0.0.1:0",
        "--save",
        path.to_str().unwrap(),
    ])
    .finish();
    assert_eq!(code, 2, "{err}");
    assert_eq!(err, format!("netassist: {sentence}"));
    assert!(out.is_empty());
    assert!(!err.contains("listening"));

    // A folder given as the save file: the same, with the fix.
    let (code, _, err) =
        netassist(&["tcp-server", "127.0.0.1:0", "--save", dir.to_str().unwrap()]).finish();
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        format!(
            "netassist: cannot save to {}: it is a folder — add a file name to it, e.g. {}",
            dir.display(),
            dir.join("received.bin").display()
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// 18. Disk full on save. The engine side (reported while the session is idle) is
// `tests/integration/engine_tcp.rs::a_save_file_that_fails_is_reported_while_the_session_is_idle`.

#[cfg(target_os = "linux")]
#[test]
fn fault_18_disk_full_on_save() {
    let mut server = netassist(&[
        "tcp-server",
        "127.0.0.1:0",
        "--show",
        "none",
        "--save",
        "/dev/full",
    ]);
    let addr = server.listening();
    let data = pattern(1_000_000, 18);
    let mut client = TcpStream::connect(addr).unwrap();
    client.write_all(&data).unwrap();
    let line = server.stderr_line("/dev/full");
    assert_eq!(
        line,
        "netassist: cannot write /dev/full: No space left on device (os error 28) — received \
         data is no longer saved"
    );
    // The session goes on receiving (and counting) after the file failed.
    drop(client);
    server.stderr_line("left: closed by the peer");
    let mut again = TcpStream::connect(addr).unwrap();
    again.write_all(b"more").unwrap();
    drop(again);
    server.stderr_line("left: closed by the peer");
    server.terminate();
    let (code, _, err) = server.finish();
    assert!(
        err.contains(&format!("closed (received {} B, sent 0 B)", data.len() + 4)),
        "{err}"
    );
    assert!(
        err.ends_with(
            "netassist: not everything received was saved to /dev/full — exiting with code 1"
        ),
        "{err}"
    );
    assert_eq!(code, 1, "data was lost, so the exit code is not 0");
    assert_calm(&err);
}

// ---------------------------------------------------------------------------------------------
// 19. Stdout closed by its reader (`netassist … | head -c 10`).
//
// Decided: a reader that leaves is a normal end, as for `grep` or `rg`: the session closes,
// one line says why (with the counters), exit code 0. No "Broken pipe", no panic.

#[test]
fn fault_19_stdout_closed_by_reader() {
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut child = command(&["tcp-client", &addr]).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut client = Running::from_child(child);
    let (mut peer, _) = listener.accept().unwrap();
    // The server talks steadily; the reader takes 10 bytes and leaves, like `head -c 10`.
    let talker = std::thread::Builder::new()
        .name("test-talker".into())
        .spawn(move || {
            let line = b"temperature 25.0 C\n".repeat(100);
            let deadline = Instant::now() + PATIENCE;
            while Instant::now() < deadline {
                if peer.write_all(&line).is_err() {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            false
        })
        .unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"temperatur");
    drop(stdout);
    let line = client.stderr_line("stdout was closed");
    assert!(
        line.starts_with("netassist: stdout was closed by its reader — closed (received "),
        "{line}"
    );
    let (code, _, err) = client.finish();
    assert_eq!(code, 0, "{err}");
    assert_calm(&err);
    assert!(
        talker.join().unwrap(),
        "the server saw the connection close"
    );
}

// ---------------------------------------------------------------------------------------------
// 20. SIGTERM during a flood with --save.
//
// SIGTERM (and the first Ctrl-C) closes the session: the save file is flushed and closed,
// then the process exits 0 (1 if the file had failed; a second signal exits 130 at once).

/// The flood, in 64 KiB blocks each made from its index, so any prefix can be rebuilt.
fn flood_block(index: usize) -> Vec<u8> {
    pattern(64 * 1024, 1000 + index as u64)
}

#[test]
fn fault_20_sigterm_during_flood_with_save() {
    let dir = temp_dir("sigterm");
    let save = dir.join("flood.bin");
    let mut server = netassist(&[
        "tcp-server",
        "127.0.0.1:0",
        "--show",
        "none",
        "--save",
        save.to_str().unwrap(),
    ]);
    let addr = server.listening();
    let mut sender = TcpStream::connect(addr).unwrap();
    let flood = std::thread::Builder::new()
        .name("test-flood".into())
        .spawn(move || {
            // At most 4 GiB or PATIENCE: the server is stopped long before either.
            let deadline = Instant::now() + PATIENCE;
            let mut written = 0usize;
            for index in 0..65_536 {
                if Instant::now() > deadline {
                    return (written, false);
                }
                // Counted per write, so a block cut short by the close still counts exactly.
                let block = flood_block(index);
                let mut rest = &block[..];
                while !rest.is_empty() {
                    match sender.write(rest) {
                        Ok(n) if n > 0 => {
                            written += n;
                            rest = &rest[n..];
                        }
                        _ => return (written, true),
                    }
                }
            }
            (written, false)
        })
        .unwrap();
    // Mid-flood: once a few MiB are on disk.
    let deadline = Instant::now() + PATIENCE;
    while std::fs::metadata(&save).map_or(0, |m| m.len()) < 4 * 1024 * 1024 {
        assert!(
            Instant::now() < deadline,
            "the flood never reached the file"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    server.terminate();
    let (code, _, err) = server.finish();
    assert_eq!(code, 0, "{err}");
    assert_calm(&err);
    let (written, saw_close) = flood.join().unwrap();
    assert!(saw_close, "the sender sees the connection close");

    let saved = std::fs::read(&save).unwrap();
    let n = saved.len();
    assert!(n > 0 && n <= written, "{n} saved of {written} written");
    // What the server counted is what is in the file.
    assert!(
        err.contains(&format!("closed (received {n} B, sent 0 B)")),
        "{err}"
    );
    let mut sent = Sha256::new();
    let mut left = n;
    for index in 0.. {
        if left == 0 {
            break;
        }
        let block = flood_block(index);
        let take = left.min(block.len());
        sent.update(&block[..take]);
        left -= take;
    }
    assert!(
        sha256(&saved) == sent.finalize().to_vec(),
        "the file holds the first {n} bytes sent, exactly"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
