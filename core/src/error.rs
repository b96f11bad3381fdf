//! The crate's one public error type.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error as ThisError;

use crate::cgm::SeriesError;
use crate::glucose::GlucoseError;
#[cfg(feature = "io")]
use crate::io::ReadError;
use crate::pathway::{EventError, ProtocolError, RecordError};
use crate::schedule::ScheduleError;

/// One problem in an input: where, a stable code, a message naming the value, and the value as given.
///
/// Every error lists its problems the same way ([`Error::problems`]): the protocol's validation problems,
/// unknown fields, type errors and duplicate keys, one invalid glucose value or CSV cell.
///
/// `path` is a JSON path (`$.phases[1].items[0].prerequisites[0]`) for a protocol, a path below the record
/// (`events[3].occurred_at`) for a record, a field of the event (`occurred_at`, `item`) for an event the guards
/// reject, an index (`values[5]`, `readings[5]`) for a slice, and `line 12, column "gl"` for a CSV cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
/// assert_eq!(err.to_string(), "glucose value inf mg/dL is infinite");
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
}
