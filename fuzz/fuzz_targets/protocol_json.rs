//! Protocol JSON: anything is a protocol or a typed error; a protocol loaded re-serialises and loads again to the
//! same fingerprint.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pumppath::pathway::Protocol;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(protocol) = Protocol::from_json(text) else { return };
    let again = Protocol::from_json(&protocol.to_json())
        .unwrap_or_else(|e| panic!("a loaded protocol's own JSON does not load: {e}"));
    assert_eq!(again.fingerprint(), protocol.fingerprint());
    assert_eq!(again.to_json(), protocol.to_json());
});
