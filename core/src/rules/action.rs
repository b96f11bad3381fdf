//! Actions: what should happen, by when, who does it, and why.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::pathway::Role;
use crate::wire::wire_enum;

wire_enum! {
    /// How soon a clinic should act. Actions sort most urgent first.
    pub enum Severity {
        /// Today: a safety concern or something long overdue.
        Urgent => "urgent",
        /// Within days.
        Soon => "soon",
        /// At the next routine contact.
        Routine => "routine",
        /// For information: the patient's next pathway step.
        Info => "info",
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

wire_enum! {
    /// What a finding is about; at equal severity, actions sort glucose safety first, then care, then
    /// administration (safety first: an insurance check-in never outranks glucose). Wire names:
    /// `glucose_safety`, `care`, `administration`.
    pub enum Category {
        /// The patient's glucose: lows, highs, and whether the clinic can see them.
        GlucoseSafety => "glucose_safety",
        /// Clinical care on the pathway: visits, the first weeks' link and settings review, education, supplies.
        Care => "care",
        /// Paperwork and bookkeeping: insurance, records, the next pathway steps.
        Administration => "administration",
    }
}

wire_enum! {
    /// The stable id of a rule. The wire names are the contract clinic systems filter on.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub enum RuleId {
        /// Glucose frequently < 70 mg/dL: the patient should call, or be called (handout post_pump_care.1).
        FrequentLows => "frequent_lows",
        /// Glucose frequently > 250 mg/dL (handout post_pump_care.1).
        FrequentHighs => "frequent_highs",
        /// A level 2 or extended hypo episode in the first weeks on the pump: "call the diabetes team if you have
        /// high or low blood sugars" (handout understanding_the_pump.s7).
        FirstWeeksLow => "first_weeks_low",
        /// Too little CGM data to judge (consensus: ≥ 14 days, ≥ 70 % wear).
        InsufficientCgmData => "insufficient_cgm_data",
        /// The record says the patient wears no CGM: glucose is not judged (information).
        NoCgm => "no_cgm",
        /// The 3-monthly follow-up is due soon or due (handout post_pump_care.s1).
        FollowUpDue => "follow_up_due",
        /// The 3-monthly follow-up is overdue.
        FollowUpOverdue => "follow_up_overdue",
        /// The specialist visit after the pump start is due soon or due (handout understanding_the_pump.s8).
        SpecialistVisitDue => "specialist_visit_due",
        /// The specialist visit after the pump start is overdue.
        SpecialistVisitOverdue => "specialist_visit_overdue",
        /// The pump is not uploaded or linked to the clinic (handout understanding_the_pump.s5).
        PumpNotLinked => "pump_not_linked",
        /// The first weeks' settings review is pending (handout understanding_the_pump.s4).
        SettingsReviewPending => "settings_review_pending",
        /// Insurance coverage still pending at the check-in date (handout pre_pump.1).
        InsurancePending => "insurance_pending",
        /// Insurance coverage denied (handout pre_pump.1).
        InsuranceDenied => "insurance_denied",
        /// The specialist visit was held without covering the back-up plan or some of the nine education topics:
        /// one action listing them, due at the next visit (handout understanding_the_pump.s8, s9, 1–9).
        TopicsNotCovered => "topics_not_covered",
        /// An item was completed by an event of its own (the pump start) while its prerequisites are not on
        /// record (training, materials review): the clinic often learns of them afterwards.
        StepsNotRecorded => "steps_not_recorded",
        /// Supplies should be reordered before the last batch runs out (handout post_pump_care.3).
        SuppliesReorder => "supplies_reorder",
        /// The patient's next step on the pathway.
        NextStep => "next_step",
    }
}

impl RuleId {
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
