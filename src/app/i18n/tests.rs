//! The i18n module's own checks.

use super::*;

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
