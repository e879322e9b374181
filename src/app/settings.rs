//! What the window remembers between runs (eframe storage), apart from runtime state.

use serde::{Deserialize, Serialize};

use super::room::{HeartbeatSettings, MulticastSettings, RoomSettings, RuleSettings};
use crate::codec::{Checksum, Eol, InputMode, PayloadOptions, TextEncoding};
use crate::lang::Lang;
use crate::log::ViewMode;

/// The key under which everything is stored.
pub const STORAGE_KEY: &str = "netassist";
/// How many sends the history keeps.
pub const HISTORY_LEN: usize = 20;

/// The three kinds of session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Protocol {
    /// Connect to a server.
    TcpClient,
    /// Listen and accept clients.
    #[default]
    TcpServer,
    /// Send and receive datagrams.
    Udp,
}

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Theme {
    /// Dark background.
    #[default]
    Dark,
    /// Light background.
    Light,
}

/// A named payload shown as a button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickCommand {
    /// The button's label.
    pub name: String,
    /// What is sent (interpreted like the send box, with its options).
    pub payload: String,
}

/// Receive-side options.
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is a checkbox of the panel"
)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceiveSettings {
    /// Text, hex or both.
    pub view: ViewMode,
    /// Encoding name (see [`TextEncoding::for_label`]); also used to encode sent text.
    pub encoding: String,
    /// Show the time of each record.
    pub log_mode: bool,
    /// Wrap long lines.
    pub wrap: bool,
    /// Leave received data out of the view.
    pub hide_received: bool,
    /// Follow new records.
    pub auto_scroll: bool,
    /// Where received bytes are saved (typed path).
    pub save_path: String,
    /// Framing view: empty shows the stream as it flows; otherwise a
    /// [`crate::codec::Framing`] spec (`per-read`, `line`, `len:4:be`, …) that cuts received
    /// data into records.
    pub framing: String,
    /// Leave the session's heartbeat sends out of the log.
    pub hide_heartbeat: bool,
    /// Cap on the log's memory, MiB (older records are trimmed beyond it).
    pub log_max_mib: u64,
    /// Cap on the number of records in the log.
    pub log_max_records: u64,
}

impl Default for ReceiveSettings {
    fn default() -> Self {
        Self {
            view: ViewMode::Text,
            encoding: TextEncoding::UTF_8.name().to_owned(),
            log_mode: false,
            wrap: true,
            hide_received: false,
            auto_scroll: true,
            save_path: String::new(),
            framing: String::new(),
            hide_heartbeat: false,
            log_max_mib: 64,
            log_max_records: 1_000_000,
        }
    }
}

impl ReceiveSettings {
    /// The chosen encoding, UTF-8 when the stored name is unknown.
    pub fn encoding(&self) -> TextEncoding {
        TextEncoding::for_label(&self.encoding).unwrap_or_default()
    }
}

/// Send-side options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SendSettings {
    /// Hex input instead of text.
    pub hex: bool,
    /// Interpret `\r \n \t \xNN` in text.
    pub escapes: bool,
    /// Line ending name (`none`, `cr`, `lf`, `crlf`).
    pub eol: String,
    /// Checksum name, empty for none.
    pub checksum: String,
    /// Cyclic send on.
    pub repeat: bool,
    /// Interval of the cyclic send in ms (typed).
    pub interval_ms: String,
    /// How many cyclic sends (typed, empty = until stopped).
    pub count: String,
    /// File to send (typed path).
    pub file_path: String,
    /// Last sends, newest first.
    pub history: Vec<String>,
    /// User-defined buttons.
    pub quick: Vec<QuickCommand>,
    /// Issue 11: at most this many MiB wait for one TCP peer (see `engine::SendQueue`).
    pub send_queue_mib: u32,
    /// Issue 11: a server drops a client over the send-queue limit that takes nothing this long.
    pub send_queue_stall_secs: u32,
}

impl Default for SendSettings {
    fn default() -> Self {
        Self {
            hex: false,
            escapes: false,
            eol: Eol::None.name().to_owned(),
            checksum: String::new(),
            repeat: false,
            interval_ms: "1000".to_owned(),
            count: String::new(),
            file_path: String::new(),
            history: Vec::new(),
            quick: vec![
                QuickCommand {
                    name: "ping".to_owned(),
                    payload: "#ping#".to_owned(),
                },
                QuickCommand {
                    name: "quit".to_owned(),
                    payload: "/quit".to_owned(),
                },
            ],
            send_queue_mib: 8,
            send_queue_stall_secs: 5,
        }
    }
}

impl SendSettings {
    /// The send-queue bound these settings ask for (at least 1 MiB and 1 s).
    pub fn send_queue(&self) -> crate::engine::SendQueue {
        let mib = usize::try_from(self.send_queue_mib.max(1)).unwrap_or(usize::MAX);
        crate::engine::SendQueue {
            limit: mib.saturating_mul(1024 * 1024),
            stall: std::time::Duration::from_secs(u64::from(self.send_queue_stall_secs.max(1))),
        }
    }

    /// The line ending, none when the stored name is unknown.
    pub fn eol(&self) -> Eol {
        Eol::for_name(&self.eol).unwrap_or_default()
    }

    /// The checksum, if one is chosen.
    pub fn checksum(&self) -> Option<Checksum> {
        Checksum::for_name(&self.checksum).ok()
    }

    /// How the send box becomes bytes.
    pub fn payload_options(&self, encoding: TextEncoding) -> PayloadOptions {
        PayloadOptions {
            mode: if self.hex {
                InputMode::Hex
            } else {
                InputMode::Text
            },
            encoding,
            escapes: self.escapes,
            eol: self.eol(),
            checksum: self.checksum(),
        }
    }

    /// Puts `text` first in the history, without duplicates, keeping [`HISTORY_LEN`].
    pub fn remember(&mut self, text: &str) {
        self.history.retain(|old| old != text);
        self.history.insert(0, text.to_owned());
        self.history.truncate(HISTORY_LEN);
    }
}

/// Network settings and options of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionSettings {
    /// The name on the session's tab; empty shows a default name.
    pub name: String,
    /// TCP client, TCP server or UDP.
    pub protocol: Protocol,
    /// Local IP to bind (server, UDP, and client when set).
    pub local_ip: String,
    /// Local port (server and UDP).
    pub local_port: String,
    /// Local port for a TCP client, empty to let the system choose.
    pub client_local_port: String,
    /// Remote host (client, UDP target).
    pub remote_host: String,
    /// Remote port.
    pub remote_port: String,
    /// UDP: answer whoever sent last.
    pub reply_to_last: bool,
    /// Receive options.
    pub receive: ReceiveSettings,
    /// Send options.
    pub send: SendSettings,
    /// Relay, echo and leave rules (server and UDP).
    pub room: RoomSettings,
    /// The heartbeat.
    pub heartbeat: HeartbeatSettings,
    /// Auto-reply rules, in order.
    pub rules: Vec<RuleSettings>,
    /// UDP broadcast and multicast.
    pub multicast: MulticastSettings,
    // issue 15: tls
    /// TLS over the TCP client or server.
    pub tls: crate::app::tls_settings::TlsSettings,
    // issue 15: websocket
    /// WebSocket over the TCP client or server.
    pub ws: crate::app::ws_settings::WsSettings,
    // issue 15: serial
    /// A serial port instead of a TCP client.
    pub serial: crate::app::serial_settings::SerialSettings,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            name: String::new(),
            protocol: Protocol::TcpServer,
            local_ip: "0.0.0.0".to_owned(),
            local_port: "8080".to_owned(),
            client_local_port: String::new(),
            remote_host: "127.0.0.1".to_owned(),
            remote_port: "8080".to_owned(),
            reply_to_last: false,
            receive: ReceiveSettings::default(),
            send: SendSettings::default(),
            room: RoomSettings::default(),
            heartbeat: HeartbeatSettings::default(),
            rules: Vec::new(),
            multicast: MulticastSettings::default(),
            tls: crate::app::tls_settings::TlsSettings::default(),
            ws: crate::app::ws_settings::WsSettings::default(),
            serial: crate::app::serial_settings::SerialSettings::default(),
        }
    }
}

/// Everything persisted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppSettings {
    /// UI language.
    pub lang: Lang,
    /// Theme.
    pub theme: Theme,
    /// Zoom factor (Ctrl + / Ctrl − / Ctrl 0).
    pub zoom: f32,
    /// One entry per session view.
    pub sessions: Vec<SessionSettings>,
    /// The session whose tab is selected.
    pub active: usize,
    /// The split view.
    pub split: SplitSettings,
    /// Arriving data repaints the window at most this many times a second.
    #[serde(default = "default_data_fps")]
    pub data_fps: u32,
}

/// Repaints a second that arriving data may cause, by default.
pub const DEFAULT_DATA_FPS: u32 = 30;

fn default_data_fps() -> u32 {
    DEFAULT_DATA_FPS
}

/// The split view: 2–4 sessions side by side.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SplitSettings {
    /// Shown instead of the single session.
    pub on: bool,
    /// The sessions shown, by position in the list (2–4 of them).
    pub panes: Vec<usize>,
    /// The settings and client list stay beside the panes (off: the panes get the width).
    pub side_panels: bool,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            lang: Lang::from_env(),
            theme: Theme::Dark,
            zoom: 1.0,
            sessions: vec![SessionSettings::default()],
            active: 0,
            split: SplitSettings::default(),
            data_fps: DEFAULT_DATA_FPS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_deduplicated_and_capped() {
        let mut send = SendSettings::default();
        for i in 0..25 {
            send.remember(&i.to_string());
        }
        send.remember("3");
        assert_eq!(send.history.len(), HISTORY_LEN);
        assert_eq!(send.history[0], "3");
        assert_eq!(send.history.iter().filter(|h| *h == "3").count(), 1);
    }

    // issue 15: serial
    #[test]
    fn settings_saved_before_serial_ports_load_as_tcp() {
        let old = r#"{"name":"x","protocol":"TcpClient","remote_port":"9000"}"#;
        let settings: SessionSettings = serde_json::from_str(old).unwrap();
        assert_eq!(settings.protocol, Protocol::TcpClient);
        assert_eq!(settings.remote_port, "9000");
        assert!(!settings.serial.enabled);
        assert_eq!(
            settings.serial,
            crate::app::serial_settings::SerialSettings::default()
        );
    }

    // issue 15: serial
    #[test]
    fn a_serial_session_is_saved_and_restored_whole() {
        use crate::app::serial_settings::{BridgeChoice, FlowChoice, ParityChoice, SerialSettings};
        let settings = SessionSettings {
            protocol: Protocol::TcpClient,
            serial: SerialSettings {
                enabled: true,
                port: "COM3".to_owned(),
                baud: "250000".to_owned(),
                data_bits: 7,
                parity: ParityChoice::Odd,
                stop_bits: 2,
                flow: FlowChoice::Software,
                dtr: false,
                rts: false,
                bridge: BridgeChoice::Connect,
                bridge_addr: "192.168.1.10:4001".to_owned(),
            },
            ..SessionSettings::default()
        };
        let saved = serde_json::to_string(&settings).unwrap();
        let back: SessionSettings = serde_json::from_str(&saved).unwrap();
        assert_eq!(back, settings);
    }
}
