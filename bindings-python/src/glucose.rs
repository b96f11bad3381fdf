//! Glucose and CGM: `classify` (numpy in, numpy out), `cgm_summary` and `glucose_episodes`.

use std::borrow::Cow;

use numpy::{AllowTypeChange, PyArray1, PyArrayLike1, PyArrayMethods, PyReadonlyArray1};
use pumppath::cgm::{Episode as CoreEpisode, Series, SeriesOptions, Summary};
use pumppath::glucose::{Classifier, TargetPreset, Targets, Unit};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pythonize::depythonize;

use crate::errors::OrRaise;
use crate::wire::wire_class;

wire_class! {
    /// The consensus summary of CGM readings (core's `Summary`): every attribute is a wire name of core's
    /// summary JSON (`readings`, `mean`, `percent_in_range`, `sufficient`, ...); `to_dict()` and `to_json()` give
    /// the whole of it.
    CgmSummary(Summary)
}

wire_class! {
    /// One hypo- or hyperglycaemic episode (core's `Episode`): `kind`, `level`, `start`, `end` (local
    /// wall-clock text), `duration_minutes` and `mean_glucose`.
    Episode(CoreEpisode)
}

/// A 1-D float64 array's values: borrowed when contiguous, else copied once.
fn values_of<'a>(array: &'a PyReadonlyArray1<'_, f64>) -> Cow<'a, [f64]> {
    match array.as_slice() {
        Ok(values) => Cow::Borrowed(values),
        Err(_) => Cow::Owned(array.as_array().iter().copied().collect()),
    }
}

/// A unit given as text, as core reads it (an unknown unit is a `GlucoseError`).
pub(crate) fn unit_of(py: Python<'_>, unit: &str) -> PyResult<Unit> {
    unit.parse::<Unit>().or_raise(py)
}

/// Targets given as a preset's name (`"standard"`), core's targets JSON as a dict, or None (standard).
pub(crate) fn targets_of(targets: Option<&Bound<'_, PyAny>>) -> PyResult<Targets> {
    let Some(targets) = targets.filter(|t| !t.is_none()) else {
        return Ok(Targets::default());
    };
    if let Ok(name) = targets.extract::<String>() {
        return name
            .parse::<TargetPreset>()
            .map(Targets::from)
            .map_err(|e| PyValueError::new_err(e.to_string()));
    }
    let value: serde_json::Value = depythonize(targets)
        .map_err(|e| PyTypeError::new_err(format!("targets must be a preset name or a dict: {e}")))?;
    serde_json::from_value(value).map_err(|e| PyValueError::new_err(format!("invalid targets: {e}")))
}

/// Wall-clock seconds ([`pumppath::cgm::to_seconds`]'s encoding) of a numpy `datetime64` array of any unit,
/// or of a list of naive `datetime`s, by numpy's own conversion to `datetime64[s]`.
fn wall_clock_seconds<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
) -> PyResult<PyReadonlyArray1<'py, i64>> {
    let numpy = py.import("numpy")?;
    let is_datetime64 = |array: &Bound<'py, PyAny>| -> PyResult<bool> {
        Ok(array.getattr("dtype")?.getattr("kind")?.extract::<String>()? == "M")
    };
    let array = if times.cast::<numpy::PyUntypedArray>().is_ok() {
        if !is_datetime64(times)? {
            return Err(PyTypeError::new_err(
                "times must be a numpy datetime64 array or a list of naive datetime objects",
            ));
        }
        times.clone()
    } else {
        let datetime = py.import("datetime")?.getattr("datetime")?;
        for (index, time) in times.try_iter()?.enumerate() {
            let time = time?;
            if !time.is_instance(&datetime)? {
                return Err(PyTypeError::new_err(format!(
                    "times[{index}] is not a datetime: times must be a numpy datetime64 array or a list of naive \
                     datetime objects"
                )));
            }
            if !time.getattr("tzinfo")?.is_none() {
                return Err(PyTypeError::new_err(format!(
                    "times[{index}] is timezone-aware: CGM times are the device's naive wall-clock times"
                )));
            }
        }
        numpy.call_method1("asarray", (times, "datetime64[us]"))?
    };
    let seconds = array.call_method1("astype", ("datetime64[s]",))?.call_method1("view", ("int64",))?;
    let seconds =
        seconds.cast_into::<PyArray1<i64>>().map_err(|_| PyTypeError::new_err("times must be 1-D"))?;
    Ok(seconds.readonly())
}

/// A series from wall-clock times and glucose values in `unit`, as core builds it.
pub(crate) fn series_of<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: &PyReadonlyArray1<'py, f64>,
    unit: Unit,
) -> PyResult<Series> {
    let seconds = wall_clock_seconds(py, times)?;
    let seconds: Cow<'_, [i64]> = match seconds.as_slice() {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(seconds.as_array().iter().copied().collect()),
    };
    let values = values_of(glucose);
    py.detach(|| Series::from_slices(unit, &seconds, &values, &SeriesOptions::default())).or_raise(py)
}

/// Classifies glucose values into band codes.
///
/// `glucose` is anything array-like (a numpy array of any numeric dtype, a list); `unit` is "mg/dL" or
/// "mmol/L"; `targets` a preset name ("standard", "older_high_risk", "pregnancy_type1") or core's targets JSON
/// as a dict. Returns a numpy int8 array of band codes: 0 very_low, 1 low, 2 in_range, 3 high, 4 very_high,
/// -1 for NaN (see `BANDS`). Contiguous float64 input is read in place, without the GIL. An invalid value
/// (infinite, not positive, implausible) raises `GlucoseError` naming its index.
#[pyfunction]
#[pyo3(signature = (glucose, unit = "mg/dL", targets = None))]
#[pyo3(text_signature = "(glucose, unit='mg/dL', targets='standard')")]
pub(crate) fn classify<'py>(
    py: Python<'py>,
    glucose: PyArrayLike1<'py, f64, AllowTypeChange>,
    unit: &str,
    targets: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyArray1<i8>>> {
    let classifier = Classifier::new(&targets_of(targets)?, unit_of(py, unit)?);
    let values = values_of(&glucose);
    let out = PyArray1::<i8>::zeros(py, values.len(), false);
    {
        let mut codes = out.readwrite();
        let codes = codes.as_slice_mut()?;
        py.detach(|| classifier.classify_into(&values, codes)).or_raise(py)?;
    }
    Ok(out)
}

/// The consensus summary of CGM readings.
///
/// `times` is a numpy datetime64 array (any unit) or a list of naive datetime objects, the device's wall-clock
/// times; `glucose` the values (array-like, NaN for missing) in `unit`; `targets` as for `classify`. Returns a
/// `CgmSummary`. Readings that cannot form a series (lengths differ, an invalid value, a duplicate time) raise
/// `SeriesError`.
#[pyfunction]
#[pyo3(signature = (times, glucose, unit = "mg/dL", targets = None))]
#[pyo3(text_signature = "(times, glucose, unit='mg/dL', targets='standard')")]
pub(crate) fn cgm_summary<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: PyArrayLike1<'py, f64, AllowTypeChange>,
    unit: &str,
    targets: Option<&Bound<'py, PyAny>>,
) -> PyResult<CgmSummary> {
    let unit = unit_of(py, unit)?;
    let targets = targets_of(targets)?;
    let series = series_of(py, times, &glucose, unit)?;
    CgmSummary::new(py.detach(|| series.view().summary(&targets)))
}

/// The hypo- and hyperglycaemic episodes of CGM readings (R iglu's `episode_calculation`).
///
/// `times`, `glucose` and `unit` as for `cgm_summary`. Returns a list of `Episode`, grouped by kind and level
/// (hypo level 1, level 2, extended; hyper level 1, level 2; level 1 exclusive), by time within each.
#[pyfunction]
#[pyo3(signature = (times, glucose, unit = "mg/dL"))]
pub(crate) fn glucose_episodes<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: PyArrayLike1<'py, f64, AllowTypeChange>,
    unit: &str,
) -> PyResult<Vec<Episode>> {
    let unit = unit_of(py, unit)?;
    let series = series_of(py, times, &glucose, unit)?;
    let episodes = py.detach(|| series.view().episodes());
    episodes.episodes.into_iter().map(Episode::new).collect()
}
