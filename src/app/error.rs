//! The window's errors: what a field, a send or the engine refused, kept as typed values and
//! put into words in the current language only when drawn (`i18n::error_text`).

use crate::codec::PayloadError;
use crate::engine::NetError;

use super::room::OptionError;

/// An error produced by the window or reported by the engine, translated when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiError {
    /// From the engine.
    Net(NetError),
    /// The send box could not be turned into bytes.
    Payload(PayloadError),
    /// A port field is empty.
    EmptyPort,
    /// A port field is not a number 0–65535.
    BadPort(String),
    /// The local address is not an IP address.
    BadLocalIp(String),
    /// The remote host is empty.
    EmptyHost,
    /// Nothing to send.
    EmptyPayload,
    /// Sending while closed.
    NotOpen,
    /// The cyclic interval is not a positive number of ms.
    BadInterval(String),
    /// The peer's send queue is over the limit (bytes queued): sends wait for it to read.
    PeerNotReading(usize),
    /// The cyclic count is not a positive number.
    BadCount(String),
    /// A file path is empty.
    NoFile,
    /// A room, heartbeat, rule or multicast option is wrong.
    Option(OptionError),
    // issue 15: tls
    /// A TLS certificate without its key file, or a key without its certificate.
    TlsPair,
    // issue 15: serial
    /// No serial port was chosen or typed.
    NoSerialPort,
    /// The baud rate is not a number from 1 to the maximum (what was typed).
    BadBaud(String),
}
