//! A patient's record: an append-only event log, and the state it folds to under the protocol's guards.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem};
use crate::glucose::Targets;
use crate::rules::RuleId;

use super::{
    Event, EventError, EventKind, InsuranceDecision, ItemState, Milestone, OrderChannel, Protocol,
    RecordError, Role, VisitKind,
};

/// The state of one checklist item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemStatus {
    /// The item's state.
    pub state: ItemState,
    /// When it entered that state (the `occurred_at` of the event that moved it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
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
    /// How many days it lasts.
    pub days_of_supply: u32,
}

/// The dates and facts of the record that the schedule and the rules key off. Visit dates are the latest by
/// `occurred_at`, whatever order they were recorded in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyDates {
    /// The insurance submission most recently recorded (a new submission replaces the last).
    pub insurance_submitted: Option<Timestamp>,
    /// The insurer's decision on it, if any.
    pub insurance_decision: Option<InsuranceDecision>,
    /// When the decision came.
    pub insurance_decided: Option<Timestamp>,
    /// The chosen pump.
    pub pump: Option<String>,
    /// When it was chosen (an order may not be dated before it).
    #[serde(default)]
    pub pump_chosen: Option<Timestamp>,
    /// Where it was ordered through.
    pub order_channel: Option<OrderChannel>,
    /// When it was ordered.
    pub pump_ordered: Option<Timestamp>,
    /// When insulin on the pump started.
    pub pump_started: Option<Timestamp>,
    /// When the pump was uploaded or linked to the clinic.
    pub pump_linked: Option<Timestamp>,
    /// The earliest specialist visit (a pump start recorded after it may not be dated after it).
    #[serde(default)]
    pub first_specialist_visit: Option<Timestamp>,
    /// The latest specialist visit.
    pub last_specialist_visit: Option<Timestamp>,
    /// The latest follow-up visit.
    pub last_follow_up_visit: Option<Timestamp>,
    /// The latest booking (`item_scheduled` on the specialist-visit item) for the specialist visit; the
    /// schedule counts it while it lies after the last specialist visit held.
    #[serde(default)]
    pub specialist_visit_booked: Option<Timestamp>,
    /// The latest booking (`item_scheduled` on the follow-up item, accepted even when the item is completed:
    /// follow-ups recur) for a follow-up; the schedule counts it while it lies after the last follow-up held.
    #[serde(default)]
    pub follow_up_booked: Option<Timestamp>,
    /// The latest other visit.
    pub last_other_visit: Option<Timestamp>,
    /// Every follow-up visit, oldest first.
    pub follow_up_visits: Vec<Timestamp>,
    /// The latest supplies batch.
    pub supplies: Option<SuppliesBatch>,
    /// The patient's own targets (`targets_set` events), sorted by `from`; empty: the protocol's targets. See
    /// [`Record::targets_at`].
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
    /// Who acknowledged it (the event's actor).
    pub by: Role,
}

/// How far `recorded_at` may lie ahead of the recording clock's "now" in [`Record::apply_at`]: 24 hours, for
/// clock skew between the systems that enter events. Anything later is a mistyped date (a year 2062 for 2026),
/// which would otherwise hold back every later event through the recorded-order check.
pub const MAX_RECORDED_AHEAD: SignedDuration = SignedDuration::from_hours(24);

/// What the record's events fold to: each item's status (in protocol order) and the key dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathwayState {
    items: Vec<ItemStatus>,
    /// The dates later rules need.
    pub dates: KeyDates,
}

impl PathwayState {
    fn new(protocol: &Protocol) -> PathwayState {
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

/// A patient's record on the pathway: an append-only log of [`Event`]s and the state it folds to.
///
/// Nothing is edited or deleted: a `correction` event voids an earlier event by id, and state is a fold over
/// the events that are not voided, so the same log always replays to the same state. Every event passes the
/// guards before it is appended; a rejected event leaves the record unchanged.
///
/// ```
/// use jiff::Timestamp;
/// use pumppath::pathway::{Event, EventKind, ItemState, Protocol, Record, Role};
///
/// let protocol = Protocol::standard();
/// let mut record = Record::new(protocol, "patient-1");
/// let at: Timestamp = "2026-03-02T15:00:00Z".parse()?;
/// record.apply(Event::new("e1", at, Role::ClinicStaff, EventKind::InsuranceSubmitted))?;
/// assert_eq!(record.item_state("insurance_coverage"), Some(ItemState::InProgress));
///
/// // Ordering the pump now is rejected: coverage is pending and no pump is chosen.
/// let order = EventKind::PumpOrdered { channel: pumppath::pathway::OrderChannel::Pharmacy };
/// let err = record.apply(Event::new("e2", at, Role::Supplier, order)).unwrap_err();
/// assert!(err.to_string().contains("prerequisites not done: insurance_coverage"), "{err}");
/// assert_eq!(record.events().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    patient_id: String,
    /// The record's own protocol (a shared handle): events are checked under it, and nothing can pair the
    /// record with another.
    protocol: Protocol,
    events: Vec<Event>,
    /// Event id → position in `events`.
    ids: HashMap<String, usize>,
    voided: HashSet<String>,
    /// How many events that are neither voided nor corrections were recorded at each `recorded_at`: the
    /// latest is the recorded-order bar.
    counted_recorded: BTreeMap<Timestamp, usize>,
    /// The state before `events[k]` for every k that is a multiple of [`CHECKPOINT_EVERY`], so that a
    /// correction refolds only from the checkpoint before the event it voids, not the whole log.
    checkpoints: Vec<PathwayState>,
    state: PathwayState,
}

/// How many events lie between two checkpoints of the folded state.
const CHECKPOINT_EVERY: usize = 64;

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Record", 3)?;
        s.serialize_field("patient_id", &self.patient_id)?;
        s.serialize_field("protocol_fingerprint", self.protocol.fingerprint())?;
        s.serialize_field("events", &self.events)?;
        s.end()
    }
}

impl Record {
    /// An empty record for a patient, on `protocol`.
    pub fn new(protocol: &Protocol, patient_id: impl Into<String>) -> Record {
        Record {
            patient_id: patient_id.into(),
            protocol: protocol.clone(),
            events: Vec::new(),
            ids: HashMap::new(),
            voided: HashSet::new(),
            counted_recorded: BTreeMap::new(),
            checkpoints: Vec::new(),
            state: PathwayState::new(protocol),
        }
    }

    /// Replays `events` in order through the guards; the first rejected event is the error.
    pub fn replay(
        protocol: &Protocol,
        patient_id: impl Into<String>,
        events: impl IntoIterator<Item = Event>,
    ) -> Result<Record, EventError> {
        let mut record = Record::new(protocol, patient_id);
        for event in events {
            record.append(event)?;
        }
        Ok(record)
    }

    /// Parses a record's JSON (`{"patient_id": ..., "protocol_fingerprint": ..., "events": [...]}`) and replays
    /// it under `protocol`. Unknown fields are rejected, all of them listed. The optional `protocol_fingerprint`
    /// records which protocol wrote the record; the events are re-checked under `protocol` whatever it says,
    /// which is how records move to a new protocol version.
    ///
    /// A malformed record is a [`RecordError::Malformed`] listing every problem with its path
    /// (`events[3].occurred_at`) and code; an event the guards reject is the [`EventError`] of the first one.
    pub fn from_json(protocol: &Protocol, json: &str) -> Result<Record, Error> {
        let malformed = |problems| Error::from(RecordError::Malformed { problems });
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
            malformed(vec![Problem::new("$", crate::error::json_error_code(&e), e.to_string())])
        })?;
        let Some(map) = value.as_object() else {
            return Err(malformed(vec![Problem::new(
                "$",
                "invalid_type",
                "expected an object with patient_id and events",
            )]));
        };
        let mut problems: Vec<Problem> = map
            .keys()
            .filter(|k| !matches!(k.as_str(), "patient_id" | "protocol_fingerprint" | "events"))
            .map(|k| Problem::new(k.as_str(), "unknown_field", "unknown field"))
            .collect();
        let patient_id = match map.get("patient_id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => {
                problems.push(
                    Problem::new("patient_id", "invalid_type", format!("expected a string, got {other}"))
                        .with_value(other.clone()),
                );
                String::new()
            }
            None => {
                problems.push(Problem::new("patient_id", "missing_field", "expected a string, got nothing"));
                String::new()
            }
        };
        // The saved fingerprint says which protocol wrote the record; the events are re-checked under
        // `protocol` whatever it says, so a clinic can move its records to a new protocol version.
        match map.get("protocol_fingerprint") {
            None | Some(serde_json::Value::String(_)) => {}
            Some(other) => problems.push(
                Problem::new(
                    "protocol_fingerprint",
                    "invalid_type",
                    format!("expected a string, got {other}"),
                )
                .with_value(other.clone()),
            ),
        }
        let mut events = Vec::new();
        match map.get("events") {
            Some(serde_json::Value::Array(items)) => {
                for (k, item) in items.iter().enumerate() {
                    match Event::from_value(item, &format!("events[{k}].")) {
                        Ok(e) => events.push(e),
                        Err(RecordError::Malformed { problems: more }) => problems.extend(more),
                        Err(other) => return Err(other.into()),
                    }
                }
            }
            None => problems.push(Problem::new("events", "missing_field", "expected an array of events")),
            Some(_) => problems.push(Problem::new("events", "invalid_type", "expected an array of events")),
        }
        if !problems.is_empty() {
            return Err(malformed(problems));
        }
        Ok(Record::replay(protocol, patient_id, events)?)
    }

    /// The record as JSON: `{"patient_id": ..., "protocol_fingerprint": ..., "events": [...]}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The patient's id.
    pub fn patient_id(&self) -> &str {
        &self.patient_id
    }
    /// Every event, voided ones included, in recording order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// Whether a correction voids the event with this id.
    pub fn is_voided(&self, event_id: &str) -> bool {
        self.voided.contains(event_id)
    }
    /// The folded state.
    pub fn state(&self) -> &PathwayState {
        &self.state
    }
    /// The key dates.
    pub fn dates(&self) -> &KeyDates {
        &self.state.dates
    }
    /// The state of the item with this id.
    pub fn item_state(&self, item_id: &str) -> Option<ItemState> {
        self.protocol.position(item_id).and_then(|p| self.state.status(p)).map(|s| s.state)
    }
    /// The glucose targets that apply to the patient at `at`: the latest `targets_set` change from on or before
    /// `at`, else the protocol's targets.
    pub fn targets_at(&self, at: Timestamp) -> &Targets {
        let protocol = &self.protocol;
        let changes = &self.state.dates.targets;
        let k = changes.partition_point(|c| c.from <= at);
        k.checked_sub(1).and_then(|k| changes.get(k)).map_or(&protocol.settings().targets, |c| &c.targets)
    }
    /// The prerequisites of the item with this id that are not done (completed or waived), in protocol order;
    /// empty for an unknown item. An item completed by a fact (the pump start) may have some: the rules flag
    /// them.
    pub fn unmet_prerequisites_of(&self, item_id: &str) -> Vec<String> {
        let protocol = &self.protocol;
        protocol.position(item_id).map(|p| unmet_prerequisites(protocol, &self.state, p)).unwrap_or_default()
    }
    /// The fingerprint of the record's protocol.
    pub fn protocol_fingerprint(&self) -> &str {
        self.protocol.fingerprint()
    }

    /// The record's protocol: the record carries it, so events are always checked under the right one.
    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    /// Like [`apply`](Self::apply), and also rejects an event recorded more than [`MAX_RECORDED_AHEAD`] after
    /// `now` ([`EventError::RecordedInFuture`]). Live systems record through `apply_at` with the recording
    /// clock's time (core never reads the clock); `apply` and [`replay`](Self::replay) are for logs already
    /// accepted, which carry no "now".
    pub fn apply_at(&mut self, event: Event, now: Timestamp) -> Result<(), EventError> {
        let too_far = now.checked_add(MAX_RECORDED_AHEAD).is_ok_and(|limit| event.recorded_at > limit);
        if too_far {
            return Err(EventError::RecordedInFuture {
                event_id: event.id.clone(),
                recorded_at: event.recorded_at,
                now,
            });
        }
        self.append(event)
    }

    /// Checks `event` against the guards and appends it; on error the record is unchanged.
    ///
    /// `recorded_at` never goes back past the latest `recorded_at` of the events still counted (neither voided
    /// nor corrections); a `correction` is exempt, so a mistyped date can always be voided.
    ///
    /// Errors: the [`EventError`] of the guard that rejects the event, under the record's own protocol.
    pub fn apply(&mut self, event: Event) -> Result<(), EventError> {
        self.append(event)
    }

    fn append(&mut self, event: Event) -> Result<(), EventError> {
        // A handle: cheap to clone, and it frees `self` for the fold below.
        let protocol = &self.protocol.clone();
        let id = &event.id;
        if id.trim().is_empty() {
            return Err(EventError::InvalidField {
                event_id: id.clone(),
                field: "id",
                value: id.clone(),
                problem: "must not be empty".into(),
            });
        }
        if self.ids.contains_key(id) {
            return Err(EventError::DuplicateEventId { event_id: id.clone() });
        }
        // A correction is exempt: it repairs the log, a mistyped `recorded_at` included. The bar is the latest
        // `recorded_at` of the events still counted, so voiding a mistyped year lets recording resume.
        let is_correction = matches!(event.kind, EventKind::Correction { .. });
        if !is_correction
            && let Some(&last) = self.counted_recorded.keys().next_back()
            && event.recorded_at < last
        {
            return Err(EventError::RecordedOutOfOrder {
                event_id: id.clone(),
                recorded_at: event.recorded_at,
                last_recorded_at: last,
            });
        }
        if event.occurred_at > event.recorded_at {
            return Err(EventError::OccurredAfterRecorded {
                event_id: id.clone(),
                occurred_at: event.occurred_at,
                recorded_at: event.recorded_at,
            });
        }
        check_actor(protocol, &event)?;
        if let EventKind::Correction { voids } = &event.kind {
            let target = self.ids.get(voids).copied();
            let problem = match target.and_then(|k| self.events.get(k)) {
                None => Some("no event with this id"),
                Some(e) if matches!(e.kind, EventKind::Correction { .. }) => {
                    Some("a correction cannot be voided; record the event again instead")
                }
                Some(_) if self.voided.contains(voids) => Some("it is already voided"),
                Some(_) => None,
            };
            if let Some(problem) = problem {
                return Err(EventError::CannotVoid {
                    event_id: id.clone(),
                    voids: voids.clone(),
                    problem: problem.into(),
                });
            }
            // Refold from the checkpoint before the voided event: the state before it does not change.
            let from = target.unwrap_or_default() / CHECKPOINT_EVERY;
            let mut state =
                self.checkpoints.get(from).cloned().unwrap_or_else(|| PathwayState::new(protocol));
            let mut checkpoints = Vec::new();
            for (k, e) in self.events.iter().enumerate().skip(from * CHECKPOINT_EVERY) {
                if k.is_multiple_of(CHECKPOINT_EVERY) && k > from * CHECKPOINT_EVERY {
                    checkpoints.push(state.clone());
                }
                if &e.id != voids && !self.voided.contains(&e.id) {
                    step(protocol, &mut state, e).map_err(|cause| EventError::CorrectionInvalidates {
                        event_id: id.clone(),
                        voids: voids.clone(),
                        cause: Box::new(cause),
                    })?;
                }
            }
            self.checkpoints.truncate(from + 1);
            self.checkpoints.extend(checkpoints);
            // A correction folds to nothing: the state before it is the new state.
            if self.events.len().is_multiple_of(CHECKPOINT_EVERY) {
                self.checkpoints.push(state.clone());
            }
            self.voided.insert(voids.clone());
            self.state = state;
            if let Some(e) = target.and_then(|k| self.events.get(k)) {
                uncount(&mut self.counted_recorded, e.recorded_at);
            }
        } else {
            let mut state = self.state.clone();
            step(protocol, &mut state, &event)?;
            let before = std::mem::replace(&mut self.state, state);
            if self.events.len().is_multiple_of(CHECKPOINT_EVERY) {
                self.checkpoints.push(before);
            }
            *self.counted_recorded.entry(event.recorded_at).or_default() += 1;
        }
        self.ids.insert(event.id.clone(), self.events.len());
        self.events.push(event);
        Ok(())
    }
}

/// Whether the event's actor may record its type (the protocol's `settings.recording`; item events also
/// accept the item's own role). An item event naming an unknown item is reported as such.
fn check_actor(protocol: &Protocol, event: &Event) -> Result<(), EventError> {
    let r = &protocol.settings().recording;
    let item = match &event.kind {
        EventKind::ItemStarted { item }
        | EventKind::ItemScheduled { item, .. }
        | EventKind::ItemCompleted { item }
        | EventKind::ItemWaived { item, .. }
        | EventKind::ItemReopened { item, .. }
        | EventKind::ItemPutOnHold { item, .. } => Some(item),
        _ => None,
    };
    let mut allowed: Vec<Role> = match &event.kind {
        EventKind::ItemStarted { .. }
        | EventKind::ItemScheduled { .. }
        | EventKind::ItemCompleted { .. }
        | EventKind::ItemWaived { .. }
        | EventKind::ItemReopened { .. }
        | EventKind::ItemPutOnHold { .. } => r.item_events.clone(),
        EventKind::InsuranceSubmitted => r.insurance_submitted.clone(),
        EventKind::InsuranceDecision { .. } => r.insurance_decision.clone(),
        EventKind::PumpChosen { .. } => r.pump_chosen.clone(),
        EventKind::PumpOrdered { .. } => r.pump_ordered.clone(),
        EventKind::PumpStarted => r.pump_started.clone(),
        EventKind::PumpLinked => r.pump_linked.clone(),
        EventKind::VisitHeld { .. } => r.visit_held.clone(),
        EventKind::SuppliesReceived { .. } => r.supplies_received.clone(),
        EventKind::Correction { .. } => r.correction.clone(),
        EventKind::TargetsSet { .. } => r.targets_set.clone(),
        EventKind::CgmUse { .. } => r.cgm_use.clone(),
        EventKind::ActionAcknowledged { .. } => r.action_acknowledged.clone(),
    };
    if let Some(item) = item {
        let Some(found) = protocol.item(item) else {
            return Err(EventError::UnknownItem { event_id: event.id.clone(), item: item.clone() });
        };
        if !allowed.contains(&found.role) {
            allowed.push(found.role);
        }
    }
    if allowed.contains(&event.actor) {
        Ok(())
    } else {
        Err(EventError::ActorNotAllowed {
            event_id: event.id.clone(),
            actor: event.actor,
            event_type: event.kind.name().to_owned(),
            allowed,
        })
    }
}

fn uncount(counts: &mut BTreeMap<Timestamp, usize>, at: Timestamp) {
    if let Some(n) = counts.get_mut(&at) {
        *n -= 1;
        if *n == 0 {
            counts.remove(&at);
        }
    }
}

fn later(current: Option<Timestamp>, at: Timestamp) -> Option<Timestamp> {
    Some(current.map_or(at, |c| c.max(at)))
}

/// Applies one (non-voided) event to `state`, or says why the protocol forbids it.
fn step(protocol: &Protocol, state: &mut PathwayState, event: &Event) -> Result<(), EventError> {
    let g = Guard { protocol, event };
    let at = event.occurred_at;
    match &event.kind {
        EventKind::ItemStarted { item } => g.set(state, g.item(item)?, ItemState::InProgress, None, None),
        EventKind::ItemScheduled { item, scheduled_for } => {
            let position = g.item(item)?;
            let milestone = protocol.item_at(position).and_then(|(_, i)| i.milestone);
            // Follow-ups recur: every one can be booked, so a booking on the final follow-up item is recorded
            // and leaves the item's state alone.
            let recurring = milestone == Some(Milestone::FollowUp) && g.state_of(state, position).is_final();
            if !recurring {
                g.set(state, position, ItemState::Scheduled, None, Some(*scheduled_for))?;
            }
            match milestone {
                Some(Milestone::SpecialistVisit) => {
                    state.dates.specialist_visit_booked = Some(*scheduled_for)
                }
                Some(Milestone::FollowUp) => state.dates.follow_up_booked = Some(*scheduled_for),
                _ => {}
            }
            Ok(())
        }
        EventKind::ItemCompleted { item } => {
            let position = g.item(item)?;
            g.not_event_driven(state, position)?;
            g.complete(state, position)
        }
        EventKind::ItemWaived { item, reason } => {
            let position = g.item(item)?;
            if reason.trim().is_empty() {
                return Err(g.field("reason", reason, "a waived item needs a reason"));
            }
            g.set(state, position, ItemState::Cancelled, Some(reason.clone()), None)
        }
        EventKind::ItemReopened { item, reason } => {
            let position = g.item(item)?;
            let current = g.state_of(state, position);
            if !current.is_final() {
                return Err(g.invalid(
                    position,
                    current,
                    ItemState::InProgress,
                    "only a completed or waived item can be reopened",
                ));
            }
            g.write(state, position, ItemState::InProgress, reason.clone(), None);
            Ok(())
        }
        EventKind::ItemPutOnHold { item, reason } => {
            g.set(state, g.item(item)?, ItemState::OnHold, reason.clone(), None)
        }
        EventKind::InsuranceSubmitted => {
            let position = g.milestone(Milestone::InsuranceCoverage)?;
            g.set(state, position, ItemState::InProgress, None, None)?;
            state.dates.insurance_submitted = Some(at);
            state.dates.insurance_decision = None;
            state.dates.insurance_decided = None;
            Ok(())
        }
        EventKind::InsuranceDecision { decision } => {
            let position = g.milestone(Milestone::InsuranceCoverage)?;
            let attempted = match decision {
                InsuranceDecision::Approved => ItemState::Completed,
                InsuranceDecision::Denied => ItemState::OnHold,
            };
            // A decision needs a pending submission; an approval may also overturn a denial (an appeal).
            let appeal = *decision == InsuranceDecision::Approved
                && state.dates.insurance_decision == Some(InsuranceDecision::Denied);
            if !appeal
                && (state.dates.insurance_submitted.is_none() || state.dates.insurance_decision.is_some())
            {
                let current = g.state_of(state, position);
                return Err(g.invalid(
                    position,
                    current,
                    attempted,
                    "no pending insurance submission to decide on",
                ));
            }
            g.not_before(at, "insurance_submitted", state.dates.insurance_submitted)?;
            match decision {
                InsuranceDecision::Approved => g.complete(state, position)?,
                InsuranceDecision::Denied => {
                    g.set(state, position, ItemState::OnHold, Some("insurance denied".into()), None)?
                }
            }
            state.dates.insurance_decision = Some(*decision);
            state.dates.insurance_decided = Some(at);
            Ok(())
        }
        EventKind::PumpChosen { pump } => {
            if pump.trim().is_empty() {
                return Err(g.field("pump", pump, "name the chosen pump"));
            }
            g.complete(state, g.milestone(Milestone::PumpChoice)?)?;
            state.dates.pump = Some(pump.clone());
            state.dates.pump_chosen = Some(at);
            Ok(())
        }
        EventKind::PumpOrdered { channel } => {
            let position = g.milestone(Milestone::PumpOrder)?;
            // The handout's order: coverage approved and a pump chosen, whatever a clinic's prerequisites say.
            let unmet: Vec<String> = [Milestone::InsuranceCoverage, Milestone::PumpChoice]
                .into_iter()
                .filter_map(|m| protocol.milestone_item(m))
                .filter(|item| protocol.position(&item.id).is_some_and(|p| !g.state_of(state, p).is_final()))
                .map(|item| item.id.clone())
                .collect();
            if !unmet.is_empty() {
                return Err(EventError::PrerequisitesNotMet {
                    event_id: event.id.clone(),
                    item: g.id_of(position),
                    state: g.state_of(state, position),
                    attempted: ItemState::Completed,
                    unmet,
                });
            }
            g.not_before(at, "pump_chosen", state.dates.pump_chosen)?;
            // A start may be recorded before the first order (it is a fact): the order may not be dated after
            // it. A later order (a replacement pump, after a reopening) may follow the start.
            if state.dates.pump_ordered.is_none() {
                g.not_after(at, "pump_started", state.dates.pump_started)?;
            }
            g.complete(state, position)?;
            state.dates.order_channel = Some(*channel);
            state.dates.pump_ordered = Some(at);
            Ok(())
        }
        EventKind::PumpStarted => {
            // The start is a fact, not a permission: the trainer is not clinic staff, so training and the
            // materials review are often recorded afterwards. The item completes whatever its prerequisites
            // (`Record::unmet_prerequisites_of` names the missing ones; the rules flag them).
            let position = g.milestone(Milestone::PumpStart)?;
            g.not_before(at, "pump_ordered", state.dates.pump_ordered)?;
            // A specialist visit entered before the (back-dated) first start: the start may not be after it.
            if state.dates.pump_started.is_none() {
                g.not_after(at, "visit_held", state.dates.first_specialist_visit)?;
            }
            g.set(state, position, ItemState::Completed, None, None)?;
            state.dates.pump_started = Some(at);
            Ok(())
        }
        EventKind::PumpLinked => {
            g.not_before(at, "pump_started", state.dates.pump_started)?;
            g.complete(state, g.milestone(Milestone::PumpLink)?)?;
            state.dates.pump_linked = Some(at);
            Ok(())
        }
        EventKind::VisitHeld { visit, covered } => {
            let milestone = match visit {
                VisitKind::Specialist => Some(Milestone::SpecialistVisit),
                VisitKind::FollowUp => Some(Milestone::FollowUp),
                VisitKind::Other => None,
            };
            // A specialist visit follows the pump start. Follow-up and other visits may come before it (care
            // before the pump; the schedule ignores follow-ups before the start).
            if *visit == VisitKind::Specialist {
                g.not_before(at, "pump_started", state.dates.pump_started)?;
            }
            // A visit is a fact: its date is always recorded. It completes its milestone item only when that
            // item's prerequisites are done (a follow-up held before the specialist visit still counts as a
            // follow-up for the schedule).
            if let Some(m) = milestone {
                let position = g.milestone(m)?;
                if !g.state_of(state, position).is_final() && g.unmet(state, position).is_empty() {
                    g.complete(state, position)?;
                }
            }
            // Covered items complete likewise; one whose prerequisites are not done stays open (the event keeps
            // the list, and the item can be completed once they are).
            for item in covered {
                let position = g.item(item)?;
                g.not_event_driven(state, position)?;
                if !g.state_of(state, position).is_final() && g.unmet(state, position).is_empty() {
                    g.complete(state, position)?;
                }
            }
            let d = &mut state.dates;
            match visit {
                VisitKind::Specialist => {
                    d.last_specialist_visit = later(d.last_specialist_visit, at);
                    d.first_specialist_visit = Some(d.first_specialist_visit.map_or(at, |t| t.min(at)));
                }
                VisitKind::FollowUp => {
                    d.last_follow_up_visit = later(d.last_follow_up_visit, at);
                    let k = d.follow_up_visits.partition_point(|t| *t <= at);
                    d.follow_up_visits.insert(k, at);
                }
                VisitKind::Other => d.last_other_visit = later(d.last_other_visit, at),
            }
            Ok(())
        }
        EventKind::SuppliesReceived { days_of_supply } => {
            let max = protocol.settings().schedule.supplies_batch_max_days;
            if *days_of_supply == 0 || *days_of_supply > max {
                let problem =
                    format!("must be between 1 and {max} days (settings.schedule.supplies_batch_max_days)");
                return Err(g.field("days_of_supply", days_of_supply, &problem));
            }
            let batch = SuppliesBatch { received_at: at, days_of_supply: *days_of_supply };
            if state.dates.supplies.is_none_or(|b| b.received_at <= at) {
                state.dates.supplies = Some(batch);
            }
            Ok(())
        }
        // Corrections are applied by `Record::apply` through a fold that skips what they void.
        EventKind::Correction { .. } => Ok(()),
        EventKind::TargetsSet { targets } => {
            let change = TargetsChange { from: at, targets: targets.clone(), event_id: event.id.clone() };
            // Sorted by `from`; of changes from the same instant, the one recorded last applies.
            let k = state.dates.targets.partition_point(|c| c.from <= at);
            state.dates.targets.insert(k, change);
            Ok(())
        }
        EventKind::CgmUse { wears_cgm } => {
            let d = &mut state.dates;
            if d.cgm_use_since.is_none_or(|since| since <= at) {
                d.wears_cgm = Some(*wears_cgm);
                d.cgm_use_since = Some(at);
            }
            Ok(())
        }
        EventKind::ActionAcknowledged { rule, item, until } => {
            if let Some(item) = item {
                g.item(item)?;
            }
            let ack = Acknowledgement {
                event_id: event.id.clone(),
                rule: *rule,
                item: item.clone(),
                until: *until,
                at,
                by: event.actor,
            };
            let k = state.dates.acknowledgements.partition_point(|a| a.at <= at);
            state.dates.acknowledgements.insert(k, ack);
            Ok(())
        }
    }
}

/// The guards, for one event.
struct Guard<'a> {
    protocol: &'a Protocol,
    event: &'a Event,
}

impl Guard<'_> {
    fn item(&self, id: &str) -> Result<usize, EventError> {
        self.protocol
            .position(id)
            .ok_or_else(|| EventError::UnknownItem { event_id: self.event.id.clone(), item: id.to_owned() })
    }

    fn milestone(&self, milestone: Milestone) -> Result<usize, EventError> {
        self.protocol
            .milestone_item(milestone)
            .and_then(|item| self.protocol.position(&item.id))
            .ok_or(EventError::NoMilestoneItem { event_id: self.event.id.clone(), milestone })
    }

    fn id_of(&self, position: usize) -> String {
        self.protocol.item_at(position).map(|(_, i)| i.id.clone()).unwrap_or_default()
    }

    fn state_of(&self, state: &PathwayState, position: usize) -> ItemState {
        state.status(position).map(|s| s.state).unwrap_or_default()
    }

    fn field(&self, field: &'static str, value: impl std::fmt::Display, problem: &str) -> EventError {
        EventError::InvalidField {
            event_id: self.event.id.clone(),
            field,
            value: value.to_string(),
            problem: problem.into(),
        }
    }

    /// The event may not have occurred before `other` (the milestone it depends on), when that is recorded.
    fn not_before(&self, at: Timestamp, other: &str, other_at: Option<Timestamp>) -> Result<(), EventError> {
        match other_at {
            Some(o) if at < o => Err(self.out_of_order(other, o)),
            _ => Ok(()),
        }
    }

    /// The event may not have occurred after `other` (a milestone that depends on it, recorded first).
    fn not_after(&self, at: Timestamp, other: &str, other_at: Option<Timestamp>) -> Result<(), EventError> {
        match other_at {
            Some(o) if at > o => Err(self.out_of_order(other, o)),
            _ => Ok(()),
        }
    }

    fn out_of_order(&self, other: &str, other_at: Timestamp) -> EventError {
        EventError::OccurredOutOfOrder {
            event_id: self.event.id.clone(),
            event_type: self.event.kind.name().to_owned(),
            occurred_at: self.event.occurred_at,
            other_event_type: other.to_owned(),
            other_occurred_at: other_at,
        }
    }

    fn invalid(&self, position: usize, state: ItemState, attempted: ItemState, reason: &str) -> EventError {
        EventError::InvalidTransition {
            event_id: self.event.id.clone(),
            item: self.id_of(position),
            state,
            attempted,
            reason: reason.into(),
        }
    }

    /// Moves a non-final item to `to`.
    fn set(
        &self,
        state: &mut PathwayState,
        position: usize,
        to: ItemState,
        reason: Option<String>,
        scheduled_for: Option<Timestamp>,
    ) -> Result<(), EventError> {
        let current = self.state_of(state, position);
        if current.is_final() {
            return Err(EventError::FinalState {
                event_id: self.event.id.clone(),
                item: self.id_of(position),
                state: current,
                attempted: to,
            });
        }
        self.write(state, position, to, reason, scheduled_for);
        Ok(())
    }

    /// Completes a non-final item whose prerequisites are all done.
    fn complete(&self, state: &mut PathwayState, position: usize) -> Result<(), EventError> {
        let current = self.state_of(state, position);
        if !current.is_final() {
            let unmet = self.unmet(state, position);
            if !unmet.is_empty() {
                return Err(EventError::PrerequisitesNotMet {
                    event_id: self.event.id.clone(),
                    item: self.id_of(position),
                    state: current,
                    attempted: ItemState::Completed,
                    unmet,
                });
            }
        }
        self.set(state, position, ItemState::Completed, None, None)
    }

    /// Items whose completion an event of its own records (so that its date and guards are never skipped)
    /// cannot be completed by `item_completed` or a visit's `covered` list.
    fn not_event_driven(&self, state: &PathwayState, position: usize) -> Result<(), EventError> {
        let Some((_, item)) = self.protocol.item_at(position) else {
            return Ok(());
        };
        let event = match item.milestone {
            Some(Milestone::InsuranceCoverage) => "insurance_decision",
            Some(Milestone::PumpChoice) => "pump_chosen",
            Some(Milestone::PumpOrder) => "pump_ordered",
            Some(Milestone::PumpStart) => "pump_started",
            Some(Milestone::PumpLink) => "pump_linked",
            // A visit recorded before its item's prerequisites were done (a back-dated pump start, say) left
            // the item open: once such a visit is on record, the item may be completed by hand.
            Some(Milestone::SpecialistVisit) if state.dates.last_specialist_visit.is_some() => return Ok(()),
            Some(Milestone::FollowUp) if state.dates.last_follow_up_visit.is_some() => return Ok(()),
            Some(Milestone::SpecialistVisit | Milestone::FollowUp) => "visit_held",
            _ => return Ok(()),
        };
        let current = self.state_of(state, position);
        Err(self.invalid(
            position,
            current,
            ItemState::Completed,
            &format!("record the {event} event, which also records its date"),
        ))
    }

    fn unmet(&self, state: &PathwayState, position: usize) -> Vec<String> {
        unmet_prerequisites(self.protocol, state, position)
    }

    fn write(
        &self,
        state: &mut PathwayState,
        position: usize,
        to: ItemState,
        reason: Option<String>,
        scheduled_for: Option<Timestamp>,
    ) {
        if let Some(status) = state.items.get_mut(position) {
            *status = ItemStatus {
                state: to,
                since: Some(self.event.occurred_at),
                event_id: Some(self.event.id.clone()),
                reason,
                scheduled_for,
            };
        }
    }
}

/// The prerequisites of the item at `position` that are not done, in protocol order.
pub(crate) fn unmet_prerequisites(protocol: &Protocol, state: &PathwayState, position: usize) -> Vec<String> {
    let Some((_, item)) = protocol.item_at(position) else {
        return Vec::new();
    };
    item.prerequisites
        .iter()
        .filter(|pre| {
            protocol.position(pre).and_then(|p| state.status(p)).is_none_or(|s| !s.state.is_final())
        })
        .cloned()
        .collect()
}
