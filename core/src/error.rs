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
//! | GlucoseError | invalid_value | one glucose value is NaN, infinite, not positive or implausible | `value` (code: the value problem) |
//! | GlucoseError | invalid_value_at | a value of a batch is invalid | `values[i]` (code: the value problem) |
//! | GlucoseError | unknown_unit | a unit is neither mg/dL nor mmol/L | `unit` |
//! | GlucoseError | invalid_threshold | a cut-point, goal or sensor limit is invalid | the field (`cut_points.low_below`) |
//! | GlucoseError | invalid_targets | targets are malformed as a whole | `targets` |
//! | GlucoseError | buffer_length | an output buffer's length is not the input's | `codes` |
//! | SeriesError | length_mismatch | times and values differ in length | `values` |
//! | SeriesError | invalid_value | a reading's value is invalid | `readings[i]` (code: the value problem) |
//! | SeriesError | time_out_of_range | a time is outside the years -9999 to 9999 | `readings[i]` or `time` |
//! | SeriesError | duplicate_time | readings share a time under the default policy | `times` |
//! | SeriesError | not_increasing | times given as sorted are not increasing | `times[i]` |
//! | SeriesError | invalid_time | text is not a wall-clock time | `time` |
//! | SeriesError | unknown_time_zone | the series options name an unknown IANA zone | `time_zone` |
//! | SeriesError | invalid_bin_minutes | an AGP bin width does not divide the day | `bin_minutes` |
//! | SeriesError | invalid_json | columnar readings JSON cannot be read | `$` |
//! | SeriesError | patient_series | one patient of a long-form table cannot form a series | `patient "id", ...` (codes: the series') |
//! | ReadError | io | the input cannot be read | `input` |
//! | ReadError | csv | a line is not valid CSV | `line N` |
//! | ReadError | missing_column | the header lacks a column | `line 1` |
//! | ReadError | invalid_time | a CSV time is not a wall-clock time | `line N, column "time"` |
//! | ReadError | invalid_value | a CSV glucose value is no number or invalid | `line N, column "gl"` (code: the value problem) |
//! | ReadError | series | a patient's readings cannot form a series | the series' problems, prefixed `patient "id", ` (codes: the series') |
//! | ProtocolError | invalid_protocol | the protocol has problems | every problem's JSON path (`$.phases[1].items[0].prerequisites[0]`) |
//! | ProtocolError | not_serializable | a protocol built in code cannot be written as JSON | `$` |
//! | EventError | duplicate_event_id | an event id is already in the record | `id` |
//! | EventError | recorded_out_of_order | recorded_at is before the last event's | `recorded_at` |
//! | EventError | recorded_in_future | recorded_at is more than 24 hours after now | `recorded_at` |
//! | EventError | actor_not_allowed | the actor may not record this event type | `actor` |
//! | EventError | occurred_out_of_order | dependent milestones occurred out of order | `occurred_at` |
//! | EventError | occurred_after_recorded | occurred_at is after recorded_at | `occurred_at` |
//! | EventError | unknown_item | the event names an item the protocol lacks | `item` |
//! | EventError | no_milestone_item | no item carries the event's milestone | `type` |
//! | EventError | prerequisites_not_met | completing an item whose prerequisites are not done | `item` |
//! | EventError | final_state | leaving completed or cancelled other than by reopening | `item` |
//! | EventError | invalid_transition | another transition the pathway forbids | `item` |
//! | EventError | invalid_field | a field of the event has a value it cannot have | the field |
//! | EventError | cannot_void | a correction voids an unknown, voided or correction event | `voids` |
//! | EventError | correction_invalidates | voiding would make a later event impossible | `voids` |
//! | RecordError | malformed_record | a record's or event's JSON is malformed | every problem's path (`events[3].occurred_at`) |
//! | RecordError | protocol_mismatch | the record was built with another protocol | `protocol_fingerprint` |
//! | ScheduleError | unknown_time_zone | the time zone is not a known IANA name | `time_zone` |
//! | ScheduleError | date_out_of_range | a computed date is outside the years -9999 to 9999 | `date` |
//!
//! Problem codes below a kind's code: a value problem (`not_a_number`, `infinite`, `not_positive`,
//! `below_plausible`, `above_plausible`); JSON problems (`invalid_json`, `unknown_field`, `missing_field`,
//! `unknown_variant`, `invalid_type`, `duplicate_key`, `invalid_value`, `too_large`); protocol problems
//! (`unsupported_version`, `invalid_id`, `empty`, `duplicate_id`, `invalid_source`, `duplicate_milestone`,
//! `duplicate_prerequisite`, `unknown_item`, `self_prerequisite`, `later_phase`, `prerequisite_cycle`,
//! `out_of_range`, `duplicate_role`, `inconsistent`, `too_large`); otherwise the kind's code.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};
use thiserror::Error as ThisError;

use crate::cgm::SeriesError;
use crate::glucose::GlucoseError;
#[cfg(feature = "io")]
use crate::io::ReadError;
use crate::pathway::{EventError, ProtocolError, RecordError};
use crate::schedule::ScheduleError;

/// Writes an error enum's `CODES` and `code()` from one table of variants and codes, so the two cannot drift.
macro_rules! error_codes {
    ($name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            /// Every code [`code`](Self::code) returns.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The variant's stable snake_case code.
            pub fn code(&self) -> &'static str {
                match self {
                    $($name::$variant { .. } => $code,)+
                }
            }
        }
    };
}
pub(crate) use error_codes;

/// One problem in an input: where, a stable code, a message naming the value, and the value as given.
///
/// Every error lists its problems the same way ([`Error::problems`]): the protocol's validation problems,
/// unknown fields, type errors and duplicate keys, one invalid glucose value or CSV cell.
///
/// `path` is a JSON path (`$.phases[1].items[0].prerequisites[0]`) for a protocol, a path below the record
/// (`events[3].occurred_at`) for a record, a field of the event (`occurred_at`, `item`) for an event the guards
/// reject, an index (`values[5]`, `readings[5]`) for a slice, and `line 12, column "gl"` for a CSV cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    /// Where the problem is.
    pub path: String,
    /// A stable snake_case code (`unknown_field`, `invalid_type`, `not_positive`, ...).
    pub code: String,
    /// What is wrong, naming the value.
    pub message: String,
    /// The value as given, when there is one to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl Problem {
    /// A problem without a value.
    pub fn new(path: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { path: path.into(), code: code.into(), message: message.into(), value: None }
    }

    /// The same problem, with the value as given.
    pub fn with_value(mut self, value: impl Into<serde_json::Value>) -> Problem {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The code of a serde_json error: `invalid_json` (syntax, end of input), `too_large` (nesting deeper than
/// serde_json's recursion limit), `missing_field`, `unknown_field`, `unknown_variant`, `invalid_type`,
/// `duplicate_key`, or `invalid_value`.
pub(crate) fn json_error_code(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    let message = e.to_string();
    match e.classify() {
        _ if message.starts_with("recursion limit exceeded") => "too_large",
        Category::Io | Category::Syntax | Category::Eof => "invalid_json",
        Category::Data => match message.split(' ').take(2).collect::<Vec<_>>().as_slice() {
            ["missing", "field"] => "missing_field",
            ["unknown", "field"] => "unknown_field",
            ["unknown", "variant"] => "unknown_variant",
            ["invalid", "type:"] => "invalid_type",
            ["duplicate", "field"] => "duplicate_key",
            _ => "invalid_value",
        },
    }
}

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
///                        "problems": [{"path": "value", "code": "infinite",
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
    #[cfg(feature = "io")]
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A protocol that cannot be used: every problem, each with its JSON path.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// An event the protocol or the record forbids.
    #[error(transparent)]
    Event(#[from] EventError),
    /// A record that cannot be used as a whole: malformed JSON, or built with another protocol.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// A time zone or date the schedule cannot use.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

impl Error {
    /// Every kind, in the order of the module table.
    pub const KINDS: &'static [&'static str] = &[
        "GlucoseError",
        "SeriesError",
        "ReadError",
        "ProtocolError",
        "EventError",
        "RecordError",
        "ScheduleError",
    ];

    /// The error's class name in every language: `"GlucoseError"`, `"SeriesError"`, `"ReadError"`,
    /// `"ProtocolError"`, `"EventError"`, `"RecordError"`, `"ScheduleError"`: the name of the module error it
    /// wraps.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Glucose(_) => "GlucoseError",
            Error::Series(_) => "SeriesError",
            #[cfg(feature = "io")]
            Error::Read(_) => "ReadError",
            Error::Protocol(_) => "ProtocolError",
            Error::Event(_) => "EventError",
            Error::Record(_) => "RecordError",
            Error::Schedule(_) => "ScheduleError",
        }
    }

    /// The variant's stable snake_case code, unique within its kind (see the table in the module docs).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Glucose(e) => e.code(),
            Error::Series(e) => e.code(),
            #[cfg(feature = "io")]
            Error::Read(e) => e.code(),
            Error::Protocol(e) => e.code(),
            Error::Event(e) => e.code(),
            Error::Record(e) => e.code(),
            Error::Schedule(e) => e.code(),
        }
    }

    /// The problems: one for an error about one value, every one for an error that lists them (an invalid
    /// protocol, a malformed record).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::Glucose(e) => e.problems(),
            Error::Series(e) => e.problems(),
            #[cfg(feature = "io")]
            Error::Read(e) => e.problems(),
            Error::Protocol(e) => e.problems(),
            Error::Event(e) => e.problems(),
            Error::Record(e) => e.problems(),
            Error::Schedule(e) => e.problems(),
        }
    }

    /// Every (kind, code) pair the errors produce, in the order of the module table.
    pub fn all_codes() -> Vec<(&'static str, &'static str)> {
        let codes: [&[&'static str]; 7] = [
            GlucoseError::CODES,
            SeriesError::CODES,
            READ_CODES,
            ProtocolError::CODES,
            EventError::CODES,
            RecordError::CODES,
            ScheduleError::CODES,
        ];
        Error::KINDS
            .iter()
            .zip(codes)
            .flat_map(|(kind, codes)| codes.iter().map(move |code| (*kind, *code)))
            .collect()
    }
}

#[cfg(feature = "io")]
const READ_CODES: &[&str] = ReadError::CODES;
// Without the `io` feature no ReadError exists, but its codes stay in the contract.
#[cfg(not(feature = "io"))]
const READ_CODES: &[&str] = &["io", "csv", "missing_column", "invalid_time", "invalid_value", "series"];

/// `{"kind", "code", "message", "problems": [...]}`.
impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 4)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("problems", &self.problems())?;
        s.end()
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
        let listed: Vec<(String, String)> =
            Error::all_codes().into_iter().map(|(k, c)| (k.to_owned(), c.to_owned())).collect();
        assert_eq!(documented(), listed);
        // Codes are snake_case and unique within their kind.
        let mut seen = std::collections::BTreeSet::new();
        for (kind, code) in &listed {
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{code}");
            assert!(seen.insert((kind.clone(), code.clone())), "{kind} {code} twice");
        }
    }
}
