//! The error of a cohort table whose columns cannot be read.

use thiserror::Error;

use crate::problem::Problem;

/// A cohort table ([`summarize`](super::summarize)'s input, an Arrow table in the bindings) whose columns
/// cannot be read as patients' readings. Each variant names the column, and the row or type at fault.
///
/// A patient whose readings cannot form a series is not this error: that patient's row of the result carries
/// the series' error, and the other patients are summarised.
///
/// ```
/// use pumppath::cohort::CohortError;
///
/// let err = CohortError::NullValue { column: "time".into(), row: 17 };
/// assert_eq!(err.to_string(), "column \"time\", row 17: null, which this column may not hold");
/// assert_eq!(err.problems()[0].path, "column \"time\", row 17");
/// ```
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum CohortError {
    /// The table has no column of this name.
    #[error("the table has no column {column:?} (its columns: {available})")]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The table's columns, comma-separated.
        available: String,
    },
    /// A column's type is not one this column can be read from.
    #[error("column {column:?} is of type {found}; expected {expected}")]
    ColumnType {
        /// The column.
        column: String,
        /// Its type, as the table's library names it.
        found: String,
        /// The types it can be read from.
        expected: String,
    },
    /// A null where the column may not hold one (ids and times; a null glucose value is a missing reading).
    #[error("column {column:?}, row {row}: null, which this column may not hold")]
    NullValue {
        /// The column.
        column: String,
        /// The row, 0-based.
        row: usize,
    },
    /// The columns differ in length.
    #[error("the columns differ in length: {lengths}")]
    LengthMismatch {
        /// Each column's length, as `name: length`, comma-separated.
        lengths: String,
    },
}

crate::problem::error_codes!(CohortError {
    MissingColumn => MissingColumn,
    ColumnType => ColumnType,
    NullValue => NullValue,
    LengthMismatch => LengthMismatch,
});

impl CohortError {
    /// The problem, with its path: `column "name"`, and `, row N` where a row is at fault.
    pub fn problems(&self) -> Vec<Problem> {
        let (message, code) = (self.to_string(), self.code());
        let problem = match self {
            CohortError::MissingColumn { column, .. } => {
                Problem::new(format!("column {column:?}"), code, message).with_value(column.as_str())
            }
            CohortError::ColumnType { column, found, .. } => {
                Problem::new(format!("column {column:?}"), code, message).with_value(found.as_str())
            }
            CohortError::NullValue { column, row } => {
                Problem::new(format!("column {column:?}, row {row}"), code, message)
            }
            CohortError::LengthMismatch { lengths } => {
                Problem::new("columns", code, message).with_value(lengths.as_str())
            }
        };
        vec![problem]
    }
}
