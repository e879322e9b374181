//! Issue 11, the fault matrix in the window, where it shows differently from the command
//! line (13, 14, 15, 17): the sentence next to the field that was wrong, in English and in
//! Chinese, nothing sent, and the session goes on. Engine and CLI: `tests/integration/faults_io.rs`.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

use crate::ui_support::{harness, open, send_text, shows, wait_for};
use eframe::egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::settings::Protocol;

/// The window as a TCP client connected to a plain listener; returns the accepted peer.
fn client_window() -> (Harness<'static, NetAssistApp>, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut h = harness(Protocol::TcpClient);
    {
        let settings = &mut h.state_mut().sessions[0].settings;
        "127.0.0.1".clone_into(&mut settings.remote_host);
        settings.remote_port = listener.local_addr().unwrap().port().to_string();
    }
    open(&mut h);
    let (peer, _) = listener.accept().unwrap();
    (h, peer)
}

/// Switches the window's language and lets it draw.
fn switch_to(h: &mut Harness<'_, NetAssistApp>, lang: Lang) {
    h.state_mut().lang = lang;
    h.step();
    h.step();
}

/// What reaches `peer` within a short while (nothing, for a send that was refused).
fn arrived(peer: &mut TcpStream, at_least: usize) -> Vec<u8> {
    peer.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let deadline = std::time::Instant::now() + crate::ui_support::DEADLINE;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match peer.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(_) if got.len() >= at_least || std::time::Instant::now() > deadline => {
                return got;
            }
            Err(_) => {}
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "netassist-ui-faults-io-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn fault_13_invalid_hex_in_the_send_box() {
    let (mut h, mut peer) = client_window();
    h.state_mut().sessions[0].settings.send.hex = true;
    send_text(&mut h, "48 6G");
    let english = "invalid hex: 'G' at column 5 is not a hex digit — use 0-9 and A-F, separated by spaces if you like";
    assert!(shows(&h, english), "the sentence under the send box");
    assert_eq!(
        h.state().sessions[0].send_text,
        "48 6G",
        "the text stays to be mended"
    );
    switch_to(&mut h, Lang::Zh);
    assert!(shows(
        &h,
        "十六进制无效：第 5 列的 'G' (U+0047) 不是十六进制数字 — 请使用 0-9 和 A-F，可以用空格分隔"
    ));
    assert!(!shows(&h, english));
    assert!(arrived(&mut peer, 0).is_empty(), "nothing of it was sent");

    // Mended, it goes, and the sentence goes away.
    switch_to(&mut h, Lang::En);
    send_text(&mut h, "48 69");
    assert_eq!(arrived(&mut peer, 2), b"Hi");
    assert!(h.state().sessions[0].send_error.is_none());
    assert!(!shows(&h, "invalid hex"));
}

#[test]
fn fault_14_unencodable_character_in_the_send_box() {
    let (mut h, mut peer) = client_window();
    "gb2312".clone_into(&mut h.state_mut().sessions[0].settings.receive.encoding);
    // (An emoji would do as well, but the test fonts have no glyph for one.)
    send_text(&mut h, "señal");
    assert!(shows(
        &h,
        "'ñ' (U+00F1) at position 3 cannot be written in GB2312 — remove it or choose UTF-8 or GB18030"
    ));
    switch_to(&mut h, Lang::Zh);
    assert!(shows(
        &h,
        "第 3 个字符 'ñ' (U+00F1) 无法用 GB2312 编码 — 请删除它，或选择 UTF-8 / GB18030"
    ));
    assert!(
        arrived(&mut peer, 0).is_empty(),
        "not even the characters before it"
    );

    switch_to(&mut h, Lang::En);
    send_text(&mut h, "温度");
    assert_eq!(
        arrived(&mut peer, 4),
        netassist::codec::TextEncoding::GB2312
            .encode("温度")
            .unwrap()
    );
}

/// Types `path` as the file to send and clicks "Send file".
fn send_file(h: &mut Harness<'_, NetAssistApp>, path: &str) {
    path.clone_into(&mut h.state_mut().sessions[0].settings.send.file_path);
    h.step();
    h.get_by_role_and_label(Role::Button, "Send file")
        .scroll_to_me();
    h.step();
    h.get_by_role_and_label(Role::Button, "Send file")
        .click_accesskit();
    h.step();
}

#[test]
fn fault_15_file_unreadable_next_to_the_file_send() {
    // As root, mode 000 still reads: a folder, a missing file and /proc/self/mem (which fails
    // its first read) stand in for a file that cannot be read.
    let dir = temp_dir("unreadable");
    let (mut h, mut peer) = client_window();

    let folder = dir.display().to_string();
    send_file(&mut h, &folder);
    assert!(shows(
        &h,
        &format!("cannot read {folder}: it is a folder, not a file — choose a file inside it")
    ));
    switch_to(&mut h, Lang::Zh);
    assert!(shows(
        &h,
        &format!("无法读取 {folder}：这是文件夹，不是文件 — 请选择其中的一个文件")
    ));
    switch_to(&mut h, Lang::En);

    let missing = dir.join("missing.bin").display().to_string();
    send_file(&mut h, &missing);
    assert!(shows(
        &h,
        &format!("cannot read {missing}: there is no such file — check the folder and the name")
    ));
    assert!(!shows(&h, "it is a folder"), "one sentence at a time");

    // This one opens, so the engine finds out on the first read.
    send_file(&mut h, "/proc/self/mem");
    wait_for(&mut h, "the read error", |h| {
        shows(
            h,
            "reading /proc/self/mem failed before any byte was sent: Input/output error (os error 5) — nothing more of it was sent; check the file and send it again",
        )
    });
    assert!(
        h.state().sessions[0].file_progress.is_none(),
        "no progress bar left behind"
    );
    switch_to(&mut h, Lang::Zh);
    assert!(shows(
        &h,
        "读取 /proc/self/mem 时出错（还没有发送任何字节）：Input/output error (os error 5) — 其余部分没有发送；请检查文件后重新发送"
    ));
    assert!(arrived(&mut peer, 0).is_empty(), "nothing was sent");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fault_17_save_folder_missing_next_to_the_save_field() {
    let dir = temp_dir("save-folder");
    let folder = dir.join("no-such-folder");
    let path = folder.join("rx.bin");
    let (mut h, _peer) = client_window();
    h.state_mut().sessions[0].settings.receive.save_path = path.display().to_string();
    h.step();
    h.get_by_role_and_label(Role::Button, "Save").scroll_to_me();
    h.step();
    h.get_by_role_and_label(Role::Button, "Save")
        .click_accesskit();
    h.step();
    assert!(shows(
        &h,
        &format!(
            "cannot save to {}: the folder {} does not exist — create it or choose another folder",
            path.display(),
            folder.display()
        )
    ));
    assert!(
        h.state().sessions[0].saving.is_none(),
        "the window does not claim to be saving"
    );
    switch_to(&mut h, Lang::Zh);
    assert!(shows(
        &h,
        &format!(
            "无法保存到 {}：文件夹 {} 不存在 — 请先创建它，或选择其他文件夹",
            path.display(),
            folder.display()
        )
    ));
    assert!(!folder.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
