//! The crate's one public error type, and the one shape of a problem.
//!
//! Every [`Error`] has a kind (the module error it wraps, which is also its Python exception class, a subclass
//! of `ValueError`, and its JavaScript error name), a stable snake_case code (its variant), a message, and its
//! [`Problem`]s, each with a path, a code, a message and the value as given. It serialises as
//! `{"kind", "code", "message", "problems": [{"path", "code", "message", "value"?}]}`.
//!
//! ## Kinds and codes
//!
//! | kind | code | when | problem path |
//! |---|---|---|---|
//! | GlucoseError | invalid_value | one glucose value is NaN, infinite, not positive or implausible | `$.value` (code: the value problem) |
//! | GlucoseError | invalid_value_at | a value of a batch is invalid | `$.values[i]` (code: the value problem) |
//! | GlucoseError | unknown_unit | a unit is neither mg/dL nor mmol/L | `$.unit` |
//! | GlucoseError | invalid_threshold | a cut-point, goal or sensor limit is invalid | the field (`$.cut_points.low_below`) |
//! | GlucoseError | invalid_targets | targets are malformed as a whole | `$.targets` |
//! | GlucoseError | unknown_preset | a target preset's name is not a preset | `$.targets` |
//! | GlucoseError | malformed_targets | targets JSON cannot be read | every problem's path (`$.cut_points.low_below`, `$.colour`) |
//! | GlucoseError | buffer_length | an output buffer's length is not the input's | `$.codes` |
//! | SeriesError | length_mismatch | times and values differ in length | `$.values` |
//! | SeriesError | invalid_value | a reading's value is invalid | `$.values[i]` (code: the value problem) |
//! | SeriesError | time_out_of_range | a time is outside the years -9999 to 9999 | `$.times[i]` or `$.time` |
//! | SeriesError | duplicate_time | readings share a time under the default policy | `$.times` |
//! | SeriesError | not_increasing | times given as sorted are not increasing | `$.times[i]` |
//! | SeriesError | invalid_time | text is not a wall-clock time | `$.time` |
//! | SeriesError | non_finite_time | a time in milliseconds is NaN or infinite | `$.times[i]` |
//! | SeriesError | unknown_time_zone | the series options name an unknown IANA zone | `$.time_zone` |
//! | SeriesError | invalid_bin_minutes | an AGP bin width does not divide the day | `$.bin_minutes` |
//! | SeriesError | invalid_json | columnar readings JSON cannot be read | every problem's path (`$.values[3]`, `$.colour`) |
//! | SeriesError | patient_series | one patient of a long-form table cannot form a series | `patient "id", ...` (codes: the series') |
//! | ReadError | io | the input cannot be read | `input` |
//! | ReadError | csv | a line is not valid CSV | `line N` |
//! | ReadError | missing_column | the header lacks a column | `line 1` |
//! | ReadError | invalid_time | a CSV time is not a wall-clock time | `line N, column "time"` |
//! | ReadError | invalid_value | a CSV glucose value is no number or invalid | `line N, column "gl"` (code: the value problem) |
//! | ReadError | series | a patient's readings cannot form a series | the series' problems, prefixed `patient "id", ` (codes: the series') |
//! | ProtocolError | invalid_protocol | the protocol has problems | every problem's JSON path (`$.phases[1].items[0].prerequisites[0]`) |
//! | ProtocolError | not_serializable | a protocol built in code cannot be written as JSON | `$` |
//! | EventError | duplicate_event_id | an event id is already in the record | `$.id` |
//! | EventError | recorded_out_of_order | recorded_at is before the last event's | `$.recorded_at` |
//! | EventError | recorded_in_future | recorded_at is more than 24 hours after now | `$.recorded_at` |
//! | EventError | actor_not_allowed | the actor may not record this event type | `$.actor` |
//! | EventError | occurred_out_of_order | dependent milestones occurred out of order | `$.occurred_at` |
//! | EventError | occurred_after_recorded | occurred_at is after recorded_at | `$.occurred_at` |
//! | EventError | unknown_item | the event names an item the protocol lacks | `$.item` |
//! | EventError | no_milestone_item | no item carries the event's milestone | `$.type` |
//! | EventError | prerequisites_not_met | completing an item whose prerequisites are not done | `$.item` |
//! | EventError | final_state | leaving completed or cancelled other than by reopening | `$.item` |
//! | EventError | invalid_transition | another transition the pathway forbids | `$.item` |
//! | EventError | invalid_field | a field of the event has a value it cannot have | `$.` and the field |
//! | EventError | cannot_void | a correction voids an unknown, voided or correction event | `$.voids` |
//! | EventError | correction_invalidates | voiding would make a later event impossible | `$.voids` |
//! | RecordError | malformed_record | a record's or event's JSON is malformed | every problem's path (`$.events[3].occurred_at`) |
//! | RecordError | event_rejected | an event of a record being loaded is one the guards reject | the event's field (`$.events[7].item`; codes: the event error's) |
//! | RecordError | protocol_mismatch | the record was built with another protocol | `$.protocol_fingerprint` |
//! | ScheduleError | unknown_time_zone | the time zone is not a known IANA name | `$.time_zone` |
//! | ScheduleError | date_out_of_range | a computed date is outside the years -9999 to 9999 | `$.date` |
//! | RequestError | malformed_request | a request document (evaluation, work-list) cannot be read | every problem's path (`$.now`, `$.readings.colour`) |
//! | CohortError | missing_column | a cohort table lacks the id, time or glucose column | `column "name"` |
//! | CohortError | column_type | a cohort column's type cannot be read as ids, times or glucose | `column "name"` |
//! | CohortError | null_value | a cohort's id or time column holds a null | `column "name", row N` |
//! | CohortError | length_mismatch | a cohort's columns differ in length | `columns` |
//! | FhirError | malformed_bundle | a FHIR document is not JSON, nests too deep or repeats a key | the JSON problem's path |
//! | FhirError | missing_field | a field a glucose reading needs is absent | `$.entry[i].resource.effectiveDateTime` |
//! | FhirError | invalid_field | a field holds a value it cannot hold (not a Bundle, a time without an offset) | the field (`$.resourceType`) |
//! | FhirError | unknown_code | an Observation's code is no glucose reading's | `$.entry[i].resource.code` |
//! | FhirError | blood_glucose_code | a blood-glucose reading, not asked for | `$.entry[i].resource.code` |
//! | FhirError | invalid_value | a reading's value is no glucose value | `$.entry[i].resource.valueQuantity.value` (code: the value problem) |
//! | FhirError | unknown_unit | a glucose quantity is neither mg/dL nor mmol/L | `$.entry[i].resource.valueQuantity` |
//! | FhirError | unit_mismatch | a quantity's unit is not the one its code measures in | `$.entry[i].resource.valueQuantity` |
//! | FhirError | mixed_units | one patient's readings in both units, no unit asked for | `$.entry[i].resource.valueQuantity` |
//! | FhirError | missing_metric | a summary lacks a metric the CGM guide requires | `$.mean` (the metric) |
//! | FhirError | zoneless_readings | readings without a time zone exported as FHIR | `$.time_zone` |
//! | FhirError | record_mismatch | the record is not the assessment's | `$.patient_id` or `$.protocol_fingerprint` |
//!
//! Problem codes below a kind's code are [`ProblemCode`]s, the one table of codes: a value problem
//! (`not_positive`, ...); a JSON problem (`unknown_field`, `missing_field`, `invalid_type`, `duplicate_key`,
//! ...); a protocol problem (`prerequisite_cycle`, ...); a typed reason ([`FieldProblem`],
//! [`TransitionProblem`], [`VoidProblem`] of events, [`ThresholdProblem`] and [`TargetsProblem`] of targets:
//! `empty`, `not_done`, `already_voided`, `inconsistent`, ...); otherwise the kind's code.
//!
//! [`FieldProblem`]: crate::pathway::FieldProblem
//! [`TransitionProblem`]: crate::pathway::TransitionProblem
//! [`VoidProblem`]: crate::pathway::VoidProblem
//! [`ThresholdProblem`]: crate::glucose::ThresholdProblem
//! [`TargetsProblem`]: crate::glucose::TargetsProblem

use serde::{Deserialize, Serialize};
use thiserror::Error as ThisError;

use crate::cgm::SeriesError;
use crate::cohort::CohortError;
use crate::fhir::FhirError;
use crate::glucose::GlucoseError;
use crate::io::ReadError;
use crate::pathway::{EventError, ProtocolError, RecordError};
use crate::rules::RequestError;
use crate::schedule::ScheduleError;
use crate::wire::wire_enum;

pub use crate::problem::{MAX_ECHO, MAX_MESSAGE, Problem, ProblemCode};

/// Every error pumppath returns, one variant per module.
///
/// Each variant wraps its module's own error type, whose variants name the offending field and value. The
/// bindings map each variant to an exception class (Python) or `Error` subclass (JavaScript) with the name
/// [`Error::kind`] returns, so `except pumppath.GlucoseError` works as it reads.
///
/// ```
/// use pumppath::glucose::{classify, Targets, Unit};
///
/// fn band_name(v: f64) -> Result<&'static str, pumppath::Error> {
///     Ok(classify(v, Unit::MgDl, &Targets::default())?.as_str())
/// }
/// let err = band_name(f64::INFINITY).unwrap_err();
/// assert_eq!(err.kind(), "GlucoseError");
/// assert_eq!(err.code(), "invalid_value");
/// assert_eq!(err.to_string(), "glucose value inf mg/dL is infinite");
/// assert_eq!(
///     serde_json::to_value(&err)?,
///     serde_json::json!({"kind": "GlucoseError", "code": "invalid_value",
///                        "message": "glucose value inf mg/dL is infinite",
///                        "problems": [{"path": "$.value", "code": "infinite",
///                                      "message": "glucose value inf mg/dL is infinite", "value": "inf"}]})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, ThisError)]
#[non_exhaustive]
pub enum Error {
    /// An invalid glucose value, unit, cut-point or target.
    #[error(transparent)]
    Glucose(#[from] GlucoseError),
    /// Readings that cannot form a CGM series (an invalid value at an index, a duplicate time), or an invalid
    /// metric option.
    #[error(transparent)]
    Series(#[from] SeriesError),
    /// A CSV export that cannot be read: the line, the column and the value.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A protocol that cannot be used: every problem, each with its JSON path.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// An event the protocol or the record forbids.
    #[error(transparent)]
    Event(#[from] EventError),
    /// A record that cannot be used as a whole: malformed JSON, an event the guards reject, or built with
    /// another protocol.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// A time zone or date the schedule cannot use.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// A request document (an evaluation or a work-list) that cannot be read.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A cohort table whose columns cannot be read as patients' readings.
    #[error(transparent)]
    Cohort(#[from] CohortError),
    /// A FHIR bundle that cannot be read as glucose readings, or an answer FHIR's profiles cannot carry.
    #[error(transparent)]
    Fhir(#[from] FhirError),
}

wire_enum! {
    /// The kind of an [`Error`]: the module error it wraps, which is also its Python exception class and its
    /// JavaScript error name.
    pub enum ErrorKind {
        /// [`GlucoseError`].
        GlucoseError => "GlucoseError",
        /// [`SeriesError`].
        SeriesError => "SeriesError",
        /// [`ReadError`].
        ReadError => "ReadError",
        /// [`ProtocolError`].
        ProtocolError => "ProtocolError",
        /// [`EventError`].
        EventError => "EventError",
        /// [`RecordError`].
        RecordError => "RecordError",
        /// [`ScheduleError`].
        ScheduleError => "ScheduleError",
        /// [`RequestError`].
        RequestError => "RequestError",
        /// [`CohortError`].
        CohortError => "CohortError",
        /// [`FhirError`].
        FhirError => "FhirError",
    }
}

impl ErrorKind {
    /// Every code an error of this kind can have, in its module's order.
    pub fn codes(self) -> &'static [ProblemCode] {
        match self {
            ErrorKind::GlucoseError => GlucoseError::CODES,
            ErrorKind::SeriesError => SeriesError::CODES,
            ErrorKind::ReadError => ReadError::CODES,
            ErrorKind::ProtocolError => ProtocolError::CODES,
            ErrorKind::EventError => EventError::CODES,
            ErrorKind::RecordError => RecordError::CODES,
            ErrorKind::ScheduleError => ScheduleError::CODES,
            ErrorKind::RequestError => RequestError::CODES,
            ErrorKind::CohortError => CohortError::CODES,
            ErrorKind::FhirError => FhirError::CODES,
        }
    }
}

/// The JSON form of every [`Error`]: `{"kind", "code", "message", "problems"}`, what Python and JavaScript
/// errors carry as attributes and what the work-list lists for a patient it could not evaluate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorDocument {
    /// The class name.
    pub kind: ErrorKind,
    /// The variant's stable snake_case code (the table in the `error` module).
    pub code: ProblemCode,
    /// The message, naming the field and the value (cut to [`MAX_MESSAGE`]
    /// characters).
    pub message: String,
    /// Every problem, each with its path, code, message and value.
    pub problems: Vec<Problem>,
}

impl Error {
    /// The error's class name in every language: the name of the module error it wraps.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Glucose(_) => ErrorKind::GlucoseError,
            Error::Series(_) => ErrorKind::SeriesError,
            Error::Read(_) => ErrorKind::ReadError,
            Error::Protocol(_) => ErrorKind::ProtocolError,
            Error::Event(_) => ErrorKind::EventError,
            Error::Record(_) => ErrorKind::RecordError,
            Error::Schedule(_) => ErrorKind::ScheduleError,
            Error::Request(_) => ErrorKind::RequestError,
            Error::Cohort(_) => ErrorKind::CohortError,
            Error::Fhir(_) => ErrorKind::FhirError,
        }
    }

    /// The variant's stable snake_case code, unique within its kind (see the table in the module docs).
    pub fn code(&self) -> ProblemCode {
        match self {
            Error::Glucose(e) => e.code(),
            Error::Series(e) => e.code(),
            Error::Read(e) => e.code(),
            Error::Protocol(e) => e.code(),
            Error::Event(e) => e.code(),
            Error::Record(e) => e.code(),
            Error::Schedule(e) => e.code(),
            Error::Request(e) => e.code(),
            Error::Cohort(e) => e.code(),
            Error::Fhir(e) => e.code(),
        }
    }

    /// The problems: one for an error about one value, every one for an error that lists them (an invalid
    /// protocol, a malformed record).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::Glucose(e) => e.problems(),
            Error::Series(e) => e.problems(),
            Error::Read(e) => e.problems(),
            Error::Protocol(e) => e.problems(),
            Error::Event(e) => e.problems(),
            Error::Record(e) => e.problems(),
            Error::Schedule(e) => e.problems(),
            Error::Request(e) => e.problems(),
            Error::Cohort(e) => e.problems(),
            Error::Fhir(e) => e.problems(),
        }
    }

    /// The error's JSON form.
    pub fn document(&self) -> ErrorDocument {
        ErrorDocument {
            kind: self.kind(),
            code: self.code(),
            message: crate::problem::message(self.to_string()),
            problems: self.problems(),
        }
    }

    /// The same error for a part of a larger document at `root` (`$.record`): every problem path that is a
    /// JSON path moves under it.
    pub(crate) fn under(self, root: &str) -> Error {
        let move_all = |problems: Vec<Problem>| problems.into_iter().map(|p| p.under(root)).collect();
        match self {
            Error::Protocol(ProtocolError::Invalid { problems }) => {
                ProtocolError::Invalid { problems: move_all(problems) }.into()
            }
            Error::Record(RecordError::Malformed { problems }) => {
                RecordError::Malformed { problems: move_all(problems) }.into()
            }
            Error::Record(RecordError::EventRejected { path, source }) => {
                RecordError::EventRejected { path: crate::problem::under(root, path), source }.into()
            }
            Error::Series(SeriesError::InvalidJson { problems }) => {
                SeriesError::InvalidJson { problems: move_all(problems) }.into()
            }
            Error::Series(source) => {
                SeriesError::InDocument { root: root.to_owned(), source: Box::new(source) }.into()
            }
            other => other,
        }
    }

    /// Every (kind, code) pair the errors produce, in the order of the module table.
    pub fn all_codes() -> Vec<(ErrorKind, ProblemCode)> {
        ErrorKind::ALL.iter().flat_map(|&kind| kind.codes().iter().map(move |&code| (kind, code))).collect()
    }
}

/// `{"kind", "code", "message", "problems": [...]}`: the [`ErrorDocument`].
impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.document().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (kind, code) rows of the table in this file's module docs.
    fn documented() -> Vec<(String, String)> {
        include_str!("error.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("//! | "))
            .map(|row| row.split(" | ").map(str::trim).collect::<Vec<_>>())
            .filter(|cells| cells.len() >= 2 && cells[0] != "kind" && !cells[0].starts_with("---"))
            .map(|cells| (cells[0].to_owned(), cells[1].to_owned()))
            .collect()
    }

    #[test]
    fn the_documented_table_lists_exactly_the_codes_the_errors_produce() {
        let listed: Vec<(String, String)> = Error::all_codes()
            .into_iter()
            .map(|(k, c)| (k.as_str().to_owned(), c.as_str().to_owned()))
            .collect();
        assert_eq!(documented(), listed);
        // Codes are snake_case and unique within their kind.
        let mut seen = std::collections::BTreeSet::new();
        for (kind, code) in &listed {
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{code}");
            assert!(seen.insert((kind.clone(), code.clone())), "{kind} {code} twice");
        }
    }
}
