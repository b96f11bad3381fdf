//! `evaluate` on records built from arbitrary events: every event type with items, dates, decisions, channels,
//! visits, corrections, targets and acknowledgements drawn from the bytes, applied to the standard protocol's
//! record (the guards refuse what they refuse), then evaluated at a drawn "now" in a drawn zone, with readings or
//! without. The accepted record replays from its JSON to the same state; the assessment reads back equal from its
//! JSON; its FHIR bundle and the patient's view are made without a panic.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use pumppath::cgm::{Series, SeriesOptions, TimeScale};
use pumppath::glucose::{TargetPreset, Targets, Unit};
use pumppath::jiff::Timestamp;
use pumppath::pathway::{
    Event, EventKind, EventType, InsuranceDecision, OrderChannel, Protocol, Record, Role, Scheduled,
    VisitKind,
};
use pumppath::rules::{Assessment, EvaluationOptions, RuleId, evaluate};

/// 2025-01-01T00:00:00Z.
const START: i64 = 1_735_689_600;

fn instant(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The UTC date of an instant.
trait Day {
    fn day(self) -> pumppath::jiff::civil::Date;
}

impl Day for Timestamp {
    fn day(self) -> pumppath::jiff::civil::Date {
        pumppath::jiff::tz::TimeZone::UTC.to_datetime(self).date()
    }
}

fn item(u: &mut Unstructured<'_>, items: &[String]) -> Result<String> {
    Ok(if u.ratio(1, 32)? { "no_such_item".to_owned() } else { u.choose(items)?.clone() })
}

fn event(u: &mut Unstructured<'_>, k: usize, items: &[String], clock: &mut i64) -> Result<Event> {
    *clock += i64::from(u.int_in_range(-2 * 86_400i32..=20 * 86_400)?);
    let occurred = *clock;
    let recorded = occurred + i64::from(u.int_in_range(-3_600i32..=3 * 86_400)?);
    let occurred_at = instant(occurred);
    let occurred_on = if u.ratio(1, 4)? { Some(occurred_at.day()) } else { None };
    let kind = match u.choose(&EventType::ALL[..])? {
        EventType::ItemStarted => EventKind::ItemStarted { item: item(u, items)? },
        EventType::ItemScheduled => EventKind::ItemScheduled {
            item: item(u, items)?,
            scheduled_for: if u.arbitrary()? {
                Scheduled::At(instant(occurred + i64::from(u.int_in_range(0i32..=60 * 86_400)?)))
            } else {
                Scheduled::On(instant(occurred + i64::from(u.int_in_range(0i32..=60 * 86_400)?)).day())
            },
        },
        EventType::ItemCompleted => EventKind::ItemCompleted { item: item(u, items)? },
        EventType::ItemWaived => EventKind::ItemWaived { item: item(u, items)?, reason: "not needed".into() },
        EventType::ItemReopened => EventKind::ItemReopened { item: item(u, items)?, reason: None },
        EventType::ItemPutOnHold => {
            EventKind::ItemPutOnHold { item: item(u, items)?, reason: Some("waiting".into()) }
        }
        EventType::InsuranceSubmitted => EventKind::InsuranceSubmitted,
        EventType::InsuranceDecision => {
            EventKind::InsuranceDecision { decision: *u.choose(&InsuranceDecision::ALL[..])? }
        }
        EventType::PumpChosen => EventKind::PumpChosen { pump: "a pump".into() },
        EventType::PumpOrdered => EventKind::PumpOrdered { channel: *u.choose(&OrderChannel::ALL[..])? },
        EventType::PumpStarted => EventKind::PumpStarted,
        EventType::PumpLinked => EventKind::PumpLinked,
        EventType::VisitHeld => {
            let covered = (0..u.int_in_range(0u8..=3)?).map(|_| item(u, items)).collect::<Result<_>>()?;
            EventKind::VisitHeld { visit: *u.choose(&VisitKind::ALL[..])?, covered }
        }
        EventType::SuppliesReceived => {
            EventKind::SuppliesReceived { days_of_supply: u.int_in_range(0..=400)? }
        }
        EventType::Correction => EventKind::Correction { voids: format!("e{}", u.int_in_range(0..=k)?) },
        EventType::TargetsSet => {
            EventKind::TargetsSet { targets: Targets::preset(*u.choose(&TargetPreset::ALL[..])?) }
        }
        EventType::CgmUse => EventKind::CgmUse { wears_cgm: u.arbitrary()? },
        EventType::ActionAcknowledged => EventKind::ActionAcknowledged {
            rule: *u.choose(&RuleId::ALL[..])?,
            item: if u.arbitrary()? { Some(item(u, items)?) } else { None },
            until: if u.arbitrary()? {
                Some(instant(occurred + i64::from(u.int_in_range(-86_400i32..=90 * 86_400)?)).day())
            } else {
                None
            },
        },
    };
    // Now and then an id given twice.
    let id =
        if k > 0 && u.ratio(1, 32)? { format!("e{}", u.int_in_range(0..=k - 1)?) } else { format!("e{k}") };
    Ok(Event {
        id,
        occurred_at,
        occurred_on,
        recorded_at: instant(recorded),
        actor: *u.choose(&Role::ALL[..])?,
        note: None,
        kind,
    })
}

/// Readings over the last days before `now`: every 5 to 60 minutes, values from the bytes.
fn readings(u: &mut Unstructured<'_>, now: i64, zone: &str) -> Result<Option<Series>> {
    if !u.arbitrary::<bool>()? {
        return Ok(None);
    }
    let n = u.int_in_range(0..=400)?;
    let mut t = now - i64::from(u.int_in_range(0i32..=30 * 86_400)?);
    let (mut times, mut values) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        times.push(t);
        values.push(if u.ratio(1, 64)? { f64::NAN } else { f64::from(u.int_in_range(30u16..=450)?) });
        t += i64::from(u.int_in_range(5u16..=60)?) * 60;
    }
    let options = SeriesOptions { time_zone: Some(zone.to_owned()), ..SeriesOptions::default() };
    Ok(Series::from_epoch(Unit::MgDl, &times, TimeScale::Seconds, &values, &[], &options).ok())
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let protocol = Protocol::standard();
    let items: Vec<String> = protocol.items().map(|(_, item)| item.id.clone()).collect();
    let mut record = Record::new(protocol, "p1");
    let mut clock = START;
    let count = u.int_in_range(0..=60)?;
    for k in 0..count {
        let event = event(u, k, &items, &mut clock)?;
        let _ = record.apply(event);
    }
    let replayed = Record::from_json(protocol, &record.to_json())
        .unwrap_or_else(|e| panic!("a record of accepted events does not replay: {e}"));
    assert_eq!(replayed.state(), record.state());

    let now = clock + i64::from(u.int_in_range(-86_400i32..=200 * 86_400)?);
    let zone = *u.choose(&pumppath_fuzz::ZONES)?;
    let series = readings(u, now, zone)?;
    let options = EvaluationOptions { trace: u.arbitrary()?, ..EvaluationOptions::default() };
    let Ok(assessment) = evaluate(&record, series.as_ref(), instant(now), zone, &options) else {
        return Ok(());
    };
    let json = assessment.to_json();
    let back: Assessment = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("an assessment's JSON does not read back: {e}"));
    assert_eq!(back, assessment);
    let bundle = pumppath::fhir::assessment_bundle(&assessment, &record)
        .unwrap_or_else(|e| panic!("an assessment does not export as FHIR: {e}"));
    assert_eq!(pumppath::fhir::Bundle::from_json(&bundle.to_json()).ok().as_ref(), Some(&bundle));
    let _ = pumppath::rules::patient_view(&record, series.as_ref(), instant(now), zone, &options, None);
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
