use std::fmt;

use thiserror::Error;

use super::Unit;
use crate::problem::{Problem, ProblemCode};

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

impl ValueProblem {
    /// Every problem, in declaration order.
    pub const ALL: [ValueProblem; 5] = [
        ValueProblem::NotANumber,
        ValueProblem::Infinite,
        ValueProblem::NotPositive,
        ValueProblem::BelowPlausible,
        ValueProblem::AbovePlausible,
    ];

    /// The stable snake_case code (`not_a_number`, `infinite`, `not_positive`, `below_plausible`,
    /// `above_plausible`): the code of the [`Problem`] that names the value, and the serialised form.
    pub fn code(self) -> ProblemCode {
        match self {
            ValueProblem::NotANumber => ProblemCode::NotANumber,
            ValueProblem::Infinite => ProblemCode::Infinite,
            ValueProblem::NotPositive => ProblemCode::NotPositive,
            ValueProblem::BelowPlausible => ProblemCode::BelowPlausible,
            ValueProblem::AbovePlausible => ProblemCode::AbovePlausible,
        }
    }
}

impl serde::Serialize for ValueProblem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code().as_str())
    }
}

/// A glucose value (or time in seconds) as JSON: a number, or `"NaN"`, `"inf"`, `"-inf"`, which JSON numbers
/// cannot hold.
pub(crate) fn number(value: f64) -> serde_json::Value {
    serde_json::Number::from_f64(value).map_or_else(|| value.to_string().into(), serde_json::Value::Number)
}

crate::problem::error_codes!(GlucoseError {
    InvalidValue => InvalidValue,
    InvalidValueAt => InvalidValueAt,
    UnknownUnit => UnknownUnit,
    InvalidThreshold => InvalidThreshold,
    InvalidTargets => InvalidTargets,
    BufferLength => BufferLength,
});

impl GlucoseError {
    /// Why the value is invalid, for the two value variants.
    pub fn value_problem(&self) -> Option<ValueProblem> {
        match self {
            GlucoseError::InvalidValue { problem, .. } | GlucoseError::InvalidValueAt { problem, .. } => {
                Some(*problem)
            }
            _ => None,
        }
    }

    /// The one problem: path `$.value`, `$.values[i]`, `$.unit`, the threshold's field (`$.cut_points.low_below`),
    /// `$.targets` or `$.codes`; an
    /// invalid value's problem has the [`ValueProblem`]'s code.
    pub fn problems(&self) -> Vec<Problem> {
        let message = self.to_string();
        let problem = match self {
            GlucoseError::InvalidValue { value, problem, .. } => {
                Problem::new("$.value", problem.code(), message).with_value(number(*value))
            }
            GlucoseError::InvalidValueAt { index, value, problem, .. } => {
                Problem::new(format!("$.values[{index}]"), problem.code(), message).with_value(number(*value))
            }
            GlucoseError::UnknownUnit { value } => {
                Problem::new("$.unit", self.code(), message).with_value(value.as_str())
            }
            GlucoseError::InvalidThreshold { field, value, .. } => {
                Problem::new(format!("$.{field}"), self.code(), message).with_value(number(*value))
            }
            GlucoseError::InvalidTargets { .. } => Problem::new("$.targets", self.code(), message),
            GlucoseError::BufferLength { actual, .. } => {
                Problem::new("$.codes", self.code(), message).with_value(*actual)
            }
        };
        vec![problem]
    }
}
