//! The pathway: a protocol of phases and checklist items, a patient's record of events, and where the patient
//! stands.
//!
//! - [`Protocol`]: the pathway as data (JSON is the wire format; [`Protocol::standard`] is the handout's),
//!   validated with every problem reported at once, identified by its [`fingerprint`](Protocol::fingerprint).
//! - [`Record`]: an append-only log of [`Event`]s, folded into item states under guards ([`EventError`]; a
//!   malformed record or one built with another protocol is a [`RecordError`]).
//! - [`PathwayView`]: the current phase, progress, next steps, blocked items and key dates.
//!
//! Item states follow FHIR CarePlan activity statuses ([`ItemState`]); roles are one enum ([`Role`]);
//! checklist items cite the handout passage they come from ([`handout`]).

mod definition;
mod error;
mod event;
mod fingerprint;
mod guards;
pub mod handout;
mod protocol;
mod record;
mod role;
mod settings;
mod state;
mod validate;
mod views;

pub use definition::{ChecklistItem, Milestone, Phase, ProtocolDefinition, SCHEMA_VERSION};
pub use error::{EventError, FieldProblem, ProtocolError, RecordError, TransitionProblem, VoidProblem};
pub use event::{
    Event, EventKind, EventType, InsuranceDecision, ItemState, Occurred, OrderChannel, Scheduled, VisitKind,
};
pub use fingerprint::canonical_json;
pub(crate) use guards::unmet_prerequisites;
pub use protocol::{MAX_JSON_BYTES, MAX_JSON_DEPTH, Protocol, STANDARD_PROTOCOL_JSON};
pub use record::{MAX_RECORDED_AHEAD, Record};
pub use role::Role;
pub use settings::{ChangeSettings, FrequentlySettings, RecordingSettings, ScheduleSettings, Settings};
pub use state::{Acknowledgement, ItemStatus, KeyDates, PathwayState, SuppliesBatch, TargetsChange, When};
pub use validate::{MAX_ITEMS, MAX_PREREQUISITES};
pub use views::{BlockedItem, BlockedReason, ItemView, PathwayView, PhaseProgress};

/// The JSON Schema of the protocol format, generated from the Rust types.
#[cfg(feature = "schema")]
pub fn protocol_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ProtocolDefinition)).unwrap_or_default()
}

/// The JSON Schema of the event format, generated from the Rust types.
#[cfg(feature = "schema")]
pub fn event_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Event)).unwrap_or_default()
}
