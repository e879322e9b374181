//! Wrapped log rows measured with the real fonts (egui's default monospace font and the bundled
//! CJK font) at several zooms and view widths: every character of a record is in its rows, and
//! no row is wider than the view, so nothing is clipped at the right edge.

use std::net::SocketAddr;
use std::time::SystemTime;

use eframe::egui;
use egui::{Color32, FontId, TextStyle};
use netassist::app::fonts;
use netassist::app::panels::log_view_ui::{STREAM_HEADER_COLUMNS, view_columns};
use netassist::engine::SendOrigin;
use netassist::log::render::{Span, plain_line, span_content};
use netassist::log::{Layout, LayoutParams, LogStore, Peer, Record, ViewMode};

/// Records of every kind of text: ASCII, CJK, mixed, control bytes shown as `\xNN`, tabs, a
/// long note (its header leads its first row in log mode), an IPv6 peer (a header longer than
/// the stream view's padding).
fn store() -> LogStore {
    let v4 = SocketAddr::from(([127, 0, 0, 1], 55448));
    let v6 = SocketAddr::from(([0xfe80, 0, 0, 0, 0x1234, 0x5678, 0x9abc, 0xdef0], 65535));
    let ascii = "This is the byte stream that goes right up to the edge of the view and past it, \
                 information about the service and more words to wrap around several rows";
    let cjk = "网络调试助手把收到的每一个字节都显示出来，长的中文消息要在视图的边缘换行而不丢字。"
        .repeat(3);
    let mixed = "温度 temperature=23.5℃ 湿度 humidity=40% 状态 OK，设备 device-07 在线；".repeat(3);
    let control: Vec<u8> = (0u8..32)
        .filter(|&b| b != b'\n')
        .chain(b"tail of control bytes".iter().copied())
        .collect();
    let tabs = "col1\tcol2\tcol3\t列四\tcol5\t".repeat(6);
    let note = "a long program note with information about the service that does not fit on \
                one row of a narrow view: every word of it must still be readable";
    let mut store = LogStore::default();
    let now = SystemTime::now();
    store.push(Record::rx(1, now, v4, ascii.as_bytes()));
    store.push(Record::rx(1, now, v4, cjk.as_bytes()));
    store.push(Record::tx(
        1,
        now,
        Peer::One(v4),
        mixed.as_bytes().into(),
        SendOrigin::Manual,
    ));
    store.push(Record::rx(1, now, v4, &control));
    store.push(Record::rx(1, now, v6, tabs.as_bytes()));
    store.push(Record::rx(1, now, v6, ascii.as_bytes()));
    store.push(Record::info(1, now, Peer::One(v4), note));
    store.push(Record::info(1, now, Peer::One(v6), note));
    store
}

/// The text a record's rows must give back: its whole text as the view writes characters.
fn shown_text(store: &LogStore, seq: u64) -> Option<String> {
    let (record, text) = store.get(seq)?;
    Some(span_content(record, text, Span::Text(0, text.len())))
}

#[test]
fn wrapped_rows_keep_every_character_and_fit_the_view() {
    let store = store();
    let mut checked = 0;
    for zoom in [1.0_f32, 1.5, 2.0] {
        let ctx = egui::Context::default();
        fonts::install(&ctx);
        ctx.set_zoom_factor(zoom);
        // Fonts are ready once a pass has run.
        ctx.run_ui(egui::RawInput::default(), |_| {})
            .textures_delta
            .clear();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let font: FontId = TextStyle::Monospace.resolve(ui.style());
            for width in [260.0_f32, 333.0, 517.0, 801.0] {
                let columns = view_columns(&ctx, &font, width);
                for (log_mode, mode) in [
                    (true, ViewMode::Text),
                    (false, ViewMode::Text),
                    (false, ViewMode::Both),
                    (true, ViewMode::Hex),
                ] {
                    let header_columns = if log_mode { 0 } else { STREAM_HEADER_COLUMNS };
                    let params = LayoutParams {
                        mode,
                        wrap_columns: Some(columns),
                        header_lines: log_mode,
                        prefix: Some(header_columns),
                        ..LayoutParams::default()
                    };
                    let mut layout = Layout::default();
                    layout.sync(&store, params, false);
                    let mut texts = vec![String::new(); store.len()];
                    for row in 0..layout.rows() {
                        let line = layout.line(&store, row).unwrap();
                        let drawn = plain_line(&line, log_mode, header_columns);
                        let measured = ctx.fonts_mut(|f| {
                            f.layout_no_wrap(drawn.clone(), font.clone(), Color32::WHITE)
                                .size()
                                .x
                        });
                        // A header alone on its row (time, arrow and peer: a data record's
                        // in log mode, or a note's wider than the view) holds no data; an IPv6
                        // one is wider than the narrowest views. Every row with data fits.
                        let header_only = line.span == Span::Header || line.content.is_empty();
                        if !header_only {
                            assert!(
                                measured <= width,
                                "zoom {zoom}, view {width} pt ({columns} columns), log mode \
                                 {log_mode}, {mode:?}: row {row} is {measured} pt: {drawn:?}"
                            );
                            checked += 1;
                        }
                        if let Span::Text(..) = line.span {
                            texts[usize::try_from(line.seq).unwrap()].push_str(&line.content);
                        }
                    }
                    if mode != ViewMode::Hex {
                        for seq in 0..store.len() as u64 {
                            assert_eq!(
                                Some(&texts[usize::try_from(seq).unwrap()]),
                                shown_text(&store, seq).as_ref(),
                                "zoom {zoom}, view {width} pt, log mode {log_mode}: record {seq}"
                            );
                        }
                    }
                }
            }
        });
        output.textures_delta.clear();
    }
    assert!(checked > 1000, "rows measured: {checked}");
}
