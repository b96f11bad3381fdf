//! The assessment: given a protocol, a patient's record and readings, and a moment, what should happen for this
//! patient, by when, and why.
//!
//! [`evaluate`] runs every rule; each [`Action`] names its rule ([`RuleId`], a stable wire name), a
//! [`Severity`], the [`Role`](crate::pathway::Role) that should act, a due date, a one-line message, the
//! evidence that fired it, the handout `source` and the protocol's fingerprint. Actions are ordered by severity,
//! then due date, then rule id, then item; the same inputs always give byte-identical JSON.
//!
//! | rule | fires when | severity | role |
//! |---|---|---|---|
//! | `frequent_lows` | the "frequently" rule finds glucose frequently low (< 70 / < 54 mg/dL, or hypo episodes) | urgent | provider |
//! | `frequent_highs` | the "frequently" rule finds glucose frequently high (> 250 mg/dL, or level 2 hyper episodes) | soon | provider |
//! | `insufficient_cgm_data` | the rule window's CGM fails the consensus test, or no CGM after the start | routine | clinic_staff |
//! | `follow_up_due`, `follow_up_overdue` | the 3-monthly follow-up is due soon / due / overdue | routine / soon / urgent | clinic_staff |
//! | `specialist_visit_due`, `specialist_visit_overdue` | the visit after the start is due soon / due / overdue | routine / soon / urgent | specialist |
//! | `pump_not_linked` | started, not linked (urgent after the first weeks) | soon / urgent | patient |
//! | `settings_review_pending` | started, settings not reviewed (urgent after the first weeks) | soon / urgent | provider |
//! | `insurance_pending` | coverage pending at the check-in date (urgent `insurance_check_in_window_days` later) | soon / urgent | clinic_staff |
//! | `insurance_denied` | coverage denied | soon | clinic_staff |
//! | `backup_plan_not_reviewed` | the specialist visit is held or overdue, the back-up plan not reviewed | soon | specialist |
//! | `education_topic_not_covered` | likewise, for each of the nine topics not covered | routine | specialist |
//! | `supplies_reorder` | the last batch runs out within the lead time (urgent once out) | routine / soon / urgent | patient |
//! | `next_step` | the current phase's next steps that no other rule speaks for | info | the item's |

mod action;
mod catalogue;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use action::{Action, RuleId, Severity};

use crate::Error;
use crate::cgm::{
    Frequently, FrequentlySettings, InsufficientReason, SECONDS_PER_DAY, SeriesView, Summary,
    frequently_with_summary, to_seconds,
};
use crate::pathway::{EventError, PathwayView, PhaseProgress, Protocol, Record};
use crate::schedule::{ClinicClock, Schedule};

/// Where the patient stands on the pathway, in short.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathwayStatus {
    /// The current phase's id.
    pub current_phase: String,
    /// Whether every required item is done.
    pub pathway_complete: bool,
    /// Progress per phase.
    pub phases: Vec<PhaseProgress>,
    /// The ids of the items that can happen next, in protocol order.
    pub next_steps: Vec<String>,
}

/// Everything pumppath says about one patient at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The patient's id.
    pub patient_id: String,
    /// The protocol's id.
    pub protocol_id: String,
    /// The protocol's version.
    pub protocol_version: String,
    /// The protocol's fingerprint, also stamped on every action.
    pub protocol_fingerprint: String,
    /// The moment evaluated ("now", as the caller passed it).
    pub evaluated_at: Timestamp,
    /// The clinic's date at that moment.
    pub today: Date,
    /// The clinic's time zone.
    pub time_zone: String,
    /// Where the patient stands.
    pub pathway: PathwayStatus,
    /// Due dates and their state.
    pub schedule: Schedule,
    /// The CGM summary of the rule window ([`cgm_window`]: the last `settings.frequently.window_days` days of data
    /// up to now, or the days before now when the data are stale), when readings were given.
    pub cgm: Option<Summary>,
    /// The "frequently < 70 or > 250" verdict with its evidence, when readings were given.
    pub frequently: Option<Frequently>,
    /// What to do, most urgent first.
    pub actions: Vec<Action>,
}

impl Assessment {
    /// The assessment as compact JSON; the same inputs always give the same bytes.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The readings the rules judge, the wall-clock second the judgement is made at, and whether the data are
/// stale.
///
/// When the data reach to within `settings.max_data_lag_hours` of `now`, the window is the last
/// `settings.window_days` days of data, ending at the last reading (uploads lag a little; the consensus report
/// covers the last 14 days of data). Older data is stale: the window then ends at `now`, and the assessment
/// marks its summary insufficient (`stale_data`), so stale data never reads as "not frequent".
pub fn cgm_window<'a>(
    readings: &SeriesView<'a>,
    now: jiff::civil::DateTime,
    settings: &FrequentlySettings,
) -> (SeriesView<'a>, i64, bool) {
    let now = to_seconds(now);
    let lag = i64::from(settings.max_data_lag_hours) * 3600;
    let upto = readings.window(i64::MIN, now.saturating_add(1));
    let (end, stale) = match upto.times().last() {
        Some(&last) if last >= now.saturating_sub(lag) => (last, false),
        _ => (now, true),
    };
    let span = i64::from(settings.window_days) * SECONDS_PER_DAY;
    (readings.window(end.saturating_sub(span).saturating_add(1), end.saturating_add(1)), end, stale)
}

/// Evaluates a patient: the pathway view, the schedule, the CGM summary, and every rule's actions.
///
/// `readings` are the patient's CGM readings (any span; the rules look at the window before `now`), `now` is
/// the moment to evaluate (core never reads the clock) and `time_zone` the clinic's IANA zone, which turns
/// `now` into the clinic's date and into the CGM's wall-clock time.
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::demo;
/// use pumppath::glucose::Unit;
/// use pumppath::pathway::Protocol;
/// use pumppath::rules::{evaluate, RuleId, Severity};
///
/// let protocol = Protocol::standard();
/// let dev = demo::cohort().into_iter().find(|p| p.id == "dev").unwrap();
/// let record = dev.record(protocol)?;
/// let series = Series::from_readings(Unit::MgDl, dev.readings(), &SeriesOptions::default())?;
/// let now = demo::DEMO_NOW.parse()?;
/// let assessment = evaluate(protocol, &record, Some(&series.view()), now, demo::DEMO_TIME_ZONE)?;
/// let first = &assessment.actions[0];
/// assert_eq!((first.rule, first.severity), (RuleId::FollowUpDue, Severity::Soon));
/// assert_eq!(first.due.to_string(), "2026-03-10");
/// assert_eq!(first.source, "post_pump_care.s1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate(
    protocol: &Protocol,
    record: &Record,
    readings: Option<&SeriesView<'_>>,
    now: Timestamp,
    time_zone: &str,
) -> Result<Assessment, Error> {
    if record.protocol_fingerprint() != protocol.fingerprint() {
        return Err(EventError::ProtocolMismatch {
            expected: record.protocol_fingerprint().to_owned(),
            actual: protocol.fingerprint().to_owned(),
        }
        .into());
    }
    let clock = ClinicClock::new(now, time_zone)?;
    let view = PathwayView::of(protocol, record);
    let schedule = Schedule::of(protocol, record, &clock)?;
    let settings = protocol.settings();
    let window = readings.map(|r| (r, cgm_window(r, clock.local_datetime(now), &settings.frequently)));
    let cgm = window.map(|(_, (w, _, stale))| {
        let mut summary = w.summary(&settings.targets);
        if stale {
            summary.sufficient = false;
            summary.insufficient_reasons.push(InsufficientReason::StaleData);
        }
        summary
    });
    // "Frequently" is judged on the same window, reusing its summary.
    let frequently = window.zip(cgm.as_ref()).map(|((r, (_, end, _)), summary)| {
        frequently_with_summary(r, end, summary, &settings.targets, &settings.frequently)
    });

    let inputs = catalogue::Inputs {
        protocol,
        record,
        view: &view,
        schedule: &schedule,
        cgm: cgm.as_ref(),
        clock: &clock,
        last_reading: readings.and_then(|r| {
            r.window(i64::MIN, to_seconds(clock.local_datetime(now)).saturating_add(1)).last_time()
        }),
        frequently: frequently.as_ref(),
    };
    let mut actions = Vec::new();
    for rule in catalogue::RULES {
        rule(&inputs, &mut actions);
    }
    for action in &mut actions {
        action.protocol_fingerprint = protocol.fingerprint().to_owned();
    }
    actions.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

    Ok(Assessment {
        patient_id: record.patient_id().to_owned(),
        protocol_id: protocol.id().to_owned(),
        protocol_version: protocol.version().to_owned(),
        protocol_fingerprint: protocol.fingerprint().to_owned(),
        evaluated_at: now,
        today: clock.today(),
        time_zone: clock.time_zone().to_owned(),
        pathway: PathwayStatus {
            current_phase: view.current_phase.clone(),
            pathway_complete: view.pathway_complete,
            phases: view.phases.clone(),
            next_steps: view.next_steps.iter().map(|s| s.item.clone()).collect(),
        },
        schedule,
        cgm,
        frequently,
        actions,
    })
}
