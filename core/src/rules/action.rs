//! Actions: what should happen, by when, who does it, and why.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::evidence::Evidence;
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AcknowledgedAction {
    /// The action as the rule gave it today.
    pub action: Action,
    /// The acknowledgement event's id.
    pub event_id: String,
    /// Who acknowledged it.
    pub acknowledged_by: Role,
    /// When (the event's `occurred_at`).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub acknowledged_at: jiff::Timestamp,
    /// The last clinic-local day it stays quiet: the event's `until`, else
    /// [`DEFAULT_ACKNOWLEDGEMENT_DAYS`](super::DEFAULT_ACKNOWLEDGEMENT_DAYS) after the acknowledgement.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
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
        /// The patient wears a CGM but its data stopped: no reading for `data_stopped_days` (3) days.
        CgmDataStopped => "cgm_data_stopped",
        /// Glucose is worse than in the patient's own prior 14 days (time in range down, mean or time below 70 up).
        Worsening => "worsening",
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

/// One thing the clinic should do, with the rule that fired and the evidence behind it.
///
/// Reading an action from JSON reads its `evidence` in the shape its `rule` names.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub due: Date,
    /// One line a clinician reads.
    pub message: String,
    /// The checklist item the action is about, if any.
    pub item: Option<String>,
    /// The values, dates and thresholds that fired the rule: one typed shape per rule ([`Evidence`]).
    pub evidence: Evidence,
    /// The acknowledgement (its event id) whose quiet worse evidence broke, when that is why the action is
    /// back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledgement_overridden: Option<String>,
    /// The handout passage behind the rule (`section.N` or `section.sN`).
    pub source: String,
    /// The fingerprint of the protocol the rule was evaluated with.
    pub protocol_fingerprint: String,
}

/// The wire form an action is read from: `evidence` waits for `rule` to pick its shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionWire {
    rule: RuleId,
    severity: Severity,
    category: Category,
    role: Role,
    due: Date,
    message: String,
    item: Option<String>,
    evidence: serde_json::Value,
    #[serde(default)]
    acknowledgement_overridden: Option<String>,
    source: String,
    protocol_fingerprint: String,
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = ActionWire::deserialize(deserializer)?;
        let evidence = Evidence::from_value(w.rule, w.evidence).map_err(serde::de::Error::custom)?;
        Ok(Action {
            rule: w.rule,
            severity: w.severity,
            category: w.category,
            role: w.role,
            due: w.due,
            message: w.message,
            item: w.item,
            evidence,
            acknowledgement_overridden: w.acknowledgement_overridden,
            source: w.source,
            protocol_fingerprint: w.protocol_fingerprint,
        })
    }
}

impl Action {
    pub(crate) fn new(
        rule: RuleId,
        severity: Severity,
        role: Role,
        source: &str,
        message: String,
        due: Date,
        evidence: Evidence,
    ) -> Action {
        Action {
            rule,
            severity,
            category: rule.category(),
            role,
            due,
            message,
            item: None,
            evidence,
            acknowledgement_overridden: None,
            source: source.to_owned(),
            protocol_fingerprint: String::new(),
        }
    }

    pub(crate) fn due(mut self, due: Date) -> Action {
        self.due = due;
        self
    }

    pub(crate) fn role(mut self, role: Role) -> Action {
        self.role = role;
        self
    }

    pub(crate) fn item(mut self, item: &str) -> Action {
        self.item = Some(item.to_owned());
        self
    }

    /// The sort key: severity, then category (glucose safety first), then due date, then rule id, then item.
    pub(crate) fn sort_key(&self) -> (Severity, Category, Date, &'static str, Option<&str>) {
        (self.severity, self.category, self.due, self.rule.as_str(), self.item.as_deref())
    }
}
