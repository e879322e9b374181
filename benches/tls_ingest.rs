//! TLS ingest: how fast the engine's TLS server takes in a stream from one client (records
//! read, decrypted and handed over as `Received` events), against a bare blocking rustls
//! reader of the same stream on the same machine in the same run. Both sides use the same
//! self-signed certificate, rustls with ring, TLS 1.3. Loopback only; bounded bytes and time.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

// The same allocator as the netassist binary, so the engine is measured as it ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use netassist::engine::{Event, Session, SessionConfig, TlsServerOptions};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};

/// Bytes each run moves.
const TOTAL: usize = 512 * 1024 * 1024;
const LIMIT: Duration = Duration::from_mins(1);
const ROUNDS: usize = 3;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client that accepts any certificate (the bench is not about verification).
#[derive(Debug)]
struct AnyCert;

impl rustls::client::danger::ServerCertVerifier for AnyCert {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }
    fn verify_tls13_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Connects to `to` and writes `TOTAL` bytes through TLS, then closes.
fn sender(to: SocketAddr) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("bench-tls-sender".into())
        .spawn(move || {
            let config = rustls::ClientConfig::builder_with_provider(provider())
                .with_safe_default_protocol_versions()
                .unwrap()
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCert))
                .with_no_client_auth();
            let name = ServerName::try_from("localhost").unwrap();
            let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
            let mut sock = TcpStream::connect(to).unwrap();
            let mut tls = rustls::Stream::new(&mut conn, &mut sock);
            let block = vec![0x5Au8; 256 * 1024];
            let mut sent = 0;
            while sent < TOTAL {
                tls.write_all(&block).unwrap();
                sent += block.len();
            }
            tls.flush().unwrap();
            conn.send_close_notify();
            let _ = conn.complete_io(&mut sock);
            // Read what the server sent (its session tickets) until it closes: a socket closed
            // with unread bytes is reset, and a reset throws away what the reader has not read.
            let _ = sock.shutdown(std::net::Shutdown::Write);
            sock.set_read_timeout(Some(LIMIT)).unwrap();
            let mut sink = [0u8; 4096];
            while matches!(sock.read(&mut sink), Ok(n) if n > 0) {}
        })
        .unwrap()
}

/// The bare reader: a blocking rustls server connection reading until `TOTAL` bytes.
fn bare(cert: &CertificateDer<'static>, key: &PrivateKeyDer<'static>) -> f64 {
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key.clone_key())
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let send = sender(listener.local_addr().unwrap());
    let (mut sock, _) = listener.accept().unwrap();
    let mut conn = rustls::ServerConnection::new(Arc::new(config)).unwrap();
    let mut tls = rustls::Stream::new(&mut conn, &mut sock);
    let mut buf = vec![0u8; 64 * 1024];
    let mut got = 0;
    // Timed from the first plaintext, as the engine is (the handshake is not ingest).
    let mut start = None;
    let deadline = Instant::now() + LIMIT;
    while got < TOTAL && Instant::now() < deadline {
        match tls.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                start.get_or_insert_with(Instant::now);
                got += n;
            }
            Err(err) => panic!("bare reader: {err}"),
        }
    }
    let secs = start.map_or(f64::NAN, |s| s.elapsed().as_secs_f64());
    send.join().unwrap();
    assert_eq!(got, TOTAL, "the bare reader got everything");
    TOTAL as f64 / secs / 1e6
}

/// The engine: a TLS server session (self-signed) taking the stream in as events.
fn engine() -> f64 {
    let config =
        SessionConfig::tls_server("127.0.0.1:0".parse().unwrap(), TlsServerOptions::default());
    let session = Session::open(config, None).unwrap();
    let local = loop {
        match session.events().recv_timeout(LIMIT).unwrap() {
            Event::Opened { local, .. } => break local,
            Event::Failed(err) => panic!("{err}"),
            _ => {}
        }
    };
    let send = sender(local);
    let mut got = 0;
    let mut start = None;
    let deadline = Instant::now() + LIMIT;
    while got < TOTAL && Instant::now() < deadline {
        match session.events().recv_timeout(LIMIT) {
            Ok(Event::Received { bytes, .. }) => {
                start.get_or_insert_with(Instant::now);
                got += bytes.len();
            }
            Ok(Event::PeerClosed { reason, .. }) => {
                panic!("the sender left after {got} bytes: {reason}")
            }
            _ => {}
        }
    }
    let secs = start.map_or(f64::NAN, |s| s.elapsed().as_secs_f64());
    send.join().unwrap();
    assert_eq!(got, TOTAL, "the engine got everything");
    TOTAL as f64 / secs / 1e6
}

fn main() {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = made.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
    println!(
        "TLS ingest, {} MiB per run, loopback, TLS 1.3 (ring)",
        TOTAL >> 20
    );
    for round in 1..=ROUNDS {
        let bare_mbs = bare(&cert, &key);
        let engine_mbs = engine();
        println!(
            "round {round}: bare rustls reader {bare_mbs:.0} MB/s, engine (TLS server session) {engine_mbs:.0} MB/s, engine/bare {:.2}",
            engine_mbs / bare_mbs
        );
    }
}
