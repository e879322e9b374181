//! The log as a new user meets it in the window: a UDP datagram is a line of its own, a sent
//! file is one note (not its bytes as text), notes follow the language, long rows wrap inside
//! the view, a single match reads "1 match" and the placeholder of the search is translated.

use std::io::Read as _;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

use crate::ui_support::{harness, open, server_with_client, shows, wait_for};
use eframe::egui;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use netassist::app::i18n::Lang;
use netassist::app::settings::Protocol;
use netassist::log::Direction;

/// The text a node shows (a label keeps it as its value).
fn text_of(node: &egui_kittest::Node<'_>) -> Option<String> {
    let node = node.accesskit_node();
    if node.role() == egui::accesskit::Role::Label {
        node.value()
    } else {
        node.label()
    }
}

/// The texts of the log's notes, in order.
fn notes(h: &egui_kittest::Harness<'_, netassist::app::NetAssistApp>) -> Vec<String> {
    h.state().sessions[0]
        .log
        .iter()
        .filter(|(r, _)| r.direction == Direction::Info)
        .map(|(_, text)| text.to_owned())
        .collect()
}

#[test]
fn udp_datagrams_are_lines_of_their_own_in_the_stream_view() {
    let mut h = harness(Protocol::Udp);
    assert!(
        !h.state().sessions[0].settings.receive.log_mode,
        "stream view"
    );
    let local = open(&mut h);
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    for _ in 0..2 {
        peer.send_to(b"#ping#", local).unwrap();
    }
    wait_for(&mut h, "both datagrams", |h| {
        h.state().sessions[0].counters.rx_packets == 2
    });
    h.step();
    let rows: Vec<String> = h
        .query_all_by_label_contains("#ping#")
        .filter_map(|node| text_of(&node))
        .collect();
    assert_eq!(rows.len(), 2, "one row per datagram: {rows:?}");
    assert!(
        rows.iter().all(|row| row.ends_with(" #ping#")
            && row.starts_with(&format!("← {}", peer.local_addr().unwrap()))),
        "each datagram with its own header: {rows:?}"
    );

    // One match says so in the singular.
    h.get_by_label("Search log").focus();
    h.step();
    h.get_by_label("Search log").type_text("ping#");
    h.step();
    h.step();
    assert!(shows(&h, "2 matches"));
    peer.send_to(b"pong", local).unwrap();
    wait_for(&mut h, "the pong", |h| {
        h.state().sessions[0].counters.rx_packets == 3
    });
    h.state_mut().sessions[0].log_view.search.query.pattern = "pong".to_owned();
    h.step();
    h.step();
    assert!(shows(&h, "1 match"), "singular for one");
    assert!(!shows(&h, "1 matches"));
}

#[test]
fn a_sent_file_is_one_note_with_its_name_and_size_not_its_bytes() {
    let (mut h, mut peer) = server_with_client();
    let size = 300_000usize;
    let content: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
    let name = format!("netassist-lesson-{}.bin", std::process::id());
    let path = std::env::temp_dir().join(&name);
    std::fs::write(&path, &content).unwrap();
    h.state_mut().sessions[0].send_file(path.to_str().unwrap());
    peer.set_read_timeout(Some(Duration::from_millis(5)))
        .unwrap();
    let mut got = Vec::with_capacity(size);
    let mut buf = vec![0u8; 65_536];
    let deadline = Instant::now() + Duration::from_secs(10);
    while got.len() < size {
        assert!(Instant::now() < deadline, "the file arrives");
        h.step();
        if let Ok(n) = peer.read(&mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
    }
    std::fs::remove_file(&path).unwrap();
    assert_eq!(got, content, "the peer gets the whole file");
    wait_for(&mut h, "the last chunk counted", |h| {
        h.state().sessions[0].counters.tx_bytes == size as u64
    });
    wait_for(&mut h, "the note to say the file is sent", |h| {
        notes(h).iter().any(|n| n.starts_with("sent file"))
    });
    let view = &h.state().sessions[0];
    assert!(
        view.log.iter().all(|(r, _)| r.direction != Direction::Tx),
        "no file bytes in the log"
    );
    let file_notes: Vec<String> = notes(&h)
        .into_iter()
        .filter(|n| n.contains(&name))
        .collect();
    assert_eq!(
        file_notes,
        [format!("sent file {name} ({size} bytes, 100 %)")],
        "one line about the file"
    );
    // The note may wrap beside the side panels (anywhere: the log wraps by character, every
    // character kept); its rows, read in order and joined, say the name, size and progress.
    let shown: String = h
        .query_all_by_label_contains("")
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.value().or_else(|| node.label())
        })
        .map(|row| row.trim_start().to_owned())
        .collect();
    assert!(
        shown.contains(&format!("sent file {name} ({size} bytes, 100 %)")),
        "the note is in the view with its size and progress: {shown:?}"
    );
}

#[test]
fn notes_are_reworded_when_the_language_changes() {
    let mut h = harness(Protocol::Udp);
    let local = open(&mut h);
    wait_for(&mut h, "the bound note", |h| {
        shows(h, &format!("UDP bound to {local}"))
    });
    h.state_mut().lang = Lang::Zh;
    h.step();
    h.step();
    assert!(
        shows(&h, &format!("UDP 已绑定 {local}")),
        "the old note in Chinese: {:?}",
        notes(&h)
    );
    assert!(!shows(&h, "UDP bound to"));
    h.state_mut().lang = Lang::En;
    h.step();
    h.step();
    assert!(shows(&h, &format!("UDP bound to {local}")), "and back");
}

#[test]
fn long_rows_wrap_inside_the_view_at_projector_zoom() {
    // A TCP client has no panel right of the log: a row running past the log's edge runs
    // past the window's.
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut h = harness(Protocol::TcpClient);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        settings.remote_host = "127.0.0.1".to_owned();
        settings.remote_port = server.local_addr().unwrap().port().to_string();
        settings.receive.log_mode = true;
    }
    h.step();
    h.get_by_label("Open").click();
    wait_for(&mut h, "the connection", |h| {
        h.state().sessions[0].local_addr().is_some() || h.state().sessions[0].open_error.is_some()
    });
    assert_eq!(h.state().sessions[0].open_error, None);
    let (mut peer, _) = server.accept().unwrap();
    h.ctx.set_zoom_factor(2.0);
    let note_tail = "x".repeat(10);
    let text = format!(
        "This is the byte stream that must wrap {} 中文也要换行而不丢字 and end here{note_tail}\n",
        "word ".repeat(12)
    );
    std::io::Write::write_all(&mut peer, text.as_bytes()).unwrap();
    wait_for(&mut h, "the line", |h| {
        h.state().sessions[0].counters.rx_bytes == text.len() as u64
    });
    // The server closes: a long note ("disconnected: …") after its header, at the end.
    drop(peer);
    wait_for(&mut h, "the disconnect note", |h| {
        notes(h).iter().any(|n| n.starts_with("disconnected"))
    });
    h.step();
    h.step();
    let note = notes(&h).pop().unwrap_or_default();
    let screen = h.ctx.content_rect();
    let mut rows = 0;
    let mut joined = String::new();
    let mut note_rows = 0;
    for row in h.query_all_by_label_contains("") {
        let Some(label) = text_of(&row) else {
            continue;
        };
        let rect = row.rect();
        if label.trim().is_empty() || rect.width() <= 0.0 {
            continue;
        }
        if text.contains(label.as_str()) && label.len() > 3 {
            rows += 1;
            joined.push_str(&label);
        }
        let note_row = label.contains("disconnected")
            || (label.starts_with(' ') && note.contains(label.trim_start()));
        note_rows += usize::from(note_row);
        let log_row = note_row || label.starts_with('[') || text.contains(label.as_str());
        if !log_row {
            // Other panels are not the log's.
            continue;
        }
        // A header alone on its row ("[time] • peer", no data) may be cut at a narrow view;
        // every row with data fits in the window.
        let header_only = label.starts_with('[') && label.trim_end().split(' ').count() <= 3;
        assert!(
            header_only || rect.max.x <= screen.max.x,
            "row {label:?} ends at {} beyond the window's {}",
            rect.max.x,
            screen.max.x
        );
    }
    assert!(note_rows >= 2, "the note wraps: {note_rows} rows");
    assert!(rows >= 2, "the line wraps into several rows: {rows}");
    // The data rows on screen put together are the end of the line: nothing is lost between
    // rows.
    assert!(
        joined.len() > 20 && text.trim_end().ends_with(&joined),
        "every character is in the rows: {joined:?}"
    );
}
