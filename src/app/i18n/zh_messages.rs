//! The window's sentences in simplified Chinese: notes and errors, every variant matched (no
//! `_` arm), so a new note or error does not compile until it is worded here.

use super::zh_errors::{line_column, net_error, payload_error, show_char};
use super::{Info, Messages};
use crate::app::error::UiError;
use crate::app::room::OptionError;
use crate::codec::{FrameError, FramingSpecError, GaveUp, HexError, PayloadError};
use crate::engine::{
    CloseReason, InterfaceError, NetError, RuleError, group_digits, human_secs, human_size,
};
use crate::log::{ExportError, SearchError};

/// 简体中文.
pub struct Zh;

impl Messages for Zh {
    fn info(&self, info: &Info) -> String {
        match info {
            Info::Listening(addr) => format!("正在监听 {addr}"),
            Info::Connected(local, Some(remote)) => format!("已连接到 {remote}（本地 {local}）"),
            Info::Connected(local, None) => format!("已连接（本地 {local}）"),
            Info::Bound(addr) => format!("UDP 已绑定 {addr}"),
            Info::PeerConnected => "已连接".to_owned(),
            // This reason already ends in "已断开".
            Info::PeerClosed(reason @ CloseReason::StoppedReading { .. }) => {
                self.close_reason(reason)
            }
            Info::PeerClosed(reason) => format!("已断开：{}", self.close_reason(reason)),
            Info::Error(err) => net_error(err),
            Info::Closed => "已关闭".to_owned(),
            Info::Multicast(group, true) => format!("已加入组播组 {group}"),
            Info::Multicast(group, false) => format!("已退出组播组 {group}"),
            Info::FrameHeader(header) => format!("消息头 {header}"),
            Info::FrameIncomplete(len) => format!("对方在消息中途离开（上面 {len} 字节不完整）"),
            Info::FrameGaveUp(gave_up) => self.gave_up(gave_up),
            Info::FileSending(name, size) => format!("正在发送文件 {name}（{size} 字节）…"),
            Info::FileSent(name, size) => format!("已发送文件 {name}（{size} 字节，100 %）"),
            Info::KernelDrops(total) => format!(
                "系统丢弃了 {total} 个数据报：接收缓冲区已满（更大的接收缓冲区能承受更长的突发）"
            ),
            Info::ReceiveBuffer(asked, granted) => {
                let granted_text = human_size(*granted);
                match asked {
                    None => format!("接收缓冲区 {granted_text}（系统默认值）"),
                    Some(asked) if granted < asked => format!(
                        "接收缓冲区 {granted_text} —— 请求的是 {}，系统限制了上限（Linux：用 sudo sysctl -w net.core.rmem_max={asked} 提高）",
                        human_size(*asked)
                    ),
                    Some(_) => format!("接收缓冲区 {granted_text}"),
                }
            }
            Info::TlsSecured(info) => {
                let alpn = info.alpn.as_deref().unwrap_or("无");
                let mut line = format!(
                    "TLS 已建立：{}，密码套件 {}，ALPN {alpn}",
                    info.version, info.cipher
                );
                if info.peer_cert.is_some() && !info.verified {
                    line.push_str(" —— 证书未经验证（接受任何证书 / 客户端出示的证书）");
                }
                line
            }
            Info::TlsCert(cert, own, self_signed) => format!(
                "{}：{} —— 签发者 {} —— 有效期 {} 至 {}",
                match (own, self_signed) {
                    (true, true) => "本端自签名证书",
                    (true, false) => "本端证书",
                    (false, _) => "对方证书",
                },
                cert.subject,
                cert.issuer,
                cert.not_before,
                cert.not_after
            ),
            Info::TlsFingerprint(sha, true) => format!("本端证书的 SHA-256 指纹：{sha}"),
            Info::TlsFingerprint(sha, false) => format!("对方证书的 SHA-256 指纹：{sha}"),
            // issue 15: websocket
            Info::Ws(note) => super::ws_words::note_zh(note),
            // issue 15: serial
            Info::SerialOpened(port, settings) => format!("已打开串口 {port}（{settings}）"),
            Info::BridgeListening(addr) => {
                format!("桥接：正在 {addr} 监听 —— TCP 客户端会收到串口的数据")
            }
            Info::BridgeConnected(addr) => {
                format!("桥接：已连接到 {addr} —— 它会收到串口的数据")
            }
        }
    }

    fn ui_error(&self, err: &UiError) -> String {
        match err {
            UiError::Net(err) => net_error(err),
            UiError::Payload(err) => payload_error(err),
            UiError::EmptyPort => "端口为空 — 请输入 0 到 65535 之间的数字".to_owned(),
            UiError::BadPort(text) => format!("端口 '{text}' 必须是 0 到 65535 之间的数字"),
            UiError::BadLocalIp(text) => format!("'{text}' 不是 IP 地址 — 请从列表中选择"),
            UiError::TlsPair => {
                "TLS 证书需要对应的私钥文件（私钥也需要证书）：请两个都填，或都不填".to_owned()
            }
            UiError::EmptyHost => "远程主机为空 — 请输入 IP 地址或主机名".to_owned(),
            UiError::EmptyPayload => "没有要发送的内容 — 请先输入数据".to_owned(),
            UiError::NotOpen => "尚未打开 — 请先按“打开”".to_owned(),
            UiError::BadInterval(text) => format!("间隔 '{text}' 必须是大于 0 的整数毫秒"),
            UiError::PeerNotReading(queued) => {
                format!("等待对端读取（已排队 {} KiB）", queued / 1024)
            }
            UiError::BadCount(text) => {
                format!("次数 '{text}' 必须是大于 0 的整数，留空则一直发送直到停止")
            }
            UiError::NoFile => "没有选择文件 — 请输入路径或按 …".to_owned(),
            UiError::Option(err) => self.option_error(err),
            // issue 15: serial
            UiError::NoSerialPort => "没有选择串口 —— 请从列表中选择（按“刷新”重新查找），或输入它的路径，如 /dev/ttyUSB0 或 COM3".to_owned(),
            UiError::BadBaud(text) => format!(
                "波特率“{text}”必须是 1 到 {} 之间的整数，如 9600 或 115200",
                crate::engine::MAX_BAUD
            ),
        }
    }

    fn option_error(&self, err: &OptionError) -> String {
        match err {
            OptionError::BadTimeout(text) => {
                format!("静默时间 '{text}' 必须是大于 0 的秒数，例如 10 或 0.5")
            }
            OptionError::BadHeartbeatInterval(text) => {
                format!("心跳间隔 '{text}' 必须是大于 0 的整数毫秒")
            }
            OptionError::EmptyHeartbeatPayload => "心跳内容为空 — 请输入要发送的内容".to_owned(),
            OptionError::BadHeartbeatPayload(err) => {
                format!("心跳内容有误：{}", payload_error(err))
            }
            OptionError::EmptyQuitLine => "退出命令为空 — 请输入例如 /quit 或 bye".to_owned(),
            OptionError::BadRule(index, err) => {
                format!("第 {index} 条规则：{}", self.rule_error(err))
            }
            OptionError::BadGroup(text) => format!(
                "'{text}' 不是组播地址 — 请使用 224.0.0.0/4（如 239.255.0.1）或 ff00::/8（如 ff02::1）"
            ),
            OptionError::BadInterface(err) => self.interface_error(err),
            OptionError::BadTtl(text) => format!("TTL '{text}' 必须是 0 到 255 之间的整数"),
        }
    }

    fn rule_error(&self, err: &RuleError) -> String {
        match err {
            RuleError::NoArrow => "请写成 条件=>动作，例如 'text:ping=>reply:pong'".to_owned(),
            RuleError::UnknownCondition => "条件必须以 text:、hex: 或 regex: 开头".to_owned(),
            RuleError::UnknownAction => {
                "动作必须是 reply:文本、reply-hex:字节、echo 或 disconnect".to_owned()
            }
            RuleError::EmptyPattern => {
                "匹配内容为空 — 请输入要查找的文本、十六进制字节或正则表达式".to_owned()
            }
            RuleError::EmptyReply => "回复内容为空 — 请输入要回复的内容".to_owned(),
            RuleError::Pattern(err) => format!("匹配内容：{}", payload_error(err)),
            RuleError::Reply(err) => format!("回复内容：{}", payload_error(err)),
            RuleError::Regex { pattern, .. } => format!(
                "正则表达式 {pattern} 无效 — 请检查括号、方括号是否成对，特殊字符（如 ( [ . * + ?）前是否加了反斜杠"
            ),
        }
    }

    fn interface_error(&self, err: &InterfaceError) -> String {
        match err {
            InterfaceError::Empty => {
                "接口为空 — 请输入 IPv4 地址（如 127.0.0.1）、接口序号（如 1）或接口名称（如 lo）"
                    .to_owned()
            }
            InterfaceError::NoSuch { interface, known } => format!(
                "本机没有网络接口 {interface} — 请从这些里选：{known}（或不填接口，由系统选择）"
            ),
        }
    }

    fn net_error(&self, err: &NetError) -> String {
        net_error(err)
    }

    fn close_reason(&self, reason: &CloseReason) -> String {
        match reason {
            CloseReason::PeerClosed => "对方关闭了连接".to_owned(),
            CloseReason::Reset => "对方重置了连接".to_owned(),
            CloseReason::Kicked => "被你断开".to_owned(),
            CloseReason::LocalClosed => "会话已关闭".to_owned(),
            CloseReason::Quit => "发送了退出命令".to_owned(),
            CloseReason::Silent => "太久没有消息".to_owned(),
            CloseReason::Rule => "被自动回复规则断开".to_owned(),
            CloseReason::StoppedReading { queued, waited } => format!(
                "停止读取：{} 等待了 {} 秒 — 已断开",
                human_size(*queued),
                human_secs(*waited)
            ),
            CloseReason::Error(err) => net_error(err),
        }
    }

    fn payload_error(&self, err: &PayloadError) -> String {
        payload_error(err)
    }

    fn frame_error(&self, err: &FrameError) -> String {
        match err {
            FrameError::TooLarge { len, max } => format!(
                "长度前缀声称 {len} 字节，超过 {} 的上限 —— 字节序（大端/小端）和前缀宽度对吗",
                human_size(*max)
            ),
            FrameError::LengthBelowHeader { len, width } => format!(
                "长度前缀说连同 {width} 字节前缀共 {len} 字节，比前缀本身还短 —— 长度真的包含前缀吗"
            ),
            FrameError::NoDelimiter { len, max } => format!(
                "收到 {len} 字节仍没有分隔符，超过 {} 的上限 —— 分隔符对吗（\\n 还是 \\r\\n），或者对方发的是二进制数据",
                human_size(*max)
            ),
            FrameError::BodyTooLarge { len, max } => format!(
                "JSON 头声称 data_size 为 {len} 字节，超过 {} 的上限",
                human_size(*max)
            ),
            FrameError::BadJsonHeader { .. } => {
                "JSON 头有误：应当是含 data_size 的对象，类似 {\"data_size\": 5}".to_owned()
            }
            FrameError::LengthMismatch { expected, got } => {
                format!("定长分包每条消息必须正好 {expected} 字节，这条有 {got} 字节")
            }
            FrameError::BodyTooLong { len, width, max } => format!(
                "{len} 字节的消息放不进 {width} 字节的长度前缀（最多 {} 字节）—— 请用更宽的前缀",
                group_digits(usize::try_from(*max).unwrap_or(usize::MAX))
            ),
            FrameError::NoGap { len, max, ms } => format!(
                "收到 {len} 字节仍没有出现 {ms} 毫秒的停顿，超过 {} 的上限 —— 对方是否在连续不停地发送？请把间隔改短，或换一种分包方式",
                human_size(*max)
            ),
            FrameError::InvalidFraming { .. } => {
                "这种分包方式无法工作 —— 请检查分隔字节、定长和前缀宽度".to_owned()
            }
        }
    }

    fn gave_up(&self, gave_up: &GaveUp) -> String {
        let fix = gave_up
            .other_order
            .as_ref()
            .map(|other| {
                let order = if other.big_endian() {
                    "大端"
                } else {
                    "小端"
                };
                format!(
                    "按{order}读取，长度前缀是 {} —— 要切换到{order}吗？",
                    other.len
                )
            })
            .unwrap_or_default();
        format!(
            "无法分包：{}。{fix}在更改分包方式或对方重新连接之前，数据按原样显示。",
            self.frame_error(&gave_up.error)
        )
    }

    fn framing_spec_error(&self, err: &FramingSpecError) -> String {
        // The command line's spec syntax is not repeated: the window chooses from lists.
        match err {
            FramingSpecError::NeedsValue { .. } | FramingSpecError::Unknown { .. } => {
                "分包方式无效 — 请在“分包显示”中重新选择".to_owned()
            }
            FramingSpecError::BadDelimiter { hex } => {
                format!("分隔字节 '{hex}' 无效 — 请输入十六进制字节，例如 0D 0A")
            }
            FramingSpecError::BadLength { n } => {
                format!("定长 '{n}' 无效 — 请输入大于 0 的字节数")
            }
            FramingSpecError::BadPrefixWidth { options } => {
                format!("长度前缀设置 '{options}' 无效 — 前缀宽度必须是 1、2、4 或 8 字节")
            }
            FramingSpecError::BadPrefixOption { options, .. } => format!(
                "长度前缀设置 '{options}' 无效 — 宽度之后选择一次大端或小端，可再选“含前缀”"
            ),
            FramingSpecError::BadJsonOrder { order } => {
                format!("JSON 头的字节序 '{order}' 无效 — 请选择大端或小端")
            }
            FramingSpecError::BadGap { ms } => {
                format!("停顿时间 '{ms}' 无效 — 请输入 1 到 60000 之间的毫秒数")
            }
        }
    }

    fn search_error(&self, err: &SearchError) -> String {
        match err {
            SearchError::Empty => "搜索内容为空".to_owned(),
            SearchError::TooLong => "搜索内容太长".to_owned(),
            SearchError::Hex(HexError::InvalidChar { ch, line, column }) => format!(
                "十六进制无效：{}的 {} 不是十六进制数字",
                line_column(*line, *column),
                show_char(*ch)
            ),
            SearchError::Hex(HexError::OddDigits { line, column }) => format!(
                "十六进制无效：{}的数字缺少配对 — 每个字节两位",
                line_column(*line, *column)
            ),
            SearchError::Encode(err) => format!(
                "第 {} 个字符 {} 无法用 {} 编码",
                err.position,
                show_char(err.ch),
                err.encoding
            ),
        }
    }

    fn export_error(&self, err: &ExportError) -> String {
        match err {
            ExportError::NoFile => "没有选择文件 — 请输入路径或按 …".to_owned(),
            ExportError::Io { path, reason } => format!("无法写入 {}：{reason}", path.display()),
            ExportError::ViewChanged => "导出时显示方式改变了 — 请重新导出".to_owned(),
        }
    }
}
