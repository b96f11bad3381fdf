//! The one shape of a problem in an input, its typed codes, and how values are echoed in errors: a leaf
//! module that every other module's errors build on (it imports none of them).

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;

wire_enum! {
    /// The stable code of a [`Problem`]: one table of every code an error or a problem can have.
    ///
    /// An error's own code ([`Error::code`](crate::Error::code)) is one of these, and so is each of its
    /// problems' codes: a JSON problem (`unknown_field`, `invalid_type`, ...), a value problem
    /// (`not_positive`, ...), a protocol problem (`prerequisite_cycle`, ...), a field problem of an event
    /// (`empty`, `out_of_range`, ...), or otherwise the error's own code.
    pub enum ProblemCode {
        // JSON documents.
        /// Text that is not JSON (the message gives the line and column).
        InvalidJson => "invalid_json",
        /// A field the document's type does not have.
        UnknownField => "unknown_field",
        /// A required field is missing.
        MissingField => "missing_field",
        /// A name that is not one of an enum's names.
        UnknownVariant => "unknown_variant",
        /// A value of the wrong JSON type.
        InvalidType => "invalid_type",
        /// A key given twice in one object.
        DuplicateKey => "duplicate_key",
        /// A value of the right type that cannot be used (a malformed date, an unknown time zone).
        InvalidValue => "invalid_value",
        /// A document, list or nesting beyond the documented limits.
        TooLarge => "too_large",
        // Glucose values.
        /// NaN where a value is required.
        NotANumber => "not_a_number",
        /// An infinite value.
        Infinite => "infinite",
        /// Zero or negative.
        NotPositive => "not_positive",
        /// Below the plausible range.
        BelowPlausible => "below_plausible",
        /// Above the plausible range.
        AbovePlausible => "above_plausible",
        /// A value of a batch is invalid.
        InvalidValueAt => "invalid_value_at",
        /// A unit that is neither mg/dL nor mmol/L.
        UnknownUnit => "unknown_unit",
        /// A cut-point, goal or sensor limit that is invalid.
        InvalidThreshold => "invalid_threshold",
        /// Targets malformed as a whole.
        InvalidTargets => "invalid_targets",
        /// A target preset's name that is not one of the presets.
        UnknownPreset => "unknown_preset",
        /// Targets JSON that cannot be read.
        MalformedTargets => "malformed_targets",
        /// An output buffer whose length is not the input's.
        BufferLength => "buffer_length",
        // CGM series and readers.
        /// Times and values of different lengths.
        LengthMismatch => "length_mismatch",
        /// A time outside the years -9999 to 9999.
        TimeOutOfRange => "time_out_of_range",
        /// Readings that share a time.
        DuplicateTime => "duplicate_time",
        /// Times given as sorted that are not increasing.
        NotIncreasing => "not_increasing",
        /// Text that is not a time.
        InvalidTime => "invalid_time",
        /// A time given as a number (JavaScript milliseconds) is NaN or infinite.
        NonFiniteTime => "non_finite_time",
        /// A time-zone name the bundled database does not know.
        UnknownTimeZone => "unknown_time_zone",
        /// An AGP bin width that does not divide the day.
        InvalidBinMinutes => "invalid_bin_minutes",
        /// One patient of a long-form table cannot form a series.
        PatientSeries => "patient_series",
        /// An input that cannot be read.
        Io => "io",
        /// A line that is not valid CSV.
        Csv => "csv",
        /// A header without a required column.
        MissingColumn => "missing_column",
        /// A patient's readings that cannot form a series.
        Series => "series",
        // Cohort tables.
        /// A column whose type cannot be read as the column asked for.
        ColumnType => "column_type",
        /// A null where a column may not hold one.
        NullValue => "null_value",
        // Protocols.
        /// A protocol with problems.
        InvalidProtocol => "invalid_protocol",
        /// A protocol built in code that cannot be written as JSON.
        NotSerializable => "not_serializable",
        /// A schema version this build does not read.
        UnsupportedVersion => "unsupported_version",
        /// An id that is not snake_case.
        InvalidId => "invalid_id",
        /// A list or text that must not be empty.
        Empty => "empty",
        /// An id used twice.
        DuplicateId => "duplicate_id",
        /// A handout source that is not a known passage.
        InvalidSource => "invalid_source",
        /// A milestone carried by two items.
        DuplicateMilestone => "duplicate_milestone",
        /// A prerequisite listed twice.
        DuplicatePrerequisite => "duplicate_prerequisite",
        /// An item id the protocol does not have.
        UnknownItem => "unknown_item",
        /// An item that is its own prerequisite.
        SelfPrerequisite => "self_prerequisite",
        /// A prerequisite in a later phase.
        LaterPhase => "later_phase",
        /// Prerequisites that form a cycle.
        PrerequisiteCycle => "prerequisite_cycle",
        /// A number outside its range.
        OutOfRange => "out_of_range",
        /// A role listed twice.
        DuplicateRole => "duplicate_role",
        /// Values that contradict each other.
        Inconsistent => "inconsistent",
        // Events and records.
        /// An event id already in the record.
        DuplicateEventId => "duplicate_event_id",
        /// An event recorded before the last event still counted.
        RecordedOutOfOrder => "recorded_out_of_order",
        /// An event recorded implausibly far after the clock's "now".
        RecordedInFuture => "recorded_in_future",
        /// An actor that may not record the event's type.
        ActorNotAllowed => "actor_not_allowed",
        /// Dependent milestones out of order.
        OccurredOutOfOrder => "occurred_out_of_order",
        /// An event that occurred after it was recorded.
        OccurredAfterRecorded => "occurred_after_recorded",
        /// An event acting on a milestone no item carries.
        NoMilestoneItem => "no_milestone_item",
        /// Completing an item whose prerequisites are not done.
        PrerequisitesNotMet => "prerequisites_not_met",
        /// Leaving a final state other than by reopening.
        FinalState => "final_state",
        /// Another transition the pathway forbids.
        InvalidTransition => "invalid_transition",
        /// A field of an event with a value it cannot have.
        InvalidField => "invalid_field",
        /// A correction that cannot void what it names.
        CannotVoid => "cannot_void",
        /// A correction names no event of the record.
        UnknownEvent => "unknown_event",
        /// A correction names a correction (record the event again instead).
        VoidsACorrection => "voids_a_correction",
        /// A correction names an event already voided.
        AlreadyVoided => "already_voided",
        /// Reopening an item that is not completed or waived.
        NotDone => "not_done",
        /// An insurance decision without a pending submission.
        NoPendingSubmission => "no_pending_submission",
        /// Completing by hand an item whose own event records it (and its date).
        CompletedByEvent => "completed_by_event",
        /// A correction that would make a later event impossible.
        CorrectionInvalidates => "correction_invalidates",
        /// A record's or event's JSON that is malformed.
        MalformedRecord => "malformed_record",
        /// A record built with another protocol.
        ProtocolMismatch => "protocol_mismatch",
        /// An event of a record the guards reject while the record loads.
        EventRejected => "event_rejected",
        /// A request document that is malformed.
        MalformedRequest => "malformed_request",
        // The schedule.
        /// A computed date outside the years -9999 to 9999.
        DateOutOfRange => "date_out_of_range",
        // FHIR.
        /// A FHIR document that is not JSON, nests too deep or repeats a key.
        MalformedBundle => "malformed_bundle",
        /// An Observation whose code is no glucose reading's.
        UnknownCode => "unknown_code",
        /// A blood-glucose reading, read only when asked for.
        BloodGlucoseCode => "blood_glucose_code",
        /// A quantity whose unit is not the one its code measures in.
        UnitMismatch => "unit_mismatch",
        /// A patient's readings in both units, with no unit to convert them to.
        MixedUnits => "mixed_units",
        /// A summary without a metric a FHIR profile requires.
        MissingMetric => "missing_metric",
        /// Readings without a time zone, where instants are needed.
        ZonelessReadings => "zoneless_readings",
        /// A record that is not the one an assessment was made from.
        RecordMismatch => "record_mismatch",
    }
}

/// One problem in an input: where, a stable code, a message naming the value, and the value as given.
///
/// Every error lists its problems the same way ([`Error::problems`](crate::Error::problems)): a protocol's
/// validation problems, unknown fields, type errors and duplicate keys, an event the guards reject, an
/// invalid glucose value or CSV cell.
///
/// `path` is a JSON path from the document's root, `$` (`$.phases[1].items[0].prerequisites[0]`,
/// `$.events[7].recorded_at`, `$.readings.values[5]`, `$.time_zone`); a CSV cell is `line 12, column "gl"`.
/// A value is echoed once, in `value`, cut to [`MAX_ECHO`] characters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// Where the problem is.
    pub path: String,
    /// A stable snake_case code.
    pub code: ProblemCode,
    /// What is wrong.
    pub message: String,
    /// The value as given (cut to [`MAX_ECHO`] characters), when there is one to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

/// The most characters of a problem's or an error's message; longer ones are cut (they echo a value that is
/// cut in `value`).
pub const MAX_MESSAGE: usize = 600;

/// The most characters of a value an error echoes; longer text is cut, and a long list or object is
/// summarised, so that a 10 MB value never makes a 10 MB error.
pub const MAX_ECHO: usize = 120;

impl Problem {
    /// A problem without a value. A message longer than [`MAX_MESSAGE`] characters is cut.
    pub fn new(path: impl Into<String>, code: ProblemCode, message: impl Into<String>) -> Problem {
        let mut message = message.into();
        if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE) {
            message.truncate(cut);
            message.push('…');
        }
        Problem { path: path.into(), code, message, value: None }
    }

    /// The same problem, with the value as given (cut to [`MAX_ECHO`] characters).
    pub fn with_value(mut self, value: impl Into<serde_json::Value>) -> Problem {
        self.value = Some(echo_value(value.into()));
        self
    }

    /// The same problem with its path under `root`: `$.events[3]` under `$.record` is
    /// `$.record.events[3]`. Paths that are not JSON paths (CSV lines) are left alone.
    pub fn under(mut self, root: &str) -> Problem {
        self.path = under(root, self.path);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// `path` under `root`: `$.events[3]` under `$.record` is `$.record.events[3]`; a path that is not a JSON
/// path is left alone.
pub(crate) fn under(root: &str, path: String) -> String {
    match path.strip_prefix('$') {
        Some(rest) => format!("{root}{rest}"),
        None => path,
    }
}

/// An error's message as the wire carries it: cut to [`MAX_MESSAGE`] characters.
pub(crate) fn message(text: String) -> String {
    match text.char_indices().nth(MAX_MESSAGE) {
        None => text,
        Some((cut, _)) => format!("{}… ({} bytes)", &text[..cut], text.len()),
    }
}

/// Text as an error shows it: at most [`MAX_ECHO`] characters, a longer text cut with its length said.
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_ECHO) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}… ({} bytes)", &text[..cut], text.len())),
    }
}

/// A value as an error echoes it: strings cut by [`shown`], large lists and objects summarised.
fn echo_value(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => match shown(&s) {
            Cow::Borrowed(_) => Value::String(s),
            Cow::Owned(cut) => Value::String(cut),
        },
        Value::Array(a) if a.len() > 16 || a.iter().any(|v| !v.is_number()) && a.len() > 4 => {
            Value::String(format!("a list of {} values", a.len()))
        }
        Value::Array(a) => Value::Array(a.into_iter().map(echo_value).collect()),
        Value::Object(m) if m.len() > 8 => Value::String(format!("an object of {} fields", m.len())),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (shown(&k).into_owned(), echo_value(v))).collect())
        }
        other => other,
    }
}

/// Writes an error enum's `CODES` and `code()` from one table of variants and [`ProblemCode`]s, so the two
/// cannot drift and every code is one of the one table's.
///
/// A variant that only places another error of the same type (`InDocument { source, .. }`) is listed after
/// `where` with the field it wraps: its code is the wrapped error's.
macro_rules! error_codes {
    ($name:ident { $($variant:ident => $code:ident),+ $(,)? } $(where $($wrapper:ident . $field:ident),+)?) => {
        impl $name {
            /// Every code [`code`](Self::code) returns.
            pub const CODES: &'static [$crate::problem::ProblemCode] = &[$($crate::problem::ProblemCode::$code),+];

            /// The variant's stable snake_case code.
            pub fn code(&self) -> $crate::problem::ProblemCode {
                match self {
                    $($name::$variant { .. } => $crate::problem::ProblemCode::$code,)+
                    $($($name::$wrapper { $field, .. } => $field.code(),)+)?
                }
            }
        }
    };
}
pub(crate) use error_codes;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_echoed_once_and_cut() {
        let huge = "x".repeat(10 << 20);
        let p =
            Problem::new("$.time_zone", ProblemCode::UnknownTimeZone, "unknown").with_value(huge.as_str());
        let echoed = serde_json::to_string(&p).unwrap();
        assert!(echoed.len() < 400, "{}", echoed.len());
        assert!(echoed.contains("(10485760 bytes)"), "{echoed}");
        let list = serde_json::Value::Array(vec![serde_json::Value::Null; 1000]);
        assert_eq!(
            Problem::new("$", ProblemCode::InvalidType, "").with_value(list).value,
            Some("a list of 1000 values".into())
        );
        assert_eq!(shown("America/Chicago"), "America/Chicago");
    }

    #[test]
    fn paths_move_under_a_root() {
        let p = Problem::new("$.events[3].item", ProblemCode::UnknownItem, "");
        assert_eq!(p.under("$.record").path, "$.record.events[3].item");
        assert_eq!(Problem::new("$", ProblemCode::InvalidJson, "").under("$.protocol").path, "$.protocol");
        assert_eq!(Problem::new("line 3", ProblemCode::Csv, "").under("$.x").path, "line 3");
    }
}
