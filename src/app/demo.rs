//! `NETASSIST_DEMO=1` (or `=zh` for the Chinese UI): opens a TCP server on 127.0.0.1:0 and
//! connects a loopback client thread that sends a few Chinese lines, so a screenshot shows a
//! real session. `NETASSIST_DEMO=room`: the "TCP chat room" preset in Chinese, side by side,
//! with two clients talking through the relay server. Everything goes through the real engine
//! and sockets.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use super::NetAssistApp;
use super::i18n::Lang;
use super::presets::Preset;
use super::session::{LinkState, SessionView};
use super::settings::Protocol;

const LINES: [&[u8]; 4] = [
    "你好，netassist！\r\n".as_bytes(),
    "温度=23.5℃ 湿度=45%\r\n".as_bytes(),
    "中文、GB2312、十六进制都能显示\r\n".as_bytes(),
    &[0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A],
];

/// What the chat room demo's clients say, in turn.
const ROOM_LINES: [(usize, &str); 3] = [
    (1, "大家好，我是客户端 1"),
    (2, "收到！Hello from client 2"),
    (3, "/quit"),
];

/// The demo's progress.
pub struct Demo {
    client_started: bool,
    replied: bool,
    /// The chat room demo: how many of `ROOM_LINES` were said.
    room: Option<usize>,
}

impl Demo {
    /// Opens the demo server in the first session (or the chat room preset).
    pub fn start(app: &mut NetAssistApp) -> Self {
        let mode = std::env::var("NETASSIST_DEMO").unwrap_or_default();
        if mode.eq_ignore_ascii_case("zh") || mode.eq_ignore_ascii_case("room") {
            app.lang = Lang::Zh;
        }
        if mode.eq_ignore_ascii_case("room") {
            app.sessions.clear();
            app.apply_preset(Preset::TcpChatRoom);
            // The demo stays on this machine: loopback, a port the system picks.
            if let Some(server) = app.sessions.first_mut() {
                "127.0.0.1".clone_into(&mut server.settings.local_ip);
                "0".clone_into(&mut server.settings.local_port);
            }
            app.open_all();
            return Self {
                client_started: true,
                replied: true,
                room: Some(0),
            };
        }
        let notify = app.notify();
        if let Some(view) = app.sessions.first_mut() {
            view.settings.protocol = Protocol::TcpServer;
            "127.0.0.1".clone_into(&mut view.settings.local_ip);
            "0".clone_into(&mut view.settings.local_port);
            view.settings.receive.log_mode = true;
            view.open(Some(notify));
        }
        Self {
            client_started: false,
            replied: false,
            room: None,
        }
    }

    /// Advances the demo; called every frame after events were applied.
    pub fn step(&mut self, sessions: &mut [SessionView]) {
        if let Some(said) = &mut self.room {
            let all_open = sessions.len() == 4
                && sessions
                    .iter()
                    .all(|s| matches!(s.state, LinkState::Open { .. }));
            let server_rx = sessions.first().map_or(0, |s| s.counters.rx_packets);
            // One line at a time, each after the server has relayed the one before.
            if all_open
                && server_rx >= *said as u64
                && let Some((client, line)) = ROOM_LINES.get(*said)
                && let Some(view) = sessions.get_mut(*client)
            {
                (*line).clone_into(&mut view.send_text);
                view.send_input(line);
                *said += 1;
            }
            return;
        }
        let Some(view) = sessions.first_mut() else {
            return;
        };
        if !self.client_started
            && let Some(local) = view.local_addr()
        {
            self.client_started = true;
            let spawned = std::thread::Builder::new()
                .name("netassist-demo-client".to_owned())
                .spawn(move || run_client(local));
            if let Err(err) = spawned {
                eprintln!("netassist demo: cannot start the client thread: {err}");
            }
        }
        if !self.replied && view.counters.rx_packets >= 2 {
            self.replied = true;
            "收到，谢谢！\\r\\n".clone_into(&mut view.send_text);
            view.settings.send.escapes = true;
            let text = view.send_text.clone();
            view.send_input(&text);
        }
    }
}

fn run_client(server: SocketAddr) {
    let Ok(mut stream) = TcpStream::connect(server) else {
        return;
    };
    for line in LINES {
        std::thread::sleep(Duration::from_millis(300));
        if stream.write_all(line).is_err() {
            return;
        }
    }
    // Stay connected so the client list shows it; read until the window closes us.
    let mut buf = [0u8; 1024];
    while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
}
