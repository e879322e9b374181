use super::*;
use crate::engine::SendOrigin;
use crate::log::{LayoutParams, ViewMode};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::SystemTime;

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "netassist-export-{}-{name}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ))
}

fn sample() -> (LogStore, Layout) {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut store = LogStore::default();
    store.push(Record::info(1, SystemTime::now(), Peer::None, "listening"));
    store.push(Record::rx(1, SystemTime::now(), peer, b"hi\nthere\n"));
    let payload: Arc<[u8]> = Arc::from(&b"ok,\"x\""[..]);
    store.push(Record::tx(
        1,
        SystemTime::now(),
        Peer::One(peer),
        payload,
        SendOrigin::Manual,
    ));
    let mut layout = Layout::default();
    layout.sync(&store, LayoutParams::default(), false);
    (store, layout)
}

const STYLE: TextStyle = TextStyle {
    log_mode: false,
    header_columns: 16,
};

#[test]
fn text_export_writes_the_lines_as_displayed() {
    let (store, layout) = sample();
    let path = temp_path("text");
    let mut export = Export::text(&path, &layout, STYLE).unwrap();
    let mut summary = None;
    for _ in 0..100 {
        summary = export
            .advance(&store, &layout, Some(Duration::ZERO))
            .unwrap();
        if summary.is_some() {
            break;
        }
    }
    let summary = summary.unwrap();
    assert_eq!((summary.written, summary.skipped), (4, 0));
    let written = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let expected: String = (0..layout.rows())
        .map(|row| plain_line(&layout.line(&store, row).unwrap(), false, 16) + "\n")
        .collect();
    assert_eq!(written, expected);
    assert!(
        written.starts_with(&format!("•{}listening\n", " ".repeat(16))),
        "{written}"
    );
    assert!(written.contains(&format!("← 127.0.0.1:9    hi\n{}there\n", " ".repeat(17))));
    assert!(written.ends_with("→ 127.0.0.1:9    ok,\"x\"\n"));
}

#[test]
fn csv_export_has_every_data_record_and_notes_left_out() {
    let (store, layout) = sample();
    let path = temp_path("csv");
    let mut export = Export::csv(&path, &store, RecordFilter::default()).unwrap();
    let summary = export.advance(&store, &layout, None).unwrap().unwrap();
    assert_eq!(summary.written, 2);
    let written = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let rows: Vec<&str> = written.lines().collect();
    assert_eq!(rows[0], "time,direction,peer,length,hex,text");
    assert!(
        rows[1].ends_with(r#",rx,127.0.0.1:9,9,68 69 0A 74 68 65 72 65 0A,"hi\nthere\n""#),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].ends_with(r#",tx,127.0.0.1:9,6,6F 6B 2C 22 78 22,"ok,""x""""#),
        "{}",
        rows[2]
    );
    assert_eq!(rows.len(), 3);
}

#[test]
fn eviction_during_csv_export_is_counted_and_bad_path_is_a_sentence() {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut store = LogStore::new(usize::MAX, 5);
    for _ in 0..5 {
        store.push(Record::rx(1, SystemTime::now(), peer, b"a"));
    }
    let layout = Layout::default();
    let path = temp_path("evict");
    let mut export = Export::csv(&path, &store, RecordFilter::default()).unwrap();
    for _ in 0..3 {
        store.push(Record::rx(1, SystemTime::now(), peer, b"b"));
    }
    let summary = export.advance(&store, &layout, None).unwrap().unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!((summary.written, summary.skipped), (2, 3));
    let bad = std::env::temp_dir()
        .join("no-such-dir-netassist")
        .join("x.csv");
    let err = Export::csv(&bad, &store, RecordFilter::default())
        .err()
        .unwrap();
    assert!(err.to_string().starts_with("cannot write "), "{err}");
}

#[test]
fn text_export_and_copy_keep_the_datas_line_breaks_not_the_views_wraps() {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut store = LogStore::default();
    store.push(Record::rx(
        1,
        SystemTime::now(),
        peer,
        "a line much longer than the view\n第二行也很长很长很长\n".as_bytes(),
    ));
    store.push(Record::rx(1, SystemTime::now(), peer, b"next"));
    for (mode, expected) in [
        (
            ViewMode::Text,
            "a line much longer than the view\n第二行也很长很长很长\nnext\n",
        ),
        (
            ViewMode::Hex,
            "61 20 6C 69 6E 65 20 6D 75 63 68 20 6C 6F 6E 67 65 72 20 74 68 61 6E 20 74 68 \
             65 20 76 69 65 77 0A E7 AC AC E4 BA 8C E8 A1 8C E4 B9 9F E5 BE 88 E9 95 BF E5 \
             BE 88 E9 95 BF E5 BE 88 E9 95 BF 0A\n6E 65 78 74\n",
        ),
    ] {
        let params = LayoutParams {
            mode,
            wrap_columns: Some(12),
            header_lines: true,
            prefix: Some(0),
            ..LayoutParams::default()
        };
        let mut layout = Layout::default();
        layout.sync(&store, params, false);
        assert!(layout.rows() >= 8, "the view wraps");
        let style = TextStyle {
            log_mode: true,
            header_columns: 0,
        };
        let path = temp_path("wrapped");
        let mut export = Export::text(&path, &layout, style).unwrap();
        let summary = export.advance(&store, &layout, None).unwrap().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let mut data = String::new();
        for line in written.lines().filter(|line| !line.starts_with('[')) {
            data.push_str(line);
            data.push('\n');
        }
        assert_eq!(data, expected, "{mode:?}");
        assert_eq!(summary.written, written.lines().count() as u64);
        let copied = records_text(&store, &layout, 0, 1, style);
        assert_eq!(copied, written, "copy joins the wraps too");
    }
}

#[test]
fn records_text_copies_a_range_of_records() {
    let (store, layout) = sample();
    let text = records_text(&store, &layout, 1, 2, STYLE);
    assert_eq!(text.lines().count(), 3);
    assert!(text.starts_with("← 127.0.0.1:9"));
    assert!(records_text(&store, &layout, 7, 9, STYLE).is_empty());
}
