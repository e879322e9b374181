//! The TCP side of a serial bridge (a TCP server or client inside the serial session), and
//! the forwarding between the two sides.
//!
//! Every transport takes received bytes in through [`SessionState::take_in`]; a bridged
//! session sets `SessionState::tap`, where `take_in` leaves a copy of each read with its
//! peer. After each turn of reads, the link's `pass_on` sends the port's bytes to the TCP side and the
//! TCP side's bytes to the port, in the order they were read.

use mio::Registry;

use super::super::command::Target;
use super::super::error::{NetError, Result};
use super::super::event::{Event, SendOrigin};
use super::super::payload::Payload;
use super::super::session_state::SessionState;
use super::super::tcp_client::TcpClient;
use super::super::tcp_server::TcpServer;
use super::super::transport::Transport;
use super::options::Bridge;

/// How long the TCP client of a bridge tries to connect.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Opens the TCP side of `bridge`.
pub(super) fn open_net(
    registry: &Registry,
    core: &mut SessionState,
    bridge: &Bridge,
) -> Result<Box<dyn Transport>> {
    Ok(match bridge {
        Bridge::Listen(bind) => Box::new(TcpServer::open(registry, core, *bind, None)?),
        Bridge::Connect(remote) => Box::new(TcpClient::open(
            registry,
            remote,
            None,
            CONNECT_TIMEOUT,
            None,
        )?),
    })
}

/// Sends to every TCP peer; with no peer (a server no client has joined yet) the bytes go
/// nowhere, as on a serial-to-Ethernet converter, and that is not an error.
pub(super) fn send_quietly(
    net: &mut dyn Transport,
    core: &mut SessionState,
    payload: Payload,
    origin: SendOrigin,
) {
    match net.send(core, payload, Target::Default, origin) {
        Ok(()) | Err(NetError::NoTarget { .. } | NetError::Closed) => {}
        Err(err) => core.sink.push(Event::Error(err)),
    }
}
