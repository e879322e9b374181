//! Every word the window shows, in English and 简体中文, switchable at run time.
//!
//! One interface, checked by the compiler for completeness:
//! - fixed words (labels, tooltips, hints) are the fields of [`Texts`] and [`SessionTexts`]
//!   (`texts.rs`); `en.rs` and `zh.rs` fill them as struct literals, so a field one language
//!   lacks does not compile;
//! - sentences built from facts (log notes, errors) are the methods of [`Messages`], which
//!   `En` (`en_messages.rs`) and `Zh` (`zh_messages.rs`, `zh_errors.rs`) implement; each
//!   matches every variant of the value it words, with no `_` arm, so a new note or error
//!   does not compile until both languages word it. English errors of the codec, the engine
//!   and the log are their own `Display` (the command line's sentences).
//!
//! Values are kept typed (`Info`, `UiError`, `OptionError`, …) and worded when drawn, so
//! switching the language rewords what is already on screen.

mod en;
mod en_messages;
mod texts;
mod zh;
mod zh_errors;
mod zh_messages;
// issue 15: websocket
mod ws_words;

use std::net::SocketAddr;

use super::error::UiError;
use super::room::OptionError;
use crate::codec::{FrameError, FramingSpecError, GaveUp, PayloadError};
use crate::engine::{CloseReason, InterfaceError, NetError, RuleError};
use crate::log::{ExportError, SearchError};

pub use crate::lang::Lang;
pub use texts::{SessionTexts, Texts};

impl Lang {
    /// This language's strings.
    pub fn t(self) -> &'static Texts {
        match self {
            Self::En => &en::TEXTS,
            Self::Zh => &zh::TEXTS,
        }
    }

    /// The strings of sessions, split view, presets, room options, framing and multicast.
    pub fn s(self) -> &'static SessionTexts {
        match self {
            Self::En => &en::SESSION_TEXTS,
            Self::Zh => &zh::SESSION_TEXTS,
        }
    }

    /// This language's sentences for notes and errors.
    pub fn m(self) -> &'static dyn Messages {
        match self {
            Self::En => &en_messages::En,
            Self::Zh => &zh_messages::Zh,
        }
    }
}

/// The sentences of one language: one method per kind of note or error.
pub trait Messages {
    /// A note in the log.
    fn info(&self, info: &Info) -> String;
    /// An error shown under a panel.
    fn ui_error(&self, err: &UiError) -> String;
    /// A room, heartbeat, rule or multicast option that cannot be used.
    fn option_error(&self, err: &OptionError) -> String;
    /// An auto-reply rule that cannot be read.
    fn rule_error(&self, err: &RuleError) -> String;
    /// A multicast interface that cannot be used.
    fn interface_error(&self, err: &InterfaceError) -> String;
    /// An engine error.
    fn net_error(&self, err: &NetError) -> String;
    /// Why a peer left.
    fn close_reason(&self, reason: &CloseReason) -> String;
    /// Typed text or hex that cannot become bytes.
    fn payload_error(&self, err: &PayloadError) -> String;
    /// A stream that does not fit its framing.
    fn frame_error(&self, err: &FrameError) -> String;
    /// The framing gave up on a stream: why, the likely fix, and that the rest is shown raw.
    fn gave_up(&self, gave_up: &GaveUp) -> String;
    /// A framing spec (`spec`) the codec refused with `codec_sentence` (English).
    fn framing_spec_error(&self, err: &FramingSpecError) -> String;
    /// A log search that cannot run.
    fn search_error(&self, err: &SearchError) -> String;
    /// A log export that failed.
    fn export_error(&self, err: &ExportError) -> String;
}

/// Notes the window writes into the log.
#[derive(Debug, Clone)]
pub enum Info {
    /// A server listens.
    Listening(SocketAddr),
    /// A client connected (local, remote).
    Connected(SocketAddr, Option<SocketAddr>),
    /// A UDP socket is bound.
    Bound(SocketAddr),
    /// A peer connected.
    PeerConnected,
    /// A peer left.
    PeerClosed(CloseReason),
    /// The engine reported an error.
    Error(NetError),
    /// The user closed the session.
    Closed,
    /// A multicast group was joined (true) or left.
    Multicast(std::net::IpAddr, bool),
    /// Framing view: the JSON header of the message that follows.
    FrameHeader(String),
    /// Framing view: a peer left in the middle of a message of this many bytes.
    FrameIncomplete(usize),
    /// Framing view: the stream does not fit the framing; its bytes are shown raw from here on
    /// (the codec's error and the likely fix).
    FrameGaveUp(crate::codec::GaveUp),
    /// A file is being sent: its name and size (its bytes are counted, not logged).
    FileSending(String, u64),
    /// A file was sent whole: its name and the bytes sent.
    FileSent(String, u64),
    // issue 13: udp drops
    /// The kernel started dropping datagrams (its count so far).
    KernelDrops(u64),
    /// The UDP receive buffer: asked for (`None`: the system's default) and granted.
    ReceiveBuffer(Option<usize>, usize),
    // issue 15: tls
    /// A TLS handshake finished: what was agreed.
    TlsSecured(crate::engine::TlsInfo),
    /// A certificate: the peer's (`false`) or our own (`true`), and whether it was made for
    /// this session.
    TlsCert(crate::engine::CertInfo, bool, bool),
    /// A certificate's SHA-256 fingerprint: the peer's (`false`) or our own (`true`).
    TlsFingerprint(String, bool),
    // issue 15: websocket
    /// A WebSocket note: the handshake's headers, a ping, a pong, a close frame.
    Ws(crate::engine::WsNote),
    // issue 15: serial
    /// A serial port opened: its name and settings (`9600 8N1`).
    SerialOpened(String, String),
    /// A serial bridge's TCP side listens here.
    BridgeListening(SocketAddr),
    /// A serial bridge's TCP side connected to this server.
    BridgeConnected(SocketAddr),
}

impl crate::log::record::Note for Info {
    fn text(&self, lang: Lang) -> String {
        lang.m().info(self)
    }
}

/// The text of a note in `lang`.
pub fn info_text(lang: Lang, info: &Info) -> String {
    lang.m().info(info)
}

/// An error as a sentence in `lang`.
pub fn error_text(lang: Lang, err: &UiError) -> String {
    lang.m().ui_error(err)
}

/// An option error as a sentence in `lang`.
pub fn option_error_text(lang: Lang, err: &OptionError) -> String {
    lang.m().option_error(err)
}

/// An engine error as a sentence in `lang`.
pub fn net_error_text(lang: Lang, err: &NetError) -> String {
    lang.m().net_error(err)
}

/// The count of matches in `lang`, with the one shown (`index`, 0-based) when there is one:
/// "1 match", "2 / 5 matches", "1 个匹配".
pub fn matches_text(lang: Lang, index: Option<usize>, count: usize) -> String {
    let t = lang.t();
    let word = if count == 1 { t.one_match } else { t.matches };
    match index {
        Some(index) => format!("{} / {count} {word}", index + 1),
        None => format!("{count} {word}"),
    }
}

/// A log-cap field (`label`) whose typed value (`typed`) is not a count.
pub fn bad_cap_text(lang: Lang, label: &str, typed: &str) -> String {
    format!("{label} '{typed}' {}", lang.t().bad_cap)
}

#[cfg(test)]
mod tests;
