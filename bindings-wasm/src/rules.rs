//! The assessment, the patient's view, the work-list, the "frequently" verdict, the one-document requests, the
//! demo cohort and the schemas.

use js_sys::{Array, Object};
use pumppath::cgm::{Series, SeriesOptions, TimeScale};
use pumppath::glucose::{Targets, Unit};
use pumppath::jiff::Timestamp;
use pumppath::pathway::Record;
use pumppath::patient::PatientView as CorePatientView;
use pumppath::rules::{EvaluationOptions, PatientInput};
use wasm_bindgen::prelude::*;

use crate::convert::{absent, get, json_text, set, to_js};
use crate::errors::{OrThrow, type_error};
use crate::glucose::{optional_targets, series_of, unit_of};
use crate::pathway::{PatientRecord, record_of};

/// `now` as an instant: RFC 3339 text with an offset; anything else is core's `RequestError` at `$.now`.
fn now_of(now: &str) -> Result<Timestamp, JsValue> {
    pumppath::rules::parse_now(now).or_throw()
}

/// Readings as `evaluate` takes them: core's columnar readings object (or its JSON text), or nothing.
fn optional_readings(readings: &JsValue) -> Result<Option<Series>, JsValue> {
    if absent(readings) {
        return Ok(None);
    }
    Series::from_json(&json_text("readings", readings)?).or_throw().map(Some)
}

/// `options.key`, when `options` is an object that has it.
pub(crate) fn option(options: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if absent(options) { Ok(JsValue::UNDEFINED) } else { get(options, key) }
}

/// Evaluates one patient at `nowIso` (RFC 3339 with an offset) in the clinic's `timeZone` (an IANA name): the
/// pathway, the schedule, the CGM summary and today's actions (core's assessment object). `readings` is core's
/// columnar readings object (what the readers return) or null; `options.targets` the patient's targets over the
/// record's; `options.explain` adds the trace, every rule's verdict and why. A bad `nowIso` throws a
/// `RequestError` at `$.now`; an unknown zone a `ScheduleError`.
#[wasm_bindgen(skip_typescript)]
pub fn evaluate(
    record: &PatientRecord,
    readings: JsValue,
    #[wasm_bindgen(js_name = nowIso)] now_iso: &str,
    #[wasm_bindgen(js_name = timeZone)] time_zone: &str,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let trace = option(&options, "explain")?.is_truthy();
    to_js(&assess(record, &readings, now_iso, time_zone, &options, trace)?)
}

/// The assessment of `evaluate`'s arguments: what `evaluate` returns and `toFhir` writes as FHIR.
pub(crate) fn assess(
    record: &PatientRecord,
    readings: &JsValue,
    now_iso: &str,
    time_zone: &str,
    options: &JsValue,
    trace: bool,
) -> Result<pumppath::rules::Assessment, JsValue> {
    let series = optional_readings(readings)?;
    let now = now_of(now_iso)?;
    let options = evaluation_options(options, trace)?;
    pumppath::rules::evaluate(&record.inner, series.as_ref(), now, time_zone, &options).or_throw()
}

/// `options.targets`, read as core reads targets, and whether to trace.
fn evaluation_options(options: &JsValue, trace: bool) -> Result<EvaluationOptions, JsValue> {
    Ok(EvaluationOptions { targets: optional_targets(&option(options, "targets")?)?, trace })
}

/// What an assessment means for the patient, in the handout's voice (core's `PatientView`), with its Markdown
/// and plain text.
#[wasm_bindgen]
pub struct PatientView {
    inner: CorePatientView,
}

#[wasm_bindgen]
impl PatientView {
    /// The view as Markdown, as the patient reads it on a phone.
    #[wasm_bindgen(js_name = toMarkdown)]
    pub fn to_markdown(&self) -> String {
        self.inner.to_markdown()
    }

    /// The view as plain text.
    #[wasm_bindgen(js_name = toText)]
    pub fn to_text(&self) -> String {
        self.inner.to_text()
    }

    /// Core's JSON of the view, byte for byte Rust's `PatientView::to_json`.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The view as a plain object (`patient_id`, `today`, `phase`, `next_steps`, `visits`, `supplies`,
    /// `call_us`, `backup_plan`).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "PatientViewData")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner)
    }
}

/// The patient's view of their assessment, as `evaluate` would give it for the same arguments: next steps,
/// visits, supplies, when to call, the back-up plan. `options.unit` is the patient's unit (default: the
/// readings', mg/dL without readings); `options.targets` as for `evaluate`.
#[wasm_bindgen(js_name = patientView, skip_typescript)]
pub fn patient_view(
    record: &PatientRecord,
    readings: JsValue,
    #[wasm_bindgen(js_name = nowIso)] now_iso: &str,
    #[wasm_bindgen(js_name = timeZone)] time_zone: &str,
    options: JsValue,
) -> Result<PatientView, JsValue> {
    let unit = crate::convert::optional_string("options.unit", &option(&options, "unit")?)?;
    let unit = unit.map(|unit| unit_of(Some(unit))).transpose()?;
    let series = optional_readings(&readings)?;
    let now = now_of(now_iso)?;
    let options = evaluation_options(&options, false)?;
    let view = pumppath::rules::patient_view(&record.inner, series.as_ref(), now, time_zone, &options, unit)
        .or_throw()?;
    Ok(PatientView { inner: view })
}

/// The "frequently < 70 or > 250 mg/dL" verdict at `nowIso` in the clinic's `timeZone`, judged as `evaluate`
/// judges it (without a pump start to cut at): readings as for `cgmSummary` (two arrays of the device's
/// wall-clock, read as the clinic's, or a readings object with `glucose` null); `settings` changes fields of the
/// standard protocol's `settings.frequently` (checked as a protocol's: a bad one throws a `ProtocolError`);
/// `targets` the patient's targets.
#[wasm_bindgen(skip_typescript)]
#[allow(clippy::too_many_arguments)]
pub fn frequently(
    #[wasm_bindgen(js_name = timesMs)] times: JsValue,
    glucose: JsValue,
    #[wasm_bindgen(js_name = nowIso)] now_iso: &str,
    #[wasm_bindgen(js_name = timeZone)] time_zone: &str,
    unit: Option<String>,
    settings: JsValue,
    targets: JsValue,
) -> Result<JsValue, JsValue> {
    let series = series_of(&times, &glucose, unit, None)?;
    let now = now_of(now_iso)?;
    let standard = pumppath::pathway::Protocol::standard();
    let changed;
    let protocol = if absent(&settings) {
        standard
    } else {
        changed = standard.with_frequently_settings(&json_text("settings", &settings)?).or_throw()?;
        &changed
    };
    let targets = optional_targets(&targets)?.unwrap_or_else(|| protocol.settings().targets.clone());
    let verdict =
        pumppath::rules::frequently_at(&series, now, time_zone, &targets, &protocol.settings().frequently)
            .or_throw()?;
    to_js(&verdict)
}

/// Evaluates one patient from core's evaluation request (`{record, readings?, targets?, protocol?, now,
/// time_zone}`), given as JSON text or a plain object; returns the assessment's JSON, byte for byte what Rust
/// gives. A problem throws its typed error with the path of every problem.
#[wasm_bindgen(js_name = evaluateJson, skip_typescript)]
pub fn evaluate_json(document: JsValue) -> Result<String, JsValue> {
    pumppath::rules::evaluate_json(&json_text("the request", &document)?).or_throw()
}

/// The patient's view of core's evaluation request (what `evaluateJson` takes), as JSON: byte for byte Rust's
/// `rules::patient_view_json`.
#[wasm_bindgen(js_name = patientViewJson, skip_typescript)]
pub fn patient_view_json(document: JsValue) -> Result<String, JsValue> {
    pumppath::rules::patient_view_json(&json_text("the request", &document)?).or_throw()
}

/// The CGM report of core's columnar readings (an object or its JSON text), as JSON: `{"summary": ...,
/// "episodes": ...}`, byte for byte Rust's `Series::report_json`.
#[wasm_bindgen(js_name = cgmReportJson, skip_typescript)]
pub fn cgm_report_json(document: JsValue) -> Result<String, JsValue> {
    Series::report_json(&json_text("readings", &document)?).or_throw()
}

/// Triages a panel from core's work-list request (`{patients: [{record, readings?, targets?}], protocol?, now,
/// time_zone}`), given as JSON text or a plain object; returns the work-list's JSON, byte for byte what Rust
/// gives.
#[wasm_bindgen(js_name = worklistJson, skip_typescript)]
pub fn worklist_json(document: JsValue) -> Result<String, JsValue> {
    pumppath::rules::worklist_json(&json_text("the request", &document)?).or_throw()
}

/// One patient of a panel, owned: the record (a copy), the readings and the targets.
struct Patient {
    record: Record,
    readings: Option<Series>,
    targets: Option<Targets>,
}

/// A patient given as `{record, readings?, targets?}` (so `demoCohort()` is a panel) or `[record, readings?,
/// targets?]`.
fn patient_of(index: usize, patient: &JsValue) -> Result<Patient, JsValue> {
    let what = format!("patients[{index}]");
    let (record, readings, targets) = if Array::is_array(patient) {
        let parts = Array::from(patient);
        (parts.get(0), parts.get(1), parts.get(2))
    } else if patient.is_object() {
        (get(patient, "record")?, get(patient, "readings")?, get(patient, "targets")?)
    } else {
        return Err(type_error(&format!(
            "{what} must be {{record, readings?, targets?}} or [record, readings?]"
        )));
    };
    Ok(Patient {
        record: record_of(&record, &format!("{what}.record"))?,
        readings: optional_readings(&readings)?,
        targets: optional_targets(&targets)?,
    })
}

/// The clinic's work-list: every patient evaluated at `nowIso` in the clinic's `timeZone`, their actions triaged
/// together, safety first (core's work-list object). `patients` is an array of `{record, readings?, targets?}`
/// (`record` a `PatientRecord`, `readings` core's readings object) or `[record, readings?, targets?]`. A patient
/// that cannot be evaluated is in `errors`, the others still triaged.
#[wasm_bindgen(skip_typescript)]
pub fn worklist(
    patients: Vec<JsValue>,
    #[wasm_bindgen(js_name = nowIso)] now_iso: &str,
    #[wasm_bindgen(js_name = timeZone)] time_zone: &str,
) -> Result<JsValue, JsValue> {
    let patients =
        patients.iter().enumerate().map(|(index, p)| patient_of(index, p)).collect::<Result<Vec<_>, _>>()?;
    let now = now_of(now_iso)?;
    let panel: Vec<PatientInput<'_>> = patients
        .iter()
        .map(|p| PatientInput {
            record: &p.record,
            readings: p.readings.as_ref(),
            targets: p.targets.as_ref(),
        })
        .collect();
    to_js(&pumppath::rules::worklist(&panel, now, time_zone).or_throw()?)
}

/// The demo clinic's patients, as the examples use them: `{id, name, story, record, readings, timesMs,
/// glucose}` each, `record` a `PatientRecord` on the standard protocol, `readings` core's readings object and
/// `timesMs`/`glucose` the same readings as typed arrays (the device's wall-clock, mg/dL). Evaluate them at
/// `DEMO_NOW` in `DEMO_TIME_ZONE`.
#[wasm_bindgen(js_name = demoCohort, skip_typescript)]
pub fn demo_cohort() -> Result<Vec<JsValue>, JsValue> {
    let protocol = pumppath::pathway::Protocol::standard();
    pumppath::demo::cohort()
        .into_iter()
        .map(|patient| {
            let record = patient.record(protocol).or_throw()?;
            let readings = patient.readings();
            let series =
                Series::from_readings(Unit::MgDl, readings.iter().copied(), &SeriesOptions::default())
                    .or_throw()?;
            let times: Vec<f64> =
                readings.iter().map(|&(time, _)| pumppath::cgm::to_seconds(time) as f64 * 1_000.0).collect();
            let glucose: Vec<f64> = readings.iter().map(|&(_, value)| value).collect();
            let out = Object::new();
            set(&out, "id", &JsValue::from_str(patient.id))?;
            set(&out, "name", &JsValue::from_str(patient.name))?;
            set(&out, "story", &JsValue::from_str(patient.story))?;
            set(&out, "record", &PatientRecord { inner: record }.into())?;
            set(&out, "readings", &to_js(&series.to_columnar(TimeScale::Milliseconds))?)?;
            set(&out, "timesMs", &js_sys::Float64Array::from(times.as_slice()).into())?;
            set(&out, "glucose", &js_sys::Float64Array::from(glucose.as_slice()).into())?;
            Ok(out.into())
        })
        .collect()
}

/// The JSON Schemas of every wire format, by name (`protocol`, `event`, `readings`, `assessment`, ...).
#[wasm_bindgen(skip_typescript)]
pub fn schemas() -> Result<JsValue, JsValue> {
    let out = Object::new();
    for (name, schema) in pumppath::schema::all() {
        set(&out, name, &to_js(&schema)?)?;
    }
    Ok(out.into())
}
