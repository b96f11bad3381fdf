use thiserror::Error;

use crate::cgm::SeriesError;
use crate::glucose::ValueProblem;
use crate::problem::Problem;

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
        /// What is wrong with it (text that is no number is [`ValueProblem::NotANumber`]).
        problem: ValueProblem,
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

crate::problem::error_codes!(ReadError {
    Io => Io,
    Csv => Csv,
    MissingColumn => MissingColumn,
    InvalidTime => InvalidTime,
    InvalidValue => InvalidValue,
    Series => Series,
});

impl ReadError {
    /// The problems: one at `line N` or `line N, column "name"` (an invalid value's has the
    /// [`ValueProblem`]'s code), or the series' own problems (their codes kept, the path prefixed with the
    /// patient's id when there is one).
    pub fn problems(&self) -> Vec<Problem> {
        let message = self.to_string();
        let code = self.code();
        match self {
            ReadError::Io { .. } => vec![Problem::new("input", code, message)],
            ReadError::Csv { line, .. } => vec![Problem::new(format!("line {line}"), code, message)],
            ReadError::MissingColumn { line, column } => {
                vec![Problem::new(format!("line {line}"), code, message).with_value(column.as_str())]
            }
            ReadError::InvalidTime { line, column, value } => vec![
                Problem::new(format!("line {line}, column {column:?}"), code, message)
                    .with_value(value.as_str()),
            ],
            ReadError::InvalidValue { line, column, value, problem } => vec![
                Problem::new(format!("line {line}, column {column:?}"), problem.code(), message)
                    .with_value(value.as_str()),
            ],
            ReadError::Series { id, source } => source
                .problems()
                .into_iter()
                .map(|mut p| {
                    if !id.is_empty() {
                        p.path = format!("patient {id:?}, {}", p.path);
                    }
                    p
                })
                .collect(),
        }
    }
}
