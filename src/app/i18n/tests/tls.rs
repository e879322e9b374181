//! The TLS errors and notes in each language alone.

use super::*;

/// The protocol's and the tools' own names that stay as they are in a Chinese TLS sentence.
const TLS_NAMES: [&str; 20] = [
    "TLS13_AES_256_GCM_SHA384",
    "TLSv1.3",
    "unknown_ca",
    "CN=localhost",
    "CN=lab CA",
    "localhost",
    "printer.lan",
    "server.pem",
    "UTC",
    "TLS",
    "PEM",
    "BEGIN",
    "ALPN",
    "SHA",
    "CERTIFICATE",
    "basicConstraints",
    "ca-certificates",
    "CA:TRUE",
    "CA",
    "a b",
];

/// The TLS errors and notes read as Chinese in Chinese and as English in English (the
/// protocol's own names — TLS, PEM, CA, ALPN, SHA-256, alerts, cipher suites — stay as they are).
#[test]
fn tls_errors_and_notes_are_worded_in_each_language_alone() {
    use crate::engine::{CertInfo, NetError, TlsInfo, TlsProblem};
    use std::path::PathBuf;

    let peer: std::net::SocketAddr = "127.0.0.1:8443".parse().expect("an address");
    let cert = CertInfo {
        subject: "CN=localhost".to_owned(),
        issuer: "CN=lab CA".to_owned(),
        not_before: "2026-01-01 00:00:00 UTC".to_owned(),
        not_after: "2027-01-01 00:00:00 UTC".to_owned(),
        sha256: "AB:CD".to_owned(),
    };
    let errors = [
        NetError::TlsFile {
            path: PathBuf::from("/证书/server.pem"),
            reason: TlsProblem::NoCertificate,
        },
        NetError::TlsFile {
            path: PathBuf::from("/证书/server.pem"),
            reason: TlsProblem::Unreadable {
                kind: std::io::ErrorKind::NotFound,
                text: "No such file or directory (os error 2)".to_owned(),
            },
        },
        NetError::TlsSetup {
            reason: TlsProblem::NoSystemRoots,
        },
        NetError::TlsSetup {
            reason: TlsProblem::NotHostName {
                name: "a b".to_owned(),
            },
        },
        NetError::TlsFailed {
            peer,
            reason: TlsProblem::NoAlpn,
        },
        NetError::TlsFailed {
            peer,
            reason: TlsProblem::CaAsServerCert,
        },
        NetError::TlsUnknownIssuer { peer },
        NetError::TlsNameMismatch {
            peer,
            name: "localhost".to_owned(),
            presented: "printer.lan".to_owned(),
        },
        NetError::TlsExpired {
            peer,
            not_after: "2020-01-01 00:00:00 UTC".to_owned(),
        },
        NetError::TlsNotYetValid { peer },
        NetError::TlsAlert {
            peer,
            alert: "unknown_ca".to_owned(),
        },
        NetError::TlsNotTls { peer },
        NetError::TlsClosedInHandshake { peer },
        NetError::TlsNoAnswer { peer, secs: 10 },
    ];
    let mut infos: Vec<Info> = errors.into_iter().map(Info::Error).collect();
    infos.push(Info::TlsSecured(TlsInfo {
        version: "TLSv1.3".to_owned(),
        cipher: "TLS13_AES_256_GCM_SHA384".to_owned(),
        alpn: None,
        peer_cert: Some(cert.clone()),
        verified: false,
    }));
    infos.push(Info::TlsCert(cert.clone(), false, false));
    infos.push(Info::TlsCert(cert, true, true));
    infos.push(Info::TlsFingerprint("AB:CD".to_owned(), true));
    for info in &infos {
        let mut zh = lang_text(Lang::Zh, info);
        for name in TLS_NAMES {
            zh = zh.replace(name, "");
        }
        assert!(english_words(&zh).is_empty(), "{zh}");
        assert!(has_cjk(&zh), "{zh}");
        let en = lang_text(Lang::En, info);
        assert!(!has_cjk(&en.replace("/证书/", "")), "{en}");
        assert!(!english_words(&en).is_empty(), "{en}");
    }
}
