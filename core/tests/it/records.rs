//! Issue 23 item 7, records that grow for years: loading is linear (the fold's state is bounded, corrections
//! refold only what they change), and none of it changes what a record folds to. The speed itself is measured
//! by the `record` bench (benches/record.rs), never timed here.

use jiff::ToSpan;
use proptest::prelude::*;
use pumppath::pathway::*;
use pumppath::rules::RuleId;

fn at(k: i64) -> jiff::Timestamp {
    "2026-01-01T12:00:00Z".parse::<jiff::Timestamp>().unwrap().checked_add((k * 6).hours()).unwrap()
}

/// The steps up to a pump start, then `kinds` (an index into a realistic mix) one after another, with a
/// correction of an earlier event of the mix wherever `kinds` says so.
fn log(kinds: &[(u8, u16)]) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let push = |events: &mut Vec<Event>, actor: Role, kind: EventKind| {
        let n = events.len() as i64 + 1;
        events.push(Event::new(format!("e{n}"), at(n), actor, kind));
    };
    push(&mut events, Role::ClinicStaff, EventKind::InsuranceSubmitted);
    push(&mut events, Role::Insurer, EventKind::InsuranceDecision { decision: InsuranceDecision::Approved });
    push(&mut events, Role::Patient, EventKind::ItemCompleted { item: "pump_options_learned".into() });
    push(&mut events, Role::Patient, EventKind::PumpChosen { pump: "X".into() });
    push(&mut events, Role::Patient, EventKind::ItemCompleted { item: "provider_informed".into() });
    push(&mut events, Role::Supplier, EventKind::PumpOrdered { channel: OrderChannel::Pharmacy });
    push(&mut events, Role::Patient, EventKind::PumpStarted);
    let first = events.len();
    let targets = |preset: &str| serde_json::from_str(&format!(r#"{{"preset": "{preset}"}}"#)).unwrap();
    for &(kind, target) in kinds {
        let (actor, kind) = match kind % 9 {
            0 => (
                Role::Provider,
                EventKind::ActionAcknowledged { rule: RuleId::FrequentHighs, item: None, until: None },
            ),
            1 => (Role::Provider, EventKind::TargetsSet { targets: targets("older_high_risk") }),
            2 => (Role::Provider, EventKind::TargetsSet { targets: targets("standard") }),
            3 => (
                Role::ClinicStaff,
                EventKind::ItemScheduled {
                    item: "follow_up_every_3_months".into(),
                    scheduled_for: Scheduled::At(at(events.len() as i64 + 40)),
                },
            ),
            4 => (Role::ClinicStaff, EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] }),
            5 => (
                Role::Specialist,
                EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec!["topic_travel".into()] },
            ),
            6 => (Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 90 }),
            7 => (Role::Patient, EventKind::CgmUse { wears_cgm: target % 2 == 0 }),
            _ => {
                // A correction of an earlier event of the mix (maybe one already voided: then it is refused).
                let mixed = events.len() - first;
                if mixed == 0 {
                    continue;
                }
                let voids = events[first + usize::from(target) % mixed].id.clone();
                (Role::ClinicStaff, EventKind::Correction { voids })
            }
        };
        push(&mut events, actor, kind);
    }
    events
}

/// What a record folds to, compared whole: the state, the key dates and the lists kept beside the fold.
fn folded(r: &Record) -> (PathwayState, Vec<When>, Vec<TargetsChange>, Vec<Acknowledgement>) {
    (
        r.state().clone(),
        r.follow_up_visits().copied().collect(),
        r.targets_changes().cloned().collect(),
        r.acknowledgements().cloned().collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A record built event by event (corrections refolding from checkpoints, stopping where they converge)
    /// folds to what the events that survive fold to from scratch.
    #[test]
    fn corrections_fold_to_what_the_surviving_events_fold_to(
        kinds in prop::collection::vec((0u8..9, any::<u16>()), 100..400)
    ) {
        let p = Protocol::standard();
        let mut record = Record::new(p, "p");
        for e in log(&kinds) {
            // Some corrections are refused (already voided, or they would break a later event): skipped.
            let _ = record.apply(e);
        }
        let survivors: Vec<Event> = record
            .events()
            .iter()
            .filter(|e| !record.is_voided(&e.id) && !matches!(e.kind, EventKind::Correction { .. }))
            .cloned()
            .collect();
        let scratch = Record::replay(p, "p", survivors).unwrap();
        prop_assert_eq!(folded(&record), folded(&scratch));
        // And the record's JSON loads back to the same fold.
        let back = Record::from_json(p, &record.to_json()).unwrap();
        prop_assert_eq!(folded(&back), folded(&record));
    }
}

#[test]
fn a_rejected_event_leaves_the_record_as_it_was() {
    // A visit covering an unknown item is rejected whole: the visit's milestone item is not completed.
    let p = Protocol::standard();
    let mut record = Record::replay(p, "p", log(&[])).unwrap();
    let before = folded(&record);
    let visit = EventKind::VisitHeld {
        visit: VisitKind::Specialist,
        covered: vec!["topic_travel".into(), "nope".into()],
    };
    let err = record.apply(Event::new("v1", at(100), Role::Specialist, visit)).unwrap_err();
    assert!(matches!(err, EventError::UnknownItem { .. }), "{err}");
    assert_eq!(folded(&record), before);
    assert_eq!(record.item_state("specialist_visit"), Some(ItemState::NotStarted));
}

#[test]
fn a_long_log_with_many_corrections_of_early_events_loads() {
    // 4,000 events, 300 corrections of events from the log's first tenth: every checkpoint after them refolds
    // only until it converges. The bench runs this at 100,000 events.
    // The c-th correction voids the (2c)-th event of the mix: each a different early event.
    let kinds: Vec<(u8, u16)> = (0..4_000u16)
        .map(|k| if k > 400 && k % 12 == 0 { (8, k / 12 * 2) } else { ((k % 8) as u8, 0) })
        .collect();
    let p = Protocol::standard();
    let mut record = Record::new(p, "p");
    for e in log(&kinds) {
        // A correction that would break a later event (voiding a specialist visit its topics depend on) is
        // refused; the rest load.
        let _ = record.apply(e);
    }
    let voided = record.events().iter().filter(|e| record.is_voided(&e.id)).count();
    assert!(voided > 250, "{voided}");
    let back = Record::from_json(p, &record.to_json()).unwrap();
    assert_eq!(folded(&back), folded(&record));
}
