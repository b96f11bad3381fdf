//! A patient's record: an append-only event log, its replay and checkpoints, and its JSON.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::glucose::Targets;
use crate::problem::{Problem, ProblemCode};

use super::guards::{check_actor, step, unmet_prerequisites};
use super::{
    Acknowledgement, Event, EventError, EventKind, FieldProblem, ItemState, KeyDates, Occurred, PathwayState,
    Protocol, RecordError, Role, TargetsChange, VisitKind, VoidProblem, When,
};

/// How far `recorded_at` may lie ahead of the recording clock's "now" in [`Record::apply_at`]: 24 hours, for
/// clock skew between the systems that enter events. Anything later is a mistyped date (a year 2062 for 2026),
/// which would otherwise hold back every later event through the recorded-order check.
pub const MAX_RECORDED_AHEAD: SignedDuration = SignedDuration::from_hours(24);
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
    /// Whether a correction voids `events[k]`.
    voided: Vec<bool>,
    /// How many events that are neither voided nor corrections were recorded at each `recorded_at`: the
    /// latest is the recorded-order bar.
    counted_recorded: BTreeMap<Timestamp, usize>,
    /// The state before `events[k]` for every k that is a multiple of [`CHECKPOINT_EVERY`] (folded over the
    /// events not voided), so that a correction refolds from the checkpoint before the event it voids, and
    /// stops as soon as the refold meets a checkpoint it does not change.
    checkpoints: Vec<PathwayState>,
    state: PathwayState,
    /// The latest `recorded_at` of any event, corrections included.
    latest_recorded: Option<Timestamp>,
    /// The lists that grow with the record, outside the fold: a state of bounded size is what makes
    /// appending, checkpoints and corrections cost the same at event 100,000 as at event 10.
    history: History,
}

/// The record's lists, each keyed by (occurred instant, position in the log): ordered by instant, and of
/// equal instants by recording order, so the one recorded last applies; a correction removes its entry in
/// O(log n).
#[derive(Clone, Debug, Default, PartialEq)]
struct History {
    follow_up_visits: BTreeMap<(Timestamp, usize), When>,
    targets: BTreeMap<(Timestamp, usize), TargetsChange>,
    acknowledgements: BTreeMap<(Timestamp, usize), Acknowledgement>,
}

impl History {
    fn add(&mut self, position: usize, event: &Event) {
        let key = (event.occurred_at, position);
        let when = When { at: event.occurred_at, on: event.occurred_on };
        match &event.kind {
            EventKind::VisitHeld { visit: VisitKind::FollowUp, .. } => {
                self.follow_up_visits.insert(key, when);
            }
            EventKind::TargetsSet { targets } => {
                let change =
                    TargetsChange { from: when.at, targets: targets.clone(), event_id: event.id.clone() };
                self.targets.insert(key, change);
            }
            EventKind::ActionAcknowledged { rule, item, until } => {
                let ack = Acknowledgement {
                    event_id: event.id.clone(),
                    rule: *rule,
                    item: item.clone(),
                    until: *until,
                    acknowledged: when,
                    by: event.actor,
                };
                self.acknowledgements.insert(key, ack);
            }
            _ => {}
        }
    }

    fn remove(&mut self, position: usize, event: &Event) {
        let key = (event.occurred_at, position);
        self.follow_up_visits.remove(&key);
        self.targets.remove(&key);
        self.acknowledgements.remove(&key);
    }
}

/// Reads a record's JSON straight into a record, each event appended as it is read (no list of events is
/// held beside the record). A rejected event stops the reading with its error in `rejected`; any other
/// problem stops it too, and the caller reads the text again to list every problem.
struct RecordSeed<'a> {
    record: &'a mut Record,
    rejected: &'a mut Option<RecordError>,
    root: &'a str,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut patient_id, mut fingerprint, mut events) = (false, false, false);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let seen = match key.as_ref() {
                "patient_id" => {
                    self.record.patient_id = map.next_value()?;
                    &mut patient_id
                }
                // Read so that a wrong type is an error; the protocol given is the one that counts.
                "protocol_fingerprint" => {
                    map.next_value::<Option<String>>()?;
                    &mut fingerprint
                }
                "events" => {
                    map.next_value_seed(EventsSeed {
                        record: &mut *self.record,
                        rejected: &mut *self.rejected,
                        root: self.root,
                    })?;
                    &mut events
                }
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["patient_id", "protocol_fingerprint", "events"],
                    ));
                }
            };
            if std::mem::replace(seen, true) {
                return Err(de::Error::custom("a key given twice"));
            }
        }
        match (patient_id, events) {
            (true, true) => Ok(()),
            (false, _) => Err(de::Error::missing_field("patient_id")),
            (_, false) => Err(de::Error::missing_field("events")),
        }
    }
}

struct EventsSeed<'a> {
    record: &'a mut Record,
    rejected: &'a mut Option<RecordError>,
    root: &'a str,
}

impl<'de> DeserializeSeed<'de> for EventsSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EventsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of events")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        while let Some(event) = seq.next_element::<Event>()? {
            if let Err(source) = self.record.append(event) {
                let path = format!("{}.events[{index}]", self.root);
                *self.rejected = Some(RecordError::EventRejected { path, source: Box::new(source) });
                return Err(de::Error::custom("an event is rejected"));
            }
            index += 1;
        }
        Ok(())
    }
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

/// A record's JSON, as read to list the problems of one that does not load (the fields of [`RecordSeed`]): the
/// saved `protocol_fingerprint` says which protocol wrote it (the events are re-checked under the protocol
/// given, whatever it says).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordWire<E> {
    #[allow(dead_code)] // Read for its problems only: the fast path takes the id.
    patient_id: String,
    #[serde(default)]
    #[allow(dead_code)]
    // Read so that a wrong type is an error; the protocol given is the one that counts.
    protocol_fingerprint: Option<String>,
    events: Vec<E>,
}

impl Record {
    /// An empty record for a patient, on `protocol`.
    pub fn new(protocol: &Protocol, patient_id: impl Into<String>) -> Record {
        Record {
            patient_id: patient_id.into(),
            protocol: protocol.clone(),
            events: Vec::new(),
            ids: HashMap::new(),
            voided: Vec::new(),
            counted_recorded: BTreeMap::new(),
            checkpoints: Vec::new(),
            state: PathwayState::new(protocol),
            latest_recorded: None,
            history: History::default(),
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
    /// (`$.events[3].occurred_at`) and code; an event the guards reject is a [`RecordError::EventRejected`]
    /// naming its position (`$.events[7]`) and the guard's [`EventError`].
    ///
    /// Loading is linear in the number of events, corrections included; a valid record is read straight from
    /// its text.
    pub fn from_json(protocol: &Protocol, json: &str) -> Result<Record, RecordError> {
        Record::read(protocol, json, "$")
    }

    /// [`from_json`](Self::from_json) for a record at `root` of a larger document (`$.record`).
    pub(crate) fn read(protocol: &Protocol, json: &str, root: &str) -> Result<Record, RecordError> {
        let mut record = Record::new(protocol, String::new());
        // Sized once from the text (every event has one `recorded_at`): growing by doubling would double the
        // peak memory of a long record.
        let events = json.matches("\"recorded_at\"").count();
        record.events.reserve_exact(events);
        record.voided.reserve_exact(events);
        record.ids.reserve(events);
        let mut rejected = None;
        let mut de = serde_json::Deserializer::from_str(json);
        let read = RecordSeed { record: &mut record, rejected: &mut rejected, root }
            .deserialize(&mut de)
            .and_then(|()| de.end());
        match (read, rejected) {
            (Ok(()), _) => Ok(record),
            (Err(_), Some(rejected)) => Err(rejected),
            (Err(_), None) => Err(RecordError::Malformed { problems: Record::problems_of(json, root) }),
        }
    }

    /// Every problem of a record's JSON that does not read: the wrapper's (every unknown field, the first
    /// other problem) and each event's.
    fn problems_of(json: &str, root: &str) -> Vec<Problem> {
        let value = match crate::fields::parse(json, root) {
            Ok(value) => value,
            Err(problems) => return problems,
        };
        // The events are read even when the wrapper has a problem, so that theirs are listed too.
        let raw_events = value.get("events").and_then(|e| e.as_array()).cloned().unwrap_or_default();
        let (wire, mut problems) =
            crate::fields::read_past_unknown::<RecordWire<serde_json::Value>>(value, root);
        let events = wire.map_or(raw_events, |w| w.events);
        for (k, item) in events.into_iter().enumerate() {
            if let Err(more) = Event::from_value(item, &format!("{root}.events[{k}]")) {
                problems.extend(more);
            }
        }
        if problems.is_empty() {
            // The fast path refused what the slow one accepts: say so rather than load half a record.
            problems.push(Problem::new(root, ProblemCode::InvalidJson, "the record could not be read"));
        }
        problems
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
        self.ids.get(event_id).is_some_and(|&k| self.voided.get(k).copied().unwrap_or(false))
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
        let latest = self.history.targets.range(..=(at, usize::MAX)).next_back();
        latest.map_or(&self.protocol.settings().targets, |(_, c)| &c.targets)
    }
    /// Every follow-up visit held, oldest first (by instant; of equal instants, in recording order).
    pub fn follow_up_visits(&self) -> impl DoubleEndedIterator<Item = &When> + '_ {
        self.history.follow_up_visits.values()
    }
    /// The patient's own targets (`targets_set` events) in the order they apply (by `from`; of equal `from`,
    /// the one recorded last applies). None: the protocol's targets. See [`targets_at`](Self::targets_at).
    pub fn targets_changes(&self) -> impl DoubleEndedIterator<Item = &TargetsChange> + '_ {
        self.history.targets.values()
    }
    /// Every acknowledgement of an action (`action_acknowledged`), in occurred order.
    pub fn acknowledgements(&self) -> impl DoubleEndedIterator<Item = &Acknowledgement> + '_ {
        self.history.acknowledgements.values()
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

    /// Enters an event in one call, as a clinic does, back-dated or not: the record gives it the next free id
    /// (`e1`, `e2`, ..., skipping ids in use) and `recorded_at = now`, and checks it like
    /// [`apply_at`](Self::apply_at). `occurred` is an instant ([`Occurred::At`]) or, for things entered as dates,
    /// a civil date ([`Occurred::On`]). Returns the event as recorded; on error the record is unchanged.
    ///
    /// ```
    /// use jiff::Timestamp;
    /// use pumppath::pathway::{EventKind, Occurred, Protocol, Record, Role};
    ///
    /// let mut record = Record::new(Protocol::standard(), "patient-1");
    /// let now: Timestamp = "2026-03-09T10:00:00Z".parse()?;
    /// // Submitted a week ago, entered today.
    /// let event = record.enter(EventKind::InsuranceSubmitted, Role::ClinicStaff,
    ///                          Occurred::On("2026-03-02".parse()?), now)?;
    /// assert_eq!((event.id.as_str(), event.recorded_at), ("e1", now));
    /// assert_eq!(record.dates().insurance_submitted.and_then(|w| w.on).map(|d| d.to_string()).as_deref(), Some("2026-03-02"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enter(
        &mut self,
        kind: EventKind,
        actor: Role,
        occurred: Occurred,
        now: Timestamp,
    ) -> Result<&Event, EventError> {
        let id = self.next_id();
        let event = match occurred {
            Occurred::At(at) => Event::new(id, now, actor, kind).occurred(at),
            Occurred::On(date) => Event::new(id, now, actor, kind).occurred_on(date),
        };
        let position = self.events.len();
        self.apply_at(event, now)?;
        // `apply_at` appended it at `position`.
        Ok(&self.events[position])
    }

    /// Refuses a record with an event recorded more than [`MAX_RECORDED_AHEAD`] after `now`: a mistyped date
    /// (a year 2062 for 2026) must not count as done. The error names the event's position
    /// ([`RecordError::EventRejected`] at `$.events[k]`, problem `$.events[k].recorded_at`). Every door that
    /// knows a clock ([`evaluate`](crate::rules::evaluate), the request documents, the work-list) checks it.
    pub fn check_recorded_by(&self, now: Timestamp) -> Result<(), RecordError> {
        let Ok(limit) = now.checked_add(MAX_RECORDED_AHEAD) else { return Ok(()) };
        if self.latest_recorded.is_none_or(|latest| latest <= limit) {
            return Ok(());
        }
        let found = self.events.iter().enumerate().find(|(_, e)| e.recorded_at > limit);
        match found {
            Some((k, e)) => Err(RecordError::EventRejected {
                path: format!("$.events[{k}]"),
                source: Box::new(EventError::RecordedInFuture {
                    event_id: e.id.clone(),
                    recorded_at: e.recorded_at,
                    now,
                }),
            }),
            None => Ok(()),
        }
    }

    /// The record as it stood at `now`: without the events recorded after it (and the corrections of them),
    /// which an assessment at `now` must not count. Borrowed when there are none (the usual case); otherwise
    /// the earlier events are replayed. The second part lists the ids of the events left out, in log order.
    pub fn as_of(&self, now: Timestamp) -> (Cow<'_, Record>, Vec<String>) {
        if self.latest_recorded.is_none_or(|latest| latest <= now) {
            return (Cow::Borrowed(self), Vec::new());
        }
        let mut record = Record::new(&self.protocol, self.patient_id.clone());
        let mut left_out = Vec::new();
        for e in &self.events {
            // A later event is left out, and so is one that needed it (a correction of it, say).
            if e.recorded_at > now || record.append(e.clone()).is_err() {
                left_out.push(e.id.clone());
            }
        }
        (Cow::Owned(record), left_out)
    }

    /// The first id `e{n}` not in use, from n = the number of events + 1.
    fn next_id(&self) -> String {
        (self.events.len() + 1..)
            .map(|n| format!("e{n}"))
            .find(|id| !self.ids.contains_key(id))
            .unwrap_or_default()
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
                problem: FieldProblem::Empty,
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
        // An event entered as a date stands for the date's noon UTC; any other pairing is a hand-built mistake.
        if let Some(on) = event.occurred_on
            && Occurred::On(on).instant() != Some(event.occurred_at)
        {
            let problem = match Occurred::On(on).instant() {
                None => FieldProblem::DateOutOfRange,
                Some(noon) => FieldProblem::NotTheDatesNoon { noon },
            };
            return Err(EventError::InvalidField {
                event_id: id.clone(),
                field: "occurred_on",
                value: on.to_string(),
                problem,
            });
        }
        // A date-only event may be recorded from the first moment of its date anywhere (00:00 at UTC+14).
        if event.when().earliest().is_some_and(|earliest| earliest > event.recorded_at) {
            return Err(EventError::OccurredAfterRecorded {
                event_id: id.clone(),
                occurred_at: event.occurred_at,
                recorded_at: event.recorded_at,
            });
        }
        check_actor(protocol, &event)?;
        let position = self.events.len();
        if let EventKind::Correction { voids } = &event.kind {
            let target = self.ids.get(voids).copied();
            let problem = match target.and_then(|k| self.events.get(k)) {
                None => Some(VoidProblem::UnknownEvent),
                Some(e) if matches!(e.kind, EventKind::Correction { .. }) => {
                    Some(VoidProblem::VoidsACorrection)
                }
                Some(_) if target.is_some_and(|k| self.voided[k]) => Some(VoidProblem::AlreadyVoided),
                Some(_) => None,
            };
            let (Some(target), None) = (target, problem) else {
                let problem = problem.unwrap_or(VoidProblem::UnknownEvent);
                return Err(EventError::CannotVoid { event_id: id.clone(), voids: voids.clone(), problem });
            };
            self.refold_without(target, id)?;
            self.voided[target] = true;
            let voided = &self.events[target];
            self.history.remove(target, voided);
            uncount(&mut self.counted_recorded, voided.recorded_at);
            // A correction folds to nothing: the state before it is the state after it.
            if position.is_multiple_of(CHECKPOINT_EVERY) {
                self.checkpoints.push(self.state.clone());
            }
        } else {
            // `step` is all or nothing, so the state need not be copied to try the event.
            if position.is_multiple_of(CHECKPOINT_EVERY) {
                self.checkpoints.push(self.state.clone());
            }
            if let Err(e) = step(protocol, &mut self.state, &event) {
                if position.is_multiple_of(CHECKPOINT_EVERY) {
                    self.checkpoints.pop();
                }
                return Err(e);
            }
            self.history.add(position, &event);
            *self.counted_recorded.entry(event.recorded_at).or_default() += 1;
        }
        self.ids.insert(event.id.clone(), position);
        self.latest_recorded =
            Some(self.latest_recorded.map_or(event.recorded_at, |l| l.max(event.recorded_at)));
        self.voided.push(false);
        self.events.push(event);
        Ok(())
    }

    /// Refolds the state as if `events[target]` were voided, or says which later event that would make
    /// impossible (the record is then unchanged).
    ///
    /// The refold starts at the checkpoint before the target and stops at the first later checkpoint it
    /// reproduces: from there on the fold is the one already done, so a correction costs what it changes
    /// (typically under [`CHECKPOINT_EVERY`] steps), not the length of the log.
    fn refold_without(&mut self, target: usize, correction_id: &str) -> Result<(), EventError> {
        let protocol = &self.protocol;
        let from = target / CHECKPOINT_EVERY;
        let mut state = self.checkpoints.get(from).cloned().unwrap_or_else(|| PathwayState::new(protocol));
        let mut rewritten = Vec::new();
        let mut converged = false;
        for (k, e) in self.events.iter().enumerate().skip(from * CHECKPOINT_EVERY) {
            if k.is_multiple_of(CHECKPOINT_EVERY) && k > from * CHECKPOINT_EVERY {
                if self.checkpoints.get(k / CHECKPOINT_EVERY) == Some(&state) {
                    converged = true;
                    break;
                }
                rewritten.push(state.clone());
            }
            if k == target || self.voided[k] {
                continue;
            }
            step(protocol, &mut state, e).map_err(|cause| EventError::CorrectionInvalidates {
                event_id: correction_id.to_owned(),
                voids: self.events[target].id.clone(),
                cause: Box::new(cause),
            })?;
        }
        for (j, checkpoint) in rewritten.into_iter().enumerate() {
            if let Some(slot) = self.checkpoints.get_mut(from + 1 + j) {
                *slot = checkpoint;
            }
        }
        if !converged {
            self.state = state;
        }
        Ok(())
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
