//! Making a socket, as every transport does: one of the address's family, its options set,
//! bound where asked, non-blocking — each step failing with the sentence a user needs.

use std::net::SocketAddr;

use socket2::{Domain, Socket, Type};

use super::error::{NetError, Result};

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
    let (ty, what) = match kind {
        Kind::Tcp => (Type::STREAM, "cannot create a TCP socket"),
        Kind::Udp => (Type::DGRAM, "cannot create a UDP socket"),
    };
    let socket = Socket::new(Domain::for_address(family), ty, None)
        .map_err(|err| NetError::io(what, &err))?;
    options(&socket)?;
    if let Some(bind) = bind {
        socket
            .bind(&bind.into())
            .map_err(|err| NetError::from_bind(&err, bind))?;
    }
    socket
        .set_nonblocking(true)
        .map_err(|err| NetError::io("cannot make the socket non-blocking", &err))?;
    Ok(socket)
}
