//! `NETASSIST_DEMO=1` (or `=zh` for the Chinese UI): opens a TCP server on 127.0.0.1:0 and
//! connects a loopback client thread that sends a few Chinese lines, so a screenshot shows a
//! real session. Everything goes through the real engine and sockets.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use super::NetAssistApp;
use super::i18n::Lang;
use super::session::SessionView;
use super::settings::Protocol;

const LINES: [&[u8]; 4] = [
    "你好，netassist！\r\n".as_bytes(),
    "温度=23.5℃ 湿度=45%\r\n".as_bytes(),
    "中文、GB2312、十六进制都能显示\r\n".as_bytes(),
    &[0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A],
];

/// The demo's progress.
pub struct Demo {
    client_started: bool,
    replied: bool,
}

impl Demo {
    /// Opens the demo server in the first session.
    pub fn start(app: &mut NetAssistApp) -> Self {
        if std::env::var("NETASSIST_DEMO").is_ok_and(|v| v.eq_ignore_ascii_case("zh")) {
            app.lang = Lang::Zh;
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
        }
    }

    /// Advances the demo; called every frame after events were applied.
    pub fn step(&mut self, sessions: &mut [SessionView]) {
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
