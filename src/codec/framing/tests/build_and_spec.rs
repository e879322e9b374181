use super::*;

#[test]
fn encode_errors() {
    assert_eq!(
        encode_frame(&Framing::FixedLength(4), b"abc").unwrap_err(),
        FrameError::LengthMismatch {
            expected: 4,
            got: 3
        }
    );
    let error = encode_frame(&be(1), &[0; 256]).unwrap_err();
    assert_eq!(
        error,
        FrameError::BodyTooLong {
            len: 256,
            width: 1,
            max: 255
        }
    );
    assert!(encode_frame(&be(1), &[0; 255]).is_ok());
    assert!(encode_frame(&incl(1, true), &[0; 255]).is_err());
    assert!(encode_frame(&incl(1, true), &[0; 254]).is_ok());
    for bad in [
        Framing::Delimiter(Vec::new()),
        Framing::FixedLength(0),
        be(0),
        be(3),
        be(9),
    ] {
        assert!(matches!(
            encode_frame(&bad, b"x"),
            Err(FrameError::InvalidFraming { .. })
        ));
        let mut deframer = Deframer::new(bad);
        assert!(matches!(
            deframer.push(b"x"),
            Err(FrameError::InvalidFraming { .. })
        ));
        assert_eq!(deframer.pending(), 0);
    }
}

#[test]
fn parse_and_spec_round_trip() {
    let cases = [
        ("per-read", Framing::PerRead),
        ("line", Framing::Delimiter(b"\n".to_vec())),
        ("crlf", Framing::Delimiter(b"\r\n".to_vec())),
        ("delim:7E", Framing::Delimiter(vec![0x7E])),
        ("delim:0D0A0D0A", Framing::Delimiter(b"\r\n\r\n".to_vec())),
        ("fixed:16", Framing::FixedLength(16)),
        ("len:4:be", be(4)),
        ("len:2:le", le(2)),
        ("len:2:le:incl", incl(2, false)),
        ("len:8:be:incl", incl(8, true)),
        ("json-header:be", Framing::JsonHeader { big_endian: true }),
        ("json-header:le", Framing::JsonHeader { big_endian: false }),
    ];
    for (spec, framing) in cases {
        assert_eq!(Framing::parse(spec).unwrap(), framing, "{spec}");
        assert_eq!(framing.spec(), spec);
        assert_eq!(framing.to_string(), spec);
        assert_eq!(spec.parse::<Framing>().unwrap(), framing);
    }
    for framing in reassembling_modes() {
        assert_eq!(Framing::parse(&framing.spec()).unwrap(), framing);
    }
}

#[test]
fn parse_defaults_and_aliases() {
    let same = [
        ("len:4", "len:4:be"),
        ("len:4:incl", "len:4:be:incl"),
        ("len:4:incl:le", "len:4:le:incl"),
        ("json-header", "json-header:le"),
        ("  JSON-Header:LE ", "json-header:le"),
        ("delim:0a", "line"),
        ("delim:0d 0a", "crlf"),
        ("delim:0x7e", "delim:7E"),
        ("lf", "line"),
        ("CRLF", "crlf"),
    ];
    for (input, canonical) in same {
        assert_eq!(Framing::parse(input).unwrap().spec(), canonical, "{input}");
    }
}

#[test]
fn parse_errors_list_the_forms() {
    for bad in [
        "",
        "tcp",
        "delim",
        "delim:",
        "delim:7",
        "delim:zz",
        "fixed:0",
        "fixed:-1",
        "fixed:x",
        "len",
        "len:3",
        "len:16",
        "len:4:be:le",
        "len:4:incl:incl",
        "len:4:big",
        "json-header:xx",
        "line:1",
    ] {
        let error = Framing::parse(bad).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("len:W[:be|le][:incl]"), "{bad}: {text}");
        assert!(text.contains("json-header[:be|le]"), "{bad}: {text}");
    }
    let text = Framing::parse("len:3").unwrap_err().to_string();
    assert!(text.contains("1, 2, 4 or 8"), "{text}");
}
