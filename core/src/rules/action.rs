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
    /// Too little CGM data to judge (consensus: ≥ 14 days, ≥ 70 % wear).
    InsufficientCgmData,
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
    /// The back-up plan was not reviewed after the start (handout understanding_the_pump.s9).
    BackupPlanNotReviewed,
    /// An education topic of the specialist visit is not covered (handout understanding_the_pump.1–9).
    EducationTopicNotCovered,
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
            RuleId::InsufficientCgmData => "insufficient_cgm_data",
            RuleId::FollowUpDue => "follow_up_due",
            RuleId::FollowUpOverdue => "follow_up_overdue",
            RuleId::SpecialistVisitDue => "specialist_visit_due",
            RuleId::SpecialistVisitOverdue => "specialist_visit_overdue",
            RuleId::PumpNotLinked => "pump_not_linked",
            RuleId::SettingsReviewPending => "settings_review_pending",
            RuleId::InsurancePending => "insurance_pending",
            RuleId::InsuranceDenied => "insurance_denied",
            RuleId::BackupPlanNotReviewed => "backup_plan_not_reviewed",
            RuleId::EducationTopicNotCovered => "education_topic_not_covered",
            RuleId::SuppliesReorder => "supplies_reorder",
            RuleId::NextStep => "next_step",
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

    /// The sort key: severity, then due date, then rule id, then item.
    pub(crate) fn sort_key(&self) -> (Severity, Date, &'static str, Option<&str>) {
        (self.severity, self.due, self.rule.as_str(), self.item.as_deref())
    }
}
