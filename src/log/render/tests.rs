use std::time::{Duration, SystemTime};

use super::super::record::{Peer, Record, RecordFilter};
use super::super::store::LogStore;
use super::wrap::{count_rows, plain_rows, spans_from, text_spans};
use super::*;
use std::net::SocketAddr;

fn store_with(texts: &[&str]) -> LogStore {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut store = LogStore::default();
    for text in texts {
        store.push(Record::rx(1, SystemTime::now(), peer, text.as_bytes()));
    }
    store
}

fn all_lines(layout: &Layout, store: &LogStore) -> Vec<String> {
    (0..layout.rows())
        .map(|row| layout.line(store, row).unwrap().content)
        .collect()
}

#[test]
fn the_fast_row_count_agrees_with_the_spans_on_random_text() {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut state = 0x5EED_u64;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut fast = 0;
    for round in 0..3000 {
        // Mostly short plain lines (the fast path), sometimes long ones, control
        // characters, CR LF or Chinese (the slow path).
        let len = next(400);
        let line = 1 + next(90);
        let specials = if round % 2 == 0 { 200 } else { 1 << 20 };
        let text: String = (0..len)
            .map(|i| match next(specials) {
                0 => '\r',
                1 => '好',
                2 => '\u{1}',
                3..=5 => '\t',
                _ if i % line == line - 1 => '\n',
                _ => char::from(b'a' + (next(26) as u8)),
            })
            .collect();
        let v6: SocketAddr = "[fe80::1:2:3:4]:65535".parse().unwrap();
        let record = if round % 7 == 0 {
            let to = [Peer::None, Peer::One(peer), Peer::One(v6)][next(3)];
            Record::info(1, SystemTime::now(), to, &text)
        } else {
            Record::rx(1, SystemTime::now(), [peer, v6][next(2)], text.as_bytes())
        };
        let params = LayoutParams {
            mode: [
                ViewMode::Text,
                ViewMode::Text,
                ViewMode::Hex,
                ViewMode::Both,
            ][next(4)],
            wrap_columns: [None, Some(40), Some(64), Some(80), Some(2000)][next(5)],
            header_lines: next(4) == 0,
            hide_received: next(10) == 0,
            prefix: [None, Some(0), Some(24)][next(3)],
            ..LayoutParams::default()
        };
        let start_column = [0, 0, 5, 63, 100, 3000][next(6)];
        let mut count = 0u64;
        let tail = spans_from(&record, &text, params, start_column, |_| {
            count += 1;
            true
        });
        assert_eq!(
            count_rows(&record, &text, params, start_column),
            (count, tail),
            "text {text:?}, {params:?}, start column {start_column}"
        );
        fast += usize::from(plain_rows(&text, params.wrap_columns, start_column).is_some());
    }
    assert!(
        fast > 100 && fast < 2900,
        "both ways must be tried often: the fast path was taken {fast} times of 3000"
    );
}

#[test]
fn text_lines_split_on_newlines_and_wrap() {
    let store = store_with(&["ab\r\ncd\n", "你好世界"]);
    let mut layout = Layout::default();
    layout.sync(&store, LayoutParams::default(), false);
    assert_eq!(all_lines(&layout, &store), ["ab", "cd", "你好世界"]);
    let wrapped = LayoutParams {
        wrap_columns: Some(4),
        ..LayoutParams::default()
    };
    layout.sync(&store, wrapped, false);
    assert_eq!(all_lines(&layout, &store), ["ab", "cd", "你好", "世界"]);
}

#[test]
fn hex_both_hidden_and_paused() {
    let mut store = store_with(&["你"]);
    let mut layout = Layout::default();
    let both = LayoutParams {
        mode: ViewMode::Both,
        ..LayoutParams::default()
    };
    layout.sync(&store, both, false);
    assert_eq!(all_lines(&layout, &store), ["E4 BD A0", "你"]);
    let hidden = LayoutParams {
        hide_received: true,
        ..both
    };
    layout.sync(&store, hidden, false);
    assert_eq!(layout.rows(), 0);
    layout.sync(&store, LayoutParams::default(), false);
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    store.push(Record::rx(1, SystemTime::now(), peer, b"x"));
    layout.sync(&store, LayoutParams::default(), true);
    assert_eq!(layout.rows(), 1);
    layout.sync(&store, LayoutParams::default(), false);
    assert_eq!(layout.rows(), 2);
}

#[test]
fn merged_stream_flows_until_a_line_break() {
    let store = store_with(&["你", "好\nab", "c\n", "d"]);
    let mut layout = Layout::default();
    let merged = LayoutParams {
        merge: true,
        ..LayoutParams::default()
    };
    layout.sync(&store, merged, false);
    assert_eq!(all_lines(&layout, &store), ["你好", "abc", "d"]);
    assert!(layout.line(&store, 0).unwrap().first);
    layout.sync(&store, LayoutParams::default(), false);
    assert_eq!(all_lines(&layout, &store), ["你", "好", "ab", "c", "d"]);
}

// issue 15: websocket
#[test]
fn websocket_messages_keep_a_line_each_in_the_merged_view() {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut store = LogStore::default();
    for text in ["hel", "lo"] {
        let mut record = Record::rx(1, SystemTime::now(), peer, text.as_bytes());
        record.message = Some(crate::engine::MessageKind::Text);
        store.push(record);
    }
    let mut layout = Layout::default();
    let merged = LayoutParams {
        merge: true,
        ..LayoutParams::default()
    };
    layout.sync(&store, merged, false);
    assert_eq!(all_lines(&layout, &store), ["hel", "lo"]);
    // A binary message says so in its header; a text message does not.
    let mut binary = Record::rx(1, SystemTime::now(), peer, b"\x01");
    binary.message = Some(crate::engine::MessageKind::Binary);
    assert_eq!(header(&binary, false), "← 127.0.0.1:9 [bin]");
    assert_eq!(
        header(&store.get(0).unwrap().0.clone(), false),
        "← 127.0.0.1:9"
    );
}

#[test]
fn filter_hides_records_and_row_of_finds_the_line_of_a_byte() {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let other: SocketAddr = "127.0.0.1:10".parse().unwrap();
    let mut store = LogStore::default();
    store.push(Record::rx(1, SystemTime::now(), peer, b"one\ntwo\nthree"));
    store.push(Record::rx(1, SystemTime::now(), other, b"elsewhere"));
    store.push(Record::info(1, SystemTime::now(), Peer::None, "note"));
    let mut layout = Layout::default();
    let only_peer = LayoutParams {
        filter: RecordFilter {
            peer: Some(peer),
            ..RecordFilter::default()
        },
        ..LayoutParams::default()
    };
    layout.sync(&store, only_peer, false);
    assert_eq!(all_lines(&layout, &store), ["one", "two", "three"]);
    assert_eq!(layout.row_of(&store, 0, 0), Some(0));
    assert_eq!(layout.row_of(&store, 0, 5), Some(1), "'w' of two");
    assert_eq!(layout.row_of(&store, 0, 9), Some(2));
    assert_eq!(layout.row_of(&store, 1, 0), None, "filtered out");
    let builds = layout.builds();
    layout.sync(&store, LayoutParams::default(), false);
    assert_eq!(layout.builds(), builds + 1);
    assert_eq!(layout.row_of(&store, 1, 3), Some(3));
    assert_eq!(layout.row_of(&store, 2, 0), Some(4));
    let line = layout.line(&store, 4).unwrap();
    assert_eq!(plain_line(&line, false, 0), "• note");
    let hex = LayoutParams {
        mode: ViewMode::Hex,
        ..LayoutParams::default()
    };
    layout.sync(&store, hex, false);
    assert_eq!(
        layout.row_of(&store, 1, 8),
        Some(1),
        "one hex line per record"
    );
}

/// The character-by-character rule the ASCII shortcut must agree with.
fn reference_spans(text: &str, limit: usize, start_column: usize) -> (Vec<Span>, usize) {
    let mut spans = Vec::new();
    let body = text.strip_suffix('\n').unwrap_or(text);
    let (mut line_start, mut columns) = (0, start_column);
    let pieces: Vec<&str> = body.split('\n').collect();
    for (i, piece) in pieces.iter().enumerate() {
        let content = piece.strip_suffix('\r').unwrap_or(piece);
        let mut start = line_start;
        for (offset, ch) in content.char_indices() {
            let width = if ch == '\t' { TAB_COLUMNS } else { 1 };
            if columns + width > limit && columns > 0 {
                spans.push(Span::Text(start, line_start + offset));
                start = line_start + offset;
                columns = 0;
            }
            columns += width;
        }
        spans.push(Span::Text(start, line_start + content.len()));
        line_start += piece.len() + 1;
        if i + 1 < pieces.len() {
            columns = 0;
        }
    }
    (spans, if text.ends_with('\n') { 0 } else { columns })
}

#[test]
fn ascii_shortcut_wraps_like_the_character_rule() {
    let texts = [
        "",
        "a",
        "ab",
        "abcdefghij",
        "abc\r\ndefghijklmnop\n",
        "x\n\ny",
        "\tindent",
        "0123456789012345678901234567890123456789",
    ];
    for text in texts {
        for limit in [2, 3, 5, 8, 40] {
            for start_column in [0, 1, 4, 7, 12] {
                let mut spans = Vec::new();
                let tail = text_spans(text, Some(limit), start_column, &mut |s| {
                    spans.push(s);
                    true
                });
                let expected = reference_spans(text, limit, start_column);
                assert_eq!(
                    (spans, tail),
                    expected,
                    "{text:?} limit {limit} at {start_column}"
                );
            }
        }
    }
}

#[test]
fn width_change_with_a_budget_builds_beside_the_old_layout() {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut store = LogStore::default();
    for i in 0..5000 {
        let text = format!("record {i} with some text to wrap\n");
        store.push(Record::rx(1, SystemTime::now(), peer, text.as_bytes()));
    }
    let wide = LayoutParams {
        wrap_columns: Some(100),
        ..LayoutParams::default()
    };
    let narrow = LayoutParams {
        wrap_columns: Some(10),
        ..wide
    };
    let mut layout = Layout::default();
    assert!(
        layout.sync_within(&store, wide, false, Some(Duration::ZERO)),
        "first: at once"
    );
    assert_eq!(layout.rows(), 5000);
    let builds = layout.builds();
    let mut frames = 0;
    while !layout.sync_within(&store, narrow, false, Some(Duration::ZERO)) {
        frames += 1;
        let first = layout.line(&store, 0).unwrap().content;
        assert_eq!(
            first, "record 0 with some text to wrap",
            "the old layout stays"
        );
        assert!(layout.rows() >= 5000);
        store.push(Record::rx(1, SystemTime::now(), peer, b"new\n"));
        assert!(frames < 1000, "the new layout completes");
    }
    assert!(frames > 1, "built over several frames");
    assert_eq!(layout.builds(), builds + 1);
    let mut fresh = Layout::default();
    fresh.sync(&store, narrow, false);
    assert_eq!(all_lines(&layout, &store), all_lines(&fresh, &store));
    // A change of mode is laid out at once.
    let hex = LayoutParams {
        mode: ViewMode::Hex,
        ..narrow
    };
    assert!(layout.sync_within(&store, hex, false, Some(Duration::ZERO)));
}

fn columns(text: &str) -> usize {
    text.chars()
        .map(|ch| {
            if ch == '\t' {
                TAB_COLUMNS
            } else {
                char_columns(ch)
            }
        })
        .sum()
}

#[test]
fn rows_with_the_views_prefix_fit_the_wrap_width_and_keep_every_character() {
    let v4: SocketAddr = "127.0.0.1:55448".parse().unwrap();
    let v6: SocketAddr = "[fe80::1234:5678:9abc:def0]:65535".parse().unwrap();
    let note = "information about the service that is longer than the view is wide";
    let data = "is the byte stream 中文也要换行 with\ttabs and \u{1} control";
    let mut store = LogStore::default();
    for peer in [v4, v6] {
        store.push(Record::info(1, SystemTime::now(), Peer::One(peer), note));
        store.push(Record::rx(1, SystemTime::now(), peer, data.as_bytes()));
    }
    for log_mode in [true, false] {
        for wrap in [20, 33, 41, 64] {
            let header_columns = if log_mode { 0 } else { 24 };
            let params = LayoutParams {
                wrap_columns: Some(wrap),
                header_lines: log_mode,
                prefix: Some(header_columns),
                ..LayoutParams::default()
            };
            let mut layout = Layout::default();
            layout.sync(&store, params, false);
            let mut texts = vec![String::new(); store.len()];
            for row in 0..layout.rows() {
                let line = layout.line(&store, row).unwrap();
                if line.span == Span::Header {
                    continue;
                }
                let drawn = plain_line(&line, log_mode, header_columns);
                // The stream view's blank indent is wider than the narrowest views; a
                // note's header wider than the view has its row to itself.
                let prefix_only = line.content.is_empty();
                if (log_mode || wrap > header_columns + 8) && !prefix_only {
                    assert!(
                        columns(&drawn) <= wrap,
                        "log mode {log_mode}, wrap {wrap}: {drawn:?}"
                    );
                }
                texts[usize::try_from(line.seq).unwrap()].push_str(&line.content);
            }
            for (seq, text) in texts.iter().enumerate() {
                let (record, raw) = store.get(seq as u64).unwrap();
                assert_eq!(*text, span_content(record, raw, Span::Text(0, raw.len())));
            }
        }
    }
}

#[test]
fn a_change_of_direction_or_peer_starts_a_line_in_the_stream_view() {
    let a: SocketAddr = "127.0.0.1:55448".parse().unwrap();
    let b: SocketAddr = "127.0.0.1:55449".parse().unwrap();
    let mut store = LogStore::default();
    let sent: std::sync::Arc<[u8]> = std::sync::Arc::from(&b"hello from netassist"[..]);
    store.push(Record::tx(
        1,
        SystemTime::now(),
        Peer::One(a),
        sent,
        crate::engine::SendOrigin::Manual,
    ));
    store.push(Record::rx(
        1,
        SystemTime::now(),
        a,
        b"127.0.0.1:55448 says hi",
    ));
    store.push(Record::rx(1, SystemTime::now(), a, b" again"));
    store.push(Record::rx(1, SystemTime::now(), b, b"other"));
    let merged = LayoutParams {
        merge: true,
        prefix: Some(24),
        ..LayoutParams::default()
    };
    let mut layout = Layout::default();
    layout.sync(&store, merged, false);
    assert_eq!(
        all_lines(&layout, &store),
        [
            "hello from netassist",
            "127.0.0.1:55448 says hi again",
            "other"
        ]
    );
    let first = layout.line(&store, 0).unwrap();
    assert_eq!(
        plain_line(&first, false, 24),
        format!("{:<24} hello from netassist", "→ 127.0.0.1:55448")
    );
}

#[test]
fn rows_the_view_wrapped_are_marked_soft() {
    let store = store_with(&["abcdefgh\nij"]);
    let mut layout = Layout::default();
    let params = LayoutParams {
        wrap_columns: Some(4),
        ..LayoutParams::default()
    };
    layout.sync(&store, params, false);
    let lines: Vec<(String, bool)> = (0..layout.rows())
        .map(|row| {
            let line = layout.line(&store, row).unwrap();
            (line.content, line.soft)
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("abcd".to_owned(), false),
            ("efgh".to_owned(), true),
            ("ij".to_owned(), false)
        ]
    );
}

#[test]
fn eviction_keeps_rows_aligned() {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut store = LogStore::new(usize::MAX, 2);
    let mut layout = Layout::default();
    for text in ["a", "b\nc", "d"] {
        store.push(Record::rx(1, SystemTime::now(), peer, text.as_bytes()));
        layout.sync(&store, LayoutParams::default(), false);
    }
    assert_eq!(all_lines(&layout, &store), ["b", "c", "d"]);
}

#[test]
fn the_tail_layout_holds_the_newest_records_for_the_rows_asked() {
    let texts: Vec<String> = (0..1000).map(|i| format!("line {i}\nmore {i}\n")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let store = store_with(&refs);
    let tail = Layout::tail(&store, LayoutParams::default(), 5);
    // Three records give six rows, the fewest for five.
    assert_eq!(tail.first_seq(), 997);
    assert_eq!(
        all_lines(&tail, &store),
        [
            "line 997", "more 997", "line 998", "more 998", "line 999", "more 999"
        ]
    );
    // Fewer records than rows asked: all of them.
    let small = store_with(&["a", "b"]);
    assert_eq!(
        all_lines(&Layout::tail(&small, LayoutParams::default(), 50), &small),
        ["a", "b"]
    );
    assert_eq!(
        Layout::tail(&LogStore::default(), LayoutParams::default(), 5).rows(),
        0
    );
}

/// A span that does not fit the text it is applied to (past its end, or inside a
/// character) shows nothing rather than other characters; a fitting one shows its
/// characters with control bytes escaped.
#[test]
fn a_span_that_does_not_fit_the_text_shows_nothing() {
    let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let record = Record::rx(1, SystemTime::now(), peer, "你\r".as_bytes());
    let text = "你\r";
    assert_eq!(span_content(&record, text, Span::Text(0, 4)), "你\\x0D");
    assert_eq!(span_content(&record, text, Span::Text(0, 9)), "");
    assert_eq!(span_content(&record, text, Span::Text(1, 4)), "");
    assert_eq!(span_content(&record, text, Span::Hex(0, 2)), "E4 BD");
    assert_eq!(span_content(&record, text, Span::Hex(3, 9)), "");
}
