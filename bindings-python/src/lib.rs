//! Python bindings of pumppath (PyO3), built with maturin as the `pumppath` module.
//!
//! The crate is thin: it converts between Python and core's types (rust-numpy for arrays, pythonize for
//! core's serde types) and maps core's errors to exceptions; every rule and metric is core's. Core's serde
//! JSON is the contract: every result's `to_dict()` is its serde shape and `to_json()` core's serialiser.

use pumppath::glucose::Band;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

mod cohort;
mod errors;
mod fhir;
mod glucose;
mod pathway;
mod readers;
mod rules;
mod wire;
mod worklist;

/// The `pumppath` Python module.
#[pymodule]
#[pyo3(name = "pumppath")]
fn pumppath_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PumppathError", py.get_type::<errors::PumppathError>())?;
    for (kind, class) in errors::classes(py)? {
        m.add(kind.as_str(), class.bind(py))?;
    }
    m.add("BANDS", PyTuple::new(py, Band::ALL.iter().map(|band| band.as_str()))?)?;
    m.add("RULES", rules::rules(py)?)?;
    m.add_class::<glucose::CgmSummary>()?;
    m.add_class::<glucose::Episode>()?;
    m.add_class::<pathway::PyProtocol>()?;
    m.add_class::<pathway::PyRecord>()?;
    m.add_function(wrap_pyfunction!(glucose::classify, m)?)?;
    m.add_function(wrap_pyfunction!(glucose::cgm_summary, m)?)?;
    m.add_function(wrap_pyfunction!(glucose::glucose_episodes, m)?)?;
    m.add_function(wrap_pyfunction!(glucose::agp, m)?)?;
    m.add_class::<rules::Frequently>()?;
    m.add_function(wrap_pyfunction!(rules::frequently, m)?)?;
    m.add_class::<readers::PySeries>()?;
    m.add_function(wrap_pyfunction!(readers::read_long_csv, m)?)?;
    m.add_function(wrap_pyfunction!(readers::read_dexcom_clarity, m)?)?;
    m.add_function(wrap_pyfunction!(fhir::read_fhir_bundle, m)?)?;
    m.add_function(wrap_pyfunction!(readers::summary_rows, m)?)?;
    m.add_function(wrap_pyfunction!(readers::summarize, m)?)?;
    m.add("COHORT_COLUMNS", PyTuple::new(py, cohort::column_names())?)?;
    m.add_function(wrap_pyfunction!(cohort::summarize_cohort, m)?)?;
    m.add_function(wrap_pyfunction!(rules::evaluate_json, m)?)?;
    m.add_function(wrap_pyfunction!(rules::worklist_json, m)?)?;
    m.add_function(wrap_pyfunction!(rules::patient_view_json, m)?)?;
    m.add_function(wrap_pyfunction!(rules::cgm_report_json, m)?)?;
    m.add_function(wrap_pyfunction!(rules::schemas, m)?)?;
    m.add_class::<rules::Assessment>()?;
    m.add_class::<rules::PatientView>()?;
    m.add_function(wrap_pyfunction!(rules::evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(rules::demo_cohort, m)?)?;
    m.add_class::<worklist::Worklist>()?;
    m.add_class::<worklist::RoleGroup>()?;
    m.add_function(wrap_pyfunction!(worklist::worklist, m)?)?;
    m.add("DEMO_NOW", pumppath::demo::DEMO_NOW)?;
    m.add("DEMO_TIME_ZONE", pumppath::demo::DEMO_TIME_ZONE)?;
    Ok(())
}
