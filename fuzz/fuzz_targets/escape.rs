#![no_main]

#[path = "../../tests/prop_support/mod.rs"]
mod invariants;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use netassist::codec::Segment;

fuzz_target!(|data: &[u8]| {
    invariants::check_escape_text(&String::from_utf8_lossy(data));
    let mut u = Unstructured::new(data);
    let mut segments = Vec::new();
    while let (Ok(text), Ok(bytes)) = (u.arbitrary::<bool>(), u.arbitrary::<Vec<u8>>()) {
        segments.push(if text {
            Segment::Text(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            Segment::Bytes(bytes)
        });
        if u.is_empty() {
            break;
        }
    }
    invariants::check_escape_segments(&segments);
});
