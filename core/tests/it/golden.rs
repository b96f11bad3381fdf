//! The golden cases (`golden/cases/`), one answer everywhere: each input document and the core's JSON for it,
//! byte for byte. pytest (`bindings-python/tests/test_golden.py`) and node (`bindings-wasm/test/golden.test.mjs`)
//! run the same files through the bindings. `PUMPPATH_BLESS=1` writes the inputs from the handout's situations
//! below (built on the demo clinic) and the expected outputs; review the diff, it is the contract.
//!
//! Inputs: `NAME.request.json` (an evaluation request, with the trace) gives `NAME.assessment.json`
//! (`rules::evaluate_json`) and `NAME.patient_view.json` (`rules::patient_view_json`); `NAME.readings.json` gives
//! `NAME.cgm.json` (`Series::report_json`); `NAME.worklist_request.json` gives `NAME.worklist.json`
//! (`rules::worklist_json`).

use std::path::{Path, PathBuf};

use jiff::civil::date;
use pumppath::cgm::{Series, SeriesOptions, TimeScale};
use pumppath::demo::{self, DemoPatient, GlucoseProfile};
use pumppath::glucose::Unit;
use pumppath::pathway::Protocol;
use serde_json::{Value, json};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden/cases")
}

fn patient(id: &str) -> DemoPatient {
    demo::cohort().into_iter().find(|p| p.id == id).unwrap()
}

fn record(p: &DemoPatient) -> Value {
    serde_json::from_str(&p.record(Protocol::standard()).unwrap().to_json()).unwrap()
}

fn readings_of(readings: Vec<(jiff::civil::DateTime, f64)>, unit: Unit) -> Value {
    let series = Series::from_readings(unit, readings, &SeriesOptions::default()).unwrap();
    serde_json::to_value(series.to_columnar(TimeScale::Milliseconds)).unwrap()
}

fn readings(p: &DemoPatient) -> Value {
    readings_of(p.readings(), Unit::MgDl)
}

/// An event in the wire format.
fn event(id: &str, at: &str, actor: &str, kind: Value) -> Value {
    let mut e = json!({"id": id, "occurred_at": at, "recorded_at": at, "actor": actor});
    e.as_object_mut().unwrap().extend(kind.as_object().unwrap().clone());
    e
}

fn with_events(mut record: Value, events: &[Value]) -> Value {
    record["events"].as_array_mut().unwrap().extend(events.iter().cloned());
    record
}

fn request(record: Value, readings: Option<Value>, now: &str, zone: &str) -> Value {
    let mut r = json!({"record": record, "now": now, "time_zone": zone, "trace": true});
    if let Some(readings) = readings {
        r["readings"] = readings;
    }
    r
}

const NOW: &str = demo::DEMO_NOW;
const ZONE: &str = demo::DEMO_TIME_ZONE;

/// The evaluation requests, from the handout's situations.
fn requests() -> Vec<(&'static str, Value)> {
    let (ana, ben, chloe, dev, ema, finn, gia) = (
        patient("ana"),
        patient("ben"),
        patient("chloe"),
        patient("dev"),
        patient("ema"),
        patient("finn"),
        patient("gia"),
    );
    let mut out = vec![
        // Pre-pump: coverage submitted weeks ago and no decision.
        ("insurance_stuck", request(record(&ana), None, NOW, ZONE)),
        // A denied claim, acknowledged while the appeal runs.
        ("insurance_denied_acknowledged", request(record(&ema), None, NOW, ZONE)),
        // Twelve days on the pump, frequently high, not linked, no specialist visit yet.
        ("first_weeks_highs", request(record(&ben), Some(readings(&ben)), NOW, ZONE)),
        // The same patient, frequently low in the first weeks.
        (
            "first_weeks_lows",
            request(
                record(&ben),
                Some(readings_of(
                    demo::readings(GlucoseProfile::FrequentLows, demo::DEMO_START, 14),
                    Unit::MgDl,
                )),
                NOW,
                ZONE,
            ),
        ),
        // Weeks later the specialist visit was skipped: its window has closed.
        (
            "specialist_visit_skipped",
            request(record(&ben), Some(readings(&ben)), "2026-04-10T15:00:00Z", ZONE),
        ),
        // Four months on the pump: the quarterly follow-up is overdue, lows are frequent.
        ("follow_up_overdue", request(record(&chloe), Some(readings(&chloe)), NOW, ZONE)),
        // The same patient once the follow-up is booked.
        (
            "follow_up_booked",
            request(
                with_events(
                    record(&chloe),
                    &[event(
                        "booked",
                        "2026-03-16T14:00:00Z",
                        "clinic_staff",
                        json!({"type": "item_scheduled", "item": "follow_up_every_3_months", "scheduled_for": "2026-03-20"}),
                    )],
                ),
                Some(readings(&chloe)),
                NOW,
                ZONE,
            ),
        ),
        // The lows acknowledged by the provider: quiet until the evidence worsens.
        (
            "lows_acknowledged",
            request(
                with_events(
                    record(&chloe),
                    &[event(
                        "ack",
                        "2026-03-16T14:00:00Z",
                        "provider",
                        json!({"type": "action_acknowledged", "rule": "frequent_lows", "until": "2026-03-30"}),
                    )],
                ),
                Some(readings(&chloe)),
                NOW,
                ZONE,
            ),
        ),
        // A CGM that stopped sending four days ago.
        ("data_stopped", request(record(&finn), Some(readings(&finn)), NOW, ZONE)),
        // Worse than the 14 days before.
        ("worsening", request(record(&gia), Some(readings(&gia)), NOW, ZONE)),
        // Too little data to judge: three days of a well-controlled trace.
        (
            "data_too_sparse",
            request(
                record(&dev),
                Some(readings_of(
                    demo::readings(GlucoseProfile::WellControlled, date(2026, 3, 12).at(0, 2, 0, 0), 3),
                    Unit::MgDl,
                )),
                NOW,
                ZONE,
            ),
        ),
        // Pregnancy targets (type 1): the same readings judged against 63-140 mg/dL.
        ("pregnancy_targets", {
            let mut r = request(record(&dev), Some(readings(&dev)), NOW, ZONE);
            r["targets"] = json!({"preset": "pregnancy_type1"});
            r
        }),
        // A meter in mmol/L.
        (
            "mmol_readings",
            request(
                record(&chloe),
                Some(readings_of(
                    chloe
                        .readings()
                        .into_iter()
                        .map(|(t, v)| (t, (v / 18.0182 * 10.0).round() / 10.0))
                        .collect(),
                    Unit::MmolL,
                )),
                NOW,
                ZONE,
            ),
        ),
    ];
    // A clinic's own protocol: follow-up every two months, supplies reordered ten days ahead.
    let mut custom: Value = serde_json::from_str(&Protocol::standard().to_json()).unwrap();
    custom["id"] = json!("riverside_clinic");
    custom["version"] = json!("2026.2");
    custom["settings"]["schedule"]["follow_up_interval_months"] = json!(2);
    let mut r = request(record(&dev), Some(readings(&dev)), NOW, ZONE);
    r["protocol"] = custom;
    r["record"].as_object_mut().unwrap().remove("protocol_fingerprint");
    out.push(("custom_protocol", r));
    // Across the autumn change of clocks (America/Chicago, 2025-11-02 02:00 -> 01:00): instants in a zone.
    out.push((
        "dst_autumn",
        request(
            json!({"patient_id": "dst", "events": []}),
            Some(dst_readings()),
            "2025-11-05T15:00:00Z",
            ZONE,
        ),
    ));
    out
}

/// Eight days of 5-minute readings as instants across the autumn change of clocks, shown in America/Chicago.
fn dst_readings() -> Value {
    let start = jiff::Timestamp::from_second(1_761_696_000).unwrap(); // 2025-10-29T00:00:00Z
    let trace = demo::readings(GlucoseProfile::SlippingControl, date(2025, 10, 29).at(0, 0, 0, 0), 8);
    let times: Vec<i64> = (0..trace.len() as i64).map(|k| (start.as_second() + k * 300) * 1_000).collect();
    let values: Vec<f64> = trace.iter().map(|&(_, v)| v).collect();
    json!({"unit": "mg/dL", "time_zone": ZONE, "times": times, "values": values})
}

/// Readings-only cases: the summary and episodes.
fn readings_cases() -> Vec<(&'static str, Value)> {
    vec![
        ("frequent_lows", readings(&patient("chloe"))),
        (
            "frequent_highs_mmol",
            readings_of(
                patient("ema")
                    .readings()
                    .into_iter()
                    .map(|(t, v)| (t, (v / 18.0182 * 10.0).round() / 10.0))
                    .collect(),
                Unit::MmolL,
            ),
        ),
        ("dst_autumn", dst_readings()),
    ]
}

/// The demo clinic as one work-list request.
fn worklist_cases() -> Vec<(&'static str, Value)> {
    let patients: Vec<Value> = demo::cohort()
        .iter()
        .map(|p| {
            let readings = p.readings();
            let mut entry = json!({"record": record(p)});
            if !readings.is_empty() {
                entry["readings"] = readings_of(readings, Unit::MgDl);
            }
            entry
        })
        .collect();
    vec![("demo_clinic", json!({"patients": patients, "now": NOW, "time_zone": ZONE}))]
}

/// Compares (or, blessing, writes) one expected output.
fn check(name: &str, actual: &str, wrong: &mut Vec<String>) {
    let path = dir().join(name);
    if std::env::var_os("PUMPPATH_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    } else if std::fs::read_to_string(&path).ok().as_deref() != Some(actual) {
        wrong.push(format!("{name} differs from the core's output (PUMPPATH_BLESS=1 rewrites it)"));
    }
}

/// An input: written from its builder when blessing, else read as committed (the contract).
fn input(name: &str, built: &Value) -> String {
    let path = dir().join(name);
    if std::env::var_os("PUMPPATH_BLESS").is_some() {
        std::fs::create_dir_all(dir()).unwrap();
        std::fs::write(&path, serde_json::to_string(built).unwrap() + "\n").unwrap();
    }
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_golden_case_is_the_cores_output_byte_for_byte() {
    let mut wrong = Vec::new();
    for (name, built) in requests() {
        let text = input(&format!("{name}.request.json"), &built);
        let assessment = pumppath::rules::evaluate_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(&format!("{name}.assessment.json"), &assessment, &mut wrong);
        let view = pumppath::rules::patient_view_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(&format!("{name}.patient_view.json"), &view, &mut wrong);
    }
    for (name, built) in readings_cases() {
        let text = input(&format!("{name}.readings.json"), &built);
        check(&format!("{name}.cgm.json"), &Series::report_json(&text).unwrap(), &mut wrong);
    }
    for (name, built) in worklist_cases() {
        let text = input(&format!("{name}.worklist_request.json"), &built);
        check(&format!("{name}.worklist.json"), &pumppath::rules::worklist_json(&text).unwrap(), &mut wrong);
    }
    // Every file of the folder belongs to a case: nothing stale lingers.
    let names: Vec<String> =
        std::fs::read_dir(dir()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    let cases = requests().len() * 3 + readings_cases().len() * 2 + worklist_cases().len() * 2;
    assert_eq!(names.len(), cases, "golden/cases holds files of no case: {names:?}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
