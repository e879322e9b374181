#![no_main]

#[path = "../../tests/prop_support/mod.rs"]
mod invariants;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use netassist::codec::{Checksum, Eol, InputMode, PayloadOptions};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let encodings = invariants::all_encodings();
    let Ok(opts) = (|| -> arbitrary::Result<PayloadOptions> {
        Ok(PayloadOptions {
            mode: if u.arbitrary()? {
                InputMode::Hex
            } else {
                InputMode::Text
            },
            encoding: *u.choose(&encodings)?,
            escapes: u.arbitrary()?,
            eol: *u.choose(&Eol::ALL)?,
            checksum: if u.arbitrary()? {
                Some(*u.choose(&Checksum::ALL)?)
            } else {
                None
            },
        })
    })() else {
        return;
    };
    let input = String::from_utf8_lossy(u.take_rest());
    invariants::check_payload(&input, &opts);
    for checksum in Checksum::ALL {
        let with = PayloadOptions {
            checksum: Some(checksum),
            ..opts
        };
        invariants::check_payload(&input, &with);
    }
});
