//! Errors the engine reports, each a sentence a user can act on.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// Everything that can go wrong while opening a session or moving bytes.
///
/// The `Display` text is meant to be shown to a user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// The text is not `host:port`, `ip:port` or `[ipv6]:port`.
    #[error("'{input}' is not a valid address — {hint}")]
    InvalidAddress {
        /// What the user typed.
        input: String,
        /// How to write it instead.
        hint: String,
    },
    /// The host name did not resolve.
    #[error("cannot find host '{host}' — check the spelling or use an IP address ({reason})")]
    Resolve {
        /// The name that failed.
        host: String,
        /// What the resolver said.
        reason: String,
    },
    /// Another socket holds the address.
    #[error("{addr} is already in use — pick another port or stop the program using it")]
    AddrInUse {
        /// The address that could not be bound.
        addr: SocketAddr,
    },
    /// The address does not belong to this machine.
    #[error("{addr} is not an address of this machine — choose one from the list or 0.0.0.0")]
    AddrNotAvailable {
        /// The address that could not be bound.
        addr: SocketAddr,
    },
    /// Ports below 1024 need privileges; broadcast needs the broadcast option.
    #[error(
        "permission denied for {addr} — ports below 1024 need root, broadcast needs the broadcast option"
    )]
    PermissionDenied {
        /// The address concerned.
        addr: SocketAddr,
    },
    /// Nothing listens at the remote address.
    #[error("connection refused by {addr} — is a server listening there?")]
    Refused {
        /// The remote address.
        addr: SocketAddr,
    },
    /// The connection attempt took too long.
    #[error("no answer from {addr} within {secs} s — check the address and any firewall")]
    ConnectTimeout {
        /// The remote address.
        addr: SocketAddr,
        /// The limit that was reached.
        secs: u64,
    },
    /// The remote network is unreachable.
    #[error("{addr} cannot be reached from this machine — check the address and the network")]
    Unreachable {
        /// The remote address.
        addr: SocketAddr,
    },
    /// The peer reset the connection.
    #[error("the peer {peer} reset the connection")]
    Reset {
        /// The peer.
        peer: SocketAddr,
    },
    /// A send needs a peer and none is known.
    #[error("no one to send to — {hint}")]
    NoTarget {
        /// What to do about it.
        hint: &'static str,
    },
    /// A send named a peer this session does not know.
    #[error("{peer} is not connected to this session")]
    UnknownPeer {
        /// The peer named.
        peer: SocketAddr,
    },
    /// A UDP payload over the largest datagram of the socket's family (65,507 bytes over
    /// IPv4, 65,527 over IPv6). Nothing was sent.
    #[error(
        "a UDP datagram holds at most {} bytes, this one has {} — nothing was sent; send less or use TCP",
        group_digits(*max),
        group_digits(*len)
    )]
    DatagramTooLarge {
        /// The payload length.
        len: usize,
        /// The largest payload of this socket.
        max: usize,
    },
    /// An ICMP "port unreachable" came back for a datagram sent to `addr`.
    #[error("{addr}: nobody is listening on that UDP port")]
    UdpPortUnreachable {
        /// Where the datagram went.
        addr: SocketAddr,
    },
    /// A multicast interface that this machine does not have.
    #[error(
        "{interface} is not a network interface of this machine — pick one of: {known} (or leave the interface out to let the system choose)"
    )]
    NoSuchInterface {
        /// The address or index given.
        interface: String,
        /// The interfaces there are, e.g. "127.0.0.1 (lo), 192.168.1.5 (eth0)".
        known: String,
    },
    /// No more file descriptors: a waiting client cannot be accepted for now.
    #[error(
        "cannot accept more clients: this process may open only {limit} files ({clients} clients connected) — waiting clients are accepted as others leave; raise the limit with 'ulimit -n'"
    )]
    TooManyFiles {
        /// The open-file limit (`RLIMIT_NOFILE`), 0 when unknown.
        limit: u64,
        /// Clients connected now.
        clients: usize,
    },
    /// A file to send could not be read.
    #[error("cannot read {path}: {reason} — check that you may read it, or choose another file")]
    FileRead {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The save file could not be written.
    #[error("cannot write {path}: {reason} — received data is no longer saved")]
    FileWrite {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// Multicast asked of a TCP session.
    #[error("multicast needs a UDP session")]
    NotUdp,
    /// A multicast group of the other IP family than the socket, or not a multicast address.
    #[error(
        "{group} is not a multicast group this socket can join — use 224.0.0.0/4 on an IPv4 socket, ff00::/8 on an IPv6 one"
    )]
    NotMulticast {
        /// The address given.
        group: std::net::IpAddr,
    },
    /// The session is closed; the command was not carried out.
    #[error("the session is closed — open it first")]
    Closed,
    /// Any other operating-system error, with what we were doing.
    #[error("{step}: {reason}")]
    Io {
        /// What was being done.
        step: IoStep,
        /// The kind of error (the window words the common ones in its language).
        kind: io::ErrorKind,
        /// What the system said.
        reason: String,
    },
    // issue 11: io faults
    /// A file to send does not exist.
    #[error("cannot read {path}: there is no such file — check the folder and the name")]
    FileMissing {
        /// The path given.
        path: PathBuf,
    },
    /// A file to send is a folder.
    #[error("cannot read {path}: it is a folder, not a file — choose a file inside it")]
    FileIsFolder {
        /// The path given.
        path: PathBuf,
    },
    /// Reading a file being sent failed part-way; what was read before went out whole.
    #[error(
        "reading {path} failed {}: {reason} — nothing more of it was sent; check the file and send it again",
        read_progress(*sent, *total)
    )]
    FileStopped {
        /// The file.
        path: PathBuf,
        /// Bytes sent before the failure.
        sent: u64,
        /// The file's size when the send started.
        total: u64,
        /// What the system said.
        reason: String,
    },
    /// A file got shorter while it was being sent (truncated by another program).
    #[error(
        "{path} got shorter while it was being sent: {sent} of {total} bytes were sent, the rest no longer exists — send it again once it is complete"
    )]
    FileShrank {
        /// The file.
        path: PathBuf,
        /// Bytes sent (all there was).
        sent: u64,
        /// The file's size when the send started.
        total: u64,
    },
    /// The folder of a save file does not exist.
    #[error(
        "cannot save to {path}: the folder {folder} does not exist — create it or choose another folder"
    )]
    SaveFolderMissing {
        /// The save file.
        path: PathBuf,
        /// Its missing folder.
        folder: PathBuf,
    },
    /// A save path that names a folder, not a file.
    #[error(
        "cannot save to {path}: it is a folder — add a file name to it, e.g. {}",
        path.join("received.bin").display()
    )]
    SaveIsFolder {
        /// The path given.
        path: PathBuf,
    },
    // issue 15: tls
    /// A TLS option that cannot work (e.g. a host name that is not one).
    #[error("TLS cannot start: {reason}")]
    TlsSetup {
        /// What is wrong.
        reason: super::tls_problem::TlsProblem,
    },
    /// A certificate, key or CA file that cannot be used.
    #[error("cannot use {path}: {reason} — give a PEM file (-----BEGIN …-----)")]
    TlsFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: super::tls_problem::TlsProblem,
    },
    /// The server's certificate was issued by no CA this side trusts.
    #[error(
        "the certificate of {peer} is signed by an issuer this machine does not trust — give its CA file, or accept any certificate for a test server"
    )]
    TlsUnknownIssuer {
        /// The server.
        peer: SocketAddr,
    },
    /// The server's certificate is not for the name connected to.
    #[error(
        "the certificate of {peer} is not valid for '{name}'{} — connect by a name it lists, or accept any certificate for a test server",
        if presented.is_empty() { String::new() } else { format!(" (it is for {presented})") }
    )]
    TlsNameMismatch {
        /// The server.
        peer: SocketAddr,
        /// The name asked for.
        name: String,
        /// The names the certificate lists, comma-separated (may be empty).
        presented: String,
    },
    /// The peer's certificate has expired.
    #[error(
        "the certificate of {peer} has expired{} — renew it on the server, or accept any certificate for a test server",
        if not_after.is_empty() { String::new() } else { format!(" (valid until {not_after})") }
    )]
    TlsExpired {
        /// The peer.
        peer: SocketAddr,
        /// When it ended, if known.
        not_after: String,
    },
    /// The peer's certificate is not valid yet.
    #[error("the certificate of {peer} is not valid yet — check the clocks of both machines")]
    TlsNotYetValid {
        /// The peer.
        peer: SocketAddr,
    },
    /// The peer ended the handshake with an alert.
    #[error(
        "the TLS handshake with {peer} failed: the peer sent the alert '{alert}' (it did not accept our side of the handshake)"
    )]
    TlsAlert {
        /// The peer.
        peer: SocketAddr,
        /// The alert, as RFC 8446 names it (e.g. `bad_certificate`).
        alert: String,
    },
    /// Bytes that are not TLS arrived during the handshake.
    #[error("the peer {peer} does not speak TLS — is this the plain port?")]
    TlsNotTls {
        /// The peer.
        peer: SocketAddr,
    },
    /// The peer closed the connection before the handshake finished.
    #[error(
        "the peer {peer} closed the connection during the TLS handshake — it may not speak TLS, or it refused our certificate"
    )]
    TlsClosedInHandshake {
        /// The peer.
        peer: SocketAddr,
    },
    /// No TLS answer came within the connect timeout.
    #[error("no TLS answer from {peer} within {secs} s — is this the plain port?")]
    TlsNoAnswer {
        /// The server.
        peer: SocketAddr,
        /// The limit that was reached.
        secs: u64,
    },
    /// Any other TLS failure.
    #[error("TLS with {peer} failed: {reason}")]
    TlsFailed {
        /// The peer.
        peer: SocketAddr,
        /// What went wrong.
        reason: super::tls_problem::TlsProblem,
    },
    // issue 15: websocket
    /// A WebSocket failure.
    #[error("{0}")]
    Ws(super::websocket::WsError),
    // issue 15: serial
    /// A serial port's error.
    #[error(transparent)]
    Serial(#[from] super::serial::SerialError),
}

/// How far a file send got before it failed: "before any byte was sent", "after 4096 of
/// 10000 bytes" ("after 4096 bytes" when the size was not known, as for files under /proc).
fn read_progress(sent: u64, total: u64) -> String {
    match (sent, total) {
        (0, _) => "before any byte was sent".to_owned(),
        (sent, total) if total > sent => format!("after {sent} of {total} bytes"),
        (sent, _) => format!("after {sent} bytes"),
    }
}

/// Shorthand for results whose error is a [`NetError`].
pub type Result<T, E = NetError> = std::result::Result<T, E>;

impl NetError {
    /// Maps an error from binding `addr` to the sentence a user needs.
    pub fn from_bind(err: &io::Error, addr: SocketAddr) -> Self {
        match err.kind() {
            io::ErrorKind::AddrInUse => Self::AddrInUse { addr },
            io::ErrorKind::AddrNotAvailable => Self::AddrNotAvailable { addr },
            io::ErrorKind::PermissionDenied => Self::PermissionDenied { addr },
            _ => Self::io(IoStep::Open(addr), err),
        }
    }

    /// Maps an error from connecting to `addr`.
    pub fn from_connect(err: &io::Error, addr: SocketAddr) -> Self {
        match err.kind() {
            io::ErrorKind::ConnectionRefused => Self::Refused { addr },
            io::ErrorKind::TimedOut => Self::ConnectTimeout { addr, secs: 0 },
            io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                Self::Unreachable { addr }
            }
            io::ErrorKind::AddrNotAvailable => Self::AddrNotAvailable { addr },
            io::ErrorKind::PermissionDenied => Self::PermissionDenied { addr },
            _ => Self::io(IoStep::Connect(addr), err),
        }
    }

    /// An error while talking to `peer` on an open connection.
    pub fn from_stream(err: &io::Error, peer: SocketAddr) -> Self {
        // issue 15: websocket — a WebSocket error carried inside the I/O error.
        if let Some(ws) = err
            .get_ref()
            .and_then(|e| e.downcast_ref::<super::websocket::WsError>())
        {
            return Self::Ws(ws.clone());
        }
        match err.kind() {
            io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => Self::Reset { peer },
            io::ErrorKind::ConnectionRefused => Self::Refused { addr: peer },
            io::ErrorKind::PermissionDenied => Self::PermissionDenied { addr: peer },
            _ => Self::io(IoStep::Talk(peer), err),
        }
    }

    /// Any other I/O error, with what was being done.
    pub fn io(step: IoStep, err: &io::Error) -> Self {
        Self::Io {
            step,
            kind: err.kind(),
            reason: err.to_string(),
        }
    }
}

/// What netassist was doing when the system refused ([`NetError::Io`]): a value, so that the
/// window words it in its own language; `Display` is the command line's English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IoStep {
    /// Opening (binding) an address.
    #[error("cannot open {0}")]
    Open(SocketAddr),
    /// Connecting to an address.
    #[error("cannot connect to {0}")]
    Connect(SocketAddr),
    /// Reading from or writing to a peer.
    #[error("while talking to {0}")]
    Talk(SocketAddr),
    /// Creating the poller that waits for the network.
    #[error("cannot create the poller")]
    CreatePoller,
    /// Starting the session's I/O thread.
    #[error("cannot start the I/O thread")]
    StartThread,
    /// Waiting for the network (the poller failed).
    #[error("waiting for the network")]
    WaitNetwork,
    /// Creating a socket.
    #[error("cannot create a {} socket", if *udp { "UDP" } else { "TCP" })]
    CreateSocket {
        /// UDP (true) or TCP.
        udp: bool,
    },
    /// Making the socket non-blocking.
    #[error("cannot make the socket non-blocking")]
    NonBlocking,
    /// Setting `SO_REUSEADDR` on a server's socket.
    #[error("cannot set SO_REUSEADDR")]
    ReuseAddress,
    /// Allowing broadcast on a UDP socket.
    #[error("cannot allow broadcast")]
    AllowBroadcast,
    /// Setting the UDP receive buffer's size.
    #[error("cannot set the UDP receive buffer size")]
    ReceiveBufferSize,
    /// Setting the multicast TTL.
    #[error("cannot set the multicast TTL")]
    MulticastTtl,
    /// Setting multicast loopback.
    #[error("cannot set multicast loopback")]
    MulticastLoopback,
    /// Joining (or leaving) a multicast group.
    #[error("cannot {} multicast group {group}", if *join { "join" } else { "leave" })]
    MulticastGroup {
        /// Joining (true) or leaving.
        join: bool,
        /// The group.
        group: IpAddr,
    },
    /// Choosing the interface multicast is sent through.
    #[error("cannot send multicast through {0}")]
    MulticastThrough(String),
    /// Reading the socket's local address.
    #[error("cannot read the local address")]
    ReadLocalAddress,
    /// Reading the listening socket's address.
    #[error("cannot read the listening address")]
    ReadListeningAddress,
    /// Registering the UDP socket with the poller.
    #[error("cannot watch the UDP socket")]
    WatchUdpSocket,
    /// Registering the listening socket with the poller.
    #[error("cannot watch the listening socket")]
    WatchListener,
    /// Registering a connection with the poller (a server's client, or the client's own).
    #[error("cannot watch the connection{}", .0.map(|peer| format!(" from {peer}")).unwrap_or_default())]
    WatchConnection(Option<SocketAddr>),
    /// Accepting a client.
    #[error("cannot accept a new client")]
    AcceptClient,
    /// Receiving a datagram.
    #[error("receiving a datagram")]
    ReceiveDatagram,
    /// Sending to a peer.
    #[error("sending to {0}")]
    SendTo(SocketAddr),
    /// Reading the command line's standard input.
    #[error("cannot read stdin")]
    ReadStdin,
    /// Writing the command line's standard output.
    #[error("cannot write to stdout")]
    WriteStdout,
}

/// `65507` as `65,507`.
pub(crate) fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
