//! The engine's and the codec's errors in Chinese (their English is their own `Display`).
//! Every variant is matched, none by a `_` arm: a new error does not compile until it is
//! worded here.

use crate::codec::{EscapeError, HexError, PayloadError};
use std::io::ErrorKind;

use crate::engine::{IoStep, NetError, SerialError, SerialProblem, TlsProblem};

/// An engine error in Chinese.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per error; splitting hides the mapping"
)]
pub(super) fn net_error(err: &NetError) -> String {
    match err {
        NetError::InvalidAddress { input, .. } => {
            format!("'{input}' 不是有效地址 — 请写成 127.0.0.1:8080 或 [::1]:8080")
        }
        NetError::Resolve { host, reason } => {
            format!("找不到主机 '{host}' — 请检查拼写或使用 IP 地址（{reason}）")
        }
        NetError::AddrInUse { addr } => {
            format!("{addr} 已被占用 — 请换一个端口，或关闭正在使用它的程序")
        }
        NetError::AddrNotAvailable { addr } => {
            format!("{addr} 不是本机的地址 — 请从列表中选择，或使用 0.0.0.0")
        }
        NetError::PermissionDenied { addr } => {
            format!("没有权限使用 {addr} — 1024 以下的端口需要 root 权限，广播需要打开广播选项")
        }
        NetError::Refused { addr } => format!("{addr} 拒绝连接 — 那里有服务器在监听吗？"),
        NetError::ConnectTimeout { addr, secs } => {
            format!("{addr} 在 {secs} 秒内没有应答 — 请检查地址和防火墙")
        }
        NetError::Unreachable { addr } => format!("无法从本机到达 {addr} — 请检查地址和网络"),
        NetError::Reset { peer } => format!("对方 {peer} 重置了连接"),
        NetError::NoTarget { hint } => {
            format!("没有发送对象 — 请先填写远程地址，或等待对方发来数据（{hint}）")
        }
        NetError::UnknownPeer { peer } => format!("{peer} 没有连接到这个会话"),
        NetError::DatagramTooLarge { len, max } => format!(
            "UDP 数据报最多 {} 字节，这个有 {} 字节 — 没有发送；请少发一些或改用 TCP",
            crate::engine::group_digits(*max),
            crate::engine::group_digits(*len)
        ),
        NetError::UdpPortUnreachable { addr } => format!("{addr}：这个 UDP 端口没有程序在监听"),
        NetError::NoSuchInterface { interface, known } => format!(
            "本机没有网络接口 {interface} — 请从这些里选：{known}（或不填接口，由系统选择）"
        ),
        NetError::TooManyFiles { limit, clients } => format!(
            "无法接受更多客户端：本进程最多只能打开 {limit} 个文件（已连接 {clients} 个客户端）— 等待中的客户端会在别人离开后被接受；可用 'ulimit -n' 提高上限"
        ),
        NetError::FileRead { path, reason } => {
            format!(
                "无法读取文件 {}：{reason} — 请确认有读取权限，或选择其他文件",
                path.display()
            )
        }
        NetError::FileWrite { path, reason } => {
            format!("无法写入 {}：{reason} — 接收的数据不再保存", path.display())
        }
        NetError::Closed => "会话已关闭 — 请先打开".to_owned(),
        NetError::NotUdp => "组播需要 UDP 会话".to_owned(),
        NetError::NotMulticast { group } => format!(
            "{group} 不是这个套接字能加入的组播组 — IPv4 请用 224.0.0.0/4，IPv6 请用 ff00::/8"
        ),
        NetError::Io { step, kind, reason } => {
            format!("系统错误（{}）：{}", io_step(step), io_kind(*kind, reason))
        }
        // issue 11: io faults
        NetError::FileMissing { path } => {
            format!(
                "无法读取文件 {}：没有这个文件 — 请检查文件夹和文件名",
                path.display()
            )
        }
        NetError::FileIsFolder { path } => {
            format!(
                "无法读取 {}：这是文件夹，不是文件 — 请选择其中的一个文件",
                path.display()
            )
        }
        NetError::FileStopped {
            path,
            sent,
            total,
            reason,
        } => {
            let progress = match (*sent, *total) {
                (0, _) => "（还没有发送任何字节）".to_owned(),
                (sent, total) if total > sent => format!("（已发送 {sent} / {total} 字节）"),
                (sent, _) => format!("（已发送 {sent} 字节）"),
            };
            format!(
                "读取 {} 时出错{progress}：{reason} — 其余部分没有发送；请检查文件后重新发送",
                path.display()
            )
        }
        NetError::FileShrank { path, sent, total } => format!(
            "{} 在发送过程中变短了：已发送 {sent} / {total} 字节，其余部分已不存在 — 请等文件完整后重新发送",
            path.display()
        ),
        NetError::SaveFolderMissing { path, folder } => format!(
            "无法保存到 {}：文件夹 {} 不存在 — 请先创建它，或选择其他文件夹",
            path.display(),
            folder.display()
        ),
        NetError::SaveIsFolder { path } => format!(
            "无法保存到 {}：这是文件夹 — 请在后面加上文件名，例如 {}",
            path.display(),
            path.join("received.bin").display()
        ),
        // issue 15: tls
        NetError::TlsSetup { reason } => format!("TLS 无法启动：{}", tls_problem(reason)),
        NetError::TlsFile { path, reason } => format!(
            "无法使用 {}：{} —— 请提供 PEM 文件（-----BEGIN …-----）",
            path.display(),
            tls_problem(reason)
        ),
        NetError::TlsUnknownIssuer { peer } => format!(
            "{peer} 的证书由本机不信任的签发者签发 —— 请提供它的 CA 文件，或对测试服务器选择“接受任何证书”"
        ),
        NetError::TlsNameMismatch {
            peer,
            name,
            presented,
        } => {
            let listed = if presented.is_empty() {
                String::new()
            } else {
                format!("（证书上的名称：{presented}）")
            };
            format!(
                "{peer} 的证书与名称“{name}”不符{listed} —— 请用证书上列出的名称连接，或对测试服务器选择“接受任何证书”"
            )
        }
        NetError::TlsExpired { peer, not_after } => {
            let until = if not_after.is_empty() {
                String::new()
            } else {
                format!("（有效期至 {not_after}）")
            };
            format!(
                "{peer} 的证书已过期{until} —— 请在服务器上更新证书，或对测试服务器选择“接受任何证书”"
            )
        }
        NetError::TlsNotYetValid { peer } => {
            format!("{peer} 的证书尚未生效 —— 请检查两台机器的时钟")
        }
        NetError::TlsAlert { peer, alert } => {
            format!("与 {peer} 的 TLS 握手失败：对方发出警报“{alert}”（对方不接受本端的握手）")
        }
        NetError::TlsNotTls { peer } => {
            format!("对方 {peer} 不使用 TLS —— 这是不是明文端口？")
        }
        NetError::TlsClosedInHandshake { peer } => {
            format!("对方 {peer} 在 TLS 握手中关闭了连接 —— 它可能不使用 TLS，或者拒绝了本端的证书")
        }
        NetError::TlsNoAnswer { peer, secs } => {
            format!("{secs} 秒内没有收到 {peer} 的 TLS 应答 —— 这是不是明文端口？")
        }
        NetError::TlsFailed { peer, reason } => {
            format!("与 {peer} 的 TLS 失败：{}", tls_problem(reason))
        }
        // issue 15: websocket
        NetError::Ws(err) => super::ws_words::error_zh(err),
        // issue 15: serial
        NetError::Serial(err) => serial_error(err),
    }
}

// issue 15: serial
/// A serial port's error in Chinese.
fn serial_error(err: &SerialError) -> String {
    match err {
        SerialError::NotFound { port } => format!(
            "串口 {port} 不存在 —— 请检查设备是否已插好，刷新列表，或直接输入它的路径（如 /dev/ttyUSB0、COM3）"
        ),
        SerialError::Busy { port } => {
            format!(
                "串口 {port} 已被占用 —— 另一个程序打开了它；请关闭那个程序（或它的会话）后再打开"
            )
        }
        SerialError::Permission { port } => format!(
            "没有权限打开串口 {port} —— 在 Linux 上串口属于 dialout 组：请运行 'sudo usermod -aG dialout $USER'，然后注销并重新登录"
        ),
        SerialError::Settings { port, problem } => {
            format!("串口 {port} 无法设置：{}", serial_problem(problem))
        }
        SerialError::Closed { port } => format!("串口 {port} 已关闭 —— 请重新打开"),
        SerialError::Lost { port, reason } => format!(
            "串口 {port} 在打开时被关闭 —— 设备被拔出，或虚拟串口的另一端已关闭（{reason}）；请插好后重新打开"
        ),
        SerialError::Lines { port, reason } => format!(
            "无法设置串口 {port} 的 DTR/RTS：{reason} —— 虚拟串口和部分转换器没有这些信号线"
        ),
        SerialError::Failed { port, reason } => format!("串口 {port} 出错：{reason}"),
        SerialError::NotSerial => "DTR 和 RTS 是串口的信号线 —— 这个会话不是串口".to_owned(),
    }
}

/// What is wrong with a serial port's settings, in Chinese.
fn serial_problem(problem: &SerialProblem) -> String {
    match problem {
        SerialProblem::NoPort => {
            "没有指定串口 —— 请从列表中选择，或输入它的路径，如 /dev/ttyUSB0 或 COM3".to_owned()
        }
        SerialProblem::Baud(baud) => format!(
            "波特率 {baud} 超出范围 —— 请填 1 到 {} 之间的数，如 9600 或 115200",
            crate::engine::MAX_BAUD
        ),
        SerialProblem::DataBits(bits) => format!("数据位不能是 {bits} —— 请选 5、6、7 或 8"),
        SerialProblem::StopBits(bits) => format!("停止位不能是 {bits} —— 请选 1 或 2"),
        SerialProblem::Refused(reason) => {
            format!("串口不接受这些设置（{reason}）—— 请换一个波特率，或用默认的 9600 8N1")
        }
    }
}

pub(super) fn show_char(ch: char) -> String {
    if ch.is_control() || ch.is_whitespace() {
        format!("U+{:04X}", u32::from(ch))
    } else {
        format!("'{ch}' (U+{:04X})", u32::from(ch))
    }
}

/// A send-box, heartbeat or rule text that cannot become bytes, in Chinese.
pub(super) fn payload_error(err: &PayloadError) -> String {
    match err {
        PayloadError::Hex(HexError::InvalidChar { ch, line, column }) => {
            let at = line_column(*line, *column);
            format!(
                "十六进制无效：{at}的 {} 不是十六进制数字 — 请使用 0-9 和 A-F，可以用空格分隔",
                show_char(*ch)
            )
        }
        PayloadError::Hex(HexError::OddDigits { line, column }) => {
            let at = line_column(*line, *column);
            format!("十六进制无效：{at}的数字缺少配对 — 每个字节两位（写 0A，不要写 A）")
        }
        PayloadError::Escape(EscapeError::UnknownEscape { ch, position }) => format!(
            "第 {position} 个字符处的转义 '\\{ch}' 无效 — 请使用 \\r \\n \\t \\0 \\\\ 或 \\xNN（反斜杠本身写 \\\\）"
        ),
        PayloadError::Escape(EscapeError::TrailingBackslash { position }) => {
            format!("第 {position} 个字符处的反斜杠在末尾，没有转义任何字符 — 反斜杠本身写 \\\\")
        }
        PayloadError::Escape(EscapeError::BadHexEscape { found, position }) => format!(
            "第 {position} 个字符处的 '{found}' 不是字节转义 — \\x 后面需要两位十六进制数字，如 \\x0A"
        ),
        PayloadError::Encode(err) => format!(
            "第 {} 个字符 {} 无法用 {} 编码 — 请删除它，或选择 UTF-8 / GB18030",
            err.position,
            show_char(err.ch),
            err.encoding
        ),
    }
}

pub(super) fn line_column(line: usize, column: usize) -> String {
    if line > 1 {
        format!("第 {line} 行第 {column} 列")
    } else {
        format!("第 {column} 列")
    }
}

/// What netassist was doing when the system refused, in Chinese.
fn io_step(step: &IoStep) -> String {
    match step {
        IoStep::Open(addr) => format!("无法打开 {addr}"),
        IoStep::Connect(addr) => format!("无法连接 {addr}"),
        IoStep::Talk(peer) => format!("与 {peer} 通信时出错"),
        IoStep::CreatePoller => "无法创建网络事件轮询器".to_owned(),
        IoStep::StartThread => "无法启动收发线程".to_owned(),
        IoStep::WaitNetwork => "等待网络事件时出错".to_owned(),
        IoStep::CreateSocket { udp } => {
            format!("无法创建 {} 套接字", if *udp { "UDP" } else { "TCP" })
        }
        IoStep::NonBlocking => "无法把套接字设为非阻塞".to_owned(),
        IoStep::ReuseAddress => "无法设置地址重用 (SO_REUSEADDR)".to_owned(),
        IoStep::AllowBroadcast => "无法允许广播".to_owned(),
        IoStep::ReceiveBufferSize => "无法设置 UDP 接收缓冲区大小".to_owned(),
        IoStep::MulticastTtl => "无法设置组播 TTL".to_owned(),
        IoStep::MulticastLoopback => "无法设置组播回环".to_owned(),
        IoStep::MulticastGroup { join, group } => {
            format!("无法{}组播组 {group}", if *join { "加入" } else { "退出" })
        }
        IoStep::MulticastThrough(interface) => format!("无法通过 {interface} 发送组播"),
        IoStep::ReadLocalAddress => "无法读取本地地址".to_owned(),
        IoStep::ReadListeningAddress => "无法读取监听地址".to_owned(),
        IoStep::WatchUdpSocket => "无法监视 UDP 套接字".to_owned(),
        IoStep::WatchListener => "无法监视监听套接字".to_owned(),
        IoStep::WatchConnection(Some(peer)) => format!("无法监视来自 {peer} 的连接"),
        IoStep::WatchConnection(None) => "无法监视连接".to_owned(),
        IoStep::AcceptClient => "无法接受新的客户端".to_owned(),
        IoStep::ReceiveDatagram => "接收数据报时出错".to_owned(),
        IoStep::SendTo(addr) => format!("发送到 {addr} 时出错"),
        IoStep::ReadStdin => "无法读取标准输入".to_owned(),
        IoStep::WriteStdout => "无法写入标准输出".to_owned(),
    }
}

/// What the system said, in Chinese for the kinds a network tool or a file meets; any other
/// keeps the system's own words (they name what no table here could).
/// A TLS problem in Chinese; the words of rustls, rcgen or the PEM parser that follow some
/// of them are technical names kept as they are (in parentheses).
fn tls_problem(problem: &TlsProblem) -> String {
    match problem {
        TlsProblem::Unreadable { kind, text } => format!("无法读取（{}）", io_kind(*kind, text)),
        TlsProblem::NoPemBlock => "其中没有所需类型的 PEM 块".to_owned(),
        TlsProblem::NoCertificate => "其中没有 CERTIFICATE 块".to_owned(),
        TlsProblem::BadPem { detail } => format!("不是有效的 PEM 文件（{detail}）"),
        TlsProblem::NotCa { detail } => format!("其中有证书不能用作 CA（{detail}）"),
        TlsProblem::KeyMismatch { cert, detail } => format!(
            "私钥与 {} 中的证书不匹配（{detail}）",
            cert.display()
        ),
        TlsProblem::NotHostName { name } => format!("'{name}' 不是可用于 TLS 的主机名"),
        TlsProblem::NoSystemRoots => {
            "本系统没有受信任的根证书 —— 请安装 ca-certificates，或指定 CA 文件，或选择接受任何证书"
                .to_owned()
        }
        TlsProblem::SelfSigned { detail } => format!("无法生成自签名证书（{detail}）"),
        TlsProblem::WrongSide { server: true } => "TCP 服务器需要 TLS 服务器选项".to_owned(),
        TlsProblem::WrongSide { server: false } => "TCP 客户端需要 TLS 客户端选项".to_owned(),
        TlsProblem::NoAlpn => "双方没有共同的 ALPN 协议".to_owned(),
        TlsProblem::CaAsServerCert => {
            "对方的证书是 CA 证书（basicConstraints CA:TRUE），不能同时作为服务器自己的证书 —— 请用这个 CA 签发一张服务器证书，或对测试服务器选择接受任何证书"
                .to_owned()
        }
        TlsProblem::CertNotAccepted { detail } => format!("对方的证书不被接受（{detail}）"),
        TlsProblem::Other { detail } => format!("TLS 库报告：{detail}"),
    }
}

fn io_kind(kind: ErrorKind, reason: &str) -> String {
    let words = match kind {
        ErrorKind::PermissionDenied => "权限不足",
        ErrorKind::ConnectionRefused => "连接被拒绝",
        ErrorKind::ConnectionReset => "连接被对方重置",
        ErrorKind::ConnectionAborted => "连接被中止",
        ErrorKind::NotConnected => "未连接",
        ErrorKind::AddrInUse => "地址已被占用",
        ErrorKind::AddrNotAvailable => "地址不可用",
        ErrorKind::BrokenPipe => "连接已断开",
        ErrorKind::TimedOut => "超时",
        ErrorKind::InvalidInput => "参数无效",
        ErrorKind::Unsupported => "系统不支持",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::HostUnreachable => "主机不可达",
        ErrorKind::NetworkUnreachable => "网络不可达",
        ErrorKind::NetworkDown => "网络已断开",
        ErrorKind::NotFound => "找不到",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::Interrupted => "被中断",
        ErrorKind::QuotaExceeded => "超出配额",
        ErrorKind::FileTooLarge => "数据太大",
        ErrorKind::AlreadyExists => "已存在",
        ErrorKind::WouldBlock => "暂时无法完成",
        ErrorKind::InvalidData => "数据无效",
        ErrorKind::WriteZero => "无法写入",
        ErrorKind::UnexpectedEof => "数据意外结束",
        ErrorKind::IsADirectory => "这是一个文件夹",
        ErrorKind::NotADirectory => "不是文件夹",
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的",
        ErrorKind::ReadOnlyFilesystem => "文件系统只读",
        ErrorKind::ResourceBusy => "资源正忙",
        ErrorKind::InvalidFilename => "文件名无效",
        ErrorKind::NotSeekable => "无法定位",
        ErrorKind::StaleNetworkFileHandle => "网络文件已失效",
        // What no kind names (too many open files, …): the system's words; the sentence
        // around them already says it is a system error and at which step.
        _ => return reason.to_owned(),
    };
    words.to_owned()
}
