use thiserror::Error;

use crate::cgm::SeriesError;

/// An error of the `io` module: a CSV export that cannot be read.
///
/// Every variant about the content names the line (1-based, as an editor shows it) and, where one is at
/// fault, the column and the value as written.
///
/// ```
/// use pumppath::glucose::Unit;
/// use pumppath::io::{read_long_csv, ReadError};
///
/// let csv = "id,time,gl\nA,2026-03-02 08:00:00,112\nA,2026-03-02 08:05,abc\n";
/// let err = read_long_csv(csv.as_bytes(), Unit::MgDl, &Default::default()).unwrap_err();
/// assert!(matches!(err, ReadError::InvalidValue { line: 3, .. }));
/// assert_eq!(err.to_string(), "line 3, column \"gl\": glucose value \"abc\" is not a number");
/// ```
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The input could not be read.
    #[error("could not read the input: {message}")]
    Io {
        /// The system's message.
        message: String,
    },
    /// A line is not valid CSV (unbalanced quotes, a different number of fields than the header, bad UTF-8).
    #[error("line {line}: malformed CSV: {message}")]
    Csv {
        /// The line the record starts on.
        line: u64,
        /// What the CSV parser found.
        message: String,
    },
    /// The header lacks a column the format needs.
    #[error("line {line}: the header has no column {column:?}")]
    MissingColumn {
        /// The header's line (1).
        line: u64,
        /// The column's name (or the names it may have, separated by " or ").
        column: String,
    },
    /// A time is not a wall-clock time.
    #[error("line {line}, column {column:?}: time {value:?} is not a wall-clock time YYYY-MM-DD HH:MM:SS")]
    InvalidTime {
        /// The line.
        line: u64,
        /// The column's name in the header.
        column: String,
        /// The text as written.
        value: String,
    },
    /// A glucose value is not a number or not a valid glucose value.
    #[error("line {line}, column {column:?}: glucose value {value:?} is {problem}")]
    InvalidValue {
        /// The line.
        line: u64,
        /// The column's name in the header.
        column: String,
        /// The text as written.
        value: String,
        /// What is wrong with it ("not a number", "not positive", ...).
        problem: String,
    },
    /// A patient's readings cannot form a series (a duplicate time under the default policy).
    #[error("patient {id:?}: {source}")]
    Series {
        /// The patient's id as written (empty for a single-patient export, and when the options are at fault:
        /// an unknown time zone).
        id: String,
        /// Why the series cannot be built.
        source: SeriesError,
    },
}
