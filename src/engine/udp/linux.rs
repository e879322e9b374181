//! The system side of UDP on Linux: ICMP errors from the socket's error queue, and reads with
//! `recvmsg` that bring the kernel's drop counter.

/// ICMP errors for datagrams sent from an unconnected socket. Linux passes them on only with
/// `IP_RECVERR` / `IPV6_RECVERR`, as a pending `ECONNREFUSED` and as entries in the socket's
/// error queue that name the datagram's destination. The queue must be read: its entries take
/// room in the receive buffer.
pub(super) mod icmp {
    use std::io;
    use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
    use std::os::fd::AsRawFd as _;

    use nix::sys::socket::{
        ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg, setsockopt, sockopt,
    };

    /// Most errors read from the queue at once.
    const BUDGET: usize = 64;

    /// Asks for ICMP errors (best effort: without them, nothing is reported).
    pub(in crate::engine::udp) fn report_errors(socket: &socket2::Socket, v6: bool) {
        if v6 {
            let _ = setsockopt(socket, sockopt::Ipv6RecvErr, &true);
        }
        let _ = setsockopt(socket, sockopt::Ipv4RecvErr, &true);
    }

    /// The queued errors: the destination of the datagram and what went wrong.
    pub(in crate::engine::udp) fn take_errors(
        socket: &mio::net::UdpSocket,
    ) -> Vec<(SocketAddr, io::Error)> {
        let mut errors = Vec::new();
        let mut data = [0u8; 64];
        let mut control = nix::cmsg_space!(nix::libc::sock_extended_err, nix::libc::sockaddr_in6);
        for _ in 0..BUDGET {
            let mut iov = [io::IoSliceMut::new(&mut data)];
            let Ok(msg) = recvmsg::<SockaddrStorage>(
                socket.as_raw_fd(),
                &mut iov,
                Some(&mut control),
                MsgFlags::MSG_ERRQUEUE | MsgFlags::MSG_DONTWAIT,
            ) else {
                break;
            };
            let errno = msg.cmsgs().ok().and_then(|mut cmsgs| {
                cmsgs.find_map(|cmsg| match cmsg {
                    ControlMessageOwned::Ipv4RecvErr(err, _)
                    | ControlMessageOwned::Ipv6RecvErr(err, _) => Some(err.ee_errno),
                    _ => None,
                })
            });
            let addr = msg.address.as_ref().and_then(to_std);
            if let (Some(addr), Some(errno)) = (addr, errno) {
                errors.push((
                    addr,
                    io::Error::from_raw_os_error(i32::try_from(errno).unwrap_or(0)),
                ));
            }
        }
        errors
    }

    fn to_std(addr: &SockaddrStorage) -> Option<SocketAddr> {
        if let Some(v4) = addr.as_sockaddr_in() {
            return Some(SocketAddr::V4(SocketAddrV4::from(*v4)));
        }
        let v6 = SocketAddrV6::from(*addr.as_sockaddr_in6()?);
        // An IPv4 peer of a dual-stack socket is shown as IPv4.
        Some(match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::V4(SocketAddrV4::new(v4, v6.port())),
            None => SocketAddr::V6(v6),
        })
    }
}

/// Reading datagrams. On Linux with `recvmsg`, which also brings the kernel's count of
/// datagrams it dropped on this socket (`SO_RXQ_OVFL`).
pub(super) mod rx {
    use std::io;
    use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
    use std::os::fd::AsRawFd as _;

    use nix::sys::socket::{
        ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg, setsockopt, sockopt,
    };

    /// Asks for the drop counter with every datagram (best effort: without it, kernel drops
    /// are not counted).
    pub(in crate::engine::udp) fn count_drops(socket: &socket2::Socket) {
        let _ = setsockopt(socket, sockopt::RxqOvfl, &1);
    }

    /// What `SO_RCVBUF` reads back is twice the room for data (the kernel doubles the size
    /// asked for, to cover its bookkeeping).
    pub(in crate::engine::udp) fn usable_buffer(read_back: usize) -> usize {
        read_back / 2
    }

    /// Room for the drop counter's control message.
    pub(in crate::engine::udp) fn control_buffer() -> Vec<u8> {
        nix::cmsg_space!(u32)
    }

    /// One datagram: its length, its sender and the kernel's drop counter if it came along.
    pub(in crate::engine::udp) fn recv(
        socket: &mio::net::UdpSocket,
        buf: &mut [u8],
        control: &mut Vec<u8>,
    ) -> io::Result<(usize, SocketAddr, Option<u32>)> {
        let mut iov = [io::IoSliceMut::new(buf)];
        let msg = recvmsg::<SockaddrStorage>(
            socket.as_raw_fd(),
            &mut iov,
            Some(control.as_mut_slice()),
            MsgFlags::MSG_DONTWAIT,
        )
        .map_err(io::Error::from)?;
        let counter = msg.cmsgs().ok().and_then(|mut cmsgs| {
            cmsgs.find_map(|cmsg| match cmsg {
                ControlMessageOwned::RxqOvfl(count) => Some(count),
                _ => None,
            })
        });
        let peer = msg
            .address
            .as_ref()
            .and_then(sender)
            .ok_or_else(|| io::Error::other("a datagram came without a sender address"))?;
        Ok((msg.bytes, peer, counter))
    }

    /// The sender as `recv_from` gives it (an IPv4 peer of a dual-stack socket stays
    /// IPv4-mapped, so replies go back through the same socket family).
    fn sender(addr: &SockaddrStorage) -> Option<SocketAddr> {
        if let Some(v4) = addr.as_sockaddr_in() {
            return Some(SocketAddr::V4(SocketAddrV4::from(*v4)));
        }
        addr.as_sockaddr_in6()
            .map(|v6| SocketAddr::V6(SocketAddrV6::from(*v6)))
    }
}
