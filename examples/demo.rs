//! The window with a live loopback demo, for screenshots (not part of the shipped program):
//!
//! ```text
//! cargo run --release --example demo          # English
//! cargo run --release --example demo -- zh    # Chinese
//! cargo run --release --example demo -- room  # the TCP chat room lesson, in Chinese
//! ```
//!
//! (`NETASSIST_DEMO=zh` or `=room` in the environment chooses the same when no argument is
//! given.) The default opens a TCP server on 127.0.0.1:0 and connects a loopback client thread
//! that sends a few Chinese lines, so a screenshot shows a real session; `room` is the "TCP
//! chat room" preset side by side, with two clients talking through the relay server.
//! Everything goes through the real engine and sockets. The settings are the window's own
//! (same storage), so a zoom saved at 150 % applies.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use eframe::egui;
use netassist::app::i18n::Lang;
use netassist::app::presets::Preset;
use netassist::app::session::{LinkState, SessionView};
use netassist::app::settings::Protocol;
use netassist::app::{NetAssistApp, close_on_signals, native_options};

fn main() -> ExitCode {
    let mode = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("NETASSIST_DEMO").ok())
        .unwrap_or_default();
    let result = eframe::run_native(
        "netassist",
        native_options(),
        Box::new(move |cc| {
            let mut app = NetAssistApp::new(&cc.egui_ctx, cc.storage);
            close_on_signals(&cc.egui_ctx, &app.terminating);
            let demo = Demo::start(&mut app, &mode);
            Ok(Box::new(DemoApp { app, demo }))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("netassist demo: cannot open the window: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The window, advanced by the demo after each frame's events.
struct DemoApp {
    app: NetAssistApp,
    demo: Demo,
}

impl eframe::App for DemoApp {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.app.logic(ctx, frame);
        self.demo.step(&mut self.app.sessions);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.app.ui(ui, frame);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.app.save(storage);
    }
}

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
struct Demo {
    client_started: bool,
    replied: bool,
    /// The chat room demo: how many of `ROOM_LINES` were said.
    room: Option<usize>,
}

impl Demo {
    /// Opens the demo server in the first session (or the chat room preset).
    fn start(app: &mut NetAssistApp, mode: &str) -> Self {
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
    fn step(&mut self, sessions: &mut [SessionView]) {
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
