use super::*;

fn json_message(header: &str, body: &[u8], big_endian: bool) -> Vec<u8> {
    let len = header.len() as u32;
    let mut out = if big_endian {
        len.to_be_bytes().to_vec()
    } else {
        len.to_le_bytes().to_vec()
    };
    out.extend(header.as_bytes());
    out.extend(body);
    out
}

#[test]
fn json_header_encoding_matches_the_python_course() {
    let framing = Framing::JsonHeader { big_endian: false };
    let bytes = encode_frame(&framing, b"hi").unwrap();
    assert_eq!(bytes, b"\x0F\0\0\0{\"data_size\":2}hi");
    let frames = Deframer::new(framing).push(&bytes).unwrap();
    assert_eq!(frames[0].header.as_deref(), Some("{\"data_size\":2}"));
    let frames = Deframer::new(be(1)).push(b"\x01x").unwrap();
    assert_eq!(frames[0].header, None);
}

#[test]
fn json_header_keeps_extra_fields() {
    let header = r#"{"filename": "a.txt", "data_size": 3, "md5": null}"#;
    let mut deframer = Deframer::new(Framing::JsonHeader { big_endian: true });
    let bytes = json_message(header, b"abc", true);
    let frames = push_all(&mut deframer, &[&bytes[..10], &bytes[10..]]);
    assert_eq!(
        frames,
        [Frame {
            header: Some(header.to_owned()),
            body: b"abc".to_vec()
        }]
    );
}

#[test]
fn bad_json_headers_are_explained_then_recovered_from() {
    let cases: [(&[u8], &str); 7] = [
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "not an object"),
        (br#"{"size": 3}"#, "no \"data_size\""),
        (br#"{"data_size": -1}"#, "-1"),
        (br#"{"data_size": 1.5}"#, "1.5"),
        (br#"{"data_size": "3"}"#, "non-negative"),
        (b"\xFF\xFE", "not UTF-8"),
    ];
    let framing = Framing::JsonHeader { big_endian: true };
    let mut deframer = Deframer::new(framing.clone());
    for (header, expected) in cases {
        let mut bytes = (header.len() as u32).to_be_bytes().to_vec();
        bytes.extend(header);
        let error = deframer.push(&bytes).unwrap_err();
        assert!(matches!(error, FrameError::BadJsonHeader { .. }), "{error}");
        assert!(error.to_string().contains(expected), "{error}");
        assert_eq!(deframer.pending(), 0);
        let frames = deframer
            .push(&encode_frame(&framing, b"ok").unwrap())
            .unwrap();
        assert_eq!(bodies(&frames), [b"ok"]);
    }
    let error = deframer.push(&[0, 0, 0, 0]).unwrap_err();
    assert!(error.to_string().contains("length is 0"), "{error}");
}

#[test]
fn json_header_wrong_byte_order_is_too_large() {
    // A little-endian header length read as big endian: 15 becomes 251658240.
    let bytes = json_message("{\"data_size\":2}", b"hi", false);
    let mut deframer = Deframer::new(Framing::JsonHeader { big_endian: true });
    let error = deframer.push(&bytes).unwrap_err();
    assert_eq!(
        error,
        FrameError::TooLarge {
            len: 0x0F00_0000,
            max: DEFAULT_MAX_FRAME
        }
    );
    let mut deframer = Deframer::with_max_frame(Framing::JsonHeader { big_endian: false }, 100);
    let error = deframer
        .push(&json_message("{\"data_size\":101}", b"", false))
        .unwrap_err();
    assert_eq!(error, FrameError::BodyTooLarge { len: 101, max: 100 });
}

/// The lesson's server: `struct.pack("i", len(header))` on a PC, then
/// the JSON header, then the body.
fn lesson_answer(body: &[u8]) -> Vec<u8> {
    json_message(&format!("{{\"data_size\": {}}}", body.len()), body, false)
}

#[test]
fn json_header_defaults_to_the_lessons_little_endian() {
    let framing = Framing::parse("json-header").unwrap();
    assert_eq!(framing, Framing::JsonHeader { big_endian: false });
    let mut deframer = Deframer::new(framing);
    let cut = deframer.cut(&lesson_answer(b"a.txt\nb.txt\n"));
    assert_eq!(bodies(&cut.frames), [b"a.txt\nb.txt\n"]);
    assert_eq!((cut.raw, cut.gave_up), (None, None));
}

#[test]
fn wrong_byte_order_is_noted_once_then_shown_raw() {
    let first = lesson_answer(b"hello");
    let second = lesson_answer(b"world");
    let mut deframer = Deframer::new(Framing::JsonHeader { big_endian: true });
    let cut = deframer.cut(&first);
    assert!(cut.frames.is_empty());
    assert_eq!(
        cut.raw.as_deref(),
        Some(&first[..]),
        "the bytes are not hidden"
    );
    let gave_up = cut.gave_up.expect("a note");
    assert!(matches!(gave_up.error, FrameError::TooLarge { .. }));
    let header_len = u64::try_from(first.len() - 4 - 5).unwrap();
    assert_eq!(
        gave_up.other_order,
        Some(OtherOrder {
            len: header_len,
            framing: Framing::JsonHeader { big_endian: false }
        })
    );
    let text = gave_up.to_string();
    assert!(
        text.contains(&format!(
            "read as little endian the prefix would be {header_len}"
        )),
        "{text}"
    );
    assert!(text.contains("json-header:le"), "{text}");
    assert!(deframer.gave_up());
    // No second note: later reads pass through as they came.
    let cut = deframer.cut(&second);
    assert_eq!(cut.raw.as_deref(), Some(&second[..]));
    assert_eq!((cut.frames.len(), cut.gave_up), (0, None));
    assert_eq!(deframer.cut(&[]), Cut::default());
    // A new stream (the peer reconnected) is cut again.
    assert_eq!(deframer.finish(), None);
    assert!(!deframer.gave_up());
    assert!(deframer.cut(&first).gave_up.is_some());
}

#[test]
fn length_prefix_in_the_other_order_is_suggested_when_plausible() {
    // 17 bytes announced little endian, read big endian: 0x11000000.
    let bytes = encode_frame(&le(4), &[b'x'; 17]).unwrap();
    let mut deframer = Deframer::new(be(4));
    let cut = deframer.cut(&bytes);
    let gave_up = cut.gave_up.unwrap();
    assert_eq!(
        gave_up.other_order,
        Some(OtherOrder {
            len: 17,
            framing: le(4)
        })
    );
    assert!(gave_up.to_string().contains("len:4:le"), "{gave_up}");
    assert_eq!(cut.raw.unwrap(), bytes);
    // The other way round, and with incl.
    let bytes = encode_frame(&incl(2, true), &[1; 300]).unwrap();
    let mut deframer = Deframer::with_max_frame(incl(2, false), 1000);
    let gave_up = deframer.cut(&bytes).gave_up.unwrap();
    assert_eq!(gave_up.other_order.as_ref().unwrap().framing, incl(2, true));
    assert!(gave_up.to_string().contains("big endian"), "{gave_up}");
    // Garbage reads the same both ways: no suggestion, still raw.
    let mut deframer = Deframer::new(be(4));
    let cut = deframer.cut(&[0xFF; 6]);
    assert_eq!(cut.gave_up.unwrap().other_order, None);
    assert_eq!(cut.raw.unwrap(), [0xFF; 6]);
}

#[test]
fn cut_keeps_messages_before_the_error_and_shows_the_rest_raw() {
    let mut bytes = encode_frame(&be(2), b"one").unwrap();
    bytes.extend([0xFF, 0xFF, b'z']);
    let mut deframer = Deframer::with_max_frame(be(2), 100);
    let cut = deframer.cut(&bytes);
    assert_eq!(bodies(&cut.frames), [b"one"]);
    assert_eq!(cut.raw.unwrap(), [0xFF, 0xFF, b'z']);
    assert!(cut.gave_up.is_some());
    // An unusable framing: one note, every read raw.
    let mut deframer = Deframer::new(Framing::FixedLength(0));
    let cut = deframer.cut(b"ab");
    assert!(matches!(
        cut.gave_up.unwrap().error,
        FrameError::InvalidFraming { .. }
    ));
    assert_eq!(cut.raw.unwrap(), b"ab");
    assert_eq!(deframer.cut(b"c").gave_up, None);
}

#[test]
fn finish_returns_the_incomplete_rest() {
    let mut deframer = Deframer::new(Framing::Delimiter(b"\n".to_vec()));
    deframer.push(b"done\npartial").unwrap();
    assert_eq!(deframer.finish(), Some(b"partial".to_vec()));
    assert_eq!(deframer.pending(), 0);
    assert_eq!(deframer.finish(), None);
    // A JSON message whose header was already parsed starts over cleanly.
    let framing = Framing::JsonHeader { big_endian: true };
    let mut deframer = Deframer::new(framing.clone());
    let bytes = encode_frame(&framing, b"body").unwrap();
    deframer.push(&bytes[..bytes.len() - 1]).unwrap();
    assert_eq!(deframer.finish(), Some(bytes[..bytes.len() - 1].to_vec()));
    assert_eq!(bodies(&deframer.push(&bytes).unwrap()), [b"body"]);
}
