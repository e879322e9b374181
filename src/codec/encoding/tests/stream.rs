use super::*;

/// The text of a stream fed in `pieces`, with the held-back rest flushed when `finish`.
fn decode_pieces(encoding: TextEncoding, pieces: &[&[u8]], finish: bool) -> String {
    let mut decoder = StreamDecoder::new(encoding);
    let mut out = String::new();
    for piece in pieces {
        decoder.decode(piece, &mut out);
    }
    if finish {
        decoder.finish(&mut out);
    }
    out
}

#[test]
fn gb2312_split_character() {
    let mut d = StreamDecoder::new(TextEncoding::GB2312);
    let mut out = String::new();
    d.decode(&[0xC4], &mut out);
    assert_eq!(out, "");
    d.decode(&[0xE3], &mut out);
    assert_eq!(out, "你");
    d.finish(&mut out);
    assert_eq!(out, "你");
}

#[test]
fn utf8_split_one_byte_at_a_time() {
    let mut d = StreamDecoder::new(TextEncoding::UTF_8);
    let mut out = String::new();
    d.decode(&[0xE4], &mut out);
    d.decode(&[0xBD], &mut out);
    assert_eq!(out, "");
    d.decode(&[0xA0], &mut out);
    assert_eq!(out, "你");
    let mut out = String::new();
    d.decode(&[0xE4, 0xBD], &mut out);
    d.decode(&[0xA0], &mut out);
    assert_eq!(out, "你");
}

#[test]
fn every_split_point_matches_one_shot() {
    let text = "A你好😀é\r\nZ";
    for encoding in [
        TextEncoding::UTF_8,
        TextEncoding::GB18030,
        TextEncoding::UTF_16LE,
        TextEncoding::UTF_16BE,
    ] {
        let bytes = encoding.encode(text).expect("encodable");
        assert_eq!(decode_all(encoding, &bytes), text);
        for i in 0..=bytes.len() {
            for j in i..=bytes.len() {
                let pieces = [&bytes[..i], &bytes[i..j], &bytes[j..]];
                let out = decode_pieces(encoding, &pieces, true);
                assert_eq!(out, text, "{encoding} split at {i},{j}");
            }
        }
    }
}

#[test]
fn malformed_bytes_are_shown_as_hex() {
    assert_eq!(
        decode_all(TextEncoding::UTF_8, &[b'a', 0xFF, b'b']),
        "a\\xFFb"
    );
    assert_eq!(decode_all(TextEncoding::UTF_8, &[0xC0, 0x80]), "\\xC0\\x80");
    assert_eq!(
        decode_all(TextEncoding::GBK, &[0xC4, 0xE3, 0xFF]),
        "你\\xFF"
    );
}

#[test]
fn truncated_sequence_is_flushed_at_finish() {
    let mut d = StreamDecoder::new(TextEncoding::UTF_8);
    let mut out = String::new();
    d.decode(&[b'x', 0xE4, 0xBD], &mut out);
    assert_eq!(out, "x");
    d.finish(&mut out);
    assert_eq!(out, "x\\xE4\\xBD");
    // After finish the decoder starts a new stream.
    d.decode(&[0xA0], &mut out);
    d.finish(&mut out);
    assert_eq!(out, "x\\xE4\\xBD\\xA0");
}

#[test]
fn malformed_sequence_split_across_calls() {
    // The bad bytes E4 BD arrive one per call; the decoder only learns
    // they are bad when 'A' arrives in the third call.
    let out = decode_pieces(TextEncoding::UTF_8, &[&[0xE4], &[0xBD], b"A"], false);
    assert_eq!(out, "\\xE4\\xBDA");

    // GBK lead byte followed, in the next read, by a byte that cannot trail it.
    let pieces: [&[u8]; 3] = [&[b'1', 0x81], &[b' ', 0xC4], &[0xE3]];
    assert_eq!(
        decode_pieces(TextEncoding::GBK, &pieces, false),
        "1\\x81 你"
    );

    // Many calls later the history still holds the right bytes.
    let pieces: [&[u8]; 4] = [b"0123456789", &[0xF0, 0x9F], &[0x98], &[0xFF]];
    assert_eq!(
        decode_pieces(TextEncoding::UTF_8, &pieces, false),
        "0123456789\\xF0\\x9F\\x98\\xFF"
    );
}

#[test]
fn reset_discards_pending_bytes() {
    let mut d = StreamDecoder::new(TextEncoding::UTF_8);
    let mut out = String::new();
    d.decode(&[0xE4, 0xBD], &mut out);
    d.reset();
    d.decode(b"ok", &mut out);
    d.finish(&mut out);
    assert_eq!(out, "ok");
}

/// A fixed linear congruential generator so the test is reproducible
/// without a random-number crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n
    }
}

/// Encodings of every kind for the random tests: UTF-8 and UTF-16, single-byte, the
/// multi-byte Chinese and Japanese ones, and stateful ISO-2022-JP.
fn mixed_encodings() -> [TextEncoding; 9] {
    [
        TextEncoding::UTF_8,
        TextEncoding::GBK,
        TextEncoding::GB18030,
        TextEncoding::BIG5,
        TextEncoding::SHIFT_JIS,
        TextEncoding::EUC_JP,
        TextEncoding::WINDOWS_1252,
        TextEncoding::UTF_16LE,
        enc("iso-2022-jp"),
    ]
}

/// Turns decoder output back into bytes, for encodings where text is its UTF-8.
fn unescape_utf8(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("\\x") {
        out.extend_from_slice(&rest.as_bytes()[..i]);
        let hex = &rest[i + 2..i + 4];
        out.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
        rest = &rest[i + 4..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

#[test]
fn random_bytes_in_random_splits_match_one_shot() {
    let mut rng = Lcg(0x5EED);
    let encodings = mixed_encodings();
    for round in 0..400 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len)
            .map(|_| match rng.below(4) {
                // Mix ASCII, lead-byte-heavy and fully random bytes.
                0 => b'a' + rng.below(26) as u8,
                1 => 0x80 + rng.below(0x60) as u8,
                2 => [0x1B, b'$', b'B', b'(', 0x30, 0xE4, 0xBD][rng.below(7)],
                _ => rng.next() as u8,
            })
            // A literal backslash would make the output ambiguous to unescape.
            .map(|b| if b == b'\\' { b'/' } else { b })
            .collect();
        for encoding in encodings {
            let expected = decode_all(encoding, &bytes);
            let mut d = StreamDecoder::new(encoding);
            let mut out = String::new();
            let mut pos = 0;
            while pos < bytes.len() {
                let step = 1 + rng.below(5);
                let end = (pos + step).min(bytes.len());
                d.decode(&bytes[pos..end], &mut out);
                pos = end;
            }
            d.finish(&mut out);
            assert_eq!(
                out, expected,
                "round {round}, {encoding}, bytes {bytes:02X?}"
            );
            if encoding == TextEncoding::UTF_8 {
                assert_eq!(unescape_utf8(&out), bytes, "no byte lost or invented");
            }
        }
    }
}

#[test]
fn decode_or_same_matches_decode_in_random_splits() {
    let mut rng = Lcg(0xFA57);
    let encodings = mixed_encodings();
    let mut took_shortcut = 0;
    for round in 0..400 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len)
            .map(|_| match rng.below(6) {
                // Mostly ASCII runs, so the shortcut gets its chances.
                0..=2 => b'a' + rng.below(26) as u8,
                3 => [0xE4, 0xBD, 0xA0, 0xC4, 0xE3, 0x81, 0x30][rng.below(7)],
                4 => [0x1B, b'$', b'B', b'(', 0x30][rng.below(5)],
                _ => rng.next() as u8,
            })
            .collect();
        for encoding in encodings {
            let mut plain = StreamDecoder::new(encoding);
            let mut fast = StreamDecoder::new(encoding);
            let (mut expected, mut got) = (String::new(), String::new());
            let mut pos = 0;
            while pos < bytes.len() {
                let end = (pos + 1 + rng.below(8)).min(bytes.len());
                let piece = &bytes[pos..end];
                plain.decode(piece, &mut expected);
                let mut text = String::new();
                if fast.decode_or_same(piece, &mut text) {
                    took_shortcut += 1;
                    assert!(text.is_empty());
                    got.push_str(std::str::from_utf8(piece).unwrap());
                } else {
                    got.push_str(&text);
                }
                pos = end;
            }
            plain.finish(&mut expected);
            fast.finish(&mut got);
            assert_eq!(
                got, expected,
                "round {round}, {encoding}, bytes {bytes:02X?}"
            );
        }
    }
    assert!(
        took_shortcut > 1000,
        "the shortcut was taken {took_shortcut} times"
    );
}
