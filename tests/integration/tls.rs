//! TLS sessions through the engine over loopback: ours to ours with the certificate notes,
//! each certificate problem as its sentence, a plain-TCP peer on either side, and a 100 MB
//! transfer checked byte for byte.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use netassist::engine::{
    CloseReason, Command, Event, NetError, ServerIdentity, Session, SessionConfig, SessionHandle,
    Target, TlsClientOptions, TlsInfo, TlsNote, TlsServerOptions, Trust,
};
use sha2::{Digest as _, Sha256};

use crate::tls_support::{Ca, TempDir};
use crate::util::{PATIENCE, any_local_v4, next_matching, open, receive_exactly};

/// A TLS server session; returns it, its address and its own certificate's fingerprint.
fn server(options: TlsServerOptions) -> (SessionHandle, SocketAddr, String) {
    let (session, local) = open(SessionConfig::tls_server(any_local_v4(), options));
    let Event::Tls(TlsNote::Identity { cert, .. }) =
        next_matching(&session, |e| matches!(e, Event::Tls(_)))
    else {
        panic!("the server did not note its certificate");
    };
    (session, local, cert.sha256)
}

/// Waits for the note of a finished handshake.
fn secured(session: &SessionHandle) -> TlsInfo {
    match next_matching(session, |e| {
        matches!(e, Event::Tls(TlsNote::Secured { .. }) | Event::Failed(_))
    }) {
        Event::Tls(TlsNote::Secured { info, .. }) => info,
        other => panic!("no handshake: {other:?}"),
    }
}

/// Opens a TLS client that must fail; returns its error.
fn client_fails(remote: &str, options: TlsClientOptions) -> NetError {
    let session = Session::open(SessionConfig::tls_client(remote, options), None).unwrap();
    match next_matching(&session, |e| {
        matches!(e, Event::Opened { .. } | Event::Failed(_))
    }) {
        Event::Failed(err) => err,
        other => panic!("the client opened though it should not: {other:?}"),
    }
}

/// Waits for a peer to leave `server`; returns why.
fn closed_reason(server: &SessionHandle) -> CloseReason {
    match next_matching(server, |e| matches!(e, Event::PeerClosed { .. })) {
        Event::PeerClosed { reason, .. } => reason,
        other => panic!("{other:?}"),
    }
}

fn trusting(path: std::path::PathBuf) -> TlsClientOptions {
    TlsClientOptions {
        trust: Trust::CaFile(path),
        ..TlsClientOptions::default()
    }
}

#[test]
fn ours_to_ours_self_signed_notes_and_data_both_ways() {
    let (server, addr, own_fp) = server(TlsServerOptions::default());
    let options = TlsClientOptions {
        trust: Trust::AnyCertificate,
        ..TlsClientOptions::default()
    };
    let (client, _) = open(SessionConfig::tls_client(addr.to_string(), options));
    let info = secured(&client);
    assert!(info.version.starts_with("TLSv1."), "{info:?}");
    assert!(!info.cipher.is_empty() && info.cipher != "?", "{info:?}");
    assert!(!info.verified, "accept-any must say it did not verify");
    let cert = info.peer_cert.expect("the server's certificate");
    assert_eq!(
        cert.sha256, own_fp,
        "the client sees the server's fingerprint"
    );
    assert!(cert.subject.contains("netassist"), "{cert:?}");
    assert!(cert.not_after.ends_with("UTC"), "{cert:?}");
    let _ = secured(&server);
    client.send(Command::Send {
        payload: b"hello over tls\n".as_slice().into(),
        to: Target::Default,
    });
    assert_eq!(receive_exactly(&server, 15), b"hello over tls\n");
    server.send(Command::Send {
        payload: b"and back".as_slice().into(),
        to: Target::All,
    });
    assert_eq!(receive_exactly(&client, 8), b"and back");
}

#[test]
fn ca_file_verifies_the_name_and_alpn_is_agreed() {
    let dir = TempDir::new("ca");
    let ca = Ca::new("netassist test CA");
    let leaf = ca.leaf(&["localhost"], -1, 30);
    let server_options = TlsServerOptions {
        identity: ServerIdentity::Files(leaf.files(&dir, "server")),
        request_client_cert: false,
        alpn: vec!["h2".to_owned()],
    };
    let (server, addr, fp) = server(server_options);
    let mut options = trusting(dir.file("ca.pem", &ca.pem));
    options.alpn = vec!["http/1.1".to_owned(), "h2".to_owned()];
    let (client, _) = open(SessionConfig::tls_client(
        format!("localhost:{}", addr.port()),
        options,
    ));
    let info = secured(&client);
    assert!(info.verified);
    assert_eq!(info.alpn.as_deref(), Some("h2"));
    let cert = info.peer_cert.unwrap();
    assert_eq!(cert.sha256, fp);
    assert!(cert.subject.contains("CN=localhost"), "{cert:?}");
    assert!(cert.issuer.contains("netassist test CA"), "{cert:?}");
    let _ = secured(&server);
}

#[test]
fn a_client_certificate_is_shown_to_a_server_that_asks() {
    let dir = TempDir::new("client-cert");
    let ca = Ca::new("client CA");
    let mine = ca.leaf(&["student-7"], -1, 30);
    let (server, addr, _) = server(TlsServerOptions {
        request_client_cert: true,
        ..TlsServerOptions::default()
    });
    let options = TlsClientOptions {
        trust: Trust::AnyCertificate,
        client_cert: Some(mine.files(&dir, "me")),
        ..TlsClientOptions::default()
    };
    let (_client, _) = open(SessionConfig::tls_client(addr.to_string(), options));
    let info = secured(&server);
    let shown = info
        .peer_cert
        .expect("the server notes the client's certificate");
    assert!(shown.subject.contains("student-7"), "{shown:?}");
    assert_eq!(shown.sha256, netassist::engine::fingerprint(&mine.der));
}

#[test]
fn a_wrong_name_is_its_sentence() {
    let dir = TempDir::new("name");
    let ca = Ca::new("name CA");
    let leaf = ca.leaf(&["printer.lan"], -1, 30);
    let (_server, addr, _) = server(TlsServerOptions {
        identity: ServerIdentity::Files(leaf.files(&dir, "server")),
        ..TlsServerOptions::default()
    });
    let err = client_fails(&addr.to_string(), trusting(dir.file("ca.pem", &ca.pem)));
    assert!(
        matches!(&err, NetError::TlsNameMismatch { name, presented, .. }
            if name == "127.0.0.1" && presented == "printer.lan"),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("is not valid for '127.0.0.1'"),
        "{err}"
    );
}

#[test]
fn an_untrusted_issuer_is_its_sentence_on_both_sides() {
    let dir = TempDir::new("issuer");
    let other = Ca::new("some other CA");
    let (server, addr, _) = server(TlsServerOptions::default());
    let err = client_fails(&addr.to_string(), trusting(dir.file("ca.pem", &other.pem)));
    assert!(matches!(err, NetError::TlsUnknownIssuer { .. }), "{err:?}");
    assert!(err.to_string().contains("does not trust"), "{err}");
    // The server hears why: the client's alert, by name.
    let reason = closed_reason(&server);
    assert!(
        matches!(&reason, CloseReason::Error(NetError::TlsAlert { alert, .. }) if alert == "unknown_ca"),
        "{reason:?}"
    );
}

#[test]
fn an_expired_certificate_is_its_sentence() {
    let dir = TempDir::new("expired");
    let ca = Ca::new("expiry CA");
    let leaf = ca.leaf(&["localhost"], -30, -2);
    let (_server, addr, _) = server(TlsServerOptions {
        identity: ServerIdentity::Files(leaf.files(&dir, "server")),
        ..TlsServerOptions::default()
    });
    let err = client_fails(
        &format!("localhost:{}", addr.port()),
        trusting(dir.file("ca.pem", &ca.pem)),
    );
    assert!(matches!(err, NetError::TlsExpired { .. }), "{err:?}");
    assert!(
        err.to_string().contains("has expired (valid until 20"),
        "{err}"
    );
}

#[test]
fn a_plain_tcp_client_on_the_tls_port_is_named() {
    let (server, addr, _) = server(TlsServerOptions::default());
    let mut plain = TcpStream::connect(addr).unwrap();
    plain.write_all(b"hello, is anyone there?\r\n").unwrap();
    let reason = closed_reason(&server);
    assert!(
        matches!(&reason, CloseReason::Error(NetError::TlsNotTls { .. })),
        "{reason:?}"
    );
    assert!(reason.to_string().contains("is this the plain port?"));
}

#[test]
fn a_tls_client_on_a_plain_port_is_told() {
    let listener = TcpListener::bind(any_local_v4()).unwrap();
    let addr = listener.local_addr().unwrap();
    let answer = std::thread::Builder::new()
        .name("plain server".to_owned())
        .spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut hello = [0u8; 5];
            stream.read_exact(&mut hello).unwrap();
            stream.write_all(b"220 plain service ready\r\n").unwrap();
            std::thread::sleep(Duration::from_millis(500));
        })
        .unwrap();
    let err = client_fails(
        &addr.to_string(),
        TlsClientOptions {
            trust: Trust::AnyCertificate,
            ..TlsClientOptions::default()
        },
    );
    assert!(matches!(err, NetError::TlsNotTls { .. }), "{err:?}");
    answer.join().unwrap();
}

#[test]
fn a_bad_key_file_is_its_sentence() {
    let dir = TempDir::new("badkey");
    let pair = netassist::engine::CertKey {
        cert: dir.file("c.pem", "not a certificate\n"),
        key: dir.file("k.pem", "nor a key\n"),
    };
    let session = Session::open(
        SessionConfig::tls_server(
            any_local_v4(),
            TlsServerOptions {
                identity: ServerIdentity::Files(pair),
                ..TlsServerOptions::default()
            },
        ),
        None,
    )
    .unwrap();
    match next_matching(&session, |e| matches!(e, Event::Failed(_))) {
        Event::Failed(err @ NetError::TlsFile { .. }) => {
            assert!(err.to_string().contains("c.pem"), "{err}");
            assert!(err.to_string().contains("PEM"), "{err}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_100_mb_file_crosses_byte_exact() {
    const SIZE: usize = 100 * 1024 * 1024;
    let dir = TempDir::new("bulk");
    let path = dir.0.join("bulk.bin");
    let mut sent_hash = Sha256::new();
    {
        let mut file = std::fs::File::create(&path).unwrap();
        for block in 0..100 {
            let bytes = crate::util::pattern(1024 * 1024, block);
            sent_hash.update(&bytes);
            file.write_all(&bytes).unwrap();
        }
    }
    let (server, addr, _) = server(TlsServerOptions::default());
    let (client, _) = open(SessionConfig::tls_client(
        addr.to_string(),
        TlsClientOptions {
            trust: Trust::AnyCertificate,
            ..TlsClientOptions::default()
        },
    ));
    client.send(Command::SendFile {
        path: path.clone(),
        to: Target::Default,
    });
    let mut got = 0usize;
    let mut hash = Sha256::new();
    let deadline = std::time::Instant::now() + PATIENCE * 12;
    while got < SIZE {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match server.events().recv_timeout(left) {
            Ok(Event::Received { bytes, .. }) => {
                got += bytes.len();
                hash.update(&bytes);
            }
            Ok(Event::PeerClosed { reason, .. }) => panic!("closed after {got} bytes: {reason}"),
            Ok(_) => {}
            Err(err) => panic!("{got} of {SIZE} bytes: {err}"),
        }
    }
    assert_eq!(got, SIZE);
    assert_eq!(hash.finalize(), sent_hash.finalize(), "the bytes differ");
}
