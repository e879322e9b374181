//! The invariants of the parsers and decoders, shared by the property tests
//! (`tests/integration/prop_codec.rs`, stable, run by `cargo test`) and the `cargo fuzz` targets under
//! `fuzz/` (which include this file by path). Each `check_*` function panics with a message when
//! an invariant does not hold; the callers only choose the inputs.
//!
//! References are written here independently of the code under test (a bitwise CRC for each
//! checksum, a token-by-token hex reader, a plain escape reader, `encoding_rs`' own decode), so a
//! mistake shared by the code and its check cannot hide.

#![allow(dead_code, clippy::missing_panics_doc, clippy::must_use_candidate)]

use std::fmt::Write as _;
use std::net::SocketAddr;

use netassist::app::room::{RuleAction, RuleMatch, RuleSettings, parse_group};
use netassist::cli::parse_listen;
use netassist::codec::framing::DEFAULT_MAX_FRAME;
use netassist::codec::{
    Checksum, Deframer, EscapeError, Frame, FrameError, Framing, HexError, InputMode, PayloadError,
    PayloadOptions, Segment, StreamDecoder, TextEncoding, build_payload, decode_all, encode_frame,
    parse_escapes, parse_hex, to_hex, write_hex,
};
use netassist::engine::parse_rule;
use netassist::engine::{Action, Match, parse_socket_addr};

// ---------------------------------------------------------------------------------------------
// Splitting a stream into reads

/// Cuts `data` into reads: each value of `cuts` picks the next read's length (0 included, an
/// empty read is a read too); the rest is the last read.
pub fn split<'a>(data: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut reads = Vec::with_capacity(cuts.len() + 1);
    let mut rest = data;
    for &cut in cuts {
        let n = cut % (rest.len() + 1);
        let (read, after) = rest.split_at(n);
        reads.push(read);
        rest = after;
    }
    reads.push(rest);
    reads
}

// ---------------------------------------------------------------------------------------------
// Hex

/// The character at a 1-based line and column, lines broken at `\r\n`, `\n` or a lone `\r`.
fn char_at(input: &str, line: usize, column: usize) -> Option<char> {
    let mut current = 1;
    let mut col = 0;
    let mut chars = input.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '\r' || ch == '\n' {
            if ch == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            current += 1;
            col = 0;
            continue;
        }
        col += 1;
        if current == line && col == column {
            return Some(ch);
        }
    }
    None
}

/// A second hex reader, token by token: separators split tokens, a token may start with
/// `0x`, then holds an even number of hex digits.
fn reference_hex(input: &str) -> Option<Vec<u8>> {
    let separator = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ';' | '-' | ':' | '，' | '；' | '：' | '、' | '\u{FEFF}'
            )
    };
    let mut out = Vec::new();
    for token in input.split(separator) {
        let digits = token
            .strip_prefix("0x")
            .or_else(|| token.strip_prefix("0X"))
            .unwrap_or(token);
        let values: Vec<u8> = digits
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        if !values.len().is_multiple_of(2) {
            return None;
        }
        out.extend(values.chunks(2).map(|p| p[0] << 4 | p[1]));
    }
    Some(out)
}

/// Hex text: never panics; what parses formats and parses back to the same bytes and agrees
/// with the reference reader; an error points at the character it names.
pub fn check_hex_text(input: &str) {
    let parsed = parse_hex(input);
    match &parsed {
        Ok(bytes) => {
            let shown = to_hex(bytes);
            assert_eq!(
                parse_hex(&shown).as_ref(),
                Ok(bytes),
                "format → parse of {input:?}"
            );
        }
        Err(HexError::InvalidChar { ch, line, column }) => {
            assert_eq!(
                char_at(input, *line, *column),
                Some(*ch),
                "{input:?}: {parsed:?}"
            );
            assert!(!ch.is_ascii_hexdigit(), "{input:?}: {parsed:?}");
        }
        Err(HexError::OddDigits { line, column }) => {
            let at = char_at(input, *line, *column);
            assert!(
                at.is_some_and(|c| c.is_ascii_hexdigit()),
                "{input:?}: {parsed:?} at {at:?}"
            );
        }
    }
    if let Err(err) = &parsed {
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(
        parsed.ok(),
        reference_hex(input),
        "parse_hex vs reference for {input:?}"
    );
}

/// Bytes → hex → bytes, alone and as two dumps written one after the other.
pub fn check_hex_bytes(first: &[u8], second: &[u8]) {
    assert_eq!(parse_hex(&to_hex(first)).as_deref(), Ok(first));
    let mut dump = String::new();
    write_hex(&mut dump, first);
    write_hex(&mut dump, second);
    let both: Vec<u8> = first.iter().chain(second).copied().collect();
    assert_eq!(parse_hex(&dump), Ok(both), "dump {dump:?}");
}

// ---------------------------------------------------------------------------------------------
// Escapes

/// A plain escape reader, straight from the documented rules, giving the bytes the segments
/// stand for (text as UTF-8).
fn reference_unescape(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut chars = input.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next()? {
            'r' => out.push(b'\r'),
            'n' => out.push(b'\n'),
            't' => out.push(b'\t'),
            '0' => out.push(0),
            '\\' => out.push(b'\\'),
            'x' => {
                let high = chars.next()?.to_digit(16)?;
                let low = chars.next()?.to_digit(16)?;
                out.push((high * 16 + low) as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Writes segments back as escaped text that parses to them.
pub fn escape_segments(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Text(text) => {
                for ch in text.chars() {
                    match ch {
                        '\\' => out.push_str("\\\\"),
                        '\r' => out.push_str("\\r"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        '\0' => out.push_str("\\0"),
                        _ => out.push(ch),
                    }
                }
            }
            Segment::Bytes(bytes) => {
                for b in bytes {
                    let _ = write!(out, "\\x{b:02x}");
                }
            }
        }
    }
    out
}

/// Merges adjacent segments of one kind and drops empty ones, as the parser does.
pub fn normalise_segments(segments: &[Segment]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for segment in segments {
        match (out.last_mut(), segment) {
            (_, Segment::Text(t)) if t.is_empty() => {}
            (_, Segment::Bytes(b)) if b.is_empty() => {}
            (Some(Segment::Text(a)), Segment::Text(b)) => a.push_str(b),
            (Some(Segment::Bytes(a)), Segment::Bytes(b)) => a.extend_from_slice(b),
            _ => out.push(segment.clone()),
        }
    }
    out
}

fn segment_bytes(segments: &[Segment]) -> Vec<u8> {
    let mut out = Vec::new();
    for segment in segments {
        match segment {
            Segment::Text(text) => out.extend_from_slice(text.as_bytes()),
            Segment::Bytes(bytes) => out.extend_from_slice(bytes),
        }
    }
    out
}

/// Typed text with escapes: never panics; agrees with the reference reader; segments are
/// merged and non-empty; escape → parse gives them back; an error points at its backslash.
pub fn check_escape_text(input: &str) {
    let parsed = parse_escapes(input);
    assert_eq!(
        parsed.as_ref().ok().map(|s| segment_bytes(s)),
        reference_unescape(input),
        "parse_escapes vs reference for {input:?}: {parsed:?}"
    );
    match parsed {
        Ok(segments) => {
            assert_eq!(normalise_segments(&segments), segments, "{input:?}");
            let again = parse_escapes(&escape_segments(&segments));
            assert_eq!(again.as_ref(), Ok(&segments), "escape → parse of {input:?}");
        }
        Err(err) => {
            let position = match &err {
                EscapeError::UnknownEscape { position, .. }
                | EscapeError::TrailingBackslash { position }
                | EscapeError::BadHexEscape { position, .. } => *position,
            };
            let at = input.chars().nth(position.wrapping_sub(1));
            assert_eq!(at, Some('\\'), "{input:?}: {err}");
            assert!(!err.to_string().is_empty());
        }
    }
}

/// Segments → escaped text → segments (merged as the parser merges them).
pub fn check_escape_segments(segments: &[Segment]) {
    let text = escape_segments(segments);
    assert_eq!(
        parse_escapes(&text),
        Ok(normalise_segments(segments)),
        "{text:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Checksums, computed bit by bit from their catalogue parameters

fn crc_msb_first(data: &[u8], width: u32, poly: u64, init: u64) -> u64 {
    let top = 1u64 << (width - 1);
    let mask = if width == 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    };
    let mut crc = init;
    for &byte in data {
        crc ^= u64::from(byte) << (width - 8);
        for _ in 0..8 {
            crc = if crc & top != 0 {
                (crc << 1) ^ poly
            } else {
                crc << 1
            };
            crc &= mask;
        }
    }
    crc
}

fn crc_lsb_first(data: &[u8], reflected_poly: u64, init: u64) -> u64 {
    let mut crc = init;
    for &byte in data {
        crc ^= u64::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ reflected_poly
            } else {
                crc >> 1
            };
        }
    }
    crc
}

/// The checksum bytes in wire order, computed without the code under test.
pub fn reference_checksum(checksum: Checksum, data: &[u8]) -> Vec<u8> {
    match checksum {
        Checksum::Sum8 => {
            let mut sum = 0u32;
            for &b in data {
                sum += u32::from(b);
            }
            vec![(sum % 256) as u8]
        }
        Checksum::Xor8 => {
            let mut x = 0u8;
            for &b in data {
                x ^= b;
            }
            vec![x]
        }
        // CRC-8/SMBUS: poly 0x07, init 0.
        Checksum::Crc8 => vec![crc_msb_first(data, 8, 0x07, 0) as u8],
        // CRC-16/MODBUS: reflected poly 0x8005 (0xA001), init 0xFFFF, low byte first.
        Checksum::Crc16Modbus => {
            let crc = crc_lsb_first(data, 0xA001, 0xFFFF) as u16;
            vec![(crc & 0xFF) as u8, (crc >> 8) as u8]
        }
        // CRC-16/IBM-3740 (CCITT-FALSE): poly 0x1021, init 0xFFFF, high byte first.
        Checksum::Crc16CcittFalse => {
            let crc = crc_msb_first(data, 16, 0x1021, 0xFFFF) as u16;
            vec![(crc >> 8) as u8, (crc & 0xFF) as u8]
        }
        // CRC-32/ISO-HDLC: reflected poly 0x04C11DB7 (0xEDB88320), init and xorout all ones.
        Checksum::Crc32 => {
            let crc = (crc_lsb_first(data, 0xEDB8_8320, 0xFFFF_FFFF) ^ 0xFFFF_FFFF) as u32;
            crc.to_be_bytes().to_vec()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Payloads

/// The bytes the options should give, built from the parts' own rules (escapes by the
/// reference reader's segments, text by the encoding, then the line ending).
fn expected_plain(input: &str, opts: &PayloadOptions) -> Result<Vec<u8>, ()> {
    match opts.mode {
        InputMode::Hex => parse_hex(input).map_err(|_| ()),
        InputMode::Text => {
            let mut out = Vec::new();
            if opts.escapes {
                for segment in parse_escapes(input).map_err(|_| ())? {
                    match segment {
                        Segment::Text(text) => {
                            out.extend(opts.encoding.encode(&text).map_err(|_| ())?);
                        }
                        Segment::Bytes(bytes) => out.extend(bytes),
                    }
                }
            } else {
                out.extend(opts.encoding.encode(input).map_err(|_| ())?);
            }
            out.extend(opts.encoding.encode(opts.eol.text()).map_err(|_| ())?);
            Ok(out)
        }
    }
}

/// A payload: never panics; equals its parts; the checksum bytes at the end equal the
/// reference checksum of everything before them; an encoding error names the character at
/// the position it gives.
pub fn check_payload(input: &str, opts: &PayloadOptions) {
    let built = build_payload(input, opts);
    let expected = expected_plain(input, opts);
    match (&built, &expected) {
        (Ok(bytes), Ok(plain)) => {
            let (body, sum) = bytes.split_at(plain.len().min(bytes.len()));
            assert_eq!(body, plain.as_slice(), "payload of {input:?} with {opts:?}");
            let want = opts
                .checksum
                .map(|c| reference_checksum(c, plain))
                .unwrap_or_default();
            assert_eq!(
                sum,
                want.as_slice(),
                "checksum of {plain:02X?} with {opts:?}"
            );
        }
        (Err(err), Err(())) => {
            assert!(!err.to_string().is_empty());
            if let PayloadError::Encode(e) = err {
                let at = input.chars().nth(e.position.wrapping_sub(1));
                assert_eq!(at, Some(e.ch), "{input:?} with {opts:?}: {err}");
            }
        }
        _ => panic!("{input:?} with {opts:?}: built {built:?}, expected {expected:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Framing

/// Whether a framing can cut a stream at all (what the deframer refuses at once otherwise).
pub fn framing_is_valid(framing: &Framing, max: usize) -> bool {
    match framing {
        Framing::PerRead | Framing::JsonHeader { .. } => true,
        Framing::Delimiter(d) => !d.is_empty(),
        Framing::FixedLength(n) => *n > 0 && *n <= max,
        Framing::LengthPrefix { width, .. } => matches!(width, 1 | 2 | 4 | 8),
        Framing::Gap { ms } => (1..=netassist::codec::framing::MAX_GAP_MS).contains(ms),
    }
}

/// The wire bytes of a message the deframer cut, built by hand.
fn rewire(framing: &Framing, frame: &Frame) -> Vec<u8> {
    let mut out = Vec::new();
    match framing {
        Framing::PerRead | Framing::FixedLength(_) | Framing::Gap { .. } => {
            out.extend_from_slice(&frame.body);
        }
        Framing::Delimiter(d) => {
            out.extend_from_slice(&frame.body);
            out.extend_from_slice(d);
        }
        Framing::LengthPrefix {
            width,
            big_endian,
            includes_header,
        } => {
            let width = usize::from(*width);
            let len = frame.body.len() as u64 + if *includes_header { width as u64 } else { 0 };
            let be = len.to_be_bytes();
            let prefix = &be[8 - width..];
            if *big_endian {
                out.extend_from_slice(prefix);
            } else {
                out.extend(prefix.iter().rev());
            }
            out.extend_from_slice(&frame.body);
        }
        Framing::JsonHeader { big_endian } => {
            let header = frame.header.as_deref().unwrap_or_default();
            let len = header.len() as u32;
            if *big_endian {
                out.extend_from_slice(&len.to_be_bytes());
            } else {
                out.extend_from_slice(&len.to_le_bytes());
            }
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(&frame.body);
        }
    }
    out
}

/// What a stream came to through [`Deframer::cut`].
#[derive(Debug, PartialEq)]
struct CutStream {
    frames: Vec<Frame>,
    /// The raw bytes after giving up, then what `finish` returned.
    rest: Vec<u8>,
    /// The reason, with a `NoDelimiter` length zeroed: how far a line had got when it passed
    /// the limit depends on where the reads ended.
    gave_up: Option<String>,
}

fn cut_stream(framing: &Framing, max: usize, reads: &[&[u8]]) -> CutStream {
    let mut deframer = Deframer::with_max_frame(framing.clone(), max);
    let mut frames = Vec::new();
    let mut rest = Vec::new();
    let mut gave_up = None;
    for read in reads {
        let cut = deframer.cut(read);
        assert!(
            cut.raw.as_ref().is_none_or(|r| !r.is_empty()),
            "an empty raw piece"
        );
        frames.extend(cut.frames);
        rest.extend(cut.raw.unwrap_or_default());
        if let Some(mut why) = cut.gave_up {
            assert!(gave_up.is_none(), "gave up twice: {why:?}");
            assert!(deframer.gave_up());
            assert!(!why.to_string().is_empty());
            if let FrameError::NoDelimiter { len, .. } = &mut why.error {
                assert!(*len > max as u64, "{why:?} under the limit {max}");
                *len = 0;
            }
            gave_up = Some(format!("{why:?}"));
        }
    }
    rest.extend(deframer.finish().unwrap_or_default());
    assert_eq!(deframer.pending(), 0);
    assert!(!deframer.gave_up(), "finish starts a new stream");
    CutStream {
        frames,
        rest,
        gave_up,
    }
}

/// A framing fed `data` in the reads `cuts` picks: the same messages, give-up reason and raw
/// bytes as one read of it; nothing lost (messages written back + raw + rest = the input);
/// every message within the limit; `push`/`feed` agree with `cut` until the first error.
pub fn check_framing(framing: &Framing, max: usize, data: &[u8], cuts: &[usize]) {
    let reads = split(data, cuts);
    let split_cut = cut_stream(framing, max, &reads);

    if *framing == Framing::PerRead {
        // Each read is its own message: the messages are the non-empty reads.
        let want: Vec<&[u8]> = reads.iter().copied().filter(|r| !r.is_empty()).collect();
        let got: Vec<&[u8]> = split_cut.frames.iter().map(|f| f.body.as_slice()).collect();
        assert_eq!(got, want);
        assert!(split_cut.rest.is_empty() && split_cut.gave_up.is_none());
        return;
    }

    let one_shot = cut_stream(framing, max, &[data]);
    assert_eq!(
        split_cut, one_shot,
        "{framing:?} max {max}: reads {reads:02X?}"
    );

    let mut rebuilt: Vec<u8> = one_shot
        .frames
        .iter()
        .flat_map(|f| rewire(framing, f))
        .collect();
    rebuilt.extend_from_slice(&one_shot.rest);
    assert_eq!(
        rebuilt, data,
        "{framing:?} max {max}: bytes lost or changed"
    );
    for frame in &one_shot.frames {
        assert!(
            frame.body.len() <= max,
            "{framing:?}: a message over the limit {max}"
        );
        assert_eq!(
            frame.header.is_some(),
            matches!(framing, Framing::JsonHeader { .. })
        );
    }
    if !framing_is_valid(framing, max) {
        assert!(one_shot.frames.is_empty() && one_shot.gave_up.is_some());
    }

    // push: the same messages until the first error; with no error at all, the same rest.
    let mut deframer = Deframer::with_max_frame(framing.clone(), max);
    let mut frames = Vec::new();
    let mut failed = false;
    for read in &reads {
        if let Ok(cut) = deframer.push(read) {
            frames.extend(cut);
        } else {
            failed = true;
            break;
        }
    }
    if !failed && let Err(_) = deframer.push(&[]) {
        failed = true;
    }
    assert_eq!(
        failed,
        one_shot.gave_up.is_some(),
        "{framing:?}: push vs cut errors"
    );
    assert_eq!(frames, one_shot.frames, "{framing:?}: push vs cut messages");
    if !failed {
        assert_eq!(deframer.finish().unwrap_or_default(), one_shot.rest);
    }

    // feed: the messages and the error of each read together.
    let mut deframer = Deframer::with_max_frame(framing.clone(), max);
    let mut frames = Vec::new();
    for read in &reads {
        let (cut, error) = deframer.feed(read);
        frames.extend(cut);
        if error.is_some() {
            break;
        }
    }
    assert_eq!(frames, one_shot.frames, "{framing:?}: feed vs cut messages");
}

/// Messages built with [`encode_frame`] come out of the deframer as they went in, whatever the
/// reads (messages the framing cannot carry are left out: a delimiter inside the body, a
/// body too long for its prefix; fixed-length bodies are cut or padded to the length).
pub fn check_encode_round_trip(framing: &Framing, bodies: &[Vec<u8>], cuts: &[usize]) {
    if *framing == Framing::PerRead || !framing_is_valid(framing, DEFAULT_MAX_FRAME) {
        for body in bodies {
            let encoded = encode_frame(framing, body);
            assert_eq!(
                encoded.is_ok(),
                *framing == Framing::PerRead,
                "{framing:?}: {encoded:?}"
            );
        }
        return;
    }
    let mut sent = Vec::new();
    let mut wire = Vec::new();
    for body in bodies {
        let mut body = body.clone();
        if let Framing::FixedLength(n) = framing {
            body.resize(*n, 0x55);
        }
        match encode_frame(framing, &body) {
            Ok(bytes) => {
                if let Framing::Delimiter(d) = framing {
                    let first = bytes.windows(d.len()).position(|w| w == d.as_slice());
                    if first != Some(body.len()) {
                        continue;
                    }
                }
                let frame = Frame {
                    header: matches!(framing, Framing::JsonHeader { .. })
                        .then(|| format!("{{\"data_size\":{}}}", body.len())),
                    body: body.clone(),
                };
                assert_eq!(rewire(framing, &frame), bytes, "{framing:?}");
                wire.extend(bytes);
                sent.push(frame);
            }
            Err(FrameError::BodyTooLong { len, width, max }) => {
                assert!(len as u64 > max && width < 8, "{framing:?}: {len} {max}");
            }
            Err(err) => panic!("{framing:?}: {body:02X?}: {err}"),
        }
    }
    let reads = split(&wire, cuts);
    let got = cut_stream(framing, DEFAULT_MAX_FRAME, &reads);
    assert_eq!(got.frames, sent, "{framing:?}");
    assert!(
        got.rest.is_empty() && got.gave_up.is_none(),
        "{framing:?}: {got:?}"
    );
}

/// Framing specs: never panic; what parses shows as a spec that parses to the same framing.
pub fn check_framing_spec(spec: &str) {
    match Framing::parse(spec) {
        Ok(framing) => {
            assert!(
                framing_is_valid(&framing, usize::MAX),
                "{spec:?} gave {framing:?}"
            );
            assert_eq!(framing.to_string(), framing.spec());
            assert_eq!(
                Framing::parse(&framing.spec()),
                Ok(framing.clone()),
                "{spec:?}"
            );
        }
        Err(err) => assert!(err.to_string().contains("framing is one of"), "{err}"),
    }
}

/// A framing shows as a spec that parses back to it (valid framings), or is refused.
pub fn check_framing_display(framing: &Framing) {
    let parsed = Framing::parse(&framing.spec());
    if framing_is_valid(framing, usize::MAX) {
        assert_eq!(parsed.as_ref(), Ok(framing), "{}", framing.spec());
    } else {
        assert!(
            parsed.is_err(),
            "{framing:?} → {} → {parsed:?}",
            framing.spec()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Text decoding

/// Every encoding a user can pick by label: the drop-down's list, then the rest of
/// `encoding_rs`' (ISO-2022-JP, KOI8, the ISO-8859 and Windows code pages, x-user-defined…).
pub fn all_encodings() -> Vec<TextEncoding> {
    let mut all = TextEncoding::common().to_vec();
    let more = [
        &encoding_rs::IBM866_INIT,
        &encoding_rs::ISO_2022_JP_INIT,
        &encoding_rs::ISO_8859_2_INIT,
        &encoding_rs::ISO_8859_3_INIT,
        &encoding_rs::ISO_8859_4_INIT,
        &encoding_rs::ISO_8859_5_INIT,
        &encoding_rs::ISO_8859_6_INIT,
        &encoding_rs::ISO_8859_7_INIT,
        &encoding_rs::ISO_8859_8_INIT,
        &encoding_rs::ISO_8859_8_I_INIT,
        &encoding_rs::ISO_8859_10_INIT,
        &encoding_rs::ISO_8859_13_INIT,
        &encoding_rs::ISO_8859_14_INIT,
        &encoding_rs::ISO_8859_15_INIT,
        &encoding_rs::ISO_8859_16_INIT,
        &encoding_rs::KOI8_R_INIT,
        &encoding_rs::KOI8_U_INIT,
        &encoding_rs::MACINTOSH_INIT,
        &encoding_rs::WINDOWS_874_INIT,
        &encoding_rs::WINDOWS_1250_INIT,
        &encoding_rs::WINDOWS_1251_INIT,
        &encoding_rs::WINDOWS_1253_INIT,
        &encoding_rs::WINDOWS_1254_INIT,
        &encoding_rs::WINDOWS_1255_INIT,
        &encoding_rs::WINDOWS_1256_INIT,
        &encoding_rs::WINDOWS_1257_INIT,
        &encoding_rs::WINDOWS_1258_INIT,
        &encoding_rs::X_MAC_CYRILLIC_INIT,
        &encoding_rs::X_USER_DEFINED_INIT,
    ];
    for encoding in more {
        let found = TextEncoding::for_label(encoding.name());
        assert!(
            found.as_ref().is_ok_and(|f| f.encoding_rs() == encoding),
            "{}",
            encoding.name()
        );
        all.extend(found);
    }
    all
}

/// A stream in any reads decodes to the same text as in one (with `decode` and with
/// `decode_or_same`); valid input decodes to exactly what `encoding_rs` makes of it.
pub fn check_decoder(encoding: TextEncoding, data: &[u8], cuts: &[usize]) {
    let one_shot = decode_all(encoding, data);
    let reads = split(data, cuts);

    let mut decoder = StreamDecoder::new(encoding);
    let mut text = String::new();
    for read in &reads {
        decoder.decode(read, &mut text);
    }
    decoder.finish(&mut text);
    assert_eq!(text, one_shot, "{encoding}: reads {reads:02X?}");

    let mut text = String::new();
    for read in &reads {
        if decoder.decode_or_same(read, &mut text) {
            let same = std::str::from_utf8(read);
            assert!(
                same.is_ok(),
                "{encoding}: decode_or_same said {read:02X?} is text"
            );
            text.push_str(same.unwrap_or_default());
        }
    }
    decoder.finish(&mut text);
    assert_eq!(
        text, one_shot,
        "{encoding} decode_or_same: reads {reads:02X?}"
    );

    let reference = encoding
        .encoding_rs()
        .decode_without_bom_handling_and_without_replacement(data);
    if let Some(reference) = reference {
        assert_eq!(one_shot, reference, "{encoding}: valid input {data:02X?}");
    } else {
        assert!(
            one_shot.contains("\\x"),
            "{encoding}: malformed {data:02X?} not shown"
        );
    }
}

/// Text in a UTF encoding comes back from the decoder as it was.
pub fn check_utf_round_trip(encoding: TextEncoding, text: &str, cuts: &[usize]) {
    let bytes = encoding.encode(text);
    assert!(bytes.is_ok(), "{encoding} cannot encode {text:?}");
    let bytes = bytes.unwrap_or_default();
    let mut decoder = StreamDecoder::new(encoding);
    let mut out = String::new();
    for read in split(&bytes, cuts) {
        decoder.decode(read, &mut out);
    }
    decoder.finish(&mut out);
    assert_eq!(out, text, "{encoding}");
}

// ---------------------------------------------------------------------------------------------
// Auto-reply rules

/// An `--auto-reply` rule: never panics; what it accepts is what its parts say; the rule can
/// be run on any data.
pub fn check_rule_text(rule: &str, opts: &PayloadOptions, data: &[u8]) {
    let parsed = parse_rule(rule, opts);
    let Ok(parsed) = parsed else {
        assert!(parsed.is_err_and(|why| !why.to_string().is_empty()));
        return;
    };
    let (when, then) = rule.split_once("=>").unwrap_or_default();
    let (kind, pattern) = when.split_once(':').unwrap_or_default();
    match (&parsed.when, kind) {
        (Match::Contains(bytes), "text") => {
            assert_eq!(Ok(bytes), build_payload(pattern, opts).as_ref());
        }
        (Match::Equals(bytes), "hex") => assert_eq!(Ok(bytes), parse_hex(pattern).as_ref()),
        (Match::Regex(re), "regex") => assert_eq!(re.as_str(), pattern),
        other => panic!("{rule:?} gave {other:?}"),
    }
    match (&parsed.then, then.split_once(':')) {
        (Action::Reply(_), Some(("reply" | "reply-hex", _)))
        | (Action::Echo | Action::Disconnect, None) => {}
        other => panic!("{rule:?} gave {other:?}"),
    }
    let _ = parsed.when.matches(data);
}

/// A rule from the window's rule table: never panics, refuses empty patterns and replies.
pub fn check_rule_settings(
    when: u8,
    pattern: &str,
    then: u8,
    reply: &str,
    encoding: TextEncoding,
    data: &[u8],
) {
    let settings = RuleSettings {
        on: true,
        when: [RuleMatch::Contains, RuleMatch::HexEquals, RuleMatch::Regex][usize::from(when % 3)],
        pattern: pattern.to_owned(),
        then: [
            RuleAction::ReplyText,
            RuleAction::ReplyHex,
            RuleAction::Echo,
            RuleAction::Disconnect,
        ][usize::from(then % 4)],
        reply: reply.to_owned(),
    };
    match settings.rule(encoding) {
        Ok(rule) => {
            match &rule.when {
                Match::Contains(b) | Match::Equals(b) => assert!(!b.is_empty()),
                Match::Regex(re) => assert_eq!(re.as_str(), pattern),
            }
            if let Action::Reply(payload) = &rule.then {
                assert!(!payload.is_empty());
            }
            let _ = rule.when.matches(data);
        }
        Err(why) => assert!(!why.to_string().is_empty()),
    }
}

// ---------------------------------------------------------------------------------------------
// Addresses

/// Typed addresses: never panic; what is accepted shows as text that parses back to it.
pub fn check_address_text(input: &str) {
    match parse_socket_addr(input) {
        Ok(addr) => {
            assert_eq!(input.trim().parse::<SocketAddr>().ok(), Some(addr));
            assert_eq!(
                parse_socket_addr(&addr.to_string()).ok(),
                Some(addr),
                "{input:?}"
            );
        }
        Err(err) => assert!(!err.to_string().is_empty()),
    }
    match parse_listen(input) {
        Ok(addr) => assert_eq!(
            parse_listen(&addr.to_string()).ok(),
            Some(addr),
            "{input:?}"
        ),
        Err(err) => assert!(!err.to_string().is_empty()),
    }
    match parse_group(input) {
        Ok(ip) => {
            assert_eq!(parse_group(&ip.to_string()).ok(), Some(ip), "{input:?}");
            assert_eq!(parse_group(&format!("[{ip}]")).ok(), Some(ip), "{input:?}");
        }
        Err(err) => assert!(!format!("{err:?}").is_empty()),
    }
}

/// Any socket address (without flow info, which is never shown) reads back from its text.
pub fn check_address_value(addr: SocketAddr) {
    assert_eq!(parse_socket_addr(&addr.to_string()).ok(), Some(addr));
    assert_eq!(parse_listen(&format!(" {addr} ")).ok(), Some(addr));
}
