//! Glucose readings read from a FHIR Bundle of Observations.

use jiff::Timestamp;
use serde_json::Value;

use super::cgm::SUMMARY_CODES;
use super::{CGM_READING_MASS, CGM_READING_MOLAR, FhirError, LOINC, UCUM};
use crate::Error;
use crate::cgm::{PatientSeries, SeriesError, SeriesOptions};
use crate::cgm::{PushError, SeriesBuilder};
use crate::glucose::{GlucoseValue, SensorLimit, Unit};

/// The blood-glucose LOINC codes [`read_bundle`] reads when asked to ([`ReadOptions::blood_glucose`]), each
/// with the unit it measures in: glucose in blood, in serum or plasma, and in capillary blood (by meter).
pub const BLOOD_GLUCOSE_CODES: [(&str, Unit); 7] = [
    ("2339-0", Unit::MgDl),
    ("2345-7", Unit::MgDl),
    ("41653-7", Unit::MgDl),
    ("32016-8", Unit::MgDl),
    ("15074-8", Unit::MmolL),
    ("14749-6", Unit::MmolL),
    ("14743-9", Unit::MmolL),
];

/// How [`read_bundle`] reads: which codes, to which unit, into which series.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadOptions {
    /// Also read blood-glucose Observations ([`BLOOD_GLUCOSE_CODES`]); off by default, as meter and laboratory
    /// readings are not CGM data and would change its metrics.
    pub blood_glucose: bool,
    /// The unit of the series: readings in the other are converted. Without it a patient's readings must share
    /// one unit.
    pub unit: Option<Unit>,
    /// The series' options: the zone whose wall-clock its outputs show, the duplicates policy, the sensor range.
    pub series: SeriesOptions,
}

/// What an Observation's code makes of it.
enum Kind {
    /// A glucose reading in this unit.
    Reading(Unit, String),
    /// One of the CGM guide's summary Observations, passed over.
    Summary,
}

/// One patient's readings as read, before they form a series.
struct Patient {
    id: String,
    /// The subject as given (`Patient/123`, or `identifier system|value`): one id, one patient.
    source: String,
    /// The series' unit: the one asked for, else the first value's.
    unit: Option<Unit>,
    /// The unit of the first reading's code, for a patient whose readings are all missing.
    code_unit: Unit,
    /// Missing readings before the first value, which fixes the unit.
    missing: Vec<(i64, String)>,
    builder: Option<SeriesBuilder>,
}

/// Adds one reading, its errors at the entry's path.
fn push(builder: &mut SeriesBuilder, seconds: i64, value: GlucoseValue, at: &str) -> Result<(), FhirError> {
    builder.push_value(seconds, value).map_err(|e| match e {
        PushError::Value(source) => {
            FhirError::InvalidValue { path: format!("{at}.valueQuantity.value"), source }
        }
        PushError::TimeOutOfRange(_) => FhirError::InvalidField {
            path: format!("{at}.effectiveDateTime"),
            value: seconds.to_string(),
            expected: "a time in the years -9999 to 9999",
        },
    })
}

/// A patient's series builder in `unit`, with the missing readings that came before it.
fn builder_of(
    unit: Unit,
    missing: &mut Vec<(i64, String)>,
    options: &SeriesOptions,
) -> Result<SeriesBuilder, Error> {
    let mut builder = SeriesBuilder::for_instants(unit, options, 0)?;
    for (seconds, at) in missing.drain(..) {
        push(&mut builder, seconds, GlucoseValue::Measured(f64::NAN), &at)?;
    }
    Ok(builder)
}

/// The glucose readings of a FHIR R4 Bundle's Observations, one series per patient (by `subject`: the id of a
/// `Patient/{id}` reference, else the reference or its identifier's value; two subjects given differently that
/// share that id, a reference and an identifier or two identifier systems, are an error rather than one patient),
/// patients in the order they first appear. What is read:
///
/// - Observations coded with LOINC 99504-3 (mg/dL) or 105272-9 (mmol/L), the CGM guide's sensor readings, and
///   with [`ReadOptions::blood_glucose`] the [`BLOOD_GLUCOSE_CODES`]. Their time is `effectiveDateTime` (or
///   `effectiveInstant`) with an offset; their value `valueQuantity` in UCUM `mg/dL` or `mmol/L` (a `<` or `>`
///   comparator marks the sensor's Low or High, which stands at the limit of the series options' sensor range,
///   as the CSV readers' "Low" and "High" do), or absent with a `dataAbsentReason` (a missing reading).
/// - Passed over: resources other than Observations, the guide's summary Observations, and Observations whose
///   status is `entered-in-error` or `cancelled`.
///
/// Anything else is an error naming the entry's field: another code ([`FhirError::UnknownCode`]), a
/// blood-glucose code not asked for, a unit that is neither mg/dL nor mmol/L or not the code's, a time without
/// an offset, an implausible value, or one patient's readings in both units without [`ReadOptions::unit`].
/// Readings that cannot form a series (a duplicate time under the default policy) are that patient's
/// [`SeriesError`].
///
/// ```
/// use pumppath::fhir::{self, ReadOptions};
///
/// let bundle = r#"{"resourceType": "Bundle", "type": "collection", "entry": [
///   {"resource": {"resourceType": "Observation", "status": "final",
///     "code": {"coding": [{"system": "http://loinc.org", "code": "99504-3"}]},
///     "subject": {"reference": "Patient/ann"}, "effectiveDateTime": "2024-05-02T10:15:00-05:00",
///     "valueQuantity": {"value": 120, "unit": "mg/dl", "system": "http://unitsofmeasure.org", "code": "mg/dL"}}},
///   {"resource": {"resourceType": "Observation", "status": "final",
///     "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}]},
///     "subject": {"reference": "Patient/ann"}, "effectiveDateTime": "2024-05-02T10:20:00-05:00",
///     "valueQuantity": {"value": 131, "system": "http://unitsofmeasure.org", "code": "mg/dL"}}}]}"#;
/// let err = fhir::read_bundle(bundle, &ReadOptions::default()).unwrap_err();
/// assert_eq!((err.kind().as_str(), err.code().as_str()), ("FhirError", "blood_glucose_code"));
/// assert_eq!(err.problems()[0].path, "$.entry[1].resource.code");
///
/// let patients = fhir::read_bundle(bundle, &ReadOptions { blood_glucose: true, ..Default::default() })?;
/// assert_eq!((patients[0].id.as_str(), patients[0].series.values()), ("ann", &[120.0, 131.0][..]));
/// # Ok::<(), pumppath::Error>(())
/// ```
pub fn read_bundle(json: &str, options: &ReadOptions) -> Result<Vec<PatientSeries>, Error> {
    let root = crate::fields::parse(json, "$").map_err(|problems| FhirError::MalformedBundle { problems })?;
    match root.get("resourceType") {
        Some(Value::String(t)) if t == "Bundle" => {}
        other => return Err(invalid("$.resourceType", other, "\"Bundle\"").into()),
    }
    let entries = match root.get("entry") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(entries)) => entries,
        Some(other) => return Err(invalid("$.entry", Some(other), "a list of entries").into()),
    };
    let mut patients: Vec<Patient> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("$.entry[{i}].resource");
        let Some(resource) = entry.get("resource") else { continue };
        if resource.get("resourceType").and_then(Value::as_str) != Some("Observation") {
            continue;
        }
        if matches!(resource.get("status").and_then(Value::as_str), Some("entered-in-error" | "cancelled")) {
            continue;
        }
        let (code_unit, code) = match kind(resource, &at, options.blood_glucose)? {
            Kind::Summary => continue,
            Kind::Reading(unit, code) => (unit, code),
        };
        let (id, source) = subject(resource, &at)?;
        let seconds = time(resource, &at)?;
        let (value, unit) = value(resource, &at, code_unit, &code)?;
        let position = match index.get(&id) {
            Some(&p) if patients[p].source != source => {
                return Err(FhirError::InvalidField {
                    path: format!("{at}.subject"),
                    value: source,
                    expected: "the subject of the earlier readings with this id (a reference and an identifier, \
                               or two identifier systems, that share a value may be two patients)",
                }
                .into());
            }
            Some(&p) => p,
            None => {
                index.insert(id.clone(), patients.len());
                let unit = options.unit;
                patients.push(Patient { id, source, unit, code_unit, missing: Vec::new(), builder: None });
                patients.len() - 1
            }
        };
        let patient = &mut patients[position];
        let Some(given) = unit else {
            // A missing reading has no unit: it waits for the first value, which fixes the series' unit.
            match &mut patient.builder {
                Some(builder) => push(builder, seconds, value, &at)?,
                None => patient.missing.push((seconds, at)),
            }
            continue;
        };
        let target = *patient.unit.get_or_insert(given);
        let value = match value {
            GlucoseValue::Measured(v) if given != target => {
                if options.unit.is_none() {
                    let path = format!("{at}.valueQuantity");
                    return Err(FhirError::MixedUnits { path, unit: given, first: target }.into());
                }
                GlucoseValue::Measured(given.convert(v, target))
            }
            value => value,
        };
        let builder = match &mut patient.builder {
            Some(builder) => builder,
            empty => empty.insert(builder_of(target, &mut patient.missing, &options.series)?),
        };
        push(builder, seconds, value, &at)?;
    }
    patients
        .into_iter()
        .map(|mut p| {
            let builder = match p.builder.take() {
                Some(builder) => builder,
                None => builder_of(p.unit.unwrap_or(p.code_unit), &mut p.missing, &options.series)?,
            };
            match builder.finish() {
                Ok(series) => Ok(PatientSeries { id: p.id, series }),
                Err(source) => Err(SeriesError::Patient { id: p.id, source: Box::new(source) }.into()),
            }
        })
        .collect()
}

/// An invalid field's error, its value shown as text (a string's own text, other JSON as JSON).
fn invalid(path: &str, value: Option<&Value>, expected: &'static str) -> FhirError {
    match value {
        None | Some(Value::Null) => FhirError::MissingField { path: path.to_owned(), expected },
        Some(Value::String(s)) => {
            FhirError::InvalidField { path: path.to_owned(), value: s.clone(), expected }
        }
        Some(other) => FhirError::InvalidField { path: path.to_owned(), value: other.to_string(), expected },
    }
}

/// What the Observation's LOINC codes make of it.
fn kind(resource: &Value, at: &str, blood_glucose: bool) -> Result<Kind, FhirError> {
    let path = format!("{at}.code");
    let codings = match resource.get("code").and_then(|c| c.get("coding")) {
        Some(Value::Array(codings)) => codings,
        other => return Err(invalid(&format!("{path}.coding"), other, "a list of codings")),
    };
    let loinc_codes = codings
        .iter()
        .filter(|c| c.get("system").and_then(Value::as_str) == Some(LOINC))
        .filter_map(|c| c.get("code").and_then(Value::as_str));
    let mut blood = None;
    let mut summary = false;
    for code in loinc_codes {
        match code {
            CGM_READING_MASS => return Ok(Kind::Reading(Unit::MgDl, code.to_owned())),
            CGM_READING_MOLAR => return Ok(Kind::Reading(Unit::MmolL, code.to_owned())),
            _ => {}
        }
        if let Some(&(code, unit)) = BLOOD_GLUCOSE_CODES.iter().find(|(c, _)| *c == code) {
            blood = blood.or(Some((code, unit)));
        }
        summary |= SUMMARY_CODES.contains(&code);
    }
    match blood {
        Some((code, unit)) if blood_glucose => Ok(Kind::Reading(unit, code.to_owned())),
        Some((code, _)) => Err(FhirError::BloodGlucoseCode { path, code: code.to_owned() }),
        None if summary => Ok(Kind::Summary),
        None => {
            let shown: Vec<String> = codings
                .iter()
                .map(|c| {
                    let part = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
                    format!("{}|{}", part("system"), part("code"))
                })
                .collect();
            Err(FhirError::UnknownCode { path, codes: shown.join(", ") })
        }
    }
}

/// The patient's id (a `Patient/{id}` reference's id, another reference as it is, else the identifier's value)
/// and the subject as given, which keeps two subjects that share an id apart.
fn subject(resource: &Value, at: &str) -> Result<(String, String), FhirError> {
    let path = format!("{at}.subject");
    let Some(subject) = resource.get("subject") else {
        return Err(FhirError::MissingField { path, expected: "the patient (a reference or an identifier)" });
    };
    if let Some(reference) = subject.get("reference").and_then(Value::as_str).filter(|r| !r.is_empty()) {
        return Ok((
            reference.strip_prefix("Patient/").unwrap_or(reference).to_owned(),
            reference.to_owned(),
        ));
    }
    let identifier = subject.get("identifier");
    match identifier.and_then(|i| i.get("value")).and_then(Value::as_str) {
        Some(value) if !value.is_empty() => {
            let system = identifier.and_then(|i| i.get("system")).and_then(Value::as_str).unwrap_or("");
            Ok((value.to_owned(), format!("identifier {system}|{value}")))
        }
        _ => Err(invalid(&path, Some(subject), "the patient (a reference or an identifier)")),
    }
}

/// The reading's instant, in Unix seconds: `effectiveDateTime` or `effectiveInstant`, with an offset.
fn time(resource: &Value, at: &str) -> Result<i64, FhirError> {
    const EXPECTED: &str = "a date-time with a time zone offset (2024-05-02T10:15:00-05:00)";
    let (field, value) = match (resource.get("effectiveDateTime"), resource.get("effectiveInstant")) {
        (Some(v), _) => ("effectiveDateTime", v),
        (None, Some(v)) => ("effectiveInstant", v),
        (None, None) => {
            return Err(FhirError::MissingField {
                path: format!("{at}.effectiveDateTime"),
                expected: EXPECTED,
            });
        }
    };
    let path = format!("{at}.{field}");
    let text = value.as_str().ok_or_else(|| invalid(&path, Some(value), EXPECTED))?;
    // FHIR's dateTime with a time always has an offset; a date alone is no reading's time.
    let has_time = text.len() > 10 && text.as_bytes().get(10) == Some(&b'T');
    match text.parse::<Timestamp>() {
        Ok(instant) if has_time => Ok(instant.as_second()),
        _ => Err(invalid(&path, Some(value), EXPECTED)),
    }
}

/// The reading's value and the unit it was given in (none for a missing reading).
fn value(
    resource: &Value,
    at: &str,
    code_unit: Unit,
    code: &str,
) -> Result<(GlucoseValue, Option<Unit>), FhirError> {
    let Some(quantity) = resource.get("valueQuantity") else {
        if resource.get("dataAbsentReason").is_some() {
            return Ok((GlucoseValue::Measured(f64::NAN), None));
        }
        let other = resource
            .as_object()
            .and_then(|o| o.keys().find(|k| k.starts_with("value")))
            .map(|k| format!("{at}.{k}"));
        return Err(match other {
            Some(path) => invalid(&path, resource.get(&path[at.len() + 1..]), "a valueQuantity"),
            None => FhirError::MissingField {
                path: format!("{at}.valueQuantity"),
                expected: "a valueQuantity or a dataAbsentReason",
            },
        });
    };
    let path = format!("{at}.valueQuantity");
    let system = quantity.get("system").and_then(Value::as_str);
    let unit_text = match (quantity.get("code").and_then(Value::as_str), system) {
        (Some(code), None) => code,
        (Some(code), Some(system)) if system == UCUM => code,
        _ => match quantity.get("unit").and_then(Value::as_str) {
            Some(unit) => unit,
            None => return Err(FhirError::MissingField { path, expected: "a UCUM unit (mg/dL or mmol/L)" }),
        },
    };
    let unit = match unit_text.to_ascii_lowercase().as_str() {
        "mg/dl" => Unit::MgDl,
        "mmol/l" => Unit::MmolL,
        _ => return Err(FhirError::UnknownUnit { path, unit: unit_text.to_owned() }),
    };
    if unit != code_unit {
        return Err(FhirError::UnitMismatch { path, code: code.to_owned(), unit, expected: code_unit });
    }
    let number = quantity.get("value");
    let Some(v) = number.and_then(Value::as_f64) else {
        return Err(invalid(&format!("{path}.value"), number, "a number"));
    };
    let value = match quantity.get("comparator").and_then(Value::as_str) {
        None => GlucoseValue::Measured(v),
        Some("<" | "<=") => GlucoseValue::Limit(SensorLimit::Low),
        Some(">" | ">=") => GlucoseValue::Limit(SensorLimit::High),
        Some(other) => {
            let other = Value::String(other.to_owned());
            return Err(invalid(&format!("{path}.comparator"), Some(&other), "<, <=, > or >="));
        }
    };
    Ok((value, Some(unit)))
}
