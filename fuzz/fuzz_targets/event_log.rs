//! An event log (a record's JSON) replayed under the standard protocol: anything is a record or a typed error;
//! an accepted log written out and replayed again gives the same state and the same events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pumppath::pathway::{Protocol, Record};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let protocol = Protocol::standard();
    let Ok(record) = Record::from_json(protocol, text) else { return };
    let again = Record::from_json(protocol, &record.to_json())
        .unwrap_or_else(|e| panic!("an accepted record's own JSON does not replay: {e}"));
    assert_eq!(again.state(), record.state());
    assert_eq!(again.events(), record.events());
    assert_eq!(again.to_json(), record.to_json());
});
