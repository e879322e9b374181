//! `--recv-framing gap:MS` on the command line: Modbus-RTU-like frames that arrive in pieces
//! come out one per line, cut where the peer paused; the end of the stream ends the last one.

use std::net::TcpListener;
use std::time::Duration;

use crate::cli_support::{netassist, write_in_pieces};

#[test]
fn a_silence_ends_each_frame_and_pieces_within_it_join() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut client = netassist(&[
        "tcp-client",
        &addr,
        "--recv-framing",
        "gap:300",
        "--show",
        "hex",
    ]);
    let (mut server, _) = listener.accept().unwrap();
    // A read-holding-registers request and its answer, each in pieces, a pause between.
    let request = [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD];
    let answer = [0x01, 0x03, 0x04, 0x00, 0x2A, 0x01, 0xF4, 0xBB, 0x8E];
    write_in_pieces(&mut server, &request, 3);
    let first = "01 03 00 00 00 0A C5 CD\n";
    // The line comes only once the silence is seen: no end of line arrived from the peer.
    assert_eq!(client.stdout_at_least(first.len()), first.as_bytes());
    std::thread::sleep(Duration::from_millis(400));
    write_in_pieces(&mut server, &answer, 3);
    // The peer leaves right after its last piece: the end of the stream ends the frame.
    drop(server);
    let (code, out, err) = client.finish();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{first}01 03 04 00 2A 01 F4 BB 8E\n")
    );
    assert!(!err.contains("incomplete"), "{err}");
}

#[test]
fn a_bad_silence_is_refused_with_the_fix() {
    let (code, _, err) =
        netassist(&["tcp-client", "127.0.0.1:9", "--recv-framing", "gap:0"]).finish();
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("gap:0") && err.contains("milliseconds"),
        "{err}"
    );
}
