//! Chat-room options of a session as the window keeps them (relay, leave rules, heartbeat,
//! auto-reply rules, multicast) and their translation into engine settings. Typed values stay
//! strings so a half-typed field is kept as typed; they are checked when turned into engine
//! values, and the error names the field.

use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::codec::{
    InputMode, PayloadError, PayloadOptions, TextEncoding, build_payload, parse_hex,
};
use crate::engine::{
    AutoReply, Heartbeat, InterfaceError, Multicast, Payload, Relay, RuleError, RuleThen, RuleWhen,
    Target, build_rule, parse_multicast_interface,
};

/// Why an option could not be turned into an engine setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionError {
    /// The peer timeout is not a positive number of seconds.
    BadTimeout(String),
    /// The heartbeat interval is not a positive number of ms.
    BadHeartbeatInterval(String),
    /// The heartbeat payload cannot be turned into bytes.
    BadHeartbeatPayload(PayloadError),
    /// The heartbeat payload is empty.
    EmptyHeartbeatPayload,
    /// The quit line is empty.
    EmptyQuitLine,
    /// Rule `index` (from 1) is wrong, for `reason`.
    BadRule(usize, RuleError),
    /// A multicast group is not an IP address.
    BadGroup(String),
    /// The multicast interface is not one of this machine's.
    BadInterface(InterfaceError),
    /// The TTL is not 0–255.
    BadTtl(String),
}

/// Relay, echo and the rules for leaving the room.
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is a checkbox of the panel"
)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoomSettings {
    /// Send each received chunk back to its sender.
    pub echo: bool,
    /// Forward each message to every other peer.
    pub relay: bool,
    /// Relay also back to the sender.
    pub relay_to_sender: bool,
    /// Put `ip:port\n` of the sender before each relayed message.
    pub relay_prefix: bool,
    /// Disconnect a TCP client that sends `quit_line`.
    pub quit_on: bool,
    /// The line that makes a TCP client leave.
    pub quit_line: String,
    /// Drop UDP peers silent for longer than `timeout_secs`.
    pub timeout_on: bool,
    /// Seconds of silence before a UDP peer is dropped (typed; decimals allowed).
    pub timeout_secs: String,
    /// UDP: consume datagrams equal to `heartbeat` (refresh the sender, do not relay).
    pub heartbeat_on: bool,
    /// UDP: the room's heartbeat payload, as typed (e.g. `#ping#`).
    pub heartbeat: String,
    /// A chat room made by a preset that this session belongs to (0: none). Its server and
    /// its clients share the number, which is persisted, so "Open all" after a restart opens
    /// the server first and connects the clients to the port it got.
    pub preset_room: u64,
    /// A client of `preset_room`: it connects to the room server's port on "Open all".
    pub room_client: bool,
}

impl Default for RoomSettings {
    fn default() -> Self {
        Self {
            echo: false,
            relay: false,
            relay_to_sender: false,
            relay_prefix: true,
            quit_on: false,
            quit_line: "/quit".to_owned(),
            timeout_on: false,
            timeout_secs: "10".to_owned(),
            heartbeat_on: true,
            heartbeat: "#ping#".to_owned(),
            preset_room: 0,
            room_client: false,
        }
    }
}

/// The engine's form of [`RoomSettings`].
#[derive(Debug, Clone, PartialEq)]
pub struct RoomOptions {
    /// Echo on.
    pub echo: bool,
    /// Relay, if on.
    pub relay: Option<Relay>,
    /// The quit line, if on.
    pub quit_line: Option<Vec<u8>>,
    /// The UDP peer timeout, if on.
    pub peer_timeout: Option<Duration>,
    /// UDP: the heartbeat consumed instead of relayed, if on.
    pub room_heartbeat: Option<Vec<u8>>,
}

impl RoomSettings {
    /// The engine options, or what is wrong.
    pub fn options(&self) -> Result<RoomOptions, OptionError> {
        let relay = self.relay.then_some(Relay {
            include_sender: self.relay_to_sender,
            prefix_peer: self.relay_prefix,
        });
        let quit_line = if self.quit_on {
            let line = self.quit_line.trim();
            if line.is_empty() {
                return Err(OptionError::EmptyQuitLine);
            }
            Some(line.as_bytes().to_vec())
        } else {
            None
        };
        let peer_timeout = if self.timeout_on {
            Some(parse_seconds(&self.timeout_secs)?)
        } else {
            None
        };
        Ok(RoomOptions {
            echo: self.echo,
            relay,
            quit_line,
            peer_timeout,
            room_heartbeat: self.consumed_heartbeat().map(<[u8]>::to_vec),
        })
    }

    /// UDP: the heartbeat datagram the room consumes, if on and not blank.
    pub fn consumed_heartbeat(&self) -> Option<&[u8]> {
        let beat = self.heartbeat.trim();
        (self.heartbeat_on && !beat.is_empty()).then_some(beat.as_bytes())
    }
}

fn parse_seconds(text: &str) -> Result<Duration, OptionError> {
    let bad = || OptionError::BadTimeout(text.trim().to_owned());
    let secs: f64 = text.trim().parse().map_err(|_| bad())?;
    if !secs.is_finite() || secs <= 0.0 || secs > 86_400.0 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A payload sent on a timer beside manual and cyclic sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeartbeatSettings {
    /// Running while the session is open.
    pub on: bool,
    /// What is sent: text with escapes (`\r \n \xNN`), or hex when `hex` is set.
    pub payload: String,
    /// The payload is hex.
    pub hex: bool,
    /// Interval in ms (typed).
    pub interval_ms: String,
}

impl Default for HeartbeatSettings {
    fn default() -> Self {
        Self {
            on: false,
            payload: "#ping#".to_owned(),
            hex: false,
            interval_ms: "5000".to_owned(),
        }
    }
}

impl HeartbeatSettings {
    /// The engine heartbeat (`None` when off), or what is wrong.
    pub fn heartbeat(&self, encoding: TextEncoding) -> Result<Option<Heartbeat>, OptionError> {
        if !self.on {
            return Ok(None);
        }
        let interval = match self.interval_ms.trim().parse::<u64>() {
            Ok(ms) if ms > 0 => Duration::from_millis(ms),
            _ => {
                return Err(OptionError::BadHeartbeatInterval(
                    self.interval_ms.trim().to_owned(),
                ));
            }
        };
        let payload = typed_bytes(&self.payload, self.hex, encoding)
            .map_err(OptionError::BadHeartbeatPayload)?;
        if payload.is_empty() {
            return Err(OptionError::EmptyHeartbeatPayload);
        }
        Ok(Some(Heartbeat {
            payload: Payload::from(payload),
            interval,
            to: Target::Default,
        }))
    }
}

/// Text with escapes, or hex, as bytes.
fn typed_bytes(text: &str, hex: bool, encoding: TextEncoding) -> Result<Vec<u8>, PayloadError> {
    if hex {
        return Ok(parse_hex(text)?);
    }
    let options = PayloadOptions {
        mode: InputMode::Text,
        encoding,
        escapes: true,
        eol: crate::codec::Eol::None,
        checksum: None,
    };
    build_payload(text, &options)
}

/// What a rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RuleMatch {
    /// Received data contains this text (escapes allowed).
    #[default]
    Contains,
    /// Received data is exactly these hex bytes.
    HexEquals,
    /// A regular expression matches the data.
    Regex,
}

/// What a matching rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RuleAction {
    /// Reply with text (escapes allowed).
    #[default]
    ReplyText,
    /// Reply with hex bytes.
    ReplyHex,
    /// Send the data back.
    Echo,
    /// Disconnect the peer.
    Disconnect,
}

/// One auto-reply rule as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleSettings {
    /// Switched on.
    pub on: bool,
    /// The kind of condition.
    pub when: RuleMatch,
    /// Text, hex or regular expression.
    pub pattern: String,
    /// The consequence.
    pub then: RuleAction,
    /// The reply (text or hex, by `then`).
    pub reply: String,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self {
            on: true,
            when: RuleMatch::Contains,
            pattern: "ping".to_owned(),
            then: RuleAction::ReplyText,
            reply: "pong\\n".to_owned(),
        }
    }
}

impl RuleSettings {
    /// The engine rule, or why not: read by the engine's one rule parser (as the command
    /// line's `--auto-reply` is), text with escapes in `encoding`.
    pub fn rule(&self, encoding: TextEncoding) -> Result<AutoReply, RuleError> {
        let when = match self.when {
            RuleMatch::Contains => RuleWhen::Contains,
            RuleMatch::HexEquals => RuleWhen::HexEquals,
            RuleMatch::Regex => RuleWhen::Regex,
        };
        let then = match self.then {
            RuleAction::ReplyText => RuleThen::ReplyText,
            RuleAction::ReplyHex => RuleThen::ReplyHex,
            RuleAction::Echo => RuleThen::Echo,
            RuleAction::Disconnect => RuleThen::Disconnect,
        };
        let text = PayloadOptions {
            encoding,
            escapes: true,
            ..PayloadOptions::default()
        };
        build_rule(when, &self.pattern, then, &self.reply, &text)
    }
}

/// The engine rules of the switched-on entries, or the first error (numbered from 1).
pub fn rules(list: &[RuleSettings], encoding: TextEncoding) -> Result<Vec<AutoReply>, OptionError> {
    list.iter()
        .enumerate()
        .filter(|(_, rule)| rule.on)
        .map(|(index, rule)| {
            rule.rule(encoding)
                .map_err(|reason| OptionError::BadRule(index + 1, reason))
        })
        .collect()
}

/// UDP broadcast and multicast options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MulticastSettings {
    /// Allow sending to broadcast addresses (255.255.255.255, subnet broadcast).
    pub broadcast: bool,
    /// Groups joined when the session opens, separated by commas or spaces.
    pub groups: String,
    /// IPv4: the interface address to join on; IPv6: the interface index. Empty: the system's
    /// choice.
    pub interface: String,
    /// TTL / hop limit of multicast datagrams sent (typed, empty: the system default).
    pub ttl: String,
    /// Receive our own multicast datagrams.
    pub loopback: bool,
    /// The group typed for Join/Leave while open.
    pub draft_group: String,
    /// Issue 13: the receive buffer to ask for, in MiB (0: the system's default).
    pub recv_buffer_mib: u32,
}

impl Default for MulticastSettings {
    fn default() -> Self {
        Self {
            broadcast: false,
            groups: String::new(),
            interface: String::new(),
            ttl: String::new(),
            loopback: true,
            draft_group: "239.255.0.1".to_owned(),
            recv_buffer_mib: 4,
        }
    }
}

impl MulticastSettings {
    /// The receive buffer to ask the engine for (`None`: the system's default).
    pub fn recv_buffer(&self) -> Option<usize> {
        let mib = usize::try_from(self.recv_buffer_mib).unwrap_or(usize::MAX);
        (mib > 0).then(|| mib.saturating_mul(1024 * 1024))
    }

    /// The engine's multicast options, or what is wrong; `v6`: the socket is IPv6 (an
    /// interface named by its name then gives its index).
    pub fn multicast(&self, v6: bool) -> Result<Multicast, OptionError> {
        let groups = self
            .groups
            .split([',', ' ', ';'])
            .filter(|g| !g.trim().is_empty())
            .map(parse_group)
            .collect::<Result<Vec<_>, _>>()?;
        let mut multicast = Multicast {
            groups,
            loopback: Some(self.loopback),
            ..Multicast::default()
        };
        let interface = self.interface.trim();
        if !interface.is_empty() {
            parse_multicast_interface(interface, v6)
                .map_err(OptionError::BadInterface)?
                .apply_to(&mut multicast);
        }
        let ttl = self.ttl.trim();
        if !ttl.is_empty() {
            match ttl.parse::<u8>() {
                Ok(ttl) => multicast.ttl = Some(u32::from(ttl)),
                Err(_) => return Err(OptionError::BadTtl(ttl.to_owned())),
            }
        }
        Ok(multicast)
    }
}

/// A group address as typed (IPv6 may be in brackets).
pub fn parse_group(text: &str) -> Result<IpAddr, OptionError> {
    let trimmed = text.trim();
    trimmed
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| OptionError::BadGroup(trimmed.to_owned()))
}

#[cfg(test)]
mod tests;
