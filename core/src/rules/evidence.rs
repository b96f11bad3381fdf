//! The evidence behind each action, typed per rule: what Python stubs and TypeScript types are generated from.
//!
//! On the wire [`Evidence`] is the rule's own object, with the field names below; the action's `rule` says
//! which ([`RuleSpec::evidence`](super::RuleSpec::evidence)), and the action schema pins each rule to its
//! shape, so a validator or a TypeScript union narrows `evidence` by `rule`. Every shape rejects unknown
//! fields. Rust callers read a shape with its accessor (`action.evidence.as_follow_up()`). Dates are the
//! clinic's local dates, `*_at` fields RFC 3339 instants, and civil date-times (CGM windows, episodes) the
//! readings' wall-clock.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::{PeriodChange, RuleId};
use crate::cgm::{Episode, FrequencyEvidence, InsufficientReason};
use crate::pathway::{ItemState, Role};
use crate::schedule::{Anchor, DueState, Window};
use crate::wire::wire_enum;

/// The evidence shapes, from one table: the [`Evidence`] enum, its [`EvidenceKind`] names, an accessor per
/// shape, reading by kind and (feature `schema`) each shape's schema.
macro_rules! evidence {
    ($( $(#[$doc:meta])* $variant:ident($ty:ty) => $wire:literal, $accessor:ident; )+) => {
        /// The evidence of an action, one shape per kind; the rule table says which kind each rule gives, and the
        /// action schema pins it to the action's `rule`.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(untagged)]
        pub enum Evidence {
            $( $(#[$doc])* $variant($ty), )+
        }

        wire_enum! {
            /// The shape of an action's evidence: one per [`Evidence`] variant.
            pub enum EvidenceKind {
                $( $(#[$doc])* $variant => $wire, )+
            }
        }

        impl Evidence {
            /// The shape this evidence has.
            pub fn kind(&self) -> EvidenceKind {
                match self {
                    $( Evidence::$variant(_) => EvidenceKind::$variant, )+
                }
            }

            $(
                #[doc = concat!("The evidence as a [`", stringify!($ty), "`], when it has that shape.")]
                pub fn $accessor(&self) -> Option<&$ty> {
                    match self {
                        Evidence::$variant(e) => Some(e),
                        _ => None,
                    }
                }
            )+

            fn read(kind: EvidenceKind, value: serde_json::Value) -> Result<Evidence, serde_json::Error> {
                Ok(match kind {
                    $( EvidenceKind::$variant => Evidence::$variant(serde_json::from_value(value)?), )+
                })
            }
        }

        #[cfg(feature = "schema")]
        impl EvidenceKind {
            /// The schema of this shape (a reference into the generator's definitions).
            pub(crate) fn schema(self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                match self {
                    $( EvidenceKind::$variant => generator.subschema_for::<$ty>(), )+
                }
            }
        }
    };
}

/// A due date's window, as reminders carry it (in their `window` field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowEvidence {
    /// Where today stands.
    pub state: DueState,
    /// The due date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub due: Date,
    /// When the window opens (due soon from then).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub opens: Date,
    /// When it closes (overdue after).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub closes: Date,
    /// Days to the due date while it is ahead.
    pub days_until_due: Option<i32>,
    /// Days past the due date once overdue.
    pub days_overdue: Option<i32>,
}

impl From<&Window> for WindowEvidence {
    fn from(w: &Window) -> Self {
        WindowEvidence {
            state: w.state,
            due: w.due,
            opens: w.opens,
            closes: w.closes,
            days_until_due: w.days_until_due,
            days_overdue: w.days_overdue,
        }
    }
}

/// A checklist item an action names: its id, title and its own handout passage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NamedItem {
    /// The item's id.
    pub item: String,
    /// Its title.
    pub title: String,
    /// Its handout passage (`section.N` or `section.sN`).
    pub source: String,
}

/// `frequent_lows`, `frequent_highs`: the tests that fired and the windows they judged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct CgmDataEvidence {
    /// The consensus tests that failed (empty when no readings were given at all).
    pub reasons: Vec<InsufficientReason>,
    /// Readings in the window.
    pub readings: u64,
    /// The last reading at or before now, wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::WallClock>"))]
    pub last_reading: Option<DateTime>,
    /// The days the readings in the window cover (their span plus one sampling interval, at most the window's
    /// length): what the data show, not the window's length.
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
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct NoCgmEvidence {
    /// Since when, per the `cgm_use` event.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub cgm_use_since: Option<Timestamp>,
}

/// `follow_up_due`, `follow_up_overdue`: the next follow-up of the series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpEvidence {
    /// Its window.
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
#[serde(deny_unknown_fields)]
pub struct SpecialistVisitEvidence {
    /// Its window.
    pub window: WindowEvidence,
    /// The pump start.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub pump_started_on: Option<Date>,
    /// The current booking, if any.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub booked_for: Option<Date>,
    /// The back-up plan and topics it must cover, in protocol order, each with its own handout passage.
    pub to_cover: Vec<NamedItem>,
}

/// `pump_not_linked`, `settings_review_pending`: the first weeks' link and settings review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct InsurancePendingEvidence {
    /// The check-in's window.
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
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct TopicsEvidence {
    /// The items not covered (the back-up plan, topics), in protocol order, each with its own handout passage.
    pub items: Vec<NamedItem>,
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
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct SuppliesEvidence {
    /// The reorder's window.
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
#[serde(deny_unknown_fields)]
pub struct NextStepEvidence {
    /// The item's phase.
    pub phase: String,
    /// The item's state.
    pub item_state: ItemState,
    /// Whose step the item is (the patient's, the pump trainer's, ...): a clinic role acts on it, else the
    /// action's role follows it up.
    pub item_role: Role,
}

evidence! {
    /// `frequent_lows`, `frequent_highs`.
    FrequentGlucose(FrequentGlucoseEvidence) => "frequent_glucose", as_frequent_glucose;
    /// `first_weeks_low`.
    FirstWeeksLow(FirstWeeksLowEvidence) => "first_weeks_low", as_first_weeks_low;
    /// `insufficient_cgm_data`.
    CgmData(CgmDataEvidence) => "cgm_data", as_cgm_data;
    /// `no_cgm`.
    NoCgm(NoCgmEvidence) => "no_cgm", as_no_cgm;
    /// `cgm_data_stopped`.
    CgmStopped(CgmStoppedEvidence) => "cgm_stopped", as_cgm_stopped;
    /// `worsening`: the two periods, their changes and the thresholds.
    Worsening(PeriodChange) => "worsening", as_worsening;
    /// `follow_up_due`, `follow_up_overdue`.
    FollowUp(FollowUpEvidence) => "follow_up", as_follow_up;
    /// `specialist_visit_due`, `specialist_visit_overdue`.
    SpecialistVisit(SpecialistVisitEvidence) => "specialist_visit", as_specialist_visit;
    /// `pump_not_linked`, `settings_review_pending`.
    FirstWeeks(FirstWeeksEvidence) => "first_weeks", as_first_weeks;
    /// `insurance_pending`.
    InsurancePending(InsurancePendingEvidence) => "insurance_pending", as_insurance_pending;
    /// `insurance_denied`.
    InsuranceDenied(InsuranceDeniedEvidence) => "insurance_denied", as_insurance_denied;
    /// `topics_not_covered`.
    Topics(TopicsEvidence) => "topics", as_topics;
    /// `steps_not_recorded`.
    Steps(StepsEvidence) => "steps", as_steps;
    /// `supplies_reorder`.
    Supplies(SuppliesEvidence) => "supplies", as_supplies;
    /// `next_step`.
    NextStep(NextStepEvidence) => "next_step", as_next_step;
}

impl Evidence {
    /// The evidence as a JSON value: its wire form.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// Reads the evidence of `rule` from its JSON object: the rule table names the shape
    /// ([`RuleSpec::evidence`](super::RuleSpec::evidence)), so reading is never ambiguous, and a field the
    /// shape does not have is an error.
    pub fn from_value(rule: RuleId, value: serde_json::Value) -> Result<Evidence, serde_json::Error> {
        Evidence::read(rule.spec().evidence, value)
    }
}
