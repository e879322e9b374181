use super::split::{KEEP_CAPACITY, before_delimiter, partial_suffix};
use super::*;

fn be(width: u8) -> Framing {
    Framing::LengthPrefix {
        width,
        big_endian: true,
        includes_header: false,
    }
}

fn le(width: u8) -> Framing {
    Framing::LengthPrefix {
        width,
        big_endian: false,
        includes_header: false,
    }
}

fn incl(width: u8, big_endian: bool) -> Framing {
    Framing::LengthPrefix {
        width,
        big_endian,
        includes_header: true,
    }
}

/// Every reassembling mode, with the tricky cases: multi-byte and
/// self-overlapping delimiters, every prefix width and both byte orders.
fn reassembling_modes() -> Vec<Framing> {
    let mut modes = vec![
        Framing::Delimiter(b"\n".to_vec()),
        Framing::Delimiter(b"\r\n".to_vec()),
        Framing::Delimiter(vec![0x7E]),
        Framing::Delimiter(b"\r\n\r\n".to_vec()),
        Framing::Delimiter(b"<END>".to_vec()),
        Framing::FixedLength(5),
        Framing::JsonHeader { big_endian: true },
        Framing::JsonHeader { big_endian: false },
    ];
    for width in [1, 2, 4, 8] {
        modes.extend([be(width), le(width), incl(width, true), incl(width, false)]);
    }
    modes
}

/// Two bodies of the same length so fixed-length framing can use them too.
const FIRST: &[u8] = b"hello";
const SECOND: &[u8] = b"w\r\nld";

fn wire(framing: &Framing, bodies: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for body in bodies {
        out.extend(encode_frame(framing, body).unwrap());
    }
    out
}

fn bodies(frames: &[Frame]) -> Vec<Vec<u8>> {
    frames.iter().map(|f| f.body.clone()).collect()
}

fn push_all(deframer: &mut Deframer, chunks: &[&[u8]]) -> Vec<Frame> {
    let mut frames = Vec::new();
    for chunk in chunks {
        frames.extend(deframer.push(chunk).unwrap());
    }
    frames
}

/// `SECOND` holds `\r\n`, which is the delimiter in crlf mode.
fn second_for(framing: &Framing) -> &'static [u8] {
    match framing {
        Framing::Delimiter(d) if SECOND.windows(d.len()).any(|w| w == d.as_slice()) => b"world",
        _ => SECOND,
    }
}

#[test]
fn glued_messages_come_out_separately() {
    for framing in reassembling_modes() {
        let second = second_for(&framing);
        let mut deframer = Deframer::new(framing.clone());
        let frames = deframer.push(&wire(&framing, &[FIRST, second])).unwrap();
        assert_eq!(bodies(&frames), [FIRST, second], "{framing}");
        assert_eq!(deframer.pending(), 0, "{framing}");
        assert_eq!(deframer.finish(), None, "{framing}");
    }
}

#[test]
fn split_message_comes_out_whole_at_every_split_point() {
    for framing in reassembling_modes() {
        let bytes = wire(&framing, &[FIRST]);
        for split in 0..=bytes.len() {
            let mut deframer = Deframer::new(framing.clone());
            let first = deframer.push(&bytes[..split]).unwrap();
            assert!(
                first.is_empty() || split == bytes.len(),
                "{framing} split {split}"
            );
            assert_eq!(
                deframer.pending(),
                split % bytes.len(),
                "{framing} split {split}"
            );
            let second = deframer.push(&bytes[split..]).unwrap();
            let all: Vec<Frame> = first.into_iter().chain(second).collect();
            assert_eq!(bodies(&all), [FIRST], "{framing} split {split}");
            assert_eq!(deframer.pending(), 0);
        }
    }
}

#[test]
fn two_glued_messages_split_at_every_point() {
    for framing in reassembling_modes() {
        let second = second_for(&framing);
        let bytes = wire(&framing, &[FIRST, second]);
        for split in 0..=bytes.len() {
            let mut deframer = Deframer::new(framing.clone());
            let frames = push_all(&mut deframer, &[&bytes[..split], &bytes[split..]]);
            assert_eq!(bodies(&frames), [FIRST, second], "{framing} split {split}");
        }
    }
}

#[test]
fn byte_at_a_time_equals_one_shot() {
    for framing in reassembling_modes() {
        let second = second_for(&framing);
        let bytes = wire(&framing, &[FIRST, second, FIRST]);
        let one_shot = Deframer::new(framing.clone()).push(&bytes).unwrap();
        let mut deframer = Deframer::new(framing.clone());
        let chunks: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(push_all(&mut deframer, &chunks), one_shot, "{framing}");
        assert_eq!(one_shot.len(), 3, "{framing}");
    }
}

#[test]
fn random_chunking_equals_one_shot() {
    // A tiny LCG keeps the test deterministic without a dependency.
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move |bound: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % bound
    };
    for framing in reassembling_modes() {
        let second = second_for(&framing);
        let messages: Vec<&[u8]> = (0..40)
            .map(|i| if i % 3 == 0 { second } else { FIRST })
            .collect();
        let bytes = wire(&framing, &messages);
        for _ in 0..20 {
            let mut deframer = Deframer::new(framing.clone());
            let mut frames = Vec::new();
            let mut rest = bytes.as_slice();
            while !rest.is_empty() {
                let (chunk, tail) = rest.split_at((next(12) + 1).min(rest.len()));
                frames.extend(deframer.push(chunk).unwrap());
                rest = tail;
            }
            assert_eq!(bodies(&frames), messages, "{framing}");
        }
    }
}

#[test]
fn encode_then_push_round_trips() {
    for framing in reassembling_modes() {
        let body: &[u8] = if framing == Framing::FixedLength(5) {
            b"\x00\xFF\x01ab"
        } else {
            b"\x00\xFF\x01 any bytes \xE4\xB8\xAD"
        };
        let mut deframer = Deframer::new(framing.clone());
        let frames = deframer
            .push(&encode_frame(&framing, body).unwrap())
            .unwrap();
        assert_eq!(bodies(&frames), [body], "{framing}");
    }
}

#[test]
fn empty_messages_round_trip() {
    for framing in reassembling_modes() {
        if let Framing::FixedLength(_) = framing {
            continue;
        }
        let bytes = wire(&framing, &[b"", FIRST, b""]);
        let frames = Deframer::new(framing.clone()).push(&bytes).unwrap();
        assert_eq!(bodies(&frames), [b"" as &[u8], FIRST, b""], "{framing}");
    }
}

#[test]
fn per_read_keeps_each_read_as_one_record() {
    let framing = Framing::PerRead;
    // (a) glued: that is exactly the sticky packet this mode shows.
    let glued = wire(&framing, &[FIRST, SECOND]);
    let mut deframer = Deframer::new(framing.clone());
    let frames = deframer.push(&glued).unwrap();
    assert_eq!(bodies(&frames), [[FIRST, SECOND].concat()]);
    // (b) split: one record per read, at every split point.
    for split in 1..FIRST.len() {
        let frames = push_all(&mut deframer, &[&FIRST[..split], &FIRST[split..]]);
        assert_eq!(bodies(&frames), [&FIRST[..split], &FIRST[split..]]);
    }
    // (c) byte at a time: same bytes, one record each.
    let frames = push_all(&mut deframer, &FIRST.chunks(1).collect::<Vec<_>>());
    assert_eq!(frames.len(), FIRST.len());
    assert_eq!(bodies(&frames).concat(), FIRST);
    // (d) encode is the identity.
    assert_eq!(encode_frame(&framing, FIRST).unwrap(), FIRST);
    assert!(deframer.push(b"").unwrap().is_empty());
    assert_eq!(deframer.pending(), 0);
    assert_eq!(deframer.finish(), None);
}

#[test]
fn delimiter_split_across_reads() {
    let mut deframer = Deframer::new(Framing::Delimiter(b"\r\n".to_vec()));
    assert!(deframer.push(b"abc\r").unwrap().is_empty());
    assert_eq!(deframer.pending(), 4);
    let frames = deframer.push(b"\ndef\r").unwrap();
    assert_eq!(bodies(&frames), [b"abc"]);
    let frames = deframer.push(b"\n").unwrap();
    assert_eq!(bodies(&frames), [b"def"]);
    // A lone \r is part of the message, not half a delimiter.
    let frames = deframer.push(b"a\rb\r\r\n").unwrap();
    assert_eq!(bodies(&frames), [b"a\rb\r"]);
}

#[test]
fn overlapping_delimiter_split_across_reads() {
    let framing = Framing::Delimiter(b"\r\n\r\n".to_vec());
    let mut deframer = Deframer::new(framing);
    let frames = push_all(&mut deframer, &[b"x\r\n", b"\r", b"\r\n\r", b"\n"]);
    assert_eq!(bodies(&frames), [b"x\r\n\r"]);
}

#[test]
fn partial_delimiter_at_the_end_is_measured_exactly() {
    assert_eq!(partial_suffix(b"abc", b"\r\n"), 0);
    assert_eq!(partial_suffix(b"abc\r", b"\r\n"), 1);
    assert_eq!(partial_suffix(b"x\r\n\r", b"\r\n\r\n"), 3);
    assert_eq!(partial_suffix(b"\r\n", b"\r\n\r\n"), 2);
    assert_eq!(partial_suffix(b"", b"\r\n"), 0);
    assert_eq!(partial_suffix(b"abc\n", b"\n"), 0);
}

#[test]
fn consecutive_delimiters_give_empty_messages() {
    let mut deframer = Deframer::new(Framing::Delimiter(b"\n".to_vec()));
    let frames = deframer.push(b"a\n\n\nb\n").unwrap();
    assert_eq!(bodies(&frames), [b"a" as &[u8], b"", b"", b"b"]);
    let mut deframer = Deframer::new(Framing::Delimiter(b"\r\n".to_vec()));
    let frames = push_all(&mut deframer, &[b"\r\n\r", b"\n"]);
    assert_eq!(bodies(&frames), [b"", b""]);
}

#[test]
fn delimiter_search_resumes_where_it_stopped() {
    let mut deframer = Deframer::new(Framing::Delimiter(b"<END>".to_vec()));
    deframer.push(&[b'x'; 1000]).unwrap();
    // Only the last 4 bytes could still begin the delimiter.
    assert_eq!(deframer.stream.scan_from, 996);
    deframer.push(b"<EN").unwrap();
    assert_eq!(deframer.stream.scan_from, 999);
    let frames = deframer.push(b"D>tail").unwrap();
    assert_eq!(frames[0].body.len(), 1000);
    assert_eq!(deframer.pending(), 4);
    assert_eq!(deframer.stream.scan_from, 0);
}

#[test]
fn large_message_in_small_reads_is_not_quadratic() {
    // Rescanning or reshifting the whole buffer per read would make this
    // 2 MiB in 1 KiB reads take seconds instead of milliseconds.
    let body = vec![b'x'; 2 * 1024 * 1024];
    for framing in [
        Framing::Delimiter(b"\r\n".to_vec()),
        be(4),
        Framing::JsonHeader { big_endian: true },
    ] {
        let bytes = wire(&framing, &[&body, b"next"]);
        let mut deframer = Deframer::new(framing.clone());
        let started = std::time::Instant::now();
        let frames = push_all(&mut deframer, &bytes.chunks(1024).collect::<Vec<_>>());
        assert!(started.elapsed().as_secs() < 2, "{framing}");
        assert_eq!(frames.len(), 2, "{framing}");
        assert_eq!(frames[0].body.len(), body.len(), "{framing}");
    }
}

#[test]
fn little_and_big_endian_prefixes() {
    assert_eq!(encode_frame(&be(2), b"abc").unwrap(), b"\x00\x03abc");
    assert_eq!(encode_frame(&le(2), b"abc").unwrap(), b"\x03\x00abc");
    assert_eq!(
        encode_frame(&be(4), b"abc").unwrap(),
        b"\x00\x00\x00\x03abc"
    );
    assert_eq!(
        encode_frame(&le(4), b"abc").unwrap(),
        b"\x03\x00\x00\x00abc"
    );
    assert_eq!(encode_frame(&le(8), b"a").unwrap(), b"\x01\0\0\0\0\0\0\0a");
    // 0x0100 = 256 big endian, but 1 little endian.
    let mut le_deframer = Deframer::new(le(2));
    assert_eq!(bodies(&le_deframer.push(b"\x01\x00Z").unwrap()), [b"Z"]);
    let mut be_deframer = Deframer::new(be(2));
    assert!(be_deframer.push(b"\x01\x00Z").unwrap().is_empty());
    assert_eq!(be_deframer.pending(), 3);
}

#[test]
fn includes_header_counts_the_prefix() {
    assert_eq!(
        encode_frame(&incl(2, true), b"abc").unwrap(),
        b"\x00\x05abc"
    );
    assert_eq!(encode_frame(&incl(4, false), b"").unwrap(), b"\x04\0\0\0");
    let mut deframer = Deframer::new(incl(2, true));
    let frames = deframer.push(b"\x00\x05abc\x00\x02").unwrap();
    assert_eq!(bodies(&frames), [b"abc" as &[u8], b""]);
    // A length shorter than the prefix itself cannot be right.
    let error = deframer.push(b"\x00\x01").unwrap_err();
    assert_eq!(error, FrameError::LengthBelowHeader { len: 1, width: 2 });
    assert!(error.to_string().contains("incl"));
    assert_eq!(deframer.pending(), 0);
}

#[test]
fn hostile_prefix_is_refused_at_once_then_recovers() {
    let mut deframer = Deframer::new(be(4));
    // The error comes from the prefix alone: no body is awaited, so
    // nothing near 4 GiB is ever reserved.
    let error = deframer.push(&[0xFF, 0xFF, 0xFF, 0xFF]).unwrap_err();
    assert_eq!(
        error,
        FrameError::TooLarge {
            len: 4_294_967_295,
            max: DEFAULT_MAX_FRAME
        }
    );
    let text = error.to_string();
    assert!(text.contains("4294967295 bytes"), "{text}");
    assert!(text.contains("16 MiB"), "{text}");
    assert!(text.contains("endian"), "{text}");
    assert_eq!(deframer.pending(), 0);
    assert!(deframer.stream.buf.capacity() <= KEEP_CAPACITY);
    // Resynchronised: the next push starts a fresh message.
    let frames = deframer
        .push(&encode_frame(&be(4), b"ok").unwrap())
        .unwrap();
    assert_eq!(bodies(&frames), [b"ok"]);
}

#[test]
fn hostile_eight_byte_prefix_with_no_limit_does_not_overflow() {
    let mut deframer = Deframer::with_max_frame(be(8), usize::MAX);
    let error = deframer.push(&[0xFF; 8]).unwrap_err();
    assert!(
        matches!(error, FrameError::TooLarge { len: u64::MAX, .. }),
        "{error}"
    );
    // Counting the prefix, the total just fits a usize: the deframer
    // waits (lazily, reserving nothing) instead of overflowing.
    let mut deframer = Deframer::with_max_frame(incl(8, true), usize::MAX);
    assert!(deframer.push(&[0xFF; 8]).unwrap().is_empty());
    assert_eq!(deframer.pending(), 8);
    let mut deframer =
        Deframer::with_max_frame(Framing::JsonHeader { big_endian: true }, usize::MAX);
    let header = format!("{{\"data_size\":{}}}", u64::MAX);
    let mut bytes = (header.len() as u32).to_be_bytes().to_vec();
    bytes.extend(header.as_bytes());
    assert_eq!(
        deframer.push(&bytes).unwrap_err(),
        FrameError::BodyTooLarge {
            len: u64::MAX,
            max: usize::MAX
        }
    );
}

#[test]
fn limit_applies_to_every_mode() {
    let mut deframer = Deframer::with_max_frame(be(2), 10);
    assert_eq!(
        deframer.push(b"\x00\x0B").unwrap_err(),
        FrameError::TooLarge { len: 11, max: 10 }
    );
    let exactly = encode_frame(&be(2), &[7; 10]).unwrap();
    assert_eq!(deframer.push(&exactly).unwrap().len(), 1);

    let mut deframer = Deframer::with_max_frame(Framing::Delimiter(b"\r\n".to_vec()), 10);
    // 10 bytes plus half a delimiter is still fine...
    assert!(deframer.push(b"0123456789\r").unwrap().is_empty());
    assert_eq!(bodies(&deframer.push(b"\n").unwrap()), [b"0123456789"]);
    // ...11 bytes without a delimiter is not.
    let error = deframer.push(b"0123456789a").unwrap_err();
    assert_eq!(error, FrameError::NoDelimiter { len: 11, max: 10 });
    assert!(error.to_string().contains("10-byte limit"), "{error}");
    assert_eq!(deframer.pending(), 0);
    // A complete but too long line is refused as well.
    let mut deframer = Deframer::with_max_frame(Framing::Delimiter(b"\n".to_vec()), 3);
    assert!(deframer.push(b"abcd\n").is_err());
    assert_eq!(bodies(&deframer.push(b"abc\n").unwrap()), [b"abc"]);

    let mut deframer = Deframer::with_max_frame(Framing::FixedLength(11), 10);
    assert!(matches!(
        deframer.push(b"x"),
        Err(FrameError::InvalidFraming { .. })
    ));
}

#[test]
fn error_after_good_messages_in_the_same_read_loses_nothing() {
    let mut bytes = encode_frame(&be(4), b"one").unwrap();
    bytes.extend(encode_frame(&be(4), b"two").unwrap());
    bytes.extend([0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3]);
    let mut deframer = Deframer::new(be(4));
    let frames = deframer.push(&bytes).unwrap();
    assert_eq!(bodies(&frames), [b"one", b"two"]);
    assert_eq!(deframer.pending(), 7);
    assert!(matches!(
        deframer.push(&[]),
        Err(FrameError::TooLarge { .. })
    ));
    assert_eq!(deframer.pending(), 0);
    let frames = deframer
        .push(&encode_frame(&be(4), b"three").unwrap())
        .unwrap();
    assert_eq!(bodies(&frames), [b"three"]);

    // feed reports both at once.
    let mut deframer = Deframer::new(be(4));
    let (frames, error) = deframer.feed(&bytes);
    assert_eq!(bodies(&frames), [b"one", b"two"]);
    assert!(matches!(error, Some(FrameError::TooLarge { .. })));
    assert_eq!(deframer.pending(), 0);
    let (frames, error) = deframer.feed(&encode_frame(&be(4), b"ok").unwrap());
    assert_eq!((bodies(&frames), error), (vec![b"ok".to_vec()], None));
    assert_eq!(deframer.feed(&[]), (Vec::new(), None));
}

mod build_and_spec;
mod gap;
mod json_and_raw;

/// Reads that end exactly on a message boundary leave the deframer with every byte handed
/// out (`start` at the end of the buffer): nothing pending, nothing invented, and the next
/// message comes out whole.
#[test]
fn reads_ending_on_a_message_boundary_leave_nothing_pending() {
    for framing in reassembling_modes() {
        let second = second_for(&framing);
        let mut deframer = Deframer::new(framing.clone());
        for body in [FIRST, second] {
            let bytes = wire(&framing, &[body]);
            let (head, tail) = bytes.split_at(bytes.len() / 2);
            assert_eq!(deframer.push(head).unwrap(), [], "{framing}");
            assert_eq!(bodies(&deframer.push(tail).unwrap()), [body], "{framing}");
            assert_eq!(deframer.pending(), 0, "{framing}");
            assert_eq!(deframer.push(&[]).unwrap(), [], "{framing}");
        }
        let cut = deframer.cut(&wire(&framing, &[FIRST]));
        assert_eq!(bodies(&cut.frames), [FIRST], "{framing}");
        assert_eq!((cut.raw, cut.gave_up), (None, None), "{framing}");
        assert_eq!(deframer.finish(), None, "{framing}");
    }
}

/// The delimiter search from a resume point: a whole delimiter is found at or after it, a
/// delimiter cut off by the end is not found (it may still complete), and a resume point at
/// or past the end finds nothing rather than failing.
#[test]
fn delimiter_search_edges() {
    assert_eq!(before_delimiter(b"ab\r\ncd", 0, b"\r\n"), Some(&b"ab"[..]));
    assert_eq!(before_delimiter(b"ab\r\ncd", 2, b"\r\n"), Some(&b"ab"[..]));
    assert_eq!(
        before_delimiter(b"ab\r\ncd\r\n", 3, b"\r\n"),
        Some(&b"ab\r\ncd"[..])
    );
    assert_eq!(before_delimiter(b"\r\n", 0, b"\r\n"), Some(&b""[..]));
    assert_eq!(before_delimiter(b"ab\r", 0, b"\r\n"), None);
    assert_eq!(before_delimiter(b"a\rb\r", 0, b"\r\n"), None);
    assert_eq!(before_delimiter(b"ab", 2, b"\r\n"), None);
    assert_eq!(before_delimiter(b"ab", 9, b"\r\n"), None);
    assert_eq!(before_delimiter(b"ab", 0, b""), None);
    assert_eq!(partial_suffix(b"ab", b""), 0);
    assert_eq!(partial_suffix(b"\r\n\r", b"\r\n\r\n"), 3);
}
