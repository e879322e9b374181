//! WebSocket notes and errors in English and Chinese (issue 15).

use crate::engine::{WsError, WsNote};

/// A payload of a control frame as shown.
fn payload(bytes: &[u8], empty: &str) -> String {
    if bytes.is_empty() {
        return empty.to_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.chars().any(char::is_control) => format!("“{text}”"),
        _ => bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// A WebSocket note in English (the record names the peer).
pub(super) fn note_en(note: &WsNote) -> String {
    match note {
        WsNote::Handshake {
            request, response, ..
        } => {
            let mut text = "WebSocket handshake done".to_owned();
            for line in request {
                text.push_str("\n> ");
                text.push_str(line);
            }
            for line in response {
                text.push_str("\n< ");
                text.push_str(line);
            }
            text
        }
        WsNote::Ping {
            payload: bytes,
            from_peer: true,
            answered,
            ..
        } => format!(
            "ping {} — {}",
            payload(bytes, "(empty)"),
            if *answered {
                "answered with a pong"
            } else {
                "not answered (auto-pong is off)"
            }
        ),
        WsNote::Ping { payload: bytes, .. } => format!("ping sent {}", payload(bytes, "(empty)")),
        WsNote::Pong {
            payload: bytes,
            from_peer,
            ..
        } => {
            if *from_peer {
                format!("pong {}", payload(bytes, "(empty)"))
            } else {
                format!("pong sent {}", payload(bytes, "(empty)"))
            }
        }
        WsNote::Close {
            code,
            reason,
            from_peer,
            ..
        } => {
            let code = code.map_or_else(|| "no code".to_owned(), |c| c.to_string());
            if *from_peer {
                format!("the peer closes the WebSocket: {code} “{reason}”")
            } else {
                format!("WebSocket close sent: {code} “{reason}”")
            }
        }
    }
}

/// A WebSocket note in Chinese.
pub(super) fn note_zh(note: &WsNote) -> String {
    match note {
        WsNote::Handshake {
            request, response, ..
        } => {
            let mut text = "WebSocket 握手完成".to_owned();
            for line in request {
                text.push_str("\n> ");
                text.push_str(line);
            }
            for line in response {
                text.push_str("\n< ");
                text.push_str(line);
            }
            text
        }
        WsNote::Ping {
            payload: bytes,
            from_peer: true,
            answered,
            ..
        } => format!(
            "收到 Ping {} —— {}",
            payload(bytes, "（空）"),
            if *answered {
                "已回复 Pong"
            } else {
                "未回复（自动回复 Pong 已关闭）"
            }
        ),
        WsNote::Ping { payload: bytes, .. } => format!("已发送 Ping {}", payload(bytes, "（空）")),
        WsNote::Pong {
            payload: bytes,
            from_peer,
            ..
        } => {
            if *from_peer {
                format!("收到 Pong {}", payload(bytes, "（空）"))
            } else {
                format!("已发送 Pong {}", payload(bytes, "（空）"))
            }
        }
        WsNote::Close {
            code,
            reason,
            from_peer,
            ..
        } => {
            let code = code.map_or_else(|| "无状态码".to_owned(), |c| c.to_string());
            if *from_peer {
                format!("对方关闭 WebSocket：{code}“{reason}”")
            } else {
                format!("已发送 WebSocket 关闭帧：{code}“{reason}”")
            }
        }
    }
}

/// A WebSocket error in Chinese.
pub(super) fn error_zh(err: &WsError) -> String {
    match err {
        WsError::Url { url, reason } => format!(
            "“{url}”不是 WebSocket 地址：{reason} —— 请写成 ws://主机:端口/路径 或 wss://主机:端口/路径"
        ),
        WsError::Header { header } => {
            format!("请求头“{header}”无效 —— 请写成 名称: 值（例如 Authorization: Bearer abc）")
        }
        WsError::Rejected {
            peer,
            status,
            phrase,
        } => format!(
            "{peer} 以 HTTP {status} {phrase} 回应了 WebSocket 握手 —— 请检查 URL 的路径（404 表示该路径下没有 WebSocket 服务）"
        ),
        WsError::NotWebSocket { peer, detail } => {
            format!("{peer} 不是 WebSocket 对端（{detail}）—— 端口对吗？是 ws:// 还是 wss://？")
        }
        WsError::WrongPath {
            peer,
            asked,
            served,
        } => format!(
            "{peer} 请求的路径是 {asked}，本服务器的路径是 {served}：已回复 404 —— 请连接 ws://…{served}"
        ),
        WsError::TooBig { peer, limit_mib } => format!(
            "{peer} 发来的 WebSocket 消息超过 {limit_mib} MiB —— 连接已关闭（请把大数据分成较小的消息）"
        ),
        WsError::Protocol { peer, reason } => {
            format!("{peer} 违反了 WebSocket 协议：{reason}")
        }
        WsError::ClosedInHandshake { peer } => {
            format!("{peer} 在 WebSocket 握手中关闭了连接 —— 它是 WebSocket 服务器吗？端口对吗？")
        }
        WsError::NoAnswer { peer, secs } => format!(
            "{secs} 秒内没有收到 {peer} 的 WebSocket 握手应答 —— 它是 WebSocket 服务器吗（ws:// 还是 wss://）？"
        ),
        WsError::Closing { peer } => format!(
            "与 {peer} 的 WebSocket 正在关闭（已发送或收到关闭帧）：不能再发送数据 —— 请重新打开后再发送"
        ),
        WsError::ClientLeftInHandshake { peer } => format!(
            "{peer} 连接后没有完成 WebSocket 握手就关闭了（端口探测、普通 TCP 客户端，或中途放弃的客户端）"
        ),
    }
}
