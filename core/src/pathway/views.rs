//! Views derived from a record: where the patient stands.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::guards::unmet_prerequisites;
use super::{ItemState, KeyDates, Record, Role};

/// Progress through one phase.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseProgress {
    /// The phase's id.
    pub phase: String,
    /// Its title.
    pub title: String,
    /// Required items.
    pub required: u32,
    /// Required items done (completed or waived).
    pub required_done: u32,
    /// All items.
    pub total: u32,
    /// All items done.
    pub done: u32,
    /// Whether every required item is done.
    pub complete: bool,
}

/// One checklist item as the patient stands on it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemView {
    /// The item's id.
    pub item: String,
    /// Its phase.
    pub phase: String,
    /// Its title.
    pub title: String,
    /// Who does it.
    pub role: Role,
    /// Whether the phase needs it.
    pub required: bool,
    /// Its state.
    pub state: ItemState,
    /// Since when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub since: Option<Timestamp>,
    /// The civil date since when, when the event that moved it was entered as a date (`occurred_on`): the
    /// item's date in every zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub since_on: Option<jiff::civil::Date>,
    /// Why waived or on hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it is scheduled for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub scheduled_for: Option<Timestamp>,
    /// The handout reference.
    pub source: String,
}

/// Why an item that is not done cannot be done now.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "blocked_by", rename_all = "snake_case", deny_unknown_fields)]
pub enum BlockedReason {
    /// Prerequisites are not done.
    Prerequisites {
        /// Those not done, in protocol order.
        unmet: Vec<String>,
    },
    /// The item is on hold.
    OnHold {
        /// Why, if recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// An item that cannot move now, and why.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockedItem {
    /// The item's id.
    pub item: String,
    /// Its phase.
    pub phase: String,
    /// Why it is blocked: `{"blocked_by": "prerequisites", "unmet": [...]}` or
    /// `{"blocked_by": "on_hold", "reason": ...}`.
    pub why: BlockedReason,
}

/// Where a patient stands on the pathway: the current phase, progress per phase, every item's state, the next
/// possible steps, blocked items with the reason, and the key dates.
///
/// ```
/// use pumppath::pathway::{PathwayView, Protocol, Record};
///
/// let protocol = Protocol::standard();
/// let record = Record::new(protocol, "new-patient");
/// let view = PathwayView::of(&record);
/// assert_eq!(view.current_phase, "pre_pump");
/// let next: Vec<&str> = view.next_steps.iter().map(|i| i.item.as_str()).collect();
/// assert_eq!(next, ["insurance_coverage", "pump_options_learned"]);
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayView {
    /// The patient's id.
    pub patient_id: String,
    /// The fingerprint of the protocol the view was evaluated with.
    pub protocol_fingerprint: String,
    /// The first phase with a required item not done; the last phase once every phase is complete.
    pub current_phase: String,
    /// Whether every required item of every phase is done.
    pub pathway_complete: bool,
    /// Progress per phase, in order.
    pub phases: Vec<PhaseProgress>,
    /// Every item, in protocol order.
    pub items: Vec<ItemView>,
    /// Items not done, not on hold, whose prerequisites are done: what can happen next, in protocol order.
    pub next_steps: Vec<ItemView>,
    /// Items not done that cannot move now, with the reason.
    pub blocked: Vec<BlockedItem>,
    /// The key dates.
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub dates: KeyDates,
}

impl PathwayView {
    /// The view of `record` under `protocol`.
    pub fn of(record: &Record) -> PathwayView {
        let protocol = record.protocol();
        let state = record.state();
        let mut phases: Vec<PhaseProgress> = protocol
            .phases()
            .iter()
            .map(|p| PhaseProgress {
                phase: p.id.clone(),
                title: p.title.clone(),
                required: 0,
                required_done: 0,
                total: 0,
                done: 0,
                complete: false,
            })
            .collect();
        let mut items = Vec::with_capacity(protocol.item_count());
        let mut next_steps = Vec::new();
        let mut blocked = Vec::new();
        for (position, (phase_index, item)) in protocol.items().enumerate() {
            let status = state.status(position).cloned().unwrap_or_default();
            let done = status.state.is_final();
            let phase_id = protocol.phases()[phase_index].id.clone();
            if let Some(progress) = phases.get_mut(phase_index) {
                progress.total += 1;
                progress.done += u32::from(done);
                if item.required {
                    progress.required += 1;
                    progress.required_done += u32::from(done);
                }
            }
            let view = ItemView {
                item: item.id.clone(),
                phase: phase_id.clone(),
                title: item.title.clone(),
                role: item.role,
                required: item.required,
                state: status.state,
                since: status.since,
                since_on: status.since_on,
                reason: status.reason.clone(),
                scheduled_for: status.scheduled_for,
                source: item.source.clone(),
            };
            if !done {
                let unmet = unmet_prerequisites(protocol, state, position);
                if status.state == ItemState::OnHold {
                    blocked.push(BlockedItem {
                        item: item.id.clone(),
                        phase: phase_id,
                        why: BlockedReason::OnHold { reason: status.reason.clone() },
                    });
                } else if !unmet.is_empty() {
                    blocked.push(BlockedItem {
                        item: item.id.clone(),
                        phase: phase_id,
                        why: BlockedReason::Prerequisites { unmet },
                    });
                } else {
                    next_steps.push(view.clone());
                }
            }
            items.push(view);
        }
        for p in &mut phases {
            p.complete = p.required_done == p.required;
        }
        let current = phases.iter().find(|p| !p.complete).or(phases.last());
        PathwayView {
            patient_id: record.patient_id().to_owned(),
            protocol_fingerprint: protocol.fingerprint().to_owned(),
            current_phase: current.map(|p| p.phase.clone()).unwrap_or_default(),
            pathway_complete: phases.iter().all(|p| p.complete),
            phases,
            items,
            next_steps,
            blocked,
            dates: record.dates().clone(),
        }
    }
}
