//! Serial ports as sessions: a port's settings, the ports this machine has, the name a port's
//! bytes carry in events, and the transport ([`SerialLink`]) that moves them.
//!
//! A port is read and written by two named threads of its own (`port`): a COM port's handle
//! on Windows cannot join the poller the sockets use, and one way of doing it on every system
//! is the way the tests (over pseudo-terminals) check. The threads hand what they read to the
//! session's loop through a bounded channel and wake it, so everything else of a session
//! (echo, auto-replies, saving, timed sends, files, the send-queue limit) is the same code as
//! for a TCP client.
//!
//! Events carry a `SocketAddr` for their peer; a port has none, so its bytes carry a stand-in
//! address ([`port_addr`]) from which [`peer_label`] gives the port's name back. Everything
//! that shows a peer (the log, the window, the command line) writes it with [`peer_label`].

mod bridge;
mod errors;
mod list;
mod names;
mod options;
mod port;
mod transport;

pub use errors::{MAX_BAUD, SerialError, SerialProblem};
pub use list::{PortInfo, list_ports};
pub use names::{peer_label, port_addr, port_name};
pub use options::{Bridge, COMMON_BAUDS, FlowControl, Parity, SerialOptions};
pub(crate) use transport::SerialLink;

#[cfg(test)]
mod tests;
