//! Issue 24, why and why not: every rule's verdict for a patient, fired or not, with the values it looked at.

use std::collections::BTreeSet;

use pumppath::cgm::{Series, SeriesOptions};
use pumppath::demo;
use pumppath::glucose::Unit;
use pumppath::pathway::{Event, EventKind, Protocol, Record, Role};
use pumppath::rules::{
    Assessment, EvaluationOptions, Outcome, RuleId, TraceEntry, TraceReason, evaluate, evaluate_json,
};

fn traced() -> EvaluationOptions {
    EvaluationOptions { trace: true, ..Default::default() }
}

fn ts(s: &str) -> pumppath::jiff::Timestamp {
    s.parse().unwrap()
}

/// Every demo patient assessed with the trace.
fn demo_assessments() -> Vec<Assessment> {
    let protocol = Protocol::standard();
    demo::cohort()
        .into_iter()
        .map(|p| {
            let record = p.record(protocol).unwrap();
            let series = Series::from_readings(Unit::MgDl, p.readings(), &SeriesOptions::default()).unwrap();
            evaluate(&record, Some(&series), ts(demo::DEMO_NOW), demo::DEMO_TIME_ZONE, &traced()).unwrap()
        })
        .collect()
}

fn entry(a: &Assessment, rule: RuleId) -> &TraceEntry {
    a.trace.as_ref().unwrap().iter().find(|e| e.rule == rule).unwrap()
}

#[test]
fn every_rule_has_one_entry_and_fired_entries_agree_with_the_actions() {
    for a in demo_assessments() {
        let trace = a.trace.as_ref().unwrap();
        let rules: Vec<RuleId> = trace.iter().map(|e| e.rule).collect();
        assert_eq!(rules, RuleId::ALL, "{}", a.patient_id);
        for e in trace {
            let fired = a.actions.iter().any(|x| x.rule == e.rule);
            let quieted = a.acknowledged.iter().any(|x| x.action.rule == e.rule);
            assert_eq!(e.outcome == Outcome::Fired, fired, "{} {}: {}", a.patient_id, e.rule, e.sentence);
            assert_eq!(
                e.outcome == Outcome::Acknowledged && e.reason == TraceReason::Acknowledged && !fired,
                quieted,
                "{} {}: {}",
                a.patient_id,
                e.rule,
                e.sentence
            );
            assert_eq!(e.reason.outcome(), e.outcome);
            assert_eq!(e.source, e.rule.spec().source);
            assert!(!e.sentence.is_empty());
            if let Some(action) = a.actions.iter().find(|x| x.rule == e.rule) {
                assert!(e.sentence.contains(&action.message), "{}: {}", e.rule, e.sentence);
            }
        }
        // A fired CGM rule shows the test that fired it, crossing its threshold.
        if let Some(x) = a.actions.iter().find(|x| x.rule == RuleId::FrequentLows) {
            let e = entry(&a, RuleId::FrequentLows);
            assert!(
                e.checks.iter().any(|c| c.crossed && c.applied),
                "{}: {:?} / {}",
                a.patient_id,
                e.checks,
                x.message
            );
        }
    }
}

#[test]
fn a_patient_who_meets_every_goal_has_quiet_cgm_entries_with_the_summary_s_values() {
    // Dev: nine months on the pump, well controlled, sufficient data.
    let a = demo_assessments().into_iter().find(|a| a.patient_id == "dev").unwrap();
    let s = a.cgm.as_ref().unwrap();
    assert!(s.sufficient);
    for rule in [RuleId::FrequentLows, RuleId::FrequentHighs] {
        let e = entry(&a, rule);
        assert_eq!((e.outcome, e.reason), (Outcome::Quiet, TraceReason::GoalsMet), "{}", e.sentence);
        assert!(e.checks.iter().filter(|c| c.applied).all(|c| !c.crossed), "{:?}", e.checks);
    }
    let below =
        entry(&a, RuleId::FrequentLows).checks.iter().find(|c| c.measure == "percent_below_range").unwrap();
    assert!(
        (below.value - s.percent_below_70.unwrap()).abs() < 0.01,
        "{} vs {:?}",
        below.value,
        s.percent_below_70
    );
    assert_eq!((below.threshold, below.window_days, below.unit.as_str()), (4.0, Some(14), "%"));
    let above = entry(&a, RuleId::FrequentHighs)
        .checks
        .iter()
        .find(|c| c.measure == "percent_above_very_high")
        .unwrap();
    assert!((above.value - s.percent_above_250.unwrap()).abs() < 0.01);
    // The sentence reads the values with their thresholds.
    let sentence = &entry(&a, RuleId::FrequentLows).sentence;
    assert!(sentence.starts_with("Not frequently low: "), "{sentence}");
    assert!(
        sentence.contains(&format!("{}% below 70 mg/dL over 14 days (goal under 4%)", below.value)),
        "{sentence}"
    );
    assert!(sentence.contains("0 extended hypo episodes over 7 days (frequent from 1)"), "{sentence}");
    let data = entry(&a, RuleId::InsufficientCgmData);
    assert_eq!(data.reason, TraceReason::EnoughData);
    assert_eq!(
        data.checks.iter().map(|c| c.measure.as_str()).collect::<Vec<_>>(),
        ["days_of_data", "active_percent"]
    );
}

#[test]
fn each_not_applicable_reason_is_exercised() {
    let mut seen = BTreeSet::new();
    let mut add = |a: &Assessment| {
        for e in a.trace.as_ref().unwrap() {
            if e.outcome == Outcome::NotApplicable {
                seen.insert(e.reason);
            }
        }
    };
    for a in demo_assessments() {
        add(&a);
    }
    let protocol = Protocol::standard();
    let now = ts(demo::DEMO_NOW);
    // A new patient with nothing recorded and no readings.
    let empty = Record::new(protocol, "new");
    add(&evaluate(&empty, None, now, "UTC", &traced()).unwrap());
    // A patient whose record says they wear no CGM.
    let mut no_cgm = Record::new(protocol, "no-cgm");
    no_cgm
        .apply(Event::new(
            "e1",
            ts("2026-03-01T12:00:00Z"),
            Role::Patient,
            EventKind::CgmUse { wears_cgm: false },
        ))
        .unwrap();
    let a = evaluate(&no_cgm, None, now, "UTC", &traced()).unwrap();
    assert_eq!(entry(&a, RuleId::FrequentLows).reason, TraceReason::NoCgm);
    add(&a);
    // A clinic's protocol without an insurance item.
    let mut json: serde_json::Value = serde_json::from_str(&protocol.to_json()).unwrap();
    let items = json["phases"][0]["items"].as_array_mut().unwrap();
    items.retain(|i| i["id"] != "insurance_coverage");
    for item in items.iter_mut() {
        if let Some(pre) = item["prerequisites"].as_array_mut() {
            pre.retain(|p| p != "insurance_coverage");
        }
    }
    let own = Protocol::from_json(&json.to_string()).unwrap();
    add(&evaluate(&Record::new(&own, "own"), None, now, "UTC", &traced()).unwrap());

    let expected: BTreeSet<TraceReason> =
        TraceReason::ALL.into_iter().filter(|r| r.outcome() == Outcome::NotApplicable).collect();
    assert_eq!(seen, expected);
}

#[test]
fn the_trace_is_asked_for_and_byte_identical() {
    let protocol = Protocol::standard();
    let chloe = demo::cohort().into_iter().find(|p| p.id == "chloe").unwrap();
    let record = chloe.record(protocol).unwrap();
    let series = Series::from_readings(Unit::MgDl, chloe.readings(), &SeriesOptions::default()).unwrap();
    let now = ts(demo::DEMO_NOW);
    let plain =
        evaluate(&record, Some(&series), now, demo::DEMO_TIME_ZONE, &EvaluationOptions::default()).unwrap();
    assert!(plain.trace.is_none() && !plain.to_json().contains("\"trace\""));
    let a = evaluate(&record, Some(&series), now, demo::DEMO_TIME_ZONE, &traced()).unwrap();
    let b = evaluate(&record, Some(&series), now, demo::DEMO_TIME_ZONE, &traced()).unwrap();
    assert_eq!(a.to_json(), b.to_json());
    // The one-document request asks for it the same way.
    let request = format!(
        r#"{{"record": {}, "readings": {}, "now": "{}", "time_zone": "{}", "trace": true}}"#,
        record.to_json(),
        series.to_json(),
        demo::DEMO_NOW,
        demo::DEMO_TIME_ZONE
    );
    assert_eq!(evaluate_json(&request).unwrap(), a.to_json());
    // Chloe's lows fired; the specialist visit is done; the follow-up's overdue rule speaks for her follow-up.
    assert_eq!(entry(&a, RuleId::FrequentLows).outcome, Outcome::Fired);
    assert_eq!(entry(&a, RuleId::SpecialistVisitDue).reason, TraceReason::Done);
    assert_eq!(entry(&a, RuleId::FollowUpDue).reason, TraceReason::OverdueSpeaks);
    assert!(entry(&a, RuleId::FollowUpDue).window.is_some());
}
