use super::*;

/// UTF-8 through `encoding_rs` alone (the path every other encoding takes), as the
/// reference for the validator-based path.
fn decode_with_decoder_only(pieces: &[&[u8]]) -> String {
    let mut decoder = StreamDecoder::new(TextEncoding::UTF_8);
    let mut out = String::new();
    for piece in pieces {
        decoder.run_decoder(piece, &mut out, false);
    }
    decoder.run_decoder(&[], &mut out, true);
    out
}

#[test]
fn utf8_fast_path_matches_the_decoder_in_any_split() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    // Random bytes, text with broken characters, and bytes near the UTF-8 edge cases.
    let alphabet: &[u8] = &[
        b'a', 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0,
        0x82, 0xAC,
    ];
    for round in 0..3000 {
        let len = (next() % 40) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if round % 2 == 0 {
                    (next() >> 24) as u8
                } else {
                    alphabet[(next() % alphabet.len() as u64) as usize]
                }
            })
            .collect();
        let mut cuts: Vec<usize> = (0..(next() % 5))
            .map(|_| (next() as usize) % (len + 1))
            .collect();
        cuts.sort_unstable();
        let mut pieces = Vec::new();
        let mut at = 0;
        for cut in cuts {
            pieces.push(&bytes[at..cut]);
            at = cut;
        }
        pieces.push(&bytes[at..]);
        let mut decoder = StreamDecoder::new(TextEncoding::UTF_8);
        let mut fast = String::new();
        for piece in &pieces {
            decoder.decode(piece, &mut fast);
        }
        decoder.finish(&mut fast);
        assert_eq!(
            fast,
            decode_with_decoder_only(&pieces),
            "bytes {bytes:02X?} cut {pieces:02X?}"
        );
    }
}

fn enc(label: &str) -> TextEncoding {
    TextEncoding::for_label(label).expect("known label")
}

#[test]
fn labels_resolve_with_display_names() {
    let cases = [
        ("utf-8", "UTF-8"),
        ("UTF8", "UTF-8"),
        ("  utf-8 \n", "UTF-8"),
        ("gb2312", "GB2312"),
        ("GB_2312-80", "GB2312"),
        ("gbk", "GBK"),
        ("cp936", "GBK"),
        ("gb18030", "GB18030"),
        ("big5", "Big5"),
        ("shift_jis", "Shift_JIS"),
        ("sjis", "Shift_JIS"),
        ("euc-jp", "EUC-JP"),
        ("euc-kr", "EUC-KR"),
        ("windows-1252", "windows-1252"),
        ("latin1", "windows-1252"),
        ("iso-8859-1", "windows-1252"),
        ("utf-16le", "UTF-16LE"),
        ("utf-16be", "UTF-16BE"),
        ("utf-16", "UTF-16LE"),
        ("koi8-r", "KOI8-R"),
        ("iso-2022-jp", "ISO-2022-JP"),
    ];
    for (label, name) in cases {
        assert_eq!(enc(label).name(), name, "label {label:?}");
    }
    assert_eq!(enc("gbk"), TextEncoding::GBK);
    assert_eq!(enc("gb2312"), TextEncoding::GB2312);
    assert_ne!(TextEncoding::GB2312, TextEncoding::GBK);
    assert_eq!("Big5".parse::<TextEncoding>(), Ok(TextEncoding::BIG5));
    assert_eq!(TextEncoding::GB2312.to_string(), "GB2312");
    assert_eq!(TextEncoding::default(), TextEncoding::UTF_8);
}

#[test]
fn unknown_labels_are_rejected() {
    let err = TextEncoding::for_label(" xyz ").expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown encoding 'xyz' — try utf-8, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252, utf-16le"
    );
    // A real WHATWG label, but one that maps to the useless replacement encoding.
    assert!(TextEncoding::for_label("iso-2022-kr").is_err());
    assert!(TextEncoding::for_label("").is_err());
}

#[test]
fn common_list_order_and_names() {
    let names: Vec<&str> = TextEncoding::common()
        .iter()
        .map(TextEncoding::name)
        .collect();
    assert_eq!(
        names,
        [
            "UTF-8",
            "GB2312",
            "GBK",
            "GB18030",
            "Big5",
            "Shift_JIS",
            "EUC-JP",
            "EUC-KR",
            "windows-1252",
            "UTF-16LE",
            "UTF-16BE"
        ]
    );
    for e in TextEncoding::common() {
        assert_eq!(enc(e.name()), *e, "{e} should round-trip through its name");
    }
}

#[test]
fn nihao_in_chinese_encodings() {
    assert_eq!(
        TextEncoding::GB2312.encode("你好"),
        Ok(vec![0xC4, 0xE3, 0xBA, 0xC3])
    );
    assert_eq!(
        TextEncoding::GBK.encode("你好"),
        Ok(vec![0xC4, 0xE3, 0xBA, 0xC3])
    );
    assert_eq!(
        TextEncoding::UTF_8.encode("你好"),
        Ok(vec![0xE4, 0xBD, 0xA0, 0xE5, 0xA5, 0xBD])
    );
    assert_eq!(
        decode_all(TextEncoding::GB2312, &[0xC4, 0xE3, 0xBA, 0xC3]),
        "你好"
    );
}

#[test]
fn emoji_needs_gb18030() {
    let bytes = TextEncoding::GB18030
        .encode("😀")
        .expect("gb18030 encodes everything");
    assert_eq!(bytes, [0x94, 0x39, 0xFC, 0x36]);
    assert_eq!(decode_all(TextEncoding::GB18030, &bytes), "😀");

    let err = TextEncoding::GB2312
        .encode("ab😀c")
        .expect_err("not in GB2312");
    assert_eq!(
        err,
        EncodeError {
            ch: '😀',
            position: 3,
            encoding: "GB2312"
        }
    );
    assert_eq!(
        err.to_string(),
        "'😀' (U+1F600) at position 3 cannot be written in GB2312 — remove it or choose UTF-8 or GB18030"
    );
    let err = TextEncoding::GBK.encode("你好😀").expect_err("not in GBK");
    assert_eq!((err.ch, err.position, err.encoding), ('😀', 3, "GBK"));
}

#[test]
fn never_emits_numeric_character_references() {
    let err = TextEncoding::WINDOWS_1252
        .encode("€ok你")
        .expect_err("no CJK in 1252");
    assert_eq!((err.ch, err.position), ('你', 4));
    let mut out = vec![1, 2];
    assert!(
        TextEncoding::SHIFT_JIS
            .encode_into("a😀", &mut out)
            .is_err()
    );
    assert_eq!(out, [1, 2], "output restored on error");
}

#[test]
fn big5_and_shift_jis_round_trip() {
    let text = "繁體中文 ok";
    let bytes = TextEncoding::BIG5.encode(text).expect("big5");
    assert_eq!(bytes.get(..2), Some(&[0xC1, 0x63][..]));
    assert_eq!(decode_all(TextEncoding::BIG5, &bytes), text);

    let text = "こんにちは、世界";
    let bytes = TextEncoding::SHIFT_JIS.encode(text).expect("sjis");
    assert_eq!(bytes.get(..2), Some(&[0x82, 0xB1][..]));
    assert_eq!(decode_all(TextEncoding::SHIFT_JIS, &bytes), text);

    let text = "안녕하세요";
    let bytes = TextEncoding::EUC_KR.encode(text).expect("euc-kr");
    assert_eq!(decode_all(TextEncoding::EUC_KR, &bytes), text);
}

#[test]
fn utf16_encode_and_decode() {
    assert_eq!(
        TextEncoding::UTF_16LE.encode("A你😀"),
        Ok(vec![0x41, 0x00, 0x60, 0x4F, 0x3D, 0xD8, 0x00, 0xDE])
    );
    assert_eq!(
        TextEncoding::UTF_16BE.encode("A你😀"),
        Ok(vec![0x00, 0x41, 0x4F, 0x60, 0xD8, 0x3D, 0xDE, 0x00])
    );
    assert_eq!(
        decode_all(
            TextEncoding::UTF_16LE,
            &[0x41, 0x00, 0x60, 0x4F, 0x3D, 0xD8, 0x00, 0xDE]
        ),
        "A你😀"
    );
    assert_eq!(
        decode_all(
            TextEncoding::UTF_16BE,
            &[0x00, 0x41, 0x4F, 0x60, 0xD8, 0x3D, 0xDE, 0x00]
        ),
        "A你😀"
    );
    // A BOM is shown as the character it is, not swallowed.
    assert_eq!(
        decode_all(TextEncoding::UTF_16LE, &[0xFF, 0xFE, 0x41, 0x00]),
        "\u{FEFF}A"
    );
    // An odd trailing byte is shown raw.
    assert_eq!(
        decode_all(TextEncoding::UTF_16LE, &[0x41, 0x00, 0x42]),
        "A\\x42"
    );
}

#[test]
fn utf8_bom_is_kept() {
    assert_eq!(
        decode_all(TextEncoding::UTF_8, &[0xEF, 0xBB, 0xBF, b'a']),
        "\u{FEFF}a"
    );
}

/// The refusal names the character the encoder stopped at, by its 1-based position: at a
/// character boundary (what `encoding_rs` reports) and, were the cut ever inside a
/// character, that character rather than an empty or shortened text.
#[test]
fn a_refusal_names_the_character_at_the_cut() {
    let gb = TextEncoding::GB2312;
    let text = "a😀b";
    let at = |read, reported| {
        let e = gb.refused(text, read, reported);
        (e.ch, e.position)
    };
    assert_eq!(at(5, '\u{FFFD}'), ('😀', 2));
    assert_eq!(at(3, '\u{FFFD}'), ('😀', 2));
    assert_eq!(at(1, 'x'), ('a', 1));
    assert_eq!(at(0, 'x'), ('x', 0));
    assert_eq!(at(99, 'x'), ('b', 3));
    let error = gb.encode(text).unwrap_err();
    assert_eq!((error.ch, error.position), ('😀', 2));
}

/// The decoder remembers exactly the stream's last eight bytes, whatever the piece sizes,
/// and nothing after a reset.
#[test]
fn the_history_holds_the_last_eight_bytes() {
    let mut decoder = StreamDecoder::new(TextEncoding::GBK);
    let stream: Vec<u8> = (0..40).collect();
    let mut fed = 0;
    for size in [0, 3, 10, 1, 0, 7, 8, 2, 9] {
        let piece = &stream[fed..fed + size];
        decoder.remember(piece);
        fed += size;
        let expected = &stream[fed.saturating_sub(8)..fed];
        assert_eq!(decoder.history, expected, "after {fed} bytes");
    }
    decoder.reset();
    assert!(decoder.history.is_empty());
}

mod stream;
