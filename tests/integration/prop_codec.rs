//! Property tests of the parsers and decoders: the invariants the `cargo fuzz` targets under
//! `fuzz/` check (shared in `tests/prop_support/mod.rs`), on stable so every `cargo test`
//! runs them. Case counts are set so the file stays well under 30 s in a debug build.

use std::net::{IpAddr, Ipv6Addr, SocketAddr, SocketAddrV6};

use crate::prop_support as inv;
use netassist::codec::framing::DEFAULT_MAX_FRAME;
use netassist::codec::{Checksum, Eol, Framing, InputMode, PayloadOptions, Segment, TextEncoding};
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Characters the parsers treat specially, plus some that they must refuse or carry through.
const TRICKY: &[char] = &[
    '0', '1', '7', '9', 'a', 'A', 'f', 'F', 'x', 'X', 'g', 'Z', ' ', '\t', '\r', '\n', ',', ';',
    ':', '-', '，', '；', '：', '、', '\u{FEFF}', '\u{3000}', '\\', 'r', 'n', 't', '中', '€', '😀',
    '\0', '=', '>', '[', ']', '.', '%', '/',
];

fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(TRICKY), 0..max)
            .prop_map(|chars| chars.into_iter().collect::<String>()),
        any::<String>(),
    ]
}

fn cuts() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0usize..64, 0..12)
}

fn encoding() -> impl Strategy<Value = TextEncoding> {
    proptest::sample::select(inv::all_encodings())
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        Just(Framing::PerRead),
        proptest::collection::vec(
            prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a'), any::<u8>()],
            0..4
        )
        .prop_map(Framing::Delimiter),
        Just(Framing::Delimiter(b"\r\n".to_vec())),
        Just(Framing::Delimiter(b"aab".to_vec())),
        (0usize..12).prop_map(Framing::FixedLength),
        (
            proptest::sample::select(vec![1u8, 2, 4, 8, 0, 3]),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(
                |(width, big_endian, includes_header)| Framing::LengthPrefix {
                    width,
                    big_endian,
                    includes_header
                }
            ),
        any::<bool>().prop_map(|big_endian| Framing::JsonHeader { big_endian }),
    ]
}

/// Streams that look like the framing's messages: whole messages as the sender builds them,
/// pieces of the delimiter, prefixes and headers of any size, and junk.
fn stream(framing: &Framing) -> impl Strategy<Value = Vec<u8>> + use<> {
    let delimiter = match framing {
        Framing::Delimiter(d) => d.clone(),
        _ => b"\r\n".to_vec(),
    };
    let message = {
        let framing = framing.clone();
        proptest::collection::vec(any::<u8>(), 0..8)
            .prop_map(move |body| netassist::codec::encode_frame(&framing, &body).unwrap_or(body))
    };
    let delimiter_part = (0..=delimiter.len()).prop_map(move |n| delimiter[..n].to_vec());
    let piece = prop_oneof![
        3 => message,
        2 => delimiter_part,
        1 => proptest::collection::vec(any::<u8>(), 0..12),
        1 => proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(0u8)], 0..6),
        1 => (0u8..40).prop_map(|n| vec![0, 0, 0, n]),
        1 => (0u8..40).prop_map(|n| vec![n, 0, 0, 0]),
        1 => (0u8..40).prop_map(|n| vec![n]),
        1 => (0usize..30).prop_map(|n| {
            let header = format!("{{\"data_size\":{n}}}");
            let mut out = (header.len() as u32).to_le_bytes().to_vec();
            out.extend(header.as_bytes());
            out
        }),
        1 => Just(b"\x05\x00\x00\x00[1,2]".to_vec()),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn max_frame() -> impl Strategy<Value = usize> {
    prop_oneof![3 => 1usize..8, 1 => 8usize..40, 1 => Just(DEFAULT_MAX_FRAME)]
}

proptest! {
    #![proptest_config(config(4000))]

    #[test]
    fn hex_text_parses_like_the_reference_and_round_trips(input in tricky_text(24)) {
        inv::check_hex_text(&input);
    }

    #[test]
    fn hex_bytes_round_trip(first in any::<Vec<u8>>(), second in any::<Vec<u8>>()) {
        inv::check_hex_bytes(&first, &second);
    }

    #[test]
    fn escapes_parse_like_the_reference_and_round_trip(input in tricky_text(24)) {
        inv::check_escape_text(&input);
    }

    #[test]
    fn framing_specs_round_trip(spec in prop_oneof![
        "(per-read|line|lf|crlf|raw|delim|fixed|len|json-header|json| |LEN|Delim)(:[0-9a-fA-Fx lebinc]{0,6}){0,4}",
        any::<String>(),
    ]) {
        inv::check_framing_spec(&spec);
    }

    #[test]
    fn framings_show_as_specs_that_parse_back(framing in framing()) {
        inv::check_framing_display(&framing);
    }

    #[test]
    fn addresses_round_trip(input in prop_oneof![
        "[ ]?(127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::1\\]|::1|\\[fe80::1%2\\]|1\\.2\\.3\\.4\\.5|\\[::1|localhost)?(:[0-9]{0,6})?[ ]?",
        any::<String>(),
    ]) {
        inv::check_address_text(&input);
    }

    #[test]
    fn address_values_round_trip(v4 in any::<bool>(), bits in any::<u128>(), port in any::<u16>(), scope in any::<u32>()) {
        let addr = if v4 {
            SocketAddr::new(IpAddr::from((bits as u32).to_be_bytes()), port)
        } else {
            SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(bits), port, 0, scope))
        };
        inv::check_address_value(addr);
    }
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn escaped_segments_parse_back(segments in proptest::collection::vec(
        prop_oneof![
            tricky_text(8).prop_map(Segment::Text),
            any::<Vec<u8>>().prop_map(Segment::Bytes),
        ],
        0..6,
    )) {
        inv::check_escape_segments(&segments);
    }

    #[test]
    fn payloads_carry_the_reference_checksum(
        input in tricky_text(24),
        hex in any::<bool>(),
        encoding in encoding(),
        escapes in any::<bool>(),
        eol in proptest::sample::select(Eol::ALL.to_vec()),
        checksum in proptest::option::of(proptest::sample::select(Checksum::ALL.to_vec())),
    ) {
        let opts = PayloadOptions {
            mode: if hex { InputMode::Hex } else { InputMode::Text },
            encoding,
            escapes,
            eol,
            checksum,
        };
        inv::check_payload(&input, &opts);
    }

    #[test]
    fn checksums_match_the_bitwise_reference(data in any::<Vec<u8>>()) {
        for checksum in Checksum::ALL {
            prop_assert_eq!(checksum.compute(&data), inv::reference_checksum(checksum, &data));
        }
    }

    #[test]
    fn framed_streams_in_random_reads_cut_like_one_read(
        (framing, data) in framing().prop_flat_map(|f| (Just(f.clone()), stream(&f))),
        max in max_frame(),
        cuts in cuts(),
    ) {
        inv::check_framing(&framing, max, &data, &cuts);
    }

    #[test]
    fn encoded_messages_come_back_in_random_reads(
        framing in framing(),
        bodies in proptest::collection::vec(proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'a'), any::<u8>()], 0..10), 0..6),
        cuts in cuts(),
    ) {
        inv::check_encode_round_trip(&framing, &bodies, &cuts);
    }

    #[test]
    fn streams_decode_alike_in_random_reads(
        encoding in encoding(),
        data in proptest::collection::vec(prop_oneof![any::<u8>(), 0x80u8..0xFF, Just(0x1B), Just(b'$'), Just(b'B'), Just(b'(')], 0..40),
        cuts in cuts(),
    ) {
        inv::check_decoder(encoding, &data, &cuts);
    }

    #[test]
    fn utf_text_survives_random_reads(text in tricky_text(16), cuts in cuts()) {
        for encoding in [TextEncoding::UTF_8, TextEncoding::UTF_16LE, TextEncoding::UTF_16BE] {
            inv::check_utf_round_trip(encoding, &text, &cuts);
        }
    }

    #[test]
    fn auto_reply_rules_parse_to_their_parts(
        rule in prop_oneof![
            "(text|hex|regex|TEXT|x)?:?[a-f0-9 \\\\x^$.*+()\\[\\]{}]{0,10}(=>)?(reply|reply-hex|echo|disconnect|r)?:?[a-f0-9 \\\\xn]{0,8}",
            any::<String>(),
        ],
        encoding in encoding(),
        escapes in any::<bool>(),
        data in any::<Vec<u8>>(),
    ) {
        let opts = PayloadOptions { encoding, escapes, ..PayloadOptions::default() };
        inv::check_rule_text(&rule, &opts, &data);
    }

    #[test]
    fn rule_table_entries_never_panic(
        when in any::<u8>(),
        pattern in tricky_text(10),
        then in any::<u8>(),
        reply in tricky_text(10),
        encoding in encoding(),
        data in any::<Vec<u8>>(),
    ) {
        inv::check_rule_settings(when, &pattern, then, &reply, encoding, &data);
    }
}

/// The references themselves, against the catalogue's check values for "123456789".
#[test]
fn reference_checksums_match_the_catalogue() {
    let check = b"123456789";
    let want: [(Checksum, &[u8]); 6] = [
        (Checksum::Sum8, &[0xDD]),
        (Checksum::Xor8, &[0x31]),
        (Checksum::Crc8, &[0xF4]),
        (Checksum::Crc16Modbus, &[0x37, 0x4B]),
        (Checksum::Crc16CcittFalse, &[0x29, 0xB1]),
        (Checksum::Crc32, &[0xCB, 0xF4, 0x39, 0x26]),
    ];
    for (checksum, bytes) in want {
        assert_eq!(
            inv::reference_checksum(checksum, check),
            bytes,
            "{checksum}"
        );
    }
}

// Regression tests for what the fuzzers and the properties above found.

/// Found by `streams_decode_alike_in_random_reads`: an empty read (a zero-length UDP
/// datagram) after a read that ended inside a UTF-8 character made `decode_or_same` take the
/// next valid read as clean text, so the held-back byte was lost and a wrong one shown at the end.
#[test]
fn empty_read_after_a_split_character_keeps_the_held_back_byte() {
    let one_shot = netassist::codec::decode_all(TextEncoding::UTF_8, b"\xE4A");
    assert_eq!(one_shot, "\\xE4A");
    let mut decoder = netassist::codec::StreamDecoder::new(TextEncoding::UTF_8);
    let mut text = String::new();
    for read in [&b"\xE4"[..], b"", b"A"] {
        if decoder.decode_or_same(read, &mut text) {
            text.push_str(std::str::from_utf8(read).unwrap());
        }
    }
    decoder.finish(&mut text);
    assert_eq!(text, one_shot);
}

/// Found by the `payload` fuzz target: ISO-2022-JP cannot write the SO, SI and ESC control
/// characters, and `encoding_rs` reports them as U+FFFD, so the error named "'�' (U+FFFD)"
/// instead of the character typed.
#[test]
fn unencodable_control_character_is_named_as_typed() {
    let encoding = TextEncoding::for_label("iso-2022-jp").unwrap();
    for (input, ch, position) in [("\u{E}x", '\u{E}', 1), ("ab\u{1B}", '\u{1B}', 3)] {
        let err = encoding.encode(input).unwrap_err();
        assert_eq!((err.ch, err.position), (ch, position), "{input:?}: {err}");
        assert!(
            err.to_string()
                .contains(&format!("U+{:04X}", u32::from(ch))),
            "{err}"
        );
        let opts = PayloadOptions {
            encoding,
            ..PayloadOptions::default()
        };
        inv::check_payload(input, &opts);
    }
}
