#![no_main]

mod common;
#[path = "../../tests/prop_support/mod.rs"]
mod invariants;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use netassist::codec::TextEncoding;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let encodings = invariants::all_encodings();
    let (Ok(encoding), Ok(cuts)) = (u.choose(&encodings).copied(), common::cuts(&mut u)) else {
        return;
    };
    let rest = u.take_rest();
    invariants::check_decoder(encoding, rest, &cuts);
    let text = String::from_utf8_lossy(rest);
    for utf in [
        TextEncoding::UTF_8,
        TextEncoding::UTF_16LE,
        TextEncoding::UTF_16BE,
    ] {
        invariants::check_utf_round_trip(utf, &text, &cuts);
    }
});
