#![no_main]

#[path = "../../tests/prop_support/mod.rs"]
mod invariants;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use netassist::codec::PayloadOptions;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let encodings = invariants::all_encodings();
    let (Ok(encoding), Ok(escapes), Ok(settings)) = (
        u.choose(&encodings).copied(),
        u.arbitrary::<bool>(),
        u.arbitrary::<bool>(),
    ) else {
        return;
    };
    if settings {
        // The window's rule table: kind, pattern, action, reply.
        let (Ok(when), Ok(then), Ok(pattern), Ok(reply)) = (
            u.arbitrary::<u8>(),
            u.arbitrary::<u8>(),
            u.arbitrary::<String>(),
            u.arbitrary::<String>(),
        ) else {
            return;
        };
        invariants::check_rule_settings(when, &pattern, then, &reply, encoding, u.take_rest());
    } else {
        // The command line's --auto-reply WHEN=>THEN, run on the same bytes.
        let opts = PayloadOptions {
            encoding,
            escapes,
            ..PayloadOptions::default()
        };
        let rest = u.take_rest();
        invariants::check_rule_text(&String::from_utf8_lossy(rest), &opts, rest);
    }
});
