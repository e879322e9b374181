//! `serial` on the command line over a pseudo-terminal pair: hex with CRC-16/MODBUS out,
//! text in, the end of stdin closing the session; the bridge; `--list`; bad settings; the
//! port going away.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use netassist::engine::{Command, SerialOptions, SessionConfig, Target};

use crate::cli_support::{command, netassist};
use crate::serial_support::PtyPair;
use crate::util::{PATIENCE, open, receive_exactly};

#[test]
fn hex_with_a_modbus_crc_goes_out_and_text_comes_back() {
    let pair = PtyPair::new();
    let (device, _) = open(SessionConfig::serial(&pair.b, SerialOptions::default()));
    let mut cli = netassist(&[
        "serial",
        &pair.a,
        "--baud",
        "115200",
        "--parity",
        "even",
        "--send-hex",
        "--checksum",
        "crc16-modbus",
    ]);
    let opened = cli.stderr_line("opened ");
    assert!(
        opened.contains(&format!("opened {} at 115200 8E1", pair.a)),
        "{opened}"
    );
    // Read holding register 0, one register, of unit 1: CRC-16/MODBUS 84 0A.
    cli.write_stdin(b"01 03 00 00 00 01\n");
    assert_eq!(
        receive_exactly(&device, 8),
        [0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A]
    );
    device.send(Command::Send {
        payload: b"reply\n".as_slice().into(),
        to: Target::Default,
    });
    assert_eq!(cli.stdout_at_least(6), b"reply\n");
    // The end of stdin closes the session once everything is written.
    let (code, _, err) = cli.finish();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("received 6 B, sent 8 B"), "{err}");
}

#[test]
fn a_bridge_on_the_command_line_forwards_both_ways() {
    let pair = PtyPair::new();
    let (device, _) = open(SessionConfig::serial(&pair.b, SerialOptions::default()));
    let mut cli = netassist(&["serial", &pair.a, "--bridge-listen", "0", "--show", "log"]);
    let line = cli.stderr_line("bridge: listening on ");
    let addr = line.rsplit(' ').next().unwrap().parse().unwrap();
    let mut tcp = TcpStream::connect::<std::net::SocketAddr>(addr).unwrap();
    cli.stderr_line(" connected");
    tcp.write_all(b"AT\r\n").unwrap();
    assert_eq!(receive_exactly(&device, 4), b"AT\r\n");
    device.send(Command::Send {
        payload: b"OK\r\n".as_slice().into(),
        to: Target::Default,
    });
    tcp.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut got = [0u8; 4];
    tcp.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"OK\r\n");
    // The log names each side: the port by its name, the TCP client by its address.
    let (code, out, err) = cli.finish();
    assert_eq!(code, 0, "{err}");
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains(&format!("<- {}", pair.a)), "{out}");
    assert!(out.contains("<- 127.0.0.1:"), "{out}");
}

#[test]
fn bad_settings_are_refused_before_anything_opens() {
    let output = command(&["serial", "/dev/ttyS0", "--data-bits", "9"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("9 data bits cannot be — give 5, 6, 7 or 8"),
        "{err}"
    );
    let output = command(&["serial", "/dev/ttyS0", "--baud", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("baud rate 0 is out of range"), "{err}");
    // `--list` lists (maybe nothing on a machine without ports) and exits 0.
    let output = command(&["serial", "--list"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn unplugging_exits_1_with_the_sentence() {
    let mut pair = PtyPair::new();
    let mut cli = netassist(&["serial", &pair.a]);
    cli.stderr_line("opened ");
    pair.unplug();
    let line = cli.stderr_line(" left: ");
    assert!(line.contains("was closed while open"), "{line}");
    let (code, _, _) = cli.finish();
    assert_eq!(code, 1);
}

/// Modbus RTU frames, each written in two pieces back to back, with a long silence between
/// frames: the gap framing (`gap:MS`) shows one message per frame.
#[test]
fn gap_framing_cuts_modbus_frames_from_a_serial_port() {
    let pair = PtyPair::new();
    let (device, _) = open(SessionConfig::serial(&pair.b, SerialOptions::default()));
    let mut cli = netassist(&[
        "serial",
        &pair.a,
        "--recv-framing",
        "gap:300",
        "--show",
        "hex",
    ]);
    cli.stderr_line("opened ");
    let frames: [&[u8]; 3] = [
        // Read one holding register of unit 1; its answer (42); an exception (illegal address).
        &[0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A],
        &[0x01, 0x03, 0x02, 0x00, 0x2A, 0x38, 0x5B],
        &[0x01, 0x83, 0x02, 0xC0, 0xF1],
    ];
    for frame in frames {
        let (head, tail) = frame.split_at(3);
        for piece in [head, tail] {
            device.send(Command::Send {
                payload: piece.into(),
                to: Target::Default,
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(900));
    }
    let lines = cli.stdout_lines(3);
    assert_eq!(
        lines,
        [
            "01 03 00 00 00 01 84 0A",
            "01 03 02 00 2A 38 5B",
            "01 83 02 C0 F1"
        ]
    );
    let (code, _, err) = cli.finish();
    assert_eq!(code, 0, "{err}");
}

/// A Modbus slave in one line: an auto-reply answers the request, echo is off, and every
/// received byte is saved.
#[test]
fn an_auto_reply_answers_a_modbus_request_and_the_request_is_saved() {
    let pair = PtyPair::new();
    let dir = std::env::temp_dir().join(format!("netassist-serial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let save = dir.join("received.bin");
    let _ = std::fs::remove_file(&save);
    let mut cli = netassist(&[
        "serial",
        &pair.a,
        "--auto-reply",
        "hex:01 03 00 00 00 01 84 0A=>reply-hex:01 03 02 00 2A 38 5B",
        "--save",
        save.to_str().unwrap(),
        "--show",
        "hex",
    ]);
    cli.stderr_line("opened ");
    let (device, _) = open(SessionConfig::serial(&pair.b, SerialOptions::default()));
    let request = [0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A];
    device.send(Command::Send {
        payload: request.as_slice().into(),
        to: Target::Default,
    });
    assert_eq!(
        receive_exactly(&device, 7),
        [0x01, 0x03, 0x02, 0x00, 0x2A, 0x38, 0x5B]
    );
    let (code, out, err) = cli.finish();
    assert_eq!(code, 0, "{err}");
    assert_eq!(String::from_utf8_lossy(&out), "01 03 00 00 00 01 84 0A\n");
    assert_eq!(std::fs::read(&save).unwrap(), request);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A port this user may not open: the sentence names the `dialout` group and the command that
/// fixes it. As root (CI) the run drops to `nobody` with setpriv (util-linux), as root opens
/// any device; otherwise the pty is made unreadable.
#[cfg(unix)]
#[test]
fn permission_denied_names_the_dialout_group_and_the_fix() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};

    let pair = PtyPair::new();
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    let output = if root {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .args([crate::cli_support::BIN, "serial", &pair.a])
            .output()
            .expect("setpriv (util-linux) runs netassist as nobody")
    } else {
        std::fs::set_permissions(&pair.a, std::fs::Permissions::from_mode(0o000)).unwrap();
        command(&["serial", &pair.a]).output().unwrap()
    };
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(&format!("permission denied for the serial port {}", pair.a)),
        "{err}"
    );
    assert!(err.contains("sudo usermod -aG dialout $USER"), "{err}");
}
