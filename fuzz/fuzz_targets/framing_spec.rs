#![no_main]

mod common;
#[path = "../../tests/prop_support/mod.rs"]
mod invariants;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    invariants::check_framing_spec(&String::from_utf8_lossy(data));
    if let Ok(framing) = common::framing(&mut Unstructured::new(data)) {
        invariants::check_framing_display(&framing);
    }
});
