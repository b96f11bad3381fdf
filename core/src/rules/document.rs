//! The assessment as one JSON document in, one JSON document out: what golden files, the web page and any
//! language without the typed API use.

use jiff::Timestamp;
use serde::Deserialize;

use super::{Assessment, evaluate};
use crate::Error;
use crate::cgm::{ColumnarReadings, Series};
use crate::error::Problem;
use crate::pathway::{Protocol, Record, RecordError};

/// The input of [`evaluate_json`].
///
/// ```json
/// {"protocol": {...}, "protocol_fingerprint": "91393684...",
///  "record": {"patient_id": "chloe", "events": [...]},
///  "readings": {"unit": "mg/dL", "time_zone": "America/Chicago", "times": [...], "values": [...]},
///  "now": "2026-03-16T15:00:00Z", "time_zone": "America/Chicago"}
/// ```
///
/// `protocol` is a protocol document (default: the embedded standard protocol); `protocol_fingerprint`, when
/// given, must be that protocol's (so a stored document cannot be judged under another version);
/// `readings` are [`ColumnarReadings`] (optional); `now` an RFC 3339 instant; `time_zone` the clinic's IANA
/// zone. Unknown fields are errors.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EvaluationRequest {
    /// The protocol document; the standard protocol when absent.
    #[serde(default)]
    pub protocol: Option<serde_json::Value>,
    /// The protocol's fingerprint, checked when given.
    #[serde(default)]
    pub protocol_fingerprint: Option<String>,
    /// The patient's record (`{"patient_id", "protocol_fingerprint"?, "events"}`).
    pub record: serde_json::Value,
    /// The patient's CGM readings, in columnar form.
    #[serde(default)]
    pub readings: Option<ColumnarReadings>,
    /// The moment to evaluate, RFC 3339.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub now: Timestamp,
    /// The clinic's IANA time zone.
    pub time_zone: String,
}

/// Evaluates a patient from one JSON document ([`EvaluationRequest`]) and returns the [`Assessment`] as
/// JSON: the same bytes for the same document, on every platform.
///
/// Errors are the typed [`Error`]s of each part (a malformed document is a [`RecordError::Malformed`] whose
/// problems name the JSON path; a protocol, record or readings error keeps its own kind and code).
///
/// ```
/// use pumppath::rules::evaluate_json;
///
/// let doc = r#"{"record": {"patient_id": "p1", "events": [
///     {"id": "e1", "occurred_at": "2026-02-02T15:00:00Z", "recorded_at": "2026-02-02T15:00:00Z",
///      "actor": "clinic_staff", "type": "insurance_submitted"}]},
///   "now": "2026-03-03T15:00:00Z", "time_zone": "America/Chicago"}"#;
/// let assessment: serde_json::Value = serde_json::from_str(&evaluate_json(doc)?)?;
/// assert_eq!(assessment["actions"][0]["rule"], "insurance_pending");
///
/// let err = evaluate_json(r#"{"record": {}, "now": "yesterday", "time_zone": "UTC"}"#).unwrap_err();
/// assert_eq!((err.kind(), err.code()), ("RecordError", "malformed_record"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate_json(document: &str) -> Result<String, Error> {
    let request: EvaluationRequest = serde_json::from_str(document).map_err(|e| malformed(&e))?;
    Ok(evaluate_request(request)?.to_json())
}

/// [`evaluate_json`] on a parsed request, returning the typed [`Assessment`].
pub fn evaluate_request(request: EvaluationRequest) -> Result<Assessment, Error> {
    let protocol = match request.protocol {
        Some(value) => Protocol::from_value(value)?,
        None => Protocol::standard().clone(),
    };
    if let Some(expected) = request.protocol_fingerprint
        && expected != protocol.fingerprint()
    {
        return Err(
            RecordError::ProtocolMismatch { expected, actual: protocol.fingerprint().to_owned() }.into()
        );
    }
    let record = Record::from_json(&protocol, &request.record.to_string())?;
    let readings = request.readings.as_ref().map(Series::from_columnar).transpose()?;
    evaluate(&record, readings.as_ref(), request.now, &request.time_zone)
}

/// A document that is not an [`EvaluationRequest`], with serde's line and column.
fn malformed(e: &serde_json::Error) -> Error {
    let code = crate::error::json_error_code(e);
    RecordError::Malformed { problems: vec![Problem::new("$", code, format!("evaluation request: {e}"))] }
        .into()
}
