//! What the session sends on the user's behalf: the send box (once or cyclic), files, saving
//! received bytes, kicking a client, the UDP target and multicast groups.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::codec::build_payload;
use crate::engine::{Command, NetError, Target};
use crate::log::Peer;

use super::{ClientTarget, FileNote, FileProgress, SessionView, UiError};
use crate::app::room;
use crate::app::settings::Protocol;

impl SessionView {
    /// Where a send from the send box goes.
    pub fn send_target(&self) -> Target {
        match self.settings.protocol {
            Protocol::TcpClient => Target::Default,
            Protocol::TcpServer => match self.target {
                ClientTarget::All => Target::All,
                ClientTarget::One(addr) => Target::Peer(addr),
            },
            Protocol::Udp => {
                if let ClientTarget::One(addr) = self.target {
                    return Target::Peer(addr);
                }
                // Until someone has sent, the engine sends "reply to last sender" to the remote
                // host (a TFTP request must reach port 69 before the server answers).
                if self.settings.reply_to_last {
                    Target::LastSender
                } else {
                    Target::Default
                }
            }
        }
    }

    /// Sends `text` interpreted with the send options (once, or cyclically when that is on).
    /// On any error nothing is sent and the error is shown by the send box.
    ///
    /// While the peer's send queue is over the limit nothing is taken: the box keeps its text
    /// and says "waiting for the peer to read" (the engine holds timed and file sends itself).
    pub fn send_input(&mut self, text: &str) -> bool {
        self.send_error = None;
        let Some(handle) = &self.handle else {
            self.send_error = Some(UiError::NotOpen);
            return false;
        };
        if let Some(queued) = self.send_queue_waiting {
            self.send_error = Some(UiError::PeerNotReading(queued));
            return false;
        }
        let mut options = self
            .settings
            .send
            .payload_options(self.settings.receive.encoding());
        // issue 15: websocket — typed text is a text message (UTF-8 whatever the encoding),
        // hex input a binary message.
        let ws = self.settings.ws.enabled && self.settings.protocol != Protocol::Udp;
        if ws && options.mode == crate::codec::InputMode::Text {
            options.encoding = crate::codec::TextEncoding::UTF_8;
        }
        let bytes = match build_payload(text, &options) {
            Ok(bytes) => bytes,
            Err(err) => {
                self.send_error = Some(UiError::Payload(err));
                return false;
            }
        };
        if bytes.is_empty() {
            self.send_error = Some(UiError::EmptyPayload);
            return false;
        }
        let to = self.send_target();
        if ws {
            handle.send(Command::SetWsBinary(
                options.mode == crate::codec::InputMode::Hex,
            ));
        }
        let command = if self.settings.send.repeat {
            let interval = match self.settings.send.interval_ms.trim().parse::<u64>() {
                Ok(ms) if ms > 0 => Duration::from_millis(ms),
                _ => {
                    self.send_error =
                        Some(UiError::BadInterval(self.settings.send.interval_ms.clone()));
                    return false;
                }
            };
            let count_text = self.settings.send.count.trim();
            let count = if count_text.is_empty() {
                None
            } else {
                match count_text.parse::<u64>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        self.send_error = Some(UiError::BadCount(count_text.to_owned()));
                        return false;
                    }
                }
            };
            self.repeating = true;
            self.repeat_sent = 0;
            Command::Repeat {
                payload: bytes.into(),
                to,
                interval,
                count,
            }
        } else {
            Command::Send {
                payload: bytes.into(),
                to,
            }
        };
        if !handle.send(command) {
            self.send_error = Some(UiError::Net(NetError::Closed));
            return false;
        }
        if !text.is_empty() {
            self.settings.send.remember(text);
        }
        true
    }

    /// Stops the cyclic send.
    pub fn stop_repeat(&mut self) {
        if let Some(handle) = &self.handle {
            handle.send(Command::StopRepeat);
        }
    }

    /// Streams a file to the current target.
    pub fn send_file(&mut self, path: &str) {
        self.file_error = None;
        let path = path.trim();
        if path.is_empty() {
            self.file_error = Some(UiError::NoFile);
            return;
        }
        let Some(handle) = &self.handle else {
            self.file_error = Some(UiError::NotOpen);
            return;
        };
        let path = PathBuf::from(path);
        // Missing, a folder or not readable: said here, before anything starts.
        let size = match crate::engine::check_file_to_send(&path) {
            Ok(size) => size,
            Err(err) => {
                self.file_error = Some(UiError::Net(err));
                return;
            }
        };
        self.file_note = Some(FileNote {
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            ),
            size,
            peer: Peer::None,
            seq: None,
        });
        self.file_progress = Some(FileProgress {
            path: path.clone(),
            sent: 0,
            total: 0,
        });
        handle.send(Command::SendFile {
            path,
            to: self.send_target(),
        });
    }

    /// Starts (`Some`) or stops saving received bytes.
    pub fn save_to(&mut self, path: Option<&str>) {
        self.save_error = None;
        let path = match path.map(str::trim) {
            Some("") => {
                self.save_error = Some(UiError::NoFile);
                return;
            }
            Some(path) => Some(PathBuf::from(path)),
            None => None,
        };
        // A folder that does not exist is said at once, open or not.
        if let Some(Err(err)) = path.as_deref().map(crate::engine::check_save_path) {
            self.save_error = Some(UiError::Net(err));
            return;
        }
        if let Some(handle) = &self.handle {
            handle.send(Command::SaveTo(path.clone()));
        }
        self.saving = path;
    }

    /// Disconnects one client of a server.
    pub fn kick(&mut self, addr: SocketAddr) {
        if let Some(handle) = &self.handle {
            handle.send(Command::Kick(addr));
        }
    }

    /// UDP: changes the default destination to the remote fields.
    pub fn apply_udp_target(&mut self) {
        self.open_error = None;
        let target = if self.settings.remote_host.trim().is_empty() {
            None
        } else {
            match self.remote_text() {
                Ok(text) => Some(text),
                Err(err) => {
                    self.open_error = Some(err);
                    return;
                }
            }
        };
        if let Some(handle) = &self.handle {
            handle.send(Command::SetUdpTarget(target));
        }
    }

    /// UDP: joins (`true`) or leaves a multicast group typed as text.
    pub fn multicast(&mut self, group: &str, join: bool) {
        self.open_error = None;
        let group = match room::parse_group(group) {
            Ok(group) => group,
            Err(err) => {
                self.open_error = Some(UiError::Option(err));
                return;
            }
        };
        let Some(handle) = &self.handle else {
            self.open_error = Some(UiError::NotOpen);
            return;
        };
        handle.send(if join {
            Command::JoinMulticast(group)
        } else {
            Command::LeaveMulticast(group)
        });
    }
}
