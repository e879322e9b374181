//! `tls-client` and `tls-server` on the command line: ours to ours with TCP options on top,
//! a certificate problem as its sentence, and both against Debian's `openssl s_server` /
//! `s_client` (installed by .ci/run).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli_support::{Running, netassist, pipe_all};
use crate::tls_support::{Ca, TempDir, arg};
use crate::util::PATIENCE;

/// The hex after `prefix` on a stderr line.
fn fingerprint_after(line: &str, prefix: &str) -> String {
    let at = line.find(prefix).unwrap() + prefix.len();
    line[at..].trim().to_owned()
}

/// `openssl ARGS` with all pipes, read by the CLI harness.
fn openssl(args: &[&str]) -> Running {
    let mut command = Command::new("openssl");
    command.args(args);
    pipe_all(&mut command);
    Running::from_child(
        command.spawn().expect(
            "openssl is needed for this test (Debian package openssl; .ci/run installs it)",
        ),
    )
}

/// Waits until `proc`'s stdout holds `needle`; returns all of it.
fn stdout_until(proc: &mut Running, needle: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = proc.stdout_text();
        if text.contains(needle) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "no {needle:?} on stdout: {text:?}; stderr {:?}",
            proc.err
        );
        proc.gather_stdout(Duration::from_millis(50));
    }
}

#[test]
fn ours_to_ours_with_echo_and_the_pinned_fingerprint() {
    let mut server = netassist(&["tls-server", "0", "--self-signed", "--echo"]);
    let addr = server.listening();
    let own = server.stderr_line("our certificate's SHA-256 fingerprint: ");
    let own = fingerprint_after(&own, "fingerprint: ");
    let mut client = netassist(&["tls-client", &addr.to_string(), "--insecure"]);
    client.stderr_line("connected to ");
    let secured = client.stderr_line("TLS secured: TLSv1.");
    assert!(secured.contains("NOT verified"), "{secured}");
    let seen = client.stderr_line("peer certificate SHA-256 ");
    assert_eq!(fingerprint_after(&seen, "SHA-256 "), own);
    client.write_stdin(b"ping over tls\n");
    assert_eq!(server.stdout_at_least(14), b"ping over tls\n");
    // --echo works on TLS as on TCP: the line comes back.
    assert_eq!(client.stdout_at_least(14), b"ping over tls\n");
    server.write_stdin(b"to every client\n");
    assert_eq!(
        &client.stdout_at_least(30)[14..],
        b"to every client\n".as_slice()
    );
    // The server's close ends the client (its close_notify first, then the socket's end).
    server.terminate();
    let left = client.stderr_line(" left: ");
    assert!(left.ends_with("closed by the peer"), "{left}");
    let (code, _, err) = client.finish();
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_wrong_name_exits_1_with_its_sentence_and_sni_names_the_right_one() {
    let dir = TempDir::new("cli-name");
    let ca = Ca::new("cli CA");
    let pair = ca.leaf(&["printer.lan"], -1, 30).files(&dir, "server");
    let ca_file = dir.file("ca.pem", &ca.pem);
    let mut server = netassist(&[
        "tls-server",
        "0",
        "--cert",
        arg(&pair.cert),
        "--key",
        arg(&pair.key),
    ]);
    let addr = server.listening();
    let client = netassist(&["tls-client", &addr.to_string(), "--ca", arg(&ca_file)]);
    let (code, _, err) = client.finish();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("is not valid for '127.0.0.1' (it is for printer.lan)"),
        "{err}"
    );
    // --sni names the server to check: the same address, verified.
    let mut client = netassist(&[
        "tls-client",
        &addr.to_string(),
        "--ca",
        arg(&ca_file),
        "--sni",
        "printer.lan",
    ]);
    let secured = client.stderr_line("TLS secured: TLSv1.");
    assert!(!secured.contains("NOT verified"), "{secured}");
    client.write_stdin(b"by name\n");
    assert_eq!(server.stdout_at_least(8), b"by name\n");
    let (code, _, err) = client.finish();
    assert_eq!(code, 0, "{err}");
    server.terminate();
}

#[test]
fn our_client_against_openssl_s_server() {
    let dir = TempDir::new("s-server");
    let ca = Ca::new("interop CA");
    let pair = ca.leaf(&["localhost"], -1, 30).files(&dir, "server");
    let ca_file = dir.file("ca.pem", &ca.pem);
    let mut server = openssl(&[
        "s_server",
        "-accept",
        "127.0.0.1:0",
        "-cert",
        arg(&pair.cert),
        "-key",
        arg(&pair.key),
        "-alpn",
        "h2",
    ]);
    let text = stdout_until(&mut server, "ACCEPT ");
    let port: u16 = text
        .lines()
        .find_map(|l| l.strip_prefix("ACCEPT "))
        .and_then(|a| a.rsplit_once(':'))
        .map(|(_, p)| p.trim().parse().unwrap())
        .unwrap();
    let mut client = netassist(&[
        "tls-client",
        &format!("localhost:{port}"),
        "--ca",
        arg(&ca_file),
        "--alpn",
        "h2",
    ]);
    let secured = client.stderr_line("TLS secured: ");
    assert!(secured.contains("ALPN h2"), "{secured}");
    assert!(!secured.contains("NOT verified"), "{secured}");
    client.stderr_line("peer certificate: CN=localhost — issued by CN=interop CA");
    client.write_stdin(b"hello from netassist\n");
    stdout_until(&mut server, "hello from netassist");
    server.write_stdin(b"hello from openssl\n");
    assert!(
        String::from_utf8_lossy(client.stdout_at_least(19)).contains("hello from openssl"),
        "{:?}",
        client.out
    );
    client.terminate();
    server.terminate();
}

#[test]
fn openssl_s_client_against_our_server() {
    let dir = TempDir::new("s-client");
    let ca = Ca::new("interop CA 2");
    let pair = ca.leaf(&["localhost"], -1, 30).files(&dir, "server");
    let ca_file = dir.file("ca.pem", &ca.pem);
    let mut server = netassist(&[
        "tls-server",
        "0",
        "--cert",
        arg(&pair.cert),
        "--key",
        arg(&pair.key),
        "--echo",
    ]);
    let addr = server.listening();
    let mut client = openssl(&[
        "s_client",
        "-connect",
        &addr.to_string(),
        "-servername",
        "localhost",
        "-CAfile",
        arg(&ca_file),
        "-verify_return_error",
    ]);
    stdout_until(&mut client, "Verify return code: 0 (ok)");
    server.stderr_line("TLS secured: TLSv1.3");
    client.write_stdin(b"ping-via-openssl\n");
    assert_eq!(server.stdout_at_least(17), b"ping-via-openssl\n");
    // Echoed back through our TLS server to openssl.
    stdout_until(&mut client, "ping-via-openssl");
    client.terminate();
    server.terminate();
}
