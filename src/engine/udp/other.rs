//! The system side of UDP elsewhere than Linux: plain `recv_from`, no error queue.

/// Elsewhere datagrams are read with `recv_from`; the kernel's drops are not counted.
pub(super) mod rx {
    use std::io;
    use std::net::SocketAddr;

    pub(in crate::engine::udp) fn count_drops(_socket: &socket2::Socket) {}

    pub(in crate::engine::udp) fn usable_buffer(read_back: usize) -> usize {
        read_back
    }

    pub(in crate::engine::udp) fn control_buffer() -> Vec<u8> {
        Vec::new()
    }

    pub(in crate::engine::udp) fn recv(
        socket: &mio::net::UdpSocket,
        buf: &mut [u8],
        _control: &mut Vec<u8>,
    ) -> io::Result<(usize, SocketAddr, Option<u32>)> {
        socket
            .recv_from(buf)
            .map(|(n, peer)| (n, peer, None::<u32>))
    }
}

/// Elsewhere ICMP errors are not read from a queue; a pending error is still reported.
pub(super) mod icmp {
    use std::io;
    use std::net::SocketAddr;

    pub(in crate::engine::udp) fn report_errors(_socket: &socket2::Socket, _v6: bool) {}

    pub(in crate::engine::udp) fn take_errors(
        _socket: &mio::net::UdpSocket,
    ) -> Vec<(SocketAddr, io::Error)> {
        Vec::new()
    }
}
