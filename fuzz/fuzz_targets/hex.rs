#![no_main]

#[path = "../../tests/prop_support/mod.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    invariants::check_hex_text(&String::from_utf8_lossy(data));
    let (first, second) = data.split_at(data.len() / 2);
    invariants::check_hex_bytes(first, second);
});
