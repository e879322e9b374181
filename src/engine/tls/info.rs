//! What a TLS session reports: the negotiated parameters and the certificates (read with
//! `x509-parser`), and rustls's errors as [`NetError`] sentences.

use std::fmt::Write as _;
use std::net::SocketAddr;

use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, Error};

use super::super::error::NetError;
use super::super::tls_problem::TlsProblem;

/// A certificate as a user reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// The subject's distinguished name, e.g. `CN=localhost`.
    pub subject: String,
    /// The issuer's distinguished name.
    pub issuer: String,
    /// Valid from (UTC).
    pub not_before: String,
    /// Valid until (UTC).
    pub not_after: String,
    /// The SHA-256 fingerprint of the DER certificate, `AB:CD:…` (what clients pin).
    pub sha256: String,
}

impl CertInfo {
    /// Reads `der`; a certificate that does not parse still gets its fingerprint.
    pub(crate) fn of(der: &CertificateDer<'_>) -> Self {
        let sha256 = fingerprint(der.as_ref());
        match x509_parser::parse_x509_certificate(der.as_ref()) {
            Ok((_, cert)) => {
                let subject = cert.subject().to_string();
                let issuer = cert.issuer().to_string();
                let validity = cert.validity();
                Self {
                    subject: if subject.is_empty() {
                        "(empty)".to_owned()
                    } else {
                        subject
                    },
                    issuer,
                    not_before: utc_secs(validity.not_before.timestamp()),
                    not_after: utc_secs(validity.not_after.timestamp()),
                    sha256,
                }
            }
            Err(err) => Self {
                subject: format!("(unreadable: {err})"),
                issuer: String::new(),
                not_before: String::new(),
                not_after: String::new(),
                sha256,
            },
        }
    }
}

/// `AB:CD:…`: the SHA-256 of `der` in upper-case hex pairs.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let mut out = String::with_capacity(95);
    for (i, byte) in digest.as_ref().iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{byte:02X}");
    }
    out
}

/// A finished handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsInfo {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The cipher suite, e.g. `TLS13_AES_256_GCM_SHA384`.
    pub cipher: String,
    /// The protocol agreed by ALPN, if any.
    pub alpn: Option<String>,
    /// The peer's certificate (a server's; a client's when it showed one).
    pub peer_cert: Option<CertInfo>,
    /// Whether the peer's certificate was verified (false: "accept any certificate", or a
    /// client certificate taken as shown).
    pub verified: bool,
}

impl TlsInfo {
    pub(crate) fn of(conn: &rustls::Connection, verified: bool) -> Self {
        let version = match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_owned(),
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_owned(),
            Some(other) => format!("{other:?}"),
            None => "?".to_owned(),
        };
        let cipher = conn
            .negotiated_cipher_suite()
            .map_or_else(|| "?".to_owned(), |s| format!("{:?}", s.suite()));
        let alpn = conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned());
        let peer_cert = conn
            .peer_certificates()
            .and_then(<[CertificateDer<'_>]>::first)
            .map(CertInfo::of);
        Self {
            version,
            cipher,
            alpn,
            verified: verified && peer_cert.is_some(),
            peer_cert,
        }
    }
}

impl TlsInfo {
    /// `TLSv1.3, TLS13_AES_256_GCM_SHA384, ALPN h2` in English (the command line's words),
    /// with a warning when the certificate was not verified.
    pub fn summary(&self) -> String {
        let alpn = self.alpn.as_deref().unwrap_or("none");
        let mut line = format!(
            "TLS secured: {}, cipher {}, ALPN {alpn}",
            self.version, self.cipher
        );
        if self.peer_cert.is_some() && !self.verified {
            line.push_str(
                " — certificate NOT verified (accept any certificate / shown by the client)",
            );
        }
        line
    }
}

impl CertInfo {
    /// `certificate CN=… issued by CN=…, valid … until …` in English.
    pub fn summary(&self, whose: &str) -> String {
        format!(
            "{whose} certificate: {} — issued by {} — valid from {} until {}",
            self.subject, self.issuer, self.not_before, self.not_after
        )
    }
}

impl TlsNote {
    /// The note's lines in English (the command line's words).
    pub fn lines(&self) -> Vec<String> {
        match self {
            Self::Identity { cert, self_signed } => {
                let whose = if *self_signed {
                    "our self-signed"
                } else {
                    "our"
                };
                vec![
                    cert.summary(whose),
                    format!("our certificate's SHA-256 fingerprint: {}", cert.sha256),
                ]
            }
            Self::Secured { peer, info } => {
                let mut lines = vec![format!("{peer}: {}", info.summary())];
                if let Some(cert) = &info.peer_cert {
                    lines.push(format!("{peer}: {}", cert.summary("peer")));
                    lines.push(format!("{peer}: peer certificate SHA-256 {}", cert.sha256));
                }
                lines
            }
        }
    }
}

/// What a TLS session notes for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsNote {
    /// A TLS server's own certificate, when it opens.
    Identity {
        /// The certificate.
        cert: CertInfo,
        /// Made for this session (clients must accept it by its fingerprint).
        self_signed: bool,
    },
    /// The handshake with `peer` finished.
    Secured {
        /// The peer.
        peer: SocketAddr,
        /// What was agreed and shown.
        info: TlsInfo,
    },
}

/// rustls's `err` on the connection with `peer` as the sentence a user needs.
/// `handshaking`: the handshake was not finished (bytes that are not TLS then mean a peer
/// that does not speak it).
pub(crate) fn tls_error(
    err: &Error,
    peer: SocketAddr,
    name: Option<&str>,
    handshaking: bool,
) -> NetError {
    match err {
        Error::InvalidCertificate(cert) => cert_error(cert, peer, name),
        Error::AlertReceived(alert) => NetError::TlsAlert {
            peer,
            alert: alert_name(*alert),
        },
        Error::InvalidMessage(_) | Error::InappropriateMessage { .. } if handshaking => {
            NetError::TlsNotTls { peer }
        }
        Error::NoApplicationProtocol => NetError::TlsFailed {
            peer,
            reason: TlsProblem::NoAlpn,
        },
        other => NetError::TlsFailed {
            peer,
            reason: TlsProblem::other(other),
        },
    }
}

fn cert_error(err: &CertificateError, peer: SocketAddr, name: Option<&str>) -> NetError {
    match err {
        CertificateError::UnknownIssuer => NetError::TlsUnknownIssuer { peer },
        CertificateError::NotValidForName => NetError::TlsNameMismatch {
            peer,
            name: name.unwrap_or("?").to_owned(),
            presented: String::new(),
        },
        CertificateError::NotValidForNameContext {
            expected,
            presented,
        } => NetError::TlsNameMismatch {
            peer,
            name: expected.to_str().into_owned(),
            presented: presented
                .iter()
                .map(|name| plain_name(name))
                .collect::<Vec<_>>()
                .join(", "),
        },
        CertificateError::Expired => NetError::TlsExpired {
            peer,
            not_after: String::new(),
        },
        CertificateError::ExpiredContext { not_after, .. } => NetError::TlsExpired {
            peer,
            not_after: utc(*not_after),
        },
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            NetError::TlsNotYetValid { peer }
        }
        CertificateError::Other(other) if format!("{other:?}").contains("CaUsedAsEndEntity") => {
            NetError::TlsFailed {
                peer,
                reason: TlsProblem::CaAsServerCert,
            }
        }
        other => NetError::TlsFailed {
            peer,
            reason: TlsProblem::CertNotAccepted {
                detail: format!("{other:?}"),
            },
        },
    }
}

/// `printer.lan` from rustls's `DnsName("printer.lan")` (an IP address likewise).
fn plain_name(presented: &str) -> &str {
    presented
        .split_once('(')
        .map_or(presented, |(_, inner)| inner.trim_end_matches(')'))
        .trim_matches('"')
}

fn utc(time: rustls::pki_types::UnixTime) -> String {
    utc_secs(i64::try_from(time.as_secs()).unwrap_or(i64::MAX))
}

/// `2026-11-28 16:00:00 UTC`.
fn utc_secs(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).map_or_else(
        || secs.to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

/// `bad_certificate`, `unknown_ca`: an alert as RFC 8446 names it.
fn alert_name(alert: rustls::AlertDescription) -> String {
    let debug = format!("{alert:?}");
    let mut out = String::with_capacity(debug.len() + 4);
    let mut lower_before = false;
    for ch in debug.chars() {
        if ch.is_ascii_uppercase() {
            if lower_before {
                out.push('_');
            }
            lower_before = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            lower_before = ch.is_ascii_lowercase() || ch.is_ascii_digit();
            out.push(ch);
        }
    }
    out
}
