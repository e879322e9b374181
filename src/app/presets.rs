//! One-click setups from the socket lessons: which sessions to add and how each is set. The
//! chat rooms are for a real class: the room server listens on every interface on the
//! lesson's port [`ROOM_PORT`] (editable before opening), the preset's own clients connect to
//! it on this machine, and "Open all" opens the server first and then connects the clients to
//! the port it got (see [`PendingConnect`]).

use super::i18n::Lang;
use super::room::{HeartbeatSettings, RoomSettings};
use super::settings::{Protocol, SessionSettings};
use crate::codec::Eol;
use crate::log::ViewMode;

/// The port of the lesson's chat rooms (TCP and UDP alike): students type it in.
pub const ROOM_PORT: u16 = 9001;

/// The presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// A relaying TCP server and three clients.
    TcpChatRoom,
    /// A relaying UDP server dropping peers silent for 10 s, and two clients sending `#ping#`
    /// every 5 s.
    UdpChatRoom,
    /// A UDP session to port 69 replying to the last sender, a read request in the send box,
    /// data in hex.
    TftpRead,
    /// A TCP client with the log in text and hex.
    EchoTest,
}

impl Preset {
    /// Every preset, in menu order.
    pub const ALL: [Preset; 4] = [
        Preset::TcpChatRoom,
        Preset::UdpChatRoom,
        Preset::TftpRead,
        Preset::EchoTest,
    ];

    /// The menu entry.
    pub fn label(self, lang: Lang) -> &'static str {
        let s = lang.s();
        match self {
            Preset::TcpChatRoom => s.preset_tcp_room,
            Preset::UdpChatRoom => s.preset_udp_room,
            Preset::TftpRead => s.preset_tftp,
            Preset::EchoTest => s.preset_echo,
        }
    }

    /// The sessions to add. With a server, it comes first and the others are its clients.
    pub fn setup(self, lang: Lang) -> Setup {
        let s = lang.s();
        match self {
            Preset::TcpChatRoom => {
                let server = SessionSettings {
                    name: s.room_server.to_owned(),
                    protocol: Protocol::TcpServer,
                    local_ip: "0.0.0.0".to_owned(),
                    local_port: ROOM_PORT.to_string(),
                    room: RoomSettings {
                        relay: true,
                        relay_prefix: true,
                        quit_on: true,
                        ..RoomSettings::default()
                    },
                    ..SessionSettings::default()
                };
                let clients = (1..=3)
                    .map(|n| chat_client(format!("{} {n}", s.client), Protocol::TcpClient))
                    .collect();
                Setup::room(server, clients)
            }
            Preset::UdpChatRoom => {
                let server = SessionSettings {
                    name: s.room_server.to_owned(),
                    protocol: Protocol::Udp,
                    local_ip: "0.0.0.0".to_owned(),
                    local_port: ROOM_PORT.to_string(),
                    remote_host: String::new(),
                    remote_port: String::new(),
                    room: RoomSettings {
                        relay: true,
                        relay_prefix: true,
                        timeout_on: true,
                        timeout_secs: "10".to_owned(),
                        ..RoomSettings::default()
                    },
                    ..SessionSettings::default()
                };
                let clients = (1..=2)
                    .map(|n| {
                        let mut client = chat_client(format!("{} {n}", s.client), Protocol::Udp);
                        "127.0.0.1".clone_into(&mut client.local_ip);
                        client.heartbeat = HeartbeatSettings {
                            on: true,
                            payload: "#ping#".to_owned(),
                            hex: false,
                            interval_ms: "5000".to_owned(),
                        };
                        client
                    })
                    .collect();
                Setup::room(server, clients)
            }
            Preset::TftpRead => {
                let mut tftp = SessionSettings {
                    name: s.preset_tftp.to_owned(),
                    protocol: Protocol::Udp,
                    local_ip: "0.0.0.0".to_owned(),
                    local_port: "0".to_owned(),
                    remote_host: "127.0.0.1".to_owned(),
                    remote_port: "69".to_owned(),
                    reply_to_last: true,
                    ..SessionSettings::default()
                };
                tftp.receive.view = ViewMode::Hex;
                tftp.send.escapes = true;
                Setup {
                    sessions: vec![tftp],
                    send_text: vec![r"\x00\x01test.txt\x00octet\x00".to_owned()],
                    room: false,
                }
            }
            Preset::EchoTest => {
                let mut echo = SessionSettings {
                    name: s.preset_echo.to_owned(),
                    protocol: Protocol::TcpClient,
                    local_ip: "0.0.0.0".to_owned(),
                    remote_host: "127.0.0.1".to_owned(),
                    remote_port: "7".to_owned(),
                    ..SessionSettings::default()
                };
                echo.receive.view = ViewMode::Both;
                echo.receive.log_mode = true;
                Setup {
                    sessions: vec![echo],
                    send_text: vec!["hello echo".to_owned()],
                    room: false,
                }
            }
        }
    }
}

fn chat_client(name: String, protocol: Protocol) -> SessionSettings {
    let mut client = SessionSettings {
        name,
        protocol,
        local_ip: "0.0.0.0".to_owned(),
        local_port: "0".to_owned(),
        remote_host: "127.0.0.1".to_owned(),
        remote_port: ROOM_PORT.to_string(),
        room: RoomSettings {
            room_client: true,
            ..RoomSettings::default()
        },
        ..SessionSettings::default()
    };
    // Chat lines end with \n, so the room's quit line and the framing view see lines.
    Eol::Lf.name().clone_into(&mut client.send.eol);
    client
}

/// What a preset adds.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The sessions, the server first when `room`.
    pub sessions: Vec<SessionSettings>,
    /// What each session's send box starts with (may be shorter than `sessions`).
    pub send_text: Vec<String>,
    /// A server plus clients of one room: shown side by side; "Open all" opens the server, then
    /// connects the clients to its port.
    pub room: bool,
}

impl Setup {
    fn room(server: SessionSettings, clients: Vec<SessionSettings>) -> Self {
        let mut sessions = vec![server];
        sessions.extend(clients);
        Self {
            sessions,
            send_text: Vec::new(),
            room: true,
        }
    }
}

/// `name`, or the next free numbered form of it when a session already has that name: a
/// trailing number counts up ("Client 1" → "Client 4" when 1–3 are taken), otherwise " 2",
/// " 3"… is added ("Room server" → "Room server 2").
pub fn unique_name(name: &str, taken: &[String]) -> String {
    let free = |candidate: &str| !taken.iter().any(|t| t.trim() == candidate);
    if free(name) {
        return name.to_owned();
    }
    let (stem, start) = match name.rsplit_once(' ') {
        Some((stem, number)) if !stem.is_empty() => match number.parse::<u32>() {
            Ok(n) => (stem, n.saturating_add(1)),
            Err(_) => (name, 2),
        },
        _ => (name, 2),
    };
    // At most one more candidate than there are names, so one of them is free.
    (start..=start.saturating_add(taken.len() as u32 + 1))
        .map(|n| format!("{stem} {n}"))
        .find(|candidate| free(candidate))
        .unwrap_or_else(|| name.to_owned())
}

/// Clients waiting for their server to open, by session uid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingConnect {
    /// The server's session.
    pub server: u64,
    /// The clients' sessions.
    pub clients: Vec<u64>,
    /// Whether the clients take the server's address and port (a preset room's clients), or
    /// keep their own and only wait for the server to listen (a client of this window's own
    /// server, opened together with it by "Open all").
    pub follow: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_rooms_are_a_relaying_server_and_clients_on_loopback() {
        let tcp = Preset::TcpChatRoom.setup(Lang::En);
        assert!(tcp.room);
        assert_eq!(tcp.sessions.len(), 4);
        assert!(tcp.sessions[0].room.relay);
        assert_eq!(
            tcp.sessions[0].local_ip, "0.0.0.0",
            "students on the LAN can join"
        );
        assert_eq!(tcp.sessions[0].local_port, "9001");
        assert!(tcp.sessions[1..].iter().all(|c| c.remote_port == "9001"
            && c.remote_host == "127.0.0.1"
            && c.room.room_client));
        assert!(
            tcp.sessions[1..]
                .iter()
                .all(|c| c.protocol == Protocol::TcpClient)
        );
        let udp = Preset::UdpChatRoom.setup(Lang::Zh);
        assert_eq!(udp.sessions.len(), 3);
        assert_eq!(udp.sessions[0].local_ip, "0.0.0.0");
        assert_eq!(udp.sessions[0].local_port, "9001");
        assert_eq!(udp.sessions[0].name, "聊天室服务器");
        assert_eq!(udp.sessions[1].name, "客户端 1");
        assert_eq!(udp.sessions[2].remote_port, "9001");
        assert!(udp.sessions[0].room.timeout_on);
        assert!(udp.sessions[1].heartbeat.on);
        assert_eq!(udp.sessions[1].heartbeat.payload, "#ping#");
        let tftp = Preset::TftpRead.setup(Lang::En);
        assert!(tftp.sessions[0].reply_to_last);
        assert_eq!(tftp.sessions[0].remote_port, "69");
    }

    #[test]
    fn unique_names_count_up() {
        let taken: Vec<String> = ["Room server", "Client 1", "Client 2", "Client 3", "TFTP"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(unique_name("Room server", &taken), "Room server 2");
        assert_eq!(unique_name("Client 1", &taken), "Client 4");
        assert_eq!(unique_name("Client 7", &taken), "Client 7");
        assert_eq!(unique_name("TFTP", &taken), "TFTP 2");
        assert_eq!(unique_name("", &[]), "");
    }
}
