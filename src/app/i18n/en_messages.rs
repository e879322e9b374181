//! The window's sentences in English: notes and errors. Errors of the codec, the engine and
//! the log speak through their own English `Display` (the command line's sentences); the
//! window's own are worded here.

use super::{Info, Messages};
use crate::app::error::UiError;
use crate::app::room::OptionError;
use crate::codec::{FrameError, FramingSpecError, GaveUp, PayloadError};
use crate::engine::{CloseReason, InterfaceError, NetError, RuleError, human_size};
use crate::log::{ExportError, SearchError};

/// English.
pub struct En;

impl Messages for En {
    fn info(&self, info: &Info) -> String {
        match info {
            Info::Listening(addr) => format!("listening on {addr}"),
            Info::Connected(local, Some(remote)) => format!("connected to {remote} from {local}"),
            Info::Connected(local, None) => format!("connected from {local}"),
            Info::Bound(addr) => format!("UDP bound to {addr}"),
            Info::PeerConnected => "connected".to_owned(),
            // This reason already ends in "— disconnected".
            Info::PeerClosed(reason @ CloseReason::StoppedReading { .. }) => reason.to_string(),
            Info::PeerClosed(reason) => format!("disconnected: {}", self.close_reason(reason)),
            Info::Error(err) => self.net_error(err),
            Info::Closed => "closed".to_owned(),
            Info::Multicast(group, true) => format!("joined multicast group {group}"),
            Info::Multicast(group, false) => format!("left multicast group {group}"),
            Info::FrameHeader(header) => format!("header {header}"),
            Info::FrameIncomplete(len) => {
                format!("the peer left in the middle of a message ({len} bytes above)")
            }
            Info::FrameGaveUp(gave_up) => self.gave_up(gave_up),
            Info::FileSending(name, size) => format!("sending file {name} ({size} bytes)…"),
            Info::FileSent(name, size) => format!("sent file {name} ({size} bytes, 100 %)"),
            Info::KernelDrops(total) => format!(
                "the system dropped {total} datagrams: the receive buffer was full (a larger receive buffer absorbs longer bursts)"
            ),
            Info::ReceiveBuffer(asked, granted) => {
                let granted_text = human_size(*granted);
                match asked {
                    None => format!("receive buffer {granted_text} (the system's default)"),
                    Some(asked) if granted < asked => format!(
                        "receive buffer {granted_text} — asked for {}; the system caps it (Linux: raise it with sudo sysctl -w net.core.rmem_max={asked})",
                        human_size(*asked)
                    ),
                    Some(_) => format!("receive buffer {granted_text}"),
                }
            }
            Info::TlsSecured(info) => info.summary(),
            Info::TlsCert(cert, own, self_signed) => cert.summary(match (own, self_signed) {
                (true, true) => "our self-signed",
                (true, false) => "our",
                (false, _) => "peer",
            }),
            Info::TlsFingerprint(sha, true) => {
                format!("our certificate's SHA-256 fingerprint: {sha}")
            }
            Info::TlsFingerprint(sha, false) => format!("peer certificate SHA-256 {sha}"),
            // issue 15: websocket
            Info::Ws(note) => super::ws_words::note_en(note),
            // issue 15: serial
            Info::SerialOpened(port, settings) => format!("opened {port} at {settings}"),
            Info::BridgeListening(addr) => {
                format!("bridge: listening on {addr} — TCP clients get the port's bytes")
            }
            Info::BridgeConnected(addr) => {
                format!("bridge: connected to {addr} — it gets the port's bytes")
            }
        }
    }

    fn ui_error(&self, err: &UiError) -> String {
        match err {
            UiError::Net(err) => self.net_error(err),
            UiError::Payload(err) => self.payload_error(err),
            UiError::EmptyPort => "the port is empty — enter a number from 0 to 65535".to_owned(),
            UiError::BadPort(text) => format!("the port '{text}' must be a number from 0 to 65535"),
            UiError::BadLocalIp(text) => {
                format!("'{text}' is not an IP address — choose one from the list")
            }
            UiError::TlsPair => "a TLS certificate needs its key file (and a key its certificate): fill in both, or neither".to_owned(),
            UiError::EmptyHost => {
                "the remote host is empty — enter an IP address or a host name".to_owned()
            }
            UiError::EmptyPayload => "nothing to send — type some data first".to_owned(),
            UiError::NotOpen => "not open — press Open first".to_owned(),
            UiError::BadInterval(text) => {
                format!("the interval '{text}' must be a whole number of milliseconds above 0")
            }
            UiError::PeerNotReading(queued) => {
                format!(
                    "waiting for the peer to read ({} KiB queued)",
                    queued / 1024
                )
            }
            UiError::BadCount(text) => format!(
                "the count '{text}' must be a whole number above 0, or empty to repeat until stopped"
            ),
            UiError::NoFile => "no file chosen — type a path or press …".to_owned(),
            UiError::Option(err) => self.option_error(err),
            // issue 15: serial
            UiError::NoSerialPort => "no serial port chosen — pick one from the list (press Refresh to look again) or type its path, e.g. /dev/ttyUSB0 or COM3".to_owned(),
            UiError::BadBaud(text) => format!(
                "the baud rate '{text}' must be a whole number from 1 to {}, e.g. 9600 or 115200",
                crate::engine::MAX_BAUD
            ),
        }
    }

    fn option_error(&self, err: &OptionError) -> String {
        match err {
            OptionError::BadTimeout(text) => format!(
                "the silence limit '{text}' must be a number of seconds above 0, e.g. 10 or 0.5"
            ),
            OptionError::BadHeartbeatInterval(text) => format!(
                "the heartbeat interval '{text}' must be a whole number of milliseconds above 0"
            ),
            OptionError::EmptyHeartbeatPayload => {
                "the heartbeat payload is empty — type what to send".to_owned()
            }
            OptionError::BadHeartbeatPayload(err) => {
                format!(
                    "the heartbeat payload is wrong: {}",
                    self.payload_error(err)
                )
            }
            OptionError::EmptyQuitLine => {
                "the leave line is empty — type e.g. /quit or bye".to_owned()
            }
            OptionError::BadRule(index, err) => format!("rule {index}: {}", self.rule_error(err)),
            OptionError::BadGroup(text) => format!(
                "'{text}' is not a group address — use 224.0.0.0/4 (e.g. 239.255.0.1) or ff00::/8 (e.g. ff02::1)"
            ),
            OptionError::BadInterface(err) => self.interface_error(err),
            OptionError::BadTtl(text) => {
                format!("the TTL '{text}' must be a whole number from 0 to 255")
            }
        }
    }

    fn rule_error(&self, err: &RuleError) -> String {
        err.to_string()
    }

    fn interface_error(&self, err: &InterfaceError) -> String {
        err.to_string()
    }

    fn net_error(&self, err: &NetError) -> String {
        err.to_string()
    }

    fn close_reason(&self, reason: &CloseReason) -> String {
        reason.to_string()
    }

    fn payload_error(&self, err: &PayloadError) -> String {
        err.to_string()
    }

    fn frame_error(&self, err: &FrameError) -> String {
        err.to_string()
    }

    fn gave_up(&self, gave_up: &GaveUp) -> String {
        gave_up.to_string()
    }

    fn framing_spec_error(&self, err: &FramingSpecError) -> String {
        err.to_string()
    }

    fn search_error(&self, err: &SearchError) -> String {
        err.to_string()
    }

    fn export_error(&self, err: &ExportError) -> String {
        err.to_string()
    }
}
