//! The client (or peer) list sets the send target: a click on a row sends to that one alone, a
//! second click (or "All clients") to all again; at its default width the list shows every
//! column uncut. Real loopback sockets.

use std::io::{ErrorKind, Read as _};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use crate::ui_support::{DEADLINE, harness, open, send_text, wait_for};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use netassist::app::session::ClientTarget;
use netassist::app::settings::Protocol;

/// Reads exactly `want` from `peer`, failing after the deadline.
fn read_exactly(peer: &mut TcpStream, want: &[u8]) {
    peer.set_read_timeout(Some(Duration::from_millis(100)))
        .expect("timeout set");
    let deadline = Instant::now() + DEADLINE;
    let mut got = Vec::new();
    let mut buf = [0u8; 64];
    while got.len() < want.len() {
        assert!(Instant::now() < deadline, "only {got:?} arrived");
        match peer.read(&mut buf) {
            Ok(0) => panic!("closed after {got:?}"),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("read failed: {e}"),
        }
    }
    assert_eq!(got, want);
}

/// Asserts nothing arrives on `peer` within 300 ms.
fn nothing_for(peer: &mut TcpStream) {
    peer.set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout set");
    let mut buf = [0u8; 64];
    match peer.read(&mut buf) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("this client got something: {other:?}"),
    }
}

#[test]
fn clicking_a_client_row_sends_to_it_alone_and_again_to_all() {
    let mut h = harness(Protocol::TcpServer);
    let server = open(&mut h);
    let mut a = TcpStream::connect(server).expect("client a");
    wait_for(&mut h, "client a", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    let mut b = TcpStream::connect(server).expect("client b");
    wait_for(&mut h, "client b", |h| {
        h.state().sessions[0].clients.len() == 2
    });
    let a_addr = a.local_addr().expect("a's address").to_string();

    h.get_by_label(&a_addr).click();
    h.step();
    h.step();
    assert_eq!(
        h.state().sessions[0].target,
        ClientTarget::One(a.local_addr().expect("a's address")),
        "the row is the target"
    );
    // The "Send to" box shows the address as its selected text.
    let send_to = h.get_by_label("Send to").accesskit_node();
    assert_eq!(
        send_to.value().as_deref(),
        Some(&*a_addr),
        "the Send to box"
    );
    send_text(&mut h, "only-a");
    read_exactly(&mut a, b"only-a");
    nothing_for(&mut b);

    h.get_by_label(&a_addr).click();
    h.step();
    h.step();
    assert_eq!(h.state().sessions[0].target, ClientTarget::All);
    send_text(&mut h, "all");
    read_exactly(&mut a, b"all");
    read_exactly(&mut b, b"all");
}

#[test]
fn clicking_a_udp_peer_row_sends_to_that_peer() {
    let mut h = harness(Protocol::Udp);
    let local: SocketAddr = open(&mut h);
    let a = UdpSocket::bind("127.0.0.1:0").expect("peer a");
    let b = UdpSocket::bind("127.0.0.1:0").expect("peer b");
    a.send_to(b"from a", local).expect("a sends");
    wait_for(&mut h, "peer a", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    b.send_to(b"from b", local).expect("b sends");
    wait_for(&mut h, "peer b", |h| {
        h.state().sessions[0].clients.len() == 2
    });
    assert!(
        crate::ui_support::shows(&h, "First heard"),
        "a peer is first heard, not connected"
    );

    // Replies go to the last sender (b) by default; a click on a's row sends to a.
    let a_addr = a.local_addr().expect("a's address");
    h.get_by_label(&a_addr.to_string()).click();
    h.step();
    h.step();
    send_text(&mut h, "to-a");
    a.set_read_timeout(Some(DEADLINE)).expect("timeout set");
    let mut buf = [0u8; 64];
    let (n, from) = a.recv_from(&mut buf).expect("a receives");
    assert_eq!((&buf[..n], from), (&b"to-a"[..], local));
    b.set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout set");
    assert!(b.recv_from(&mut buf).is_err(), "b got nothing");
}

#[test]
fn an_empty_peer_list_says_no_peer_heard_yet() {
    let mut h = harness(Protocol::Udp);
    open(&mut h);
    h.step();
    assert!(crate::ui_support::shows(&h, "No peer heard yet."));
    assert!(!crate::ui_support::shows(&h, "No client connected."));
}

#[test]
fn the_list_shows_every_column_uncut_at_its_default_width() {
    let mut h = harness(Protocol::TcpServer);
    let server = open(&mut h);
    let peer = TcpStream::connect(server).expect("client");
    wait_for(&mut h, "the client", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    h.step();
    let addr = peer.local_addr().expect("address").to_string();
    columns_uncut(&h, &addr, &["Address", "Since", "Last heard", "RX", "TX"]);
}

#[test]
fn the_peer_list_shows_every_column_uncut_at_its_default_width() {
    let mut h = harness(Protocol::Udp);
    let local = open(&mut h);
    let peer = UdpSocket::bind("127.0.0.1:0").expect("peer");
    peer.send_to(b"hi", local).expect("send");
    wait_for(&mut h, "the peer", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    h.step();
    let addr = peer.local_addr().expect("address").to_string();
    columns_uncut(
        &h,
        &addr,
        &["Address", "First heard", "Last heard", "RX", "TX"],
    );
}

/// The list's headers and the row's address lie inside the list panel.
fn columns_uncut(
    h: &egui_kittest::Harness<'_, netassist::app::NetAssistApp>,
    addr: &str,
    headers: &[&str],
) {
    let list = h.state().layout.clients.expect("the list is shown");
    let row = h.get_by_label(addr).rect();
    for &header in headers {
        // A header is a label (in Chinese, "发送" is also the Send button's word).
        let rect = h
            .get_by_role_and_label(eframe::egui::accesskit::Role::Label, header)
            .rect();
        assert!(
            list.contains_rect(rect),
            "the column {header} {rect:?} is cut by the list {list:?}"
        );
    }
    assert!(
        list.contains_rect(row),
        "the address {row:?} is cut by {list:?}"
    );
}

#[test]
fn the_list_stays_uncut_in_chinese_with_megabytes_counted() {
    use std::io::Write as _;
    let mut h = harness(Protocol::TcpServer);
    h.state_mut().lang = netassist::app::i18n::Lang::Zh;
    h.step();
    let server = netassist_local(&mut h);
    let mut peer = TcpStream::connect(server).expect("client");
    wait_for(&mut h, "the client", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    peer.write_all(&vec![b'a'; 1_500_000]).expect("write");
    wait_for(&mut h, "1.5 MB counted", |h| {
        h.state().sessions[0].clients[0].rx_bytes == 1_500_000
    });
    h.state_mut().sessions[0].send_input(&"x".repeat(1_200_000));
    let mut got = 0usize;
    let mut buf = vec![0u8; 65_536];
    peer.set_read_timeout(Some(Duration::from_millis(10)))
        .expect("timeout");
    let deadline = Instant::now() + DEADLINE;
    while got < 1_200_000 {
        assert!(Instant::now() < deadline, "the reply arrives");
        h.step();
        if let Ok(n) = peer.read(&mut buf) {
            got += n;
        }
    }
    wait_for(&mut h, "1.2 MB counted", |h| {
        h.state().sessions[0].clients[0].tx_bytes == 1_200_000
    });
    h.step();
    let addr = peer.local_addr().expect("address").to_string();
    let zh = netassist::app::i18n::Lang::Zh;
    let (t, s) = (zh.t(), zh.s());
    columns_uncut(&h, &addr, &[t.address, t.since, s.last_heard, t.rx, t.tx]);
    let list = h.state().layout.clients.expect("the list is shown");
    for count in ["1.4M", "1.1M"] {
        let rect = h.get_by_label(count).rect();
        assert!(
            list.contains_rect(rect),
            "the count {count} {rect:?} is cut by the list {list:?}"
        );
    }
}

/// Opens the session (its Open button in Chinese) and returns its address.
fn netassist_local(
    h: &mut egui_kittest::Harness<'static, netassist::app::NetAssistApp>,
) -> SocketAddr {
    h.get_by_label(netassist::app::i18n::Lang::Zh.t().open)
        .click();
    let mut local = None;
    wait_for(h, "the session to open", |h| {
        local = h.state().sessions[0].local_addr();
        local.is_some()
    });
    local.expect("checked above")
}
