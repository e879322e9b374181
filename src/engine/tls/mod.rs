//! TLS as a layer over the TCP client and server: what a session asks for ([`TlsOptions`]),
//! the rustls configurations built from it when the session opens, and the per-connection
//! layer ([`layer::TlsLayer`]) that [`super::conn::Conn`] reads and writes through.
//!
//! Everything a TCP session does (send queues, relay, kick, echo, auto-replies, framing, save)
//! works on TLS sessions unchanged: those act on plaintext in `Conn`, and only `Conn`'s socket
//! reads and writes go through the layer. rustls runs with the `ring` provider.

pub(crate) mod info;
pub(crate) mod layer;
mod verify;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Datelike as _;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};

use super::error::{NetError, Result};
use super::tls_problem::TlsProblem;
pub use info::{CertInfo, TlsInfo, TlsNote};

/// TLS on a TCP session: the client's or the server's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsOptions {
    /// On a TCP client.
    Client(TlsClientOptions),
    /// On a TCP server.
    Server(TlsServerOptions),
}

/// Which server certificates a TLS client accepts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Trust {
    /// The roots the system trusts.
    #[default]
    System,
    /// The CA certificates in this PEM file (only these).
    CaFile(PathBuf),
    /// Any certificate, unverified (the handshake's signatures are still checked): for
    /// self-signed test servers. Every connection says so in the log.
    AnyCertificate,
}

/// A certificate chain and its private key, both PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertKey {
    /// The certificate chain (the end certificate first).
    pub cert: PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// A TLS client's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsClientOptions {
    /// Which certificates to accept.
    pub trust: Trust,
    /// A certificate to show when the server asks for one.
    pub client_cert: Option<CertKey>,
    /// Protocols to offer by ALPN, most wanted first (e.g. `h2`, `http/1.1`).
    pub alpn: Vec<String>,
    /// The name to ask for (SNI) and to check the certificate against; `None`: the host of
    /// the remote address as typed (an IP address is checked against the certificate's IP
    /// addresses and sent without SNI).
    pub server_name: Option<String>,
}

/// Where a TLS server's certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ServerIdentity {
    /// A new self-signed certificate for `localhost`, 127.0.0.1 and `::1`, made when the session
    /// opens; its fingerprint is reported so clients can pin it.
    #[default]
    SelfSigned,
    /// A certificate chain and key from PEM files.
    Files(CertKey),
}

/// A TLS server's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsServerOptions {
    /// Its certificate.
    pub identity: ServerIdentity,
    /// Ask clients for a certificate (not required; whatever is shown is reported, not
    /// verified against a CA).
    pub request_client_cert: bool,
    /// Protocols accepted by ALPN, most wanted first.
    pub alpn: Vec<String>,
}

/// A TLS client's rustls configuration, built when the session opens.
pub(crate) struct ClientSetup {
    config: Arc<rustls::ClientConfig>,
    name: ServerName<'static>,
    verified: bool,
}

/// A TLS server's rustls configuration, built when the session opens.
pub(crate) struct ServerSetup {
    config: Arc<rustls::ServerConfig>,
}

impl ClientSetup {
    /// The TLS layer of a new connection to `peer`.
    pub(crate) fn layer(&self, peer: SocketAddr) -> Result<layer::TlsLayer> {
        layer::TlsLayer::client(
            Arc::clone(&self.config),
            self.name.clone(),
            self.verified,
            peer,
        )
    }
}

impl ServerSetup {
    /// The TLS layer of a newly accepted client `peer`.
    pub(crate) fn layer(&self, peer: SocketAddr) -> Result<layer::TlsLayer> {
        layer::TlsLayer::server(Arc::clone(&self.config), peer)
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn config_error(reason: TlsProblem) -> NetError {
    NetError::TlsSetup { reason }
}

/// Reads the certificates of a PEM file.
fn load_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let bad = |reason: TlsProblem| NetError::TlsFile {
        path: path.to_owned(),
        reason,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|err| bad(pem_reason(&err)))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|err| bad(pem_reason(&err)))?;
    if certs.is_empty() {
        return Err(bad(TlsProblem::NoCertificate));
    }
    Ok(certs)
}

fn load_key(path: &Path) -> Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_file(path).map_err(|err| NetError::TlsFile {
        path: path.to_owned(),
        reason: pem_reason(&err),
    })
}

fn pem_reason(err: &rustls::pki_types::pem::Error) -> TlsProblem {
    use rustls::pki_types::pem::Error as Pem;
    match err {
        Pem::Io(io) => TlsProblem::Unreadable {
            kind: io.kind(),
            text: io.to_string(),
        },
        Pem::NoItemsFound => TlsProblem::NoPemBlock,
        other => TlsProblem::BadPem {
            detail: format!("{other:?}"),
        },
    }
}

fn load_pair(pair: &CertKey) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
    Ok((load_certs(&pair.cert)?, load_key(&pair.key)?))
}

/// The host part of `host:port` (brackets of an IPv6 literal removed).
pub(crate) fn host_of(remote: &str) -> &str {
    let trimmed = remote.trim();
    let host = trimmed.rsplit_once(':').map_or(trimmed, |(host, _)| host);
    host.trim_start_matches('[').trim_end_matches(']')
}

impl ClientSetup {
    /// The client's configuration for connecting to `remote` (`host:port`).
    pub(crate) fn new(options: &TlsClientOptions, remote: &str) -> Result<Self> {
        let name_text = options
            .server_name
            .clone()
            .unwrap_or_else(|| host_of(remote).to_owned());
        let name = ServerName::try_from(name_text.clone()).map_err(|_| {
            config_error(TlsProblem::NotHostName {
                name: name_text.clone(),
            })
        })?;
        let builder = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|err| config_error(TlsProblem::other(err)))?;
        let verified = !matches!(options.trust, Trust::AnyCertificate);
        let builder = match &options.trust {
            Trust::AnyCertificate => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verify::AnyServerCert::new(provider()))),
            Trust::System => builder.with_root_certificates(system_roots()?),
            Trust::CaFile(path) => {
                let mut roots = rustls::RootCertStore::empty();
                for cert in load_certs(path)? {
                    roots.add(cert).map_err(|err| NetError::TlsFile {
                        path: path.clone(),
                        reason: TlsProblem::NotCa {
                            detail: err.to_string(),
                        },
                    })?;
                }
                builder.with_root_certificates(roots)
            }
        };
        let mut config = match &options.client_cert {
            None => builder.with_no_client_auth(),
            Some(pair) => {
                let (certs, key) = load_pair(pair)?;
                builder
                    .with_client_auth_cert(certs, key)
                    .map_err(|err| key_mismatch(pair, &err))?
            }
        };
        config.alpn_protocols = options.alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
        Ok(Self {
            config: Arc::new(config),
            name,
            verified,
        })
    }
}

impl ServerSetup {
    /// The server's configuration, and the note on its own certificate.
    pub(crate) fn new(options: &TlsServerOptions, bind: SocketAddr) -> Result<(Self, TlsNote)> {
        let (certs, key, self_signed) = match &options.identity {
            ServerIdentity::Files(pair) => {
                let (certs, key) = load_pair(pair)?;
                (certs, key, false)
            }
            ServerIdentity::SelfSigned => {
                let (certs, key) = self_signed(bind)?;
                (certs, key, true)
            }
        };
        let own = info::CertInfo::of(&certs[0]);
        let builder = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|err| config_error(TlsProblem::other(err)))?;
        let builder = if options.request_client_cert {
            builder.with_client_cert_verifier(Arc::new(verify::AnyClientCert::new(provider())))
        } else {
            builder.with_no_client_auth()
        };
        let mut config = match &options.identity {
            ServerIdentity::Files(pair) => builder
                .with_single_cert(certs, key)
                .map_err(|err| key_mismatch(pair, &err))?,
            ServerIdentity::SelfSigned => builder
                .with_single_cert(certs, key)
                .map_err(|err| config_error(TlsProblem::other(err)))?,
        };
        config.alpn_protocols = options.alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
        Ok((
            Self {
                config: Arc::new(config),
            },
            TlsNote::Identity {
                cert: own,
                self_signed,
            },
        ))
    }
}

fn key_mismatch(pair: &CertKey, err: &rustls::Error) -> NetError {
    NetError::TlsFile {
        path: pair.key.clone(),
        reason: TlsProblem::KeyMismatch {
            cert: pair.cert.clone(),
            detail: err.to_string(),
        },
    }
}

/// The system's trusted roots.
fn system_roots() -> Result<rustls::RootCertStore> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err(config_error(TlsProblem::NoSystemRoots));
    }
    Ok(roots)
}

/// A self-signed certificate for this machine's loopback names and the bound address.
fn self_signed(bind: SocketAddr) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if !bind.ip().is_unspecified() && !bind.ip().is_loopback() {
        names.push(bind.ip().to_string());
    }
    let failed = |err: rcgen::Error| {
        config_error(TlsProblem::SelfSigned {
            detail: err.to_string(),
        })
    };
    let mut params = rcgen::CertificateParams::new(names).map_err(failed)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        "netassist self-signed (this session)",
    );
    // Valid from yesterday (clocks differ) for a year.
    let day = |offset: i64| {
        let date = (chrono::Utc::now() + chrono::Duration::days(offset)).date_naive();
        rcgen::date_time_ymd(date.year(), date.month() as u8, date.day() as u8)
    };
    params.not_before = day(-1);
    params.not_after = day(365);
    let key_pair = rcgen::KeyPair::generate().map_err(failed)?;
    let cert = params.self_signed(&key_pair).map_err(failed)?;
    let cert = cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_pair.serialize_der()));
    Ok((vec![cert], key))
}

/// The client's TLS setup when the session asks for TLS (`None`: plain TCP).
pub(crate) fn client_setup(tls: Option<&TlsOptions>, remote: &str) -> Result<Option<ClientSetup>> {
    match tls {
        None => Ok(None),
        Some(TlsOptions::Client(options)) => ClientSetup::new(options, remote).map(Some),
        Some(TlsOptions::Server(_)) => Err(config_error(TlsProblem::WrongSide { server: false })),
    }
}

/// The server's TLS setup and the note on its certificate when the session asks for TLS.
pub(crate) fn server_setup(
    tls: Option<&TlsOptions>,
    bind: SocketAddr,
) -> Result<Option<(ServerSetup, TlsNote)>> {
    match tls {
        None => Ok(None),
        Some(TlsOptions::Server(options)) => ServerSetup::new(options, bind).map(Some),
        Some(TlsOptions::Client(_)) => Err(config_error(TlsProblem::WrongSide { server: true })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_asked_for_is_the_host_typed() {
        assert_eq!(host_of("example.com:443"), "example.com");
        assert_eq!(host_of(" 192.168.1.10:8443 "), "192.168.1.10");
        assert_eq!(host_of("[::1]:8443"), "::1");
        // An IP address is a name rustls checks against the certificate's IP addresses.
        for remote in ["127.0.0.1:1", "[::1]:1"] {
            let name = ServerName::try_from(host_of(remote).to_owned()).unwrap();
            assert!(matches!(name, ServerName::IpAddress(_)), "{remote}");
        }
    }

    #[test]
    fn client_options_on_a_server_are_refused() {
        let bind: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let client = TlsOptions::Client(TlsClientOptions::default());
        assert!(matches!(
            server_setup(Some(&client), bind),
            Err(NetError::TlsSetup { .. })
        ));
        let server = TlsOptions::Server(TlsServerOptions::default());
        assert!(matches!(
            client_setup(Some(&server), "127.0.0.1:1"),
            Err(NetError::TlsSetup { .. })
        ));
    }
}
