//! Making a socket, as every transport does: one of the address's family, its options set,
//! bound where asked, non-blocking — each step failing with the sentence a user needs.

use std::net::SocketAddr;

use socket2::{Domain, Socket, Type};

use super::error::{IoStep, NetError, Result};

/// TCP or UDP.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Tcp,
    Udp,
}

/// A new non-blocking socket of `family`'s address family: `options` sets it up before it is
/// bound to `bind` (when given).
pub(crate) fn open(
    kind: Kind,
    family: SocketAddr,
    bind: Option<SocketAddr>,
    options: impl FnOnce(&Socket) -> Result<()>,
) -> Result<Socket> {
    let (ty, udp) = match kind {
        Kind::Tcp => (Type::STREAM, false),
        Kind::Udp => (Type::DGRAM, true),
    };
    let socket = Socket::new(Domain::for_address(family), ty, None)
        .map_err(|err| NetError::io(IoStep::CreateSocket { udp }, &err))?;
    options(&socket)?;
    if let Some(bind) = bind {
        socket
            .bind(&bind.into())
            .map_err(|err| NetError::from_bind(&err, bind))?;
    }
    socket
        .set_nonblocking(true)
        .map_err(|err| NetError::io(IoStep::NonBlocking, &err))?;
    Ok(socket)
}

/// Binds a listening socket with `SO_REUSEADDR`, so a server can reopen on its port at once.
pub(crate) fn listen(bind: SocketAddr) -> Result<std::net::TcpListener> {
    let socket = open(Kind::Tcp, bind, Some(bind), |socket| {
        socket
            .set_reuse_address(true)
            .map_err(|err| NetError::io(IoStep::ReuseAddress, &err))
    })?;
    socket
        .listen(1024)
        .map_err(|err| NetError::from_bind(&err, bind))?;
    Ok(socket.into())
}
