//! The session's settings as an engine configuration, or the field that is wrong.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::engine::{SessionConfig, SessionKind};

use super::{SessionView, UiError, WINDOW_EVENT_CAPACITY, WINDOW_UDP_BURST_BYTES};
use crate::app::room;
use crate::app::settings::Protocol;

impl SessionView {
    /// Builds the engine configuration from the settings, or says what is wrong.
    pub fn config(&self) -> Result<SessionConfig, UiError> {
        let s = &self.settings;
        // issue 15: serial — a serial port is a TCP client in everything but its transport
        // (its address fields are not used).
        let ip = if s.serial.enabled {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            parse_ip(&s.local_ip)?
        };
        let mut config = match s.protocol {
            _ if s.serial.enabled => s.serial.config()?,
            Protocol::TcpServer => {
                SessionConfig::tcp_server(SocketAddr::new(ip, parse_port(&s.local_port)?))
            }
            Protocol::Udp => {
                let bind = SocketAddr::new(ip, parse_port(&s.local_port)?);
                let target = if s.remote_host.trim().is_empty() && s.remote_port.trim().is_empty() {
                    None
                } else {
                    Some(self.remote_text()?)
                };
                SessionConfig::udp(bind, target)
            }
            Protocol::TcpClient => {
                let remote = if s.ws.enabled {
                    // issue 15: websocket — the URL names the server (see below).
                    String::new()
                } else {
                    self.remote_text()?
                };
                let port = if s.client_local_port.trim().is_empty() {
                    0
                } else {
                    parse_port(&s.client_local_port)?
                };
                let local =
                    (port != 0 || !ip.is_unspecified()).then_some(SocketAddr::new(ip, port));
                let mut config = SessionConfig::tcp_client(remote);
                if let SessionKind::TcpClient { local: slot, .. } = &mut config.kind {
                    *slot = local;
                }
                config
            }
        };
        config.save_to.clone_from(&self.saving);
        // What may wait between the engine and the window counts against the memory beside
        // the log cap: 256 reads of up to 64 KiB (16 MiB) keep a TCP flood moving through the
        // frames, and 16 MiB of datagrams absorb a UDP burst while a frame is drawn.
        config.event_capacity = WINDOW_EVENT_CAPACITY;
        config.udp_burst_bytes = WINDOW_UDP_BURST_BYTES;
        config.send_queue = s.send.send_queue();
        let encoding = s.receive.encoding();
        if s.protocol != Protocol::TcpClient {
            let options = s.room.options().map_err(UiError::Option)?;
            config.echo = options.echo;
            config.relay = options.relay;
            config.quit_line = options.quit_line;
            if s.protocol == Protocol::Udp {
                config.peer_timeout = options.peer_timeout;
                config.room_heartbeat = options.room_heartbeat;
            }
        }
        // issue 15: tls
        config.tls = match s.protocol {
            Protocol::TcpClient if s.serial.enabled => None,
            Protocol::TcpClient => s.tls.client()?,
            Protocol::TcpServer => s.tls.server()?,
            Protocol::Udp => None,
        };
        // issue 15: websocket — the client's URL names the server (and wss:// TLS under it).
        match s.protocol {
            Protocol::TcpClient => {
                if let Some(url) = s.ws.client_url()? {
                    if let SessionKind::TcpClient { remote, .. } = &mut config.kind {
                        *remote = url.remote();
                    }
                    config.tls = if url.secure {
                        let tls = crate::app::tls_settings::TlsSettings {
                            enabled: true,
                            ..s.tls.clone()
                        };
                        tls.client()?
                    } else {
                        None
                    };
                }
                config.websocket = s.ws.client()?;
            }
            Protocol::TcpServer => config.websocket = s.ws.server(),
            Protocol::Udp => {}
        }
        config.auto_replies = room::rules(&s.rules, encoding).map_err(UiError::Option)?;
        s.heartbeat.heartbeat(encoding).map_err(UiError::Option)?;
        let v6 = matches!(config.kind, SessionKind::Udp { bind, .. } if bind.is_ipv6());
        if let SessionKind::Udp { broadcast, .. } = &mut config.kind {
            *broadcast = s.multicast.broadcast;
            config.multicast = s.multicast.multicast(v6).map_err(UiError::Option)?;
            config.udp_recv_buffer = s.multicast.recv_buffer();
        }
        Ok(config)
    }

    /// `host:port` of the remote fields, IPv6 literals in brackets.
    pub fn remote_text(&self) -> Result<String, UiError> {
        let host = self.settings.remote_host.trim();
        if host.is_empty() {
            return Err(UiError::EmptyHost);
        }
        let port = parse_port(&self.settings.remote_port)?;
        if host.contains(':') && !host.starts_with('[') {
            Ok(format!("[{host}]:{port}"))
        } else {
            Ok(format!("{host}:{port}"))
        }
    }
}

fn parse_port(text: &str) -> Result<u16, UiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(UiError::EmptyPort);
    }
    text.parse().map_err(|_| UiError::BadPort(text.to_owned()))
}

fn parse_ip(text: &str) -> Result<IpAddr, UiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    }
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| UiError::BadLocalIp(text.to_owned()))
}
