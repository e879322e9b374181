//! The "TCP chat room" preset in the window: a relay server and three clients on loopback, a
//! message from one client reaching the others through the server.

use crate::ui_support::{
    harness, received_texts, send_in_pane, session_named, set_server_port, shows, wait_for,
};
use egui_kittest::kittest::Queryable as _;
use netassist::app::session::LinkState;
use netassist::app::settings::Protocol;

#[test]
fn tcp_chat_room_preset_relays_a_message_to_the_other_clients() {
    let mut h = harness(Protocol::TcpServer);
    h.get_by_label("Presets").click();
    h.step();
    h.step();
    h.get_by_label("TCP chat room").click();
    h.step();

    let server = session_named(&h, "Room server");
    let clients: Vec<usize> = (1..=3)
        .map(|n| session_named(&h, &format!("Client {n}")))
        .collect();
    assert!(h.state().split, "the room is shown side by side");
    assert_eq!(h.state().panes.len(), 4);
    // The lesson's port 9001 may be taken here: the server gets a free one instead.
    set_server_port(&mut h, server, "0");
    h.get_by_label("Open all").click();
    h.step();
    wait_for(&mut h, "three clients in the room", |h| {
        h.state().sessions[server].clients.len() == 3
            && clients
                .iter()
                .all(|&c| matches!(h.state().sessions[c].state, LinkState::Open { .. }))
    });
    let port = h.state().sessions[server]
        .local_addr()
        .expect("the server is open")
        .port();
    assert_ne!(port, 0);
    for &c in &clients {
        let remote = &h.state().sessions[c].settings;
        assert_eq!(remote.remote_host, "127.0.0.1");
        assert_eq!(
            remote.remote_port,
            port.to_string(),
            "clients use the server's port"
        );
    }
    assert!(
        shows(&h, "Data to send · Client 2"),
        "each pane has a send line"
    );

    send_in_pane(&mut h, "Client 1", "hello room");
    wait_for(&mut h, "clients 2 and 3 to get the message", |h| {
        clients[1..]
            .iter()
            .all(|&c| received_texts(h, c).concat().contains("hello room\n"))
    });
    let sender = h.state().sessions[clients[0]]
        .local_addr()
        .expect("client 1 is open");
    let relayed = received_texts(&h, clients[1]).concat();
    assert!(
        relayed.contains(&format!("{sender}\nhello room\n")),
        "the classic room prefixes ip:port: {relayed:?}"
    );
    assert!(
        !received_texts(&h, clients[0])
            .concat()
            .contains("hello room"),
        "not back to the sender"
    );
    h.step();
    assert!(shows(&h, "hello room"), "the panes show the message");

    // The quit line makes a client leave the room.
    send_in_pane(&mut h, "Client 3", "/quit");
    wait_for(&mut h, "client 3 to be disconnected", |h| {
        h.state().sessions[server].clients.len() == 2
    });
    wait_for(&mut h, "client 3 to see the server close", |h| {
        h.state().sessions[clients[2]].state == LinkState::Closed
            || h.state().sessions[clients[2]]
                .log
                .iter()
                .any(|(_, text)| text.contains("disconnected"))
    });
}
