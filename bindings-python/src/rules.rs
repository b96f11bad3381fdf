//! The assessment and the work-list as core's one-document requests, and the reference tables.

use pumppath::rules::RULE_TABLE;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pythonize::pythonize;

use crate::errors::OrRaise;
use crate::wire::{dict_of, json_text};

/// Evaluates one patient from core's evaluation request (`{record, readings?, targets?, protocol?, now,
/// time_zone}`), given as JSON text or a dict; returns the assessment's JSON, byte for byte what Rust gives.
/// A problem raises its typed error (`RequestError`, `RecordError`, ...) with the path of every problem.
#[pyfunction]
pub(crate) fn evaluate_json(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = json_text("the request", document)?;
    py.detach(|| pumppath::rules::evaluate_json(&text)).or_raise(py)
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
    let rules = RULE_TABLE.iter().map(|spec| pythonize(py, spec)).collect::<Result<Vec<_>, _>>()?;
    PyTuple::new(py, rules)
}
