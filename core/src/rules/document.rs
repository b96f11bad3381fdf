//! The assessment and the work-list as one JSON document in, one JSON document out: what golden files, the web
//! page, the bindings and any language without the typed API use.
//!
//! A request is read through the one JSON reader: every problem has a typed code and a path from the
//! document's root (`$.now`, `$.readings.values[5]`, `$.record.events[7].recorded_at`,
//! `$.patients[2].record.events[0].actor`), and each part keeps its own error kind (a bad protocol is a
//! `ProtocolError`, a rejected event a `RecordError`); what is wrong with the request itself is a
//! [`RequestError`].

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use thiserror::Error;

use super::{PatientError, PatientInput, Worklist, assess, worklist};
use crate::Error;
use crate::cgm::{ColumnarReadings, Series};
use crate::glucose::Targets;
use crate::pathway::{Protocol, Record};
use crate::problem::{Problem, ProblemCode};

/// A request document that cannot be read: every problem, each with its path and code.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The request has problems: an unknown field, a missing or mistyped one, a value that cannot be used.
    #[error("malformed request: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Malformed {
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

crate::problem::error_codes!(RequestError { Malformed => MalformedRequest });

impl RequestError {
    /// Every problem, each with its path from the request's root.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            RequestError::Malformed { problems } => problems.clone(),
        }
    }
}

/// `now` given on its own, read as the request documents read their `now`: an RFC 3339 instant with an offset
/// (`2026-03-16T15:00:00Z`). Anything else is the [`RequestError`] at `$.now` that [`evaluate_json`] reports, so
/// the bindings' `evaluate(now=...)` fail as the one-document request does.
///
/// ```
/// use pumppath::rules::parse_now;
///
/// assert_eq!(parse_now("2026-03-16T15:00:00Z")?.to_string(), "2026-03-16T15:00:00Z");
/// let err = parse_now("2026-03-16T15:00:00").unwrap_err(); // no offset: not an instant
/// let problem = &err.problems()[0];
/// assert_eq!((problem.path.as_str(), problem.code.as_str()), ("$.now", "invalid_value"));
/// assert_eq!(problem.value, Some("2026-03-16T15:00:00".into()));
/// # Ok::<(), pumppath::rules::RequestError>(())
/// ```
pub fn parse_now(text: &str) -> Result<Timestamp, RequestError> {
    crate::fields::read(serde_json::Value::String(text.to_owned()), "$.now")
        .map_err(|problems| RequestError::Malformed { problems })
}

/// The input of [`evaluate_json`]: one patient at one moment.
///
/// ```json
/// {"protocol": {...} or "handout_standard", "protocol_fingerprint": "91393684...",
///  "record": {"patient_id": "chloe", "events": [...]},
///  "readings": {"unit": "mg/dL", "times": [...], "values": [...]},
///  "targets": {"preset": "pregnancy_type1"},
///  "now": "2026-03-16T15:00:00Z", "time_zone": "America/Chicago"}
/// ```
///
/// `protocol` is a protocol document or the standard protocol's id (default: the embedded standard protocol);
/// `protocol_fingerprint`, when given, must be that protocol's (so a stored document cannot be judged under
/// another version); `readings` are [`ColumnarReadings`] (optional); `targets` override the record's and the
/// protocol's (optional); `now` an RFC 3339 instant; `time_zone` the clinic's IANA zone. Unknown fields are
/// errors. `R` is how the nested documents are held while reading; the schema shows them as JSON.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "EvaluationRequest"))]
#[serde(deny_unknown_fields)]
pub(crate) struct EvaluationRequest<R> {
    /// The protocol document, or the standard protocol's id; the standard protocol when absent.
    #[serde(default)]
    protocol: Option<R>,
    /// The protocol's fingerprint, checked when given.
    #[serde(default)]
    protocol_fingerprint: Option<String>,
    /// The patient's record (`{"patient_id", "protocol_fingerprint"?, "events"}`).
    record: R,
    /// The patient's CGM readings, in columnar form.
    #[serde(default)]
    readings: Option<R>,
    /// Targets for this patient, over the record's own and the protocol's.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    targets: Option<Targets>,
    /// The moment to evaluate, RFC 3339.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    now: Timestamp,
    /// The clinic's IANA time zone.
    time_zone: String,
    /// Whether the assessment carries the trace of every rule (default false).
    #[serde(default)]
    trace: bool,
}

/// The input of [`worklist_json`]: a whole panel at one moment.
///
/// ```json
/// {"protocol": {...} or "handout_standard", "protocol_fingerprint": "91393684...",
///  "patients": [{"record": {...}, "readings": {...}, "targets": {...}}, ...],
///  "now": "2026-03-16T15:00:00Z", "time_zone": "America/Chicago"}
/// ```
///
/// Every patient is judged under the one protocol. A patient whose record or readings cannot be read is
/// listed in the work-list's `errors` (paths such as `$.patients[2].record.events[0].actor`), never dropped;
/// a problem of the request itself (its targets included) is a [`RequestError`].
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WorklistRequest"))]
#[serde(deny_unknown_fields)]
pub(crate) struct WorklistRequest<R> {
    /// The protocol document, or the standard protocol's id; the standard protocol when absent.
    #[serde(default)]
    protocol: Option<R>,
    /// The protocol's fingerprint, checked when given.
    #[serde(default)]
    protocol_fingerprint: Option<String>,
    /// The panel.
    patients: Vec<PanelPatient<R>>,
    /// The moment to evaluate, RFC 3339.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    now: Timestamp,
    /// The clinic's IANA time zone.
    time_zone: String,
}

/// One patient of a [`WorklistRequest`].
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "PanelPatient"))]
#[serde(deny_unknown_fields)]
struct PanelPatient<R> {
    /// The patient's record.
    record: R,
    /// The patient's CGM readings, in columnar form.
    #[serde(default)]
    readings: Option<R>,
    /// Targets for this patient, over the record's own and the protocol's.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    targets: Option<Targets>,
}

/// Evaluates a patient from one JSON document (an evaluation request, `schema/evaluation_request.schema.json`)
/// and returns the [`Assessment`](super::Assessment) as JSON: the same bytes for the same document, on every
/// platform; equal to [`evaluate`](super::evaluate) on the same inputs.
///
/// ```json
/// {"protocol": {...} or "handout_standard", "protocol_fingerprint": "91393684...",
///  "record": {"patient_id": "chloe", "events": [...]},
///  "readings": {"unit": "mg/dL", "times": [...], "values": [...]},
///  "targets": {"preset": "pregnancy_type1"}, "trace": true,
///  "now": "2026-03-16T15:00:00Z", "time_zone": "America/Chicago"}
/// ```
///
/// `protocol` is a protocol document or the standard protocol's id (default: the embedded standard protocol);
/// `trace` asks for every rule's verdict and why (default false);
/// `protocol_fingerprint`, when given, must be that protocol's; `readings` are
/// [`ColumnarReadings`] (optional); `targets` override the record's and the protocol's (optional); `now` an
/// RFC 3339 instant; `time_zone` the clinic's IANA zone. Unknown fields are errors. An event recorded more than
/// 24 hours after `now` is refused, naming it (`$.record.events[12].recorded_at`).
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
/// let err = evaluate_json(r#"{"record": {"patient_id": "p1", "events": []}, "now": "yesterday",
///                             "time_zone": "UTC", "colour": 1}"#).unwrap_err();
/// assert_eq!((err.kind().as_str(), err.code().as_str()), ("RequestError", "malformed_request"));
/// let paths: Vec<(String, &str)> = err.problems().into_iter().map(|p| (p.path, p.code.as_str())).collect();
/// assert_eq!(paths, [("$.colour".to_owned(), "unknown_field"), ("$.now".to_owned(), "invalid_value")]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate_json(document: &str) -> Result<String, Error> {
    let request = Evaluation::read(document)?;
    Ok(request.assess(request.trace)?.to_json())
}

/// An evaluation request, read and checked: what [`evaluate_json`] and [`patient_view_json`] judge.
struct Evaluation {
    record: Record,
    readings: Option<Series>,
    targets: Option<Targets>,
    now: Timestamp,
    time_zone: String,
    trace: bool,
}

impl Evaluation {
    fn read(document: &str) -> Result<Evaluation, Error> {
        let request =
            read_request::<EvaluationRequest<Box<RawValue>>, EvaluationRequest<serde_json::Value>>(document)?;
        let protocol = protocol_of(request.protocol.as_deref(), request.protocol_fingerprint)?;
        let record = record_of(&protocol, &request.record, "$.record")?;
        record.check_recorded_by(request.now).map_err(|e| Error::from(e).under("$.record"))?;
        let readings = readings_of(request.readings.as_deref(), "$.readings")?;
        Ok(Evaluation {
            record,
            readings,
            targets: request.targets,
            now: request.now,
            time_zone: request.time_zone,
            trace: request.trace,
        })
    }

    fn assess(&self, trace: bool) -> Result<super::Assessment, Error> {
        assess(&self.record, self.readings.as_ref(), self.targets.as_ref(), self.now, &self.time_zone, trace)
    }
}

/// The patient's view of one evaluation request, as JSON: what [`PatientView::of`](crate::patient::PatientView::of)
/// gives for the assessment [`evaluate_json`] makes of the same document, under the protocol it names, the
/// targets it judged (those given, else the record's) and the readings' unit (mg/dL without readings).
///
/// ```
/// use pumppath::rules::patient_view_json;
///
/// let doc = r#"{"record": {"patient_id": "p1", "events": []}, "now": "2026-03-03T15:00:00Z",
///               "time_zone": "America/Chicago"}"#;
/// let view: serde_json::Value = serde_json::from_str(&patient_view_json(doc)?)?;
/// assert_eq!(view["patient_id"], "p1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn patient_view_json(document: &str) -> Result<String, Error> {
    let request = Evaluation::read(document)?;
    let options = super::EvaluationOptions { targets: request.targets, trace: false };
    let view = super::patient_view(
        &request.record,
        request.readings.as_ref(),
        request.now,
        &request.time_zone,
        &options,
        None,
    )?;
    Ok(view.to_json())
}

/// The work-list of a panel from one JSON document (a work-list request, `schema/worklist_request.schema.json`)
/// as JSON: what [`worklist`](super::worklist) returns for the same inputs.
///
/// ```json
/// {"protocol": {...} or "handout_standard", "protocol_fingerprint": "91393684...",
///  "patients": [{"record": {...}, "readings": {...}, "targets": {...}}, ...],
///  "now": "2026-03-16T15:00:00Z", "time_zone": "America/Chicago"}
/// ```
///
/// Every patient is judged under the one protocol. A patient whose record or readings cannot be read is
/// listed in the work-list's `errors` (paths such as `$.patients[2].record.events[0].actor`), never dropped;
/// a problem of the request itself is a [`RequestError`].
///
/// ```
/// use pumppath::rules::worklist_json;
///
/// let doc = r#"{"patients": [
///     {"record": {"patient_id": "p1", "events": [
///       {"id": "e1", "occurred_at": "2026-02-02T15:00:00Z", "recorded_at": "2026-02-02T15:00:00Z",
///        "actor": "clinic_staff", "type": "insurance_submitted"}]}},
///     {"record": {"patient_id": "p2", "events": [
///       {"id": "e1", "occurred_at": "2026-02-02T15:00:00Z", "recorded_at": "2026-02-02T15:00:00Z",
///        "actor": "patient", "type": "insurance_submitted"}]}}],
///   "now": "2026-03-03T15:00:00Z", "time_zone": "America/Chicago"}"#;
/// let list: serde_json::Value = serde_json::from_str(&worklist_json(doc)?)?;
/// assert_eq!(list["items"][0]["patient_id"], "p1");
/// // The second patient's record cannot load: listed with where, never dropped.
/// assert_eq!(list["errors"][0]["patient_id"], "p2");
/// assert_eq!(list["errors"][0]["error"]["problems"][0]["path"], "$.patients[1].record.events[0].actor");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn worklist_json(document: &str) -> Result<String, Error> {
    let request =
        read_request::<WorklistRequest<Box<RawValue>>, WorklistRequest<serde_json::Value>>(document)?;
    let protocol = protocol_of(request.protocol.as_deref(), request.protocol_fingerprint)?;
    let mut panel = Vec::with_capacity(request.patients.len());
    let mut errors = Vec::new();
    for (k, p) in request.patients.into_iter().enumerate() {
        let root = format!("$.patients[{k}]");
        let patient = record_of(&protocol, &p.record, &format!("{root}.record")).and_then(|record| {
            record
                .check_recorded_by(request.now)
                .map_err(|e| Error::from(e).under(&format!("{root}.record")))?;
            let readings = readings_of(p.readings.as_deref(), &format!("{root}.readings"))?;
            Ok((record, readings, p.targets))
        });
        match patient {
            Ok(patient) => panel.push(patient),
            Err(e) => errors.push(PatientError { patient_id: patient_id_of(&p.record), error: e.document() }),
        }
    }
    let panel: Vec<PatientInput<'_>> = panel
        .iter()
        .map(|(record, readings, targets)| PatientInput {
            record,
            readings: readings.as_ref(),
            targets: targets.as_ref(),
        })
        .collect();
    let mut list: Worklist = worklist(&panel, request.now, &request.time_zone)?;
    list.errors.splice(0..0, errors);
    Ok(list.to_json())
}

/// Reads a request's envelope: straight from the text when it is valid, else through the one reader for every
/// problem (the nested documents as plain JSON values).
fn read_request<T, S>(document: &str) -> Result<T, Error>
where
    T: DeserializeOwned,
    S: DeserializeOwned,
{
    match serde_json::from_str::<T>(document) {
        Ok(request) => Ok(request),
        Err(_) => {
            let problems = match crate::fields::read_str::<S>(document, "$") {
                Err(problems) => problems,
                // The text reads as values but not as raw parts: say so rather than guess.
                Ok(_) => vec![Problem::new("$", ProblemCode::InvalidJson, "the request could not be read")],
            };
            Err(RequestError::Malformed { problems }.into())
        }
    }
}

fn protocol_of(raw: Option<&RawValue>, fingerprint: Option<String>) -> Result<Protocol, Error> {
    let protocol = match raw {
        None => Protocol::standard().clone(),
        Some(raw) => match serde_json::from_str::<String>(raw.get()) {
            Ok(id) if id == Protocol::standard().id() => Protocol::standard().clone(),
            Ok(id) => {
                let message = format!(
                    "a protocol given by id must be the standard protocol's ({}); give any other as a document",
                    Protocol::standard().id()
                );
                return Err(RequestError::Malformed {
                    problems: vec![
                        Problem::new("$.protocol", ProblemCode::InvalidValue, message).with_value(id),
                    ],
                }
                .into());
            }
            Err(_) => Protocol::read(raw.get(), "$.protocol")?,
        },
    };
    if let Some(given) = fingerprint
        && given != protocol.fingerprint()
    {
        let message = format!(
            "the document was written for protocol {}, not the one given ({})",
            crate::problem::shown(&given),
            protocol.fingerprint()
        );
        let problem =
            Problem::new("$.protocol_fingerprint", ProblemCode::ProtocolMismatch, message).with_value(given);
        return Err(RequestError::Malformed { problems: vec![problem] }.into());
    }
    Ok(protocol)
}

fn record_of(protocol: &Protocol, raw: &RawValue, root: &str) -> Result<Record, Error> {
    Ok(Record::read(protocol, raw.get(), root)?)
}

/// The readings at `root`: the columnar document through the one reader, then the series (whose errors keep
/// their kind, their problems under `root`).
fn readings_of(raw: Option<&RawValue>, root: &str) -> Result<Option<Series>, Error> {
    let Some(raw) = raw else { return Ok(None) };
    let columnar: ColumnarReadings =
        crate::fields::read_str(raw.get(), root).map_err(|problems| RequestError::Malformed { problems })?;
    Ok(Some(Series::from_columnar(&columnar).map_err(|e| Error::from(e).under(root))?))
}

/// The `patient_id` of a record's JSON, when it has one (for a patient whose record cannot load).
fn patient_id_of(raw: &RawValue) -> String {
    #[derive(Deserialize)]
    struct Id {
        #[serde(default)]
        patient_id: Option<String>,
    }
    serde_json::from_str::<Id>(raw.get()).ok().and_then(|i| i.patient_id).unwrap_or_default()
}
