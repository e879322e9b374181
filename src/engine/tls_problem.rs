//! What exactly went wrong in a TLS setup, file or handshake failure ([`TlsProblem`]): typed,
//! so each front end words it in its own language. The English words are the `Display`.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// The reason inside [`super::NetError::TlsSetup`], [`super::NetError::TlsFile`] and
/// [`super::NetError::TlsFailed`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TlsProblem {
    /// The file could not be read.
    #[error("{text}")]
    Unreadable {
        /// What kind of failure.
        kind: io::ErrorKind,
        /// The system's words.
        text: String,
    },
    /// No PEM block of the kind needed (certificate or key).
    #[error("it holds no PEM block of the kind needed")]
    NoPemBlock,
    /// No `CERTIFICATE` block.
    #[error("it holds no CERTIFICATE block")]
    NoCertificate,
    /// Not PEM at all (the parser's words).
    #[error("it is not a valid PEM file ({detail})")]
    BadPem {
        /// What the PEM parser said.
        detail: String,
    },
    /// A certificate of a CA file that cannot be a trust anchor.
    #[error("a certificate in it cannot be a CA ({detail})")]
    NotCa {
        /// What rustls said.
        detail: String,
    },
    /// The key is not the certificate's.
    #[error("the key does not fit the certificate in {} ({detail})", cert.display())]
    KeyMismatch {
        /// The certificate file.
        cert: PathBuf,
        /// What rustls said.
        detail: String,
    },
    /// The name to ask for is not a host name or IP address.
    #[error("'{name}' is not a host name for TLS")]
    NotHostName {
        /// The name.
        name: String,
    },
    /// The system has no trusted roots.
    #[error(
        "this system has no trusted root certificates (install ca-certificates), give a CA file, or accept any certificate"
    )]
    NoSystemRoots,
    /// rcgen could not make the session's certificate.
    #[error("cannot make a self-signed certificate: {detail}")]
    SelfSigned {
        /// What rcgen said.
        detail: String,
    },
    /// A client given server options or the other way round (a front end's mistake).
    #[error("a TCP {} needs TLS {} options", if *server { "server" } else { "client" }, if *server { "server" } else { "client" })]
    WrongSide {
        /// The session is a server.
        server: bool,
    },
    /// The two sides have no ALPN protocol in common.
    #[error("no protocol in common by ALPN")]
    NoAlpn,
    /// The server showed a CA certificate as its own.
    #[error(
        "its certificate is a CA certificate (basicConstraints CA:TRUE), which cannot also be the server's own — issue a server certificate from that CA, or accept any certificate for a test server"
    )]
    CaAsServerCert,
    /// The peer's certificate was refused for another reason (rustls' words).
    #[error("its certificate is not accepted ({detail})")]
    CertNotAccepted {
        /// What rustls said.
        detail: String,
    },
    /// Anything else rustls reported (its words).
    #[error("{detail}")]
    Other {
        /// What rustls said.
        detail: String,
    },
}

impl TlsProblem {
    /// Anything else rustls reported.
    pub(crate) fn other(err: impl std::fmt::Display) -> Self {
        Self::Other {
            detail: err.to_string(),
        }
    }
}
