//! A session's TLS settings (TLS client / TLS server in the protocol picker) and the engine
//! options made from them. Saved with the session; every field has a default, so settings
//! saved before TLS existed still load (as plain TCP).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::app::error::UiError;
use crate::engine::{
    CertKey, ServerIdentity, TlsClientOptions, TlsOptions, TlsServerOptions, Trust,
};

/// TLS over a TCP client or server session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsSettings {
    /// The session speaks TLS (the picker's "TLS client" / "TLS server").
    pub enabled: bool,
    /// Client: trust only the CAs in this PEM file (empty: the system's roots).
    pub ca_file: String,
    /// Client: accept any certificate, unverified.
    pub insecure: bool,
    /// Client: a certificate to show when asked (PEM; empty: none).
    pub client_cert: String,
    /// Client: its key (PEM).
    pub client_key: String,
    /// Protocols to offer (client) or accept (server) by ALPN, comma-separated.
    pub alpn: String,
    /// Server: use the certificate and key files below (false: a self-signed certificate
    /// made for the session).
    pub cert_from_files: bool,
    /// Server: the certificate chain (PEM).
    pub server_cert: String,
    /// Server: its key (PEM).
    pub server_key: String,
    /// Server: ask clients for a certificate.
    pub request_client_cert: bool,
}

fn path(text: &str) -> Option<PathBuf> {
    let text = text.trim();
    (!text.is_empty()).then(|| PathBuf::from(text))
}

/// Both files of a pair, or neither; one without the other is an error.
fn pair(cert: &str, key: &str) -> Result<Option<CertKey>, UiError> {
    match (path(cert), path(key)) {
        (None, None) => Ok(None),
        (Some(cert), Some(key)) => Ok(Some(CertKey { cert, key })),
        _ => Err(UiError::TlsPair),
    }
}

impl TlsSettings {
    fn alpn_list(&self) -> Vec<String> {
        self.alpn
            .split([',', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The engine's options for a client, `None` when TLS is off.
    pub fn client(&self) -> Result<Option<TlsOptions>, UiError> {
        if !self.enabled {
            return Ok(None);
        }
        let trust = if self.insecure {
            Trust::AnyCertificate
        } else {
            path(&self.ca_file).map_or(Trust::System, Trust::CaFile)
        };
        Ok(Some(TlsOptions::Client(TlsClientOptions {
            trust,
            client_cert: pair(&self.client_cert, &self.client_key)?,
            alpn: self.alpn_list(),
            server_name: None,
        })))
    }

    /// The engine's options for a server, `None` when TLS is off.
    pub fn server(&self) -> Result<Option<TlsOptions>, UiError> {
        if !self.enabled {
            return Ok(None);
        }
        let identity = if self.cert_from_files {
            ServerIdentity::Files(
                pair(&self.server_cert, &self.server_key)?.ok_or(UiError::TlsPair)?,
            )
        } else {
            ServerIdentity::SelfSigned
        };
        Ok(Some(TlsOptions::Server(TlsServerOptions {
            identity,
            request_client_cert: self.request_client_cert,
            alpn: self.alpn_list(),
        })))
    }
}
