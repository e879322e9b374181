//! The i18n module's own checks.

use super::*;

// issue 15: tls
mod tls;
// issue 15: serial
mod serial;

// issue 13: udp drops
mod udp_drops {
    use super::*;

    #[test]
    fn the_receive_buffer_note_says_how_to_get_what_was_asked_for() {
        let mib = 1024 * 1024;
        let short = Info::ReceiveBuffer(Some(8 * mib), 4 * mib);
        let en = info_text(Lang::En, &short);
        assert_eq!(
            en,
            "receive buffer 4 MiB — asked for 8 MiB; the system caps it (Linux: raise it with sudo sysctl -w net.core.rmem_max=8388608)"
        );
        let zh = info_text(Lang::Zh, &short);
        assert!(
            zh.contains("接收缓冲区 4 MiB") && zh.contains("net.core.rmem_max=8388608"),
            "{zh}"
        );
        let full = Info::ReceiveBuffer(Some(4 * mib), 4 * mib);
        assert_eq!(info_text(Lang::En, &full), "receive buffer 4 MiB");
        let default = Info::ReceiveBuffer(None, 104 * 1024);
        assert_eq!(
            info_text(Lang::En, &default),
            "receive buffer 104 KiB (the system's default)"
        );
        assert!(info_text(Lang::Zh, &Info::KernelDrops(7)).contains("系统丢弃了 7 个数据报"));
    }
}

/// Runs of three or more ASCII letters: English words, unless they are names the Chinese
/// sentences keep (protocols, units, the JSON field, the rule syntax of the command line).
fn english_words(text: &str) -> Vec<&str> {
    const KEPT: &[&str] = &[
        "TCP",
        "UDP",
        "JSON",
        "TTL",
        "SO_REUSEADDR",
        "IPv4",
        "IPv6",
        "KiB",
        "MiB",
        "data_size",
        "text",
        "hex",
        "regex",
        "reply",
        "echo",
        "disconnect",
        "ping",
        "pong",
        "quit",
        "bye",
    ];
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.chars().filter(char::is_ascii_alphabetic).count() >= 3)
        .filter(|word| !KEPT.contains(word))
        .collect()
}

fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{3000}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c))
}

/// Each kind of error, including the ones the window test cannot reach on this machine, reads
/// as Chinese in Chinese and as English in English.
#[test]
fn every_error_kind_is_worded_in_each_language_alone() {
    use std::path::PathBuf;

    use crate::codec::{EscapeError, HexError, PayloadError};
    use crate::engine::{InterfaceError, NetError, RuleError};
    use crate::log::{ExportError, SearchError};

    let payload = PayloadError::Escape(EscapeError::TrailingBackslash { position: 3 });
    let frames = frame_errors();
    let rules = [
        RuleError::NoArrow,
        RuleError::UnknownCondition,
        RuleError::UnknownAction,
        RuleError::EmptyPattern,
        RuleError::EmptyReply,
        RuleError::Pattern(PayloadError::Hex(HexError::OddDigits {
            line: 2,
            column: 1,
        })),
        RuleError::Reply(payload.clone()),
        RuleError::Regex {
            pattern: "(".to_owned(),
            detail: "unclosed group".to_owned(),
        },
    ];
    let closes = close_reasons();
    let mut sentences: Vec<Box<dyn Fn(Lang) -> String>> = Vec::new();
    for err in frames {
        sentences.push(Box::new(move |lang| lang.m().frame_error(&err)));
    }
    for err in rules {
        sentences.push(Box::new(move |lang| {
            lang.m().option_error(&OptionError::BadRule(2, err.clone()))
        }));
    }
    for reason in closes {
        sentences.push(Box::new(move |lang| {
            lang.m().info(&Info::PeerClosed(reason.clone()))
        }));
    }
    sentences.push(Box::new(|lang| {
        lang.m().interface_error(&InterfaceError::Empty)
    }));
    sentences.push(Box::new(move |lang| {
        lang.m()
            .option_error(&OptionError::BadHeartbeatPayload(payload.clone()))
    }));
    sentences.push(Box::new(|lang| {
        lang.m().option_error(&OptionError::EmptyHeartbeatPayload)
    }));
    for err in [SearchError::Empty, SearchError::TooLong] {
        sentences.push(Box::new(move |lang| lang.m().search_error(&err)));
    }
    for err in [ExportError::NoFile, ExportError::ViewChanged] {
        sentences.push(Box::new(move |lang| lang.m().export_error(&err)));
    }
    sentences.push(Box::new(|lang| {
        lang.m().net_error(&NetError::FileMissing {
            path: PathBuf::from("/数据/作业"),
        })
    }));
    for step in io_steps() {
        sentences.push(Box::new(move |lang| {
            lang.m().net_error(&NetError::io(
                step.clone(),
                &std::io::Error::from(std::io::ErrorKind::ConnectionReset),
            ))
        }));
    }
    for spec in [
        "delim",
        "bogus",
        "delim:",
        "fixed:0",
        "len:3",
        "len:4:xx",
        "json-header:xx",
        "gap:0",
    ] {
        let err = crate::codec::Framing::parse(spec).expect_err("a bad spec");
        sentences.push(Box::new(move |lang| lang.m().framing_spec_error(&err)));
    }
    for sentence in &sentences {
        let zh = sentence(Lang::Zh);
        assert!(english_words(&zh).is_empty(), "{zh}");
        assert!(has_cjk(&zh), "{zh}");
        let en = sentence(Lang::En);
        assert!(!has_cjk(&en.replace("/数据/作业", "")), "{en}");
        assert!(!english_words(&en).is_empty(), "{en}");
    }
}

/// Every step a system error can come from (the match makes a new step fail to compile here
/// until it is listed).
fn io_steps() -> Vec<crate::engine::IoStep> {
    use crate::engine::IoStep;
    let peer: std::net::SocketAddr = ([127, 0, 0, 1], 9000).into();
    let steps = vec![
        IoStep::Open(peer),
        IoStep::Connect(peer),
        IoStep::Talk(peer),
        IoStep::CreatePoller,
        IoStep::StartThread,
        IoStep::WaitNetwork,
        IoStep::CreateSocket { udp: true },
        IoStep::CreateSocket { udp: false },
        IoStep::NonBlocking,
        IoStep::ReuseAddress,
        IoStep::AllowBroadcast,
        IoStep::ReceiveBufferSize,
        IoStep::MulticastTtl,
        IoStep::MulticastLoopback,
        IoStep::MulticastGroup {
            join: true,
            group: [239, 1, 2, 3].into(),
        },
        IoStep::MulticastThrough("192.168.1.9".to_owned()),
        IoStep::ReadLocalAddress,
        IoStep::ReadListeningAddress,
        IoStep::WatchUdpSocket,
        IoStep::WatchListener,
        IoStep::WatchConnection(Some(peer)),
        IoStep::WatchConnection(None),
        IoStep::AcceptClient,
        IoStep::ReceiveDatagram,
        IoStep::SendTo(peer),
        IoStep::ReadStdin,
        IoStep::WriteStdout,
    ];
    for step in &steps {
        match step {
            IoStep::Open(_)
            | IoStep::Connect(_)
            | IoStep::Talk(_)
            | IoStep::CreatePoller
            | IoStep::StartThread
            | IoStep::WaitNetwork
            | IoStep::CreateSocket { .. }
            | IoStep::NonBlocking
            | IoStep::ReuseAddress
            | IoStep::AllowBroadcast
            | IoStep::ReceiveBufferSize
            | IoStep::MulticastTtl
            | IoStep::MulticastLoopback
            | IoStep::MulticastGroup { .. }
            | IoStep::MulticastThrough(_)
            | IoStep::ReadLocalAddress
            | IoStep::ReadListeningAddress
            | IoStep::WatchUdpSocket
            | IoStep::WatchListener
            | IoStep::WatchConnection(_)
            | IoStep::AcceptClient
            | IoStep::ReceiveDatagram
            | IoStep::SendTo(_)
            | IoStep::ReadStdin
            | IoStep::WriteStdout => {}
        }
    }
    steps
}

#[test]
fn a_system_error_reads_as_chinese_and_its_english_is_unchanged() {
    use crate::engine::{IoStep, NetError};
    let peer: std::net::SocketAddr = ([127, 0, 0, 1], 9000).into();
    let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
    let err = NetError::io(IoStep::SendTo(peer), &reset);
    assert_eq!(
        Lang::En.m().net_error(&err),
        format!("sending to 127.0.0.1:9000: {reset}")
    );
    assert_eq!(
        Lang::Zh.m().net_error(&err),
        "系统错误（发送到 127.0.0.1:9000 时出错）：连接被对方重置"
    );
    // A kind no table words keeps the system's own text.
    let odd = std::io::Error::other("odd failure");
    let zh = Lang::Zh
        .m()
        .net_error(&NetError::io(IoStep::CreatePoller, &odd));
    assert_eq!(zh, "系统错误（无法创建网络事件轮询器）：odd failure");
    // Kinds a file meets (a save path that is a folder, a read-only disk) are worded too.
    for (kind, words) in [
        (std::io::ErrorKind::IsADirectory, "这是一个文件夹"),
        (std::io::ErrorKind::ReadOnlyFilesystem, "文件系统只读"),
        (std::io::ErrorKind::AlreadyExists, "已存在"),
    ] {
        let err = NetError::io(IoStep::CreatePoller, &std::io::Error::from(kind));
        assert_eq!(
            Lang::Zh.m().net_error(&err),
            format!("系统错误（无法创建网络事件轮询器）：{words}")
        );
    }
}

fn frame_errors() -> Vec<crate::codec::FrameError> {
    use crate::codec::FrameError;
    vec![
        FrameError::TooLarge { len: 9, max: 8 },
        FrameError::LengthBelowHeader { len: 1, width: 2 },
        FrameError::NoDelimiter { len: 9, max: 8 },
        FrameError::BodyTooLarge { len: 9, max: 8 },
        FrameError::BadJsonHeader {
            reason: "expected value".to_owned(),
        },
        FrameError::LengthMismatch {
            expected: 4,
            got: 5,
        },
        FrameError::BodyTooLong {
            len: 300,
            width: 1,
            max: 255,
        },
        FrameError::InvalidFraming {
            reason: "an empty delimiter".to_owned(),
        },
        FrameError::NoGap {
            len: 9,
            max: 8,
            ms: 20,
        },
    ]
}

fn close_reasons() -> Vec<crate::engine::CloseReason> {
    use crate::engine::CloseReason;
    vec![
        CloseReason::PeerClosed,
        CloseReason::Reset,
        CloseReason::Kicked,
        CloseReason::LocalClosed,
        CloseReason::Quit,
        CloseReason::Silent,
        CloseReason::Rule,
        CloseReason::StoppedReading {
            queued: 1 << 20,
            waited: std::time::Duration::from_secs(5),
        },
    ]
}

fn lang_text(lang: Lang, info: &Info) -> String {
    lang.m().info(info)
}

// issue 15: websocket
#[test]
fn websocket_errors_and_notes_are_worded_in_each_language_alone() {
    use crate::engine::{WsError, WsNote};
    let peer: SocketAddr = "127.0.0.1:9000".parse().unwrap();
    let errors = [
        WsError::Url {
            url: "http://x/".to_owned(),
            reason: String::new(),
        },
        WsError::Header {
            header: "broken".to_owned(),
        },
        WsError::Rejected {
            peer,
            status: 404,
            phrase: "Not Found".to_owned(),
        },
        WsError::NotWebSocket {
            peer,
            detail: String::new(),
        },
        WsError::WrongPath {
            peer,
            asked: "/lobby".to_owned(),
            served: "/chat".to_owned(),
        },
        WsError::TooBig {
            peer,
            limit_mib: 64,
        },
        WsError::Protocol {
            peer,
            reason: String::new(),
        },
        WsError::ClosedInHandshake { peer },
        WsError::NoAnswer { peer, secs: 10 },
        WsError::ClientLeftInHandshake { peer },
        WsError::Closing { peer },
    ];
    let mut infos: Vec<Info> = errors
        .into_iter()
        .map(|err| Info::Error(NetError::Ws(err)))
        .collect();
    infos.push(Info::Ws(WsNote::Handshake {
        peer,
        request: Vec::new(),
        response: Vec::new(),
    }));
    for from_peer in [true, false] {
        infos.push(Info::Ws(WsNote::Ping {
            peer,
            payload: Vec::new(),
            from_peer,
            answered: from_peer,
        }));
        infos.push(Info::Ws(WsNote::Pong {
            peer,
            payload: Vec::new(),
            from_peer,
        }));
        infos.push(Info::Ws(WsNote::Close {
            peer,
            code: Some(1000),
            reason: String::new(),
            from_peer,
        }));
    }
    infos.push(Info::Ws(WsNote::Ping {
        peer,
        payload: Vec::new(),
        from_peer: true,
        answered: false,
    }));
    let names = [
        "WebSocket",
        "Ping",
        "Pong",
        "HTTP",
        "Not Found",
        "wss://",
        "ws://",
        "http://x/",
        "Authorization: Bearer abc",
        "broken",
        "/lobby",
        "/chat",
        "URL",
        "TLS",
    ];
    for info in &infos {
        let mut zh = lang_text(Lang::Zh, info);
        for name in names {
            zh = zh.replace(name, "");
        }
        assert!(english_words(&zh).is_empty(), "{zh}");
        assert!(has_cjk(&zh), "{zh}");
        let en = lang_text(Lang::En, info);
        assert!(!has_cjk(&en), "{en}");
        assert!(!english_words(&en).is_empty(), "{en}");
    }
}
