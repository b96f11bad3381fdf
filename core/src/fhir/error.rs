//! The error of a FHIR document that cannot be read, or of an answer that cannot be written as FHIR.

use thiserror::Error;

use crate::glucose::{GlucoseError, Unit};
use crate::problem::{Problem, shown};

/// A FHIR Bundle that cannot be read as glucose readings, or an answer the CGM guide's profiles cannot carry.
/// Each variant names the field (a JSON path from the bundle's root, `$.entry[3].resource.code`) and the value
/// at fault.
///
/// ```
/// use pumppath::fhir::FhirError;
///
/// let err = FhirError::BloodGlucoseCode { path: "$.entry[0].resource.code".into(), code: "2339-0".into() };
/// assert_eq!(
///     err.to_string(),
///     "$.entry[0].resource.code: LOINC 2339-0 is a blood-glucose code, not a CGM reading's; \
///      read it only by asking for blood glucose (blood_glucose)"
/// );
/// assert_eq!(err.problems()[0].path, "$.entry[0].resource.code");
/// ```
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum FhirError {
    /// The text is not JSON, nests too deep or repeats a key.
    #[error("the FHIR bundle cannot be read: {}", first_message(problems))]
    MalformedBundle {
        /// What is wrong, each with its path.
        problems: Vec<Problem>,
    },
    /// A field the reading needs is absent.
    #[error("{path}: missing; expected {expected}")]
    MissingField {
        /// The field's path.
        path: String,
        /// What it should hold.
        expected: &'static str,
    },
    /// A field holds a value it cannot hold.
    #[error("{path}: {:?} is not {expected}", shown(value))]
    InvalidField {
        /// The field's path.
        path: String,
        /// The value as given (JSON text for what is not a string).
        value: String,
        /// What it should hold.
        expected: &'static str,
    },
    /// An Observation whose code is no glucose reading's.
    #[error(
        "{path}: {:?} is not a glucose reading's code (CGM readings: LOINC 99504-3 in mg/dL, \
             105272-9 in mmol/L)",
        shown(codes)
    )]
    UnknownCode {
        /// The path of the Observation's `code`.
        path: String,
        /// Its codings, `system|code`, comma-separated.
        codes: String,
    },
    /// A blood-glucose (meter or laboratory) reading, read only when asked for.
    #[error(
        "{path}: LOINC {code} is a blood-glucose code, not a CGM reading's; read it only by asking for \
             blood glucose (blood_glucose)"
    )]
    BloodGlucoseCode {
        /// The path of the Observation's `code`.
        path: String,
        /// The LOINC code.
        code: String,
    },
    /// A reading's value that is no glucose value (not positive, implausible); its problem's code is the value
    /// problem's (`not_positive`).
    #[error("{path}: {source}")]
    InvalidValue {
        /// The path of the value.
        path: String,
        /// What is wrong with it.
        source: GlucoseError,
    },
    /// A quantity whose unit is neither mg/dL nor mmol/L (UCUM `mg/dL`, `mmol/L`).
    #[error("{path}: unit {:?} is neither mg/dL nor mmol/L (UCUM)", shown(unit))]
    UnknownUnit {
        /// The path of the quantity.
        path: String,
        /// The unit as given (its UCUM `code`, else its `unit`).
        unit: String,
    },
    /// A quantity whose unit is not the one its LOINC code measures in (a mass code in mmol/L).
    #[error("{path}: LOINC {code} is measured in {expected}, not {unit}")]
    UnitMismatch {
        /// The path of the quantity.
        path: String,
        /// The Observation's LOINC code.
        code: String,
        /// The quantity's unit.
        unit: Unit,
        /// The unit the code measures in.
        expected: Unit,
    },
    /// A patient's readings in both units, without a unit to convert them to.
    #[error(
        "{path}: a reading in {unit} after readings of the same patient in {first}; ask for one unit \
             (unit) to convert them"
    )]
    MixedUnits {
        /// The path of the quantity.
        path: String,
        /// Its unit.
        unit: Unit,
        /// The unit of the patient's first reading.
        first: Unit,
    },
    /// A summary without a metric the CGM guide's profiles require (no readings, or fewer than two).
    #[error("the summary has no {metric} ({why}), which the CGM guide's summary requires")]
    MissingMetric {
        /// The summary's field.
        metric: &'static str,
        /// Why it is absent.
        why: &'static str,
    },
    /// Readings without a time zone: their wall-clock times are no instants, which FHIR times must be.
    #[error("the readings have no time zone, so their times are no instants; read them with a time zone")]
    ZonelessReadings,
    /// A record that is not the one the assessment was made from.
    #[error("the record's {field} is {:?}, the assessment's {:?}", shown(record), shown(assessment))]
    RecordMismatch {
        /// `patient_id` or `protocol_fingerprint`.
        field: &'static str,
        /// The record's.
        record: String,
        /// The assessment's.
        assessment: String,
    },
}

fn first_message(problems: &[Problem]) -> &str {
    problems.first().map_or("", |p| p.message.as_str())
}

crate::problem::error_codes!(FhirError {
    MalformedBundle => MalformedBundle,
    MissingField => MissingField,
    InvalidField => InvalidField,
    UnknownCode => UnknownCode,
    BloodGlucoseCode => BloodGlucoseCode,
    InvalidValue => InvalidValue,
    UnknownUnit => UnknownUnit,
    UnitMismatch => UnitMismatch,
    MixedUnits => MixedUnits,
    MissingMetric => MissingMetric,
    ZonelessReadings => ZonelessReadings,
    RecordMismatch => RecordMismatch,
});

impl FhirError {
    /// The problems: a malformed bundle's own, else one at the field at fault with the value as given.
    pub fn problems(&self) -> Vec<Problem> {
        let (message, code) = (self.to_string(), self.code());
        let problem = match self {
            FhirError::MalformedBundle { problems } => return problems.clone(),
            FhirError::MissingField { path, .. } => Problem::new(path.as_str(), code, message),
            FhirError::InvalidField { path, value, .. } => {
                Problem::new(path.as_str(), code, message).with_value(value.as_str())
            }
            FhirError::UnknownCode { path, codes } => {
                Problem::new(path.as_str(), code, message).with_value(codes.as_str())
            }
            FhirError::BloodGlucoseCode { path, code: loinc } => {
                Problem::new(path.as_str(), code, message).with_value(loinc.as_str())
            }
            FhirError::UnknownUnit { path, unit } => {
                Problem::new(path.as_str(), code, message).with_value(unit.as_str())
            }
            FhirError::UnitMismatch { path, unit, .. } | FhirError::MixedUnits { path, unit, .. } => {
                Problem::new(path.as_str(), code, message).with_value(unit.as_str())
            }
            // The value problem's own code and value (`not_positive`, `-5`), at the entry's path.
            FhirError::InvalidValue { path, source } => match source.problems().into_iter().next() {
                Some(p) => Problem { path: path.clone(), message, ..p },
                None => Problem::new(path.as_str(), code, message),
            },
            FhirError::MissingMetric { metric, .. } => Problem::new(format!("$.{metric}"), code, message),
            FhirError::ZonelessReadings => Problem::new("$.time_zone", code, message),
            FhirError::RecordMismatch { field, record, .. } => {
                Problem::new(format!("$.{field}"), code, message).with_value(record.as_str())
            }
        };
        vec![problem]
    }
}
