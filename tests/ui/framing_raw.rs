//! A wrong framing must not hide the data: the lesson's little-endian JSON-header answers read
//! big endian give one note naming the fix, then the bytes as they came.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::Write as _;
use std::net::TcpStream;
use std::time::Duration;

use crate::ui_support::{received_bytes, received_texts, server_with_client, shows, wait_for};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::log::Direction;

/// `struct.pack("i", len(header))` on a PC, the JSON header, the body.
fn lesson_answer(body: &[u8]) -> Vec<u8> {
    let header = format!("{{\"data_size\": {}}}", body.len());
    let mut bytes = u32::try_from(header.len()).unwrap().to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(body);
    bytes
}

fn write_read(h: &mut Harness<'_, NetAssistApp>, peer: &mut TcpStream, bytes: &[u8]) {
    let before = h.state().sessions[0].counters.rx_bytes;
    peer.write_all(bytes).unwrap();
    wait_for(h, "the read", |h| {
        h.state().sessions[0].counters.rx_bytes == before + bytes.len() as u64
    });
    std::thread::sleep(Duration::from_millis(20));
    h.step();
}

fn notes(h: &Harness<'_, NetAssistApp>, needle: &str) -> usize {
    h.state().sessions[0]
        .log
        .iter()
        .filter(|(r, text)| r.direction == Direction::Info && text.contains(needle))
        .count()
}

#[test]
fn json_header_defaults_to_little_endian_and_a_wrong_order_shows_the_bytes_raw() {
    let (mut h, mut peer) = server_with_client();
    h.get_by_label("Framing view").click();
    h.step();
    h.step();
    h.get_by_label("JSON header").click();
    h.step();
    h.step();
    assert_eq!(
        h.state().sessions[0].settings.receive.framing,
        "json-header:le",
        "the lesson's byte order by default"
    );
    h.get_by_label("Little endian").hover();
    // egui shows a tooltip after the pointer rests for half a second (60 steps = 1 s).
    for _ in 0..60 {
        h.step();
    }
    assert!(
        shows(
            &h,
            "Default little endian: what the lesson's struct.pack(\"i\""
        ),
        "the tooltip says why"
    );

    let first = lesson_answer(b"hello");
    write_read(&mut h, &mut peer, &first);
    assert_eq!(received_texts(&h, 0), ["hello"]);

    // Big endian: the same read is laid out again; one note with the fix, the bytes raw.
    h.get_by_label("Big endian").click();
    h.step();
    h.step();
    assert_eq!(
        h.state().sessions[0].settings.receive.framing,
        "json-header:be"
    );
    let fix = format!(
        "read as little endian the prefix would be {} — switch byte order? (json-header:le)",
        first.len() - 4 - 5
    );
    assert_eq!(notes(&h, &fix), 1, "one note naming the fix");
    assert_eq!(
        received_bytes(&h, 0),
        std::slice::from_ref(&first),
        "the bytes are not hidden"
    );
    assert!(shows(&h, "switch byte order?"));

    // Later reads of the connection: raw, no second note.
    let second = lesson_answer(b"world");
    write_read(&mut h, &mut peer, &second);
    assert_eq!(received_bytes(&h, 0), [first.clone(), second.clone()]);
    assert_eq!(notes(&h, "cannot cut messages"), 1);

    // Back to little endian: both answers whole again.
    h.get_by_label("Little endian").click();
    h.step();
    h.step();
    assert_eq!(received_texts(&h, 0), ["hello", "world"]);
    assert_eq!(notes(&h, "cannot cut messages"), 0);
}
