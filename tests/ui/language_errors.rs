//! The window speaks one language at a time: errors and notes of every kind the window can
//! show, made in one language and looked at in the other, carry no word of the first. A
//! Chinese window shows no English word (a run of three or more ASCII letters that is not a
//! protocol name, a unit, a key, an encoding or hex), an English window no Chinese character.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::io::Write as _;
use std::net::TcpListener;

use crate::ui_support::{harness_with, shows, wait_for};
use eframe::egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::room::{RuleAction, RuleMatch, RuleSettings};
use netassist::app::settings::{AppSettings, Protocol, SessionSettings};
use netassist::log::PatternKind;

/// Words a Chinese window may show in Latin letters: protocol and format names, units, keys,
/// encodings, the name of English in the language menu, the program's name, the JSON field
/// the lesson's protocol names, and the send box's escape notation (\r \n \t \xNN).
#[rustfmt::skip]
const ALLOWED: &[&str] = &[
    "TCP", "UDP", "TLS", "JSON", "CSV", "TTL", "IPv4", "IPv6", "KiB", "MiB", "GiB",
    "Ctrl", "Shift", "Enter", "UTF", "GBK", "GB18030", "English", "netassist", "data_size",
    "recv", "xNN",
];

/// A window of one session of `protocol` on 127.0.0.1 port 0, in `lang`.
fn window(
    lang: Lang,
    protocol: Protocol,
    edit: impl FnOnce(&mut SessionSettings),
) -> Harness<'static, NetAssistApp> {
    let mut session = SessionSettings {
        protocol,
        local_ip: "127.0.0.1".to_owned(),
        local_port: "0".to_owned(),
        ..SessionSettings::default()
    };
    // Quick commands are named by the user (the defaults are the lesson's commands, ping and
    // quit, named as they are sent): their names are data, not the window's words.
    session.send.quick.clear();
    edit(&mut session);
    let mut h = harness_with(AppSettings {
        lang,
        sessions: vec![session],
        ..AppSettings::default()
    });
    // Wide enough that the log's rows hold a sentence unwrapped.
    h.set_size(eframe::egui::vec2(1800.0, 900.0));
    h.step();
    h
}

/// Everything the window says: the text of every label, button, field name and log row
/// (labels keep their text in the node's value, other widgets in its label). Values of
/// fields are what the user typed, and "Resize panel" is egui's own name for a panel's
/// resize handle (never drawn): both are left out.
fn window_words(h: &Harness<'_, NetAssistApp>) -> Vec<String> {
    h.query_all_by(|_| true)
        .filter_map(|node| {
            let node = node.accesskit_node();
            if node.role() == Role::Label {
                node.value()
            } else {
                node.label()
            }
        })
        .filter(|text| text != "Resize panel")
        .collect()
}

/// The runs of ASCII letters in `text` that a Chinese window must not show.
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|token| token.chars().filter(char::is_ascii_alphabetic).count() >= 3)
        .filter(|token| !ALLOWED.contains(token))
        // Hex bytes and numbers with hex digits (0D 0A, FF, 1F40) are data, not words.
        .filter(|token| {
            let hex = token.chars().all(|c| c.is_ascii_hexdigit());
            let data = token.chars().any(|c| c.is_ascii_digit())
                || token.chars().all(|c| !c.is_ascii_lowercase());
            !(hex && data)
        })
        .map(str::to_owned)
        .collect()
}

/// Checks the window in `lang`: it shows `expected` (so the case is on screen) and nothing
/// of the other language.
fn check(h: &mut Harness<'static, NetAssistApp>, lang: Lang, case: &str, expected: &str) {
    h.state_mut().lang = lang;
    wait_for(h, &format!("{case}: {expected:?} in {lang:?}"), |h| {
        shows(h, expected)
    });
    let words = window_words(h);
    let foreign: Vec<String> = match lang {
        Lang::Zh => {
            // This machine's interface names (lo, eth0) are data, as addresses are.
            let interfaces: Vec<String> = if_addrs::get_if_addrs()
                .unwrap()
                .into_iter()
                .map(|i| i.name)
                .collect();
            words
                .iter()
                .flat_map(|w| english_words(w))
                .filter(|word| !interfaces.contains(word))
                .collect()
        }
        Lang::En => words
            .iter()
            .filter(|w| {
                *w != "简体中文"
                    && w.chars().any(|c| {
                        ('\u{4E00}'..='\u{9FFF}').contains(&c)
                            || ('\u{3000}'..='\u{303F}').contains(&c)
                            || ('\u{FF00}'..='\u{FFEF}').contains(&c)
                    })
            })
            .cloned()
            .collect(),
    };
    assert!(
        foreign.is_empty(),
        "{case}: the {lang:?} window shows words of the other language: {foreign:?}\nall: {words:#?}"
    );
}

/// Clicks the button labelled `label` in `lang`'s words.
fn click(h: &mut Harness<'static, NetAssistApp>, label: &str) {
    // Buttons low in the side panel may be scrolled out of the window first.
    h.get_by_role_and_label(Role::Button, label).scroll_to_me();
    h.step();
    h.get_by_role_and_label(Role::Button, label)
        .click_accesskit();
    h.step();
    h.step();
}

/// One case: made with the window in `made_in`, looked at in both languages (the other one
/// last, after the switch). `expect` gives the sentence each language must show.
struct Case {
    name: &'static str,
    en: String,
    zh: String,
}

fn run(made_in: Lang, make: impl Fn(Lang) -> (Harness<'static, NetAssistApp>, Case)) {
    let (mut h, case) = make(made_in);
    let (first, then) = match made_in {
        Lang::En => ((Lang::En, &case.en), (Lang::Zh, &case.zh)),
        Lang::Zh => ((Lang::Zh, &case.zh), (Lang::En, &case.en)),
    };
    check(&mut h, first.0, case.name, first.1);
    check(&mut h, then.0, case.name, then.1);
}

/// Opens the only session with the Open button in `lang`.
fn open_session(h: &mut Harness<'static, NetAssistApp>, lang: Lang) {
    click(h, lang.t().open);
}

fn bad_port(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |s| {
        "70000".clone_into(&mut s.local_port);
    });
    open_session(&mut h, lang);
    let case = Case {
        name: "bad port",
        en: "the port '70000' must be a number from 0 to 65535".to_owned(),
        zh: "端口 '70000' 必须是 0 到 65535 之间的数字".to_owned(),
    };
    (h, case)
}

fn bad_rule(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |s| {
        s.rules = vec![RuleSettings {
            on: true,
            when: RuleMatch::Regex,
            pattern: "(".to_owned(),
            then: RuleAction::Echo,
            reply: String::new(),
        }];
    });
    open_session(&mut h, lang);
    let case = Case {
        name: "bad rule",
        en: "rule 1: bad regular expression".to_owned(),
        zh: "第 1 条规则：正则表达式 ( 无效".to_owned(),
    };
    (h, case)
}

fn empty_rule(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |s| {
        s.rules = vec![RuleSettings {
            on: true,
            when: RuleMatch::Contains,
            pattern: String::new(),
            then: RuleAction::Echo,
            reply: String::new(),
        }];
    });
    open_session(&mut h, lang);
    let case = Case {
        name: "empty rule pattern",
        en: "rule 1: the pattern is empty".to_owned(),
        zh: "第 1 条规则：匹配内容为空".to_owned(),
    };
    (h, case)
}

fn bad_heartbeat(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |s| {
        s.heartbeat.on = true;
        s.heartbeat.hex = true;
        "01 0G".clone_into(&mut s.heartbeat.payload);
    });
    open_session(&mut h, lang);
    let case = Case {
        name: "bad heartbeat payload",
        en: "the heartbeat payload is wrong: invalid hex".to_owned(),
        zh: "心跳内容有误：十六进制无效".to_owned(),
    };
    (h, case)
}

fn foreign_multicast_interface(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::Udp, |s| {
        "239.255.0.1".clone_into(&mut s.multicast.groups);
        // TEST-NET-1: never an address of this machine.
        "192.0.2.77".clone_into(&mut s.multicast.interface);
    });
    open_session(&mut h, lang);
    let case = Case {
        name: "multicast interface not of this machine",
        en: "192.0.2.77 is not a network interface of this machine".to_owned(),
        zh: "本机没有网络接口 192.0.2.77".to_owned(),
    };
    (h, case)
}

fn bad_framing_spec(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |s| {
        "fixed:0".clone_into(&mut s.receive.framing);
    });
    h.step();
    let case = Case {
        name: "bad framing spec",
        en: "needs a message length of at least 1 byte".to_owned(),
        zh: "定长 '0' 无效".to_owned(),
    };
    (h, case)
}

fn framing_gave_up(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |s| {
        "len:4:le".clone_into(&mut s.receive.framing);
    });
    open_session(&mut h, lang);
    let mut local = None;
    wait_for(&mut h, "the server to listen", |h| {
        local = h.state().sessions[0].local_addr();
        local.is_some()
    });
    let mut peer = std::net::TcpStream::connect(local.unwrap()).unwrap();
    // Big endian 5, read as little endian: 83,886,080 bytes, over the limit.
    peer.write_all(&[0, 0, 0, 5, b'1', b'2', b'3', b'4', b'5'])
        .unwrap();
    let case = Case {
        name: "framing error in the log",
        // Log rows wrap at the view's width: a phrase from the start of the note.
        en: "cannot cut messages".to_owned(),
        zh: "无法分包".to_owned(),
    };
    (h, case)
}

fn bad_hex_in_send_box(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |s| s.send.hex = true);
    open_session(&mut h, lang);
    wait_for(&mut h, "the server to listen", |h| {
        h.state().sessions[0].local_addr().is_some()
    });
    "01 0G".clone_into(&mut h.state_mut().sessions[0].send_text);
    h.step();
    click(&mut h, lang.t().send);
    let case = Case {
        name: "bad hex in the send box",
        en: "invalid hex: 'G' at column 5 is not a hex digit".to_owned(),
        zh: "十六进制无效：第 5 列的 'G' (U+0047) 不是十六进制数字".to_owned(),
    };
    (h, case)
}

fn refused(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut h = window(lang, Protocol::TcpClient, |s| {
        "127.0.0.1".clone_into(&mut s.remote_host);
        s.remote_port = closed.port().to_string();
        s.local_port.clear();
    });
    open_session(&mut h, lang);
    let case = Case {
        name: "refused connection",
        en: format!("connection refused by {closed}"),
        zh: format!("{closed} 拒绝连接"),
    };
    (h, case)
}

fn no_export_file(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |_| {});
    h.state_mut().sessions[0].log_view.export_path.clear();
    h.step();
    click(&mut h, lang.t().export_text);
    let case = Case {
        name: "export with no file chosen",
        en: "no file chosen — type a path or press …".to_owned(),
        zh: "没有选择文件 — 请输入路径或按 …".to_owned(),
    };
    (h, case)
}

fn no_file_to_send(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |s| s.send.file_path.clear());
    click(&mut h, lang.t().send_file);
    let case = Case {
        name: "send file with no file chosen",
        en: "no file chosen — type a path or press …".to_owned(),
        zh: "没有选择文件 — 请输入路径或按 …".to_owned(),
    };
    (h, case)
}

fn bad_search(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |_| {});
    {
        let query = &mut h.state_mut().sessions[0].log_view.search.query;
        query.kind = PatternKind::Hex;
        "4".clone_into(&mut query.pattern);
    }
    h.step();
    let case = Case {
        name: "bad search pattern",
        en: "has no partner".to_owned(),
        zh: "的数字缺少配对".to_owned(),
    };
    (h, case)
}

fn bad_log_cap(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |_| {});
    let field = lang.t().log_cap_mib;
    h.get_by_role_and_label(Role::TextInput, field).focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, field)
        .type_text("-");
    h.step();
    // Enter ends the edit: the typed value is checked then.
    h.key_press(eframe::egui::Key::Enter);
    h.step();
    let case = Case {
        name: "bad log cap",
        en: "must be a whole number above 0".to_owned(),
        zh: "必须是大于 0 的整数".to_owned(),
    };
    (h, case)
}

fn notes(lang: Lang) -> (Harness<'static, NetAssistApp>, Case) {
    let mut h = window(lang, Protocol::TcpServer, |_| {});
    open_session(&mut h, lang);
    let mut local = None;
    wait_for(&mut h, "the server to listen", |h| {
        local = h.state().sessions[0].local_addr();
        local.is_some()
    });
    let peer = std::net::TcpStream::connect(local.unwrap()).unwrap();
    wait_for(&mut h, "the client", |h| {
        h.state().sessions[0].clients.len() == 1
    });
    drop(peer);
    wait_for(&mut h, "the client to leave", |h| {
        h.state().sessions[0].clients.is_empty()
    });
    let case = Case {
        name: "notes of a session",
        en: "disconnected: closed by the peer".to_owned(),
        zh: "已断开：对方关闭了连接".to_owned(),
    };
    (h, case)
}

type Make = fn(Lang) -> (Harness<'static, NetAssistApp>, Case);

const CASES: &[Make] = &[
    bad_port,
    bad_rule,
    empty_rule,
    bad_heartbeat,
    foreign_multicast_interface,
    bad_framing_spec,
    framing_gave_up,
    bad_hex_in_send_box,
    refused,
    no_export_file,
    no_file_to_send,
    bad_search,
    bad_log_cap,
    notes,
];

#[test]
fn errors_and_notes_made_in_english_read_in_chinese_without_an_english_word() {
    for make in CASES {
        run(Lang::En, make);
    }
}

#[test]
fn errors_and_notes_made_in_chinese_read_in_english_without_a_chinese_character() {
    for make in CASES {
        run(Lang::Zh, make);
    }
}

#[test]
fn the_word_filter_finds_english_and_lets_data_through() {
    assert_eq!(
        english_words("端口 '70000' 必须是数字"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_words("TCP 服务器 0D 0A FF MiB"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_words("心跳内容有误：invalid hex"),
        ["invalid", "hex"]
    );
    assert_eq!(english_words("按小端读取（len:4:be）"), ["len"]);
}
