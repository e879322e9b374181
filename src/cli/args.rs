//! The command line's words: modes, options and their help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// What `--version` prints after the name: the version and the git commit it was built from
/// ("unknown" for a build outside a git checkout; see build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("NETASSIST_COMMIT"),
    ")"
);

/// netassist — a network debugging assistant. With no mode it opens the window.
#[derive(Debug, Parser)]
#[command(name = "netassist", version = VERSION, about, long_about = None)]
pub struct Cli {
    /// What to open; leave out to open the window.
    #[command(subcommand)]
    pub mode: Option<Mode>,
}

/// The three kinds of session.
#[derive(Debug, Subcommand)]
pub enum Mode {
    /// Connect to a TCP server; each line of stdin is sent to it.
    TcpClient {
        /// The server, `HOST:PORT` (e.g. `127.0.0.1:9000`, `[::1]:9000`, `localhost:9000`).
        remote: String,
        /// Bind this local address before connecting (e.g. 127.0.0.1:0).
        #[arg(long, value_name = "ADDR:PORT")]
        bind: Option<String>,
        /// Options shared by every mode.
        #[command(flatten)]
        opts: CommonOpts,
    },
    /// Listen for TCP clients; each line of stdin is sent to every client.
    TcpServer {
        /// Where to listen, [ADDR:]PORT; ADDR defaults to 127.0.0.1 (use 0.0.0.0 or [::] to
        /// let other machines connect). Port 0 picks a free port.
        listen: String,
        /// Options shared by every mode.
        #[command(flatten)]
        opts: CommonOpts,
    },
    // issue 15: tls
    /// Connect to a TLS server; each line of stdin is sent to it (every tcp-client option
    /// works). The certificate is checked against the system's roots unless told otherwise.
    TlsClient {
        /// The server, `HOST:PORT`; HOST is also the name asked for (SNI) and checked.
        remote: String,
        /// Bind this local address before connecting (e.g. 127.0.0.1:0).
        #[arg(long, value_name = "ADDR:PORT")]
        bind: Option<String>,
        /// Trust only the CA certificates in this PEM file.
        #[arg(long, value_name = "FILE", conflicts_with = "insecure")]
        ca: Option<PathBuf>,
        /// Accept any certificate (for self-signed test servers): NOT verified.
        #[arg(long)]
        insecure: bool,
        /// A client certificate (PEM) to show when the server asks for one; needs --key.
        #[arg(long, value_name = "FILE", requires = "key")]
        cert: Option<PathBuf>,
        /// The private key (PEM) of --cert.
        #[arg(long, value_name = "FILE", requires = "cert")]
        key: Option<PathBuf>,
        /// A protocol to offer by ALPN (e.g. h2, http/1.1); repeatable, most wanted first.
        #[arg(long, value_name = "PROTO")]
        alpn: Vec<String>,
        /// The name to ask for (SNI) and to check the certificate against, instead of HOST
        /// (e.g. connect to 127.0.0.1:8443 and check printer.lan).
        #[arg(long, value_name = "NAME")]
        sni: Option<String>,
        /// Options shared by every mode.
        #[command(flatten)]
        opts: CommonOpts,
    },
    /// Listen for TLS clients; each line of stdin is sent to every client (every tcp-server
    /// option works).
    TlsServer {
        /// Where to listen, [ADDR:]PORT; ADDR defaults to 127.0.0.1. Port 0 picks a free port.
        listen: String,
        /// The certificate chain (PEM); needs --key.
        #[arg(
            long,
            value_name = "FILE",
            requires = "key",
            conflicts_with = "self_signed"
        )]
        cert: Option<PathBuf>,
        /// The private key (PEM) of --cert.
        #[arg(long, value_name = "FILE", requires = "cert")]
        key: Option<PathBuf>,
        /// Make a self-signed certificate for this run (localhost, 127.0.0.1, `::1`); its
        /// SHA-256 fingerprint is printed. The default when --cert is not given.
        #[arg(long)]
        self_signed: bool,
        /// Ask clients for a certificate (not required); what they show is printed.
        #[arg(long)]
        request_cert: bool,
        /// A protocol to accept by ALPN; repeatable, most wanted first.
        #[arg(long, value_name = "PROTO")]
        alpn: Vec<String>,
        /// Options shared by every mode.
        #[command(flatten)]
        opts: CommonOpts,
    },
    // issue 15: websocket
    /// Connect to a WebSocket server (ws:// or wss://); each line of stdin is sent as a text
    /// message (--send-hex lines as binary messages). Every tcp-client option works.
    WsClient {
        /// The URL, e.g. `ws://127.0.0.1:9000/chat` or `wss://example.com/socket`.
        url: String,
        /// An extra handshake header, 'Name: value'; repeatable.
        #[arg(long, value_name = "'NAME: VALUE'")]
        header: Vec<String>,
        /// A subprotocol to offer; repeatable, most wanted first.
        #[arg(long, value_name = "PROTO")]
        subprotocol: Vec<String>,
        /// wss://: trust only the CA certificates in this PEM file.
        #[arg(long, value_name = "FILE", conflicts_with = "insecure")]
        ca: Option<PathBuf>,
        /// wss://: accept any certificate (for self-signed test servers): NOT verified.
        #[arg(long)]
        insecure: bool,
        /// Bind this local address before connecting (e.g. 127.0.0.1:0).
        #[arg(long, value_name = "ADDR:PORT")]
        bind: Option<String>,
        /// WebSocket options.
        #[command(flatten)]
        ws: WsOpts,
        /// Options shared by every mode.
        #[command(flatten)]
        opts: CommonOpts,
    },
    /// Listen for WebSocket clients (ws://, or wss:// with --cert/--key or --self-signed);
    /// each line of stdin is sent to every client as a text message. Every tcp-server option
    /// works (--relay makes a chat room).
    WsServer {
        /// Where to listen, [ADDR:]PORT; ADDR defaults to 127.0.0.1. Port 0 picks a free port.
        listen: String,
        /// The path served (e.g. /chat); other paths get 404. Default: every path.
        #[arg(long, value_name = "PATH")]
        path: Option<String>,
        /// A subprotocol to accept; repeatable, most wanted first.
        #[arg(long, value_name = "PROTO")]
        subprotocol: Vec<String>,
        /// wss://: the certificate chain (PEM); needs --key.
        #[arg(
            long,
            value_name = "FILE",
            requires = "key",
            conflicts_with = "self_signed"
        )]
        cert: Option<PathBuf>,
        /// wss://: the private key (PEM) of --cert.
        #[arg(long, value_name = "FILE", requires = "cert")]
        key: Option<PathBuf>,
        /// wss:// with a self-signed certificate made for this run.
        #[arg(long)]
        self_signed: bool,
        /// WebSocket options.
        #[command(flatten)]
        ws: WsOpts,
        /// Options shared by every mode.
        #[command(flatten)]
        opts: CommonOpts,
    },
    /// A UDP socket; each line of stdin is sent to --to, else to the last peer heard from.
    Udp {
        /// The local address (default 0.0.0.0:0, or [::]:0 when --to is IPv6).
        #[arg(long, value_name = "ADDR:PORT")]
        bind: Option<String>,
        /// Where to send, HOST:PORT.
        #[arg(long, value_name = "HOST:PORT")]
        to: Option<String>,
        /// Allow sending to broadcast addresses.
        #[arg(long)]
        broadcast: bool,
        /// Send stdin lines to whoever sent the last datagram; to --to until someone has (the
        /// TFTP shape: the request goes to port 69, the ACKs to the port the answer came from).
        #[arg(long)]
        reply_to_last: bool,
        /// A room heartbeat (e.g. '#ping#'): a datagram equal to it (give or take a line ending)
        /// keeps its sender in the room and is not relayed. It is still shown and counted.
        #[arg(long, value_name = "DATA")]
        room_heartbeat: Option<String>,
        /// The receive buffer to ask the system for, e.g. 4M, 512K, 8MiB (default 4M; 0 keeps
        /// the system's default). It holds a burst while netassist is busy; the size the
        /// system granted is reported (it may cap it).
        #[arg(long, value_name = "SIZE")]
        recv_buffer: Option<String>,
        /// Options shared by every mode.
        #[command(flatten)]
        opts: CommonOpts,
    },
    // issue 15: serial
    /// Open a serial port; each line of stdin is sent to it. `serial --list` lists the ports.
    Serial {
        /// The port, e.g. /dev/ttyUSB0, /dev/pts/7 or COM3.
        #[arg(required_unless_present = "list")]
        port: Option<String>,
        /// List the serial ports this machine has, and exit.
        #[arg(long, conflicts_with = "port")]
        list: bool,
        /// Baud rate (any number, e.g. 9600, 115200, 921600).
        #[arg(long, value_name = "N", default_value_t = 9600)]
        baud: u32,
        /// Data bits.
        #[arg(long, value_name = "5|6|7|8", default_value_t = 8)]
        data_bits: u8,
        /// Parity.
        #[arg(long, value_enum, default_value_t = SerialParity::None)]
        parity: SerialParity,
        /// Stop bits.
        #[arg(long, value_name = "1|2", default_value_t = 1)]
        stop_bits: u8,
        /// Flow control.
        #[arg(long, value_enum, default_value_t = SerialFlow::None)]
        flow: SerialFlow,
        /// The DTR line once open.
        #[arg(long, value_name = "on|off", default_value = "on")]
        dtr: OnOff,
        /// The RTS line once open (hardware flow control drives it itself).
        #[arg(long, value_name = "on|off", default_value = "on")]
        rts: OnOff,
        /// Bridge: listen for TCP clients on [ADDR:]PORT (ADDR defaults to 127.0.0.1) and
        /// forward the port's bytes to them and theirs to the port.
        #[arg(long, value_name = "[ADDR:]PORT", conflicts_with = "bridge_connect")]
        bridge_listen: Option<String>,
        /// Bridge: connect to a TCP server at HOST:PORT and forward both ways.
        #[arg(long, value_name = "HOST:PORT")]
        bridge_connect: Option<String>,
        /// Options shared by every mode.
        #[command(flatten)]
        opts: CommonOpts,
    },
}

// issue 15: serial
/// A serial port's parity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SerialParity {
    /// No parity bit.
    None,
    /// Even parity.
    Even,
    /// Odd parity.
    Odd,
}

/// A serial port's flow control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SerialFlow {
    /// None.
    None,
    /// XON/XOFF.
    Software,
    /// RTS/CTS.
    Hardware,
}

/// How received data is written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Show {
    /// Decoded text, exactly as received, nothing added.
    Text,
    /// One line of hex per read.
    Hex,
    /// One line per event: time, direction, peer, length and the data.
    Log,
    /// Nothing (for floods; counters still go to stderr at the end).
    None,
}

/// A switch value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    /// Enabled.
    On,
    /// Disabled.
    Off,
}

/// Options every mode takes.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // command-line switches are bools by nature
pub struct CommonOpts {
    /// Text encoding for both directions (`utf-8`, `gbk`, `gb2312`, `gb18030`, `big5`, `shift_jis`, …).
    #[arg(short, long, default_value = "utf-8", value_name = "LABEL")]
    pub encoding: String,
    /// Stdin lines, --send and --heartbeat values are hex (e.g. "48 65 6C 6C 6F").
    #[arg(long)]
    pub send_hex: bool,
    /// Honour \r \n \t \0 \\ \xNN in text.
    #[arg(long)]
    pub escapes: bool,
    /// Line ending appended to each text line of stdin and each --send: none, lf, cr, crlf
    /// (default lf; none in the WebSocket modes, where each line is a message).
    #[arg(long, value_name = "EOL")]
    pub eol: Option<String>,
    /// Checksum appended to every payload: sum8, xor8, crc8, crc16-modbus, crc16-ccitt-false, crc32.
    #[arg(long, value_name = "NAME")]
    pub checksum: Option<String>,
    /// How received data is shown.
    #[arg(long, value_enum, default_value_t = Show::Text)]
    pub show: Show,
    /// Data sent once after opening (a server sends it to each client as it connects). Repeatable.
    #[arg(long, value_name = "DATA")]
    pub send: Vec<String>,
    /// Resend the --send data every MS milliseconds.
    #[arg(long, value_name = "MS", requires = "send")]
    pub repeat: Option<u64>,
    /// Stop repeating after N sends.
    #[arg(long, value_name = "N", requires = "repeat")]
    pub count: Option<u64>,
    /// A heartbeat payload sent every --heartbeat-ms beside everything else (no line ending added).
    #[arg(long, value_name = "DATA", requires = "heartbeat_ms")]
    pub heartbeat: Option<String>,
    /// Heartbeat interval in milliseconds.
    #[arg(long, value_name = "MS", requires = "heartbeat")]
    pub heartbeat_ms: Option<u64>,
    /// Send each received chunk back to its sender.
    #[arg(long)]
    pub echo: bool,
    /// Forward each received chunk to every other peer (tcp-server, udp): a chat room.
    #[arg(long)]
    pub relay: bool,
    /// With --relay: put "ip:port\n" of the sender before each forwarded message.
    #[arg(long, requires = "relay")]
    pub relay_prefix: bool,
    /// Append every received byte to FILE.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Exit after SECS seconds.
    #[arg(long, value_name = "SECS")]
    pub duration: Option<f64>,
    /// Disconnect a TCP peer that sends this line (e.g. /quit); the line is not relayed.
    #[arg(long, value_name = "LINE")]
    pub quit_line: Option<String>,
    /// UDP: drop a peer from the room when silent for longer than SECS.
    #[arg(long, value_name = "SECS")]
    pub peer_timeout: Option<f64>,
    /// An auto-reply rule, WHEN=>THEN. WHEN: text:STR, hex:BYTES or regex:RE. THEN: reply:TEXT,
    /// reply-hex:BYTES, echo or disconnect. Repeatable; e.g. 'text:ping=>reply:pong'.
    #[arg(long, value_name = "RULE")]
    pub auto_reply: Vec<String>,
    /// UDP: join this multicast group (repeatable), e.g. `239.1.2.3` or `ff02::1234`.
    #[arg(long, value_name = "GROUP")]
    pub join: Vec<std::net::IpAddr>,
    /// UDP multicast: the interface, an IPv4 address, an interface index or a name (e.g. eth0).
    #[arg(long, value_name = "ADDR|INDEX")]
    pub multicast_if: Option<String>,
    /// UDP multicast: time to live (hops) of datagrams sent to a group.
    #[arg(long, value_name = "N")]
    pub multicast_ttl: Option<u32>,
    /// UDP multicast: receive our own datagrams sent to a group (on or off).
    #[arg(long, value_name = "on|off")]
    pub multicast_loop: Option<OnOff>,
    /// Cut received data into messages and frame what is sent: per-read, line, crlf, delim:HEX,
    /// fixed:N, len:W[:be|le][:incl] (W = 1, 2, 4, 8), json-header[:be|le] (default le) or
    /// gap:MS (a silence of MS milliseconds ends a message, e.g. gap:20 for Modbus RTU).
    /// Sent text gets no line ending of its own; the framing adds its delimiter or prefix.
    /// --recv-framing and --send-framing set one direction (and win over --framing).
    #[arg(long, value_name = "SPEC")]
    pub framing: Option<String>,
    /// Cut received data into messages (SPEC as for --framing); what is sent is not framed
    /// unless --send-framing or --framing says so. E.g. a client that types plain commands
    /// and reads framed answers: --recv-framing json-header:le.
    #[arg(long, value_name = "SPEC")]
    pub recv_framing: Option<String>,
    /// Frame what is sent (SPEC as for --framing); received data is shown as it comes unless
    /// --recv-framing or --framing says otherwise.
    #[arg(long, value_name = "SPEC")]
    pub send_framing: Option<String>,
    /// TCP: at most MIB mebibytes may wait for one peer. Over it, relay, echo and stdin wait
    /// for the peer to read (nothing is lost); a server drops a client that takes nothing for
    /// --send-queue-stall seconds while over it.
    #[arg(long, value_name = "MIB", default_value_t = 8)]
    pub send_queue: u64,
    /// TCP server: seconds a client over the send-queue limit may take no bytes before it is
    /// disconnected.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub send_queue_stall: f64,
    /// No status lines on stderr (errors are still shown).
    #[arg(short, long)]
    pub quiet: bool,
}

// issue 15: websocket
/// Options of the WebSocket modes.
#[derive(Debug, Args, Clone, Copy)]
pub struct WsOpts {
    /// Send a ping to each peer every this many seconds (0: never).
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub ping_every: u64,
    /// Do not answer the peer's pings (to test its timeout); they are still shown.
    #[arg(long)]
    pub no_auto_pong: bool,
}
