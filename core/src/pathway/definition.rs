//! A protocol as written: its plain data (phases, checklist items, milestones, settings), which
//! [`validate`](super::validate) checks and [`Protocol`](super::Protocol) holds once valid.

use serde::{Deserialize, Serialize};

use super::{EventType, Role, Settings};
use crate::wire::wire_enum;

/// The version of the protocol JSON format this crate reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

wire_enum! {
    /// A special role an item plays: events of the patient's record (insurance decisions, pump start, visits) act
    /// on the item that carries the matching milestone, and the rules find items by milestone, so a clinic can
    /// rename or reword items and keep the rules working. Each milestone is carried by at most one item. A
    /// milestone's wire name is the id of the item that carries it in the standard protocol (`pump_started`,
    /// ...), except `follow_up`, which is the visit kind it is completed by.
    ///
    /// A milestone item whose own event records it is completed by that event, never by `item_completed`
    /// (which is refused, naming the event): insurance_coverage by `insurance_decision`, pump_chosen by
    /// its event `pump_chosen`, pump_ordered by `pump_ordered`, pump_started by `pump_started`, pump_linked by `pump_linked`,
    /// specialist_visit and follow_up by `visit_held` (once a visit of the kind is on record, the item may also
    /// be completed by hand). The others are completed by `item_completed`. See [`Milestone::completed_by`].
    pub enum Milestone {
        /// Insurance coverage checked and approved (`insurance_submitted`, `insurance_decision` events).
        InsuranceCoverage => "insurance_coverage",
        /// A pump chosen (`pump_chosen` event).
        PumpChoice => "pump_chosen",
        /// The pump ordered through a channel (`pump_ordered` event).
        PumpOrder => "pump_ordered",
        /// The pump started: the date scheduling keys off (`pump_started` event).
        PumpStart => "pump_started",
        /// The pump uploaded or linked to the clinic (`pump_linked` event).
        PumpLink => "pump_linked",
        /// Pump settings reviewed and adjusted in the first weeks.
        SettingsReview => "settings_reviewed",
        /// The diabetes care and education specialist visit shortly after the start (`visit_held` specialist).
        SpecialistVisit => "specialist_visit",
        /// The back-up plan reviewed with the specialist.
        BackupPlanReview => "backup_plan_reviewed",
        /// Follow-up with the diabetes team every 3 months (`visit_held` follow_up).
        FollowUp => "follow_up",
        /// Supplies renewal arranged (`supplies_received` events record batches).
        SuppliesRenewal => "supplies_renewal_arranged",
    }
}

impl Milestone {
    /// The event that completes the item carrying this milestone, when it is not `item_completed`:
    /// `insurance_decision`, `pump_chosen`, `pump_ordered`, `pump_started`, `pump_linked`, or `visit_held` for
    /// the specialist and follow-up visits; `None` for the milestones `item_completed` completes.
    ///
    /// ```
    /// use pumppath::pathway::{EventType, Milestone};
    ///
    /// assert_eq!(Milestone::PumpStart.completed_by(), Some(EventType::PumpStarted));
    /// assert_eq!(Milestone::SettingsReview.completed_by(), None);
    /// ```
    pub const fn completed_by(self) -> Option<EventType> {
        match self {
            Milestone::InsuranceCoverage => Some(EventType::InsuranceDecision),
            Milestone::PumpChoice => Some(EventType::PumpChosen),
            Milestone::PumpOrder => Some(EventType::PumpOrdered),
            Milestone::PumpStart => Some(EventType::PumpStarted),
            Milestone::PumpLink => Some(EventType::PumpLinked),
            Milestone::SpecialistVisit | Milestone::FollowUp => Some(EventType::VisitHeld),
            Milestone::SettingsReview | Milestone::BackupPlanReview | Milestone::SuppliesRenewal => None,
        }
    }
}

/// One item of a phase's checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// The item's id, unique in the protocol: lowercase letters, digits and `_`, starting with a letter.
    pub id: String,
    /// A short title a clinician reads.
    pub title: String,
    /// What the item means, in our words; where the handout is vague, the reading chosen.
    pub description: String,
    /// Who does it.
    pub role: Role,
    /// Whether the phase is complete only with this item done (completed or waived).
    pub required: bool,
    /// Items that must be done (completed or waived) before this one can be completed: ids of items in this
    /// phase or an earlier one.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// The handout passage the item comes from: `section.N` for the N-th bullet of a section, `section.sN` for
    /// its N-th prose sentence (see [`handout`](super::handout)).
    pub source: String,
    /// The special role this item plays for events and rules, if any. A milestone item with an event of its own
    /// ([`Milestone::completed_by`]: insurance_coverage, pump_choice, pump_order, pump_start, pump_link,
    /// specialist_visit, follow_up) is completed by that event, not by `item_completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<Milestone>,
    /// Whether the item is one of the education topics of the specialist visit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub education_topic: bool,
}

/// A phase of the pathway, with its checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// The phase's id, unique in the protocol.
    pub id: String,
    /// A short title.
    pub title: String,
    /// The checklist, in the order a clinic works through it.
    pub items: Vec<ChecklistItem>,
}

/// The plain data of a protocol, as written in JSON. [`Protocol`](super::Protocol) is its validated form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProtocolDefinition {
    /// The format version: [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The protocol's id (`handout_standard`, a clinic's own).
    pub id: String,
    /// The protocol's version, as the clinic names it.
    pub version: String,
    /// A title.
    pub title: String,
    /// The phases, in order.
    pub phases: Vec<Phase>,
    /// Settings for the rules; every field defaults.
    #[serde(default)]
    pub settings: Settings,
}
