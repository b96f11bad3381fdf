//! Issue 23, the JSON door and the clock: every document a clinic system sends is read one way, with typed
//! codes and one path form from the root, values echoed once and cut; and every door that knows a clock
//! refuses events recorded implausibly far after it, while an assessment never counts an event recorded after
//! its "now".

use pumppath::pathway::{Event, EventKind, Protocol, Record, RecordError, Role};
use pumppath::rules::{EvaluationOptions, evaluate, evaluate_json, worklist_json};
use pumppath::{Error, ProblemCode};
use serde_json::{Value, json};

fn ts(s: &str) -> pumppath::jiff::Timestamp {
    s.parse().unwrap()
}

fn event(id: &str, at: &str, actor: &str, kind: Value) -> Value {
    let mut e = json!({"id": id, "occurred_at": at, "recorded_at": at, "actor": actor});
    if let (Some(e), Some(k)) = (e.as_object_mut(), kind.as_object()) {
        e.extend(k.clone());
    }
    e
}

fn submitted(id: &str, at: &str) -> Value {
    event(id, at, "clinic_staff", json!({"type": "insurance_submitted"}))
}

/// (path, code) of every problem.
fn problems(e: &Error) -> Vec<(String, &'static str)> {
    e.problems().into_iter().map(|p| (p.path, p.code.as_str())).collect()
}

fn request(record_events: Value, extra: Value) -> String {
    let mut doc = json!({"record": {"patient_id": "p1", "events": record_events},
                         "now": "2026-03-03T15:00:00Z", "time_zone": "America/Chicago"});
    if let (Some(d), Some(x)) = (doc.as_object_mut(), extra.as_object()) {
        d.extend(x.clone());
    }
    doc.to_string()
}

#[test]
fn each_problem_of_a_request_has_its_own_code_and_path() {
    let events = json!([submitted("e1", "2026-02-02T15:00:00Z")]);
    // An unknown top-level key and a bad `now`: a RequestError, each problem at its path.
    let mut doc: Value = serde_json::from_str(&request(events.clone(), json!({"colour": 1}))).unwrap();
    doc["now"] = json!("yesterday");
    let err = evaluate_json(&doc.to_string()).unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("RequestError", "malformed_request"));
    assert_eq!(problems(&err), [("$.colour".into(), "unknown_field"), ("$.now".into(), "invalid_value")]);
    // The problem's message is typed text, never serde's "line 1 column 134".
    assert!(err.problems().iter().all(|p| !p.message.contains("column")), "{err}");

    // An unknown field in the readings: at its path inside the request.
    let readings = json!({"readings": {"unit": "mg/dL", "times": [0], "values": [100], "colour": "red"}});
    let err = evaluate_json(&request(events.clone(), readings)).unwrap_err();
    assert_eq!(problems(&err), [("$.readings.colour".into(), "unknown_field")]);

    // A record's problems keep the record's kind, under the request's path.
    let bad = json!([
        submitted("e1", "2026-02-02T15:00:00Z"),
        event("e2", "2026-02-03T15:00:00Z", "patient", json!({"type": "insurance_submitted", "colour": 1}))
    ]);
    let err = evaluate_json(&request(bad, json!({}))).unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("RecordError", "malformed_record"));
    assert_eq!(problems(&err), [("$.record.events[1].colour".into(), "unknown_field")]);

    // An event the guards reject names its place, under the request's path, with the guard's code.
    let rejected =
        json!([event("e1", "2026-02-02T15:00:00Z", "patient", json!({"type": "insurance_submitted"}))]);
    let err = evaluate_json(&request(rejected, json!({}))).unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("RecordError", "event_rejected"));
    assert_eq!(problems(&err), [("$.record.events[0].actor".into(), "actor_not_allowed")]);

    // A protocol's problems under `$.protocol`.
    let protocol =
        json!({"protocol": {"schema_version": 1, "id": "x", "version": "1", "title": "X", "phases": []}});
    let err = evaluate_json(&request(events.clone(), protocol)).unwrap_err();
    assert_eq!(problems(&err), [("$.protocol.phases".into(), "empty")]);
    // A reading's problem inside the request: the series error's kind and code, under `$.readings`.
    let readings = json!({"readings": {"unit": "mg/dL", "times": [0, 300000], "values": [100, -3],
                                       "time_zone": "Mars/Olympus"}});
    let err = evaluate_json(&request(events.clone(), readings)).unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("SeriesError", "unknown_time_zone"));
    assert_eq!(problems(&err), [("$.readings.time_zone".into(), "unknown_time_zone")]);
    let readings = json!({"readings": {"unit": "mg/dL", "times": [0, 300000], "values": [100, -3]}});
    let err = evaluate_json(&request(events.clone(), readings)).unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("SeriesError", "invalid_value"));
    assert_eq!(problems(&err), [("$.readings.values[1]".into(), "not_positive")]);
    // A key given as a 10 MB typo comes back cut, in its path too.
    let mut doc: Value = serde_json::from_str(&request(events.clone(), json!({}))).unwrap();
    doc[format!("x{}", "y".repeat(10 << 20))] = json!(1);
    let err = evaluate_json(&doc.to_string()).unwrap_err();
    assert!(serde_json::to_string(&err).unwrap().len() < 4_000);
    assert_eq!(err.problems()[0].code, "unknown_field");
    // Text that is not JSON at all.
    let err = evaluate_json("{\"record\": ").unwrap_err();
    assert_eq!(problems(&err), [("$".into(), "invalid_json")]);
}

#[test]
fn a_huge_value_is_echoed_once_and_cut() {
    let zone = format!("Mars/{}", "x".repeat(10 << 20)); // 10 MB
    let mut doc: Value = serde_json::from_str(&request(json!([]), json!({}))).unwrap();
    doc["time_zone"] = json!(zone);
    let err = evaluate_json(&doc.to_string()).unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("ScheduleError", "unknown_time_zone"));
    let echoed = serde_json::to_string(&err).unwrap();
    assert!(echoed.len() < 4_000, "the error is {} bytes", echoed.len());
    // Once in the message (and its problem's) and once as the value, each cut.
    assert_eq!(echoed.matches("Mars/").count(), 3, "{echoed}");
    assert!(echoed.contains(&format!("({} bytes)", zone.len())), "{echoed}");
}

#[test]
fn problem_codes_are_one_table() {
    // Every code an error can have is a ProblemCode, and reads back from its wire name.
    for (_, code) in Error::all_codes() {
        assert_eq!(code.as_str().parse::<ProblemCode>().unwrap(), code);
    }
    // Typed reasons carry their own codes: a cut-point that is not positive, targets missing their parts.
    let err: Error =
        pumppath::glucose::CutPoints::new(pumppath::glucose::Unit::MgDl, 54.0, 0.0, 180.0, 250.0)
            .unwrap_err()
            .into();
    assert_eq!(problems(&err), [("$.cut_points.low_below".into(), "not_positive")]);
    let err = serde_json::from_str::<pumppath::glucose::Targets>(r#"{"name": "mine"}"#).unwrap_err();
    assert!(err.to_string().contains("custom targets need cut_points, goals"), "{err}");
    let schema: Value = serde_json::from_str(include_str!("../../../schema/error.schema.json")).unwrap();
    let text = schema.to_string();
    // The error schema's kind and code are enums.
    assert!(text.contains("\"GlucoseError\"") && text.contains("\"malformed_request\""), "{text}");
}

/// A record whose coverage was submitted on 2 February and approved at `at` (occurred and recorded then).
fn approved_at(at: &str) -> Record {
    let mut record = Record::new(Protocol::standard(), "p1");
    let submitted = EventKind::InsuranceSubmitted;
    record.apply(Event::new("e1", ts("2026-02-02T15:00:00Z"), Role::ClinicStaff, submitted)).unwrap();
    let approved = EventKind::InsuranceDecision { decision: pumppath::pathway::InsuranceDecision::Approved };
    record.apply(Event::new("e2", ts(at), Role::Insurer, approved)).unwrap();
    record
}

#[test]
fn an_event_recorded_far_after_now_is_refused_at_every_door_with_a_clock() {
    // A mistyped year: recorded (and occurred) in 9999. `apply` has no clock and accepts it...
    let record = approved_at("9999-01-02T15:00:00Z");
    // ...but the assessment at now refuses it, naming the event, and never counts the item as done.
    let now = ts("2026-03-03T15:00:00Z");
    let err = evaluate(&record, None, now, "UTC", &EvaluationOptions::default()).unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("RecordError", "event_rejected"));
    assert_eq!(problems(&err), [("$.events[1].recorded_at".into(), "recorded_in_future")]);
    // The request document and the work-list request refuse it too, under their paths.
    let events: Value = serde_json::from_str::<Value>(&record.to_json()).unwrap()["events"].clone();
    let err = evaluate_json(&request(events.clone(), json!({}))).unwrap_err();
    assert_eq!(problems(&err), [("$.record.events[1].recorded_at".into(), "recorded_in_future")]);
    let panel = json!({"patients": [{"record": {"patient_id": "p1", "events": events}}],
                       "now": "2026-03-03T15:00:00Z", "time_zone": "UTC"});
    let list: Value = serde_json::from_str(&worklist_json(&panel.to_string()).unwrap()).unwrap();
    assert_eq!(
        list["errors"][0]["error"]["problems"][0]["path"],
        "$.patients[0].record.events[1].recorded_at"
    );
    assert_eq!(list["errors"][0]["error"]["code"], "event_rejected");
    assert_eq!(list["patients"].as_array().map(Vec::len), Some(0));
}

#[test]
fn an_event_recorded_just_after_now_is_not_counted_and_the_assessment_says_so() {
    // Recorded two hours after "now" (clock skew between systems): allowed, not counted.
    let record = approved_at("2026-03-03T17:00:00Z");
    let a =
        evaluate(&record, None, ts("2026-03-03T15:00:00Z"), "UTC", &EvaluationOptions::default()).unwrap();
    assert_eq!(a.events_after_now, ["e2"]);
    assert!(a.actions.iter().any(|x| x.rule == pumppath::rules::RuleId::InsurancePending), "{:?}", a.actions);
    // At a later now it counts, and nothing is listed.
    let a =
        evaluate(&record, None, ts("2026-03-04T15:00:00Z"), "UTC", &EvaluationOptions::default()).unwrap();
    assert!(a.events_after_now.is_empty());
    assert!(a.actions.iter().all(|x| x.rule != pumppath::rules::RuleId::InsurancePending));
}

#[test]
fn a_record_reads_one_way_whatever_door() {
    // From text, a rejected event is a RecordError naming its place; a malformed one lists every problem.
    let p = Protocol::standard();
    let doc = json!({"patient_id": "p1", "events": [submitted("e1", "2026-02-02T15:00:00Z"),
                     event("e2", "2026-02-03T15:00:00Z", "clinic_staff", json!({"type": "item_completed", "item": "nope"}))]});
    let err = Record::from_json(p, &doc.to_string()).unwrap_err();
    let RecordError::EventRejected { path, .. } = &err else { panic!("{err}") };
    assert_eq!(path, "$.events[1]");
    assert_eq!(problems(&err.into()), [("$.events[1].item".into(), "unknown_item")]);
    let doc = json!({"patient_id": 7, "events": [{"id": "e1"}], "extra": true});
    let err: Error = Record::from_json(p, &doc.to_string()).unwrap_err().into();
    assert_eq!(
        problems(&err),
        [
            ("$.extra".into(), "unknown_field"),
            ("$.patient_id".into(), "invalid_type"),
            ("$.events[0].recorded_at".into(), "missing_field")
        ]
    );
}
