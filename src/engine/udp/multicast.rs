//! UDP multicast: the socket's multicast options, joining and leaving groups, and naming the
//! interfaces a user may choose when the one asked for is not there.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use mio::net::UdpSocket;

use super::super::config::Multicast;
use super::super::error::{IoStep, NetError, Result};

/// Sets the multicast TTL, loopback and interface that `multicast` asks for.
pub(super) fn set_options(
    socket: &socket2::Socket,
    bind: SocketAddr,
    multicast: &Multicast,
) -> Result<()> {
    if let Some(ttl) = multicast.ttl {
        let set = if bind.is_ipv4() {
            socket.set_multicast_ttl_v4(ttl)
        } else {
            socket.set_multicast_hops_v6(ttl)
        };
        set.map_err(|err| NetError::io(IoStep::MulticastTtl, &err))?;
    }
    if let Some(on) = multicast.loopback {
        let set = if bind.is_ipv4() {
            socket.set_multicast_loop_v4(on)
        } else {
            socket.set_multicast_loop_v6(on)
        };
        set.map_err(|err| NetError::io(IoStep::MulticastLoopback, &err))?;
    }
    if bind.is_ipv4() && !multicast.interface_v4.is_unspecified() {
        socket
            .set_multicast_if_v4(&multicast.interface_v4)
            .map_err(|err| interface_error(&err, &multicast.interface_v4.to_string(), false))?;
    }
    if bind.is_ipv6() && multicast.interface_v6 != 0 {
        socket
            .set_multicast_if_v6(multicast.interface_v6)
            .map_err(|err| interface_error(&err, &multicast.interface_v6.to_string(), true))?;
    }
    Ok(())
}

/// Joins (`true`) or leaves `group` on the interface chosen for the socket's family
/// (`interfaces`: the IPv4 address and the IPv6 index).
pub(super) fn join_or_leave(
    socket: &UdpSocket,
    local: SocketAddr,
    group: IpAddr,
    join: bool,
    (if_v4, if_v6): (Ipv4Addr, u32),
) -> Result<()> {
    let result = match group {
        IpAddr::V4(v4) if v4.is_multicast() && local.is_ipv4() => {
            if join {
                socket.join_multicast_v4(&v4, &if_v4)
            } else {
                socket.leave_multicast_v4(&v4, &if_v4)
            }
        }
        IpAddr::V6(v6) if v6.is_multicast() && local.is_ipv6() => {
            if join {
                socket.join_multicast_v6(&v6, if_v6)
            } else {
                socket.leave_multicast_v6(&v6, if_v6)
            }
        }
        _ => return Err(NetError::NotMulticast { group }),
    };
    result.map_err(|err| match group {
        IpAddr::V4(_) if no_such_interface(&err) && !if_v4.is_unspecified() => {
            interface_error(&err, &if_v4.to_string(), false)
        }
        IpAddr::V6(_) if no_such_interface(&err) && if_v6 != 0 => {
            interface_error(&err, &if_v6.to_string(), true)
        }
        _ => NetError::io(IoStep::MulticastGroup { join, group }, &err),
    })
}

/// Whether choosing an interface failed because it is not there (`EADDRNOTAVAIL`, or
/// `ENODEV` on Linux).
fn no_such_interface(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::AddrNotAvailable
        || (cfg!(target_os = "linux") && err.raw_os_error() == Some(19))
}

/// The error for choosing the multicast interface `interface` (an IPv4 address or an index).
fn interface_error(err: &io::Error, interface: &str, v6: bool) -> NetError {
    if no_such_interface(err) {
        NetError::NoSuchInterface {
            interface: interface.to_owned(),
            known: known_interfaces(v6),
        }
    } else {
        NetError::io(IoStep::MulticastThrough(interface.to_owned()), err)
    }
}

/// This machine's interfaces as a user picks them: IPv4 addresses with their names, or IPv6
/// interface indexes with their names, e.g. "127.0.0.1 (lo), 192.168.1.5 (eth0)".
pub fn known_interfaces(v6: bool) -> String {
    let mut known: Vec<String> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| match i.addr {
            if_addrs::IfAddr::V4(v4) if !v6 => Some(format!("{} ({})", v4.ip, i.name)),
            if_addrs::IfAddr::V6(_) if v6 => i.index.map(|index| format!("{index} ({})", i.name)),
            _ => None,
        })
        .collect();
    known.dedup();
    if known.is_empty() {
        "none found".to_owned()
    } else {
        known.join(", ")
    }
}
