//! The assessment and the work-list as core's one-document requests, and the reference tables.

use numpy::{AllowTypeChange, PyArray1, PyArrayLike1};
use pumppath::cgm::{Frequently as CoreFrequently, Series, to_seconds};
use pumppath::glucose::Targets;
use pumppath::glucose::Unit;
use pumppath::jiff::Timestamp;
use pumppath::pathway::{Protocol, Record};
use pumppath::patient::PatientView as CorePatientView;
use pumppath::rules::{Assessment as CoreAssessment, EvaluationOptions, RULE_TABLE};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::errors::OrRaise;
use crate::glucose::{readings_series, series_of, targets_of, unit_of};
use crate::pathway::{PyProtocol, PyRecord};
use crate::readers::PySeries;
use crate::wire::{dict_of, json_form, json_text, wire_class};

/// Evaluates one patient from core's evaluation request (`{record, readings?, targets?, protocol?, now,
/// time_zone}`), given as JSON text or a dict; returns the assessment's JSON, byte for byte what Rust gives.
/// A problem raises its typed error (`RequestError`, `RecordError`, ...) with the path of every problem.
#[pyfunction]
pub(crate) fn evaluate_json(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = json_text("the request", document)?;
    py.detach(|| pumppath::rules::evaluate_json(&text)).or_raise(py)
}

/// The patient's view of core's evaluation request (the document `evaluate_json` takes), as JSON: byte for byte
/// Rust's `rules::patient_view_json`.
#[pyfunction]
pub(crate) fn patient_view_json(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = json_text("the request", document)?;
    py.detach(|| pumppath::rules::patient_view_json(&text)).or_raise(py)
}

/// The CGM report of core's columnar readings JSON (text or a dict), as JSON: `{"summary": ..., "episodes":
/// ...}`, byte for byte Rust's `Series::report_json`.
#[pyfunction]
pub(crate) fn cgm_report_json(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = json_text("readings", document)?;
    py.detach(|| Series::report_json(&text)).or_raise(py)
}

/// Triages a panel from core's work-list request (`{patients: [{record, readings?, targets?}], protocol?, now,
/// time_zone}`), given as JSON text or a dict; returns the work-list's JSON, byte for byte what Rust gives.
#[pyfunction]
pub(crate) fn worklist_json(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = json_text("the request", document)?;
    py.detach(|| pumppath::rules::worklist_json(&text)).or_raise(py)
}

/// The JSON Schemas of every wire format, by name (`protocol`, `event`, `readings`, `assessment`, ...).
#[pyfunction]
pub(crate) fn schemas(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    dict_of(py, pumppath::schema::all())
}

/// The rule table: one dict per rule, in core's order, as core serialises it.
pub(crate) fn rules(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    let rules = RULE_TABLE.iter().map(|spec| json_form(py, spec)).collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, rules)
}

/// What the patient's view of an assessment needs beside it: the protocol that gave it, the targets it judged
/// (those given, else the record's at `now`) and the readings' unit (mg/dL without readings).
#[derive(Clone, Debug)]
pub(crate) struct Judged {
    pub(crate) protocol: Option<Protocol>,
    pub(crate) targets: Targets,
    pub(crate) unit: Unit,
    /// The record as it was judged, for the FHIR CarePlan (every item's state).
    pub(crate) record: Option<Record>,
}

impl Default for Judged {
    fn default() -> Judged {
        Judged { protocol: None, targets: Targets::default(), unit: Unit::MgDl, record: None }
    }
}

impl Judged {
    /// What `record` was judged with at `now`, given `targets` (over the record's) and readings in `unit`.
    pub(crate) fn of(
        record: &Record,
        targets: Option<&Targets>,
        now: Timestamp,
        unit: Option<Unit>,
    ) -> Judged {
        Judged {
            protocol: Some(record.protocol().clone()),
            targets: targets.unwrap_or_else(|| record.targets_at(now)).clone(),
            unit: unit.unwrap_or(Unit::MgDl),
            record: Some(record.clone()),
        }
    }
}

wire_class! {
    /// Everything pumppath says about one patient at one moment (core's `Assessment`): every attribute is a
    /// wire name of core's assessment JSON (`patient_id`, `pathway`, `schedule`, `cgm`, `actions`, ...);
    /// `to_json()` is byte for byte what Rust's `Assessment::to_json` gives; `patient_view()` is what it means
    /// for the patient.
    Assessment(CoreAssessment) with Judged, ["patient_view", "to_fhir"] {
        /// The assessment as a FHIR R4 transaction Bundle (a dict of FHIR JSON): the pathway as a `CarePlan`
        /// (one activity per checklist item), today's actions as a `RequestGroup` and, with readings enough, the
        /// HL7 CGM guide's summary Observations (core's `fhir::assessment_bundle`).
        fn to_fhir<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            let Some(record) = &self.extra.record else {
                return Err(PyValueError::new_err("this assessment has no record to speak from"));
            };
            let bundle = pumppath::fhir::assessment_bundle(&self.inner, record).or_raise(py)?;
            crate::fhir::bundle_dict(py, &bundle)
        }

        /// The patient's view of the assessment (core's `PatientView`): next steps, visits, supplies, when to
        /// call, the back-up plan, from the protocol that gave it and the targets it judged. `unit` is the
        /// patient's ("mg/dL" or "mmol/L"; default: the readings' unit, mg/dL without readings). Returns a
        /// `PatientView` (`to_markdown()`, `to_text()`, `to_dict()`, `to_json()`).
        #[pyo3(signature = (unit = None))]
        fn patient_view(&self, py: Python<'_>, unit: Option<&str>) -> PyResult<PatientView> {
            let Some(protocol) = &self.extra.protocol else {
                return Err(PyValueError::new_err("this assessment has no protocol to speak from"));
            };
            let unit = unit.map(|u| unit_of(py, u)).transpose()?.unwrap_or(self.extra.unit);
            let view = CorePatientView::of(&self.inner, protocol, &self.extra.targets, unit).or_raise(py)?;
            PatientView::new(view)
        }
    }
}

wire_class! {
    /// What an assessment means for the patient, in the handout's voice (core's `PatientView`): attributes
    /// `patient_id`, `today`, `phase`, `next_steps`, `visits`, `supplies`, `call_us`, `backup_plan`;
    /// `to_markdown()` and `to_text()` are core's text, which shows no rule id, item id or finding.
    PatientView(CorePatientView) with (), ["to_markdown", "to_text"] {
        /// The view as Markdown, as the patient reads it on a phone (core's `PatientView::to_markdown`).
        fn to_markdown(&self) -> String {
            self.inner.to_markdown()
        }

        /// The view as plain text (core's `PatientView::to_text`).
        fn to_text(&self) -> String {
            self.inner.to_text()
        }
    }
}

/// `now` as an instant: a timezone-aware datetime (or RFC 3339 text with an offset). A naive one is core's
/// `RequestError` at `$.now`, as the evaluation request reports it.
pub(crate) fn instant_of(py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    let text = match now.cast::<PyString>() {
        Ok(text) => text.to_str()?.to_owned(),
        Err(_) if now.is_instance(&py.import("datetime")?.getattr("datetime")?)? => {
            now.call_method0("isoformat")?.extract::<String>()?
        }
        Err(_) => return Err(PyTypeError::new_err("now must be a timezone-aware datetime")),
    };
    pumppath::rules::parse_now(&text).or_raise(py)
}

/// Readings as `evaluate` takes them: a `pumppath.Series` (from the readers), `(times, glucose)` or
/// `(times, glucose, unit)` as `cgm_summary` takes them, or core's columnar readings JSON (text or dict).
pub(crate) fn readings_of<'py>(py: Python<'py>, readings: &Bound<'py, PyAny>) -> PyResult<Series> {
    if let Ok(series) = readings.cast::<PySeries>() {
        return Ok(series.get().inner.clone());
    }
    if let Ok(parts) = readings.cast::<PyTuple>() {
        let unit = match parts.len() {
            2 => Unit::MgDl,
            3 => unit_of(py, &parts.get_item(2)?.extract::<String>()?)?,
            _ => {
                return Err(PyTypeError::new_err(
                    "readings must be (times, glucose) or (times, glucose, unit)",
                ));
            }
        };
        let glucose = parts.get_item(1)?;
        let glucose = glucose.extract::<PyArrayLike1<'py, f64, AllowTypeChange>>()?;
        return series_of(py, &parts.get_item(0)?, &glucose, unit);
    }
    let text = json_text("readings", readings)?;
    py.detach(|| Series::from_json(&text)).or_raise(py)
}

/// Evaluates one patient at `now`: the pathway, the schedule, the CGM summary and today's actions.
///
/// `record` is a `PatientRecord`; `readings` None, a `pumppath.Series`, `(times, glucose[, unit])` as `cgm_summary` takes them, or
/// core's columnar readings JSON (text or dict); `now` a timezone-aware datetime (a naive one raises
/// `RequestError` at `$.now`); `time_zone` the clinic's IANA zone; `targets` the patient's targets over the
/// record's (a preset name or core's targets JSON); `explain=True` adds the trace, every rule's verdict and why.
/// Returns an `Assessment`.
#[pyfunction]
#[pyo3(signature = (record, readings = None, *, now, time_zone, targets = None, explain = false))]
pub(crate) fn evaluate<'py>(
    py: Python<'py>,
    record: PyRef<'py, PyRecord>,
    readings: Option<&Bound<'py, PyAny>>,
    now: &Bound<'py, PyAny>,
    time_zone: &str,
    targets: Option<&Bound<'py, PyAny>>,
    explain: bool,
) -> PyResult<Assessment> {
    let series = readings.filter(|r| !r.is_none()).map(|r| readings_of(py, r)).transpose()?;
    let now = instant_of(py, now)?;
    let targets = targets.filter(|t| !t.is_none()).map(|t| targets_of(py, Some(t))).transpose()?;
    let options = EvaluationOptions { targets, trace: explain };
    let record = &record.inner;
    let assessment = py
        .detach(|| pumppath::rules::evaluate(record, series.as_ref(), now, time_zone, &options))
        .or_raise(py)?;
    let judged = Judged::of(record, options.targets.as_ref(), now, series.as_ref().map(Series::unit));
    Assessment::with_extra(assessment, judged)
}

wire_class! {
    /// The "frequently < 70 or > 250" verdict with its evidence (core's `Frequently`): `verdicts`,
    /// `frequently_low`, `frequently_high`, `sufficient`, `evidence` (every test, applied or not, with its
    /// numbers), `window_start`, `window_end`, `episode_window_start`, `since` and `significant_episodes`.
    Frequently(CoreFrequently)
}

/// The "frequently < 70 or > 250 mg/dL" verdict at `now`, judged as `evaluate` judges it (core's
/// `rules::frequently_at`): the same windows up to `now`, without a pump start to cut at.
///
/// `times`, `glucose` and `unit` as for `cgm_summary` (or a `pumppath.Series` alone); `now` a timezone-aware
/// datetime or RFC 3339 text (a naive one raises `RequestError`); `time_zone` the clinic's IANA zone (a
/// zoneless series' wall-clock is read as the clinic's); `protocol` a `Protocol` whose settings (windows,
/// counts, targets) judge (default: the standard protocol's); `targets` the patient's targets over the
/// protocol's; `settings` a dict of the protocol's `settings.frequently` fields to change (window_days,
/// episode_window_days, min_hypo_level_2_episodes, ...), checked as a protocol's are (a bad one raises
/// `ProtocolError` at `$.settings.frequently.<field>`). Returns a `Frequently`.
#[pyfunction]
#[pyo3(signature = (
    times, glucose = None, now = None, time_zone = None, unit = "mg/dL", targets = None, protocol = None,
    settings = None
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn frequently<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    now: Option<&Bound<'py, PyAny>>,
    time_zone: Option<&str>,
    unit: &str,
    targets: Option<&Bound<'py, PyAny>>,
    protocol: Option<PyRef<'py, PyProtocol>>,
    settings: Option<&Bound<'py, PyAny>>,
) -> PyResult<Frequently> {
    let (Some(now), Some(time_zone)) = (now, time_zone) else {
        return Err(PyTypeError::new_err("frequently() needs now and time_zone"));
    };
    let series = readings_series(py, times, glucose, unit)?;
    let now = instant_of(py, now)?;
    let protocol = match &protocol {
        Some(protocol) => protocol.inner.clone(),
        None => Protocol::standard().clone(),
    };
    let protocol = match settings.filter(|s| !s.is_none()) {
        Some(changes) => with_frequently_settings(py, &protocol, changes)?,
        None => protocol,
    };
    let settings = protocol.settings();
    let targets = match targets.filter(|t| !t.is_none()) {
        Some(targets) => targets_of(py, Some(targets))?,
        None => settings.targets.clone(),
    };
    let verdict = py
        .detach(|| pumppath::rules::frequently_at(&series, now, time_zone, &targets, &settings.frequently))
        .or_raise(py)?;
    Frequently::new(verdict)
}

/// `protocol` with `changes` (a dict) over its `settings.frequently`, checked by core's protocol reader
/// (`Protocol::with_frequently_settings`) so that a bad value raises `ProtocolError` with its path.
fn with_frequently_settings(
    py: Python<'_>,
    protocol: &Protocol,
    changes: &Bound<'_, PyAny>,
) -> PyResult<Protocol> {
    if !changes.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err("settings must be a dict of frequently settings"));
    }
    let changes = json_text("settings", changes)?;
    protocol.with_frequently_settings(&changes).or_raise(py)
}

/// The demo clinic's patients, as the examples use them: a list of dicts with `id`, `name`, `story`, `record`
/// (a `PatientRecord` on the standard protocol), `times` (numpy datetime64[s], the device's wall clock) and
/// `glucose` (numpy float64, mg/dL). Evaluate them at `DEMO_NOW` in `DEMO_TIME_ZONE`.
#[pyfunction]
pub(crate) fn demo_cohort(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    let protocol = pumppath::pathway::Protocol::standard();
    pumppath::demo::cohort()
        .into_iter()
        .map(|patient| {
            let readings = patient.readings();
            let seconds: Vec<i64> = readings.iter().map(|&(time, _)| to_seconds(time)).collect();
            let glucose: Vec<f64> = readings.iter().map(|&(_, value)| value).collect();
            let times = PyArray1::from_vec(py, seconds).call_method1("view", ("datetime64[s]",))?;
            let record = PyRecord { inner: patient.record(protocol).or_raise(py)? };
            let dict = PyDict::new(py);
            dict.set_item("id", patient.id)?;
            dict.set_item("name", patient.name)?;
            dict.set_item("story", patient.story)?;
            dict.set_item("record", Bound::new(py, record)?)?;
            dict.set_item("times", times)?;
            dict.set_item("glucose", PyArray1::from_vec(py, glucose))?;
            Ok(dict)
        })
        .collect()
}
