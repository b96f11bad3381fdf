//! Actions: what should happen, by when, who does it, and why.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::pathway::Role;

/// How soon a clinic should act. Actions sort most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Today: a safety concern or something long overdue.
    Urgent,
    /// Within days.
    Soon,
    /// At the next routine contact.
    Routine,
    /// For information: the patient's next pathway step.
    Info,
}

impl Severity {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Urgent => "urgent",
            Severity::Soon => "soon",
            Severity::Routine => "routine",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An action quieted by a clinician's acknowledgement (an `action_acknowledged` event): it stays visible in the
/// assessment, with who acknowledged it, when, and until when it stays quiet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AcknowledgedAction {
    /// The action as the rule gave it today.
    pub action: Action,
    /// The acknowledgement event's id.
    pub event_id: String,
    /// Who acknowledged it.
    pub acknowledged_by: Role,
    /// When (the event's `occurred_at`).
    pub acknowledged_at: jiff::Timestamp,
    /// The last clinic-local day it stays quiet: the event's `until`, else
    /// [`DEFAULT_ACKNOWLEDGEMENT_DAYS`](super::DEFAULT_ACKNOWLEDGEMENT_DAYS) after the acknowledgement.
    pub quiet_until: Date,
}

/// What a finding is about; at equal severity, actions sort glucose safety first, then care, then
/// administration (safety first: an insurance check-in never outranks glucose). Wire names:
/// `glucose_safety`, `care`, `administration`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The patient's glucose: lows, highs, and whether the clinic can see them.
    GlucoseSafety,
    /// Clinical care on the pathway: visits, the first weeks' link and settings review, education, supplies.
    Care,
    /// Paperwork and bookkeeping: insurance, records, the next pathway steps.
    Administration,
}

impl Category {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::GlucoseSafety => "glucose_safety",
            Category::Care => "care",
            Category::Administration => "administration",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stable id of a rule. The wire names are the contract clinic systems filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleId {
    /// Glucose frequently < 70 mg/dL: the patient should call, or be called (handout post_pump_care.1).
    FrequentLows,
    /// Glucose frequently > 250 mg/dL (handout post_pump_care.1).
    FrequentHighs,
    /// A level 2 or extended hypo episode in the first weeks on the pump: "call the diabetes team if you have
    /// high or low blood sugars" (handout understanding_the_pump.s7).
    FirstWeeksLow,
    /// Too little CGM data to judge (consensus: ≥ 14 days, ≥ 70 % wear).
    InsufficientCgmData,
    /// The record says the patient wears no CGM: glucose is not judged (information).
    NoCgm,
    /// The 3-monthly follow-up is due soon or due (handout post_pump_care.s1).
    FollowUpDue,
    /// The 3-monthly follow-up is overdue.
    FollowUpOverdue,
    /// The specialist visit after the pump start is due soon or due (handout understanding_the_pump.s8).
    SpecialistVisitDue,
    /// The specialist visit after the pump start is overdue.
    SpecialistVisitOverdue,
    /// The pump is not uploaded or linked to the clinic (handout understanding_the_pump.s5).
    PumpNotLinked,
    /// The first weeks' settings review is pending (handout understanding_the_pump.s4).
    SettingsReviewPending,
    /// Insurance coverage still pending at the check-in date (handout pre_pump.1).
    InsurancePending,
    /// Insurance coverage denied (handout pre_pump.1).
    InsuranceDenied,
    /// The specialist visit was held without covering the back-up plan or some of the nine education topics:
    /// one action listing them, due at the next visit (handout understanding_the_pump.s8, s9, 1–9).
    TopicsNotCovered,
    /// An item was completed by an event of its own (the pump start) while its prerequisites are not on
    /// record (training, materials review): the clinic often learns of them afterwards.
    StepsNotRecorded,
    /// Supplies should be reordered before the last batch runs out (handout post_pump_care.3).
    SuppliesReorder,
    /// The patient's next step on the pathway.
    NextStep,
}

impl RuleId {
    /// The wire name (`follow_up_overdue`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            RuleId::FrequentLows => "frequent_lows",
            RuleId::FrequentHighs => "frequent_highs",
            RuleId::FirstWeeksLow => "first_weeks_low",
            RuleId::InsufficientCgmData => "insufficient_cgm_data",
            RuleId::NoCgm => "no_cgm",
            RuleId::FollowUpDue => "follow_up_due",
            RuleId::FollowUpOverdue => "follow_up_overdue",
            RuleId::SpecialistVisitDue => "specialist_visit_due",
            RuleId::SpecialistVisitOverdue => "specialist_visit_overdue",
            RuleId::PumpNotLinked => "pump_not_linked",
            RuleId::SettingsReviewPending => "settings_review_pending",
            RuleId::InsurancePending => "insurance_pending",
            RuleId::InsuranceDenied => "insurance_denied",
            RuleId::TopicsNotCovered => "topics_not_covered",
            RuleId::StepsNotRecorded => "steps_not_recorded",
            RuleId::SuppliesReorder => "supplies_reorder",
            RuleId::NextStep => "next_step",
        }
    }
}

impl RuleId {
    /// Every rule, in the order of the rule table.
    pub const ALL: [RuleId; 17] = [
        RuleId::FrequentLows,
        RuleId::FrequentHighs,
        RuleId::FirstWeeksLow,
        RuleId::InsufficientCgmData,
        RuleId::NoCgm,
        RuleId::FollowUpDue,
        RuleId::FollowUpOverdue,
        RuleId::SpecialistVisitDue,
        RuleId::SpecialistVisitOverdue,
        RuleId::PumpNotLinked,
        RuleId::SettingsReviewPending,
        RuleId::InsurancePending,
        RuleId::InsuranceDenied,
        RuleId::TopicsNotCovered,
        RuleId::StepsNotRecorded,
        RuleId::SuppliesReorder,
        RuleId::NextStep,
    ];

    /// What the rule's findings are about, for the ordering at equal severity.
    pub const fn category(self) -> Category {
        match self {
            RuleId::FrequentLows
            | RuleId::FrequentHighs
            | RuleId::FirstWeeksLow
            | RuleId::InsufficientCgmData
            | RuleId::NoCgm => Category::GlucoseSafety,
            RuleId::FollowUpDue
            | RuleId::FollowUpOverdue
            | RuleId::SpecialistVisitDue
            | RuleId::SpecialistVisitOverdue
            | RuleId::PumpNotLinked
            | RuleId::SettingsReviewPending
            | RuleId::TopicsNotCovered
            | RuleId::SuppliesReorder => Category::Care,
            RuleId::InsurancePending
            | RuleId::InsuranceDenied
            | RuleId::StepsNotRecorded
            | RuleId::NextStep => Category::Administration,
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing the clinic should do, with the rule that fired and the evidence behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// The rule that fired.
    pub rule: RuleId,
    /// How soon.
    pub severity: Severity,
    /// What the finding is about (glucose safety, care, administration): the order at equal severity.
    pub category: Category,
    /// Who should act.
    pub role: Role,
    /// By when (the clinic's local date): the rule's own date, or today for what should happen now.
    pub due: Date,
    /// One line a clinician reads.
    pub message: String,
    /// The checklist item the action is about, if any.
    pub item: Option<String>,
    /// The values, dates and thresholds that fired the rule, by name (sorted, so the JSON is stable).
    pub evidence: BTreeMap<String, serde_json::Value>,
    /// The handout passage behind the rule (`section.N` or `section.sN`).
    pub source: String,
    /// The fingerprint of the protocol the rule was evaluated with.
    pub protocol_fingerprint: String,
}

impl Action {
    pub(crate) fn new(
        rule: RuleId,
        severity: Severity,
        role: Role,
        source: &str,
        message: String,
        due: Date,
    ) -> Action {
        Action {
            rule,
            severity,
            category: rule.category(),
            role,
            due,
            message,
            item: None,
            evidence: BTreeMap::new(),
            source: source.to_owned(),
            protocol_fingerprint: String::new(),
        }
    }

    pub(crate) fn due(mut self, due: Date) -> Action {
        self.due = due;
        self
    }

    pub(crate) fn item(mut self, item: &str) -> Action {
        self.item = Some(item.to_owned());
        self
    }

    pub(crate) fn with(mut self, name: &str, value: impl Serialize) -> Action {
        self.evidence.insert(name.to_owned(), serde_json::to_value(value).unwrap_or(serde_json::Value::Null));
        self
    }

    /// The sort key: severity, then category (glucose safety first), then due date, then rule id, then item.
    pub(crate) fn sort_key(&self) -> (Severity, Category, Date, &'static str, Option<&str>) {
        (self.severity, self.category, self.due, self.rule.as_str(), self.item.as_deref())
    }
}
