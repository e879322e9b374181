//! One connection's TLS: rustls's state machine driven over a non-blocking stream.
//!
//! Reads take TLS records from the socket (`read_tls`), decrypt them (`process_new_packets`)
//! and hand out plaintext (`reader`); writes hand plaintext to rustls (`writer`, bounded by
//! rustls's buffer limit, so a peer that stops reading fills the connection's own send queue
//! as on plain TCP) and put the records on the socket (`write_tls`) as far as it takes them.

use std::io::{self, Read as _, Write as _};
use std::net::SocketAddr;
use std::sync::Arc;

use rustls::pki_types::ServerName;

use super::super::error::NetError;
use super::super::tls_problem::TlsProblem;
use super::info::{TlsInfo, tls_error};

/// What a read found after the plaintext it returned.
pub(crate) enum TlsStep {
    /// The buffer is full: more may be waiting.
    More,
    /// The socket has nothing more for now.
    Drained,
    /// The peer closed (after its last plaintext).
    Eof,
    /// The socket failed.
    Io(io::Error),
    /// TLS failed (the alert, if any, was sent).
    Tls(NetError),
}

/// A TLS connection over a stream that [`super::super::conn::Conn`] owns.
#[allow(clippy::struct_excessive_bools)] // independent facts of one connection, not a state machine
pub(crate) struct TlsLayer {
    conn: rustls::Connection,
    /// The name the client asked for (for the wording of a name mismatch).
    name: Option<String>,
    /// Whether the peer's certificate is verified.
    verified: bool,
    /// The handshake finished and was reported.
    announced: bool,
    /// The finished handshake, until the read loop reports it.
    secured: Option<TlsInfo>,
    /// The socket reached its end.
    socket_eof: bool,
    /// `close_notify` was queued.
    close_sent: bool,
}

impl TlsLayer {
    /// A client's side, asking for `name`.
    pub(crate) fn client(
        config: Arc<rustls::ClientConfig>,
        name: ServerName<'static>,
        verified: bool,
        peer: SocketAddr,
    ) -> Result<Self, NetError> {
        let text = name.to_str().into_owned();
        let conn =
            rustls::ClientConnection::new(config, name).map_err(|err| NetError::TlsFailed {
                peer,
                reason: TlsProblem::other(err),
            })?;
        Ok(Self::new(conn.into(), Some(text), verified))
    }

    /// A server's side.
    pub(crate) fn server(
        config: Arc<rustls::ServerConfig>,
        peer: SocketAddr,
    ) -> Result<Self, NetError> {
        let conn = rustls::ServerConnection::new(config).map_err(|err| NetError::TlsFailed {
            peer,
            reason: TlsProblem::other(err),
        })?;
        Ok(Self::new(conn.into(), None, false))
    }

    fn new(conn: rustls::Connection, name: Option<String>, verified: bool) -> Self {
        Self {
            conn,
            name,
            verified,
            announced: false,
            secured: None,
            socket_eof: false,
            close_sent: false,
        }
    }

    /// Whether the handshake is still running.
    pub(crate) fn handshaking(&self) -> bool {
        self.conn.is_handshaking()
    }

    /// The finished handshake, once (the read loop reports it).
    pub(crate) fn take_secured(&mut self) -> Option<TlsInfo> {
        self.secured.take()
    }

    /// Whether TLS records wait to be written.
    pub(crate) fn wants_write(&self) -> bool {
        self.conn.wants_write()
    }

    /// Fills `buf` with plaintext as far as the socket has records for it; returns how much
    /// and what comes after. Handshake records are answered on the way.
    pub(crate) fn read(
        &mut self,
        stream: &mut (impl io::Read + io::Write),
        buf: &mut [u8],
        peer: SocketAddr,
    ) -> (usize, TlsStep) {
        let mut filled = 0;
        loop {
            if filled == buf.len() {
                return (filled, TlsStep::More);
            }
            match self.conn.reader().read(&mut buf[filled..]) {
                // The peer's close_notify, after its last plaintext.
                Ok(0) => return (filled, Self::after_end(filled)),
                Ok(n) => {
                    filled += n;
                    continue;
                }
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {}
                // Closed without close_notify: an end all the same, as most peers do it.
                Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => {
                    return (filled, Self::after_end(filled));
                }
                Err(err) => return (filled, TlsStep::Io(err)),
            }
            if self.socket_eof {
                return if self.conn.is_handshaking() {
                    (
                        filled,
                        TlsStep::Tls(NetError::TlsClosedInHandshake { peer }),
                    )
                } else {
                    (filled, Self::after_end(filled))
                };
            }
            match self.conn.read_tls(stream) {
                Ok(0) => self.socket_eof = true,
                Ok(_) => {}
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                    return (filled, TlsStep::Drained);
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return (filled, TlsStep::Io(err)),
            }
            let handshaking = self.conn.is_handshaking();
            if let Err(err) = self.conn.process_new_packets() {
                // The alert rustls queued tells the peer why; best effort.
                let _ = self.write_pending(stream);
                let error = tls_error(&err, peer, self.name.as_deref(), handshaking);
                return (filled, TlsStep::Tls(error));
            }
            if !self.announced && !self.conn.is_handshaking() {
                self.announced = true;
                self.secured = Some(TlsInfo::of(&self.conn, self.verified));
            }
            if let Err(err) = self.write_pending(stream) {
                return (filled, TlsStep::Io(err));
            }
        }
    }

    /// The end of the peer's data: reported after the plaintext already in `buf`.
    fn after_end(filled: usize) -> TlsStep {
        if filled > 0 {
            TlsStep::More
        } else {
            TlsStep::Eof
        }
    }

    /// Writes the TLS records that wait, as far as the socket takes them; `Ok(true)` when
    /// none is left.
    pub(crate) fn write_pending(&mut self, stream: &mut impl io::Write) -> io::Result<bool> {
        while self.conn.wants_write() {
            match self.conn.write_tls(stream) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "the connection accepts no more data",
                    ));
                }
                Ok(_) => {}
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        Ok(true)
    }

    /// Hands plaintext to rustls; returns how much it took (0 when its buffer is full or the
    /// handshake still runs).
    pub(crate) fn write_plain(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.conn.is_handshaking() {
            return Ok(0);
        }
        self.conn.writer().write(bytes)
    }

    /// Queues `close_notify` (once).
    pub(crate) fn close_notify(&mut self) {
        if !self.close_sent {
            self.close_sent = true;
            self.conn.send_close_notify();
        }
    }
}
