#![no_main]

mod common;
#[path = "../../tests/prop_support/mod.rs"]
mod invariants;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let (Ok(framing), Ok(max), Ok(cuts), Ok(encode)) = (
        common::framing(&mut u),
        common::max_frame(&mut u),
        common::cuts(&mut u),
        u.arbitrary::<bool>(),
    ) else {
        return;
    };
    if encode {
        // Messages built by the sending side, in random reads.
        let mut bodies = Vec::new();
        while let Ok(body) = u.arbitrary::<Vec<u8>>() {
            bodies.push(body);
            if u.is_empty() {
                break;
            }
        }
        invariants::check_encode_round_trip(&framing, &bodies, &cuts);
    } else {
        invariants::check_framing(&framing, max, u.take_rest(), &cuts);
    }
});
