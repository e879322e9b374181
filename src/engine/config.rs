//! What a session is asked to be: its kind, addresses and standing options.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs as _};
use std::path::PathBuf;
use std::time::Duration;

use super::error::{NetError, Result};
use super::rules::AutoReply;

/// The three kinds of session netassist opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionKind {
    /// Connect to `remote` (`host:port`), optionally from a chosen local address.
    TcpClient {
        /// `host:port`, `ip:port` or `[ipv6]:port`; host names are resolved on the I/O thread.
        remote: String,
        /// Bind here before connecting (port 0 lets the system choose).
        local: Option<SocketAddr>,
        /// Give up connecting after this long.
        connect_timeout: Duration,
    },
    /// Listen on `bind` and accept any number of clients.
    TcpServer {
        /// The address to listen on.
        bind: SocketAddr,
    },
    /// A UDP socket bound to `bind`, sending to `target` unless told otherwise.
    Udp {
        /// The local address (port 0 lets the system choose).
        bind: SocketAddr,
        /// The default destination, `host:port`; resolved on the I/O thread.
        target: Option<String>,
        /// Allow sending to broadcast addresses.
        broadcast: bool,
    },
    // issue 15: serial
    /// A serial port, optionally bridged to a TCP server or client.
    Serial {
        /// What to open, e.g. `/dev/ttyUSB0`, `/dev/pts/7` or `COM3`.
        port: String,
        /// Baud rate, data bits, parity, stop bits, flow control, DTR and RTS.
        options: super::serial::SerialOptions,
        /// Forward the port's bytes to this TCP side and back.
        bridge: Option<super::serial::Bridge>,
    },
}

/// How a relaying session forwards what one peer sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Relay {
    /// Also send each message back to its sender.
    pub include_sender: bool,
    /// Put `ip:port\n` of the sender before each forwarded message, as the classic chat room does.
    pub prefix_peer: bool,
}

/// Everything needed to open a session.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// What to open.
    pub kind: SessionKind,
    /// Send each received chunk back to its sender.
    pub echo: bool,
    /// Forward each received chunk to the other peers (TCP server, UDP).
    pub relay: Option<Relay>,
    /// Append every received byte to this file.
    pub save_to: Option<PathBuf>,
    /// How many events may wait for the consumer; when full, TCP stops reading.
    pub event_capacity: usize,
    /// UDP: how many bytes of datagrams may wait beyond `event_capacity` for a consumer that
    /// is behind (a burst allowance; the kernel's own buffer holds ~200 KiB). Past it,
    /// datagrams are counted as dropped.
    pub udp_burst_bytes: usize,
    /// A TCP peer that sends this line (e.g. `/quit`, `bye`) is disconnected; the line is not relayed.
    pub quit_line: Option<Vec<u8>>,
    /// UDP: a peer silent for longer than this leaves the room.
    pub peer_timeout: Option<Duration>,
    /// UDP room: a datagram equal to this heartbeat (e.g. `#ping#`; a trailing `\n` or `\r\n`
    /// is allowed) only says the sender is still there: it refreshes the sender's "last heard"
    /// and is not relayed. It is still received (shown, counted, saved).
    pub room_heartbeat: Option<Vec<u8>>,
    /// Rules that answer received data.
    pub auto_replies: Vec<AutoReply>,
    /// UDP: multicast groups and options.
    pub multicast: Multicast,
    /// TCP: how much may wait for one peer, and how long a peer over it may take nothing.
    pub send_queue: SendQueue,
    /// UDP: the receive buffer to ask the kernel for, in bytes (`None`: the system's default,
    /// ~208 KiB on Linux). It holds a burst while the session is busy; the kernel may grant
    /// less (Linux caps it at `net.core.rmem_max`), and what it granted is reported with
    /// [`Event::ReceiveBuffer`](super::Event::ReceiveBuffer).
    pub udp_recv_buffer: Option<usize>,
    // issue 15: tls
    /// TLS over a TCP client or server (`None`: plain TCP). Client options on a client,
    /// server options on a server.
    pub tls: Option<super::tls::TlsOptions>,
    // issue 15: websocket
    /// WebSocket over a TCP client or server (above TLS when `tls` is set; `None`: none).
    pub websocket: Option<super::websocket::WsOptions>,
}

/// The bound on each TCP peer's send queue (bytes accepted but not yet written to its socket).
///
/// While a peer has more than `limit` bytes waiting, the session stops producing more for it:
/// a relay, echo or auto-reply stops reading the sockets that would feed it (TCP backpressure,
/// nothing is lost), timed sends wait, and front ends hold back their own sends (see
/// [`Event::SendQueue`](super::Event::SendQueue)). It goes on once the queue is down to half
/// the limit. A peer that takes no byte for `stall` while over the limit is disconnected with
/// [`CloseReason::StoppedReading`](super::CloseReason::StoppedReading), and the others go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendQueue {
    /// Bytes that may wait for one peer before the session holds back (at least 1).
    pub limit: usize,
    /// How long a peer over the limit may take no bytes before it is disconnected.
    pub stall: Duration,
}

impl SendQueue {
    /// The default limit: 8 MiB.
    pub const DEFAULT_LIMIT: usize = 8 * 1024 * 1024;
    /// The default time a peer over the limit may take nothing: 5 s.
    pub const DEFAULT_STALL: Duration = Duration::from_secs(5);

    /// The same bound with a limit of at least one byte (0 would hold back for ever).
    pub(crate) fn at_least_one_byte(self) -> Self {
        Self {
            limit: self.limit.max(1),
            ..self
        }
    }

    /// Where holding back ends: half the limit, so a queue near the limit does not switch
    /// on and off with every write.
    pub(crate) fn resume_at(&self) -> usize {
        self.limit / 2
    }
}

impl Default for SendQueue {
    fn default() -> Self {
        Self {
            limit: Self::DEFAULT_LIMIT,
            stall: Self::DEFAULT_STALL,
        }
    }
}

/// UDP multicast: the groups to join at open and how to send to groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multicast {
    /// Groups to join when the socket opens (IPv4 or IPv6, matching the bound address).
    pub groups: Vec<IpAddr>,
    /// IPv4: the interface address to join on (0.0.0.0 lets the system choose).
    pub interface_v4: Ipv4Addr,
    /// IPv6: the interface index to join on (0 lets the system choose).
    pub interface_v6: u32,
    /// Time to live (hop limit) of multicast datagrams sent.
    pub ttl: Option<u32>,
    /// Whether this machine receives its own multicast datagrams.
    pub loopback: Option<bool>,
}

impl Default for Multicast {
    fn default() -> Self {
        Self {
            groups: Vec::new(),
            interface_v4: Ipv4Addr::UNSPECIFIED,
            interface_v6: 0,
            ttl: None,
            loopback: None,
        }
    }
}

impl SessionConfig {
    /// A configuration of the given kind with the default options.
    pub fn new(kind: SessionKind) -> Self {
        Self {
            kind,
            echo: false,
            relay: None,
            save_to: None,
            event_capacity: 1024,
            udp_burst_bytes: 32 * 1024 * 1024,
            quit_line: None,
            peer_timeout: None,
            room_heartbeat: None,
            auto_replies: Vec::new(),
            multicast: Multicast::default(),
            send_queue: SendQueue::default(),
            udp_recv_buffer: Some(Self::DEFAULT_UDP_RECV_BUFFER),
            tls: None,
            websocket: None,
        }
    }

    /// The UDP receive buffer asked for by default: 4 MiB.
    pub const DEFAULT_UDP_RECV_BUFFER: usize = 4 * 1024 * 1024;

    /// A TCP client connecting to `remote` (`host:port`).
    pub fn tcp_client(remote: impl Into<String>) -> Self {
        Self::new(SessionKind::TcpClient {
            remote: remote.into(),
            local: None,
            connect_timeout: Duration::from_secs(10),
        })
    }

    /// A TCP server listening on `bind`.
    pub fn tcp_server(bind: SocketAddr) -> Self {
        Self::new(SessionKind::TcpServer { bind })
    }

    /// A TLS client connecting to `remote` (`host:port`).
    pub fn tls_client(remote: impl Into<String>, options: super::tls::TlsClientOptions) -> Self {
        let mut config = Self::tcp_client(remote);
        config.tls = Some(super::tls::TlsOptions::Client(options));
        config
    }

    /// A TLS server listening on `bind`.
    pub fn tls_server(bind: SocketAddr, options: super::tls::TlsServerOptions) -> Self {
        let mut config = Self::tcp_server(bind);
        config.tls = Some(super::tls::TlsOptions::Server(options));
        config
    }

    // issue 15: websocket
    /// A WebSocket client of `url` (`ws://…`, or `wss://…` with `tls` under it: the
    /// default TLS options when `None`).
    pub fn ws_client(url: &str, tls: Option<super::tls::TlsClientOptions>) -> Result<Self> {
        let parsed = super::websocket::WsUrl::parse(url).map_err(NetError::Ws)?;
        let mut config = Self::tcp_client(parsed.remote());
        if parsed.secure {
            config.tls = Some(super::tls::TlsOptions::Client(tls.unwrap_or_default()));
        }
        config.websocket = Some(super::websocket::WsOptions::client(url.trim()));
        Ok(config)
    }

    /// A WebSocket server on `bind` serving `path` (`None`: every path), with TLS under it
    /// (`wss://`) when `tls` is given.
    pub fn ws_server(
        bind: SocketAddr,
        path: Option<String>,
        tls: Option<super::tls::TlsServerOptions>,
    ) -> Self {
        let mut config = Self::tcp_server(bind);
        config.tls = tls.map(super::tls::TlsOptions::Server);
        config.websocket = Some(super::websocket::WsOptions::server(path));
        config
    }

    /// A serial port session (issue 15: serial).
    pub fn serial(port: impl Into<String>, options: super::serial::SerialOptions) -> Self {
        Self::new(SessionKind::Serial {
            port: port.into(),
            options,
            bridge: None,
        })
    }

    /// A UDP socket on `bind`, sending to `target` by default.
    pub fn udp(bind: SocketAddr, target: Option<String>) -> Self {
        Self::new(SessionKind::Udp {
            bind,
            target,
            broadcast: false,
        })
    }
}

/// Parses `ip:port` or `[ipv6]:port` without touching the network.
pub fn parse_socket_addr(input: &str) -> Result<SocketAddr> {
    let trimmed = input.trim();
    trimmed.parse().map_err(|_| NetError::InvalidAddress {
        input: input.to_owned(),
        hint: address_hint(trimmed, 0),
    })
}

/// Checks that `input` is written as a remote `host:port` (names allowed) without touching
/// the network: a host, a colon and a port from 1 to 65535. The error says what is wrong.
pub fn check_remote(input: &str) -> Result<()> {
    let trimmed = input.trim();
    if trimmed.parse::<SocketAddr>().is_ok_and(|a| a.port() != 0) {
        return Ok(());
    }
    match split_host_port(trimmed) {
        Some((host, port)) if port != 0 && host_problem(host).is_none() => Ok(()),
        _ => Err(NetError::InvalidAddress {
            input: input.to_owned(),
            hint: address_hint(trimmed, 1),
        }),
    }
}

/// Resolves `host:port` (names allowed) to every address it stands for, IPv4 first.
///
/// This may block on DNS; call it from the I/O thread.
pub fn resolve(input: &str) -> Result<Vec<SocketAddr>> {
    let trimmed = input.trim();
    check_remote(input)?;
    if let Ok(addr) = trimmed.parse::<SocketAddr>() {
        return Ok(vec![addr]);
    }
    let Some((host, port)) = split_host_port(trimmed) else {
        return Err(NetError::InvalidAddress {
            input: input.to_owned(),
            hint: address_hint(trimmed, 1),
        });
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    // RFC 6761: names under .invalid never exist; say so without asking a DNS server.
    let lower = host.trim_end_matches('.').to_ascii_lowercase();
    if lower == "invalid" || lower.ends_with(".invalid") {
        return Err(NetError::Resolve {
            host: host.to_owned(),
            reason: "names under .invalid never exist".to_owned(),
        });
    }
    match (host, port).to_socket_addrs() {
        Ok(addrs) => {
            let mut addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                return Err(NetError::Resolve {
                    host: host.to_owned(),
                    reason: "no address found".to_owned(),
                });
            }
            addrs.sort_by_key(SocketAddr::is_ipv6);
            Ok(addrs)
        }
        Err(err) => Err(NetError::Resolve {
            host: host.to_owned(),
            reason: err.to_string(),
        }),
    }
}

fn split_host_port(input: &str) -> Option<(&str, u16)> {
    let (host, port) = input.rsplit_once(':')?;
    if host.is_empty() || (host.contains(':') && !host.starts_with('[')) {
        return None;
    }
    let port = port.parse().ok()?;
    Some((host, port))
}

/// What is wrong with the host part of `host:port`, if anything.
fn host_problem(host: &str) -> Option<String> {
    if host.is_empty() {
        return Some("the host is missing, e.g. 127.0.0.1:8080".to_owned());
    }
    if let Some(inner) = host.strip_prefix('[') {
        return match inner.strip_suffix(']') {
            None => {
                Some("the ']' that closes the IPv6 address is missing, e.g. [::1]:8080".to_owned())
            }
            Some(v6) if v6.parse::<std::net::Ipv6Addr>().is_err() => Some(format!(
                "'{v6}' in the brackets is not an IPv6 address, e.g. [::1]:8080"
            )),
            Some(_) => None,
        };
    }
    if host.contains(':') {
        return Some("write IPv6 addresses in brackets, e.g. [::1]:8080".to_owned());
    }
    // A name's last label is never all digits, so this was meant as an IPv4 address.
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') && host.parse::<Ipv4Addr>().is_err() {
        return Some(format!(
            "'{host}' is not an IPv4 address (four numbers from 0 to 255, e.g. 192.168.1.10)"
        ));
    }
    if let Some(bad) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Some(format!(
            "'{bad}' cannot be part of a host name (use letters, digits, '.' and '-', or an IP address)"
        ));
    }
    None
}

/// How to write `input` instead; `min_port` is 1 for a remote address, 0 for a local one.
fn address_hint(input: &str, min_port: u16) -> String {
    if input.contains('：') {
        return "write the colon before the port as ':' (the full-width '：' is not understood)"
            .to_owned();
    }
    if input.starts_with('[') && !input.contains(']') {
        return "the ']' that closes the IPv6 address is missing, e.g. [::1]:8080".to_owned();
    }
    if input.starts_with('[') && input.ends_with(']') {
        return "add a port after the brackets, e.g. [::1]:8080".to_owned();
    }
    match input.rsplit_once(':') {
        None => "add a port, e.g. 127.0.0.1:8080".to_owned(),
        Some((host, port)) if port.parse::<u16>().is_err() => {
            if port.is_empty() {
                "the port is missing, e.g. 127.0.0.1:8080".to_owned()
            } else if host.contains(':') && !host.starts_with('[') {
                "write IPv6 addresses in brackets, e.g. [::1]:8080".to_owned()
            } else if host.ends_with(']') && !host.starts_with('[') {
                "the '[' that opens the IPv6 address is missing, e.g. [::1]:8080".to_owned()
            } else {
                format!("the port '{port}' must be a number from {min_port} to 65535")
            }
        }
        Some((_, "0")) if min_port > 0 => {
            "port 0 cannot be reached: give the port the peer listens on, from 1 to 65535"
                .to_owned()
        }
        Some((host, _)) => host_problem(host)
            .unwrap_or_else(|| "write it as 127.0.0.1:8080 or [::1]:8080".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_v4_and_v6() {
        assert_eq!(
            parse_socket_addr("127.0.0.1:80").unwrap(),
            "127.0.0.1:80".parse::<SocketAddr>().unwrap()
        );
        assert_eq!(parse_socket_addr(" [::1]:9 ").unwrap().port(), 9);
    }

    #[test]
    fn explains_bad_addresses() {
        let err = parse_socket_addr("127.0.0.1").unwrap_err().to_string();
        assert!(err.contains("add a port"), "{err}");
        let err = parse_socket_addr("127.0.0.1:99999")
            .unwrap_err()
            .to_string();
        assert!(err.contains("0 to 65535"), "{err}");
        let err = parse_socket_addr("::1:80").unwrap_err().to_string();
        assert!(err.contains("brackets"), "{err}");
    }

    #[test]
    fn resolves_localhost_and_literals() {
        let addrs = resolve("localhost:7").unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 7));
        assert_eq!(
            resolve("[::1]:8").unwrap(),
            vec!["[::1]:8".parse().unwrap()]
        );
        assert!(matches!(
            resolve("no-such-host.invalid:80"),
            Err(NetError::Resolve { .. })
        ));
    }
}
