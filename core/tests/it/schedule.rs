//! Scheduling: calendar arithmetic, anchors, windows and states, time zones, and properties.

use jiff::civil::{Date, date};
use jiff::{Timestamp, ToSpan};
use proptest::prelude::*;
use pumppath::pathway::*;
use pumppath::schedule::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A record that starts the pump at `start` (UTC noon), with the events before it a week earlier.
fn started_record(p: &Protocol, start: &str, extra: Vec<EventKind>, extra_at: &[&str]) -> Record {
    let before = ts(start).checked_sub((7 * 24).hours()).unwrap();
    let mut events = Vec::new();
    let mut n = 0;
    let mut push = |at: Timestamp, kind: EventKind| {
        n += 1;
        events.push(Event::new(format!("e{n}"), at, Role::ClinicStaff, kind));
    };
    push(before, EventKind::InsuranceSubmitted);
    push(before, EventKind::InsuranceDecision { decision: InsuranceDecision::Approved });
    push(before, EventKind::ItemCompleted { item: "pump_options_learned".into() });
    push(before, EventKind::PumpChosen { pump: "p".into() });
    push(before, EventKind::ItemCompleted { item: "provider_informed".into() });
    push(before, EventKind::PumpOrdered { channel: OrderChannel::Pharmacy });
    for item in ["training_scheduled", "pump_materials_reviewed", "training_completed"] {
        push(before, EventKind::ItemCompleted { item: item.into() });
    }
    push(ts(start), EventKind::PumpStarted);
    for (kind, at) in extra.into_iter().zip(extra_at) {
        push(ts(at), kind);
    }
    Record::replay(p, "s", events).unwrap()
}

fn clock(now: &str) -> ClinicClock {
    ClinicClock::new(ts(now), "UTC").unwrap()
}

#[test]
fn months_clamp_at_month_ends_without_drift() {
    assert_eq!(add_months(date(2026, 1, 31), 3).unwrap(), date(2026, 4, 30));
    assert_eq!(add_months(date(2026, 1, 31), 6).unwrap(), date(2026, 7, 31));
    assert_eq!(add_months(date(2025, 11, 30), 3).unwrap(), date(2026, 2, 28));
    assert_eq!(add_months(date(2027, 11, 30), 3).unwrap(), date(2028, 2, 29));
    assert_eq!(add_months(date(2027, 11, 29), 3).unwrap(), date(2028, 2, 29));
}

#[test]
fn follow_ups_anchor_on_the_start_then_on_the_last_visit_held() {
    let p = Protocol::standard();
    let r = started_record(p, "2026-01-31T12:00:00Z", vec![], &[]);
    let s = Schedule::of(&r, &clock("2026-03-01T12:00:00Z")).unwrap();
    let f = s.follow_up.unwrap();
    assert_eq!(f.anchor, date(2026, 1, 31));
    assert_eq!(f.anchored_on, Anchor::PumpStart);
    assert_eq!(f.next.due, date(2026, 4, 30));
    assert_eq!(f.later, [date(2026, 7, 31), date(2026, 10, 31), date(2027, 1, 31)]);
    assert_eq!(f.next.state, DueState::Upcoming);
    assert_eq!(f.next.days_until_due, Some(60));

    // A late visit moves the next follow-up.
    let p2 = started_record(
        p,
        "2026-01-31T12:00:00Z",
        vec![
            EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec![] },
            EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] },
        ],
        &["2026-02-05T12:00:00Z", "2026-05-20T12:00:00Z"],
    );
    let s = Schedule::of(&p2, &clock("2026-05-21T12:00:00Z")).unwrap();
    let f = s.follow_up.unwrap();
    assert_eq!(f.anchored_on, Anchor::FollowUpVisit);
    assert_eq!(f.next.due, date(2026, 8, 20));
}

#[test]
fn windows_move_through_their_states() {
    let p = Protocol::standard();
    let r = started_record(p, "2026-01-10T12:00:00Z", vec![], &[]);
    let expect = [
        ("2026-03-26T12:00:00Z", DueState::Upcoming, None),
        ("2026-03-27T12:00:00Z", DueState::DueSoon, None),
        ("2026-04-10T12:00:00Z", DueState::Due, None),
        ("2026-04-24T12:00:00Z", DueState::Due, None),
        ("2026-04-25T12:00:00Z", DueState::Overdue, Some(15)),
    ];
    for (now, state, overdue) in expect {
        let f = Schedule::of(&r, &clock(now)).unwrap().follow_up.unwrap();
        assert_eq!((f.next.state, f.next.days_overdue), (state, overdue), "{now}");
    }
    // Specialist visit: due a week after the start, overdue after two.
    let at = |now| Schedule::of(&r, &clock(now)).unwrap().specialist_visit.unwrap().window;
    assert_eq!(at("2026-01-12T12:00:00Z").state, DueState::DueSoon);
    assert_eq!(at("2026-01-17T12:00:00Z").state, DueState::Due);
    assert_eq!(at("2026-01-24T12:00:00Z").state, DueState::Due);
    assert_eq!(at("2026-01-25T12:00:00Z").state, DueState::Overdue);
    assert_eq!(at("2026-01-25T12:00:00Z").days_overdue, Some(8));
    let first = Schedule::of(&r, &clock("2026-02-08T12:00:00Z")).unwrap().first_weeks.unwrap();
    assert!(first.link_pending && first.settings_review_pending);
    assert_eq!(first.window.closes, date(2026, 2, 7));
    assert_eq!(first.window.state, DueState::Overdue);

    let held = started_record(
        p,
        "2026-01-10T12:00:00Z",
        vec![EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec![] }, EventKind::PumpLinked],
        &["2026-01-16T12:00:00Z", "2026-01-16T13:00:00Z"],
    );
    let s = Schedule::of(&held, &clock("2026-02-08T12:00:00Z")).unwrap();
    let v = s.specialist_visit.unwrap();
    assert_eq!((v.window.state, v.held_on), (DueState::Done, Some(date(2026, 1, 16))));
    let first = s.first_weeks.unwrap();
    assert!(!first.link_pending && first.settings_review_pending);
}

#[test]
fn insurance_check_in_runs_only_while_pending() {
    let p = Protocol::standard();
    let submitted =
        Event::new("e1", ts("2026-02-02T16:00:00Z"), Role::ClinicStaff, EventKind::InsuranceSubmitted);
    let r = Record::replay(p, "i", vec![submitted.clone()]).unwrap();
    let s = Schedule::of(&r, &clock("2026-02-25T12:00:00Z")).unwrap();
    let c = s.insurance_check_in.unwrap();
    assert_eq!(
        (c.submitted_on, c.window.due, c.window.state),
        (date(2026, 2, 2), date(2026, 2, 23), DueState::Due)
    );
    assert!(s.follow_up.is_none() && s.specialist_visit.is_none() && s.pump_started_on.is_none());
    let decided = Event::new(
        "e2",
        ts("2026-02-20T16:00:00Z"),
        Role::Insurer,
        EventKind::InsuranceDecision { decision: InsuranceDecision::Denied },
    );
    let r = Record::replay(p, "i", vec![submitted, decided]).unwrap();
    assert!(Schedule::of(&r, &clock("2026-02-25T12:00:00Z")).unwrap().insurance_check_in.is_none());
}

#[test]
fn supplies_reorder_before_the_batch_runs_out() {
    let p = Protocol::standard();
    let r = started_record(
        p,
        "2026-01-10T12:00:00Z",
        vec![EventKind::SuppliesReceived { days_of_supply: 90 }],
        &["2026-01-12T12:00:00Z"],
    );
    let at = |now| Schedule::of(&r, &clock(now)).unwrap().supplies.unwrap();
    let s = at("2026-03-20T12:00:00Z");
    assert_eq!((s.runs_out_on, s.window.due), (date(2026, 4, 12), date(2026, 3, 29)));
    assert_eq!(s.window.state, DueState::Upcoming);
    assert_eq!(at("2026-03-23T12:00:00Z").window.state, DueState::DueSoon);
    assert_eq!(at("2026-04-01T12:00:00Z").window.state, DueState::Due);
    assert_eq!(at("2026-04-13T12:00:00Z").window.state, DueState::Overdue);
}

#[test]
fn dates_are_the_clinics_local_dates() {
    let p = Protocol::standard();
    // Started at 02:00 UTC on 1 March: still 28 February in Chicago.
    let r = started_record(p, "2026-03-01T02:00:00Z", vec![], &[]);
    let chicago = ClinicClock::new(ts("2026-03-02T12:00:00Z"), "America/Chicago").unwrap();
    let s = Schedule::of(&r, &chicago).unwrap();
    assert_eq!(s.pump_started_on, Some(date(2026, 2, 28)));
    assert_eq!(s.follow_up.unwrap().next.due, date(2026, 5, 28));
    let utc = Schedule::of(&r, &clock("2026-03-02T12:00:00Z")).unwrap();
    assert_eq!(utc.pump_started_on, Some(date(2026, 3, 1)));
    let err = ClinicClock::new(ts("2026-03-02T12:00:00Z"), "Europe/Atlantis").unwrap_err();
    assert!(
        err.to_string().starts_with("time_zone = \"Europe/Atlantis\": not a known IANA time zone"),
        "{err}"
    );
}

proptest! {
    #[test]
    fn schedule_dates_respect_the_start_and_visits(
        start_day in 0i64..2000,
        visit_offsets in prop::collection::vec(1i64..400, 0..4),
        now_offset in 0i64..1500,
        later in 1i64..400,
    ) {
        let p = Protocol::standard();
        let start = ts("2022-01-01T15:00:00Z").checked_add((start_day * 24).hours()).unwrap();
        let mut kinds = vec![EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec![] }];
        let mut ats = vec![start.checked_add(72.hours()).unwrap()];
        let mut t = ats[0];
        for off in &visit_offsets {
            t = t.checked_add((off * 24).hours()).unwrap();
            kinds.push(EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] });
            ats.push(t);
        }
        let at_strings: Vec<String> = ats.iter().map(ToString::to_string).collect();
        let refs: Vec<&str> = at_strings.iter().map(String::as_str).collect();
        let r = started_record(p, &start.to_string(), kinds, &refs);
        let now = t.checked_add((now_offset * 24).hours()).unwrap();
        let s = Schedule::of(&r, &ClinicClock::new(now, "UTC").unwrap()).unwrap();
        let start_date: Date = s.pump_started_on.unwrap();
        let f = s.follow_up.clone().unwrap();
        let v = s.specialist_visit.clone().unwrap();
        // No post-start date lies before the pump start.
        for d in [f.anchor, f.next.due, v.window.opens, v.window.due, v.window.closes] {
            prop_assert!(d >= start_date);
        }
        // The next follow-up lies after the last held follow-up visit.
        if let Some(last) = r.dates().last_follow_up_visit {
            prop_assert!(f.next.due > last.at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
        }
        // Moving "now" forward without a visit never makes an overdue follow-up un-overdue.
        let later_now = now.checked_add((later * 24).hours()).unwrap();
        let s2 = Schedule::of(&r, &ClinicClock::new(later_now, "UTC").unwrap()).unwrap();
        if f.next.state == DueState::Overdue {
            prop_assert_eq!(s2.follow_up.unwrap().next.state, DueState::Overdue);
        }
    }
}

#[test]
fn far_future_dates_never_fail_the_schedule() {
    let p = Protocol::standard();
    let now = clock("2026-03-02T12:00:00Z");
    // A pump start dated at the calendar's end: every date saturates at 9999-12-31.
    let r = started_record(
        p,
        "9999-12-30T12:00:00Z",
        vec![EventKind::SuppliesReceived { days_of_supply: 90 }],
        &["9999-12-30T13:00:00Z"],
    );
    let s = Schedule::of(&r, &now).unwrap();
    assert_eq!(s.pump_started_on, Some(date(9999, 12, 30)));
    let f = s.follow_up.unwrap();
    assert_eq!((f.next.due, f.next.closes), (date(9999, 12, 31), date(9999, 12, 31)));
    assert_eq!(f.later, [date(9999, 12, 31); 3]);
    assert_eq!(s.supplies.unwrap().runs_out_on, date(9999, 12, 31));
    assert_eq!(s.specialist_visit.unwrap().window.closes, date(9999, 12, 31));
    assert_eq!(add_months_saturating(date(9999, 11, 30), 3), date(9999, 12, 31));
    assert!(add_months(date(9999, 11, 30), 3).is_err());

    // A supplies batch mistyped as 2062, then voided: the schedule works before and after the correction.
    let mut r = started_record(
        p,
        "2026-01-10T12:00:00Z",
        vec![EventKind::SuppliesReceived { days_of_supply: 90 }],
        &["2062-01-12T12:00:00Z"],
    );
    let s = Schedule::of(&r, &now).unwrap();
    assert_eq!(s.supplies.unwrap().received_on, date(2062, 1, 12));
    let id = r.events().last().unwrap().id.clone();
    let fix =
        Event::new("fix", ts("2026-03-02T12:00:00Z"), Role::ClinicStaff, EventKind::Correction { voids: id });
    r.apply_at(fix, ts("2026-03-02T12:00:00Z")).unwrap();
    assert!(Schedule::of(&r, &now).unwrap().supplies.is_none());
    let batch = Event::new(
        "b2",
        ts("2026-03-02T12:00:00Z"),
        Role::Supplier,
        EventKind::SuppliesReceived { days_of_supply: 30 },
    );
    r.apply_at(batch, ts("2026-03-02T12:00:00Z")).unwrap();
    assert_eq!(Schedule::of(&r, &now).unwrap().supplies.unwrap().runs_out_on, date(2026, 4, 1));
}

#[test]
fn a_follow_up_held_on_time_keeps_the_series_and_a_late_one_re_anchors_it() {
    let p = Protocol::standard();
    let fu = || EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] };
    let spec = EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec![] };
    // Start 30 Nov: the first follow-up is due 28 Feb (clamped); held that day, the 30th sticks.
    let r = started_record(
        p,
        "2025-11-30T12:00:00Z",
        vec![spec.clone(), fu()],
        &["2025-12-05T12:00:00Z", "2026-02-28T12:00:00Z"],
    );
    let f = Schedule::of(&r, &clock("2026-03-01T12:00:00Z")).unwrap().follow_up.unwrap();
    assert_eq!((f.anchor, f.anchored_on, f.number), (date(2025, 11, 30), Anchor::PumpStart, 2));
    assert_eq!(f.next.due, date(2026, 5, 30));
    assert_eq!(f.later, [date(2026, 8, 30), date(2026, 11, 30), date(2027, 2, 28)]);
    // A second visit in the same window is ignored; the next one on time keeps the series too.
    let r = started_record(
        p,
        "2025-11-30T12:00:00Z",
        vec![spec.clone(), fu(), fu(), fu()],
        &["2025-12-05T12:00:00Z", "2026-02-20T12:00:00Z", "2026-03-10T12:00:00Z", "2026-06-05T12:00:00Z"],
    );
    let f = Schedule::of(&r, &clock("2026-06-06T12:00:00Z")).unwrap().follow_up.unwrap();
    assert_eq!((f.anchor, f.number, f.next.due), (date(2025, 11, 30), 3, date(2026, 8, 30)));
    // Held 40 days late: the series re-anchors on the visit.
    let r = started_record(
        p,
        "2025-11-30T12:00:00Z",
        vec![spec.clone(), fu()],
        &["2025-12-05T12:00:00Z", "2026-04-09T12:00:00Z"],
    );
    let f = Schedule::of(&r, &clock("2026-04-10T12:00:00Z")).unwrap().follow_up.unwrap();
    assert_eq!((f.anchor, f.anchored_on, f.number), (date(2026, 4, 9), Anchor::FollowUpVisit, 1));
    assert_eq!(f.next.due, date(2026, 7, 9));
    // A follow-up before the start is ignored by the schedule.
    let mut r = started_record(p, "2025-11-30T12:00:00Z", vec![], &[]);
    let before = Event::new("fu0", ts("2025-12-01T12:00:00Z"), Role::Provider, fu())
        .occurred(ts("2025-11-29T12:00:00Z"));
    r.apply(before).unwrap();
    let f = Schedule::of(&r, &clock("2025-12-01T12:00:00Z")).unwrap().follow_up.unwrap();
    assert_eq!((f.anchor, f.number, f.next.due), (date(2025, 11, 30), 1, date(2026, 2, 28)));
}

#[test]
fn bookings_show_in_the_schedule_and_every_follow_up_can_be_booked() {
    let p = Protocol::standard();
    let book =
        |item: &str, at: &str| EventKind::ItemScheduled { item: item.into(), scheduled_for: ts(at).into() };
    let fu = || EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] };
    let spec = || EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec![] };
    // The specialist visit booked for day 10 (inside the window), then re-booked for day 20 (past its close).
    let r = started_record(
        p,
        "2026-01-10T12:00:00Z",
        vec![book("specialist_visit", "2026-01-20T15:00:00Z")],
        &["2026-01-11T12:00:00Z"],
    );
    let v = Schedule::of(&r, &clock("2026-01-12T12:00:00Z")).unwrap().specialist_visit.unwrap();
    assert_eq!((v.booked_for, v.booked_past_close), (Some(date(2026, 1, 20)), false));
    assert_eq!(r.item_state("specialist_visit"), Some(ItemState::Scheduled));
    let r = started_record(
        p,
        "2026-01-10T12:00:00Z",
        vec![
            book("specialist_visit", "2026-01-20T15:00:00Z"),
            book("specialist_visit", "2026-01-30T15:00:00Z"),
        ],
        &["2026-01-11T12:00:00Z", "2026-01-12T12:00:00Z"],
    );
    let v = Schedule::of(&r, &clock("2026-01-12T12:00:00Z")).unwrap().specialist_visit.unwrap();
    assert_eq!((v.booked_for, v.booked_past_close), (Some(date(2026, 1, 30)), true));

    // After the first follow-up the item is completed; the next one can still be booked, and shows.
    let r = started_record(
        p,
        "2026-01-10T12:00:00Z",
        vec![spec(), fu(), book("follow_up_every_3_months", "2026-07-08T15:00:00Z")],
        &["2026-01-16T12:00:00Z", "2026-04-10T12:00:00Z", "2026-04-10T13:00:00Z"],
    );
    assert_eq!(r.item_state("follow_up_every_3_months"), Some(ItemState::Completed));
    assert_eq!(r.dates().follow_up_booked.map(|b| b.at), Some(ts("2026-07-08T15:00:00Z")));
    let f = Schedule::of(&r, &clock("2026-05-01T12:00:00Z")).unwrap().follow_up.unwrap();
    assert_eq!(f.next.due, date(2026, 7, 10));
    assert_eq!((f.booked_for, f.booked_past_close), (Some(date(2026, 7, 8)), false));
    // Booked past the window's close: flagged.
    let r = started_record(
        p,
        "2026-01-10T12:00:00Z",
        vec![spec(), fu(), book("follow_up_every_3_months", "2026-08-01T15:00:00Z")],
        &["2026-01-16T12:00:00Z", "2026-04-10T12:00:00Z", "2026-04-10T13:00:00Z"],
    );
    let f = Schedule::of(&r, &clock("2026-05-01T12:00:00Z")).unwrap().follow_up.unwrap();
    assert_eq!((f.booked_for, f.booked_past_close), (Some(date(2026, 8, 1)), true));
    // Once a visit is held on or after the booked date, the booking is spent.
    let r = started_record(
        p,
        "2026-01-10T12:00:00Z",
        vec![spec(), book("follow_up_every_3_months", "2026-04-10T09:00:00Z"), fu()],
        &["2026-01-16T12:00:00Z", "2026-02-01T12:00:00Z", "2026-04-10T12:00:00Z"],
    );
    let f = Schedule::of(&r, &clock("2026-05-01T12:00:00Z")).unwrap().follow_up.unwrap();
    assert_eq!((f.booked_for, f.booked_past_close), (None, false));
    // A booking of a completed specialist visit is still a final-state error (it does not recur).
    let mut r = started_record(p, "2026-01-10T12:00:00Z", vec![spec()], &["2026-01-16T12:00:00Z"]);
    let again = Event::new(
        "b",
        ts("2026-01-17T12:00:00Z"),
        Role::ClinicStaff,
        book("specialist_visit", "2026-02-01T12:00:00Z"),
    );
    assert!(matches!(r.apply(again), Err(EventError::FinalState { .. })));
}

#[test]
fn a_visit_entered_as_a_date_keeps_its_date_in_every_clinic_zone() {
    let p = Protocol::standard();
    let mut record = started_record(p, "2026-02-26T12:00:00Z", vec![], &[]);
    let visit = EventKind::VisitHeld { visit: VisitKind::Specialist, covered: vec![] };
    let now = ts("2026-03-11T09:00:00Z");
    let entered = record.enter(visit, Role::Specialist, Occurred::On(date(2026, 3, 4)), now).unwrap();
    assert_eq!(entered.occurred_on, Some(date(2026, 3, 4)));
    assert_eq!(record.dates().last_specialist_visit.and_then(|w| w.on), Some(date(2026, 3, 4)));
    // Its noon UTC is already 5 March in Auckland; the date stays 4 March there and in Honolulu.
    for zone in ["Pacific/Auckland", "Pacific/Honolulu", "UTC"] {
        let clock = ClinicClock::new(now, zone).unwrap();
        let schedule = Schedule::of(&record, &clock).unwrap();
        let visit = schedule.specialist_visit.unwrap();
        assert_eq!(visit.held_on, Some(date(2026, 3, 4)), "{zone}");
    }
    // Through JSON it stays a date.
    let json = record.to_json();
    assert!(json.contains(r#""occurred_on":"2026-03-04""#), "{json}");
    let back = Record::from_json(p, &json).unwrap();
    assert_eq!(back, record);
}

#[test]
fn key_dates_entered_as_dates_give_the_schedule_those_dates() {
    let p = Protocol::standard();
    let mut record = Record::new(p, "dates");
    let now = ts("2026-03-20T23:30:00Z");
    record
        .enter(EventKind::InsuranceSubmitted, Role::ClinicStaff, Occurred::On(date(2026, 3, 2)), now)
        .unwrap();
    let supplies = EventKind::SuppliesReceived { days_of_supply: 30 };
    record.enter(supplies, Role::Supplier, Occurred::On(date(2026, 3, 10)), now).unwrap();
    for zone in ["Pacific/Kiritimati", "Pacific/Auckland", "Pacific/Honolulu", "Pacific/Pago_Pago"] {
        let schedule = Schedule::of(&record, &ClinicClock::new(now, zone).unwrap()).unwrap();
        assert_eq!(schedule.insurance_check_in.unwrap().submitted_on, date(2026, 3, 2), "{zone}");
        assert_eq!(schedule.supplies.unwrap().received_on, date(2026, 3, 10), "{zone}");
    }
}
