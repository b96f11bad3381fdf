//! The pathway: the embedded protocol, validation, the record's guards, corrections, views and properties.

use jiff::{Timestamp, ToSpan};
use proptest::prelude::*;
use pumppath::pathway::*;

/// The event error inside a crate error (`Record::from_json` reports a rejected event inside a `RecordError`).
fn event(e: impl Into<pumppath::Error>) -> EventError {
    match e.into() {
        pumppath::Error::Event(e) => e,
        pumppath::Error::Record(RecordError::EventRejected { source, .. }) => *source,
        other => panic!("not an event error: {other}"),
    }
}

fn t0() -> Timestamp {
    "2026-01-05T09:00:00Z".parse().unwrap()
}

/// Builds events with increasing ids and times, one day apart.
struct Log {
    n: i64,
}

impl Log {
    fn new() -> Log {
        Log { n: 0 }
    }
    fn ev(&mut self, actor: Role, kind: EventKind) -> Event {
        self.n += 1;
        let at = t0().checked_add((self.n * 24).hours()).unwrap();
        Event::new(format!("e{}", self.n), at, actor, kind)
    }
}

fn done(item: &str) -> EventKind {
    EventKind::ItemCompleted { item: item.into() }
}

/// Events that walk a patient through the whole standard pathway.
fn full_walk() -> Vec<Event> {
    let p = Protocol::standard();
    let mut log = Log::new();
    let mut events = vec![
        log.ev(Role::ClinicStaff, EventKind::InsuranceSubmitted),
        log.ev(Role::Patient, done("pump_options_learned")),
        log.ev(Role::Patient, EventKind::PumpChosen { pump: "Tandem t:slim X2".into() }),
        log.ev(Role::Patient, done("provider_informed")),
        log.ev(Role::Insurer, EventKind::InsuranceDecision { decision: InsuranceDecision::Approved }),
        log.ev(Role::Supplier, EventKind::PumpOrdered { channel: OrderChannel::MedicalSupplyCompany }),
        log.ev(Role::PumpTrainer, done("training_scheduled")),
        log.ev(Role::Patient, done("pump_materials_reviewed")),
        log.ev(Role::PumpTrainer, done("training_completed")),
        log.ev(Role::Patient, EventKind::PumpStarted),
        log.ev(Role::Patient, EventKind::PumpLinked),
        log.ev(Role::Provider, done("settings_reviewed")),
    ];
    let topics: Vec<String> =
        p.items().filter(|(_, i)| i.education_topic).map(|(_, i)| i.id.clone()).collect();
    let mut covered = topics;
    covered.push("backup_plan_reviewed".into());
    events.push(log.ev(Role::Specialist, EventKind::VisitHeld { visit: VisitKind::Specialist, covered }));
    for item in [
        "supplies_renewal_arranged",
        "infusion_set_routine",
        "taping_managed",
        "pump_failure_backup_in_place",
    ] {
        events.push(log.ev(Role::Patient, done(item)));
    }
    events.push(log.ev(Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 90 }));
    events.push(log.ev(Role::Provider, EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] }));
    for item in ["knows_when_to_call", "knows_backup_plan", "knows_supply_source"] {
        events.push(log.ev(Role::Patient, done(item)));
    }
    events
}

#[test]
fn the_standard_protocol_is_the_handouts_pathway() {
    let p = Protocol::standard();
    assert_eq!(p.id(), "handout_standard");
    let phases: Vec<(&str, usize)> = p.phases().iter().map(|ph| (ph.id.as_str(), ph.items.len())).collect();
    assert_eq!(
        phases,
        [("pre_pump", 5), ("understanding_the_pump", 17), ("maintenance", 4), ("post_pump_care", 4)]
    );
    let topics: Vec<&str> =
        p.items().filter(|(_, i)| i.education_topic).map(|(_, i)| i.source.as_str()).collect();
    assert_eq!(topics.len(), 9, "nine education topics, each tracked on its own");
    for (_, item) in p.items() {
        assert!(
            handout::summary(&item.source).is_some(),
            "{} cites unknown passage {}",
            item.id,
            item.source
        );
        assert!(!item.description.is_empty());
    }
    assert_eq!(p.item("training_scheduled").unwrap().role, Role::PumpTrainer);
    assert_eq!(p.item("specialist_visit").unwrap().role, Role::Specialist);
    for m in [
        Milestone::InsuranceCoverage,
        Milestone::PumpChoice,
        Milestone::PumpOrder,
        Milestone::PumpStart,
        Milestone::PumpLink,
        Milestone::SettingsReview,
        Milestone::SpecialistVisit,
        Milestone::BackupPlanReview,
        Milestone::FollowUp,
        Milestone::SuppliesRenewal,
    ] {
        assert!(p.milestone_item(m).is_some(), "no item for {m}");
    }
    assert_eq!(p.settings().schedule.follow_up_interval_months, 3);
}

#[test]
fn protocols_round_trip_and_fingerprints_track_content() {
    let p = Protocol::standard();
    let again = Protocol::from_json(&p.to_json()).unwrap();
    assert_eq!(&again, p);
    assert_eq!(again.fingerprint(), p.fingerprint());
    // Whitespace and key order do not change the fingerprint; content does, settings included.
    let value: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
    let compact = Protocol::from_json(&serde_json::to_string(&value).unwrap()).unwrap();
    assert_eq!(compact.fingerprint(), p.fingerprint());
    let mut d = p.definition().clone();
    d.settings.schedule.insurance_check_in_days = 28;
    let changed = Protocol::new(d).unwrap();
    assert_ne!(changed.fingerprint(), p.fingerprint());
    assert!(p.fingerprint().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
}

#[test]
fn canonical_json_sorts_keys_and_drops_integral_fractions() {
    let v = serde_json::json!({"z": {"b": 2.0, "a": -0.25}, "a": [1, "é\n"], "m": 1e21});
    assert_eq!(canonical_json(&v).unwrap(), "{\"a\":[1,\"é\\n\"],\"m\":1e+21,\"z\":{\"a\":-0.25,\"b\":2}}");
}

#[test]
fn loading_reports_every_problem_with_its_path() {
    let json = r#"{
      "schema_version": 1, "id": "clinic_x", "version": "1", "title": "Clinic X",
      "phases": [
        {"id": "one", "title": "One", "items": [
          {"id": "a", "title": "A", "description": "", "role": "patient", "required": true,
           "prerequisites": ["c", "ghost"], "source": "pre_pump.1", "colour": "red"},
          {"id": "b", "title": "B", "description": "", "role": "patient", "required": true,
           "prerequisites": ["a", "b"], "source": "pre_pump.2"},
          {"id": "c", "title": "C", "description": "", "role": "patient", "required": true,
           "prerequisites": ["b"], "source": "pre pump"},
          {"id": "a", "title": "A again", "description": "", "role": "patient", "required": false,
           "source": "pre_pump.3"}
        ]},
        {"id": "two", "title": "Two", "items": []},
        {"id": "three", "title": "Three", "items": [
          {"id": "d", "title": "D", "description": "", "role": "provider", "required": true,
           "prerequisites": [], "source": "post_pump_care.1", "milestone": "pump_started"}
        ]},
        {"id": "four", "title": "Four", "items": [
          {"id": "e", "title": "E", "description": "", "role": "provider", "required": true,
           "source": "post_pump_care.2", "milestone": "pump_started"}
        ]}
      ],
      "settings": {"schedule": {"specialist_visit_due_days": 0, "folow_up_interval_months": 3}}
    }"#;
    let err = Protocol::from_json(json).unwrap_err();
    let ProtocolError::Invalid { problems } = &err else { panic!("{err}") };
    let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let expected = [
        "$.phases[0].items[0].colour: unknown field",
        "$.settings.schedule.folow_up_interval_months: unknown field",
        "$.phases[0].items[2].source: \"pre pump\" is not a handout reference like \"pre_pump.1\" or \"post_pump_care.s1\"",
        "$.phases[0].items[3].id: duplicate item id \"a\" (first at $.phases[0].items[0])",
        "$.phases[1].items: phase \"two\" has no checklist items",
        "$.phases[3].items[0].milestone: milestone pump_started is already carried by $.phases[2].items[0]",
        "$.phases[0].items[0].prerequisites[1]: unknown item \"ghost\"",
        "$.phases[0].items[1].prerequisites[1]: item \"b\" cannot require itself",
        "$.phases[0].items[0].prerequisites: prerequisite cycle: a -> c -> b -> a",
        "$.phases[0].items[1].prerequisites: prerequisite cycle: b -> b",
        "$.settings.schedule.specialist_visit_due_days: must be between 1 and 366, got 0",
    ];
    assert_eq!(got, expected, "{err}");
    let codes: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
    let expected_codes = [
        "unknown_field",
        "unknown_field",
        "invalid_source",
        "duplicate_id",
        "empty",
        "duplicate_milestone",
        "unknown_item",
        "self_prerequisite",
        "prerequisite_cycle",
        "prerequisite_cycle",
        "out_of_range",
    ];
    assert_eq!(codes, expected_codes);
    assert_eq!(problems[10].value, Some(serde_json::json!(0)));
    assert!(err.to_string().starts_with("invalid protocol (11 problems): $.phases[0].items[0].colour"));
}

#[test]
fn a_prerequisite_in_a_later_phase_and_a_wrong_type_are_named() {
    let mut d = Protocol::standard().definition().clone();
    d.phases[0].items[0].prerequisites.push("pump_started".into());
    let err = Protocol::new(d).unwrap_err().to_string();
    assert!(
        err.contains("$.phases[0].items[0].prerequisites[0]: \"pump_started\" ($.phases[1].items[3]) is in a later phase (\"understanding_the_pump\") than \"insurance_coverage\" (\"pre_pump\")"),
        "{err}"
    );
    let bad = Protocol::standard().to_json().replacen("\"required\": true", "\"required\": \"yes\"", 1);
    let err = Protocol::from_json(&bad).unwrap_err().to_string();
    assert!(
        err.contains("$.phases[0].items[0].required: invalid type: string \"yes\", expected a boolean"),
        "{err}"
    );
    let ProtocolError::Invalid { problems } = Protocol::from_json(&bad).unwrap_err() else { panic!() };
    assert_eq!(problems.last().map(|p| p.code.as_str()), Some("invalid_type"));
    let err = Protocol::from_json("{\"schema_version\": 2,").unwrap_err().to_string();
    assert!(err.contains("EOF while parsing"), "{err}");
    let twice = Protocol::standard().to_json().replacen(
        "\"required\": true",
        "\"required\": true, \"required\": true",
        1,
    );
    let ProtocolError::Invalid { problems } = Protocol::from_json(&twice).unwrap_err() else { panic!() };
    assert_eq!(problems[0].code, "duplicate_key", "{problems:?}");
    assert_eq!(problems[0].path, "$.phases[0].items[0].required");
}

#[test]
fn a_full_walk_completes_the_pathway() {
    let p = Protocol::standard();
    let record = Record::replay(p, "p1", full_walk()).unwrap();
    let view = PathwayView::of(&record);
    assert!(view.pathway_complete, "{:?}", view.blocked);
    assert_eq!(view.current_phase, "post_pump_care");
    assert!(view.next_steps.is_empty());
    assert!(view.phases.iter().all(|ph| ph.complete && ph.required_done == ph.required));
    let d = &record.dates();
    assert_eq!(d.pump.as_deref(), Some("Tandem t:slim X2"));
    assert_eq!(d.order_channel, Some(OrderChannel::MedicalSupplyCompany));
    assert_eq!(d.insurance_decision, Some(InsuranceDecision::Approved));
    assert_eq!(d.pump_started.map(|w| w.at), Some("2026-01-15T09:00:00Z".parse().unwrap()));
    assert_eq!(record.follow_up_visits().count(), 1);
    assert_eq!(d.supplies.map(|b| b.days_of_supply), Some(90));
}

#[test]
fn views_show_phase_progress_next_steps_and_blocked_items() {
    let p = Protocol::standard();
    let events: Vec<Event> = full_walk().into_iter().take(5).collect();
    let record = Record::replay(p, "p2", events).unwrap();
    let view = PathwayView::of(&record);
    assert_eq!(view.current_phase, "pre_pump");
    assert_eq!(view.phases[0].required_done, 4);
    let next: Vec<&str> = view.next_steps.iter().map(|i| i.item.as_str()).collect();
    assert_eq!(next, ["pump_ordered"]);
    let training = view.blocked.iter().find(|b| b.item == "training_scheduled").unwrap();
    assert_eq!(training.why, BlockedReason::Prerequisites { unmet: vec!["pump_ordered".into()] });

    // A denial puts coverage on hold: blocked, with the reason.
    let mut log = Log::new();
    let denied = Record::replay(
        p,
        "p3",
        vec![
            log.ev(Role::ClinicStaff, EventKind::InsuranceSubmitted),
            log.ev(Role::Insurer, EventKind::InsuranceDecision { decision: InsuranceDecision::Denied }),
        ],
    )
    .unwrap();
    let view = PathwayView::of(&denied);
    let coverage = view.blocked.iter().find(|b| b.item == "insurance_coverage").unwrap();
    assert_eq!(coverage.why, BlockedReason::OnHold { reason: Some("insurance denied".into()) });
    let json = serde_json::to_value(coverage).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"item": "insurance_coverage", "phase": "pre_pump",
                           "why": {"blocked_by": "on_hold", "reason": "insurance denied"}})
    );
}

#[test]
fn guards_reject_with_item_state_attempt_and_unmet_prerequisites() {
    let p = Protocol::standard();
    let mut log = Log::new();
    let mut record = Record::new(p, "p4");

    let err = record.apply(log.ev(Role::Patient, done("provider_informed"))).map_err(event).unwrap_err();
    assert_eq!(
        err,
        EventError::PrerequisitesNotMet {
            event_id: "e1".into(),
            item: "provider_informed".into(),
            state: ItemState::NotStarted,
            attempted: ItemState::Completed,
            unmet: vec!["pump_chosen".into()],
        }
    );
    assert_eq!(
        err.to_string(),
        "event \"e1\": item \"provider_informed\" cannot go from not_started to completed: prerequisites not done: pump_chosen"
    );
    assert!(record.events().is_empty(), "a rejected event leaves the record unchanged");

    record.apply(log.ev(Role::Patient, done("pump_options_learned"))).unwrap();
    let err = record
        .apply(log.ev(Role::Patient, EventKind::ItemStarted { item: "pump_options_learned".into() }))
        .map_err(event);
    assert!(matches!(
        err,
        Err(EventError::FinalState { state: ItemState::Completed, attempted: ItemState::InProgress, .. })
    ));

    let err = record.apply(log.ev(Role::Patient, done("pump_choosen"))).map_err(event).unwrap_err();
    assert_eq!(err, EventError::UnknownItem { event_id: "e4".into(), item: "pump_choosen".into() });

    // Ordering before coverage approval and a pump choice, whatever the prerequisites say.
    let err = record
        .apply(log.ev(Role::Supplier, EventKind::PumpOrdered { channel: OrderChannel::Pharmacy }))
        .map_err(event);
    assert!(
        matches!(err, Err(EventError::PrerequisitesNotMet { ref unmet, .. }) if unmet == &["insurance_coverage", "pump_chosen"])
    );

    let err = record
        .apply(log.ev(Role::Insurer, EventKind::InsuranceDecision { decision: InsuranceDecision::Approved }))
        .map_err(event);
    assert!(matches!(
        err,
        Err(EventError::InvalidTransition { reason: TransitionProblem::NoPendingSubmission, .. })
    ));

    let err =
        record
            .apply(log.ev(
                Role::ClinicStaff,
                EventKind::ItemWaived { item: "pump_chosen".into(), reason: " ".into() },
            ))
            .map_err(event);
    assert!(matches!(err, Err(EventError::InvalidField { field: "reason", .. })));

    let err = record
        .apply(
            log.ev(Role::ClinicStaff, EventKind::ItemReopened { item: "pump_chosen".into(), reason: None }),
        )
        .map_err(event);
    assert!(matches!(err, Err(EventError::InvalidTransition { state: ItemState::NotStarted, .. })));

    let err = record
        .apply(log.ev(Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 0 }))
        .map_err(event);
    assert!(matches!(err, Err(EventError::InvalidField { field: "days_of_supply", .. })));

    // Times: recorded_at never goes back; nothing occurs after it is recorded.
    let last = record.events().last().unwrap().recorded_at;
    let early = Event::new("late", last.checked_sub(1.hour()).unwrap(), Role::Patient, done("pump_chosen"));
    assert!(matches!(record.apply(early).map_err(event), Err(EventError::RecordedOutOfOrder { .. })));
    let future = Event::new("future", last, Role::Patient, done("pump_chosen"))
        .occurred(last.checked_add(1.hour()).unwrap());
    assert!(matches!(record.apply(future).map_err(event), Err(EventError::OccurredAfterRecorded { .. })));
    let dup = Event::new("e2", last, Role::Patient, EventKind::InsuranceSubmitted);
    assert_eq!(record.apply(dup).map_err(event), Err(EventError::DuplicateEventId { event_id: "e2".into() }));
    let void = Event::new("v", last, Role::ClinicStaff, EventKind::Correction { voids: "nope".into() });
    assert!(matches!(record.apply(void).map_err(event), Err(EventError::CannotVoid { .. })));

    // A back-dated event is fine: it occurred before it was recorded.
    let backdated = Event::new("bd", last, Role::ClinicStaff, EventKind::InsuranceSubmitted)
        .occurred(last.checked_sub(72.hours()).unwrap())
        .with_note("faxed last week");
    record.apply(backdated).unwrap();
    assert_eq!(record.dates().insurance_submitted.map(|w| w.at), Some(last.checked_sub(72.hours()).unwrap()));
    assert_eq!(record.events().len(), 2);

    let other = Protocol::new({
        let mut d = p.definition().clone();
        d.version = "other".into();
        d
    })
    .unwrap();
    // The record keeps its own protocol; the same log moves to another version by a replay under it.
    assert_eq!(record.protocol(), p);
    let moved = Record::replay(&other, "p1", record.events().to_vec()).unwrap();
    assert_eq!(moved.protocol_fingerprint(), other.fingerprint());
    assert_ne!(moved.protocol_fingerprint(), record.protocol_fingerprint());
}

#[test]
fn corrections_void_events_unless_later_events_depend_on_them() {
    let p = Protocol::standard();
    let events = full_walk();
    let mut record = Record::replay(p, "p5", events.clone()).unwrap();
    let at = record.events().last().unwrap().recorded_at;
    let pump_started = events.iter().find(|e| e.kind == EventKind::PumpStarted).unwrap().id.clone();

    let err = record
        .apply(Event::new("c1", at, Role::ClinicStaff, EventKind::Correction { voids: pump_started }))
        .map_err(event);
    let Err(EventError::CorrectionInvalidates { cause, .. }) = err else { panic!("{err:?}") };
    assert!(matches!(*cause, EventError::PrerequisitesNotMet { ref item, .. } if item == "pump_linked"));

    // Voiding the last patient-education item reopens the phase.
    let last_id = record.events().last().unwrap().id.clone();
    record
        .apply(Event::new("c2", at, Role::ClinicStaff, EventKind::Correction { voids: last_id.clone() }))
        .map_err(event)
        .unwrap();
    assert!(record.is_voided(&last_id));
    assert_eq!(record.item_state("knows_supply_source"), Some(ItemState::NotStarted));
    assert!(!PathwayView::of(&record).pathway_complete);
    let again = Event::new("c3", at, Role::ClinicStaff, EventKind::Correction { voids: last_id });
    assert!(matches!(record.apply(again).map_err(event), Err(EventError::CannotVoid { .. })));
    let void_correction =
        Event::new("c4", at, Role::ClinicStaff, EventKind::Correction { voids: "c2".into() });
    assert!(matches!(record.apply(void_correction).map_err(event), Err(EventError::CannotVoid { .. })));
    // The log keeps every event; replaying it gives the same state.
    let replayed = Record::replay(p, "p5", record.events().to_vec()).unwrap();
    assert_eq!(replayed.state(), record.state());
}

#[test]
fn reopening_moves_the_current_phase_back() {
    let p = Protocol::standard();
    let mut record = Record::replay(p, "p6", full_walk()).unwrap();
    let at = record.events().last().unwrap().recorded_at;
    let reopen =
        EventKind::ItemReopened { item: "pump_linked".into(), reason: Some("new pump, not linked".into()) };
    record.apply(Event::new("r1", at, Role::Provider, reopen)).unwrap();
    let view = PathwayView::of(&record);
    assert_eq!(view.current_phase, "understanding_the_pump");
    assert_eq!(record.item_state("pump_linked"), Some(ItemState::InProgress));
}

#[test]
fn records_round_trip_through_json_and_reject_unknown_fields() {
    let p = Protocol::standard();
    let record = Record::replay(p, "p7", full_walk()).unwrap();
    let json = record.to_json();
    let back = Record::from_json(p, &json).unwrap();
    assert_eq!(back, record);
    assert_eq!(back.to_json(), json);

    let first = serde_json::to_value(&record.events()[0]).unwrap();
    assert_eq!(
        first,
        serde_json::json!({"id": "e1", "occurred_at": "2026-01-06T09:00:00Z", "recorded_at": "2026-01-06T09:00:00Z",
                           "actor": "clinic_staff", "type": "insurance_submitted"})
    );
    let typo = json.replacen("\"actor\"", "\"actr\":\"x\",\"actor\"", 1);
    let err = Record::from_json(p, &typo).unwrap_err().to_string();
    assert!(err.contains("events[0].actr: unknown field"), "{err}");
    let bad_type = json.replacen("insurance_submitted", "insurance_sent", 1);
    let err = Record::from_json(p, &bad_type).unwrap_err().to_string();
    assert!(err.contains("$.events[0].type: unknown name \"insurance_sent\""), "{err}");

    // A malformed record is a RecordError listing each problem with its path and code.
    let broken = json.replacen("\"actor\"", "\"actr\":\"x\",\"actor\"", 1).replacen(
        "\"patient_id\":\"p7\"",
        "\"patient_id\":7",
        1,
    );
    let Err(RecordError::Malformed { problems }) = Record::from_json(p, &broken) else {
        panic!("not malformed")
    };
    let got: Vec<(&str, &str)> = problems.iter().map(|x| (x.path.as_str(), x.code.as_str())).collect();
    assert_eq!(got, [("$.patient_id", "invalid_type"), ("$.events[0].actr", "unknown_field")]);
    assert_eq!(problems[0].value, Some(serde_json::json!(7)));
    let late = json.replacen("\"2026-01-06T09:00:00Z\"", "\"yesterday\"", 1);
    let Err(RecordError::Malformed { problems }) = Record::from_json(p, &late) else {
        panic!("not malformed")
    };
    assert_eq!(
        (problems[0].path.as_str(), problems[0].code.as_str()),
        ("$.events[0].occurred_at", "invalid_value")
    );
    let err = pumppath::Error::from(Record::from_json(p, "[1").unwrap_err());
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("RecordError", "malformed_record"));
    assert_eq!(err.problems()[0].code, "invalid_json");
}

#[cfg(feature = "schema")]
#[test]
fn the_committed_json_schemas_match_the_types() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
    for (name, schema) in pumppath::schema::all() {
        let path = format!("{dir}/{name}.schema.json");
        let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        if std::env::var_os("PUMPPATH_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        // assert! rather than assert_eq!: a stale schema is named, not printed whole.
        assert!(committed == generated, "{path} is stale: run PUMPPATH_BLESS=1 cargo test --all-features");
    }
}

// ---- properties ----

fn arb_kind(items: Vec<String>) -> impl Strategy<Value = EventKind> {
    let item = prop::sample::select(items);
    prop_oneof![
        4 => item.clone().prop_map(|item| EventKind::ItemCompleted { item }),
        1 => item.clone().prop_map(|item| EventKind::ItemStarted { item }),
        1 => item.clone().prop_map(|item| EventKind::ItemWaived { item, reason: "not needed".into() }),
        1 => item.clone().prop_map(|item| EventKind::ItemReopened { item, reason: None }),
        1 => item.clone().prop_map(|item| EventKind::ItemPutOnHold { item, reason: None }),
        1 => Just(EventKind::InsuranceSubmitted),
        1 => prop_oneof![Just(InsuranceDecision::Approved), Just(InsuranceDecision::Denied)]
            .prop_map(|decision| EventKind::InsuranceDecision { decision }),
        1 => Just(EventKind::PumpChosen { pump: "pump".into() }),
        1 => Just(EventKind::PumpOrdered { channel: OrderChannel::Pharmacy }),
        1 => Just(EventKind::PumpStarted),
        1 => Just(EventKind::PumpLinked),
        1 => prop::collection::vec(item, 0..3).prop_map(|covered| EventKind::VisitHeld { visit: VisitKind::Specialist, covered }),
        1 => Just(EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] }),
        1 => (0u32..120).prop_map(|days_of_supply| EventKind::SuppliesReceived { days_of_supply }),
        1 => (0usize..40).prop_map(|k| EventKind::Correction { voids: format!("e{k}") }),
    ]
}

fn arb_events() -> impl Strategy<Value = Vec<(EventKind, i64, i64)>> {
    let items: Vec<String> = Protocol::standard().items().map(|(_, i)| i.id.clone()).collect();
    prop::collection::vec((arb_kind(items), -2i64..30, 0i64..48), 0..60)
}

fn phase_index(p: &Protocol, record: &Record) -> usize {
    let view = PathwayView::of(record);
    p.phases().iter().position(|ph| ph.id == view.current_phase).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_event_sequences_never_panic_and_keep_the_invariants(steps in arb_events()) {
        let p = Protocol::standard();
        let mut record = Record::new(p, "prop");
        let mut recorded = t0();
        for (k, (kind, advance_hours, backdate_hours)) in steps.into_iter().enumerate() {
            recorded = recorded.checked_add(advance_hours.hours()).unwrap();
            let event = Event::new(format!("e{k}"), recorded, Role::ClinicStaff, kind.clone())
                .occurred(recorded.checked_sub(backdate_hours.hours()).unwrap());
            let before = record.clone();
            let phase_before = phase_index(p, &record);
            match record.apply(event) {
                Err(_) => prop_assert_eq!(&record, &before, "a rejected event changed the record"),
                Ok(()) => {
                    // No item is completed before its prerequisites.
                    for (pos, (_, item)) in p.items().enumerate() {
                        let was = before.state().items()[pos].state;
                        let now = record.state().items()[pos].state;
                        // The pump start is a fact: it completes whatever its prerequisites.
                        let fact = item.milestone == Some(Milestone::PumpStart);
                        if now == ItemState::Completed && was != ItemState::Completed && !fact {
                            for pre in &item.prerequisites {
                                prop_assert!(record.item_state(pre).unwrap().is_final(), "{} before {}", item.id, pre);
                            }
                        }
                    }
                    // The current phase only moves back through a reopening or a correction.
                    let moves_back = matches!(kind, EventKind::ItemReopened { .. } | EventKind::Correction { .. });
                    if !moves_back {
                        prop_assert!(phase_index(p, &record) >= phase_before);
                    }
                }
            }
        }
        // Every accepted sequence replays to the same state, and round-trips through JSON.
        let replayed = Record::replay(p, "prop", record.events().to_vec()).unwrap();
        prop_assert_eq!(replayed.state(), record.state());
        let back = Record::from_json(p, &record.to_json()).unwrap();
        prop_assert_eq!(back, record);
    }

    #[test]
    fn a_validated_protocol_never_has_a_cycle(edges in prop::collection::vec((0usize..8, 0usize..8), 0..14)) {
        let mut d = Protocol::standard().definition().clone();
        d.phases.truncate(1);
        let template = d.phases[0].items[0].clone();
        d.phases[0].items = (0..8)
            .map(|k| ChecklistItem { id: format!("i{k}"), prerequisites: vec![], milestone: None, ..template.clone() })
            .collect();
        for (a, b) in edges {
            let pre = format!("i{b}");
            if !d.phases[0].items[a].prerequisites.contains(&pre) {
                d.phases[0].items[a].prerequisites.push(pre);
            }
        }
        if let Ok(p) = Protocol::new(d) {
            // Kahn's algorithm must order every item.
            let items: Vec<&ChecklistItem> = p.items().map(|(_, i)| i).collect();
            let mut done: Vec<&str> = Vec::new();
            while done.len() < items.len() {
                let next = items.iter().find(|i| !done.contains(&i.id.as_str()) && i.prerequisites.iter().all(|x| done.contains(&x.as_str())));
                prop_assert!(next.is_some(), "validated protocol has a cycle");
                done.push(next.unwrap().id.as_str());
            }
        }
    }
}

#[test]
fn event_driven_items_are_completed_only_by_their_events() {
    let p = Protocol::standard();
    let mut log = Log::new();
    let mut record = Record::new(p, "m1");
    for item in ["insurance_coverage", "pump_started", "specialist_visit", "follow_up_every_3_months"] {
        let err = record.apply(log.ev(Role::ClinicStaff, done(item))).map_err(event).unwrap_err();
        let EventError::InvalidTransition { item: named, reason, .. } = &err else { panic!("{err}") };
        assert_eq!(named, item);
        assert!(matches!(reason, TransitionProblem::CompletedByEvent { .. }), "{reason}");
        assert_eq!(err.problems()[0].code, "completed_by_event");
    }
    let covered = EventKind::VisitHeld { visit: VisitKind::Other, covered: vec!["pump_linked".into()] };
    assert!(matches!(
        record.apply(log.ev(Role::Specialist, covered)).map_err(event),
        Err(EventError::InvalidTransition { .. })
    ));
    assert!(record.events().is_empty());
}

#[test]
fn a_follow_up_visit_is_recorded_even_before_the_specialist_visit() {
    let p = Protocol::standard();
    let mut events: Vec<Event> = full_walk().into_iter().take(11).collect(); // up to pump_linked
    let at = events.last().unwrap().recorded_at.checked_add(240.hours()).unwrap();
    events.push(Event::new(
        "fu",
        at,
        Role::Provider,
        EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] },
    ));
    let record = Record::replay(p, "fu", events).unwrap();
    assert_eq!(record.dates().last_follow_up_visit.map(|w| w.at), Some(at));
    // The follow-up item waits for its prerequisite, the specialist visit.
    assert_eq!(record.item_state("follow_up_every_3_months"), Some(ItemState::NotStarted));
}

#[test]
fn supplies_batches_are_bounded_by_the_protocol() {
    let p = Protocol::standard();
    let mut log = Log::new();
    let mut record = Record::new(p, "s1");
    let err = record
        .apply(log.ev(Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 93 }))
        .map_err(event)
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "days_of_supply = \"93\": must be between 1 and 92 (settings.schedule.supplies_batch_max_days)"
        ),
        "{err}"
    );
    record.apply(log.ev(Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 90 })).unwrap();
}

#[test]
fn plain_serde_rejects_unknown_fields_too() {
    let p = Protocol::standard();
    let typo = p.to_json().replacen("\"prerequisites\"", "\"prerequisities\": [], \"prerequisites\"", 1);
    let err = serde_json::from_str::<Protocol>(&typo).unwrap_err().to_string();
    assert!(err.contains("$.phases[0].items[0].prerequisities: unknown field"), "{err}");
    let back: Protocol = serde_json::from_str(&p.to_json()).unwrap();
    assert_eq!(&back, p);
    let event = r#"{"id": "e1", "occurred_at": "2026-03-02T15:00:00Z", "recorded_at": "2026-03-02T15:00:00Z",
                    "actor": "patient", "type": "pump_started", "pump": "x"}"#;
    let err = serde_json::from_str::<Event>(event).unwrap_err().to_string();
    assert!(err.contains("pump: unknown field"), "{err}");
}

#[test]
fn a_saved_record_moves_to_a_new_protocol_version() {
    let p = Protocol::standard();
    let record = Record::replay(p, "r1", full_walk()).unwrap();
    let json = record.to_json();
    assert!(json.contains(&format!("\"protocol_fingerprint\":\"{}\"", p.fingerprint())));
    let mut d = p.definition().clone();
    d.version = "clinic-2".into();
    d.settings.schedule.insurance_check_in_days = 28;
    let other = Protocol::new(d).unwrap();
    // The events are re-checked under the new protocol, and the record now carries its fingerprint.
    let moved = Record::from_json(&other, &json).unwrap();
    assert_eq!(moved.state(), record.state());
    assert_eq!(moved.protocol_fingerprint(), other.fingerprint());
    // A protocol that forbids the events refuses the record: here a pump may be chosen only after coverage.
    let mut strict = p.definition().clone();
    strict.phases[0].items[2].prerequisites.push("insurance_coverage".into());
    let strict = Protocol::new(strict).unwrap();
    let err = Record::from_json(&strict, &json).map_err(event).unwrap_err();
    assert!(
        matches!(err, EventError::PrerequisitesNotMet { ref item, .. } if item == "pump_chosen"),
        "{err}"
    );
}

#[test]
fn visits_and_appeals_follow_real_clinic_order() {
    let p = Protocol::standard();
    let mut events: Vec<Event> = full_walk().into_iter().take(9).collect(); // up to training_completed
    let last = events.last().unwrap().recorded_at;
    let day = |n: i64| last.checked_add((n * 24).hours()).unwrap();
    // The specialist visit is entered before the (back-dated) pump start: recorded, item left open.
    events.push(Event::new(
        "v1",
        day(2),
        Role::Specialist,
        EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec!["topic_sick_days".into()] },
    ));
    events.push(Event::new("s1", day(3), Role::Patient, EventKind::PumpStarted).occurred(day(1)));
    let mut record = Record::replay(p, "v", events).unwrap();
    assert_eq!(record.dates().last_specialist_visit.map(|w| w.at), Some(day(2)));
    assert_eq!(record.item_state("specialist_visit"), Some(ItemState::NotStarted));
    assert_eq!(record.item_state("topic_sick_days"), Some(ItemState::NotStarted));
    // With the visit on record, the item can now be completed by hand, and the topic too.
    record.apply(Event::new("c1", day(4), Role::Specialist, done("specialist_visit"))).unwrap();
    record.apply(Event::new("c2", day(4), Role::Specialist, done("topic_sick_days"))).unwrap();
    assert_eq!(record.item_state("specialist_visit"), Some(ItemState::Completed));

    // An approval after a denial is an appeal won.
    let mut log = Log::new();
    let appeal = Record::replay(
        p,
        "a",
        vec![
            log.ev(Role::ClinicStaff, EventKind::InsuranceSubmitted),
            log.ev(Role::Insurer, EventKind::InsuranceDecision { decision: InsuranceDecision::Denied }),
            log.ev(Role::Insurer, EventKind::InsuranceDecision { decision: InsuranceDecision::Approved }),
        ],
    )
    .unwrap();
    assert_eq!(appeal.item_state("insurance_coverage"), Some(ItemState::Completed));
    assert_eq!(appeal.dates().insurance_decision, Some(InsuranceDecision::Approved));
}

#[test]
fn a_key_given_twice_is_a_problem() {
    let json = Protocol::standard().to_json().replacen(
        "\"required\": true",
        "\"required\": true, \"required\": false",
        1,
    );
    let err = Protocol::from_json(&json).unwrap_err().to_string();
    assert!(err.contains("$.phases[0].items[0].required: a key given twice in one object"), "{err}");
}

#[test]
fn a_mistyped_recording_year_is_refused_live_and_can_always_be_voided() {
    let p = Protocol::standard();
    let mut log = Log::new();
    let mut record = Record::new(p, "y");
    record.apply(log.ev(Role::ClinicStaff, EventKind::InsuranceSubmitted)).unwrap();
    let now = record.events()[0].recorded_at;
    // Entered with the year 2062 for 2026: a live system's `apply_at` refuses it, naming both times.
    let typo_at: Timestamp = "2062-01-07T09:00:00Z".parse().unwrap();
    let typo = Event::new("typo", typo_at, Role::Patient, done("pump_options_learned"))
        .occurred(now.checked_add(1.hour()).unwrap());
    let err = record.clone().apply_at(typo.clone(), now).map_err(event).unwrap_err();
    assert_eq!(err, EventError::RecordedInFuture { event_id: "typo".into(), recorded_at: typo_at, now });
    assert!(
        err.to_string().contains("recorded_at 2062-01-07T09:00:00Z is more than 24 hours after now"),
        "{err}"
    );
    // Within the skew bound it is fine.
    let skewed =
        Event::new("skew", now.checked_add(23.hours()).unwrap(), Role::Patient, done("pump_options_learned"));
    assert!(record.clone().apply_at(skewed, now).map_err(event).is_ok());
    assert!(MAX_RECORDED_AHEAD >= jiff::SignedDuration::from_hours(1));

    // A log that already holds the mistyped event (plain `apply`) still takes the correction, then resumes.
    record.apply(typo).unwrap();
    let later = now.checked_add(48.hours()).unwrap();
    let blocked = Event::new("next", later, Role::Patient, EventKind::PumpChosen { pump: "x".into() });
    assert!(matches!(
        record.clone().apply(blocked.clone()).map_err(event),
        Err(EventError::RecordedOutOfOrder { .. })
    ));
    let fix = Event::new("fix", later, Role::ClinicStaff, EventKind::Correction { voids: "typo".into() });
    record.apply_at(fix, later).unwrap();
    assert!(record.is_voided("typo"));
    let again = Event::new("again", later, Role::Patient, done("pump_options_learned"));
    record.apply_at(again, later).unwrap();
    record.apply_at(blocked, later).unwrap();
    assert_eq!(record.item_state("pump_chosen"), Some(ItemState::Completed));
    // The log replays and round-trips as it was recorded.
    let back = Record::from_json(p, &record.to_json()).unwrap();
    assert_eq!(back.state(), record.state());
}

#[test]
fn the_pump_start_is_a_fact_even_before_training_is_recorded() {
    let p = Protocol::standard();
    // Up to the order: training and the materials review are not recorded yet.
    let mut events: Vec<Event> = full_walk().into_iter().take(6).collect();
    let last = events.last().unwrap().recorded_at;
    let at = last.checked_add(24.hours()).unwrap();
    events.push(Event::new("start", at, Role::Patient, EventKind::PumpStarted));
    let mut record = Record::replay(p, "f", events).unwrap();
    assert_eq!(record.item_state("pump_started"), Some(ItemState::Completed));
    assert_eq!(record.dates().pump_started.map(|w| w.at), Some(at));
    assert_eq!(record.unmet_prerequisites_of("pump_started"), ["training_completed"]);
    assert_eq!(
        record.unmet_prerequisites_of("training_completed"),
        ["training_scheduled", "pump_materials_reviewed"]
    );
    assert!(record.unmet_prerequisites_of("no_such_item").is_empty());
    // The missing steps can be recorded afterwards; a second start still fails on the final item.
    for (k, item) in
        ["training_scheduled", "pump_materials_reviewed", "training_completed"].iter().enumerate()
    {
        record
            .apply(Event::new(format!("t{k}"), at, Role::ClinicStaff, done(item)))
            .map_err(event)
            .unwrap_or_else(|e| {
                panic!("{item}: {e}");
            });
    }
    assert!(record.unmet_prerequisites_of("pump_started").is_empty());
    let err = record
        .apply(Event::new("again", at, Role::Patient, EventKind::PumpStarted))
        .map_err(event)
        .unwrap_err();
    assert!(matches!(err, EventError::FinalState { ref item, .. } if item == "pump_started"), "{err}");
}

#[test]
fn only_the_roles_the_protocol_lists_may_record_an_event_type() {
    let p = Protocol::standard();
    let mut log = Log::new();
    let mut record = Record::new(p, "roles");
    record.apply(log.ev(Role::ClinicStaff, EventKind::InsuranceSubmitted)).unwrap();
    // A patient cannot record the insurer's decision.
    let approved = EventKind::InsuranceDecision { decision: InsuranceDecision::Approved };
    let err = record.apply(log.ev(Role::Patient, approved.clone())).map_err(event).unwrap_err();
    assert_eq!(
        err,
        EventError::ActorNotAllowed {
            event_id: "e2".into(),
            actor: Role::Patient,
            event_type: EventType::InsuranceDecision,
            allowed: vec![Role::Insurer, Role::ClinicStaff],
        }
    );
    assert_eq!(
        err.to_string(),
        "event \"e2\": actor patient may not record insurance_decision (allowed: insurer, clinic_staff)"
    );
    record.apply(log.ev(Role::Insurer, approved)).unwrap();
    // Item events: the clinic's roles plus the item's own role.
    record.apply(log.ev(Role::Patient, done("pump_options_learned"))).unwrap();
    let err = record.apply(log.ev(Role::PumpTrainer, done("topic_sick_days"))).map_err(event).unwrap_err();
    assert!(
        matches!(&err, EventError::ActorNotAllowed { actor: Role::PumpTrainer, event_type, allowed, .. }
            if *event_type == EventType::ItemCompleted && allowed.contains(&Role::Specialist)),
        "{err}"
    );
    let visit =
        EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec!["topic_sick_days".into()] };
    assert!(matches!(
        record.apply(log.ev(Role::PumpTrainer, visit)).map_err(event),
        Err(EventError::ActorNotAllowed { actor: Role::PumpTrainer, .. })
    ));
    // An unknown item is named as such, whoever records it.
    assert!(matches!(
        record.apply(log.ev(Role::Insurer, done("nope"))).map_err(event),
        Err(EventError::UnknownItem { .. })
    ));
    assert_eq!(record.events().len(), 3);

    // A clinic may widen or narrow the lists; an empty list or a role listed twice is a protocol problem.
    let mut d = p.definition().clone();
    d.settings.recording.set(EventType::InsuranceDecision, vec![]);
    d.settings.recording.set(EventType::PumpStarted, vec![Role::Patient, Role::Patient]);
    let err = Protocol::new(d).unwrap_err().to_string();
    assert!(err.contains("$.settings.recording.insurance_decision: must list at least one role"), "{err}");
    assert!(err.contains("$.settings.recording.pump_started[1]: patient is listed twice"), "{err}");
    let mut json: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
    json["settings"]["recording"] = serde_json::json!({"pump_chosen": ["provider"], "pump_choosen": []});
    let json = json.to_string();
    let err = Protocol::from_json(&json).unwrap_err().to_string();
    assert!(err.contains("$.settings.recording.pump_choosen: unknown field"), "{err}");
    assert_eq!(
        RecordingSettings::default().roles_for(EventType::ItemWaived),
        [Role::ClinicStaff, Role::Provider, Role::Specialist]
    );
}

#[test]
fn dependent_milestones_keep_the_order_they_happened_in() {
    let p = Protocol::standard();
    let walk = full_walk();
    let at = |id: &str| walk.iter().find(|e| e.id == id).unwrap().occurred_at;
    let replay_with = |n: usize, extra: Event| {
        let mut events: Vec<Event> = walk.iter().take(n).cloned().collect();
        events.push(extra);
        Record::replay(p, "o", events)
    };
    let recorded = at("e20"); // late enough to be after every event of the walk
    // A pump start back-dated to before the order (e6) is refused, naming both dates.
    let start = Event::new("s", recorded, Role::Patient, EventKind::PumpStarted)
        .occurred(at("e6").checked_sub(1.hour()).unwrap());
    let err = replay_with(9, start).unwrap_err();
    assert_eq!(
        err,
        EventError::OccurredOutOfOrder {
            event_id: "s".into(),
            event_type: EventType::PumpStarted,
            occurred_at: at("e6").checked_sub(1.hour()).unwrap(),
            other_event_type: EventType::PumpOrdered,
            other_occurred_at: at("e6"),
        }
    );
    assert_eq!(
        err.to_string(),
        "event \"s\": pump_started occurred_at 2026-01-11T08:00:00Z is before pump_ordered occurred_at \
         2026-01-11T09:00:00Z; dependent milestones keep their order"
    );
    // Equal times are fine.
    let start = Event::new("s", recorded, Role::Patient, EventKind::PumpStarted).occurred(at("e6"));
    replay_with(9, start).unwrap();
    // An order dated before the choice (e3); a decision before the submission (e1).
    let mut events: Vec<Event> = walk.iter().take(5).cloned().collect();
    events[4] = events[4].clone().occurred(at("e1").checked_sub(1.hour()).unwrap());
    let err = Record::replay(p, "o", events).unwrap_err();
    assert!(
        matches!(err, EventError::OccurredOutOfOrder { ref other_event_type, .. } if *other_event_type == EventType::InsuranceSubmitted),
        "{err}"
    );
    let order =
        Event::new("o", recorded, Role::Supplier, EventKind::PumpOrdered { channel: OrderChannel::Pharmacy })
            .occurred(at("e3").checked_sub(1.hour()).unwrap());
    let err = replay_with(5, order).unwrap_err();
    assert!(
        matches!(err, EventError::OccurredOutOfOrder { ref other_event_type, .. } if *other_event_type == EventType::PumpChosen),
        "{err}"
    );
    // A link before the start (e10); a specialist visit before the start.
    let link = Event::new("l", recorded, Role::Patient, EventKind::PumpLinked).occurred(at("e9"));
    let err = replay_with(10, link).unwrap_err();
    assert!(
        matches!(err, EventError::OccurredOutOfOrder { ref other_event_type, .. } if *other_event_type == EventType::PumpStarted),
        "{err}"
    );
    let visit = EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec![] };
    let early = Event::new("v", recorded, Role::Specialist, visit.clone()).occurred(at("e9"));
    assert!(matches!(replay_with(10, early), Err(EventError::OccurredOutOfOrder { .. })));
    // Whichever is recorded first: a visit entered before the start, then a start dated after the visit.
    let mut events: Vec<Event> = walk.iter().take(9).cloned().collect();
    events.push(Event::new("v", recorded, Role::Specialist, visit).occurred(at("e12")));
    events.push(Event::new("s", recorded, Role::Patient, EventKind::PumpStarted).occurred(at("e13")));
    let err = Record::replay(p, "o", events.clone()).unwrap_err();
    assert!(
        err.to_string().contains("pump_started occurred_at 2026-01-18T09:00:00Z is after visit_held"),
        "{err}"
    );
    events.pop();
    events.push(Event::new("s", recorded, Role::Patient, EventKind::PumpStarted).occurred(at("e11")));
    Record::replay(p, "o", events).unwrap();
    // A follow-up before the start is care before the pump: accepted.
    let follow_up = EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] };
    replay_with(9, Event::new("f", recorded, Role::Provider, follow_up).occurred(at("e2"))).unwrap();
}

#[test]
fn targets_cgm_use_and_acknowledgements_are_recorded_and_folded() {
    use pumppath::glucose::{TargetPreset, Targets};
    use pumppath::rules::RuleId;
    let p = Protocol::standard();
    let mut log = Log::new();
    let mut record = Record::new(p, "t");
    let pregnancy = Targets::preset(TargetPreset::PregnancyType1);
    let set = log.ev(Role::Provider, EventKind::TargetsSet { targets: pregnancy.clone() });
    let from = set.occurred_at;
    // Only prescribers set targets.
    let by_patient = Event { actor: Role::Patient, ..set.clone() };
    assert!(matches!(record.apply(by_patient).map_err(event), Err(EventError::ActorNotAllowed { .. })));
    record.apply(set).unwrap();
    assert_eq!(record.targets_at(from.checked_sub(1.second()).unwrap()), &p.settings().targets);
    assert_eq!(record.targets_at(from), &pregnancy);
    assert_eq!(record.targets_changes().next().unwrap().from, from);

    assert_eq!(record.dates().wears_cgm, None);
    record.apply(log.ev(Role::Patient, EventKind::CgmUse { wears_cgm: false })).unwrap();
    let stopped = record.events().last().unwrap().occurred_at;
    assert_eq!(
        (record.dates().wears_cgm, record.dates().cgm_use_since.map(|w| w.at)),
        (Some(false), Some(stopped))
    );
    // A back-dated, older cgm_use does not override the latest.
    let old = log.ev(Role::Patient, EventKind::CgmUse { wears_cgm: true }).occurred(from);
    record.apply(old).unwrap();
    assert_eq!(record.dates().wears_cgm, Some(false));

    let ack = EventKind::ActionAcknowledged {
        rule: RuleId::InsurancePending,
        item: Some("insurance_coverage".into()),
        until: Some(jiff::civil::date(2026, 2, 1)),
    };
    record.apply(log.ev(Role::ClinicStaff, ack)).unwrap();
    let a = record.acknowledgements().next().unwrap();
    assert_eq!(
        (a.rule, a.item.as_deref(), a.by),
        (RuleId::InsurancePending, Some("insurance_coverage"), Role::ClinicStaff)
    );
    assert_eq!(a.until, Some(jiff::civil::date(2026, 2, 1)));
    let bad =
        EventKind::ActionAcknowledged { rule: RuleId::FrequentLows, item: Some("nope".into()), until: None };
    assert!(matches!(
        record.apply(log.ev(Role::Provider, bad)).map_err(event),
        Err(EventError::UnknownItem { .. })
    ));

    // The wire: explicit snake_case names, unknown fields rejected, round trip.
    let json = r#"{"id": "a1", "occurred_at": "2026-03-02T15:00:00Z", "recorded_at": "2026-03-02T15:00:00Z",
                   "actor": "provider", "type": "action_acknowledged", "rule": "frequent_lows", "until": "2026-03-09"}"#;
    let e = Event::from_json(json).unwrap();
    assert_eq!(
        e.kind,
        EventKind::ActionAcknowledged {
            rule: RuleId::FrequentLows,
            item: None,
            until: Some(jiff::civil::date(2026, 3, 9))
        }
    );
    let typo = json.replace("\"until\"", "\"untill\"");
    assert!(Event::from_json(&typo).unwrap_err().to_string().contains("untill: unknown field"));
    let t = r#"{"id": "t1", "occurred_at": "2026-03-02T15:00:00Z", "recorded_at": "2026-03-02T15:00:00Z",
                "actor": "provider", "type": "targets_set", "targets": {"preset": "older_high_risk"}}"#;
    assert!(matches!(Event::from_json(t).unwrap().kind, EventKind::TargetsSet { .. }));
    let c = r#"{"id": "c1", "occurred_at": "2026-03-02T15:00:00Z", "recorded_at": "2026-03-02T15:00:00Z",
                "actor": "patient", "type": "cgm_use", "wears_cgm": true}"#;
    assert_eq!(Event::from_json(c).unwrap().kind, EventKind::CgmUse { wears_cgm: true });
    let back = Record::from_json(p, &record.to_json()).unwrap();
    assert_eq!(back, record);

    // Voided events do not count.
    let first = record.events()[0].id.clone();
    let at = record.events().last().unwrap().recorded_at;
    record
        .apply(Event::new("fix", at, Role::ClinicStaff, EventKind::Correction { voids: first }))
        .map_err(event)
        .unwrap();
    assert!(record.targets_changes().next().is_none());
    assert_eq!(record.targets_at(at), &p.settings().targets);
}

#[test]
fn supplies_settings_at_u32_max_are_problems_not_an_overflow() {
    let mut value: serde_json::Value = serde_json::from_str(&Protocol::standard().to_json()).unwrap();
    value["settings"]["schedule"]["supplies_reorder_lead_days"] = serde_json::json!(u32::MAX);
    value["settings"]["schedule"]["supplies_due_soon_days"] = serde_json::json!(u32::MAX);
    let ProtocolError::Invalid { problems } = Protocol::from_json(&value.to_string()).unwrap_err() else {
        panic!()
    };
    let got: Vec<(&str, &str)> = problems.iter().map(|p| (p.path.as_str(), p.code.as_str())).collect();
    assert!(got.contains(&("$.settings.schedule.supplies_due_soon_days", "inconsistent")), "{got:?}");
    assert!(got.contains(&("$.settings.schedule.supplies_reorder_lead_days", "out_of_range")), "{got:?}");
}

#[test]
fn every_milestone_is_completed_by_the_event_the_guard_asks_for() {
    let p = Protocol::standard();
    for milestone in Milestone::ALL {
        let item = p.milestone_item(milestone).expect("the standard protocol carries every milestone");
        let mut record = Record::new(p, "p");
        let err = record.apply(Event::new("e1", t0(), item.role, done(&item.id))).err();
        match milestone.completed_by() {
            Some(event_type) => {
                let err = err.unwrap_or_else(|| panic!("{milestone}: item_completed accepted"));
                assert_eq!(err.code(), "invalid_transition", "{milestone}: {err}");
                let EventError::InvalidTransition { reason, .. } = &err else { unreachable!() };
                assert_eq!(*reason, TransitionProblem::CompletedByEvent { event: event_type });
            }
            // item_completed is the event: refused at most for its prerequisites.
            None => assert!(
                err.as_ref().is_none_or(|e| e.code() == "prerequisites_not_met"),
                "{milestone}: {err:?}"
            ),
        }
    }
    let expected = [
        ("insurance_coverage", Some("insurance_decision")),
        ("pump_chosen", Some("pump_chosen")),
        ("pump_ordered", Some("pump_ordered")),
        ("pump_started", Some("pump_started")),
        ("pump_linked", Some("pump_linked")),
        ("settings_reviewed", None),
        ("specialist_visit", Some("visit_held")),
        ("backup_plan_reviewed", None),
        ("follow_up", Some("visit_held")),
        ("supplies_renewal_arranged", None),
    ];
    let got: Vec<_> =
        Milestone::ALL.iter().map(|m| (m.as_str(), m.completed_by().map(|e| e.as_str()))).collect();
    assert_eq!(got, expected);
}

#[test]
fn a_visit_entered_a_week_later_is_one_call() {
    let p = Protocol::standard();
    let mut record = Record::replay(p, "p", full_walk().into_iter().take(10)).unwrap();
    let n = record.events().len();
    let last = record.events().last().unwrap().recorded_at;
    let held = last.checked_add(24.hours()).unwrap();
    let now = held.checked_add((7 * 24).hours()).unwrap();
    let visit = EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec![] };
    let event = record.enter(visit, Role::Specialist, Occurred::At(held), now).unwrap().clone();
    assert_eq!(event.id, format!("e{}", n + 1));
    assert_eq!((event.occurred_at, event.occurred_on, event.recorded_at), (held, None, now));
    assert_eq!(record.dates().last_specialist_visit.map(|w| w.at), Some(held));
    assert_eq!(record.item_state("specialist_visit"), Some(ItemState::Completed));
}

#[test]
fn back_dated_entries_in_a_row_get_fresh_ids_and_keep_their_dates() {
    let p = Protocol::standard();
    let mut record = Record::new(p, "p");
    let now = t0();
    // A hand-built event took "e2": entered events skip it.
    record.apply(Event::new("e2", now, Role::Patient, done("pump_options_learned"))).unwrap();
    let ten_days_ago = now.checked_sub((10 * 24).hours()).unwrap();
    let a = record.enter(EventKind::InsuranceSubmitted, Role::ClinicStaff, Occurred::At(ten_days_ago), now);
    assert_eq!(a.unwrap().id, "e3");
    // The second entry happened before the first, and is entered a minute later.
    let later = now.checked_add(1.minute()).unwrap();
    let b = record.enter(
        EventKind::PumpChosen { pump: "Omnipod 5".into() },
        Role::Patient,
        Occurred::On("2025-12-20".parse().unwrap()),
        later,
    );
    let b = b.unwrap();
    assert_eq!((b.id.as_str(), b.recorded_at), ("e4", later));
    assert_eq!(record.dates().pump_chosen.and_then(|w| w.on), Some("2025-12-20".parse().unwrap()));
    assert_eq!(record.dates().insurance_submitted.map(|w| w.at), Some(ten_days_ago));
    // Guards still apply: a rejected entry leaves the record unchanged.
    let order = EventKind::PumpOrdered { channel: OrderChannel::Pharmacy };
    let err = record.enter(order, Role::Supplier, Occurred::At(now), later).unwrap_err();
    assert_eq!(err.code(), "prerequisites_not_met");
    assert_eq!(record.events().len(), 3);
    // So does the recording clock: entered "now" before the last recorded_at is out of order.
    let err =
        record.enter(EventKind::PumpLinked, Role::Patient, Occurred::At(ten_days_ago), now).unwrap_err();
    assert_eq!(err.code(), "recorded_out_of_order");
}

#[test]
fn events_take_exactly_one_of_occurred_at_and_occurred_on() {
    let base =
        r#"{"id": "e1", "recorded_at": "2026-03-04T09:00:00Z", "actor": "patient", "type": "pump_started""#;
    let on = Event::from_json(&format!(r#"{base}, "occurred_on": "2026-03-04"}}"#)).unwrap();
    assert_eq!(on.occurred_on, Some("2026-03-04".parse().unwrap()));
    assert_eq!(on.occurred_at, "2026-03-04T12:00:00Z".parse::<Timestamp>().unwrap());
    assert_eq!(on.when(), Occurred::On("2026-03-04".parse().unwrap()));
    let json = serde_json::to_value(&on).unwrap();
    assert_eq!(json["occurred_on"], "2026-03-04");
    assert!(json.get("occurred_at").is_none(), "{json}");
    assert_eq!(Event::from_json(&json.to_string()).unwrap(), on);

    let problem = |json: String| match Event::from_json(&json).unwrap_err() {
        RecordError::Malformed { problems } => (problems[0].path.clone(), problems[0].code.as_str()),
        other => panic!("{other}"),
    };
    let both = format!(r#"{base}, "occurred_on": "2026-03-04", "occurred_at": "2026-03-04T08:00:00Z"}}"#);
    assert_eq!(problem(both), ("$.occurred_on".into(), "inconsistent"));
    assert_eq!(problem(format!("{base}}}")), ("$.occurred_at".into(), "missing_field"));
    assert_eq!(
        problem(format!(r#"{base}, "occurred_on": "4 March"}}"#)),
        ("$.occurred_on".into(), "invalid_value")
    );
    assert_eq!(
        problem(format!(r#"{base}, "occurred_on": "9999-12-31"}}"#)),
        ("$.occurred_on".into(), "out_of_range")
    );
    // In a record the path names the event.
    let record = format!(r#"{{"patient_id": "p", "events": [{base}}}]}}"#);
    let err = Record::from_json(Protocol::standard(), &record).unwrap_err();
    assert_eq!(err.problems()[0].path, "$.events[0].occurred_at");
    assert_eq!(err.problems()[0].code, "missing_field");

    // A date-only event may be recorded on its date before its noon UTC (from 00:00 at UTC+14).
    let early = r#"{"id": "e1", "recorded_at": "2026-03-03T10:00:00Z", "actor": "patient",
                    "type": "pump_started", "occurred_on": "2026-03-04"}"#;
    let started = Event::from_json(early).unwrap();
    Record::new(Protocol::standard(), "p").apply(started.clone()).unwrap();
    let mut record = Record::new(Protocol::standard(), "p");
    let too_early = Event { recorded_at: "2026-03-03T09:59:59Z".parse().unwrap(), ..started.clone() };
    assert_eq!(record.apply(too_early).unwrap_err().code(), "occurred_after_recorded");
    // A hand-built event whose instant is not its date's noon UTC is refused, naming occurred_on.
    let skewed = Event { occurred_at: "2026-03-04T08:00:00Z".parse().unwrap(), ..started };
    let err = record.apply(skewed).unwrap_err();
    assert_eq!((err.code().as_str(), err.problems()[0].path.as_str()), ("invalid_field", "$.occurred_on"));
}

#[test]
fn an_items_own_role_may_do_its_work_but_not_waive_reopen_or_hold_it() {
    let p = Protocol::standard();
    let t: Timestamp = "2026-01-05T09:00:00Z".parse().unwrap();
    let mut record = Record::new(p, "p1");
    // A patient completes their own item ...
    record
        .apply(Event::new(
            "e1",
            t,
            Role::Patient,
            EventKind::ItemCompleted { item: "pump_options_learned".into() },
        ))
        .unwrap();
    // ... but may not reopen it, waive or hold one: those are the clinic's decisions.
    for (id, kind) in [
        ("e2", EventKind::ItemReopened { item: "pump_options_learned".into(), reason: None }),
        ("e3", EventKind::ItemWaived { item: "pump_chosen".into(), reason: "no".into() }),
        ("e4", EventKind::ItemPutOnHold { item: "pump_chosen".into(), reason: None }),
    ] {
        let err = record.apply(Event::new(id, t, Role::Patient, kind)).unwrap_err();
        assert!(matches!(err, EventError::ActorNotAllowed { actor: Role::Patient, .. }), "{id}: {err}");
    }
    // Clinic staff may.
    record
        .apply(Event::new(
            "e5",
            t,
            Role::ClinicStaff,
            EventKind::ItemReopened { item: "pump_options_learned".into(), reason: None },
        ))
        .unwrap();
}
