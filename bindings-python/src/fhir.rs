//! FHIR R4: `read_fhir_bundle`, and the bundles the `to_fhir()` methods return (core's `fhir`).

use pumppath::cgm::{PatientSeries, SeriesOptions};
use pumppath::fhir::{Bundle, ReadOptions};
use pyo3::prelude::*;

use crate::errors::OrRaise;
use crate::glucose::unit_of;
use crate::readers::PySeries;
use crate::wire::json_text;

/// A FHIR bundle as a dict of FHIR JSON (camelCase keys), as `json.loads` gives it.
pub(crate) fn bundle_dict<'py>(py: Python<'py>, bundle: &Bundle) -> PyResult<Bound<'py, PyAny>> {
    Ok(pythonize::pythonize(py, bundle)?)
}

/// Reads the glucose readings of a FHIR R4 Bundle's Observations into one `Series` per patient (by
/// `subject`), in the order they first appear (core's `fhir::read_bundle`).
///
/// `bundle` is FHIR JSON, as text or as a dict. Read: Observations with the CGM guide's reading codes (LOINC
/// 99504-3 in mg/dL, 105272-9 in mmol/L), and with `blood_glucose=True` blood-glucose codes too; the guide's
/// summary Observations and other resources are passed over. `unit` ("mg/dL" or "mmol/L") converts every
/// reading to it (without it, one patient's readings in both units raise); `time_zone` is the IANA zone whose
/// wall-clock the series shows (default UTC). Another code, a unit that is neither mg/dL nor mmol/L, a time
/// without an offset raise `FhirError`, naming the entry's field.
#[pyfunction]
#[pyo3(signature = (bundle, *, blood_glucose = false, unit = None, time_zone = None))]
pub(crate) fn read_fhir_bundle(
    py: Python<'_>,
    bundle: &Bound<'_, PyAny>,
    blood_glucose: bool,
    unit: Option<&str>,
    time_zone: Option<String>,
) -> PyResult<Vec<PySeries>> {
    let text = json_text("bundle", bundle)?;
    let unit = unit.map(|u| unit_of(py, u)).transpose()?;
    let options =
        ReadOptions { blood_glucose, unit, series: SeriesOptions { time_zone, ..SeriesOptions::default() } };
    let patients = py.detach(|| pumppath::fhir::read_bundle(&text, &options)).or_raise(py)?;
    Ok(patients.into_iter().map(|p: PatientSeries| PySeries { id: p.id, inner: p.series }).collect())
}
