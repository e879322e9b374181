//! `tls-client` and `tls-server`: the TCP modes with TLS options, so every TCP option works
//! on them unchanged.

use std::path::PathBuf;

use crate::engine::{
    CertKey, ServerIdentity, TlsClientOptions, TlsOptions, TlsServerOptions, Trust,
};

use super::args::Mode;

/// A TLS mode as its TCP mode and the TLS options; other modes as they are. `absolute`
/// makes the file paths absolute.
pub(super) fn split(
    mode: Mode,
    absolute: impl Fn(PathBuf) -> PathBuf,
) -> (Mode, Option<TlsOptions>) {
    match mode {
        Mode::TlsClient {
            remote,
            bind,
            ca,
            insecure,
            cert,
            key,
            alpn,
            sni,
            opts,
        } => {
            let tls = TlsClientOptions {
                trust: trust(ca, insecure, &absolute),
                client_cert: cert_key(cert, key, &absolute),
                alpn,
                server_name: sni.map(|name| name.trim().to_owned()),
            };
            (
                Mode::TcpClient { remote, bind, opts },
                Some(TlsOptions::Client(tls)),
            )
        }
        Mode::TlsServer {
            listen,
            cert,
            key,
            self_signed: _,
            request_cert,
            alpn,
            opts,
        } => {
            let identity = cert_key(cert, key, &absolute)
                .map_or(ServerIdentity::SelfSigned, ServerIdentity::Files);
            let tls = TlsServerOptions {
                identity,
                request_client_cert: request_cert,
                alpn,
            };
            (
                Mode::TcpServer { listen, opts },
                Some(TlsOptions::Server(tls)),
            )
        }
        other => (other, None),
    }
}

/// Which certificates a client accepts: `--ca FILE`, `--insecure`, or the system's roots.
pub(super) fn trust(
    ca: Option<PathBuf>,
    insecure: bool,
    absolute: &impl Fn(PathBuf) -> PathBuf,
) -> Trust {
    match (ca, insecure) {
        (Some(ca), _) => Trust::CaFile(absolute(ca)),
        (None, true) => Trust::AnyCertificate,
        (None, false) => Trust::System,
    }
}

/// `--cert` and `--key` as a pair (clap makes each require the other).
pub(super) fn cert_key(
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    absolute: &impl Fn(PathBuf) -> PathBuf,
) -> Option<CertKey> {
    cert.zip(key).map(|(cert, key)| CertKey {
        cert: absolute(cert),
        key: absolute(key),
    })
}
