//! The evidence behind each action, typed per rule: what Python stubs and TypeScript types are generated from.
//!
//! On the wire [`Evidence`] is the rule's own object (no tag: the action's `rule` says which), with the field
//! names below. Dates are the clinic's local dates, `*_at` fields RFC 3339 instants, and civil date-times
//! (CGM windows, episodes) the readings' wall-clock.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::RuleId;
use crate::cgm::{Episode, FrequencyEvidence, InsufficientReason};
use crate::pathway::ItemState;
use crate::schedule::{Anchor, DueState, Window};

/// A due date's window, as reminders carry it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WindowEvidence {
    /// Where today stands.
    pub state: DueState,
    /// The due date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub due: Date,
    /// When the window opens (due soon from then).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub window_opens: Date,
    /// When it closes (overdue after).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub window_closes: Date,
    /// Days past the due date once overdue.
    pub days_overdue: Option<i32>,
}

impl From<&Window> for WindowEvidence {
    fn from(w: &Window) -> Self {
        WindowEvidence {
            state: w.state,
            due: w.due,
            window_opens: w.opens,
            window_closes: w.closes,
            days_overdue: w.days_overdue,
        }
    }
}

/// `frequent_lows`, `frequent_highs`: the tests that fired and the windows they judged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FrequentGlucoseEvidence {
    /// The tests of this direction that fired.
    pub tests: Vec<FrequencyEvidence>,
    /// Whether the patient is on the pump (the advice differs before it).
    pub on_pump: bool,
    /// The percent window's start (excluded), wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub window_start: DateTime,
    /// Both windows' end (included), wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub window_end: DateTime,
    /// The episode window's start (excluded), wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub episode_window_start: DateTime,
    /// Whether the percent window's data were sufficient.
    pub sufficient: bool,
    /// The level 2 and extended hypo episodes of the episode window (lows; empty for highs).
    pub significant_episodes: Vec<Episode>,
}

/// `first_weeks_low`: the clinically significant hypo episodes in the first weeks on the pump.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FirstWeeksLowEvidence {
    /// The level 2 and extended hypo episodes.
    pub episodes: Vec<Episode>,
    /// The pump start.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub pump_started_on: Option<Date>,
    /// The first weeks' length, days.
    pub first_weeks_days: u32,
}

/// `insufficient_cgm_data`: why the CGM data cannot be judged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CgmDataEvidence {
    /// The consensus tests that failed (empty when no readings were given at all).
    pub reasons: Vec<InsufficientReason>,
    /// Readings in the window.
    pub readings: u64,
    /// The last reading at or before now, wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::WallClock>"))]
    pub last_reading: Option<DateTime>,
    /// The days the window's data count for.
    pub days: Option<f64>,
    /// The wear over the window, %.
    pub active_percent: Option<f64>,
    /// The consensus minimum of days (14).
    pub min_days: i64,
    /// The consensus minimum of wear, % (70).
    pub min_active_percent: f64,
    /// The pump start, when no readings were given after it.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub pump_started_on: Option<Date>,
}

/// `cgm_data_stopped`: the last reading and how long ago it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CgmStoppedEvidence {
    /// The last reading at or before now, the readings' wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub last_reading: DateTime,
    /// Days since it.
    pub days_without_data: f64,
    /// The setting: days without data that count as stopped.
    pub data_stopped_days: u32,
}

/// `no_cgm`: the record says the patient wears no CGM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NoCgmEvidence {
    /// Since when, per the `cgm_use` event.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub cgm_use_since: Option<Timestamp>,
}

/// `follow_up_due`, `follow_up_overdue`: the next follow-up of the series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FollowUpEvidence {
    /// Its window.
    #[serde(flatten)]
    pub window: WindowEvidence,
    /// The series' anchor.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub anchor: Date,
    /// What the series is anchored on.
    pub anchored_on: Anchor,
    /// The follow-up's number in the series.
    pub number: u32,
    /// The current booking, if any.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub booked_for: Option<Date>,
    /// The series' interval, months.
    pub interval_months: u32,
}

/// `specialist_visit_due`, `specialist_visit_overdue`: the visit after the start and what it must cover.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SpecialistVisitEvidence {
    /// Its window.
    #[serde(flatten)]
    pub window: WindowEvidence,
    /// The pump start.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub pump_started_on: Option<Date>,
    /// The current booking, if any.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub booked_for: Option<Date>,
    /// The back-up plan and topics it must cover (item ids).
    pub to_cover: Vec<String>,
}

/// `pump_not_linked`, `settings_review_pending`: the first weeks' link and settings review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FirstWeeksEvidence {
    /// The item's state.
    pub item_state: ItemState,
    /// The pump start.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub pump_started_on: Option<Date>,
    /// Whether the link is still pending (the review waits for it).
    pub link_pending: bool,
    /// The end of the first weeks.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub first_weeks_end: Date,
}

/// `insurance_pending`: coverage still pending at the check-in date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InsurancePendingEvidence {
    /// The check-in's window.
    #[serde(flatten)]
    pub window: WindowEvidence,
    /// The submission's date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub submitted_on: Date,
    /// Days pending.
    pub pending_days: i32,
    /// The check-in's delay after submission, days.
    pub check_in_days: u32,
}

/// `insurance_denied`: the denial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InsuranceDeniedEvidence {
    /// When coverage was submitted.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub submitted_at: Option<Timestamp>,
    /// When it was denied.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub decided_at: Option<Timestamp>,
}

/// `topics_not_covered`: what the specialist visit left for the next visit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TopicsEvidence {
    /// The items not covered (the back-up plan, topics), in protocol order.
    pub items: Vec<String>,
    /// Whether the back-up plan is among them.
    pub backup_plan_missing: bool,
    /// When the specialist visit was held.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub specialist_visit_held_on: Option<Date>,
    /// The next visit: the booked follow-up, else the next follow-up's due date.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub next_visit: Option<Date>,
}

/// `steps_not_recorded`: an item completed by its own event while its prerequisites are not on record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StepsEvidence {
    /// The prerequisites not done, in protocol order.
    pub missing: Vec<String>,
    /// When the item was completed.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub completed_at: Option<Timestamp>,
}

/// `supplies_reorder`: the last batch and its expected run-out (an estimate from the days of supply).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuppliesEvidence {
    /// The reorder's window.
    #[serde(flatten)]
    pub window: WindowEvidence,
    /// When the batch arrived.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub received_on: Date,
    /// Its days of supply.
    pub days_of_supply: u32,
    /// When it is expected to run out.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub runs_out_on: Date,
    /// The reorder lead, days.
    pub reorder_lead_days: u32,
}

/// `next_step`: the patient's next step on the pathway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NextStepEvidence {
    /// The item's phase.
    pub phase: String,
    /// The item's state.
    pub item_state: ItemState,
}

/// The evidence of an action, one shape per rule (see the action's `rule`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Evidence {
    /// `frequent_lows`, `frequent_highs`.
    FrequentGlucose(FrequentGlucoseEvidence),
    /// `first_weeks_low`.
    FirstWeeksLow(FirstWeeksLowEvidence),
    /// `insufficient_cgm_data`.
    CgmData(CgmDataEvidence),
    /// `no_cgm`.
    NoCgm(NoCgmEvidence),
    /// `cgm_data_stopped`.
    CgmStopped(CgmStoppedEvidence),
    /// `worsening`: the two periods, their changes and the thresholds.
    Worsening(super::PeriodChange),
    /// `follow_up_due`, `follow_up_overdue`.
    FollowUp(FollowUpEvidence),
    /// `specialist_visit_due`, `specialist_visit_overdue`.
    SpecialistVisit(SpecialistVisitEvidence),
    /// `pump_not_linked`, `settings_review_pending`.
    FirstWeeks(FirstWeeksEvidence),
    /// `insurance_pending`.
    InsurancePending(InsurancePendingEvidence),
    /// `insurance_denied`.
    InsuranceDenied(InsuranceDeniedEvidence),
    /// `topics_not_covered`.
    Topics(TopicsEvidence),
    /// `steps_not_recorded`.
    Steps(StepsEvidence),
    /// `supplies_reorder`.
    Supplies(SuppliesEvidence),
    /// `next_step`.
    NextStep(NextStepEvidence),
}

impl Evidence {
    /// The evidence as a JSON value: its wire form.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// Reads the evidence of `rule` from its JSON object: the action's `rule` picks the shape, so reading is
    /// never ambiguous.
    pub fn from_value(rule: RuleId, value: serde_json::Value) -> Result<Evidence, serde_json::Error> {
        use serde_json::from_value as read;
        Ok(match rule {
            RuleId::FrequentLows | RuleId::FrequentHighs => Evidence::FrequentGlucose(read(value)?),
            RuleId::FirstWeeksLow => Evidence::FirstWeeksLow(read(value)?),
            RuleId::InsufficientCgmData => Evidence::CgmData(read(value)?),
            RuleId::NoCgm => Evidence::NoCgm(read(value)?),
            RuleId::CgmDataStopped => Evidence::CgmStopped(read(value)?),
            RuleId::Worsening => Evidence::Worsening(read(value)?),
            RuleId::FollowUpDue | RuleId::FollowUpOverdue => Evidence::FollowUp(read(value)?),
            RuleId::SpecialistVisitDue | RuleId::SpecialistVisitOverdue => {
                Evidence::SpecialistVisit(read(value)?)
            }
            RuleId::PumpNotLinked | RuleId::SettingsReviewPending => Evidence::FirstWeeks(read(value)?),
            RuleId::InsurancePending => Evidence::InsurancePending(read(value)?),
            RuleId::InsuranceDenied => Evidence::InsuranceDenied(read(value)?),
            RuleId::TopicsNotCovered => Evidence::Topics(read(value)?),
            RuleId::StepsNotRecorded => Evidence::Steps(read(value)?),
            RuleId::SuppliesReorder => Evidence::Supplies(read(value)?),
            RuleId::NextStep => Evidence::NextStep(read(value)?),
        })
    }
}
