//! No data lost: the core's outputs read back into their types and write the same bytes; a long event log
//! survives JSON out and in; the files written by each released version of the formats still load.

use std::path::Path;

use pumppath::cgm::{Episodes, Summary};
use pumppath::pathway::{Protocol, Record};
use pumppath::patient::PatientView;
use pumppath::rules::{Assessment, Worklist};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn golden(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden/cases").join(name)).unwrap()
}

fn golden_names(suffix: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden/cases");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(suffix))
        .collect();
    names.sort();
    names
}

/// `text` read as `T` and written again is `text`, byte for byte.
fn same_bytes<T: DeserializeOwned + Serialize>(name: &str, text: &str) {
    let value: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(serde_json::to_string(&value).unwrap(), text, "{name}");
}

#[test]
fn assessments_worklists_and_patient_views_read_back_to_the_same_bytes() {
    let assessments = golden_names(".assessment.json");
    assert!(assessments.len() >= 14);
    for name in assessments {
        same_bytes::<Assessment>(&name, &golden(&name));
    }
    for name in golden_names(".patient_view.json") {
        same_bytes::<PatientView>(&name, &golden(&name));
    }
    for name in golden_names(".worklist.json") {
        same_bytes::<Worklist>(&name, &golden(&name));
    }
    for name in golden_names(".cgm.json") {
        // Through a JSON value, whose keys are sorted: compared as values.
        let report: Value = serde_json::from_str(&golden(&name)).unwrap();
        let summary: Summary = serde_json::from_value(report["summary"].clone()).unwrap();
        assert_eq!(serde_json::to_value(summary).unwrap(), report["summary"], "{name}");
        let episodes: Episodes = serde_json::from_value(report["episodes"].clone()).unwrap();
        assert_eq!(serde_json::to_value(episodes).unwrap(), report["episodes"], "{name}");
    }
}

#[test]
fn a_log_of_100000_events_survives_json_out_and_in() {
    let events: Vec<String> = (0..100_000)
        .map(|k| {
            format!(
                r#"{{"id":"e{k}","occurred_at":"2026-03-02T15:00:00Z","recorded_at":"2026-03-02T15:00:00Z","actor":"patient","type":"cgm_use","wears_cgm":{}}}"#,
                k % 2 == 0
            )
        })
        .collect();
    let json = format!(r#"{{"patient_id":"p1","events":[{}]}}"#, events.join(","));
    let record = Record::from_json(Protocol::standard(), &json).unwrap();
    assert_eq!(record.events().len(), 100_000);
    let written = record.to_json();
    let again = Record::from_json(Protocol::standard(), &written).unwrap();
    assert_eq!(again.to_json(), written);
    assert_eq!(again, record);
}

/// The formats as released: each `tests/fixtures/versions/vN` holds a protocol and a record written by version N,
/// which every later version must load (a test fails before a change breaks them).
#[test]
fn files_written_by_each_released_version_still_load() {
    let versions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/versions");
    let mut loaded = 0;
    for entry in std::fs::read_dir(versions).unwrap() {
        let dir = entry.unwrap().path();
        let protocol = Protocol::from_json(&std::fs::read_to_string(dir.join("protocol.json")).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let record = Record::from_json(&protocol, &std::fs::read_to_string(dir.join("record.json")).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        assert!(!record.events().is_empty());
        // Version 1 is the standard protocol of this release: its fingerprint is the record's.
        assert_eq!(record.protocol_fingerprint(), protocol.fingerprint());
        loaded += 1;
    }
    assert!(loaded >= 1);
}
