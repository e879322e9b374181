//! The framing view over real TCP reads: a message split across reads shows whole, two glued
//! sends show as two, per read shows where each recv ended; every mode of the codec.

use std::io::Write as _;
use std::net::TcpStream;
use std::time::Duration;

use crate::ui_support::{received_texts, server_with_client, shows, wait_for};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;

/// Writes each chunk as its own read of the server: waits until the window counted it.
fn write_reads(h: &mut Harness<'_, NetAssistApp>, peer: &mut TcpStream, chunks: &[&[u8]]) {
    for chunk in chunks {
        let before = h.state().sessions[0].counters.rx_bytes;
        peer.write_all(chunk).expect("the write");
        peer.flush().expect("the flush");
        wait_for(h, "the chunk to be read", |h| {
            h.state().sessions[0].counters.rx_bytes == before + chunk.len() as u64
        });
        // Leave time so the next write cannot join this read.
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn choose_framing(h: &mut Harness<'_, NetAssistApp>, entry: &str) {
    h.get_by_label("Framing view").click();
    h.step();
    h.step();
    h.get_by_label(entry).click();
    h.step();
    h.step();
}

#[test]
fn lines_split_and_glued_show_whole_and_apart_and_per_read_shows_the_reads() {
    let (mut h, mut peer) = server_with_client();
    choose_framing(&mut h, "Lines (\\n)");
    assert_eq!(h.state().sessions[0].settings.receive.framing, "line");
    assert!(
        h.state().sessions[0].settings.receive.log_mode,
        "one header per message"
    );

    // "hello" split over two reads, then "world" and "again" glued in one read.
    write_reads(&mut h, &mut peer, &[b"hel", b"lo\n", b"world\nagain\n"]);
    h.step();
    assert_eq!(received_texts(&h, 0), ["hello", "world", "again"]);
    assert!(shows(&h, "hello"));
    assert!(shows(&h, "world") && shows(&h, "again"));
    assert!(
        !shows(&h, "worldagain") && !shows(&h, "world\nagain"),
        "the glued messages are on separate lines"
    );

    // The same bytes per read: exactly where each recv ended.
    choose_framing(&mut h, "Per read (each recv)");
    assert_eq!(received_texts(&h, 0), ["hel", "lo\n", "world\nagain\n"]);
    assert_eq!(h.state().sessions[0].counters.rx_packets, 3);

    // Back to the stream as it flows.
    choose_framing(&mut h, "Stream (as it flows)");
    assert_eq!(h.state().sessions[0].settings.receive.framing, "");
}

#[test]
fn length_prefix_split_and_glued_show_whole_and_apart() {
    let (mut h, mut peer) = server_with_client();
    choose_framing(&mut h, "Length prefix");
    assert_eq!(h.state().sessions[0].settings.receive.framing, "len:4:be");

    // A 4-byte big-endian prefix: one message over three reads (split inside the prefix too),
    // then two glued in one read.
    let mut glued = vec![0, 0, 0, 2];
    glued.extend_from_slice(b"ab");
    glued.extend_from_slice(&[0, 0, 0, 3]);
    glued.extend_from_slice(b"xyz");
    write_reads(
        &mut h,
        &mut peer,
        &[&[0, 0], &[0, 12, b'h', b'e', b'l'], b"lo framed", &glued],
    );
    h.step();
    assert_eq!(received_texts(&h, 0), ["hello framed", "ab", "xyz"]);
    assert!(shows(&h, "hello framed"));

    // Little endian with the length counting the prefix: relaid from the same reads, the
    // lengths now make no sense and the view says so instead of showing garbage as messages.
    h.get_by_label("Little endian").click();
    h.step();
    assert_eq!(h.state().sessions[0].settings.receive.framing, "len:4:le");
    assert!(
        received_texts(&h, 0).iter().all(|t| t != "hello framed"),
        "relaid out with the new byte order"
    );
    h.get_by_label("Big endian").click();
    h.step();
    assert_eq!(received_texts(&h, 0), ["hello framed", "ab", "xyz"]);
}

/// Every mode of the codec, set as a spec, with a message split across reads and two glued.
#[test]
fn every_framing_mode_reassembles_split_and_glued_messages() {
    let (mut h, mut peer) = server_with_client();
    let cases: Vec<(&str, Vec<Vec<u8>>)> = vec![
        (
            "crlf",
            vec![b"on".to_vec(), b"e\r\ntwo\r\nthree\r\n".to_vec()],
        ),
        ("delim:7E", vec![b"on".to_vec(), b"e~two~three~".to_vec()]),
        ("fixed:5", vec![b"on".to_vec(), b"e..two..three".to_vec()]),
        (
            "len:2:le:incl",
            vec![
                vec![5, 0, b'o'],
                [b"ne".as_slice(), &[5, 0], b"two", &[7, 0], b"three"].concat(),
            ],
        ),
        (
            "len:1",
            vec![
                vec![3, b'o'],
                [b"ne".as_slice(), &[3], b"two", &[5], b"three"].concat(),
            ],
        ),
        (
            "len:8:be",
            vec![
                vec![0, 0, 0, 0, 0],
                [
                    [0, 0, 3].as_slice(),
                    b"one",
                    &[0, 0, 0, 0, 0, 0, 0, 3],
                    b"two",
                    &[0, 0, 0, 0, 0, 0, 0, 5],
                    b"three",
                ]
                .concat(),
            ],
        ),
    ];
    for (spec, reads) in cases {
        h.state_mut().sessions[0].clear_log();
        h.state_mut().sessions[0].settings.receive.framing = spec.to_owned();
        h.step();
        let chunks: Vec<&[u8]> = reads.iter().map(Vec::as_slice).collect();
        write_reads(&mut h, &mut peer, &chunks);
        h.step();
        let texts: Vec<String> = received_texts(&h, 0)
            .into_iter()
            .map(|t| t.trim_end_matches('.').to_owned())
            .collect();
        assert_eq!(texts, ["one", "two", "three"], "framing {spec}");
    }

    // JSON header: the header shows as a note, the body as the message.
    h.state_mut().sessions[0].clear_log();
    h.state_mut().sessions[0].settings.receive.framing = "json-header:be".to_owned();
    h.step();
    let header = br#"{"data_size": 5}"#;
    let mut message = (header.len() as u32).to_be_bytes().to_vec();
    message.extend_from_slice(header);
    message.extend_from_slice(b"hello");
    let (first, rest) = message.split_at(7);
    write_reads(&mut h, &mut peer, &[first, rest]);
    h.step();
    assert_eq!(received_texts(&h, 0), ["hello"]);
    assert!(
        h.state().sessions[0]
            .log
            .iter()
            .any(|(_, text)| text.contains("data_size")),
        "the JSON header is shown"
    );
}
