//! The engine's sizes (of every read, of the largest datagram each IP version carries) and the
//! system's limit on open files.

use std::io;

/// Largest UDP payload over IPv4 (65,535 − 20 bytes of IP header − 8 of UDP header).
pub const MAX_DATAGRAM: usize = 65_507;
/// Largest UDP payload over IPv6 (65,535 − 8; the IPv6 header is not counted in its length).
pub const MAX_DATAGRAM_V6: usize = 65_527;
/// Size of every read.
pub const READ_SIZE: usize = 64 * 1024;

/// Whether an accept failed for want of file descriptors or memory: a state that passes when
/// clients leave (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM` on Linux).
pub(crate) fn out_of_descriptors(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::OutOfMemory
        || (cfg!(target_os = "linux") && matches!(err.raw_os_error(), Some(12 | 23 | 24 | 105)))
}

/// The open-file limit (`RLIMIT_NOFILE`'s soft value), 0 when unknown or, as on Windows,
/// when there is none.
pub(crate) fn open_file_limit() -> u64 {
    #[cfg(unix)]
    {
        rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(0, |(soft, _)| soft)
    }
    #[cfg(not(unix))]
    {
        0
    }
}
