//! The chat-room presets as a class uses them: the room server on every address on the
//! lesson's port (edited to a free one here, 9001 may be taken), the join sentence with this
//! machine's LAN addresses, the clients following the port the server got, "Open all" after a
//! restart, a port in use, numbered names for a second room, Chinese names.

use std::net::{IpAddr, TcpListener};

use crate::ui_support::{
    harness, harness_with, pick, session_named, set_server_port, shows, wait_for,
};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::session::{LinkState, UiError};
use netassist::app::settings::{AppSettings, Protocol};
use netassist::engine::NetError;

/// This machine's IPv4 addresses other machines can reach, as the test sees them.
fn lan_ipv4() -> Vec<IpAddr> {
    if_addrs::get_if_addrs()
        .expect("interfaces")
        .into_iter()
        .map(|i| i.ip())
        .filter(|ip| ip.is_ipv4() && !ip.is_loopback())
        .collect()
}

fn is_open(h: &Harness<'_, NetAssistApp>, index: usize) -> bool {
    matches!(h.state().sessions[index].state, LinkState::Open { .. })
}

/// Waits until the room server and its three clients are open and connected; returns the
/// server's port.
fn wait_room_open(h: &mut Harness<'_, NetAssistApp>, server: usize, clients: &[usize]) -> u16 {
    wait_for(h, "the server and its clients", |h| {
        h.state().sessions[server].clients.len() == clients.len()
            && clients.iter().all(|&c| is_open(h, c))
    });
    h.state().sessions[server]
        .local_addr()
        .expect("the server is open")
        .port()
}

fn room(h: &Harness<'_, NetAssistApp>, clients: usize) -> (usize, Vec<usize>) {
    let server = session_named(h, "Room server");
    let clients = (1..=clients)
        .map(|n| session_named(h, &format!("Client {n}")))
        .collect();
    (server, clients)
}

#[test]
fn tcp_room_listens_on_every_address_says_where_to_join_and_clients_follow_its_port() {
    let mut h = harness(Protocol::TcpServer);
    pick(&mut h, "Presets", "TCP chat room");
    let (server, clients) = room(&h, 3);
    {
        let s = &h.state().sessions[server].settings;
        assert_eq!(s.local_ip, "0.0.0.0", "students on the LAN can reach it");
        assert_eq!(s.local_port, "9001", "the lesson's port, not a random one");
    }
    for &c in &clients {
        let s = &h.state().sessions[c].settings;
        assert_eq!(
            (s.remote_host.as_str(), s.remote_port.as_str()),
            ("127.0.0.1", "9001")
        );
        assert!(
            !h.state().sessions[c].is_active(),
            "nothing opens before Open all"
        );
    }
    // Where students join, before opening: the typed port with this machine's addresses.
    let lan = lan_ipv4();
    h.step();
    if let Some(first) = lan.first() {
        assert!(
            shows(&h, &format!("Students connect to {first}:9001")),
            "the join sentence names {first}:9001"
        );
    } else {
        assert!(shows(&h, "no network address besides loopback"));
    }

    set_server_port(&mut h, server, "0");
    h.get_by_label("Open all").click();
    h.step();
    let port = wait_room_open(&mut h, server, &clients);
    assert_ne!(port, 0);
    let listening = h.state().sessions[server].local_addr().expect("open");
    assert!(listening.ip().is_unspecified(), "listens on {listening}");
    for &c in &clients {
        let s = &h.state().sessions[c].settings;
        assert_eq!(
            s.remote_port,
            port.to_string(),
            "clients follow the server's port"
        );
        assert_eq!(h.state().sessions[c].open_error, None);
    }
    h.step();
    if let Some(first) = lan.first() {
        assert!(
            shows(&h, &format!("Students connect to {first}:{port}")),
            "the join sentence has the bound port {port}"
        );
    }
}

#[test]
fn a_restored_room_opens_again_with_open_all() {
    let mut h = harness(Protocol::TcpServer);
    pick(&mut h, "Presets", "TCP chat room");
    let (server, clients) = room(&h, 3);
    set_server_port(&mut h, server, "0");
    h.get_by_label("Open all").click();
    h.step();
    let first_port = wait_room_open(&mut h, server, &clients);
    let saved: AppSettings = h.state().app_settings();
    drop(h);

    // The next run: everything restored closed, the old port gone.
    let mut h = harness_with(saved);
    let (server, clients) = room(&h, 3);
    assert!(h.state().sessions.iter().all(|s| !s.is_active()));
    h.get_by_label("Open all").click();
    h.step();
    let port = wait_room_open(&mut h, server, &clients);
    for &c in &clients {
        let view = &h.state().sessions[c];
        assert_eq!(view.open_error, None, "no connection refused");
        assert_eq!(view.settings.remote_port, port.to_string());
    }
    // Open all again does not open anything twice.
    h.get_by_label("Open all").click();
    h.step();
    h.step();
    assert_eq!(h.state().sessions[server].clients.len(), 3);
    eprintln!("first run port {first_port}, restored port {port}");
}

#[test]
fn a_port_in_use_is_named_and_the_clients_wait() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let mut h = harness(Protocol::TcpServer);
    pick(&mut h, "Presets", "TCP chat room");
    let (server, clients) = room(&h, 3);
    set_server_port(&mut h, server, &port.to_string());
    h.get_by_label("Open all").click();
    wait_for(&mut h, "the server to fail", |h| {
        h.state().sessions[server].open_error.is_some()
    });
    let error = h.state().sessions[server].open_error.clone();
    assert!(
        matches!(error, Some(UiError::Net(NetError::AddrInUse { .. }))),
        "{error:?}"
    );
    h.step();
    assert!(shows(&h, &format!("0.0.0.0:{port} is already in use")));
    assert!(shows(&h, "pick another port or stop the program using it"));
    for _ in 0..5 {
        h.step();
    }
    for &c in &clients {
        let view = &h.state().sessions[c];
        assert!(
            !view.is_active(),
            "a client of a failed server does not connect"
        );
        assert_eq!(view.open_error, None, "no 'connection refused'");
    }
}

#[test]
fn a_second_room_gets_numbered_names() {
    let mut h = harness(Protocol::TcpServer);
    pick(&mut h, "Presets", "TCP chat room");
    pick(&mut h, "Presets", "TCP chat room");
    let names: Vec<String> = h
        .state()
        .sessions
        .iter()
        .map(|s| s.settings.name.clone())
        .collect();
    let expected = [
        "",
        "Room server",
        "Client 1",
        "Client 2",
        "Client 3",
        "Room server 2",
        "Client 4",
        "Client 5",
        "Client 6",
    ];
    assert_eq!(names, expected);
    let rooms: Vec<u64> = h
        .state()
        .sessions
        .iter()
        .map(|s| s.settings.room.preset_room)
        .collect();
    assert_eq!(rooms[1], rooms[4]);
    assert_ne!(rooms[1], rooms[5], "two rooms, two numbers");
    assert_eq!(rooms[5], rooms[8]);
}

#[test]
fn udp_room_clients_follow_the_server_port_and_reach_it() {
    let mut h = harness(Protocol::TcpServer);
    pick(&mut h, "Presets", "UDP chat room with heartbeat");
    let (server, clients) = room(&h, 2);
    {
        let s = &h.state().sessions[server].settings;
        assert_eq!(s.protocol, Protocol::Udp);
        assert_eq!(
            (s.local_ip.as_str(), s.local_port.as_str()),
            ("0.0.0.0", "9001")
        );
    }
    set_server_port(&mut h, server, "0");
    h.get_by_label("Open all").click();
    h.step();
    wait_for(&mut h, "the UDP room and its clients", |h| {
        is_open(h, server) && clients.iter().all(|&c| is_open(h, c))
    });
    let port = h.state().sessions[server]
        .local_addr()
        .expect("open")
        .port();
    for &c in &clients {
        assert_eq!(h.state().sessions[c].settings.remote_port, port.to_string());
    }
    h.state_mut().active = clients[0];
    let sent = h.state_mut().sessions[clients[0]].send_input("hello udp room");
    assert!(sent, "sent to the room");
    wait_for(&mut h, "the room server to hear client 1", |h| {
        h.state().sessions[server].counters.rx_packets >= 1
    });
}

#[test]
fn chinese_room_names_and_buttons() {
    let mut settings = AppSettings {
        lang: Lang::Zh,
        ..AppSettings::default()
    };
    settings.sessions[0].local_ip = "127.0.0.1".to_owned();
    let mut h = harness_with(settings);
    pick(&mut h, "预设", "TCP 聊天室");
    let names: Vec<&str> = h
        .state()
        .sessions
        .iter()
        .map(|s| s.settings.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["", "聊天室服务器", "客户端 1", "客户端 2", "客户端 3"]
    );
    h.step();
    assert!(shows(&h, "全部打开"), "Open all in Chinese");
    assert!(
        shows(&h, "学生连接到") || shows(&h, "本机除回环地址"),
        "the join sentence in Chinese"
    );
}

/// A TCP server and a client of it that the user set up by hand (no preset), both closed.
fn server_and_client(port: u16, client_first: bool) -> AppSettings {
    use netassist::app::settings::SessionSettings;
    let server = SessionSettings {
        name: "server".to_owned(),
        protocol: Protocol::TcpServer,
        local_ip: "127.0.0.1".to_owned(),
        local_port: port.to_string(),
        ..SessionSettings::default()
    };
    let client = SessionSettings {
        name: "client".to_owned(),
        protocol: Protocol::TcpClient,
        remote_host: "127.0.0.1".to_owned(),
        remote_port: port.to_string(),
        ..SessionSettings::default()
    };
    let sessions = if client_first {
        vec![client, server]
    } else {
        vec![server, client]
    };
    AppSettings {
        lang: Lang::En,
        sessions,
        ..AppSettings::default()
    }
}

#[test]
fn open_all_connects_a_client_after_the_server_it_opens_with() {
    // Opened together, the client's connect raced the server's listen: "connection refused"
    // in the real window, every time.
    for round in 0..6 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let client_first = round % 2 == 1;
        let mut h = harness_with(server_and_client(port, client_first));
        let (server, client) = if client_first { (1, 0) } else { (0, 1) };
        h.get_by_label("Open all").click();
        wait_for(&mut h, "the client to connect or fail", |h| {
            let view = &h.state().sessions[client];
            matches!(view.state, LinkState::Open { .. }) || view.open_error.is_some()
        });
        let view = &h.state().sessions[client];
        assert_eq!(
            view.open_error, None,
            "round {round}: the client was refused"
        );
        assert_eq!(
            view.settings.remote_port,
            port.to_string(),
            "its own settings stay"
        );
        wait_for(&mut h, "the server to see it", |h| {
            h.state().sessions[server].clients.len() == 1
        });
    }
}
