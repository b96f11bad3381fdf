//! The assessment: given a protocol, a patient's record and readings, and a moment, what should happen for this
//! patient, by when, and why.
//!
//! [`evaluate`] runs every rule; each [`Action`] names its rule ([`RuleId`], a stable wire name), what it
//! found ([`RuleState`]), a [`Severity`], a [`Category`], the clinic [`Role`](crate::pathway::Role) that
//! should act, a due date, a one-line message, the evidence that fired it, the handout `source` and the
//! protocol's fingerprint. The same inputs always give byte-identical JSON.
//!
//! ## The severity policy
//!
//! A list that over-alerts stops being read, so `urgent` is kept for glucose safety, lateness rises from
//! `routine` (due soon, or due within its tolerance) to `soon` (overdue), and information is not a task. At
//! equal severity glucose safety comes before care, and care before administration. Each rule's severity in
//! each state is its row of the [`RULE_TABLE`], which the rule code reads; this table is generated from it:
//!
//! | severity | meaning | rules (state) |
//! |---|---|---|
//! | `urgent` | today: glucose safety, and nothing else | `frequent_lows`, `frequent_highs` (on_pump), `first_weeks_low` |
//! | `soon` | within days: what is overdue (visits, the first weeks' link and review, the insurance check-in, supplies), a denial, glucose the clinic cannot see or that worsens, frequent highs before the pump, steps missing from the record, the back-up plan not covered | `frequent_highs` (before_pump), `cgm_data_stopped`, `worsening`, `follow_up_overdue`, `specialist_visit_overdue`, `pump_not_linked` (overdue), `settings_review_pending` (overdue), `insurance_pending` (overdue), `insurance_denied`, `topics_not_covered` (backup_plan_missing), `steps_not_recorded`, `supplies_reorder` (overdue) |
//! | `routine` | at the next routine contact: what is due soon or due within its tolerance, too little CGM data, topics left for the next visit | `insufficient_cgm_data`, `follow_up_due` (due_soon, due, booked_past_close), `specialist_visit_due` (due_soon, due), `pump_not_linked` (due_soon, due), `settings_review_pending` (due_soon, due), `insurance_pending` (due), `topics_not_covered` (topics_missing), `supplies_reorder` (due_soon, due) |
//! | `info` | for information, not a task: the next pathway steps, no CGM on record | `no_cgm`, `next_step` |
//!
//! Actions are ordered by severity, then [`Category`] (`glucose_safety`, `care`, `administration`), then due
//! date, then rule id, then item. Every action goes to a clinic desk ([`CLINIC_ROLES`]); what the patient,
//! the pump trainer or the supplier must do is said in the message.
//!
//! ## The rules
//!
//! | rule | fires when | severity | category | role | source |
//! |---|---|---|---|---|---|
//! | `frequent_lows` | the "frequently" rule finds glucose frequently low: percents on sufficient data; level 1 hypo episodes on sparse data that miss the goal; 2 level 2 or 1 extended hypo episodes always | urgent | glucose_safety | provider | post_pump_care.1 |
//! | `frequent_highs` | the "frequently" rule finds glucose frequently high (> 250 mg/dL, or the targets' above-range goal; level 2 hyper episodes on sparse data): urgent on the pump (an interrupted infusion means ketoacidosis within hours), soon before it | on_pump: urgent, before_pump: soon | glucose_safety | provider | post_pump_care.1 |
//! | `first_weeks_low` | a level 2 or extended hypo episode in the episode window during the first weeks on the pump, when frequent_lows does not fire | urgent | glucose_safety | provider | understanding_the_pump.s7 |
//! | `insufficient_cgm_data` | the window's CGM fails the consensus test (stale data included), or no CGM after the start; not for too few days since the pump start, nor for a patient who wears no CGM | routine | glucose_safety | clinic_staff | understanding_the_pump.s5 |
//! | `no_cgm` | the record says the patient wears no CGM and the window holds no reading; listed until acknowledged (an acknowledgement without an until date stands until the record's CGM use changes), never a daily alarm | info | glucose_safety | provider | post_pump_care.1 |
//! | `cgm_data_stopped` | the patient wears a CGM (or has sent readings) but no reading came for `data_stopped_days` (3) days: the clinic cannot judge what it cannot see | soon | glucose_safety | clinic_staff | understanding_the_pump.s5 |
//! | `worsening` | the last 14 days against the 14 before them, both sufficient: time in range down by more than 5 points, mean glucose up by more than 10 mg/dL (0.6 mmol/L) or time below 70 up by more than 1 point | soon | glucose_safety | provider | post_pump_care.1 |
//! | `follow_up_due` | the next 3-monthly follow-up is due soon or due and not booked in its window (or booked past it) | due_soon: routine, due: routine, booked_past_close: routine | care | clinic_staff | post_pump_care.s1 |
//! | `follow_up_overdue` | the next follow-up is overdue and not booked in time | overdue: soon | care | clinic_staff | post_pump_care.s1 |
//! | `specialist_visit_due` | the specialist visit after the start is due soon or due and not booked in time; lists what it must cover | due_soon: routine, due: routine | care | specialist | understanding_the_pump.s8 |
//! | `specialist_visit_overdue` | the specialist visit is overdue and not booked in time; lists what it must cover | overdue: soon | care | specialist | understanding_the_pump.s8 |
//! | `pump_not_linked` | the pump started and is not uploaded or linked to the clinic; due at the end of the first weeks | due_soon: routine, due: routine, overdue: soon | care | clinic_staff | understanding_the_pump.s5 |
//! | `settings_review_pending` | the pump started and its settings are not reviewed; due at the end of the first weeks | due_soon: routine, due: routine, overdue: soon | care | provider | understanding_the_pump.s4 |
//! | `insurance_pending` | coverage still pending at the check-in date | due: routine, overdue: soon | administration | clinic_staff | pre_pump.1 |
//! | `insurance_denied` | coverage denied and not resubmitted or settled | soon | administration | clinic_staff | pre_pump.1 |
//! | `topics_not_covered` | the specialist visit was held without the back-up plan or some topics: one action, due at the next visit, naming each item with its own handout passage | backup_plan_missing: soon, topics_missing: routine | care | specialist | understanding_the_pump.s8 |
//! | `steps_not_recorded` | an item completed by its own event (the pump start) while its prerequisites are not on record | soon | administration | clinic_staff | understanding_the_pump.s1 |
//! | `supplies_reorder` | the last batch is expected to run out within the reorder lead (an estimate from the days of supply); overdue once it is expected to have run out | due_soon: routine, due: routine, overdue: soon | care | clinic_staff | post_pump_care.3 |
//! | `next_step` | the current phase's next steps (or holds) that no other rule speaks for; the source is the item's, and the item's own role acts when it is a clinic role (else clinic_staff follows it up) | info | administration | clinic_staff | intro.3 |
//!
//! Before the pump start, no action speaks of pump settings: frequent lows or highs ask the provider to review
//! the current insulin therapy. After it, the CGM window begins no earlier than the start.

mod action;
mod catalogue;
mod change;
mod document;
mod evidence;
mod table;
mod trace;
mod worklist;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use crate::rule_id::RuleId;
pub use action::{AcknowledgedAction, Action, Category, Severity};
pub use change::{ChangeMetric, ChangeVerdict, PeriodChange, PeriodFigures};
#[cfg(feature = "schema")]
pub(crate) use document::{EvaluationRequest, WorklistRequest};
pub use document::{RequestError, evaluate_json, parse_now, patient_view_json, worklist_json};
pub use evidence::*;
pub use table::{
    CLINIC_ROLES, RULE_TABLE, RuleSpec, RuleState, SeverityRow, rule_catalogue_markdown, rule_table_markdown,
    severity_policy_markdown,
};
pub use trace::{Outcome, TraceCheck, TraceEntry, TraceReason};
pub use worklist::{
    Finding, NextVisit, PatientAssessment, PatientError, PatientHeadline, PatientInput, RoleGroup, VisitDue,
    Worklist, WorklistCounts, WorklistItem, worklist,
};

use crate::Error;
use crate::cgm::{
    Frequently, FrequentlySettings, InsufficientReason, Series, SeriesView, Summary, after,
    frequently_with_summary, percent_window_start,
};
use crate::glucose::Targets;
use crate::pathway::{BlockedItem, ItemView, PathwayView, PhaseProgress, Record};
use crate::schedule::{ClinicClock, Schedule};

/// Where the patient stands on the pathway, in short.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayStatus {
    /// The current phase's id.
    pub current_phase: String,
    /// Whether every required item is done.
    pub pathway_complete: bool,
    /// Progress per phase.
    pub phases: Vec<PhaseProgress>,
    /// The items that can happen next, in protocol order (as [`PathwayView::next_steps`]).
    pub next_steps: Vec<ItemView>,
    /// The items that cannot move now, and why: unmet prerequisites, or on hold with its reason.
    pub blocked: Vec<BlockedItem>,
}

/// Everything pumppath says about one patient at one moment.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub evaluated_at: Timestamp,
    /// The clinic's date at that moment.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub today: Date,
    /// The clinic's time zone.
    pub time_zone: String,
    /// Where the patient stands.
    pub pathway: PathwayStatus,
    /// Due dates and their state.
    pub schedule: Schedule,
    /// The CGM summary of the rule window (the last `settings.frequently.window_days` days of data
    /// up to now, or the days before now when the data are stale), when readings were given.
    pub cgm: Option<Summary>,
    /// The "frequently < 70 or > 250" verdict with its evidence, when readings were given.
    pub frequently: Option<Frequently>,
    /// The CGM window against the one before it (the patient's own past), when readings were given.
    pub change: Option<PeriodChange>,
    /// What to do, most urgent first.
    pub actions: Vec<Action>,
    /// Actions quieted by an acknowledgement, in the same order: shown, not to do.
    pub acknowledged: Vec<AcknowledgedAction>,
    /// The ids of events recorded after `evaluated_at` (within the clock skew allowed), which this assessment
    /// does not count, as it does not count readings after it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events_after_now: Vec<String>,
    /// Every rule's verdict, fired or not, with why: present when asked for
    /// ([`EvaluationOptions::trace`]), so that the work-list stays small.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceEntry>>,
}

/// How to evaluate: what [`evaluate`] and the one-document request may be asked for beyond the defaults.
///
/// ```
/// use pumppath::rules::EvaluationOptions;
///
/// let options = EvaluationOptions { trace: true, ..Default::default() };
/// assert!(options.targets.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvaluationOptions {
    /// Targets for this patient over the record's own (`targets_set`) and the protocol's.
    pub targets: Option<Targets>,
    /// Whether the assessment carries the trace: every rule's verdict and why ([`TraceEntry`]).
    pub trace: bool,
}

impl Assessment {
    /// The assessment as compact JSON; the same inputs always give the same bytes.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The CGM window the rules judge: the fixed period (`start`, `end`] as instants on the series' clock (Unix
/// seconds), and whether the data are stale.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CgmWindow {
    /// The window's start (excluded): `window_days` before the end, or the pump start if later.
    pub start: i64,
    /// The window's end (included): the last reading, or `now` when the data are stale.
    pub end: i64,
    /// Whether the data end more than `max_data_lag_hours` before now.
    pub stale: bool,
}

/// The window the rules judge, for `readings` already cut at `since` (the pump start, when there is one).
///
/// When the data reach to within `settings.max_data_lag_hours` of `now`, the window is the last
/// `settings.window_days` days of data, ending at the last reading (uploads lag a little; the consensus report
/// covers the last 14 days of data). Older data is stale: the window then ends at `now`, and the assessment
/// marks its summary insufficient (`stale_data`), so stale data never reads as "not frequent". The window
/// never begins before `since`: data from the previous therapy do not judge the pump.
///
/// `now` and `since` are instants on the series' clock (`SeriesView::instant_at` turns an instant into one).
pub(crate) fn cgm_window(
    readings: &SeriesView<'_>,
    since: Option<i64>,
    now: i64,
    settings: &FrequentlySettings,
) -> CgmWindow {
    let lag = i64::from(settings.max_data_lag_hours) * 3600;
    let upto = readings.window_seconds(i64::MIN, now.saturating_add(1));
    let (end, stale) = match upto.times().last() {
        Some(&last) if last >= now.saturating_sub(lag) => (last, false),
        _ => (now, true),
    };
    CgmWindow { start: percent_window_start(since, end, settings), end, stale }
}

/// Evaluates a patient: the pathway view, the schedule, the CGM summary, and every rule's actions.
///
/// `readings` are the patient's CGM readings (any span; the rules look at the window before `now`), `now` is
/// the moment to evaluate (core never reads the clock) and `time_zone` the clinic's IANA zone, which turns
/// `now` into the clinic's date. A series with a [`time_zone`](crate::cgm::Series::time_zone) holds instants,
/// compared with `now` and the pump start as they are; a zoneless series' wall-clock is the clinic's: `now`
/// and the pump start are read as the clinic's wall-clock times on the series' clock (as
/// [`SeriesView::window`] reads them).
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::demo;
/// use pumppath::glucose::Unit;
/// use pumppath::pathway::Protocol;
/// use pumppath::rules::{evaluate, EvaluationOptions, RuleId, RuleState, Severity};
///
/// let protocol = Protocol::standard();
/// let dev = demo::cohort().into_iter().find(|p| p.id == "dev").unwrap();
/// let record = dev.record(protocol)?;
/// let series = Series::from_readings(Unit::MgDl, dev.readings(), &SeriesOptions::default())?;
/// let now = demo::DEMO_NOW.parse()?;
/// let assessment = evaluate(&record, Some(&series), now, demo::DEMO_TIME_ZONE, &EvaluationOptions::default())?;
/// let first = &assessment.actions[0];
/// // Due within its tolerance is routine; overdue would be soon.
/// assert_eq!((first.rule, first.state, first.severity), (RuleId::FollowUpDue, RuleState::Due, Severity::Routine));
/// assert_eq!(first.due.to_string(), "2026-03-10");
/// assert_eq!(first.source, "post_pump_care.s1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate(
    record: &Record,
    readings: Option<&Series>,
    now: Timestamp,
    time_zone: &str,
    options: &EvaluationOptions,
) -> Result<Assessment, Error> {
    assess(record, readings, options.targets.as_ref(), now, time_zone, options.trace)
}

/// The patient's view of what [`evaluate`] finds for the same arguments: told from the record's protocol, the
/// targets the assessment judged (those of `options`, else the record's at `now`) and `unit` (default: the
/// readings' unit, mg/dL without readings). What [`patient_view_json`] and the bindings' `patientView` give.
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::demo;
/// use pumppath::glucose::Unit;
/// use pumppath::pathway::Protocol;
/// use pumppath::rules::{EvaluationOptions, patient_view};
///
/// let chloe = demo::cohort().into_iter().find(|p| p.id == "chloe").unwrap();
/// let record = chloe.record(Protocol::standard())?;
/// let series = Series::from_readings(Unit::MgDl, chloe.readings(), &SeriesOptions::default())?;
/// let now = demo::DEMO_NOW.parse()?;
/// let view = patient_view(&record, Some(&series), now, demo::DEMO_TIME_ZONE, &EvaluationOptions::default(), None)?;
/// assert!(view.to_markdown().contains("70 mg/dL"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn patient_view(
    record: &Record,
    readings: Option<&Series>,
    now: Timestamp,
    time_zone: &str,
    options: &EvaluationOptions,
    unit: Option<crate::glucose::Unit>,
) -> Result<crate::patient::PatientView, Error> {
    let assessment = assess(record, readings, options.targets.as_ref(), now, time_zone, false)?;
    let targets = options.targets.as_ref().unwrap_or_else(|| record.targets_at(now));
    let unit = unit.or(readings.map(Series::unit)).unwrap_or(crate::glucose::Unit::MgDl);
    crate::patient::PatientView::of(&assessment, record.protocol(), targets, unit)
}

/// [`evaluate`] with `targets` for this patient over the record's own (`targets_set`) and the protocol's: the
/// one evaluation behind `evaluate`, the work-list (whose patients may carry targets beside the record) and
/// the request documents.
///
/// An event recorded implausibly far after `now` ([`MAX_RECORDED_AHEAD`](crate::pathway::MAX_RECORDED_AHEAD))
/// is an error naming it; one recorded after `now` but within that is not counted (the record as it stood at
/// `now`), and the assessment lists it in `events_after_now`.
pub(crate) fn assess(
    record: &Record,
    readings: Option<&Series>,
    targets: Option<&Targets>,
    now: Timestamp,
    time_zone: &str,
    trace: bool,
) -> Result<Assessment, Error> {
    record.check_recorded_by(now)?;
    let (record, events_after_now) = record.as_of(now);
    let record = record.as_ref();
    let protocol = record.protocol();
    let readings = readings.map(Series::view);
    let readings = readings.as_ref();
    let clock = ClinicClock::new(now, time_zone)?;
    let view = PathwayView::of(record);
    let schedule = Schedule::of(record, &clock)?;
    let settings = protocol.settings();
    // The patient's own targets (a `targets_set` event) when the record has them, else the protocol's.
    let targets = targets.unwrap_or_else(|| record.targets_at(now));
    // After the pump start, only the pump's own data judge it. Instants are read on the series' clock: as they
    // are for a zoned series, through the clinic's wall-clock for a zoneless one.
    let since = schedule
        .pump_started_on
        .and(record.dates().pump_started)
        .zip(readings)
        .map(|(w, r)| r.instant_at(w.at, clock.zone()));
    let judged = readings.map(|r| {
        let judged = judge_cgm(r, since, r.instant_at(now, clock.zone()), targets, &settings.frequently);
        let change = PeriodChange::of(&judged.summary, &judged.prior, &settings.change);
        (judged.summary, judged.frequently, change, judged.days_since_last_reading)
    });
    let (cgm, frequently, change, days_since_last_reading) = match judged {
        Some((s, f, c, d)) => (Some(s), Some(f), c, d),
        None => (None, None, None, None),
    };

    let inputs = catalogue::Inputs {
        protocol,
        record,
        view: &view,
        schedule: &schedule,
        cgm: cgm.as_ref(),
        clock: &clock,
        last_reading: readings.and_then(|r| {
            r.window_seconds(i64::MIN, r.instant_at(now, clock.zone()).saturating_add(1)).last_time()
        }),
        targets,
        frequently: frequently.as_ref(),
        change: change.as_ref(),
        days_since_last_reading,
    };
    let mut actions = Vec::new();
    for rule in catalogue::RULES {
        rule(&inputs, &mut actions);
    }
    for action in &mut actions {
        action.protocol_fingerprint = protocol.fingerprint().to_owned();
    }
    actions.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let (actions, acknowledged) = quiet_acknowledged(actions, record, frequently.as_ref(), &clock);
    let trace = trace.then(|| trace::trace(&inputs, &actions, &acknowledged));

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
            next_steps: view.next_steps.clone(),
            blocked: view.blocked.clone(),
        },
        schedule,
        cgm,
        frequently,
        change,
        actions,
        acknowledged,
        events_after_now,
        trace,
    })
}

/// The CGM judgement of the assessment: the summary of the rule window ([`cgm_window`]) and the "frequently"
/// verdict on the same window, reusing its summary. Stale data are marked insufficient (`stale_data`), so they
/// never read as "not frequent".
fn judge_cgm(
    readings: &SeriesView<'_>,
    since: Option<i64>,
    now: i64,
    targets: &Targets,
    settings: &FrequentlySettings,
) -> Judged {
    let r = after(readings, since);
    let (w, summary, frequently) = judge_window(&r, since, now, targets, settings);
    // The same length before it, for the change against the patient's own past (cut at the pump start too).
    let length = w.end.saturating_sub(w.start);
    let prior_start = w.start.saturating_sub(length);
    let prior = r.period_summary(since.map_or(prior_start, |s| prior_start.max(s)), w.start, targets);
    // Stopped data are judged on every reading, before the pump start too: a CGM silent since before the
    // start has stopped as much as one silent since after it.
    let last = readings.window_seconds(i64::MIN, now.saturating_add(1)).times().last().copied();
    let days_since_last_reading = last.map(|t| now.saturating_sub(t) as f64 / 86_400.0);
    Judged { summary, frequently, prior, days_since_last_reading }
}

/// The rule window of `r` (already cut at `since`), its summary (stale data marked insufficient) and the
/// "frequently" verdict on it: what [`judge_cgm`] and the verdict alone ([`frequently_at`]) share.
fn judge_window(
    r: &SeriesView<'_>,
    since: Option<i64>,
    now: i64,
    targets: &Targets,
    settings: &FrequentlySettings,
) -> (CgmWindow, Summary, Frequently) {
    let w = cgm_window(r, since, now, settings);
    let mut summary = r.period_summary(w.start, w.end, targets);
    if w.stale {
        summary.sufficient = false;
        summary.insufficient_reasons.push(InsufficientReason::StaleData);
    }
    let frequently = frequently_with_summary(r, since, w.end, &summary, targets, settings);
    (w, summary, frequently)
}

/// What [`judge_cgm`] finds.
struct Judged {
    summary: Summary,
    frequently: Frequently,
    prior: Summary,
    days_since_last_reading: Option<f64>,
}

/// The "frequently < 70 or > 250" verdict at `now`, as [`evaluate`] judges it: the one public way to compute
/// a [`Frequently`]. The same window (the last `window_days` of data up to now; stale data judged at now and
/// never "not frequent"), the same "now" (an instant, read as the clinic's wall-clock in `time_zone` for a
/// zoneless series), without a pump start to cut at. The rule and its tests are documented on [`Frequently`].
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::demo;
/// use pumppath::glucose::{Targets, Unit};
/// use pumppath::pathway::FrequentlySettings;
///
/// let chloe = demo::cohort().into_iter().find(|p| p.id == "chloe").unwrap();
/// let series = Series::from_readings(Unit::MgDl, chloe.readings(), &SeriesOptions::default())?;
/// let now = demo::DEMO_NOW.parse()?;
/// let verdict = pumppath::rules::frequently_at(
///     &series, now, demo::DEMO_TIME_ZONE, &Targets::default(), &FrequentlySettings::default())?;
/// assert!(verdict.frequently_low);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn frequently_at(
    readings: &Series,
    now: Timestamp,
    time_zone: &str,
    targets: &Targets,
    settings: &FrequentlySettings,
) -> Result<Frequently, Error> {
    let clock = ClinicClock::new(now, time_zone)?;
    let view = readings.view();
    Ok(frequently_at_instant(&view, view.instant_at(now, clock.zone()), targets, settings))
}

/// The "frequently" verdict of `readings` at `now` (series seconds), without a pump start: what
/// [`frequently_at`] judges, for a caller holding a view and an instant (a cohort, judged at each patient's last
/// reading).
pub(crate) fn frequently_at_instant(
    readings: &SeriesView<'_>,
    now: i64,
    targets: &Targets,
    settings: &FrequentlySettings,
) -> Frequently {
    // The verdict's window only: not the prior window or the days since the last reading the assessment adds.
    judge_window(readings, None, now, targets, settings).2
}

/// How many days an acknowledgement without an `until` date keeps its action quiet: 14, the rules' CGM window,
/// after which the clinic looks again.
pub const DEFAULT_ACKNOWLEDGEMENT_DAYS: i64 = 14;

/// Splits off the actions a current acknowledgement quiets.
///
/// An `action_acknowledged` event quiets the actions of its rule (and of its item, when it names one) from its
/// `occurred_at` until its `until` date (inclusive), or for [`DEFAULT_ACKNOWLEDGEMENT_DAYS`]. The latest
/// acknowledgement of a rule counts. Evidence that worsens re-fires at once: a level 2 or extended hypo
/// episode that starts after the acknowledgement brings `frequent_lows` and `first_weeks_low` back. Rules are
/// separate, so quieting `frequent_highs` never quiets `frequent_lows`.
fn quiet_acknowledged(
    actions: Vec<Action>,
    record: &Record,
    frequently: Option<&Frequently>,
    clock: &ClinicClock,
) -> (Vec<Action>, Vec<AcknowledgedAction>) {
    if record.acknowledgements().next().is_none() {
        return (actions, Vec::new());
    }
    let today = clock.today();
    let mut kept = Vec::with_capacity(actions.len());
    let mut quiet = Vec::new();
    for action in actions {
        // The latest that applies (of equal instants, the one recorded last). An acknowledgement entered as a
        // date counts from that clinic date, whatever the zone.
        let ack = record.acknowledgements().rev().find(|a| {
            let w = a.acknowledged;
            a.rule == action.rule
                && w.on.map_or(w.at <= clock.now(), |on| on <= today)
                && (a.item.is_none() || a.item == action.item)
        });
        let Some(ack) = ack else {
            kept.push(action);
            continue;
        };
        let acknowledged_on = clock.date_of(ack.acknowledged);
        let quiet_until = ack.until.unwrap_or_else(|| {
            acknowledged_on
                .checked_add(jiff::Span::new().days(DEFAULT_ACKNOWLEDGEMENT_DAYS))
                .unwrap_or(Date::MAX)
        });
        // Worse evidence is a significant episode that starts after the acknowledgement (after the start of its
        // date for one entered as a date).
        let at_wall_clock = match ack.acknowledged.on {
            Some(on) => on.to_datetime(jiff::civil::Time::midnight()),
            None => clock.local_datetime(ack.acknowledged.at),
        };
        let worsened = matches!(action.rule, RuleId::FrequentLows | RuleId::FirstWeeksLow)
            && frequently.is_some_and(|f| f.significant_episodes.iter().any(|e| e.start > at_wall_clock));
        if today > quiet_until || worsened {
            let mut action = action;
            if worsened {
                action.acknowledgement_overridden = Some(ack.event_id.clone());
            }
            kept.push(action);
        } else {
            quiet.push(AcknowledgedAction {
                action,
                event_id: ack.event_id.clone(),
                acknowledged_by: ack.by,
                acknowledged_at: ack.acknowledged.at,
                quiet_until,
            });
        }
    }
    (kept, quiet)
}
