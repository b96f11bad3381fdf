use jiff::Timestamp;
use thiserror::Error;

use super::{EventType, ItemState, Milestone, Role};
use crate::problem::{Problem, ProblemCode};

fn list(problems: &[Problem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// A protocol that cannot be used.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The protocol has problems; all of them are listed, each with its JSON path and code.
    #[error("invalid protocol ({} problem{}): {}", problems.len(), if problems.len() == 1 { "" } else { "s" }, list(problems))]
    Invalid {
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// The protocol could not be written as JSON (only possible for a definition built in code with
    /// non-finite numbers).
    #[error("protocol cannot be serialized: {message}")]
    Serialize {
        /// serde_json's message.
        message: String,
    },
}

/// An event the protocol or the record forbids. The record is left unchanged.
///
/// Every variant names the event by id; those about an item name the item, its current state, the attempted
/// change and, where that is the reason, the unmet prerequisites.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum EventError {
    /// An event with this id is already in the record.
    #[error("event {event_id:?}: an event with this id is already recorded")]
    DuplicateEventId {
        /// The event's id.
        event_id: String,
    },
    /// `recorded_at` is older than the latest of the events still counted (corrections are exempt): the log is
    /// append-only in recording order.
    #[error(
        "event {event_id:?}: recorded_at {recorded_at} is before the last event's recorded_at {last_recorded_at}"
    )]
    RecordedOutOfOrder {
        /// The event's id.
        event_id: String,
        /// Its `recorded_at`.
        recorded_at: Timestamp,
        /// The last event's `recorded_at`.
        last_recorded_at: Timestamp,
    },
    /// `recorded_at` lies more than [`MAX_RECORDED_AHEAD`](super::MAX_RECORDED_AHEAD) after the recording
    /// clock's "now" ([`Record::apply_at`](super::Record::apply_at)): a mistyped date, which would otherwise hold
    /// back every later event.
    #[error("event {event_id:?}: recorded_at {recorded_at} is more than 24 hours after now ({now})")]
    RecordedInFuture {
        /// The event's id.
        event_id: String,
        /// Its `recorded_at`.
        recorded_at: Timestamp,
        /// The recording clock's time passed to `apply_at`.
        now: Timestamp,
    },
    /// The event's actor may not record events of this type (the protocol's `settings.recording`).
    #[error(
        "event {event_id:?}: actor {actor} may not record {event_type} (allowed: {})",
        allowed.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
    )]
    ActorNotAllowed {
        /// The event's id.
        event_id: String,
        /// The event's actor.
        actor: Role,
        /// The event's type.
        event_type: EventType,
        /// The roles that may record it (for item events, the protocol's list plus the item's own role).
        allowed: Vec<Role>,
    },
    /// Dependent milestones occurred out of order: a decision before the submission it decides, an order before
    /// the pump was chosen, a start before the order, a link before the start, or a specialist visit before the
    /// pump start (whichever of the two is recorded first). Equal times are fine.
    #[error(
        "event {event_id:?}: {event_type} occurred_at {occurred_at} is {} {other_event_type} occurred_at \
         {other_occurred_at}; dependent milestones keep their order",
        if occurred_at < other_occurred_at { "before" } else { "after" }
    )]
    OccurredOutOfOrder {
        /// The event's id.
        event_id: String,
        /// The event's type.
        event_type: EventType,
        /// Its `occurred_at`.
        occurred_at: Timestamp,
        /// The type of the recorded event it must follow or precede.
        other_event_type: EventType,
        /// That event's `occurred_at`.
        other_occurred_at: Timestamp,
    },
    /// `occurred_at` is after `recorded_at`: nothing is recorded before it happens.
    #[error("event {event_id:?}: occurred_at {occurred_at} is after recorded_at {recorded_at}")]
    OccurredAfterRecorded {
        /// The event's id.
        event_id: String,
        /// Its `occurred_at`.
        occurred_at: Timestamp,
        /// Its `recorded_at`.
        recorded_at: Timestamp,
    },
    /// The event names an item the protocol does not have.
    #[error("event {event_id:?}: unknown item {item:?}")]
    UnknownItem {
        /// The event's id.
        event_id: String,
        /// The item id as given.
        item: String,
    },
    /// The event acts on a milestone no item of the protocol carries.
    #[error("event {event_id:?}: the protocol has no item with milestone {milestone}")]
    NoMilestoneItem {
        /// The event's id.
        event_id: String,
        /// The milestone.
        milestone: Milestone,
    },
    /// Completing an item whose prerequisites are not done (completed or waived).
    #[error(
        "event {event_id:?}: item {item:?} cannot go from {state} to {attempted}: prerequisites not done: {}",
        unmet.join(", ")
    )]
    PrerequisitesNotMet {
        /// The event's id.
        event_id: String,
        /// The item.
        item: String,
        /// Its current state.
        state: ItemState,
        /// The state the event asked for.
        attempted: ItemState,
        /// The prerequisites not done, in protocol order.
        unmet: Vec<String>,
    },
    /// Leaving `completed` or `cancelled` other than by an `item_reopened` event.
    #[error(
        "event {event_id:?}: item {item:?} is {state}, a final state; only item_reopened leaves it (attempted {attempted})"
    )]
    FinalState {
        /// The event's id.
        event_id: String,
        /// The item.
        item: String,
        /// Its current, final state.
        state: ItemState,
        /// The state the event asked for.
        attempted: ItemState,
    },
    /// Another transition the pathway forbids; `reason` says why.
    #[error("event {event_id:?}: item {item:?} cannot go from {state} to {attempted}: {reason}")]
    InvalidTransition {
        /// The event's id.
        event_id: String,
        /// The item.
        item: String,
        /// Its current state.
        state: ItemState,
        /// The state the event asked for.
        attempted: ItemState,
        /// Why not.
        reason: TransitionProblem,
    },
    /// A field of the event has a value it cannot have.
    #[error("event {event_id:?}: {field} = {value:?}: {problem}")]
    InvalidField {
        /// The event's id.
        event_id: String,
        /// The field.
        field: &'static str,
        /// The value as given.
        value: String,
        /// What is wrong.
        problem: FieldProblem,
    },
    /// A correction voids an event the record does not have (or a correction, or one already voided).
    #[error("event {event_id:?}: cannot void {voids:?}: {problem}")]
    CannotVoid {
        /// The correction's id.
        event_id: String,
        /// The id it names.
        voids: String,
        /// Why not.
        problem: VoidProblem,
    },
    /// Voiding the event would make a later event impossible; record corrections of the later events first.
    #[error("event {event_id:?}: voiding {voids:?} would invalidate a later event: {cause}")]
    CorrectionInvalidates {
        /// The correction's id.
        event_id: String,
        /// The event it voids.
        voids: String,
        /// What the replay without the voided event rejected.
        cause: Box<EventError>,
    },
}

/// Why a transition is refused ([`EventError::InvalidTransition`]); each has its own problem code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransitionProblem {
    /// Only a completed or waived item can be reopened (`not_done`).
    NotDone,
    /// An insurance decision needs a pending submission (`no_pending_submission`).
    NoPendingSubmission,
    /// The item is completed by an event of its own, which also records its date (`completed_by_event`).
    CompletedByEvent {
        /// The event that completes it.
        event: EventType,
    },
}

impl TransitionProblem {
    /// Its problem code.
    pub fn code(self) -> ProblemCode {
        match self {
            TransitionProblem::NotDone => ProblemCode::NotDone,
            TransitionProblem::NoPendingSubmission => ProblemCode::NoPendingSubmission,
            TransitionProblem::CompletedByEvent { .. } => ProblemCode::CompletedByEvent,
        }
    }
}

impl std::fmt::Display for TransitionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransitionProblem::NotDone => f.write_str("only a completed or waived item can be reopened"),
            TransitionProblem::NoPendingSubmission => {
                f.write_str("no pending insurance submission to decide on")
            }
            TransitionProblem::CompletedByEvent { event } => {
                write!(f, "record the {event} event, which also records its date")
            }
        }
    }
}

/// Why a field of an event cannot have its value ([`EventError::InvalidField`]); each has its own problem
/// code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldProblem {
    /// Empty where a value is required: an id, a waiver's reason, the chosen pump (`empty`).
    Empty,
    /// Outside its range (`out_of_range`).
    OutOfRange {
        /// The least allowed.
        min: u32,
        /// The most allowed.
        max: u32,
        /// The protocol setting that sets the bound, when one does.
        setting: Option<&'static str>,
    },
    /// A date with no instant standing for it (9999-12-31) (`out_of_range`).
    DateOutOfRange,
    /// `occurred_at` is not the noon UTC that stands for `occurred_on` (`inconsistent`).
    NotTheDatesNoon {
        /// The date's noon UTC.
        noon: Timestamp,
    },
}

impl FieldProblem {
    /// Its problem code.
    pub fn code(self) -> ProblemCode {
        match self {
            FieldProblem::Empty => ProblemCode::Empty,
            FieldProblem::OutOfRange { .. } | FieldProblem::DateOutOfRange => ProblemCode::OutOfRange,
            FieldProblem::NotTheDatesNoon { .. } => ProblemCode::Inconsistent,
        }
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldProblem::Empty => f.write_str("must not be empty"),
            FieldProblem::OutOfRange { min, max, setting: None } => {
                write!(f, "must be between {min} and {max}")
            }
            FieldProblem::OutOfRange { min, max, setting: Some(setting) } => {
                write!(f, "must be between {min} and {max} ({setting})")
            }
            FieldProblem::DateOutOfRange => f.write_str("the date is out of range"),
            FieldProblem::NotTheDatesNoon { noon } => {
                write!(f, "occurred_at must be the date's noon UTC ({noon})")
            }
        }
    }
}

/// Why a correction cannot void the event it names ([`EventError::CannotVoid`]); each has its own problem
/// code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VoidProblem {
    /// No event of the record has the id (`unknown_event`).
    UnknownEvent,
    /// The id is a correction's: record the event again instead (`voids_a_correction`).
    VoidsACorrection,
    /// The event is already voided (`already_voided`).
    AlreadyVoided,
}

impl VoidProblem {
    /// Its problem code.
    pub fn code(self) -> ProblemCode {
        match self {
            VoidProblem::UnknownEvent => ProblemCode::UnknownEvent,
            VoidProblem::VoidsACorrection => ProblemCode::VoidsACorrection,
            VoidProblem::AlreadyVoided => ProblemCode::AlreadyVoided,
        }
    }
}

impl std::fmt::Display for VoidProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VoidProblem::UnknownEvent => "no event with this id",
            VoidProblem::VoidsACorrection => "a correction cannot be voided; record the event again instead",
            VoidProblem::AlreadyVoided => "it is already voided",
        })
    }
}

/// A record that cannot be used as a whole: a malformed record or event JSON, or a record built with another
/// protocol. (An event the guards reject is an [`EventError`].)
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum RecordError {
    /// A record's or event's JSON is malformed; every unknown field is listed, with the first type error, each
    /// with its path (`events[3].occurred_at`) and code.
    #[error("malformed record JSON: {}", list(problems))]
    Malformed {
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// An event of the record, at `path` (`$.events[7]`), is one the guards reject: the record cannot load.
    #[error("{path} (event {:?}) is rejected: {source}", source.event_id())]
    EventRejected {
        /// The event's JSON path in the document (`$.events[7]`, or `$.record.events[7]` in a request).
        path: String,
        /// What the guards said.
        source: Box<EventError>,
    },
    /// The record was built with a different protocol.
    #[error("record was built with protocol {expected}, not {actual}")]
    ProtocolMismatch {
        /// The fingerprint of the record's protocol.
        expected: String,
        /// The fingerprint of the protocol passed.
        actual: String,
    },
}

crate::problem::error_codes!(ProtocolError {
    Invalid => InvalidProtocol,
    Serialize => NotSerializable,
});

impl ProtocolError {
    /// Every problem, each with its JSON path and code.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            ProtocolError::Invalid { problems } => problems.clone(),
            ProtocolError::Serialize { .. } => vec![Problem::new("$", self.code(), self.to_string())],
        }
    }
}

crate::problem::error_codes!(EventError {
    DuplicateEventId => DuplicateEventId,
    RecordedOutOfOrder => RecordedOutOfOrder,
    RecordedInFuture => RecordedInFuture,
    ActorNotAllowed => ActorNotAllowed,
    OccurredOutOfOrder => OccurredOutOfOrder,
    OccurredAfterRecorded => OccurredAfterRecorded,
    UnknownItem => UnknownItem,
    NoMilestoneItem => NoMilestoneItem,
    PrerequisitesNotMet => PrerequisitesNotMet,
    FinalState => FinalState,
    InvalidTransition => InvalidTransition,
    InvalidField => InvalidField,
    CannotVoid => CannotVoid,
    CorrectionInvalidates => CorrectionInvalidates,
});

impl EventError {
    /// The event's id.
    pub fn event_id(&self) -> &str {
        match self {
            EventError::DuplicateEventId { event_id }
            | EventError::RecordedOutOfOrder { event_id, .. }
            | EventError::RecordedInFuture { event_id, .. }
            | EventError::ActorNotAllowed { event_id, .. }
            | EventError::OccurredOutOfOrder { event_id, .. }
            | EventError::OccurredAfterRecorded { event_id, .. }
            | EventError::UnknownItem { event_id, .. }
            | EventError::NoMilestoneItem { event_id, .. }
            | EventError::PrerequisitesNotMet { event_id, .. }
            | EventError::FinalState { event_id, .. }
            | EventError::InvalidTransition { event_id, .. }
            | EventError::InvalidField { event_id, .. }
            | EventError::CannotVoid { event_id, .. }
            | EventError::CorrectionInvalidates { event_id, .. } => event_id,
        }
    }

    /// The one problem, at the field of the event at fault (`$.id`, `$.recorded_at`, `$.occurred_at`,
    /// `$.actor`, `$.type`, `$.item`, `$.voids`, or the field named) with its value, the path rooted at the
    /// event (a record's [`RecordError::EventRejected`] puts it under `$.events[k]`); the message names the
    /// event by id.
    pub fn problems(&self) -> Vec<Problem> {
        let (path, value): (&str, serde_json::Value) = match self {
            EventError::DuplicateEventId { event_id } => ("id", event_id.as_str().into()),
            EventError::RecordedOutOfOrder { recorded_at, .. }
            | EventError::RecordedInFuture { recorded_at, .. } => {
                ("recorded_at", recorded_at.to_string().into())
            }
            EventError::ActorNotAllowed { actor, .. } => ("actor", actor.as_str().into()),
            EventError::OccurredOutOfOrder { occurred_at, .. }
            | EventError::OccurredAfterRecorded { occurred_at, .. } => {
                ("occurred_at", occurred_at.to_string().into())
            }
            EventError::NoMilestoneItem { milestone, .. } => ("type", milestone.as_str().into()),
            EventError::UnknownItem { item, .. }
            | EventError::PrerequisitesNotMet { item, .. }
            | EventError::FinalState { item, .. }
            | EventError::InvalidTransition { item, .. } => ("item", item.as_str().into()),
            EventError::InvalidField { field, value, .. } => (field, value.as_str().into()),
            EventError::CannotVoid { voids, .. } | EventError::CorrectionInvalidates { voids, .. } => {
                ("voids", voids.as_str().into())
            }
        };
        // The typed reason's own code where there is one, else the error's.
        let code = match self {
            EventError::InvalidTransition { reason, .. } => reason.code(),
            EventError::InvalidField { problem, .. } => problem.code(),
            EventError::CannotVoid { problem, .. } => problem.code(),
            _ => self.code(),
        };
        vec![Problem::new(format!("$.{path}"), code, self.to_string()).with_value(value)]
    }
}

crate::problem::error_codes!(RecordError {
    Malformed => MalformedRecord,
    EventRejected => EventRejected,
    ProtocolMismatch => ProtocolMismatch,
});

impl RecordError {
    /// Every problem of a malformed record (paths such as `$.events[3].occurred_at`), the rejected event's
    /// problem under its path (`$.events[7].item`), or one at `$.protocol_fingerprint` whose value is the
    /// fingerprint of the protocol passed.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            RecordError::Malformed { problems } => problems.clone(),
            RecordError::EventRejected { path, source } => {
                source.problems().into_iter().map(|p| p.under(path)).collect()
            }
            RecordError::ProtocolMismatch { actual, .. } => {
                vec![
                    Problem::new("$.protocol_fingerprint", self.code(), self.to_string())
                        .with_value(actual.as_str()),
                ]
            }
        }
    }
}
