//! The state a record's events fold to: each item's status and the key dates.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::glucose::Targets;
use crate::rules::RuleId;

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
pub struct SuppliesBatch {
    /// When it arrived.
    pub received_at: Timestamp,
    /// The civil date it arrived on, when entered as a date (`occurred_on`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_on: Option<Date>,
    /// How many days it lasts.
    pub days_of_supply: u32,
}

/// When a key date happened: the instant the guards use, and the civil date when its event was entered as a
/// date (`occurred_on`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct When {
    /// The event's `occurred_at` (for a date-only event, the date's noon UTC).
    pub at: Timestamp,
    /// The event's `occurred_on`, when it was entered as a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
}

impl When {
    /// Its date in a clinic zone: the civil date when entered as one, else the instant's local date.
    pub fn date_in(self, zone: &jiff::tz::TimeZone) -> Date {
        local_date(self.at, self.on, zone)
    }
}

/// The clinic-local date of a key date: `on` (the date of an event entered as a date) when given, else the date
/// of `at` in `zone`. A date-only event keeps its date in every zone.
pub fn local_date(at: Timestamp, on: Option<Date>, zone: &jiff::tz::TimeZone) -> Date {
    on.unwrap_or_else(|| zone.to_datetime(at).date())
}

/// The dates and facts of the record that the schedule and the rules key off. Visit dates are the latest by
/// `occurred_at`, whatever order they were recorded in.
///
/// Every key date is an instant (the event's `occurred_at`, which the guards order by), with beside it an
/// `…_on` civil date when its event was entered as a date (`occurred_on`; the instant is then the date's noon
/// UTC). Turn a key date into a clinic-local date with [`local_date`]`(at, on, zone)`: the civil date when there
/// is one, so a visit typed as 4 March is 4 March in every zone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyDates {
    /// The insurance submission most recently recorded (a new submission replaces the last).
    pub insurance_submitted: Option<Timestamp>,
    /// The civil date of `insurance_submitted`, when the submission was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `insurance_submitted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance_submitted_on: Option<Date>,
    /// The insurer's decision on it, if any.
    pub insurance_decision: Option<InsuranceDecision>,
    /// When the decision came.
    pub insurance_decided: Option<Timestamp>,
    /// The civil date of `insurance_decided`, when the decision was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `insurance_decided`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance_decided_on: Option<Date>,
    /// The chosen pump.
    pub pump: Option<String>,
    /// When it was chosen (an order may not be dated before it).
    #[serde(default)]
    pub pump_chosen: Option<Timestamp>,
    /// The civil date of `pump_chosen`, when the choice was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `pump_chosen`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pump_chosen_on: Option<Date>,
    /// Where it was ordered through.
    pub order_channel: Option<OrderChannel>,
    /// When it was ordered.
    pub pump_ordered: Option<Timestamp>,
    /// The civil date of `pump_ordered`, when the order was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `pump_ordered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pump_ordered_on: Option<Date>,
    /// When insulin on the pump started.
    pub pump_started: Option<Timestamp>,
    /// The civil date of `pump_started`, when the start was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `pump_started`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pump_started_on: Option<Date>,
    /// When the pump was uploaded or linked to the clinic.
    pub pump_linked: Option<Timestamp>,
    /// The civil date of `pump_linked`, when the link was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `pump_linked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pump_linked_on: Option<Date>,
    /// The earliest specialist visit (a pump start recorded after it may not be dated after it).
    #[serde(default)]
    pub first_specialist_visit: Option<Timestamp>,
    /// The civil date of `first_specialist_visit`, when that visit was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `first_specialist_visit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_specialist_visit_on: Option<Date>,
    /// The latest specialist visit.
    pub last_specialist_visit: Option<Timestamp>,
    /// The civil date of `last_specialist_visit`, when that visit was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `last_specialist_visit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_specialist_visit_on: Option<Date>,
    /// The latest follow-up visit.
    pub last_follow_up_visit: Option<Timestamp>,
    /// The civil date of `last_follow_up_visit`, when that visit was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `last_follow_up_visit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_follow_up_visit_on: Option<Date>,
    /// The latest booking (`item_scheduled` on the specialist-visit item) for the specialist visit; the
    /// schedule counts it while it lies after the last specialist visit held.
    #[serde(default)]
    pub specialist_visit_booked: Option<When>,
    /// The latest booking (`item_scheduled` on the follow-up item, accepted even when the item is completed:
    /// follow-ups recur) for a follow-up; the schedule counts it while it lies after the last follow-up held.
    #[serde(default)]
    pub follow_up_booked: Option<When>,
    /// The latest other visit.
    pub last_other_visit: Option<Timestamp>,
    /// The civil date of `last_other_visit`, when that visit was entered as a date (`occurred_on`): its clinic-local date in
    /// every zone (else the local date of `last_other_visit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_other_visit_on: Option<Date>,
    /// Every follow-up visit, oldest first (by instant).
    pub follow_up_visits: Vec<When>,
    /// The latest supplies batch.
    pub supplies: Option<SuppliesBatch>,
    /// The patient's own targets (`targets_set` events), sorted by `from`; empty: the protocol's targets. See
    /// [`Record::targets_at`](super::Record::targets_at).
    #[serde(default)]
    pub targets: Vec<TargetsChange>,
    /// Whether the patient wears a CGM, from the latest `cgm_use` by `occurred_at`; `None`: not on record.
    #[serde(default)]
    pub wears_cgm: Option<bool>,
    /// When that latest `cgm_use` occurred.
    #[serde(default)]
    pub cgm_use_since: Option<Timestamp>,
    /// Every acknowledgement of an action (`action_acknowledged`), in occurred order.
    #[serde(default)]
    pub acknowledgements: Vec<Acknowledgement>,
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
    /// When it was acknowledged (the event's `occurred_at`).
    pub at: Timestamp,
    /// The date it was acknowledged on, when the event was entered as a date (`occurred_on`): the rules then
    /// count from that clinic-local date, not from the instant standing in for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
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
