use std::fmt;

use thiserror::Error;

use super::Unit;

/// Why a glucose value is not a valid reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueProblem {
    /// NaN where a value is required (the batch API counts NaN as missing instead).
    NotANumber,
    /// Positive or negative infinity.
    Infinite,
    /// Zero or negative.
    NotPositive,
    /// Positive but below the plausible minimum (10 mg/dL).
    BelowPlausible,
    /// Above the plausible maximum (1,000 mg/dL).
    AbovePlausible,
}

impl fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueProblem::NotANumber => "not a number",
            ValueProblem::Infinite => "infinite",
            ValueProblem::NotPositive => "not positive",
            ValueProblem::BelowPlausible => "below the plausible minimum of 10 mg/dL (0.555 mmol/L)",
            ValueProblem::AbovePlausible => "above the plausible maximum of 1000 mg/dL (55.5 mmol/L)",
        })
    }
}

/// An error of the `glucose` module: an invalid value, unit, cut-point or target.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum GlucoseError {
    /// One glucose value is invalid.
    #[error("glucose value {value} {unit} is {problem}")]
    InvalidValue {
        /// The value as given.
        value: f64,
        /// Its unit.
        unit: Unit,
        /// What is wrong with it.
        problem: ValueProblem,
    },
    /// A value in a batch is invalid; `index` is its position in the slice.
    #[error("values[{index}]: glucose value {value} {unit} is {problem}")]
    InvalidValueAt {
        /// Position of the value in the input slice.
        index: usize,
        /// The value as given.
        value: f64,
        /// Its unit.
        unit: Unit,
        /// What is wrong with it.
        problem: ValueProblem,
    },
    /// A unit given as text is neither `"mg/dL"` nor `"mmol/L"`.
    #[error("unknown glucose unit {value:?}: expected \"mg/dL\" or \"mmol/L\"")]
    UnknownUnit {
        /// The text as given.
        value: String,
    },
    /// A cut-point, goal or sensor limit is invalid.
    #[error("{field} = {value}: {problem}")]
    InvalidThreshold {
        /// The field, as its JSON path (`cut_points.low_below`).
        field: String,
        /// The value as given.
        value: f64,
        /// What is wrong with it.
        problem: String,
    },
    /// Targets are malformed as a whole (a preset with extra fields, custom targets missing a part).
    #[error("invalid targets: {problem}")]
    InvalidTargets {
        /// What is wrong.
        problem: String,
    },
    /// An output buffer does not have the input's length.
    #[error("output buffer has length {actual}, expected {expected} (one code per value)")]
    BufferLength {
        /// The input's length.
        expected: usize,
        /// The buffer's length.
        actual: usize,
    },
}
