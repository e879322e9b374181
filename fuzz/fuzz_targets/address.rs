#![no_main]

#[path = "../../tests/prop_support/mod.rs"]
mod invariants;

use std::net::{Ipv6Addr, SocketAddr, SocketAddrV6};

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    invariants::check_address_text(&String::from_utf8_lossy(data));
    let mut u = Unstructured::new(data);
    let value = (|| -> arbitrary::Result<SocketAddr> {
        Ok(if u.arbitrary()? {
            SocketAddr::new(std::net::IpAddr::V4(u.arbitrary()?), u.arbitrary()?)
        } else {
            let ip = Ipv6Addr::from(u.arbitrary::<u128>()?);
            SocketAddr::V6(SocketAddrV6::new(ip, u.arbitrary()?, 0, u.arbitrary()?))
        })
    })();
    if let Ok(addr) = value {
        invariants::check_address_value(addr);
    }
});
