//! Gap framing: a silence of N ms between reads ends a message (Modbus RTU and other serial
//! protocols without a delimiter or length).

use std::time::{Duration, SystemTime};

use super::*;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn gap_specs_parse_show_and_refuse() {
    assert_eq!(Framing::parse("gap:20"), Ok(Framing::Gap { ms: 20 }));
    assert_eq!(Framing::parse(" GAP:35ms "), Ok(Framing::Gap { ms: 35 }));
    assert_eq!(Framing::Gap { ms: 20 }.spec(), "gap:20");
    for bad in ["gap:0", "gap:60001", "gap:x", "gap:-3", "gap:"] {
        let err = Framing::parse(bad).expect_err(bad);
        assert!(
            matches!(err, FramingSpecError::BadGap { .. }),
            "{bad}: {err:?}"
        );
        assert!(err.to_string().contains("milliseconds"), "{err}");
    }
    assert!(matches!(
        Framing::parse("gap"),
        Err(FramingSpecError::NeedsValue { .. })
    ));
    // A message to send goes as it is: the pause is what ends it.
    assert_eq!(
        encode_frame(&Framing::Gap { ms: 20 }, b"\x01\x03").unwrap(),
        b"\x01\x03"
    );
}

#[test]
fn reads_closer_than_the_silence_make_one_message_and_a_silence_ends_it() {
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
    let mut d = Deframer::new(Framing::Gap { ms: 20 });
    // A Modbus RTU request arriving in three reads 5 ms apart.
    let cut = d.cut_at(&[0x01, 0x03], t0);
    assert_eq!(cut, Cut::default());
    assert!(d.cut_at(&[0x00, 0x00], t0 + ms(5)).earlier.is_none());
    assert!(
        d.cut_at(&[0x00, 0x0A, 0xC5, 0xCD], t0 + ms(10))
            .earlier
            .is_none()
    );
    assert_eq!(d.pending(), 8);
    assert_eq!(d.deadline(), Some(t0 + ms(30)));
    // Not yet: 19 ms after the last read.
    assert_eq!(d.due(t0 + ms(29)), None);
    // The silence is up: one message, timed by its first byte.
    assert_eq!(
        d.due(t0 + ms(30)),
        Some((t0, vec![0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD]))
    );
    assert_eq!(d.pending(), 0);
    assert_eq!(d.deadline(), None);
    assert_eq!(d.due(t0 + ms(1_000)), None);
}

#[test]
fn a_read_after_a_silence_hands_out_the_message_before_it() {
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(5);
    let mut d = Deframer::new(Framing::Gap { ms: 10 });
    d.cut_at(b"req", t0);
    d.cut_at(b"uest", t0 + ms(9));
    // 10 ms after the last read: the next read starts a new message.
    let cut = d.cut_at(b"answer", t0 + ms(19));
    assert_eq!(cut.earlier, Some((t0, b"request".to_vec())));
    assert!(cut.frames.is_empty() && cut.raw.is_none() && cut.gave_up.is_none());
    assert_eq!(d.deadline(), Some(t0 + ms(29)));
    // The end of the stream: what is pending is the rest.
    assert_eq!(d.finish(), Some(b"answer".to_vec()));
    assert_eq!(d.deadline(), None);
}

#[test]
fn a_clock_set_back_does_not_end_a_message_early() {
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(100);
    let mut d = Deframer::new(Framing::Gap { ms: 20 });
    d.cut_at(b"a", t0);
    // The next read is stamped 5 s earlier (the clock was set back): same message.
    let cut = d.cut_at(b"b", t0 - Duration::from_secs(5));
    assert!(cut.earlier.is_none());
    assert_eq!(d.deadline(), Some(t0 + ms(20)));
    assert_eq!(d.due(t0 + ms(20)), Some((t0, b"ab".to_vec())));
}

#[test]
fn a_stream_without_a_silence_gives_up_at_the_limit_and_shows_its_bytes() {
    let t0 = SystemTime::UNIX_EPOCH;
    let mut d = Deframer::with_max_frame(Framing::Gap { ms: 20 }, 8);
    assert_eq!(d.cut_at(b"12345", t0), Cut::default());
    let cut = d.cut_at(b"6789", t0 + ms(1));
    assert_eq!(cut.raw, Some(b"123456789".to_vec()), "no byte hidden");
    let gave_up = cut.gave_up.expect("gave up");
    assert_eq!(
        gave_up.error,
        FrameError::NoGap {
            len: 9,
            max: 8,
            ms: 20
        }
    );
    assert!(gave_up.to_string().contains("without a silence of 20 ms"));
    // From here on reads pass as they came, and nothing waits.
    assert_eq!(d.cut_at(b"x", t0 + ms(500)).raw, Some(b"x".to_vec()));
    assert_eq!(d.deadline(), None);
}

#[test]
fn push_hands_out_what_a_silence_ended() {
    let mut d = Deframer::new(Framing::Gap { ms: 1 });
    assert_eq!(d.push(b"one").unwrap(), Vec::<Frame>::new());
    std::thread::sleep(ms(5));
    assert_eq!(d.push(b"two").unwrap(), vec![Frame::plain(b"one".to_vec())]);
}
