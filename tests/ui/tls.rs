//! TLS client and TLS server in the window, over real loopback sockets: picked in the
//! protocol picker, their certificate notes in the log, data both ways, and a certificate
//! problem as its sentence in Chinese.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::settings::{AppSettings, Protocol, SessionSettings};

use crate::tls_support::{Ca, TempDir};
use crate::ui_support::{harness, harness_with, open, pick, send_text, shows, wait_for};

/// The text of every note in session 0's log.
fn notes(h: &Harness<'_, NetAssistApp>) -> Vec<String> {
    h.state().sessions[0]
        .log
        .iter()
        .filter(|(r, _)| r.direction == netassist::log::Direction::Info)
        .map(|(_, text)| text.to_owned())
        .collect()
}

/// A TLS server opened by clicking "TLS server"; returns it, its port and its fingerprint.
fn tls_server() -> (Harness<'static, NetAssistApp>, u16, String) {
    let mut server = harness(Protocol::TcpServer);
    pick(&mut server, "Protocol", "TLS server");
    server.step();
    let settings = &server.state().sessions[0].settings;
    assert!(settings.tls.enabled && settings.protocol == Protocol::TcpServer);
    assert!(shows(&server, "Self-signed for this session"), "its fields");
    let port = open(&mut server).port();
    let mut fingerprint = String::new();
    wait_for(&mut server, "the server's certificate notes", |h| {
        let prefix = "our certificate's SHA-256 fingerprint: ";
        notes(h).iter().any(|n| {
            n.strip_prefix(prefix)
                .map(|fp| fp.clone_into(&mut fingerprint))
                .is_some()
        })
    });
    server.step();
    // On screen (a long row wraps, so only its start is looked for).
    // On screen: log rows wrap at any character, so only the start of a row is looked for.
    assert!(shows(&server, "our self-signed"));
    (server, port, fingerprint)
}

#[test]
fn a_tls_server_and_client_show_the_certificate_notes_and_talk() {
    let (mut server, port, fingerprint) = tls_server();
    let mut client = harness(Protocol::TcpClient);
    client.state_mut().sessions[0].settings.remote_port = port.to_string();
    pick(&mut client, "Protocol", "TLS client");
    client.step();
    client
        .get_by_label("Accept any certificate (not verified)")
        .click();
    client.step();
    assert!(client.state().sessions[0].settings.tls.insecure);
    assert!(shows(&client, "will NOT be verified"), "the warning shows");
    open(&mut client);
    wait_for(&mut client, "the handshake notes", |h| {
        notes(h)
            .iter()
            .any(|n| n.ends_with(&format!("peer certificate SHA-256 {fingerprint}")))
    });
    client.step();
    let all = notes(&client).join("\n");
    assert!(all.contains("TLS secured: TLSv1.3, cipher TLS13_"), "{all}");
    assert!(all.contains("certificate NOT verified"), "{all}");
    assert!(
        all.contains("peer certificate: CN=netassist self-signed (this session) — issued by"),
        "{all}"
    );
    assert!(
        shows(&client, "TLS secured"),
        "on screen, not only in the log"
    );
    assert!(shows(&client, "TLS client 1"), "the tab says what it is");

    send_text(&mut client, "hello through TLS");
    wait_for(&mut server, "the client's line", |h| {
        h.state().sessions[0].counters.rx_bytes == 17
    });
    server.step();
    assert!(shows(&server, "hello through TLS"));
    assert!(
        notes(&server)
            .iter()
            .any(|n| n.contains("TLS secured: TLSv1.3")),
        "the server notes the handshake too"
    );
}

#[test]
fn an_untrusted_server_is_refused_with_the_chinese_sentence() {
    let (_server, port, _) = tls_server();
    let mut client = harness_with(AppSettings {
        lang: Lang::Zh,
        sessions: vec![SessionSettings {
            protocol: Protocol::TcpClient,
            remote_port: port.to_string(),
            ..SessionSettings::default()
        }],
        ..AppSettings::default()
    });
    pick(&mut client, "协议类型", "TLS 客户端");
    client.step();
    assert!(client.state().sessions[0].settings.tls.enabled);
    client.get_by_label("打开").click();
    wait_for(&mut client, "the refusal", |h| {
        h.state().sessions[0].open_error.is_some()
    });
    client.step();
    assert!(
        shows(&client, "的证书由本机不信任的签发者签发"),
        "the sentence is shown in Chinese"
    );
    assert!(
        client.state().sessions[0].local_addr().is_none(),
        "not open"
    );
}

/// The server-name field: a server reached by its IP address is checked against the name
/// typed there (without it, the certificate for printer.lan is refused for 127.0.0.1).
#[test]
fn the_server_name_field_checks_the_certificate_for_that_name() {
    let dir = TempDir::new("ui-sni");
    let ca = Ca::new("ui CA");
    let pair = ca.leaf(&["printer.lan"], -1, 30).files(&dir, "server");
    let ca_file = dir.file("ca.pem", &ca.pem);

    let mut server = harness(Protocol::TcpServer);
    pick(&mut server, "Protocol", "TLS server");
    server.get_by_label("Certificate + key files").click();
    server.step();
    assert!(shows(&server, "Certificate"), "the file fields show");
    let tls = &mut server.state_mut().sessions[0].settings.tls;
    tls.server_cert = pair.cert.display().to_string();
    tls.server_key = pair.key.display().to_string();
    let port = open(&mut server).port();

    let mut client = harness(Protocol::TcpClient);
    client.state_mut().sessions[0].settings.remote_port = port.to_string();
    pick(&mut client, "Protocol", "TLS client");
    client.state_mut().sessions[0].settings.tls.ca_file = ca_file.display().to_string();
    client.step();
    client.get_by_label("Open").click();
    wait_for(&mut client, "the refusal", |h| {
        h.state().sessions[0].open_error.is_some()
    });
    client.step();
    assert!(
        shows(&client, "(it is for printer.lan)"),
        "without a server name the IP address is checked"
    );

    client.get_by_label("Server name (SNI)").focus();
    client.step();
    client
        .get_by_label("Server name (SNI)")
        .type_text("printer.lan");
    client.step();
    assert_eq!(
        client.state().sessions[0].settings.tls.server_name,
        "printer.lan"
    );
    open(&mut client);
    wait_for(&mut client, "the handshake notes", |h| {
        notes(h).iter().any(|n| n.contains("TLS secured"))
    });
    let all = notes(&client).join("\n");
    assert!(
        !all.contains("NOT verified"),
        "verified against the CA: {all}"
    );
    assert!(
        all.contains("printer.lan"),
        "the certificate's name is noted: {all}"
    );
}
