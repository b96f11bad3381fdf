//! Actions: what should happen, by when, who does it, and why.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::RuleState;
use super::evidence::Evidence;
use crate::pathway::Role;
use crate::rule_id::RuleId;
use crate::wire::wire_enum;

wire_enum! {
    /// How soon a clinic should act. Actions sort most urgent first. Each rule's severity in each state is
    /// its row of the [`RULE_TABLE`](super::RULE_TABLE) (the severity policy).
    pub enum Severity {
        /// Today: glucose safety, and nothing else (an overdue visit or paperwork never is).
        Urgent => "urgent",
        /// Within days: what is overdue, glucose the clinic cannot see or that worsens.
        Soon => "soon",
        /// At the next routine contact: what is due soon or due within its tolerance.
        Routine => "routine",
        /// For information, not a task: the patient's next pathway step.
        Info => "info",
    }
}

/// An action quieted by a clinician's acknowledgement (an `action_acknowledged` event): it stays visible in the
/// assessment, with who acknowledged it, when, and until when it stays quiet.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

/// One thing the clinic should do, with the rule that fired and the evidence behind it.
///
/// Reading an action from JSON reads its `evidence` in the shape its `rule` names, and rejects unknown
/// fields; the action schema is a union tagged by `rule` that pins each rule's states, severities, category,
/// role and evidence shape from the [`RULE_TABLE`](super::RULE_TABLE).
///
/// ```
/// use pumppath::rules::{Action, RuleId};
///
/// let json = r#"{"rule": "next_step", "state": "fired", "severity": "info", "category": "administration",
///     "role": "clinic_staff", "due": "2026-03-16", "message": "Next step: Pump chosen", "item": "pump_chosen",
///     "evidence": {"phase": "pre_pump", "item_state": "not_started", "item_role": "patient"},
///     "source": "pre_pump.3", "protocol_fingerprint": "f"}"#;
/// let action: Action = serde_json::from_str(json)?;
/// let step = action.evidence.as_next_step().map(|e| e.phase.as_str());
/// assert_eq!((action.rule, step), (RuleId::NextStep, Some("pre_pump")));
/// // Another rule's evidence is not this rule's: reading fails instead of guessing.
/// let wrong = json.replace(r#""rule": "next_step""#, r#""rule": "frequent_lows""#);
/// assert!(serde_json::from_str::<Action>(&wrong).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Action {
    /// The rule that fired.
    pub rule: RuleId,
    /// What it found: the state whose row of the rule table gives the severity.
    pub state: RuleState,
    /// How soon: the rule table's severity for `state`.
    pub severity: Severity,
    /// What the finding is about (glucose safety, care, administration): the order at equal severity.
    pub category: Category,
    /// Who at the clinic acts (one of [`CLINIC_ROLES`](super::CLINIC_ROLES)); what the patient must do is in the
    /// message.
    pub role: Role,
    /// By when (the clinic's local date): the rule's own date, or today for what should happen now.
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

/// The wire form an action is read from: `evidence` waits for `rule` to pick its shape. Its schema is the
/// fields every branch of the action schema shares.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct ActionWire {
    /// The rule that fired.
    rule: RuleId,
    /// What it found: the state whose row of the rule table gives the severity.
    state: RuleState,
    /// How soon: the rule table's severity for `state`.
    severity: Severity,
    /// What the finding is about: the order at equal severity.
    category: Category,
    /// Who at the clinic acts.
    role: Role,
    /// By when (the clinic's local date).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    due: Date,
    /// One line a clinician reads.
    message: String,
    /// The checklist item the action is about, if any.
    item: Option<String>,
    /// The values, dates and thresholds that fired the rule, in the shape the rule names.
    evidence: serde_json::Value,
    /// The acknowledgement whose quiet worse evidence broke, when that is why the action is back.
    #[serde(default)]
    acknowledgement_overridden: Option<String>,
    /// The handout passage behind the rule.
    source: String,
    /// The fingerprint of the protocol the rule was evaluated with.
    protocol_fingerprint: String,
}

/// The action schema: one branch per rule of the [`RULE_TABLE`](super::RULE_TABLE), each pinning the rule's
/// states, severities, category, role and evidence shape, with no other field allowed.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Action {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Action".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        use serde_json::{Value, json};
        let fields = ActionWire::json_schema(generator);
        let branches: Vec<Value> = super::RULE_TABLE
            .iter()
            .map(|spec| {
                let mut branch = fields.clone();
                let states: Vec<&str> = spec.severities.iter().map(|r| r.state.as_str()).collect();
                let mut severities: Vec<Severity> = spec.severities.iter().map(|r| r.severity).collect();
                severities.sort();
                severities.dedup();
                let severities: Vec<&str> = severities.iter().map(|s| s.as_str()).collect();
                // `next_step` is acted on by the item's own clinic role, the others by the table's.
                let roles: Vec<&str> = if spec.rule == RuleId::NextStep {
                    super::CLINIC_ROLES.iter().map(|r| r.as_str()).collect()
                } else {
                    vec![spec.role.as_str()]
                };
                let evidence = spec.evidence.schema(generator).to_value();
                if let Some(properties) = branch.get_mut("properties").and_then(Value::as_object_mut) {
                    properties.insert("rule".into(), json!({"const": spec.rule.as_str()}));
                    properties.insert("state".into(), json!({"enum": states}));
                    properties.insert("severity".into(), json!({"enum": severities}));
                    properties.insert("category".into(), json!({"const": spec.category.as_str()}));
                    properties.insert("role".into(), json!({"enum": roles}));
                    properties.insert("evidence".into(), evidence);
                }
                branch.insert("title".into(), json!(spec.rule.as_str()));
                branch.remove("description");
                branch.to_value()
            })
            .collect();
        schemars::json_schema!({
            "description": "One thing the clinic should do: a union tagged by `rule`, each branch pinning the \
                rule's states, severities, category, role and evidence shape.",
            "oneOf": branches,
        })
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = ActionWire::deserialize(deserializer)?;
        let evidence = Evidence::from_value(w.rule, w.evidence).map_err(serde::de::Error::custom)?;
        Ok(Action {
            rule: w.rule,
            state: w.state,
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
    /// The action of `rule` in `state`, with the table's severity, category and role. A rule that fires is
    /// never dropped: were the table to give the rule no severity in that state (a gap the policy test
    /// catches), the action takes the rule's most severe one, so a missing row can over-alert but never hide a
    /// finding.
    pub(crate) fn new(
        rule: RuleId,
        state: RuleState,
        source: &str,
        message: String,
        due: Date,
        evidence: Evidence,
    ) -> Action {
        let spec = rule.spec();
        Action {
            rule,
            state,
            severity: rule.severity_in(state).unwrap_or_else(|| rule.most_severe()),
            category: spec.category,
            role: spec.role,
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
