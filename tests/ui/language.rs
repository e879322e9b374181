//! Switching the UI language at run time.

use crate::ui_support::{harness, shows};
use egui_kittest::kittest::Queryable as _;
use netassist::app::settings::Protocol;

#[test]
fn labels_follow_the_language_switch() {
    let mut h = harness(Protocol::TcpServer);
    assert!(h.query_by_label("Open").is_some());
    assert!(shows(&h, "Network settings"));

    h.get_by_label("简体中文").click();
    h.step();
    h.step();
    assert!(h.query_by_label("打开").is_some());
    assert!(shows(&h, "网络设置"));
    assert!(shows(&h, "接收设置"));
    assert!(shows(&h, "发送设置"));
    assert!(h.query_by_label("Open").is_none());

    h.get_by_label("English").click();
    h.step();
    h.step();
    assert!(h.query_by_label("Open").is_some());
    assert!(h.query_by_label("打开").is_none());
    assert_eq!(
        h.state().app_settings().lang,
        netassist::app::i18n::Lang::En
    );
}
