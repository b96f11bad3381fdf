//! The patient's view: each demo patient's own next steps and visits, nothing a patient should not read (rule
//! ids, codes, item ids), their unit and targets, and a clinic's own protocol in its own words.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use pumppath::cgm::{Series, SeriesOptions};
use pumppath::demo;
use pumppath::glucose::{CutPoints, TargetGoals, TargetPreset, Targets, Unit};
use pumppath::pathway::{
    Event, EventKind, InsuranceDecision, OrderChannel, Protocol, Record, Role, STANDARD_PROTOCOL_JSON,
    Scheduled,
};
use pumppath::patient::{PatientView, PatientVisit};
use pumppath::rules::{Assessment, EvaluationOptions, RuleId, VisitDue, evaluate};
use pumppath::schedule::DueState;
use pumppath::wire::WireEnum;

fn now() -> Timestamp {
    demo::DEMO_NOW.parse().unwrap()
}

fn demo_patient(id: &str) -> demo::DemoPatient {
    demo::cohort().into_iter().find(|p| p.id == id).unwrap()
}

/// A demo patient's assessment, their readings in `unit` (converted from the demo's mg/dL).
fn demo_assessment(id: &str, unit: Unit) -> Assessment {
    let p = demo_patient(id);
    let readings: Vec<_> = p.readings().into_iter().map(|(t, v)| (t, Unit::MgDl.convert(v, unit))).collect();
    let series = Series::from_readings(unit, readings, &SeriesOptions::default()).unwrap();
    evaluate(
        &p.record(Protocol::standard()).unwrap(),
        Some(&series),
        now(),
        demo::DEMO_TIME_ZONE,
        &EvaluationOptions::default(),
    )
    .unwrap()
}

fn demo_view(id: &str, unit: Unit) -> PatientView {
    let a = demo_assessment(id, unit);
    // The unit the patient reads is the readings' own.
    assert_eq!(a.cgm.as_ref().map(|c| c.unit), Some(unit));
    PatientView::of(&a, Protocol::standard(), &Targets::default(), unit).unwrap()
}

fn titles(view: &PatientView) -> Vec<&str> {
    view.next_steps.iter().map(|s| s.title.as_str()).collect()
}

fn visit(visit: VisitDue, title: &str, due: Date, state: DueState, booked_for: Option<Date>) -> PatientVisit {
    PatientVisit { visit, title: title.into(), due, state, booked_for }
}

const SPECIALIST: &str = "Specialist visit after the start";
const FOLLOW_UP: &str = "Follow-up every 3 months";

/// Whether `word` is in `text` as a whole word (ids such as `worsening` are English words too).
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .any(|w| w.trim_end_matches('.') == word)
}

/// Nothing in the text a patient should not read: no rule id, rule state, severity, item id, handout
/// reference, role or state wire name, phase id, nor the patient's id.
fn assert_plain(text: &str, view: &PatientView) {
    let protocol = Protocol::standard();
    let mut codes: Vec<String> = Vec::new();
    codes.extend(RuleId::names().iter().map(|s| s.to_string()));
    // "routine" is a severity but also the protocol's own word ("Infusion set and site routine").
    codes.extend(["urgent", "severity", "evidence", "rule"].map(String::from));
    codes.extend(Role::names().iter().filter(|r| r.contains('_')).map(|s| s.to_string()));
    codes.extend(protocol.items().flat_map(|(_, i)| [i.id.clone(), i.source.clone()]));
    codes.extend(protocol.phases().iter().map(|p| p.id.clone()));
    codes.extend(pumppath::pathway::handout::passages().iter().map(|(r, _)| r.to_string()));
    codes.push(view.patient_id.clone());
    for code in &codes {
        assert!(!has_word(text, code), "the patient's text shows {code:?}:\n{text}");
    }
    // Every code is snake_case or dotted: none of those shapes reaches the text.
    assert!(!text.contains('_'), "{text}");
    assert!(!text.contains("mg/dL") || !text.contains("mmol/L"), "one unit only:\n{text}");
}

#[test]
fn each_demo_patient_sees_exactly_their_own_steps_and_visits() {
    use DueState::*;
    use VisitDue::*;
    // (id, the next steps the patient acts on, the visits, reorder supplies by, back-up plan review pending)
    type Expected =
        (&'static str, Vec<&'static str>, Vec<PatientVisit>, Option<(Date, DueState)>, Option<bool>);
    let expected: Vec<Expected> = vec![
        // Pre-pump: options learned, so choosing the pump is next; nothing is planned before the start.
        ("ana", vec!["Pump chosen"], vec![], None, None),
        // Denied coverage is the clinic's to chase; the patient's next step is the same.
        ("ema", vec!["Pump chosen"], vec![], None, None),
        // Twelve days on the pump: the link is his; the specialist visit is due and not booked.
        (
            "ben",
            vec!["Pump uploaded or linked to the clinic"],
            vec![
                visit(SpecialistVisit, SPECIALIST, date(2026, 3, 11), Due, None),
                visit(FollowUp, FOLLOW_UP, date(2026, 6, 4), Upcoming, None),
            ],
            None,
            Some(true),
        ),
        // The steps whose topics were covered; the back-up plan's wait for its review.
        (
            "chloe",
            vec![
                "Infusion set and site routine",
                "Taping managed",
                "Knows when to call the clinic",
                "Knows where supplies come from",
            ],
            vec![visit(FollowUp, FOLLOW_UP, date(2026, 2, 20), Overdue, None)],
            Some((date(2026, 2, 19), Overdue)),
            Some(true),
        ),
        (
            "dev",
            vec![],
            vec![visit(FollowUp, FOLLOW_UP, date(2026, 3, 10), Due, None)],
            Some((date(2026, 3, 22), DueSoon)),
            Some(false),
        ),
        (
            "finn",
            vec![],
            vec![visit(FollowUp, FOLLOW_UP, date(2026, 6, 1), Upcoming, None)],
            Some((date(2026, 5, 17), Upcoming)),
            Some(false),
        ),
        (
            "gia",
            vec![],
            vec![visit(FollowUp, FOLLOW_UP, date(2026, 6, 3), Upcoming, None)],
            Some((date(2026, 5, 18), Upcoming)),
            Some(false),
        ),
    ];
    assert_eq!(expected.len(), demo::cohort().len(), "every demo patient");
    for (id, steps, visits, supplies, review_pending) in expected {
        let view = demo_view(id, Unit::MgDl);
        assert_eq!(titles(&view), steps, "{id}");
        assert!(view.next_steps.iter().all(|s| s.role == Role::Patient), "{id}");
        assert_eq!(view.visits, visits, "{id}");
        assert_eq!(view.supplies.as_ref().map(|s| (s.reorder_by, s.state)), supplies, "{id}");
        assert_eq!(view.backup_plan.as_ref().map(|b| b.review_pending), review_pending, "{id}");

        for text in [view.to_markdown(), view.to_text()] {
            assert_plain(&text, &view);
            for step in &steps {
                assert!(text.contains(step), "{id}: {step}\n{text}");
            }
            // Each visit by its name and its date, written out; none before the pump start.
            for v in &visits {
                let day = v.due.strftime("%A %-d %B %Y").to_string();
                let line = text.lines().find(|l| l.contains(&v.title) && l.contains(&day));
                assert!(line.is_some(), "{id}: {} on {day}\n{text}", v.title);
            }
            assert_eq!(text.contains("visits"), !visits.is_empty(), "{id}\n{text}");
            assert!(text.contains("Call us when your glucose is often below 70 mg/dL or above 250 mg/dL."));
            // Only the patient's own: no other item of the protocol is named as a step.
            let shown: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("- [ ] ")).collect();
            if text.starts_with('#') {
                assert_eq!(shown, steps, "{id}");
            }
        }
    }
}

/// The reference's Markdown block: Chloe's view, as the reference shows it.
fn reference_markdown() -> &'static str {
    let reference = include_str!("../../../docs/reference.md");
    let rest = &reference[reference.find("```markdown\n").unwrap() + "```markdown\n".len()..];
    &rest[..rest.find("```").unwrap()]
}

#[test]
fn chloe_reads_her_view_in_the_handouts_voice() {
    let view = demo_view("chloe", Unit::MgDl);
    // Her whole view, as docs/reference.md shows it.
    assert_eq!(view.to_markdown(), reference_markdown());
    assert!(reference_markdown().contains("was due Friday 20 February 2026"));
    // The same sentences as plain text, without Markdown's marks.
    let text = view.to_text();
    assert!(
        text.contains("\nYour visits:\n- Follow-up every 3 months: was due Friday 20 February 2026."),
        "{text}"
    );
    assert!(!text.contains(['#', '*', '[']), "{text}");
    let sentences =
        |s: &str| s.lines().filter_map(|l| l.strip_prefix("- ")).map(str::to_owned).collect::<Vec<_>>();
    let unmarked: Vec<String> = sentences(reference_markdown())
        .into_iter()
        .map(|l| l.trim_start_matches("[ ] ").replace("**", ""))
        .collect();
    assert_eq!(sentences(&text), unmarked);
}

#[test]
fn mmol_patients_see_mmol() {
    for patient in demo::cohort() {
        let view = demo_view(patient.id, Unit::MmolL);
        assert_eq!((view.call_us.unit, view.call_us.below, view.call_us.above), (Unit::MmolL, 3.9, 13.9));
        for text in [view.to_markdown(), view.to_text()] {
            assert!(
                text.contains("Call us when your glucose is often below 3.9 mmol/L or above 13.9 mmol/L."),
                "{}: {text}",
                patient.id
            );
            assert!(!text.contains("mg/dL"), "{}: {text}", patient.id);
            assert_plain(&text, &view);
        }
    }
}

#[test]
fn the_call_rule_says_what_the_patients_targets_say() {
    let a = demo_assessment("chloe", Unit::MgDl);
    let call = |targets: &Targets, unit: Unit| {
        let view = PatientView::of(&a, Protocol::standard(), targets, unit).unwrap();
        let line = view.to_text().lines().find(|l| l.contains("often below")).unwrap().to_owned();
        (view.call_us.below, view.call_us.above, line)
    };
    // Pregnancy sets no > 250 goal: its highs are judged above its range, 140 mg/dL (7.8 mmol/L).
    let pregnancy = Targets::preset(TargetPreset::PregnancyType1);
    let (below, above, line) = call(&pregnancy, Unit::MgDl);
    assert_eq!((below, above), (63.0, 140.0));
    assert!(line.ends_with("often below 63 mg/dL or above 140 mg/dL."), "{line}");
    let (_, _, line) = call(&pregnancy, Unit::MmolL);
    assert!(line.ends_with("often below 3.5 mmol/L or above 7.8 mmol/L."), "{line}");
    // Older or high-risk adults keep the standard cut-points.
    let (_, _, line) = call(&TargetPreset::OlderHighRisk.into(), Unit::MgDl);
    assert!(line.ends_with("often below 70 mg/dL or above 250 mg/dL."), "{line}");
    // A clinic's own targets in mg/dL, read by an mmol/L patient: converted, shown to one decimal.
    let goals = TargetGoals {
        min_percent_in_range: 70.0,
        max_percent_below_range: 4.0,
        max_percent_below_very_low: Some(1.0),
        max_percent_above_range: Some(25.0),
        max_percent_above_very_high: Some(5.0),
    };
    let own =
        Targets::custom("clinic_a", CutPoints::new(Unit::MgDl, 54.0, 80.0, 160.0, 270.0).unwrap(), goals)
            .unwrap();
    let (below, above, line) = call(&own, Unit::MgDl);
    assert_eq!((below, above), (80.0, 270.0));
    assert!(line.ends_with("often below 80 mg/dL or above 270 mg/dL."), "{line}");
    let (_, _, line) = call(&own, Unit::MmolL);
    assert!(line.ends_with("often below 4.4 mmol/L or above 15.0 mmol/L."), "{line}");
}

/// A small protocol of a clinic's own, with its own words: one pre-pump phase and one phase after the start.
const OWN_PROTOCOL: &str = r#"{
  "schema_version": 1, "id": "lakeside_clinic", "version": "3", "title": "Lakeside pump programme",
  "phases": [
    {"id": "before", "title": "Getting ready", "items": [
      {"id": "cover", "title": "Insurance OK", "description": "Staff check cover.", "role": "clinic_staff",
       "required": true, "source": "pre_pump.1", "milestone": "insurance_coverage"},
      {"id": "look", "title": "Look at the *three* pumps we offer", "description": "Brochures at the desk.",
       "role": "patient", "required": true, "source": "pre_pump.2"},
      {"id": "pick", "title": "Pick your pump", "description": "Tell us which one.", "role": "patient",
       "required": true, "prerequisites": ["look"], "source": "pre_pump.3", "milestone": "pump_chosen"},
      {"id": "order", "title": "Pump on its way", "description": "We order it.", "role": "supplier",
       "required": true, "prerequisites": ["cover", "pick"], "source": "pre_pump.3", "milestone": "pump_ordered"},
      {"id": "book_class", "title": "Pump class with the trainer", "description": "The trainer calls you.",
       "role": "pump_trainer", "required": true, "prerequisites": ["order"], "source": "understanding_the_pump.s1"}
    ]},
    {"id": "after", "title": "On the pump", "items": [
      {"id": "go", "title": "Start day", "description": "Your first day.", "role": "patient", "required": true,
       "prerequisites": ["book_class"], "source": "understanding_the_pump.s4", "milestone": "pump_started"},
      {"id": "nurse", "title": "Nurse educator check-in", "description": "A week after the start.",
       "role": "specialist", "required": true, "prerequisites": ["go"], "source": "understanding_the_pump.s8",
       "milestone": "specialist_visit"},
      {"id": "quarterly", "title": "Quarterly review with Dr Lee", "description": "Every 3 months.",
       "role": "provider", "required": true, "prerequisites": ["nurse"], "source": "post_pump_care.s1",
       "milestone": "follow_up"}
    ]}
  ]
}"#;

fn event(id: &str, at: &str, actor: Role, kind: EventKind) -> Event {
    Event::new(id, at.parse().unwrap(), actor, kind)
}

#[test]
fn a_clinics_own_protocol_speaks_in_its_own_words() {
    let protocol = Protocol::from_json(OWN_PROTOCOL).unwrap();
    let at = "2026-03-02T15:00:00Z";
    let mut record = Record::new(&protocol, "p1");
    let view_of = |record: &Record| {
        let a = evaluate(record, None, now(), demo::DEMO_TIME_ZONE, &EvaluationOptions::default()).unwrap();
        PatientView::of(&a, &protocol, &Targets::default(), Unit::MgDl).unwrap()
    };
    let view = view_of(&record);
    assert_eq!(titles(&view), ["Look at the *three* pumps we offer"]);
    assert_eq!(view.next_steps[0].description, "Brochures at the desk.");
    let (markdown, text) = (view.to_markdown(), view.to_text());
    assert!(markdown.contains("phase 1 of 2: Getting ready."), "{markdown}");
    // The clinic's words, escaped for Markdown and as they are in text; never the standard protocol's.
    assert!(markdown.contains("- [ ] Look at the \\*three\\* pumps we offer\n"), "{markdown}");
    assert!(text.contains("- Look at the *three* pumps we offer\n"), "{text}");
    for (_, item) in Protocol::standard().items() {
        assert!(!markdown.contains(&item.title) && !text.contains(&item.title), "{}", item.title);
    }

    // Through the order, the trainer's class is the next step, taken with the trainer, on its booked date.
    for (k, (actor, kind)) in [
        (Role::Patient, EventKind::ItemCompleted { item: "look".into() }),
        (Role::Patient, EventKind::PumpChosen { pump: "p".into() }),
        (Role::ClinicStaff, EventKind::InsuranceSubmitted),
        (Role::Insurer, EventKind::InsuranceDecision { decision: InsuranceDecision::Approved }),
        (Role::Supplier, EventKind::PumpOrdered { channel: OrderChannel::Pharmacy }),
        (
            Role::PumpTrainer,
            EventKind::ItemScheduled {
                item: "book_class".into(),
                scheduled_for: Scheduled::On(date(2026, 3, 20)),
            },
        ),
    ]
    .into_iter()
    .enumerate()
    {
        record.apply(event(&format!("e{k}"), at, actor, kind)).unwrap();
    }
    let view = view_of(&record);
    assert_eq!(titles(&view), ["Pump class with the trainer"]);
    assert_eq!(
        (view.next_steps[0].role, view.next_steps[0].booked_for),
        (Role::PumpTrainer, Some(date(2026, 3, 20)))
    );
    assert!(
        view.to_text().contains(
            "- Pump class with the trainer (with your pump trainer, booked for Friday 20 March 2026)\n"
        ),
        "{}",
        view.to_text()
    );

    // After the start, the visits carry the clinic's names; this protocol has no back-up plan review to await.
    record
        .apply(event(
            "e9",
            "2026-03-03T15:00:00Z",
            Role::PumpTrainer,
            EventKind::ItemCompleted { item: "book_class".into() },
        ))
        .unwrap();
    record.apply(event("e10", "2026-03-04T15:00:00Z", Role::Patient, EventKind::PumpStarted)).unwrap();
    let view = view_of(&record);
    let names: Vec<&str> = view.visits.iter().map(|v| v.title.as_str()).collect();
    assert_eq!(names, ["Nurse educator check-in", "Quarterly review with Dr Lee"]);
    assert!(view.to_markdown().contains("- **Nurse educator check-in**: was due Wednesday 11 March 2026."));
    assert_eq!(view.backup_plan.map(|b| b.review_pending), Some(false));
}

#[test]
fn a_booked_visit_shows_its_booking_and_the_first_weeks_say_to_call() {
    let protocol = Protocol::standard();
    let ben = demo_patient("ben");
    let mut record = ben.record(protocol).unwrap();
    let view = |record: &Record| {
        let a = evaluate(record, None, now(), demo::DEMO_TIME_ZONE, &EvaluationOptions::default()).unwrap();
        PatientView::of(&a, protocol, &Targets::default(), Unit::MgDl).unwrap()
    };
    let before = view(&record);
    // Started 4 March: the first weeks run to 1 April.
    assert_eq!(before.call_us.first_weeks_until, Some(date(2026, 4, 1)));
    assert!(before.to_text().contains(
        "- In your first weeks on the pump, until Wednesday 1 April 2026, also call us if you have high or low blood sugars."
    ));
    let booking = EventKind::ItemScheduled {
        item: "specialist_visit".into(),
        scheduled_for: Scheduled::At("2026-03-18T15:30:00Z".parse().unwrap()),
    };
    record.apply(event("booked", "2026-03-16T14:00:00Z", Role::ClinicStaff, booking)).unwrap();
    let after = view(&record);
    assert_eq!(after.visits[0].booked_for, Some(date(2026, 3, 18)));
    let text = after.to_text();
    let line = text.lines().find(|l| l.contains("Specialist visit")).unwrap();
    assert_eq!(line, "- Specialist visit after the start: booked for Wednesday 18 March 2026.");
    let line = before.to_text().lines().find(|l| l.contains("Specialist visit")).unwrap().to_owned();
    assert!(
        line.ends_with("was due Wednesday 11 March 2026. Not booked yet: please call us to book it."),
        "{line}"
    );

    // A booking for a day gone by, with no visit on record: missed, or not yet recorded.
    let past = EventKind::ItemScheduled {
        item: "specialist_visit".into(),
        scheduled_for: Scheduled::On(date(2026, 3, 12)),
    };
    record.apply(event("rebooked", "2026-03-16T14:30:00Z", Role::ClinicStaff, past)).unwrap();
    let text = view(&record).to_text();
    let line = text.lines().find(|l| l.contains("Specialist visit")).unwrap();
    assert_eq!(
        line,
        "- Specialist visit after the start: was booked for Thursday 12 March 2026. \
         If you missed it, please call us to book it again."
    );

    // Chloe, four months on, is past her first weeks.
    assert_eq!(demo_view("chloe", Unit::MgDl).call_us.first_weeks_until, None);
}

#[test]
fn the_view_is_json_with_ids_for_programs_and_refuses_another_protocols_assessment() {
    let view = demo_view("chloe", Unit::MgDl);
    let json: serde_json::Value = serde_json::from_str(&view.to_json()).unwrap();
    assert_eq!(json["patient_id"], "chloe");
    assert_eq!(json["today"], "2026-03-16");
    assert_eq!(json["phase"]["phase"], "understanding_the_pump");
    assert_eq!(json["next_steps"][0]["item"], "infusion_set_routine");
    assert_eq!(json["next_steps"][0]["role"], "patient");
    assert_eq!(json["visits"][0]["visit"], "follow_up");
    assert_eq!(json["visits"][0]["state"], "overdue");
    assert_eq!(json["supplies"]["runs_out_on"], "2026-03-05");
    assert_eq!(
        json["call_us"],
        serde_json::json!({"unit": "mg/dL", "below": 70.0, "above": 250.0,
                                                   "first_weeks_until": null})
    );
    assert_eq!(json["backup_plan"], serde_json::json!({"review_pending": true}));
    // It reads back, and refuses what it does not know.
    assert_eq!(serde_json::from_value::<PatientView>(json.clone()).unwrap(), view);
    let mut extra = json;
    extra["severity"] = "urgent".into();
    assert!(serde_json::from_value::<PatientView>(extra).is_err());
    // Nothing of the clinic's triage is in it: no rule, severity, evidence or handout reference.
    let text = view.to_json();
    for key in ["rule", "state\":\"fired", "severity", "evidence", "source", "message"] {
        assert!(!text.contains(&format!("\"{key}")), "{key}: {text}");
    }
    assert!(!text.contains("urgent"), "{text}");

    let own = Protocol::from_json(OWN_PROTOCOL).unwrap();
    let err = PatientView::of(&demo_assessment("chloe", Unit::MgDl), &own, &Targets::default(), Unit::MgDl)
        .unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("RecordError", "protocol_mismatch"));
    assert!(STANDARD_PROTOCOL_JSON.contains(SPECIALIST) && STANDARD_PROTOCOL_JSON.contains(FOLLOW_UP));
}
