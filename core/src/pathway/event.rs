//! The events of a patient's record.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Serialize};

use super::{RecordError, Role};
use crate::problem::{Problem, ProblemCode};
use crate::wire::wire_enum;

wire_enum! {
    /// The state of a checklist item. The names follow FHIR R4 `CarePlan.activity.detail.status`:
    ///
    /// | pumppath | FHIR |
    /// |---|---|
    /// | `not_started` | `not-started` |
    /// | `scheduled` | `scheduled` |
    /// | `in_progress` | `in-progress` |
    /// | `on_hold` | `on-hold` |
    /// | `completed` | `completed` |
    /// | `cancelled` | `cancelled` (pumppath: waived, with a reason) |
    ///
    /// `completed` and `cancelled` are final: only an `item_reopened` event leaves them. FHIR's `stopped`,
    /// `unknown` and `entered-in-error` have no item state: a correction event voids an event instead.
    #[derive(Default)]
    pub enum ItemState {
        /// Nothing has happened yet.
        #[default]
        NotStarted => "not_started",
        /// A date is set.
        Scheduled => "scheduled",
        /// Under way (insurance submitted and pending, for example).
        InProgress => "in_progress",
        /// Paused, with a reason (insurance denied, for example).
        OnHold => "on_hold",
        /// Done.
        Completed => "completed",
        /// Waived: not needed for this patient, with a reason. Counts as done for prerequisites and progress.
        Cancelled => "cancelled",
    }
}

impl ItemState {
    /// Whether the state is final (`completed` or `cancelled`): it counts as done.
    pub const fn is_final(self) -> bool {
        matches!(self, ItemState::Completed | ItemState::Cancelled)
    }

    /// The FHIR R4 CarePlan activity status code.
    pub const fn fhir_code(self) -> &'static str {
        match self {
            ItemState::NotStarted => "not-started",
            ItemState::Scheduled => "scheduled",
            ItemState::InProgress => "in-progress",
            ItemState::OnHold => "on-hold",
            ItemState::Completed => "completed",
            ItemState::Cancelled => "cancelled",
        }
    }
}

wire_enum! {
    /// The insurer's answer.
    pub enum InsuranceDecision {
        /// Coverage approved: the insurance item is completed.
        Approved => "approved",
        /// Coverage denied: the insurance item goes on hold until a new submission.
        Denied => "denied",
    }
}

wire_enum! {
    /// Where the pump is ordered through (handout: pre_pump.3).
    pub enum OrderChannel {
        /// The pump company.
        PumpCompany => "pump_company",
        /// A medical supply company.
        MedicalSupplyCompany => "medical_supply_company",
        /// A pharmacy.
        Pharmacy => "pharmacy",
    }
}

wire_enum! {
    /// The kind of a clinic visit.
    pub enum VisitKind {
        /// The diabetes care and education specialist visit after the pump start.
        Specialist => "specialist",
        /// A follow-up with the diabetes team (every 3 months).
        FollowUp => "follow_up",
        /// Any other visit; recorded, no item changes.
        Other => "other",
    }
}

/// What happened. On the wire the kind is the `type` field, beside the event's common fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventKind {
    /// Work on an item started.
    ItemStarted {
        /// The item's id.
        item: String,
    },
    /// An item was given a date. On the specialist-visit or follow-up item it is a booking of that visit
    /// (recorded in the key dates and shown by the schedule); the follow-up item may be booked again when it is
    /// completed, since follow-ups recur (its state is left alone).
    ItemScheduled {
        /// The item's id.
        item: String,
        /// When it is planned: an instant (`2026-03-04T15:00:00Z`), or a date (`2026-03-04`) for a booking
        /// entered as a date, which is that date in every clinic zone.
        scheduled_for: Scheduled,
    },
    /// An item was done. Items whose own event records them (insurance coverage, pump choice, order, start and
    /// link, the specialist and follow-up visits) are completed by that event instead, so that its date is
    /// recorded; a visit item may be completed by hand once a visit of its kind is on record.
    ItemCompleted {
        /// The item's id.
        item: String,
    },
    /// An item was waived (state `cancelled`).
    ItemWaived {
        /// The item's id.
        item: String,
        /// Why it is not needed; required.
        reason: String,
    },
    /// A completed or waived item is open again (state `in_progress`).
    ItemReopened {
        /// The item's id.
        item: String,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An item was paused.
    ItemPutOnHold {
        /// The item's id.
        item: String,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Coverage was submitted to the insurer: the insurance item is in progress (pending).
    InsuranceSubmitted,
    /// The insurer decided.
    InsuranceDecision {
        /// Approved or denied.
        decision: InsuranceDecision,
    },
    /// A pump was chosen.
    PumpChosen {
        /// The pump's name (make and model).
        pump: String,
    },
    /// The pump was ordered.
    PumpOrdered {
        /// Through whom.
        channel: OrderChannel,
    },
    /// Insulin on the pump started (its `occurred_at` is the start date). A fact, not a permission: it completes
    /// the pump-start item even when that item's prerequisites (training, materials review) are not yet
    /// recorded, so the schedule runs; the missing steps stay open for the rules to flag.
    PumpStarted,
    /// The pump was uploaded or linked to the clinic.
    PumpLinked,
    /// A visit was held: its date is always recorded. A specialist or follow-up visit completes its item when the
    /// item's prerequisites are done; a visit may also cover checklist items (education topics, the back-up
    /// plan).
    VisitHeld {
        /// The kind of visit.
        visit: VisitKind,
        /// Items the visit covered, completed by it when their prerequisites are done (others stay open). Items
        /// with an event of their own cannot be listed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        covered: Vec<String>,
    },
    /// A batch of supplies arrived.
    SuppliesReceived {
        /// How many days it lasts (up to about 3 months).
        days_of_supply: u32,
    },
    /// An earlier event was entered in error: it is voided (kept in the log, no longer counted).
    Correction {
        /// The id of the voided event.
        voids: String,
    },
    /// The patient's own glucose targets, from this event's `occurred_at` on (pregnancy, older or high-risk);
    /// the protocol's targets are the default, so one patient's targets need no protocol of their own.
    TargetsSet {
        /// A preset (`{"preset": "pregnancy_type1"}`) or custom cut points and goals.
        #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
        targets: crate::glucose::Targets,
    },
    /// Whether the patient wears a CGM (the latest by `occurred_at` holds): a pump user without one is not
    /// asked for CGM data every day.
    CgmUse {
        /// True when the patient wears a CGM.
        wears_cgm: bool,
    },
    /// A clinician acknowledged an action (called the patient, changed settings): the rules quiet it until
    /// `until`, or until its evidence worsens.
    ActionAcknowledged {
        /// The rule whose action is acknowledged.
        rule: crate::rule_id::RuleId,
        /// The item the action is about, when it names one; must be a protocol item.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        /// The clinic-local date until which the action stays quiet (inclusive), if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
        until: Option<jiff::civil::Date>,
    },
}

wire_enum! {
    /// The type of an event: its `type` field on the wire, one per [`EventKind`] variant.
    pub enum EventType {
        /// `item_started`.
        ItemStarted => "item_started",
        /// `item_scheduled`.
        ItemScheduled => "item_scheduled",
        /// `item_completed`.
        ItemCompleted => "item_completed",
        /// `item_waived`.
        ItemWaived => "item_waived",
        /// `item_reopened`.
        ItemReopened => "item_reopened",
        /// `item_put_on_hold`.
        ItemPutOnHold => "item_put_on_hold",
        /// `insurance_submitted`.
        InsuranceSubmitted => "insurance_submitted",
        /// `insurance_decision`.
        InsuranceDecision => "insurance_decision",
        /// `pump_chosen`.
        PumpChosen => "pump_chosen",
        /// `pump_ordered`.
        PumpOrdered => "pump_ordered",
        /// `pump_started`.
        PumpStarted => "pump_started",
        /// `pump_linked`.
        PumpLinked => "pump_linked",
        /// `visit_held`.
        VisitHeld => "visit_held",
        /// `supplies_received`.
        SuppliesReceived => "supplies_received",
        /// `correction`.
        Correction => "correction",
        /// `targets_set`.
        TargetsSet => "targets_set",
        /// `cgm_use`.
        CgmUse => "cgm_use",
        /// `action_acknowledged`.
        ActionAcknowledged => "action_acknowledged",
    }
}

impl EventKind {
    /// The event's type.
    pub fn event_type(&self) -> EventType {
        match self {
            EventKind::ItemStarted { .. } => EventType::ItemStarted,
            EventKind::ItemScheduled { .. } => EventType::ItemScheduled,
            EventKind::ItemCompleted { .. } => EventType::ItemCompleted,
            EventKind::ItemWaived { .. } => EventType::ItemWaived,
            EventKind::ItemReopened { .. } => EventType::ItemReopened,
            EventKind::ItemPutOnHold { .. } => EventType::ItemPutOnHold,
            EventKind::InsuranceSubmitted => EventType::InsuranceSubmitted,
            EventKind::InsuranceDecision { .. } => EventType::InsuranceDecision,
            EventKind::PumpChosen { .. } => EventType::PumpChosen,
            EventKind::PumpOrdered { .. } => EventType::PumpOrdered,
            EventKind::PumpStarted => EventType::PumpStarted,
            EventKind::PumpLinked => EventType::PumpLinked,
            EventKind::VisitHeld { .. } => EventType::VisitHeld,
            EventKind::SuppliesReceived { .. } => EventType::SuppliesReceived,
            EventKind::Correction { .. } => EventType::Correction,
            EventKind::TargetsSet { .. } => EventType::TargetsSet,
            EventKind::CgmUse { .. } => EventType::CgmUse,
            EventKind::ActionAcknowledged { .. } => EventType::ActionAcknowledged,
        }
    }

    /// The wire name of the kind (`item_completed`, ...).
    pub fn name(&self) -> &'static str {
        self.event_type().as_str()
    }
}

/// When an event occurred: an instant, or a civil date for things entered as dates (a visit typed as 4 March).
///
/// A date is the same date in every clinic zone: wherever the pathway turns a key date into a clinic-local date
/// (the schedule, the views), a date-only event keeps its date. The guards' ordering checks and the fold still
/// need an instant: a date stands for its noon UTC ([`Occurred::instant`]), which keeps events of different
/// dates in date order. Only the check that nothing is recorded before it happens is lenient: a date-only event
/// may be recorded from the first moment of its date anywhere on Earth (00:00 at UTC+14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Occurred {
    /// An instant (`occurred_at`, RFC 3339 with an offset).
    At(Timestamp),
    /// A civil date (`occurred_on`, `YYYY-MM-DD`).
    On(Date),
}

impl Occurred {
    /// The instant the guards and the fold use: the instant itself, or the date's noon UTC. `None` for a date
    /// whose noon UTC is outside the instants jiff represents (9999-12-31, -9999-01-01).
    pub fn instant(self) -> Option<Timestamp> {
        match self {
            Occurred::At(t) => Some(t),
            Occurred::On(d) => TimeZone::UTC.to_timestamp(d.at(12, 0, 0, 0)).ok(),
        }
    }

    /// The first instant at which it can have happened: the instant itself, or its date's start at UTC+14 (the
    /// earliest zone), so that a date-only event may be recorded on its date anywhere.
    pub fn earliest(self) -> Option<Timestamp> {
        match self {
            Occurred::At(t) => Some(t),
            Occurred::On(d) => {
                let earliest_zone = TimeZone::fixed(Offset::constant(14));
                earliest_zone.to_timestamp(d.at(0, 0, 0, 0)).ok().or_else(|| self.instant())
            }
        }
    }

    /// The civil date, for a date-only event.
    pub fn date(self) -> Option<Date> {
        match self {
            Occurred::At(_) => None,
            Occurred::On(d) => Some(d),
        }
    }
}

/// When a booking is for: an instant, or a clinic date for a booking entered as a date (the same date in every
/// zone). On the wire it is one string, RFC 3339 or `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheduled {
    /// At an instant.
    At(Timestamp),
    /// On a clinic date.
    On(Date),
}

impl Scheduled {
    /// The instant that stands for it: the instant, or the date's noon UTC (see [`Occurred::instant`]).
    pub fn instant(self) -> Timestamp {
        match self {
            Scheduled::At(t) => t,
            Scheduled::On(d) => Occurred::On(d).instant().unwrap_or(Timestamp::MAX),
        }
    }

    /// The date, when it was given as one.
    pub fn date(self) -> Option<Date> {
        match self {
            Scheduled::At(_) => None,
            Scheduled::On(d) => Some(d),
        }
    }
}

impl From<Timestamp> for Scheduled {
    fn from(t: Timestamp) -> Scheduled {
        Scheduled::At(t)
    }
}

impl From<Date> for Scheduled {
    fn from(d: Date) -> Scheduled {
        Scheduled::On(d)
    }
}

impl Serialize for Scheduled {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Scheduled::At(t) => t.serialize(serializer),
            Scheduled::On(d) => d.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Scheduled {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if let Ok(t) = text.parse::<Timestamp>() {
            return Ok(Scheduled::At(t));
        }
        text.parse::<Date>().map(Scheduled::On).map_err(|_| {
            serde::de::Error::custom(format!("{text:?} is neither an RFC 3339 instant nor a date YYYY-MM-DD"))
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Scheduled {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Scheduled".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let instant = generator.subschema_for::<crate::schema::Instant>();
        let date = generator.subschema_for::<crate::schema::LocalDate>();
        schemars::json_schema!({"anyOf": [instant, date], "description": "An instant, or a clinic date."})
    }
}

/// The wire form of an [`Event`]: exactly one of `occurred_at` and `occurred_on`.
#[derive(Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Event"))]
pub(crate) struct EventWire {
    /// Unique in the record.
    id: String,
    /// When it happened (clinics back-date), RFC 3339 with an offset. Exactly one of `occurred_at` and
    /// `occurred_on` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    occurred_at: Option<Timestamp>,
    /// The date it happened on (`YYYY-MM-DD`), for things entered as dates: the same date in every clinic zone.
    /// Exactly one of `occurred_at` and `occurred_on` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    occurred_on: Option<Date>,
    /// When it was entered; never before the latest `recorded_at` of the events still counted (a correction is
    /// exempt, so a mistyped date can always be voided).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    recorded_at: Timestamp,
    /// Who did it.
    actor: Role,
    /// A free-text note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// What happened.
    #[serde(flatten)]
    kind: EventKind,
}

/// The common fields of an event as read: the kind's fields (and its `type`) are kept aside for the kind.
#[derive(Deserialize)]
struct EventHead {
    id: String,
    #[serde(default)]
    occurred_at: Option<Timestamp>,
    #[serde(default)]
    occurred_on: Option<Date>,
    recorded_at: Timestamp,
    actor: Role,
    #[serde(default)]
    note: Option<String>,
    #[serde(flatten)]
    kind_fields: serde_json::Map<String, serde_json::Value>,
}

/// An event's schema is its wire form's.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Event {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        EventWire::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        EventWire::json_schema(generator)
    }
}

/// Reading an event straight from text (the fast path of a record's JSON): the kind's fields are checked as
/// [`Event::from_json`] checks them; a problem is a serde error whose message names its path and code.
impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let head = EventHead::deserialize(deserializer)?;
        Event::from_head(head, "$").map_err(|problems| {
            serde::de::Error::custom(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
        })
    }
}

/// An event serialises with `occurred_on` when it was entered as a date, else with `occurred_at`.
impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (occurred_at, occurred_on) = match self.occurred_on {
            Some(d) => (None, Some(d)),
            None => (Some(self.occurred_at), None),
        };
        EventWire {
            id: self.id.clone(),
            occurred_at,
            occurred_on,
            recorded_at: self.recorded_at,
            actor: self.actor,
            note: self.note.clone(),
            kind: self.kind.clone(),
        }
        .serialize(serializer)
    }
}

/// One entry of a patient's record.
///
/// ```
/// use pumppath::pathway::{Event, EventKind, Role};
///
/// let json = r#"{"id": "e7", "occurred_at": "2026-03-02T15:00:00Z", "recorded_at": "2026-03-03T09:12:00Z",
///                "actor": "clinic_staff", "type": "item_completed", "item": "pump_options_learned"}"#;
/// let event: Event = serde_json::from_str(json)?;
/// assert_eq!(event.actor, Role::ClinicStaff);
/// assert_eq!(event.kind, EventKind::ItemCompleted { item: "pump_options_learned".into() });
///
/// // Entered as a date: `occurred_on` instead of `occurred_at`; it stays a date on the way out.
/// let json = json.replace(r#""occurred_at": "2026-03-02T15:00:00Z""#, r#""occurred_on": "2026-03-02""#);
/// let event: Event = serde_json::from_str(&json)?;
/// assert_eq!(event.occurred_on.map(|d| d.to_string()).as_deref(), Some("2026-03-02"));
/// assert_eq!(event.occurred_at.to_string(), "2026-03-02T12:00:00Z"); // its noon UTC, for ordering
/// assert!(serde_json::to_string(&event)?.contains(r#""occurred_on":"2026-03-02""#));
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// On the wire an event has exactly one of `occurred_at` (an instant) and `occurred_on` (a civil date); see
/// [`Occurred`]. In Rust, `occurred_at` is always the instant the guards use, and `occurred_on` the date when the
/// event was entered as one (then `occurred_at` is that date's noon UTC; the record rejects any other pairing).
///
/// Deserializing an event rejects fields its kind does not have, as [`Event::from_json`] does.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Unique in the record.
    pub id: String,
    /// When it happened (clinics back-date): the instant the guards and the fold use; for an event entered as
    /// a date, that date's noon UTC ([`Occurred::instant`]).
    pub occurred_at: Timestamp,
    /// The civil date, when the event was entered as a date (`occurred_on` on the wire): the clinic-local date
    /// of the event in every zone.
    pub occurred_on: Option<Date>,
    /// When it was entered; never before the latest `recorded_at` of the events still counted (a correction is
    /// exempt, so a mistyped date can always be voided).
    pub recorded_at: Timestamp,
    /// Who did it.
    pub actor: Role,
    /// A free-text note.
    pub note: Option<String>,
    /// What happened.
    pub kind: EventKind,
}

impl Event {
    /// Parses one event from JSON, rejecting fields its kind does not have (a typo must not be dropped).
    ///
    /// ```
    /// use pumppath::pathway::{Event, RecordError};
    ///
    /// let ok = r#"{"id": "e1", "occurred_at": "2026-03-02T15:00:00Z", "recorded_at": "2026-03-02T15:00:00Z",
    ///              "actor": "patient", "type": "pump_started"}"#;
    /// assert!(Event::from_json(ok).is_ok());
    /// let typo = ok.replace("\"actor\"", "\"pump\": \"x\", \"actor\"");
    /// let err = Event::from_json(&typo).unwrap_err();
    /// assert_eq!(err.to_string(), "malformed record JSON: $.pump: unknown field");
    /// let RecordError::Malformed { problems } = err else { unreachable!() };
    /// assert_eq!((problems[0].path.as_str(), problems[0].code.as_str()), ("$.pump", "unknown_field"));
    /// ```
    pub fn from_json(json: &str) -> Result<Event, RecordError> {
        Event::read(json, "$").map_err(|problems| RecordError::Malformed { problems })
    }

    /// Reads one event from its JSON text at `root` (`$`, or `$.events[3]` within a record).
    pub(crate) fn read(json: &str, root: &str) -> Result<Event, Vec<Problem>> {
        if let Ok(event) = serde_json::from_str::<Event>(json) {
            return Ok(event);
        }
        Event::from_value(crate::fields::parse(json, root)?, root)
    }

    /// Reads one event from a JSON value at `root`, every problem with its path below `root`.
    pub(crate) fn from_value(value: serde_json::Value, root: &str) -> Result<Event, Vec<Problem>> {
        let head: EventHead = crate::fields::read(value, root)?;
        Event::from_head(head, root)
    }

    /// The event from its common fields and the rest, which are the kind's.
    fn from_head(head: EventHead, root: &str) -> Result<Event, Vec<Problem>> {
        let rest = serde_json::Value::Object(head.kind_fields);
        let kind = match EventKind::deserialize(&rest) {
            Ok(kind) => kind,
            // Read again through the one reader, only to say what is wrong and where.
            Err(_) => crate::fields::read::<EventKind>(rest.clone(), root)?,
        };
        // A kind that carries nothing but its type takes no field (serde lets a unit variant ignore them).
        if matches!(kind, EventKind::InsuranceSubmitted | EventKind::PumpStarted | EventKind::PumpLinked) {
            let extra: Vec<Problem> = rest
                .as_object()
                .into_iter()
                .flat_map(|m| m.iter())
                .filter(|(k, _)| k.as_str() != "type")
                .map(|(k, v)| {
                    let k = crate::problem::shown(k);
                    Problem::new(format!("{root}.{k}"), ProblemCode::UnknownField, "unknown field")
                        .with_value(v.clone())
                })
                .collect();
            if !extra.is_empty() {
                return Err(extra);
            }
        }
        let occurred = match (head.occurred_at, head.occurred_on) {
            (Some(at), None) => Occurred::At(at),
            (None, Some(on)) => Occurred::On(on),
            (Some(_), Some(on)) => {
                return Err(vec![
                    Problem::new(
                        format!("{root}.occurred_on"),
                        ProblemCode::Inconsistent,
                        "give either occurred_at or occurred_on, not both",
                    )
                    .with_value(on.to_string()),
                ]);
            }
            (None, None) => {
                return Err(vec![Problem::new(
                    format!("{root}.occurred_at"),
                    ProblemCode::MissingField,
                    "an event needs occurred_at (an instant) or occurred_on (a date)",
                )]);
            }
        };
        let Some(occurred_at) = occurred.instant() else {
            let on = occurred.date().map(|d| d.to_string()).unwrap_or_default();
            return Err(vec![
                Problem::new(
                    format!("{root}.occurred_on"),
                    ProblemCode::OutOfRange,
                    "the date is out of range",
                )
                .with_value(on),
            ]);
        };
        Ok(Event {
            id: head.id,
            occurred_at,
            occurred_on: occurred.date(),
            recorded_at: head.recorded_at,
            actor: head.actor,
            note: head.note,
            kind,
        })
    }

    /// An event with no note, that occurred when it was recorded.
    pub fn new(id: impl Into<String>, at: Timestamp, actor: Role, kind: EventKind) -> Event {
        Event { id: id.into(), occurred_at: at, occurred_on: None, recorded_at: at, actor, note: None, kind }
    }

    /// The same event, back-dated: it occurred at `occurred_at`.
    pub fn occurred(mut self, occurred_at: Timestamp) -> Event {
        self.occurred_at = occurred_at;
        self.occurred_on = None;
        self
    }

    /// The same event, entered as a date: it occurred on `date` (`occurred_at` becomes the date's noon UTC; a
    /// date without one, 9999-12-31, is rejected by the record as an `invalid_field`).
    pub fn occurred_on(mut self, date: Date) -> Event {
        if let Some(at) = Occurred::On(date).instant() {
            self.occurred_at = at;
        }
        self.occurred_on = Some(date);
        self
    }

    /// When it occurred: the date when it was entered as one, else the instant.
    pub fn when(&self) -> Occurred {
        match self.occurred_on {
            Some(d) => Occurred::On(d),
            None => Occurred::At(self.occurred_at),
        }
    }

    /// The same event with a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Event {
        self.note = Some(note.into());
        self
    }
}
