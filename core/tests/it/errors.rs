//! The error contract the bindings map: kinds, codes, problems and the serialised shape.

use std::collections::BTreeSet;

use jiff::Timestamp;
use pumppath::Error;
use pumppath::cgm::SeriesError;
use pumppath::cohort::CohortError;
use pumppath::fhir::FhirError;
use pumppath::glucose::{GlucoseError, Unit, ValueProblem};
use pumppath::io::ReadError;
use pumppath::pathway::{
    EventError, EventType, ItemState, Milestone, Protocol, ProtocolError, Record, RecordError, Role,
};
use pumppath::schedule::ScheduleError;
use serde_json::json;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// One error of every variant of every module error.
fn every_variant() -> Vec<Error> {
    let t = ts("2026-03-02T08:00:00Z");
    let glucose =
        GlucoseError::InvalidValue { value: -3.0, unit: Unit::MgDl, problem: ValueProblem::NotPositive };
    let id = || "e1".to_owned();
    let item = || "pump_chosen".to_owned();
    vec![
        glucose.clone().into(),
        GlucoseError::InvalidValueAt {
            index: 5,
            value: f64::NAN,
            unit: Unit::MgDl,
            problem: ValueProblem::NotANumber,
        }
        .into(),
        GlucoseError::UnknownUnit { value: "mg".into() }.into(),
        GlucoseError::InvalidThreshold {
            field: "cut_points.low_below".into(),
            value: 0.0,
            problem: pumppath::glucose::ThresholdProblem::NotPositive,
        }
        .into(),
        GlucoseError::InvalidTargets { problem: pumppath::glucose::TargetsProblem::EmptyName }.into(),
        GlucoseError::UnknownPreset { value: "relaxed".into() }.into(),
        GlucoseError::MalformedTargets {
            problems: vec![pumppath::Problem::new("$.colour", pumppath::ProblemCode::UnknownField, "x")],
        }
        .into(),
        GlucoseError::BufferLength { expected: 2, actual: 1 }.into(),
        SeriesError::LengthMismatch { times: 1, values: 2 }.into(),
        SeriesError::InvalidValue { index: 1, source: glucose.clone() }.into(),
        SeriesError::TimeOutOfRange { index: Some(1), seconds: i64::MAX }.into(),
        SeriesError::DuplicateTime { time: "2026-03-02T08:00".parse().unwrap(), count: 2 }.into(),
        SeriesError::NotIncreasing { index: 2, seconds: 300 }.into(),
        SeriesError::InvalidTime { value: "noon".into() }.into(),
        SeriesError::NonFiniteTime { index: 1, value: f64::NAN }.into(),
        SeriesError::UnknownTimeZone { value: "Mars/Olympus".into() }.into(),
        SeriesError::InvalidBinMinutes { value: 7 }.into(),
        SeriesError::InvalidJson {
            problems: vec![pumppath::Problem::new("$", pumppath::ProblemCode::InvalidJson, "x")],
        }
        .into(),
        SeriesError::Patient {
            id: "A".into(),
            source: Box::new(SeriesError::InvalidTime { value: "x".into() }),
        }
        .into(),
        ReadError::Io { message: "x".into() }.into(),
        ReadError::Csv { line: 3, message: "x".into() }.into(),
        ReadError::MissingColumn { line: 1, column: "gl".into() }.into(),
        ReadError::InvalidTime { line: 3, column: "time".into(), value: "x".into() }.into(),
        ReadError::InvalidValue {
            line: 3,
            column: "gl".into(),
            value: "abc".into(),
            problem: ValueProblem::NotANumber,
        }
        .into(),
        ReadError::Series { id: "A".into(), source: SeriesError::NotIncreasing { index: 2, seconds: 300 } }
            .into(),
        ProtocolError::Invalid {
            problems: vec![pumppath::Problem::new("$.id", "invalid_id".parse().unwrap(), "x")],
        }
        .into(),
        ProtocolError::Serialize { message: "x".into() }.into(),
        EventError::DuplicateEventId { event_id: id() }.into(),
        EventError::RecordedOutOfOrder { event_id: id(), recorded_at: t, last_recorded_at: t }.into(),
        EventError::RecordedInFuture { event_id: id(), recorded_at: t, now: t }.into(),
        EventError::ActorNotAllowed {
            event_id: id(),
            actor: Role::Patient,
            event_type: EventType::PumpOrdered,
            allowed: vec![Role::Supplier],
        }
        .into(),
        EventError::OccurredOutOfOrder {
            event_id: id(),
            event_type: EventType::PumpOrdered,
            occurred_at: t,
            other_event_type: EventType::PumpChosen,
            other_occurred_at: t,
        }
        .into(),
        EventError::OccurredAfterRecorded { event_id: id(), occurred_at: t, recorded_at: t }.into(),
        EventError::UnknownItem { event_id: id(), item: item() }.into(),
        EventError::NoMilestoneItem { event_id: id(), milestone: Milestone::PumpStart }.into(),
        EventError::PrerequisitesNotMet {
            event_id: id(),
            item: item(),
            state: ItemState::NotStarted,
            attempted: ItemState::Completed,
            unmet: vec!["a".into()],
        }
        .into(),
        EventError::FinalState {
            event_id: id(),
            item: item(),
            state: ItemState::Completed,
            attempted: ItemState::OnHold,
        }
        .into(),
        EventError::InvalidTransition {
            event_id: id(),
            item: item(),
            state: ItemState::NotStarted,
            attempted: ItemState::InProgress,
            reason: pumppath::pathway::TransitionProblem::NotDone,
        }
        .into(),
        EventError::InvalidField {
            event_id: id(),
            field: "reason",
            value: " ".into(),
            problem: pumppath::pathway::FieldProblem::Empty,
        }
        .into(),
        EventError::CannotVoid {
            event_id: id(),
            voids: "e0".into(),
            problem: pumppath::pathway::VoidProblem::AlreadyVoided,
        }
        .into(),
        EventError::CorrectionInvalidates {
            event_id: id(),
            voids: "e0".into(),
            cause: Box::new(EventError::DuplicateEventId { event_id: id() }),
        }
        .into(),
        RecordError::Malformed {
            problems: vec![pumppath::Problem::new("events[0].x", "unknown_field".parse().unwrap(), "x")],
        }
        .into(),
        RecordError::EventRejected {
            path: "$.events[2]".into(),
            source: Box::new(EventError::DuplicateEventId { event_id: id() }),
        }
        .into(),
        RecordError::ProtocolMismatch { expected: "a".into(), actual: "b".into() }.into(),
        ScheduleError::UnknownTimeZone { value: "Mars/Olympus".into() }.into(),
        ScheduleError::DateOutOfRange { message: "x".into() }.into(),
        pumppath::rules::RequestError::Malformed {
            problems: vec![pumppath::Problem::new("$.now", pumppath::ProblemCode::InvalidValue, "x")],
        }
        .into(),
        CohortError::MissingColumn { column: "gl".into(), available: "id, time".into() }.into(),
        CohortError::ColumnType {
            column: "time".into(),
            found: "Utf8".into(),
            expected: "a timestamp".into(),
        }
        .into(),
        CohortError::NullValue { column: "id".into(), row: 3 }.into(),
        CohortError::LengthMismatch { lengths: "ids: 1, times: 2, values: 2".into() }.into(),
        FhirError::MalformedBundle {
            problems: vec![pumppath::Problem::new("$", pumppath::ProblemCode::InvalidJson, "x")],
        }
        .into(),
        FhirError::MissingField { path: "$.entry[0].resource.subject".into(), expected: "the patient" }
            .into(),
        FhirError::InvalidField {
            path: "$.resourceType".into(),
            value: "Patient".into(),
            expected: "\"Bundle\"",
        }
        .into(),
        FhirError::UnknownCode {
            path: "$.entry[0].resource.code".into(),
            codes: "http://loinc.org|8867-4".into(),
        }
        .into(),
        FhirError::BloodGlucoseCode { path: "$.entry[0].resource.code".into(), code: "2339-0".into() }.into(),
        FhirError::InvalidValue {
            path: "$.entry[0].resource.valueQuantity.value".into(),
            source: GlucoseError::InvalidValue {
                value: -5.0,
                unit: Unit::MgDl,
                problem: ValueProblem::NotPositive,
            },
        }
        .into(),
        FhirError::UnknownUnit { path: "$.entry[0].resource.valueQuantity".into(), unit: "kPa".into() }
            .into(),
        FhirError::UnitMismatch {
            path: "$.entry[0].resource.valueQuantity".into(),
            code: "99504-3".into(),
            unit: Unit::MmolL,
            expected: Unit::MgDl,
        }
        .into(),
        FhirError::MixedUnits {
            path: "$.entry[1].resource.valueQuantity".into(),
            unit: Unit::MmolL,
            first: Unit::MgDl,
        }
        .into(),
        FhirError::MissingMetric { metric: "cv", why: "fewer than two readings" }.into(),
        FhirError::ZonelessReadings.into(),
        FhirError::RecordMismatch { field: "patient_id", record: "dev".into(), assessment: "chloe".into() }
            .into(),
    ]
}

#[test]
fn every_variant_has_its_own_code_and_the_lists_are_exact() {
    let produced: BTreeSet<(&str, &str)> =
        every_variant().iter().map(|e| (e.kind().as_str(), e.code().as_str())).collect();
    let listed: BTreeSet<(&str, &str)> =
        Error::all_codes().into_iter().map(|(k, c)| (k.as_str(), c.as_str())).collect();
    assert_eq!(produced, listed);
    assert_eq!(produced.len(), every_variant().len(), "two variants share a code");
    for e in every_variant() {
        assert!(!e.problems().is_empty(), "{e}");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], e.kind().as_str());
        assert_eq!(v["code"], e.code().as_str());
        assert_eq!(v["message"], e.to_string());
        assert!(v["problems"].as_array().is_some_and(|p| !p.is_empty()), "{v}");
    }
}

#[test]
fn errors_serialise_with_kind_code_message_and_problems() {
    let shape = |e: Error| serde_json::to_value(&e).unwrap();
    let glucose =
        pumppath::glucose::Classifier::new(&Default::default(), Unit::MgDl).count(&[100.0, 5.0]).unwrap_err();
    assert_eq!(
        shape(glucose.into()),
        json!({"kind": "GlucoseError", "code": "invalid_value_at",
               "message": "values[1]: glucose value 5 mg/dL is below the plausible minimum of 10 mg/dL (0.555 mmol/L)",
               "problems": [{"path": "$.values[1]", "code": "below_plausible",
                             "message": "values[1]: glucose value 5 mg/dL is below the plausible minimum of 10 mg/dL (0.555 mmol/L)",
                             "value": 5.0}]})
    );
    let series =
        pumppath::cgm::Series::from_slices(Unit::MgDl, &[0, 300], &[110.0, -3.0], &Default::default())
            .unwrap_err();
    let v = shape(series.into());
    assert_eq!((v["kind"].as_str(), v["code"].as_str()), (Some("SeriesError"), Some("invalid_value")));
    assert_eq!(
        v["problems"][0],
        json!({"path": "$.values[1]", "code": "not_positive",
        "message": "readings[1]: glucose value -3 mg/dL is not positive", "value": -3.0})
    );

    let csv = "id,time,gl\nA,2026-03-02 08:00:00,112\nA,2026-03-02 08:05,abc\n";
    let read = pumppath::io::read_long_csv(csv.as_bytes(), Unit::MgDl, &Default::default()).unwrap_err();
    let v = shape(read.into());
    assert_eq!((v["kind"].as_str(), v["code"].as_str()), (Some("ReadError"), Some("invalid_value")));
    assert_eq!(v["problems"][0]["path"], "line 3, column \"gl\"");
    assert_eq!(v["problems"][0]["code"], "not_a_number");
    assert_eq!(v["problems"][0]["value"], "abc");

    let protocol = Protocol::from_json(
        r#"{"schema_version": 1, "id": "x", "version": "1", "title": "X", "phases": [], "extra": 1}"#,
    )
    .unwrap_err();
    let v = shape(protocol.into());
    assert_eq!((v["kind"].as_str(), v["code"].as_str()), (Some("ProtocolError"), Some("invalid_protocol")));
    assert_eq!(
        v["problems"],
        json!([
            {"path": "$.extra", "code": "unknown_field", "message": "unknown field", "value": 1},
            {"path": "$.phases", "code": "empty", "message": "a protocol needs at least one phase"}
        ])
    );

    let p = Protocol::standard();
    let mut record = Record::new(p, "x");
    let at = ts("2026-03-02T08:00:00Z");
    let event = pumppath::pathway::Event::new(
        "e1",
        at,
        Role::Patient,
        pumppath::pathway::EventKind::ItemCompleted { item: "nope".into() },
    );
    let v = shape(record.apply(event).unwrap_err().into());
    assert_eq!(
        v,
        json!({"kind": "EventError", "code": "unknown_item", "message": "event \"e1\": unknown item \"nope\"",
        "problems": [{"path": "$.item", "code": "unknown_item", "message": "event \"e1\": unknown item \"nope\"", "value": "nope"}]})
    );

    let v = shape(Record::from_json(p, r#"{"patient_id": "x", "events": {}}"#).unwrap_err().into());
    assert_eq!(
        v,
        json!({"kind": "RecordError", "code": "malformed_record", "message": "malformed record JSON: $.events: invalid type: map, expected a sequence",
        "problems": [{"path": "$.events", "code": "invalid_type", "message": "invalid type: map, expected a sequence", "value": {}}]})
    );

    let err = pumppath::rules::evaluate(
        &record,
        None,
        at,
        "Mars/Olympus",
        &pumppath::rules::EvaluationOptions::default(),
    )
    .unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("ScheduleError", "unknown_time_zone"));
    assert!(err.to_string().contains("\"Mars/Olympus\""), "{err}");
    let v = shape(err);
    assert_eq!(v["problems"][0]["path"], "$.time_zone");
    assert_eq!(v["problems"][0]["value"], "Mars/Olympus");
}

#[test]
fn value_problems_serialise_by_their_codes() {
    let codes: Vec<serde_json::Value> =
        ValueProblem::ALL.iter().map(|p| serde_json::to_value(p).unwrap()).collect();
    assert_eq!(
        codes,
        [
            json!("not_a_number"),
            json!("infinite"),
            json!("not_positive"),
            json!("below_plausible"),
            json!("above_plausible")
        ]
    );
}

#[test]
fn a_csv_series_error_keeps_its_series_code() {
    let csv = "id,time,gl\nA,2026-03-02 08:00:00,112\nA,2026-03-02 08:00:00,113\n";
    let err: Error =
        pumppath::io::read_long_csv(csv.as_bytes(), Unit::MgDl, &Default::default()).unwrap_err().into();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("ReadError", "series"));
    let problems = err.problems();
    assert_eq!(problems[0].code, "duplicate_time");
    assert_eq!(problems[0].path, "patient \"A\", $.times");
}
