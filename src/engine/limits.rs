//! The engine's sizes: of every read, and of the largest datagram each IP version carries.

/// Largest UDP payload over IPv4 (65,535 − 20 bytes of IP header − 8 of UDP header).
pub const MAX_DATAGRAM: usize = 65_507;
/// Largest UDP payload over IPv6 (65,535 − 8; the IPv6 header is not counted in its length).
pub const MAX_DATAGRAM_V6: usize = 65_527;
/// Size of every read.
pub const READ_SIZE: usize = 64 * 1024;
