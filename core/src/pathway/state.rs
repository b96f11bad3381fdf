//! The state a record's events fold to: each item's status and the key dates.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::glucose::Targets;
use crate::rule_id::RuleId;

use super::{InsuranceDecision, ItemState, OrderChannel, Protocol, Role};

/// The state of one checklist item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemStatus {
    /// The item's state.
    pub state: ItemState,
    /// When it entered that state (the `occurred_at` of the event that moved it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    /// The civil date it entered that state on, when that event was entered as a date (`occurred_on`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_on: Option<Date>,
    /// The id of that event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Why it is waived or on hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it is scheduled for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<Timestamp>,
}

/// A batch of supplies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppliesBatch {
    /// When it arrived.
    pub received: When,
    /// How many days it lasts.
    pub days_of_supply: u32,
}

/// When a key date happened: the instant the guards use, and the civil date when its event was entered as a
/// date (`occurred_on`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// The event's `occurred_at` (for a date-only event, the date's noon UTC).
    pub at: Timestamp,
    /// The event's `occurred_on`, when it was entered as a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
}

impl When {
    /// Its date in a clinic zone: the civil date when entered as one, else the instant's local date. A
    /// date-only event keeps its date in every zone.
    pub fn date_in(self, zone: &jiff::tz::TimeZone) -> Date {
        self.on.unwrap_or_else(|| zone.to_datetime(self.at).date())
    }

    /// The later of `current` and `self`; of equal instants, `self` (the one recorded last).
    fn or_earlier(self, current: Option<When>) -> When {
        match current {
            Some(c) if c.at > self.at => c,
            _ => self,
        }
    }
}

/// The dates and facts of the record that the schedule and the rules key off, each a [`When`]: the instant the
/// guards order by (the event's `occurred_at`) and, for an event entered as a date, that civil date, which
/// [`When::date_in`] keeps in every clinic zone (a visit typed as 4 March is 4 March everywhere). Visit dates
/// are the latest by instant, whatever order they were recorded in.
///
/// The lists that grow with the record (follow-up visits, targets changes, acknowledgements) are not here but
/// on the [`Record`](super::Record), which keeps them indexed so that loading stays linear.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDates {
    /// The insurance submission most recently recorded (a new submission replaces the last).
    pub insurance_submitted: Option<When>,
    /// The insurer's decision on it, if any.
    pub insurance_decision: Option<InsuranceDecision>,
    /// When the decision came.
    pub insurance_decided: Option<When>,
    /// The chosen pump.
    pub pump: Option<String>,
    /// When it was chosen (an order may not be dated before it).
    pub pump_chosen: Option<When>,
    /// Where it was ordered through.
    pub order_channel: Option<OrderChannel>,
    /// When it was ordered.
    pub pump_ordered: Option<When>,
    /// When insulin on the pump started.
    pub pump_started: Option<When>,
    /// When the pump was uploaded or linked to the clinic.
    pub pump_linked: Option<When>,
    /// The earliest specialist visit (a pump start recorded after it may not be dated after it).
    pub first_specialist_visit: Option<When>,
    /// The latest specialist visit.
    pub last_specialist_visit: Option<When>,
    /// The latest follow-up visit.
    pub last_follow_up_visit: Option<When>,
    /// The latest booking (`item_scheduled` on the specialist-visit item) for the specialist visit; the
    /// schedule counts it while it lies after the last specialist visit held.
    pub specialist_visit_booked: Option<When>,
    /// The latest booking (`item_scheduled` on the follow-up item, accepted even when the item is completed:
    /// follow-ups recur) for a follow-up; the schedule counts it while it lies after the last follow-up held.
    pub follow_up_booked: Option<When>,
    /// The latest other visit.
    pub last_other_visit: Option<When>,
    /// The latest supplies batch.
    pub supplies: Option<SuppliesBatch>,
    /// Whether the patient wears a CGM, from the latest `cgm_use` by `occurred_at`; `None`: not on record.
    pub wears_cgm: Option<bool>,
    /// When that latest `cgm_use` occurred.
    pub cgm_use_since: Option<When>,
}

/// Sets `slot` to the later of it and `when` (of equal instants, `when`, the one recorded last).
pub(crate) fn keep_later(slot: &mut Option<When>, when: When) {
    *slot = Some(when.or_earlier(*slot));
}

/// A change of the patient's glucose targets: from `from` on, the rules judge against `targets`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetsChange {
    /// When they apply from (the event's `occurred_at`).
    pub from: Timestamp,
    /// The targets.
    pub targets: Targets,
    /// The `targets_set` event's id, for the evidence.
    pub event_id: String,
}

/// A clinician's acknowledgement of an action, which the rules use to quiet it (and show it as acknowledged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// The `action_acknowledged` event's id.
    pub event_id: String,
    /// The rule acknowledged.
    pub rule: RuleId,
    /// The item the action is about, when given.
    pub item: Option<String>,
    /// Quiet until this clinic-local date (inclusive), when given.
    pub until: Option<Date>,
    /// When it was acknowledged (the event's `occurred_at`, and its date when entered as one: the rules then
    /// count from that clinic-local date, not from the instant standing in for it).
    pub acknowledged: When,
    /// Who acknowledged it (the event's actor).
    pub by: Role,
}

/// What the record's events fold to: each item's status (in protocol order) and the key dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathwayState {
    pub(crate) items: Vec<ItemStatus>,
    /// The dates later rules need.
    pub dates: KeyDates,
}

impl PathwayState {
    pub(crate) fn new(protocol: &Protocol) -> PathwayState {
        PathwayState { items: vec![ItemStatus::default(); protocol.item_count()], dates: KeyDates::default() }
    }

    /// Every item's status, in protocol order (the order of [`Protocol::items`]).
    pub fn items(&self) -> &[ItemStatus] {
        &self.items
    }

    pub(crate) fn status(&self, position: usize) -> Option<&ItemStatus> {
        self.items.get(position)
    }
}
