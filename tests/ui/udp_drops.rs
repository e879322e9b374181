//! The window counts the datagrams the system dropped beside its own drops: status bar, a log
//! note when they start, and RX datagrams + drops = sent. Real loopback sockets.

use std::net::UdpSocket;

use crate::ui_support::{harness, open, shows, wait_for};
use netassist::app::settings::Protocol;

#[test]
fn a_flood_while_the_window_is_busy_shows_the_systems_drops_and_accounts_for_every_datagram() {
    let mut h = harness(Protocol::Udp);
    // A 1 MiB receive buffer (Linux keeps at most 2 MiB for it), not the system's default:
    // that default differs between machines (208 KiB here, tens of MiB on some servers).
    h.state_mut().sessions[0].settings.multicast.recv_buffer_mib = 1;
    let local = open(&mut h);
    wait_for(&mut h, "the receive buffer note", |h| {
        shows(h, "receive buffer")
    });

    // The window draws no frame during the flood (as when it is busy): its 16 MiB burst
    // allowance fills, then the socket's buffer (≤ 2 MiB), and the rest is dropped by the
    // system. 40,000 datagrams of 1 KiB are 40 MiB, more than twice what both can hold.
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    let payload = [b'x'; 1024];
    let mut sent = 0u64;
    for _ in 0..40_000 {
        if peer.send_to(&payload, local).is_ok() {
            sent += 1;
        }
    }
    // Everything read is drawn; then one more datagram brings the system's final count.
    let (mut last, mut unchanged) = (u64::MAX, 0);
    wait_for(&mut h, "the flood to be taken in", |h| {
        let view = &h.state().sessions[0];
        let now = view.counters.rx_packets + view.dropped;
        unchanged = if now == last { unchanged + 1 } else { 0 };
        last = now;
        // Ten frames (≥ 100 ms) without a new datagram.
        unchanged >= 10 && now > 0
    });
    peer.send_to(b"end", local).unwrap();
    sent += 1;
    wait_for(&mut h, "every datagram to be counted", |h| {
        let view = &h.state().sessions[0];
        view.counters.rx_packets + view.dropped + view.kernel_dropped == sent
    });
    let view = &h.state().sessions[0];
    assert!(
        view.kernel_dropped > 0,
        "the system must have dropped some: {} sent, {} shown, {} dropped by the window",
        sent,
        view.counters.rx_packets,
        view.dropped
    );
    // Once its allowance is full netassist stops reading: it does not take datagrams from the
    // system only to drop them (it did: 24,766 of 40,001 here, and none by the system).
    assert!(
        view.dropped * 100 < view.kernel_dropped,
        "netassist dropped {} itself, the system {}",
        view.dropped,
        view.kernel_dropped
    );
    assert!(
        shows(
            &h,
            &format!("Dropped by the system: {}", view.kernel_dropped)
        ),
        "the status bar shows the system's drops"
    );
    assert!(
        shows(&h, "the system dropped"),
        "the log says when the system starts dropping"
    );
}
