//! The one-document evaluation request: any text is an assessment or a typed error; an assessment's JSON reads
//! back to an equal assessment, written byte for byte the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pumppath::rules::{Assessment, evaluate_json};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(json) = evaluate_json(text) else { return };
    let assessment: Assessment = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("an assessment's JSON does not read back: {e}"));
    assert_eq!(assessment.to_json(), json);
});
