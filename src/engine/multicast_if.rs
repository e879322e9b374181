//! The one parser of a multicast interface as typed (command line and window alike): an IPv4
//! address, an interface index or an interface name, checked against this machine's
//! interfaces before anything is opened.

use std::net::{IpAddr, Ipv4Addr};

use thiserror::Error;

use super::{Multicast, known_interfaces};

/// Why a multicast interface could not be used. The English sentences are the command line's;
/// the window words each case in its own language.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InterfaceError {
    /// Nothing was typed where an interface was asked for.
    #[error(
        "give an IPv4 address (e.g. 127.0.0.1), an interface index (e.g. 1) or a name (e.g. lo)"
    )]
    Empty,
    /// No interface of this machine has that address, index or name.
    #[error(
        "{interface} is not a network interface of this machine — pick one of: {known} (or leave the interface out to let the system choose)"
    )]
    NoSuch {
        /// The address, index or name given.
        interface: String,
        /// The interfaces there are, e.g. "127.0.0.1 (lo), 192.168.1.5 (eth0)".
        known: String,
    },
}

/// The interface to join groups on and send multicast from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MulticastInterface {
    /// IPv4: the interface's address, if one was named.
    pub v4: Option<Ipv4Addr>,
    /// IPv6: the interface's index, if one was named.
    pub index: Option<u32>,
}

impl MulticastInterface {
    /// Puts the interface into `multicast` (leaving what was not named as it is).
    pub fn apply_to(self, multicast: &mut Multicast) {
        if let Some(v4) = self.v4 {
            multicast.interface_v4 = v4;
        }
        if let Some(index) = self.index {
            multicast.interface_v6 = index;
        }
    }
}

/// Reads a multicast interface: `0.0.0.0` and index `0` (the system's choice) are always
/// accepted, any other address, index or name must belong to this machine. `v6`: the socket
/// is IPv6, so a name gives its index rather than its IPv4 address.
pub fn parse_multicast_interface(
    text: &str,
    v6: bool,
) -> Result<MulticastInterface, InterfaceError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InterfaceError::Empty);
    }
    let interfaces = if_addrs::get_if_addrs().unwrap_or_default();
    let missing = || InterfaceError::NoSuch {
        interface: text.to_owned(),
        known: known_interfaces(v6),
    };
    if let Ok(v4) = text.parse::<Ipv4Addr>() {
        if !v4.is_unspecified() && !interfaces.iter().any(|i| i.ip() == IpAddr::V4(v4)) {
            return Err(missing());
        }
        return Ok(MulticastInterface {
            v4: Some(v4),
            index: None,
        });
    }
    if let Ok(index) = text.parse::<u32>() {
        if index != 0 && !interfaces.iter().any(|i| i.index == Some(index)) {
            return Err(missing());
        }
        return Ok(MulticastInterface {
            v4: None,
            index: Some(index),
        });
    }
    let mut chosen = MulticastInterface::default();
    let mut found = false;
    for named in interfaces.iter().filter(|i| i.name == text) {
        found = true;
        match named.ip() {
            IpAddr::V4(v4) if !v6 => chosen.v4 = Some(v4),
            _ => chosen.index = named.index.or(chosen.index),
        }
    }
    if found { Ok(chosen) } else { Err(missing()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_indexes_and_names_of_this_machine_are_read() {
        let lo = parse_multicast_interface(" 127.0.0.1 ", false).unwrap();
        assert_eq!(lo.v4, Some(Ipv4Addr::LOCALHOST));
        assert_eq!(parse_multicast_interface("0", true).unwrap().index, Some(0));
        assert_eq!(
            parse_multicast_interface("0.0.0.0", false).unwrap().v4,
            Some(Ipv4Addr::UNSPECIFIED)
        );
        let loopback = if_addrs::get_if_addrs()
            .unwrap()
            .into_iter()
            .find(|i| i.ip() == IpAddr::V4(Ipv4Addr::LOCALHOST))
            .expect("this machine has a loopback interface");
        let named = parse_multicast_interface(&loopback.name, false).unwrap();
        assert_eq!(named.v4, Some(Ipv4Addr::LOCALHOST));
        let mut multicast = Multicast::default();
        named.apply_to(&mut multicast);
        assert_eq!(multicast.interface_v4, Ipv4Addr::LOCALHOST);
    }

    #[test]
    fn empty_and_foreign_interfaces_are_refused_with_the_known_ones() {
        assert_eq!(
            parse_multicast_interface("  ", false),
            Err(InterfaceError::Empty)
        );
        for foreign in ["no-such-if0", "4000000000", "192.0.2.77"] {
            match parse_multicast_interface(foreign, false) {
                Err(InterfaceError::NoSuch { interface, known }) => {
                    assert_eq!(interface, foreign);
                    assert!(known.contains("127.0.0.1"), "{known}");
                }
                other => panic!("{foreign}: {other:?}"),
            }
        }
    }
}
