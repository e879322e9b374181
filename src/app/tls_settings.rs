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
#[allow(clippy::struct_excessive_bools)] // independent switches of a settings form
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
    // issue 15: tls (SNI)
    /// Client: the name to ask for (SNI) and to check the certificate against (empty: the
    /// host typed).
    pub server_name: String,
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
            server_name: Some(self.server_name.trim())
                .filter(|name| !name.is_empty())
                .map(str::to_owned),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::settings::SessionSettings;

    #[test]
    fn settings_saved_before_tls_load_as_plain_tcp() {
        let old = r#"{"name":"lab","protocol":"TcpClient","remote_port":"9000"}"#;
        let loaded: SessionSettings = serde_json::from_str(old).unwrap();
        assert_eq!(loaded.tls, TlsSettings::default());
        assert_eq!(loaded.tls.client().unwrap(), None);
        let saved = serde_json::to_string(&SessionSettings {
            tls: TlsSettings {
                enabled: true,
                insecure: true,
                alpn: "h2, http/1.1".to_owned(),
                ..TlsSettings::default()
            },
            ..loaded
        })
        .unwrap();
        let back: SessionSettings = serde_json::from_str(&saved).unwrap();
        match back.tls.client().unwrap() {
            Some(TlsOptions::Client(options)) => {
                assert_eq!(options.trust, Trust::AnyCertificate);
                assert_eq!(options.alpn, ["h2", "http/1.1"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_certificate_without_its_key_is_refused() {
        let half = TlsSettings {
            enabled: true,
            client_cert: "/tmp/me.crt".to_owned(),
            ..TlsSettings::default()
        };
        assert_eq!(half.client(), Err(UiError::TlsPair));
        let files_missing = TlsSettings {
            enabled: true,
            cert_from_files: true,
            ..TlsSettings::default()
        };
        assert_eq!(files_missing.server(), Err(UiError::TlsPair));
        let self_signed = TlsSettings {
            enabled: true,
            ..TlsSettings::default()
        };
        assert!(matches!(
            self_signed.server(),
            Ok(Some(TlsOptions::Server(TlsServerOptions {
                identity: ServerIdentity::SelfSigned,
                ..
            })))
        ));
    }
}
