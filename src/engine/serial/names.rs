//! The stand-in address a serial port's bytes carry in events, and the port's name back.
//!
//! Events and log records name their peer by `SocketAddr`. A port gets `0.0.H.L:0`, where
//! `H * 256 + L` is one more than the port's place in a list of the names seen in this
//! process: no socket has a peer in 0.0.0.0/8 with port 0, so a stand-in is never taken for a
//! real peer, and every place that shows a peer writes it with [`peer_label`].

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::{Mutex, PoisonError};

/// The names given a stand-in, in order (at most 65,535; later names share the last one).
static NAMES: Mutex<Vec<String>> = Mutex::new(Vec::new());
const MAX_NAMES: usize = 0xffff;

/// The stand-in address of the port `name` (the same name gives the same address).
pub fn port_addr(name: &str) -> SocketAddr {
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    let index = match names.iter().position(|known| known == name) {
        Some(index) => index,
        None if names.len() < MAX_NAMES => {
            names.push(name.to_owned());
            names.len() - 1
        }
        None => MAX_NAMES - 1,
    };
    let number = u16::try_from(index + 1).unwrap_or(u16::MAX);
    let [high, low] = number.to_be_bytes();
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(0, 0, high, low), 0))
}

/// The port's name when `addr` is a port's stand-in.
pub fn port_name(addr: SocketAddr) -> Option<String> {
    let SocketAddr::V4(v4) = addr else {
        return None;
    };
    let [a, b, high, low] = v4.ip().octets();
    if a != 0 || b != 0 || v4.port() != 0 {
        return None;
    }
    let number = usize::from(u16::from_be_bytes([high, low]));
    let names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    number
        .checked_sub(1)
        .and_then(|index| names.get(index))
        .cloned()
}

/// How a peer is shown: a port's name, else the address.
pub fn peer_label(addr: SocketAddr) -> String {
    port_name(addr).unwrap_or_else(|| addr.to_string())
}
