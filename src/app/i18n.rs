//! Every word the window shows, in English and 简体中文, switchable at run time.

use std::net::SocketAddr;

use super::room::OptionError;
use super::session::UiError;
use crate::codec::{EscapeError, HexError, PayloadError};
use crate::engine::{CloseReason, NetError};

pub use crate::lang::Lang;

impl Lang {
    /// This language's strings.
    pub fn t(self) -> &'static Texts {
        match self {
            Self::En => &EN,
            Self::Zh => &ZH,
        }
    }
}

/// The fixed strings of the UI.
#[allow(missing_docs)]
pub struct Texts {
    pub network_settings: &'static str,
    pub receive_settings: &'static str,
    pub send_settings: &'static str,
    pub protocol: &'static str,
    pub tcp_client: &'static str,
    pub tcp_server: &'static str,
    pub udp: &'static str,
    pub local_address: &'static str,
    pub local_address_tip: &'static str,
    pub local_port: &'static str,
    pub client_port_tip: &'static str,
    pub remote_host: &'static str,
    pub remote_port: &'static str,
    pub open: &'static str,
    pub close: &'static str,
    pub opening: &'static str,
    pub open_tip: &'static str,
    pub reachable_warning: &'static str,
    pub set_target: &'static str,
    pub set_target_tip: &'static str,
    pub reply_to_last: &'static str,
    pub reply_to_last_tip: &'static str,
    pub view_text: &'static str,
    pub view_hex: &'static str,
    pub view_both: &'static str,
    pub encoding: &'static str,
    pub encoding_tip: &'static str,
    pub log_mode: &'static str,
    pub log_mode_tip: &'static str,
    pub auto_wrap: &'static str,
    pub hide_received: &'static str,
    pub pause_display: &'static str,
    pub pause_tip: &'static str,
    pub auto_scroll: &'static str,
    pub auto_scroll_tip: &'static str,
    pub clear: &'static str,
    pub save_received: &'static str,
    pub save_path: &'static str,
    pub start_saving: &'static str,
    pub stop_saving: &'static str,
    pub saving_to: &'static str,
    pub browse: &'static str,
    pub browse_tip: &'static str,
    pub input_text: &'static str,
    pub input_hex: &'static str,
    pub escapes: &'static str,
    pub escapes_tip: &'static str,
    pub append: &'static str,
    pub eol_none: &'static str,
    pub checksum: &'static str,
    pub checksum_none: &'static str,
    pub cyclic: &'static str,
    pub cyclic_tip: &'static str,
    pub interval_ms: &'static str,
    pub count: &'static str,
    pub count_tip: &'static str,
    pub sends_made: &'static str,
    pub stop: &'static str,
    pub send: &'static str,
    pub send_tip: &'static str,
    pub send_box: &'static str,
    pub send_file: &'static str,
    pub file_path: &'static str,
    pub history: &'static str,
    pub history_empty: &'static str,
    pub quick_commands: &'static str,
    pub quick_name: &'static str,
    pub quick_payload: &'static str,
    pub add: &'static str,
    pub remove: &'static str,
    pub clients: &'static str,
    pub no_clients: &'static str,
    pub send_to: &'static str,
    pub all_clients: &'static str,
    pub kick: &'static str,
    pub kick_tip: &'static str,
    pub address: &'static str,
    pub since: &'static str,
    pub rx: &'static str,
    pub tx: &'static str,
    pub state_closed: &'static str,
    pub state_opening: &'static str,
    pub state_open: &'static str,
    pub state_listening: &'static str,
    pub local: &'static str,
    pub remote: &'static str,
    pub packets: &'static str,
    pub reset: &'static str,
    pub reset_tip: &'static str,
    pub dropped: &'static str,
    pub trimmed: &'static str,
    pub language: &'static str,
    pub dark: &'static str,
    pub light: &'static str,
    pub theme_tip: &'static str,
    pub zoom_tip: &'static str,
    pub drop_hint: &'static str,
    pub log_label: &'static str,
    pub refresh: &'static str,
    pub search_log: &'static str,
    pub search_tip: &'static str,
    pub pattern_text: &'static str,
    pub pattern_hex: &'static str,
    pub ignore_case: &'static str,
    pub filter_direction: &'static str,
    pub all_directions: &'static str,
    pub received: &'static str,
    pub sent: &'static str,
    pub filter_peer: &'static str,
    pub all_peers: &'static str,
    pub find_previous: &'static str,
    pub find_next: &'static str,
    pub matches: &'static str,
    pub no_matches: &'static str,
    pub searching: &'static str,
    pub copy: &'static str,
    pub copy_tip: &'static str,
    pub selected: &'static str,
    pub export_text: &'static str,
    pub export_csv: &'static str,
    pub export_tip: &'static str,
    pub export_path: &'static str,
    pub exported: &'static str,
    pub export_skipped: &'static str,
    pub throughput: &'static str,
    pub throughput_tip: &'static str,
    pub seconds_ago: &'static str,
    pub log_cap_mib: &'static str,
    pub log_cap_records: &'static str,
    pub log_cap_tip: &'static str,
    pub bad_cap: &'static str,
    // issue 10: log
    /// Placeholder of the search field in text mode.
    pub search_hint_text: &'static str,
    /// After a count of one match.
    pub one_match: &'static str,
    // issue 11: send queue
    pub send_queue_mib: &'static str,
    pub send_queue_stall: &'static str,
    pub send_queue_tip: &'static str,
    // issue 13: load
    /// Label of the cap on repaints that arriving data causes.
    pub data_fps: &'static str,
    pub data_fps_tip: &'static str,
    // issue 13: udp drops
    /// Status bar: datagrams the kernel dropped.
    pub kernel_dropped: &'static str,
    pub kernel_dropped_tip: &'static str,
    /// UDP settings: the receive buffer to ask for.
    pub recv_buffer_mib: &'static str,
    pub recv_buffer_tip: &'static str,
}

static EN: Texts = Texts {
    network_settings: "Network settings",
    receive_settings: "Receive settings",
    send_settings: "Send settings",
    protocol: "Protocol",
    tcp_client: "TCP Client",
    tcp_server: "TCP Server",
    udp: "UDP",
    local_address: "Local address",
    local_address_tip: "The address of this machine to listen or bind on. 0.0.0.0 and :: mean every address.",
    local_port: "Local port",
    client_port_tip: "Leave empty to let the system choose the client's port.",
    remote_host: "Remote host",
    remote_port: "Remote port",
    open: "Open",
    close: "Close",
    opening: "Opening…",
    open_tip: "Open or close the connection (never blocks the window).",
    reachable_warning: "Listening on every address: other machines on the network can connect to this server.",
    set_target: "Set target",
    set_target_tip: "Send to this host and port from now on.",
    reply_to_last: "Reply to last sender",
    reply_to_last_tip: "Send to whoever sent the last datagram instead of the remote host.",
    view_text: "Text view",
    view_hex: "Hex view",
    view_both: "Text + hex",
    encoding: "Encoding",
    encoding_tip: "How bytes are shown as text and how typed text is sent. Changing it re-renders the log.",
    log_mode: "Log mode (timestamps)",
    log_mode_tip: "Show the time of each record.",
    auto_wrap: "Auto wrap",
    hide_received: "Hide received data",
    pause_display: "Pause display",
    pause_tip: "Freeze the view; data is still received, counted and kept.",
    auto_scroll: "Auto scroll",
    auto_scroll_tip: "Follow new data; scrolling up stops it until you return to the bottom.",
    clear: "Clear",
    save_received: "Save received data to file",
    save_path: "Save file path",
    start_saving: "Save",
    stop_saving: "Stop saving",
    saving_to: "Saving to",
    browse: "…",
    browse_tip: "Choose a file (or type its path in the field).",
    input_text: "Text input",
    input_hex: "Hex input",
    escapes: "Parse escapes (\\r \\n \\t \\xNN)",
    escapes_tip: "Interpret backslash escapes in text input.",
    append: "Append",
    eol_none: "nothing",
    checksum: "Checksum",
    checksum_none: "none",
    cyclic: "Cyclic send",
    cyclic_tip: "Send repeatedly at the interval, the given number of times (empty: until stopped).",
    interval_ms: "Interval (ms)",
    count: "Count",
    count_tip: "How many sends in all; empty repeats until you press Stop.",
    sends_made: "Sent",
    stop: "Stop",
    send: "Send",
    send_tip: "Send (Ctrl+Enter)",
    send_box: "Data to send",
    send_file: "Send file",
    file_path: "File path",
    history: "History",
    history_empty: "Nothing sent yet.",
    quick_commands: "Quick commands",
    quick_name: "Name",
    quick_payload: "Payload",
    add: "Add",
    remove: "Remove",
    clients: "Clients",
    no_clients: "No client connected.",
    send_to: "Send to",
    all_clients: "All clients",
    kick: "Disconnect",
    kick_tip: "Disconnect the selected client.",
    address: "Address",
    since: "Since",
    rx: "RX",
    tx: "TX",
    state_closed: "Closed",
    state_opening: "Opening",
    state_open: "Open",
    state_listening: "Listening",
    local: "Local",
    remote: "Remote",
    packets: "pkts",
    reset: "Reset counters",
    reset_tip: "Set the byte and packet counters to zero.",
    dropped: "Dropped datagrams",
    trimmed: "older records trimmed",
    language: "Language",
    dark: "Dark",
    light: "Light",
    theme_tip: "Light or dark theme.",
    zoom_tip: "Zoom with Ctrl + / Ctrl − / Ctrl 0.",
    drop_hint: "Drop a file to send it",
    log_label: "Log",
    refresh: "Refresh",
    search_log: "Search log",
    search_tip: "Find text (in the chosen encoding) or hex bytes in the log. Enter: next match, Shift+Enter: previous.",
    pattern_text: "Text",
    pattern_hex: "Hex",
    ignore_case: "Aa",
    filter_direction: "Direction",
    all_directions: "All directions",
    received: "Received",
    sent: "Sent",
    filter_peer: "Peer",
    all_peers: "All peers",
    find_previous: "Previous match",
    find_next: "Next match",
    matches: "matches",
    no_matches: "no match",
    searching: "searching…",
    copy: "Copy",
    copy_tip: "Copy the selected records as shown (click a line to select, Shift+click to extend).",
    selected: "selected",
    export_text: "Export text",
    export_csv: "Export CSV",
    export_tip: "Write the log to a file: text as displayed (with the data's own line breaks, not the view's wraps), or CSV (time, direction, peer, length, hex, text). Leave the path empty to choose a file.",
    export_path: "Export path",
    exported: "Exported",
    export_skipped: "trimmed before they were written",
    throughput: "Throughput",
    throughput_tip: "Plot RX and TX bytes per second over the last 60 s.",
    seconds_ago: "seconds ago",
    log_cap_mib: "Log memory (MiB)",
    log_cap_records: "Max records",
    log_cap_tip: "The log keeps at most this much; older records are trimmed (counters and saved files still get every byte).",
    bad_cap: "must be a whole number above 0",
    // issue 10: log
    search_hint_text: "text",
    one_match: "match",
    // issue 11: send queue
    send_queue_mib: "Send queue (MiB)",
    send_queue_stall: "Drop a client that reads nothing for (s)",
    send_queue_tip: "At most this much may wait for one peer (applies when the session opens). Over it, relay, echo, cyclic and file sends wait for the peer to read (nothing is lost); a server disconnects a client that takes nothing for the given seconds.",
    // issue 13: load
    data_fps: "Data fps",
    data_fps_tip: "Arriving data redraws the window at most this many times a second (less CPU under a flood); typing, clicks and animations are drawn at once.",
    // issue 13: udp drops
    kernel_dropped: "Dropped by the system",
    kernel_dropped_tip: "Datagrams the operating system dropped because the socket's receive buffer was full (netassist could not read them in time). A larger receive buffer (UDP settings) absorbs longer bursts.",
    recv_buffer_mib: "Receive buffer (MiB)",
    recv_buffer_tip: "How much the system may hold for this socket while netassist is busy (applies when the session opens; 0: the system's default). The log says what the system granted.",
};

static ZH: Texts = Texts {
    network_settings: "网络设置",
    receive_settings: "接收设置",
    send_settings: "发送设置",
    protocol: "协议类型",
    tcp_client: "TCP 客户端",
    tcp_server: "TCP 服务器",
    udp: "UDP",
    local_address: "本地主机地址",
    local_address_tip: "本机用于监听或绑定的地址。0.0.0.0 和 :: 表示所有地址。",
    local_port: "本地端口",
    client_port_tip: "留空则由系统选择客户端端口。",
    remote_host: "远程主机地址",
    remote_port: "远程端口",
    open: "打开",
    close: "关闭",
    opening: "正在打开…",
    open_tip: "打开或关闭连接（不会卡住窗口）。",
    reachable_warning: "正在监听所有地址：网络上的其他机器都可以连接到这个服务器。",
    set_target: "设置目标",
    set_target_tip: "以后发送到这个主机和端口。",
    reply_to_last: "回复最后发送者",
    reply_to_last_tip: "发送给最后一个发来数据报的一方，而不是远程主机。",
    view_text: "文本显示",
    view_hex: "十六进制显示",
    view_both: "文本+十六进制",
    encoding: "编码",
    encoding_tip: "字节如何显示为文字、输入的文字如何发送。切换后日志重新显示。",
    log_mode: "按日志模式显示",
    log_mode_tip: "每条记录显示时间。",
    auto_wrap: "自动换行",
    hide_received: "隐藏接收数据",
    pause_display: "暂停显示",
    pause_tip: "冻结显示；数据仍然接收、计数并保留。",
    auto_scroll: "自动滚动",
    auto_scroll_tip: "跟随新数据；向上滚动时暂停，回到底部后继续。",
    clear: "清除",
    save_received: "接收数据保存到文件",
    save_path: "保存文件路径",
    start_saving: "保存",
    stop_saving: "停止保存",
    saving_to: "正在保存到",
    browse: "…",
    browse_tip: "选择文件（也可以在输入框中输入路径）。",
    input_text: "文本发送",
    input_hex: "十六进制发送",
    escapes: "解析转义符 (\\r \\n \\t \\xNN)",
    escapes_tip: "解析文本中的反斜杠转义。",
    append: "自动追加",
    eol_none: "无",
    checksum: "校验",
    checksum_none: "无",
    cyclic: "循环发送",
    cyclic_tip: "按间隔重复发送，发送指定次数（留空：直到停止）。",
    interval_ms: "间隔 (毫秒)",
    count: "次数",
    count_tip: "总共发送几次；留空则一直发送直到按停止。",
    sends_made: "已发送",
    stop: "停止",
    send: "发送",
    send_tip: "发送 (Ctrl+Enter)",
    send_box: "发送数据",
    send_file: "发送文件",
    file_path: "文件路径",
    history: "历史记录",
    history_empty: "还没有发送过。",
    quick_commands: "快捷指令",
    quick_name: "名称",
    quick_payload: "内容",
    add: "添加",
    remove: "删除",
    clients: "客户端列表",
    no_clients: "没有客户端连接。",
    send_to: "发送给",
    all_clients: "所有客户端",
    kick: "断开",
    kick_tip: "断开选中的客户端。",
    address: "地址",
    since: "连接时间",
    rx: "接收",
    tx: "发送",
    state_closed: "已关闭",
    state_opening: "正在打开",
    state_open: "已打开",
    state_listening: "正在监听",
    local: "本地",
    remote: "远程",
    packets: "包",
    reset: "计数清零",
    reset_tip: "把字节和包计数清零。",
    dropped: "丢弃的数据报",
    trimmed: "条旧记录已移除",
    language: "语言",
    dark: "深色",
    light: "浅色",
    theme_tip: "浅色或深色主题。",
    zoom_tip: "用 Ctrl + / Ctrl − / Ctrl 0 缩放。",
    drop_hint: "拖放文件即可发送",
    log_label: "数据日志",
    refresh: "刷新",
    search_log: "搜索日志",
    search_tip: "在日志中查找文本（按所选编码）或十六进制字节。回车：下一个，Shift+回车：上一个。",
    pattern_text: "文本",
    pattern_hex: "十六进制",
    ignore_case: "Aa",
    filter_direction: "方向",
    all_directions: "全部方向",
    received: "接收",
    sent: "发送",
    filter_peer: "对方",
    all_peers: "全部对方",
    find_previous: "上一个匹配",
    find_next: "下一个匹配",
    matches: "个匹配",
    no_matches: "没有匹配",
    searching: "正在搜索…",
    copy: "复制",
    copy_tip: "按显示的样子复制选中的记录（单击一行选中，Shift+单击扩展）。",
    selected: "已选中",
    export_text: "导出文本",
    export_csv: "导出 CSV",
    export_tip: "把日志写入文件：按显示的文本（保留数据本身的换行，不含视图的自动换行），或 CSV（时间、方向、对方、长度、十六进制、文本）。路径留空则选择文件。",
    export_path: "导出路径",
    exported: "已导出",
    export_skipped: "在写入前已被移除",
    throughput: "吞吐量",
    throughput_tip: "绘制最近 60 秒每秒接收和发送的字节数。",
    seconds_ago: "秒前",
    log_cap_mib: "日志内存 (MiB)",
    log_cap_records: "最多记录数",
    log_cap_tip: "日志最多保留这么多；更早的记录会被移除（计数和保存的文件仍然得到每个字节）。",
    bad_cap: "必须是大于 0 的整数",
    // issue 10: log
    search_hint_text: "文本",
    one_match: "个匹配",
    // issue 11: send queue
    send_queue_mib: "发送队列 (MiB)",
    send_queue_stall: "客户端不读取多久后断开 (秒)",
    send_queue_tip: "每个对端最多排队这么多数据（打开会话时生效）。超过后，转发、回显、循环发送和文件发送会等待对端读取（不丢数据）；服务器会断开在给定秒数内一个字节都不读取的客户端。",
    // issue 13: load
    data_fps: "数据刷新率",
    data_fps_tip: "收到数据时每秒最多重绘窗口这么多次（大流量下更省 CPU）；输入、点击和动画立即绘制。",
    // issue 13: udp drops
    kernel_dropped: "系统丢弃",
    kernel_dropped_tip: "套接字的接收缓冲区已满，操作系统丢弃的数据报（netassist 没来得及读取）。更大的接收缓冲区（UDP 设置）能承受更长的突发。",
    recv_buffer_mib: "接收缓冲区 (MiB)",
    recv_buffer_tip: "netassist 忙时系统最多为这个套接字保存多少数据（打开会话时生效；0：系统默认值）。日志会显示系统实际给出的大小。",
};

/// Notes the window writes into the log.
#[derive(Debug, Clone)]
pub enum Info {
    /// A server listens.
    Listening(SocketAddr),
    /// A client connected (local, remote).
    Connected(SocketAddr, Option<SocketAddr>),
    /// A UDP socket is bound.
    Bound(SocketAddr),
    /// A peer connected.
    PeerConnected,
    /// A peer left.
    PeerClosed(CloseReason),
    /// The engine reported an error.
    Error(NetError),
    /// The user closed the session.
    Closed,
    /// A multicast group was joined (true) or left.
    Multicast(std::net::IpAddr, bool),
    /// Framing view: the JSON header of the message that follows.
    FrameHeader(String),
    /// Framing view: a peer left in the middle of a message of this many bytes.
    FrameIncomplete(usize),
    /// Framing view: the stream does not fit the framing; its bytes are shown raw from here on
    /// (the codec's error and the likely fix).
    FrameGaveUp(crate::codec::GaveUp),
    /// A file is being sent: its name and size (its bytes are counted, not logged).
    FileSending(String, u64),
    /// A file was sent whole: its name and the bytes sent.
    FileSent(String, u64),
    // issue 13: udp drops
    /// The kernel started dropping datagrams (its count so far).
    KernelDrops(u64),
    /// The UDP receive buffer: asked for (`None`: the system's default) and granted.
    ReceiveBuffer(Option<usize>, usize),
}

impl crate::log::record::Note for Info {
    fn text(&self, lang: Lang) -> String {
        info_text(lang, self)
    }
}

/// The text of a note in `lang`.
pub fn info_text(lang: Lang, info: &Info) -> String {
    match (lang, info) {
        (Lang::En, Info::Listening(addr)) => format!("listening on {addr}"),
        (Lang::Zh, Info::Listening(addr)) => format!("正在监听 {addr}"),
        (Lang::En, Info::Connected(local, remote)) => match remote {
            Some(remote) => format!("connected to {remote} from {local}"),
            None => format!("connected from {local}"),
        },
        (Lang::Zh, Info::Connected(local, remote)) => match remote {
            Some(remote) => format!("已连接到 {remote}（本地 {local}）"),
            None => format!("已连接（本地 {local}）"),
        },
        (Lang::En, Info::Bound(addr)) => format!("UDP bound to {addr}"),
        (Lang::Zh, Info::Bound(addr)) => format!("UDP 已绑定 {addr}"),
        (Lang::En, Info::PeerConnected) => "connected".to_owned(),
        (Lang::Zh, Info::PeerConnected) => "已连接".to_owned(),
        // This reason already ends in "— disconnected".
        (Lang::En, Info::PeerClosed(reason @ CloseReason::StoppedReading { .. })) => {
            reason.to_string()
        }
        (Lang::Zh, Info::PeerClosed(reason @ CloseReason::StoppedReading { .. })) => {
            close_reason_zh(reason)
        }
        (Lang::En, Info::PeerClosed(reason)) => format!("disconnected: {reason}"),
        (Lang::Zh, Info::PeerClosed(reason)) => format!("已断开：{}", close_reason_zh(reason)),
        (_, Info::Error(err)) => net_error_text(lang, err),
        (Lang::En, Info::Closed) => "closed".to_owned(),
        (Lang::Zh, Info::Closed) => "已关闭".to_owned(),
        (Lang::En, Info::Multicast(group, true)) => format!("joined multicast group {group}"),
        (Lang::En, Info::Multicast(group, false)) => format!("left multicast group {group}"),
        (Lang::Zh, Info::Multicast(group, true)) => format!("已加入组播组 {group}"),
        (Lang::Zh, Info::Multicast(group, false)) => format!("已退出组播组 {group}"),
        (Lang::En, Info::FrameHeader(header)) => format!("header {header}"),
        (Lang::Zh, Info::FrameHeader(header)) => format!("消息头 {header}"),
        (Lang::En, Info::FrameIncomplete(len)) => {
            format!("the peer left in the middle of a message ({len} bytes above)")
        }
        (Lang::Zh, Info::FrameIncomplete(len)) => {
            format!("对方在消息中途离开（上面 {len} 字节不完整）")
        }
        (Lang::En, Info::FrameGaveUp(gave_up)) => gave_up.to_string(),
        (Lang::Zh, Info::FrameGaveUp(gave_up)) => {
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
                        "按{order}读取，长度前缀是 {} —— 要切换字节序吗？（{}）",
                        other.len, other.framing
                    )
                })
                .unwrap_or_default();
            format!(
                "无法分包：{}。{fix}在更改分包方式或对方重新连接之前，数据按原样显示。",
                frame_error_zh(&gave_up.error)
            )
        }
        (Lang::En, Info::FileSending(name, size)) => {
            format!("sending file {name} ({size} bytes)…")
        }
        (Lang::Zh, Info::FileSending(name, size)) => format!("正在发送文件 {name}（{size} 字节）…"),
        (Lang::En, Info::FileSent(name, size)) => {
            format!("sent file {name} ({size} bytes, 100 %)")
        }
        (Lang::Zh, Info::FileSent(name, size)) => {
            format!("已发送文件 {name}（{size} 字节，100 %）")
        }
        // issue 13: udp drops
        (_, Info::KernelDrops(total)) => kernel_drops_text(lang, *total),
        (_, Info::ReceiveBuffer(asked, granted)) => receive_buffer_text(lang, *asked, *granted),
    }
}

/// A framing error in Chinese (the codec words it in English).
fn frame_error_zh(err: &crate::codec::FrameError) -> String {
    use crate::codec::FrameError as E;
    use crate::engine::human_size;
    match err {
        E::TooLarge { len, max } => format!(
            "长度前缀声称 {len} 字节，超过 {} 的上限 —— 字节序（大端/小端）和前缀宽度对吗",
            human_size(*max)
        ),
        E::LengthBelowHeader { len, width } => format!(
            "长度前缀说连同 {width} 字节前缀共 {len} 字节，比前缀本身还短 —— 长度真的包含前缀吗（incl）"
        ),
        E::NoDelimiter { len, max } => format!(
            "收到 {len} 字节仍没有分隔符，超过 {} 的上限 —— 分隔符对吗（\\n 还是 \\r\\n），或者对方发的是二进制数据",
            human_size(*max)
        ),
        E::BodyTooLarge { len, max } => format!(
            "JSON 头声称 data_size 为 {len} 字节，超过 {} 的上限",
            human_size(*max)
        ),
        E::BadJsonHeader { reason } => {
            format!("JSON 头有误：{reason} —— 应当类似 {{\"data_size\": 5}}")
        }
        other => other.to_string(),
    }
}

fn close_reason_zh(reason: &CloseReason) -> String {
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
            crate::engine::human_size(*queued),
            crate::engine::human_secs(*waited)
        ),
        CloseReason::Error(err) => net_error_text(Lang::Zh, err),
    }
}

/// An engine error as a sentence in `lang`. English uses the engine's own sentences.
pub fn net_error_text(lang: Lang, err: &NetError) -> String {
    if lang == Lang::En {
        return err.to_string();
    }
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
        NetError::Io { .. } => format!("系统错误：{err}"),
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
    }
}

fn show_char(ch: char) -> String {
    if ch.is_control() || ch.is_whitespace() {
        format!("U+{:04X}", u32::from(ch))
    } else {
        format!("'{ch}' (U+{:04X})", u32::from(ch))
    }
}

fn payload_error_zh(err: &PayloadError) -> String {
    match err {
        PayloadError::Hex(HexError::InvalidChar { ch, line, column }) => {
            let at = line_column_zh(*line, *column);
            format!(
                "十六进制无效：{at}的 {} 不是十六进制数字 — 请使用 0-9 和 A-F，可以用空格分隔",
                show_char(*ch)
            )
        }
        PayloadError::Hex(HexError::OddDigits { line, column }) => {
            let at = line_column_zh(*line, *column);
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

fn line_column_zh(line: usize, column: usize) -> String {
    if line > 1 {
        format!("第 {line} 行第 {column} 列")
    } else {
        format!("第 {column} 列")
    }
}

/// An error as a sentence in `lang`.
pub fn error_text(lang: Lang, err: &UiError) -> String {
    match (lang, err) {
        (_, UiError::Net(err)) => net_error_text(lang, err),
        (Lang::En, UiError::Payload(err)) => err.to_string(),
        (Lang::Zh, UiError::Payload(err)) => payload_error_zh(err),
        (Lang::En, UiError::EmptyPort) => {
            "the port is empty — enter a number from 0 to 65535".to_owned()
        }
        (Lang::Zh, UiError::EmptyPort) => "端口为空 — 请输入 0 到 65535 之间的数字".to_owned(),
        (Lang::En, UiError::BadPort(text)) => {
            format!("the port '{text}' must be a number from 0 to 65535")
        }
        (Lang::Zh, UiError::BadPort(text)) => format!("端口 '{text}' 必须是 0 到 65535 之间的数字"),
        (Lang::En, UiError::BadLocalIp(text)) => {
            format!("'{text}' is not an IP address — choose one from the list")
        }
        (Lang::Zh, UiError::BadLocalIp(text)) => format!("'{text}' 不是 IP 地址 — 请从列表中选择"),
        (Lang::En, UiError::EmptyHost) => {
            "the remote host is empty — enter an IP address or a host name".to_owned()
        }
        (Lang::Zh, UiError::EmptyHost) => "远程主机为空 — 请输入 IP 地址或主机名".to_owned(),
        (Lang::En, UiError::EmptyPayload) => "nothing to send — type some data first".to_owned(),
        (Lang::Zh, UiError::EmptyPayload) => "没有要发送的内容 — 请先输入数据".to_owned(),
        (Lang::En, UiError::NotOpen) => "not open — press Open first".to_owned(),
        (Lang::Zh, UiError::NotOpen) => "尚未打开 — 请先按“打开”".to_owned(),
        (Lang::En, UiError::BadInterval(text)) => {
            format!("the interval '{text}' must be a whole number of milliseconds above 0")
        }
        (Lang::Zh, UiError::BadInterval(text)) => format!("间隔 '{text}' 必须是大于 0 的整数毫秒"),
        (Lang::En, UiError::PeerNotReading(queued)) => {
            format!(
                "waiting for the peer to read ({} KiB queued)",
                queued / 1024
            )
        }
        (Lang::Zh, UiError::PeerNotReading(queued)) => {
            format!("等待对端读取（已排队 {} KiB）", queued / 1024)
        }
        (Lang::En, UiError::BadCount(text)) => {
            format!(
                "the count '{text}' must be a whole number above 0, or empty to repeat until stopped"
            )
        }
        (Lang::Zh, UiError::BadCount(text)) => {
            format!("次数 '{text}' 必须是大于 0 的整数，留空则一直发送直到停止")
        }
        (Lang::En, UiError::NoFile) => "no file chosen — type a path or press …".to_owned(),
        (Lang::Zh, UiError::NoFile) => "没有选择文件 — 请输入路径或按 …".to_owned(),
        (_, UiError::Option(err)) => option_error_text(lang, err),
    }
}

/// An option error as a sentence in `lang`.
pub fn option_error_text(lang: Lang, err: &OptionError) -> String {
    match (lang, err) {
        (Lang::En, OptionError::BadTimeout(text)) => {
            format!(
                "the silence limit '{text}' must be a number of seconds above 0, e.g. 10 or 0.5"
            )
        }
        (Lang::Zh, OptionError::BadTimeout(text)) => {
            format!("静默时间 '{text}' 必须是大于 0 的秒数，例如 10 或 0.5")
        }
        (Lang::En, OptionError::BadHeartbeatInterval(text)) => format!(
            "the heartbeat interval '{text}' must be a whole number of milliseconds above 0"
        ),
        (Lang::Zh, OptionError::BadHeartbeatInterval(text)) => {
            format!("心跳间隔 '{text}' 必须是大于 0 的整数毫秒")
        }
        (Lang::En, OptionError::BadHeartbeatPayload(reason)) if reason.is_empty() => {
            "the heartbeat payload is empty — type what to send".to_owned()
        }
        (Lang::Zh, OptionError::BadHeartbeatPayload(reason)) if reason.is_empty() => {
            "心跳内容为空 — 请输入要发送的内容".to_owned()
        }
        (Lang::En, OptionError::BadHeartbeatPayload(reason)) => {
            format!("the heartbeat payload is wrong: {reason}")
        }
        (Lang::Zh, OptionError::BadHeartbeatPayload(reason)) => format!("心跳内容有误：{reason}"),
        (Lang::En, OptionError::EmptyQuitLine) => {
            "the leave line is empty — type e.g. /quit or bye".to_owned()
        }
        (Lang::Zh, OptionError::EmptyQuitLine) => {
            "退出命令为空 — 请输入例如 /quit 或 bye".to_owned()
        }
        (Lang::En, OptionError::BadRule(index, reason)) => format!("rule {index}: {reason}"),
        (Lang::Zh, OptionError::BadRule(index, reason)) => format!("第 {index} 条规则：{reason}"),
        (Lang::En, OptionError::BadGroup(text)) => format!(
            "'{text}' is not a group address — use 224.0.0.0/4 (e.g. 239.255.0.1) or ff00::/8 (e.g. ff02::1)"
        ),
        (Lang::Zh, OptionError::BadGroup(text)) => format!(
            "'{text}' 不是组播地址 — 请使用 224.0.0.0/4（如 239.255.0.1）或 ff00::/8（如 ff02::1）"
        ),
        (Lang::En, OptionError::BadInterface(text)) => format!(
            "the interface '{text}' must be an IPv4 address of this machine or an IPv6 interface number"
        ),
        (Lang::Zh, OptionError::BadInterface(text)) => {
            format!("接口 '{text}' 必须是本机的 IPv4 地址或 IPv6 接口序号")
        }
        (Lang::En, OptionError::BadTtl(text)) => {
            format!("the TTL '{text}' must be a whole number from 0 to 255")
        }
        (Lang::Zh, OptionError::BadTtl(text)) => format!("TTL '{text}' 必须是 0 到 255 之间的整数"),
    }
}

impl Lang {
    /// The strings of sessions, split view, presets, room options, framing and multicast.
    pub fn s(self) -> &'static SessionTexts {
        match self {
            Self::En => &SESSION_EN,
            Self::Zh => &SESSION_ZH,
        }
    }
}

/// The strings of sessions, split view, presets, room options, framing and multicast.
#[allow(missing_docs)]
pub struct SessionTexts {
    pub new_session: &'static str,
    pub new_session_tip: &'static str,
    pub rename: &'static str,
    pub duplicate: &'static str,
    pub close_session: &'static str,
    pub session_name: &'static str,
    pub session_menu_tip: &'static str,
    pub split_view: &'static str,
    pub split_tip: &'static str,
    pub panes: &'static str,
    pub side_panels: &'static str,
    pub side_panels_tip: &'static str,
    pub pane_session: &'static str,
    pub presets: &'static str,
    pub presets_tip: &'static str,
    pub preset_tcp_room: &'static str,
    pub preset_udp_room: &'static str,
    pub preset_tftp: &'static str,
    pub preset_echo: &'static str,
    pub room_server: &'static str,
    pub client: &'static str,
    pub room: &'static str,
    pub echo: &'static str,
    pub echo_tip: &'static str,
    pub relay: &'static str,
    pub relay_tip: &'static str,
    pub relay_to_sender: &'static str,
    pub relay_prefix: &'static str,
    pub quit_on: &'static str,
    pub quit_tip: &'static str,
    pub timeout_on: &'static str,
    pub timeout_tip: &'static str,
    pub peers: &'static str,
    pub last_heard: &'static str,
    pub forget: &'static str,
    pub heartbeat: &'static str,
    pub heartbeat_on: &'static str,
    pub heartbeat_payload: &'static str,
    pub heartbeat_tip: &'static str,
    pub hex: &'static str,
    pub hide_heartbeat: &'static str,
    pub auto_reply: &'static str,
    pub auto_reply_tip: &'static str,
    pub rule_on: &'static str,
    pub rule_contains: &'static str,
    pub rule_hex_equals: &'static str,
    pub rule_regex: &'static str,
    pub rule_reply_text: &'static str,
    pub rule_reply_hex: &'static str,
    pub rule_echo: &'static str,
    pub rule_disconnect: &'static str,
    pub rule_pattern: &'static str,
    pub rule_reply: &'static str,
    pub add_rule: &'static str,
    pub no_rules: &'static str,
    pub framing: &'static str,
    pub framing_tip: &'static str,
    pub framing_stream: &'static str,
    pub framing_per_read: &'static str,
    pub framing_lf: &'static str,
    pub framing_crlf: &'static str,
    pub framing_delim: &'static str,
    pub framing_fixed: &'static str,
    pub framing_len: &'static str,
    pub framing_json: &'static str,
    pub framing_bytes: &'static str,
    pub framing_width: &'static str,
    pub big_endian: &'static str,
    pub little_endian: &'static str,
    pub counts_header: &'static str,
    pub framing_pending: &'static str,
    pub framing_error: &'static str,
    pub multicast: &'static str,
    pub broadcast: &'static str,
    pub broadcast_tip: &'static str,
    pub groups_at_open: &'static str,
    pub groups_tip: &'static str,
    pub interface: &'static str,
    pub interface_tip: &'static str,
    pub ttl: &'static str,
    pub mc_loopback: &'static str,
    pub group: &'static str,
    pub join: &'static str,
    pub leave: &'static str,
    pub joined: &'static str,
    pub broadcast_targets: &'static str,
    // issue 10: engine
    pub room_heartbeat: &'static str,
    pub room_heartbeat_tip: &'static str,
    pub framing_json_tip: &'static str,
    // issue 10: layout
    pub settings_panel: &'static str,
    pub panel_toggle_tip: &'static str,
    pub more: &'static str,
    pub more_tip: &'static str,
    pub row_target_tip: &'static str,
    pub udp_default_target: &'static str,
    pub first_heard: &'static str,
    pub no_peers: &'static str,
    pub pane_send_tip: &'static str,
    pub confirm_close_session: &'static str,
    pub confirm_close: &'static str,
    pub cancel: &'static str,
    pub confirm_quit: &'static str,
    pub quit: &'static str,
    pub sending_file: &'static str,
    // issue 10: rooms and file dialogs
    pub open_all: &'static str,
    pub open_all_tip: &'static str,
    pub join_students: &'static str,
    pub join_or: &'static str,
    pub join_no_lan: &'static str,
    pub join_port_unknown: &'static str,
    pub file_dialog_none: &'static str,
    pub file_dialog_open: &'static str,
    pub file_dialog_title: &'static str,
    // issue 10: split view
    pub pane_log_menu: &'static str,
    pub pane_log_menu_tip: &'static str,
}

static SESSION_EN: SessionTexts = SessionTexts {
    new_session: "New session",
    new_session_tip: "Add a session (a TCP server until you change it).",
    rename: "Rename",
    duplicate: "Duplicate",
    close_session: "Close session",
    session_name: "Session name",
    session_menu_tip: "Click to show; right-click to rename, duplicate or close.",
    split_view: "Split view",
    split_tip: "Show 2–4 sessions side by side, each with its log and send box.",
    panes: "Panes",
    side_panels: "Side panels",
    side_panels_tip: "Show the selected pane's settings and client list beside the panes (hidden, the panes get the whole width).",
    pane_session: "Shown session",
    presets: "Presets",
    presets_tip: "Set up a lesson's sessions in one click (they are added to the list).",
    preset_tcp_room: "TCP chat room",
    preset_udp_room: "UDP chat room with heartbeat",
    preset_tftp: "TFTP read request",
    preset_echo: "Echo server test",
    room_server: "Room server",
    client: "Client",
    room: "Chat room",
    echo: "Echo back",
    echo_tip: "Send everything received back to its sender.",
    relay: "Relay to all peers",
    relay_tip: "Forward every message from one peer to all the others.",
    relay_to_sender: "Also back to the sender",
    relay_prefix: "Prefix ip:port\\n",
    quit_on: "Disconnect on line",
    quit_tip: "A TCP client that sends this line (e.g. /quit, bye) is disconnected.",
    timeout_on: "Drop UDP peers silent for (s)",
    timeout_tip: "A UDP peer that sends nothing for this long leaves the room.",
    peers: "Peers",
    last_heard: "Last heard",
    forget: "Forget",
    heartbeat: "Heartbeat",
    heartbeat_on: "Send heartbeat",
    heartbeat_payload: "Heartbeat payload",
    heartbeat_tip: "Sent at the interval beside manual and cyclic sends; escapes like \\n work.",
    hex: "Hex",
    hide_heartbeat: "Hide heartbeat records",
    auto_reply: "Auto-reply rules",
    auto_reply_tip: "When received data matches, reply, echo it or disconnect the peer. The first matching rule wins.",
    rule_on: "On",
    rule_contains: "text contains",
    rule_hex_equals: "hex equals",
    rule_regex: "regex",
    rule_reply_text: "reply text",
    rule_reply_hex: "reply hex",
    rule_echo: "echo back",
    rule_disconnect: "disconnect",
    rule_pattern: "Pattern",
    rule_reply: "Reply",
    add_rule: "Add rule",
    no_rules: "No rule yet.",
    framing: "Framing view",
    framing_tip: "Show received data per read (where each recv ended) or reassembled into the sender's messages.",
    framing_stream: "Stream (as it flows)",
    framing_per_read: "Per read (each recv)",
    framing_lf: "Lines (\\n)",
    framing_crlf: "Lines (\\r\\n)",
    framing_delim: "Delimiter bytes",
    framing_fixed: "Fixed length",
    framing_len: "Length prefix",
    framing_json: "JSON header",
    framing_bytes: "Bytes",
    framing_width: "Prefix bytes",
    big_endian: "Big endian",
    little_endian: "Little endian",
    counts_header: "Length counts the prefix",
    framing_pending: "bytes wait for the rest of a message",
    framing_error: "Framing",
    multicast: "Broadcast & multicast",
    broadcast: "Allow broadcast",
    broadcast_tip: "Needed to send to 255.255.255.255 or a subnet broadcast address (applies at open).",
    groups_at_open: "Groups joined at open",
    groups_tip: "IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) groups, separated by commas.",
    interface: "Interface",
    interface_tip: "IPv4: this machine's address to join on (127.0.0.1 for loopback); IPv6: the interface number. Empty: the system's choice.",
    ttl: "TTL",
    mc_loopback: "Receive own multicast",
    group: "Group",
    join: "Join",
    leave: "Leave",
    joined: "Joined",
    broadcast_targets: "Send to broadcast",
    // issue 10: engine
    room_heartbeat: "Heartbeat, not relayed",
    room_heartbeat_tip: "A datagram equal to this (e.g. #ping#) keeps its sender in the room and is not relayed to the others, as the lesson's server does. It still counts as received; \"Hide heartbeat records\" hides it.",
    framing_json_tip: "A 4-byte header length, a JSON header with data_size, then the body. Default little endian: what the lesson's struct.pack(\"i\", …) writes on a PC. Big endian is struct.pack(\"!i\", …).",
    // issue 10: layout
    settings_panel: "Settings",
    panel_toggle_tip: "Show or hide this side panel. When the window is narrow (large zoom), one side panel is shown at a time.",
    more: "More",
    more_tip: "What does not fit on this row.",
    row_target_tip: "Click a row to send to it alone; click it again to send to all.",
    udp_default_target: "Remote address (or last sender)",
    first_heard: "First heard",
    no_peers: "No peer heard yet.",
    pane_send_tip: "Ctrl+Enter sends; Enter adds a line.",
    confirm_close_session: "Close this session? It is open or has a log; the log will be lost.",
    confirm_close: "Yes, close",
    cancel: "Cancel",
    confirm_quit: "Servers or connections are still open. Quit anyway?",
    quit: "Quit",
    sending_file: "Sending file",
    // issue 10: rooms and file dialogs
    open_all: "Open all",
    open_all_tip: "Open every closed session: servers first, then a preset room's clients connect to the port their server got.",
    join_students: "Students connect to",
    join_or: " or ",
    join_no_lan: "This machine has no network address besides loopback (127.0.0.1): only programs on this machine can join. Connect it to the classroom network (cable or Wi-Fi) first.",
    join_port_unknown: "Port 0: the system picks a free port when the server opens; students connect to that port.",
    file_dialog_none: "No file dialog could be opened (install zenity or kdialog): type the path in the field.",
    file_dialog_open: "A file dialog is open…",
    file_dialog_title: "netassist — choose a file",
    // issue 10: split view
    pane_log_menu: "Log…",
    pane_log_menu_tip: "Search, filters, copy and export of this pane's log",
};

static SESSION_ZH: SessionTexts = SessionTexts {
    new_session: "新建会话",
    new_session_tip: "添加一个会话（默认为 TCP 服务器，可以修改）。",
    rename: "重命名",
    duplicate: "复制会话",
    close_session: "关闭会话",
    session_name: "会话名称",
    session_menu_tip: "单击显示；右键可重命名、复制或关闭。",
    split_view: "分屏显示",
    split_tip: "并排显示 2–4 个会话，各有自己的日志和发送框。",
    panes: "窗格数",
    side_panels: "侧栏",
    side_panels_tip: "在窗格旁显示所选窗格的设置和客户端列表（隐藏时窗格占满宽度）。",
    pane_session: "显示的会话",
    presets: "预设",
    presets_tip: "一键建立课堂用的会话（添加到会话列表）。",
    preset_tcp_room: "TCP 聊天室",
    preset_udp_room: "UDP 聊天室（心跳）",
    preset_tftp: "TFTP 读请求",
    preset_echo: "回显服务器测试",
    room_server: "聊天室服务器",
    client: "客户端",
    room: "聊天室",
    echo: "回显",
    echo_tip: "把收到的数据原样发回给发送者。",
    relay: "转发给所有成员",
    relay_tip: "把一个成员发来的消息转发给其他所有成员。",
    relay_to_sender: "也发回给发送者",
    relay_prefix: "加上 ip:port\\n 前缀",
    quit_on: "收到此行时断开",
    quit_tip: "TCP 客户端发送这一行（如 /quit、bye）时断开它。",
    timeout_on: "UDP 成员静默超过（秒）则移除",
    timeout_tip: "UDP 成员这么久没有发送任何数据就离开聊天室。",
    peers: "成员",
    last_heard: "最后消息",
    forget: "移除",
    heartbeat: "心跳",
    heartbeat_on: "发送心跳",
    heartbeat_payload: "心跳内容",
    heartbeat_tip: "按间隔发送，与手动发送和循环发送同时进行；支持 \\n 等转义。",
    hex: "十六进制",
    hide_heartbeat: "隐藏心跳记录",
    auto_reply: "自动回复规则",
    auto_reply_tip: "收到的数据匹配时：回复、原样返回或断开对方。第一条匹配的规则生效。",
    rule_on: "启用",
    rule_contains: "文本包含",
    rule_hex_equals: "十六进制等于",
    rule_regex: "正则表达式",
    rule_reply_text: "回复文本",
    rule_reply_hex: "回复十六进制",
    rule_echo: "原样返回",
    rule_disconnect: "断开",
    rule_pattern: "匹配内容",
    rule_reply: "回复内容",
    add_rule: "添加规则",
    no_rules: "还没有规则。",
    framing: "分包显示",
    framing_tip: "按每次读取显示接收数据（看清每次 recv 在哪里结束），或重组成发送方的消息。",
    framing_stream: "连续流",
    framing_per_read: "每次读取（每次 recv）",
    framing_lf: "按行 (\\n)",
    framing_crlf: "按行 (\\r\\n)",
    framing_delim: "分隔字节",
    framing_fixed: "定长",
    framing_len: "长度前缀",
    framing_json: "JSON 头",
    framing_bytes: "字节数",
    framing_width: "前缀字节数",
    big_endian: "大端",
    little_endian: "小端",
    counts_header: "长度包含前缀",
    framing_pending: "字节等待消息的其余部分",
    framing_error: "分包",
    multicast: "广播与组播",
    broadcast: "允许广播",
    broadcast_tip: "发送到 255.255.255.255 或子网广播地址时需要（打开时生效）。",
    groups_at_open: "打开时加入的组",
    groups_tip: "IPv4（224.0.0.0/4）或 IPv6（ff00::/8）组播组，用逗号分隔。",
    interface: "接口",
    interface_tip: "IPv4：用于加入的本机地址（回环用 127.0.0.1）；IPv6：接口序号。留空：由系统选择。",
    ttl: "TTL",
    mc_loopback: "接收本机发出的组播",
    group: "组播组",
    join: "加入",
    leave: "退出",
    joined: "已加入",
    broadcast_targets: "发送到广播地址",
    // issue 10: engine
    room_heartbeat: "心跳包（不转发）",
    room_heartbeat_tip: "与此相同的数据报（如 #ping#）只表示发送方还在聊天室，不转发给其他人，和课上的服务器一样。它仍计入接收；勾选“隐藏心跳记录”可隐藏它。",
    framing_json_tip: "4 字节的头长度、含 data_size 的 JSON 头，然后是正文。默认小端：课上的 struct.pack(\"i\", …) 在 PC 上写出的就是小端。大端是 struct.pack(\"!i\", …)。",
    // issue 10: layout
    settings_panel: "设置",
    panel_toggle_tip: "显示或隐藏此侧边栏。窗口较窄（放大较多）时，一次只显示一个侧边栏。",
    more: "更多",
    more_tip: "这一行放不下的内容。",
    row_target_tip: "单击一行只发送给它；再次单击则发送给全部。",
    udp_default_target: "远程地址（或最后发送方）",
    first_heard: "首次收到",
    no_peers: "尚未收到任何对方的数据。",
    pane_send_tip: "Ctrl+Enter 发送；Enter 换行。",
    confirm_close_session: "关闭此会话？它处于打开状态或有日志，日志将丢失。",
    confirm_close: "确定关闭",
    cancel: "取消",
    confirm_quit: "仍有服务器或连接处于打开状态。仍要退出吗？",
    quit: "退出",
    sending_file: "正在发送文件",
    // issue 10: rooms and file dialogs
    open_all: "全部打开",
    open_all_tip: "打开所有已关闭的会话：先打开服务器，预设聊天室的客户端再连接到服务器实际使用的端口。",
    join_students: "学生连接到",
    join_or: " 或 ",
    join_no_lan: "本机除回环地址（127.0.0.1）外没有网络地址：只有本机上的程序能加入。请先把本机连到课堂网络（网线或 Wi-Fi）。",
    join_port_unknown: "端口 0：服务器打开时由系统选择空闲端口，学生连接到该端口。",
    file_dialog_none: "无法打开文件对话框（请安装 zenity 或 kdialog）：请在输入框中直接输入路径。",
    file_dialog_open: "文件对话框已打开……",
    file_dialog_title: "netassist — 选择文件",
    // issue 10: split view
    pane_log_menu: "日志…",
    pane_log_menu_tip: "本窗格日志的搜索、筛选、复制和导出",
};

// issue 13: udp drops
/// The log note when the kernel starts dropping datagrams.
fn kernel_drops_text(lang: Lang, total: u64) -> String {
    match lang {
        Lang::En => format!(
            "the system dropped {total} datagrams: the receive buffer was full (a larger receive buffer absorbs longer bursts)"
        ),
        Lang::Zh => format!(
            "系统丢弃了 {total} 个数据报：接收缓冲区已满（更大的接收缓冲区能承受更长的突发）"
        ),
    }
}

/// The log note that says which receive buffer the system granted, and how to get more when
/// it granted less than asked.
fn receive_buffer_text(lang: Lang, asked: Option<usize>, granted: usize) -> String {
    use crate::engine::human_size;
    let granted_text = human_size(granted);
    match (lang, asked) {
        (Lang::En, None) => format!("receive buffer {granted_text} (the system's default)"),
        (Lang::Zh, None) => format!("接收缓冲区 {granted_text}（系统默认值）"),
        (Lang::En, Some(asked)) if granted < asked => format!(
            "receive buffer {granted_text} — asked for {}; the system caps it (Linux: raise it with sudo sysctl -w net.core.rmem_max={asked})",
            human_size(asked)
        ),
        (Lang::Zh, Some(asked)) if granted < asked => format!(
            "接收缓冲区 {granted_text} —— 请求的是 {}，系统限制了上限（Linux：用 sudo sysctl -w net.core.rmem_max={asked} 提高）",
            human_size(asked)
        ),
        (Lang::En, Some(_)) => format!("receive buffer {granted_text}"),
        (Lang::Zh, Some(_)) => format!("接收缓冲区 {granted_text}"),
    }
}

// issue 13: udp drops
#[cfg(test)]
mod udp_drops_tests {
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
