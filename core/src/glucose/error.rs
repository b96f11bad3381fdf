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
        problem: ThresholdProblem,
    },
    /// Targets are malformed as a whole (a preset with extra fields, custom targets missing a part).
    #[error("invalid targets: {problem}")]
    InvalidTargets {
        /// What is wrong.
        problem: TargetsProblem,
    },
    /// A target preset given by name is not one of the presets ([`TargetPreset`](super::TargetPreset)).
    #[error("unknown target preset {value:?}: expected one of {}", super::TargetPreset::NAMES.join(", "))]
    UnknownPreset {
        /// The name as given (cut to a readable length).
        value: String,
    },
    /// Targets JSON that cannot be read (an unknown field, a wrong type, an invalid cut-point): every problem,
    /// each with its JSON path (`$.cut_points.low_below`, `$.colour`) and code.
    #[error("targets JSON: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    MalformedTargets {
        /// Every problem found.
        problems: Vec<Problem>,
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

/// Why a cut-point, goal or sensor limit is invalid ([`GlucoseError::InvalidThreshold`]); each has its own
/// problem code.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum ThresholdProblem {
    /// NaN or infinite (`not_a_number`).
    NotFinite,
    /// Zero or negative (`not_positive`).
    NotPositive,
    /// Not above the cut-point before it (`inconsistent`).
    NotAbove {
        /// The field it must be above.
        field: &'static str,
        /// That field's value.
        value: f64,
    },
    /// A goal that is not a percent between 0 and 100 (`out_of_range`).
    NotAPercent,
    /// A sensor limit outside the plausible glucose range (the value problem's code).
    Implausible(ValueProblem),
    /// A sensor's low limit that would not read as very low (`inconsistent`).
    LowNotVeryLow {
        /// The very-low cut-point it must be below.
        below: f64,
        /// In this unit.
        unit: Unit,
    },
    /// A sensor's high limit that would not read as very high (`inconsistent`).
    HighNotVeryHigh {
        /// The very-high cut-point it must be above.
        above: f64,
        /// In this unit.
        unit: Unit,
    },
}

impl ThresholdProblem {
    /// Its problem code.
    pub fn code(self) -> ProblemCode {
        match self {
            ThresholdProblem::NotFinite => ProblemCode::NotANumber,
            ThresholdProblem::NotPositive => ProblemCode::NotPositive,
            ThresholdProblem::NotAPercent => ProblemCode::OutOfRange,
            ThresholdProblem::Implausible(p) => p.code(),
            ThresholdProblem::NotAbove { .. }
            | ThresholdProblem::LowNotVeryLow { .. }
            | ThresholdProblem::HighNotVeryHigh { .. } => ProblemCode::Inconsistent,
        }
    }
}

impl fmt::Display for ThresholdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThresholdProblem::NotFinite => f.write_str("must be a finite number"),
            ThresholdProblem::NotPositive => f.write_str("must be greater than 0"),
            ThresholdProblem::NotAbove { field, value } => {
                write!(f, "must be greater than {field} ({value})")
            }
            ThresholdProblem::NotAPercent => f.write_str("must be a percent between 0 and 100"),
            ThresholdProblem::Implausible(p) => write!(f, "{p}"),
            ThresholdProblem::LowNotVeryLow { below, unit } => {
                write!(f, "must be below {below} {unit}, so that \"Low\" reads as very low")
            }
            ThresholdProblem::HighNotVeryHigh { above, unit } => {
                write!(f, "must be above {above} {unit}, so that \"High\" reads as very high")
            }
        }
    }
}

/// Why targets are malformed as a whole ([`GlucoseError::InvalidTargets`]); each has its own problem code.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TargetsProblem {
    /// A preset given with other fields (`inconsistent`).
    PresetWithOtherFields {
        /// The preset's wire name.
        preset: String,
    },
    /// Custom targets without some of their parts (`missing_field`).
    CustomMissing {
        /// The parts missing: `name`, `cut_points`, `goals`.
        fields: Vec<&'static str>,
    },
    /// Custom targets with an empty name (`empty`).
    EmptyName,
}

impl TargetsProblem {
    /// Its problem code.
    pub fn code(&self) -> ProblemCode {
        match self {
            TargetsProblem::PresetWithOtherFields { .. } => ProblemCode::Inconsistent,
            TargetsProblem::CustomMissing { .. } => ProblemCode::MissingField,
            TargetsProblem::EmptyName => ProblemCode::Empty,
        }
    }
}

impl fmt::Display for TargetsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetsProblem::PresetWithOtherFields { preset } => write!(
                f,
                "preset {preset:?} takes no other field; give name, cut_points and goals for custom targets"
            ),
            TargetsProblem::CustomMissing { fields } => {
                write!(f, "custom targets need {}", fields.join(", "))
            }
            TargetsProblem::EmptyName => f.write_str("custom targets need a non-empty name"),
        }
    }
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
    UnknownPreset => UnknownPreset,
    MalformedTargets => MalformedTargets,
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
    /// `$.targets` or `$.codes`; an invalid value's problem has the [`ValueProblem`]'s code. Malformed targets
    /// JSON has every problem the reader found.
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
            GlucoseError::InvalidThreshold { field, value, problem } => {
                Problem::new(format!("$.{field}"), problem.code(), message).with_value(number(*value))
            }
            GlucoseError::InvalidTargets { problem } => Problem::new("$.targets", problem.code(), message),
            GlucoseError::UnknownPreset { value } => {
                Problem::new("$.targets", self.code(), message).with_value(value.as_str())
            }
            GlucoseError::MalformedTargets { problems } => return problems.clone(),
            GlucoseError::BufferLength { actual, .. } => {
                Problem::new("$.codes", self.code(), message).with_value(*actual)
            }
        };
        vec![problem]
    }
}
