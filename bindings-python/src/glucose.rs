//! Glucose and CGM: `classify` (numpy in, numpy out), `cgm_summary` and `glucose_episodes`.

use std::borrow::Cow;

use numpy::{AllowTypeChange, PyArray1, PyArrayLike1, PyArrayMethods, PyReadonlyArray1};
use pumppath::cgm::{Episode as CoreEpisode, Series, SeriesOptions, Summary, TimeScale};
use pumppath::glucose::{Classifier, Targets, Unit};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use pythonize::depythonize;

use crate::errors::{OrRaise, not_wire};
use crate::readers::PySeries;
use crate::wire::wire_class;

wire_class! {
    /// The consensus summary of CGM readings (core's `Summary`): every attribute is a wire name of core's
    /// summary JSON (`readings`, `mean`, `percent_in_range`, `sufficient`, ...); `to_dict()` and `to_json()` give
    /// the whole of it; `to_fhir(patient_id)` the HL7 CGM guide's Observations.
    CgmSummary(Summary) with (), ["to_fhir"] {
        /// The summary as a FHIR R4 transaction Bundle (a dict of FHIR JSON) of the HL7 CGM guide's summary
        /// Observations for `patient_id`: the summary and its mean glucose, times in ranges, GMI, CV, days of wear
        /// and sensor active percent (core's `fhir::summary_bundle`). A summary with fewer than two readings
        /// raises `FhirError` (`missing_metric`): the guide requires every value.
        fn to_fhir<'py>(&self, py: Python<'py>, patient_id: &str) -> PyResult<Bound<'py, PyAny>> {
            let bundle = pumppath::fhir::summary_bundle(&self.inner, patient_id).or_raise(py)?;
            crate::fhir::bundle_dict(py, &bundle)
        }
    }
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

/// Targets given as a preset's name (`"standard"`) or its JSON text, core's targets JSON as a dict, or None
/// (standard), read by core's [`Targets::parse`] and [`Targets::from_json`]: an unknown preset or malformed
/// targets raise `GlucoseError` (`unknown_preset`, `malformed_targets`).
pub(crate) fn targets_of(py: Python<'_>, targets: Option<&Bound<'_, PyAny>>) -> PyResult<Targets> {
    let Some(targets) = targets.filter(|t| !t.is_none()) else {
        return Ok(Targets::default());
    };
    if let Ok(text) = targets.cast::<PyString>() {
        return Targets::parse(text.to_str()?).or_raise(py);
    }
    let value: serde_json::Value = depythonize(targets).map_err(|e| not_wire("targets", e))?;
    Targets::from_json(&value.to_string()).or_raise(py)
}

/// Times as core takes them: the device's wall-clock seconds ([`pumppath::cgm::to_seconds`]'s encoding, read
/// in `zone` when it is given), or Unix seconds (instants) shown in `zone`.
pub(crate) struct Times {
    /// Wall-clock seconds, or Unix seconds when `instants`.
    pub(crate) seconds: Vec<i64>,
    /// Whether `seconds` are instants.
    pub(crate) instants: bool,
    /// The IANA zone the wall-clock is read in, or the instants shown in.
    pub(crate) zone: Option<String>,
}

const TIMES_TYPES: &str = "times must be a numpy datetime64 array, a pandas Series or DatetimeIndex of datetimes, or a \
                           list of datetime objects";

/// The int64 seconds of a numpy `datetime64` array of any unit, by numpy's own conversion to `datetime64[s]`.
fn seconds_of(array: &Bound<'_, PyAny>) -> PyResult<Vec<i64>> {
    let seconds = array.call_method1("astype", ("datetime64[s]",))?.call_method1("view", ("int64",))?;
    let seconds =
        seconds.cast_into::<PyArray1<i64>>().map_err(|_| PyTypeError::new_err("times must be 1-D"))?;
    Ok(seconds.readonly().as_array().to_vec())
}

/// The IANA name of a Python time zone (zoneinfo's `key`, pytz's `zone`, else its text), which core resolves
/// with its bundled database; a name core does not know raises `SeriesError` (`unknown_time_zone`).
fn zone_name(tz: &Bound<'_, PyAny>) -> PyResult<String> {
    for attribute in ["key", "zone"] {
        if let Ok(name) = tz.getattr(attribute).and_then(|n| n.extract::<String>()) {
            return Ok(name);
        }
    }
    tz.str()?.extract()
}

/// The times of `times`: a numpy `datetime64` array of any unit, a pandas Series or DatetimeIndex (naive:
/// wall-clock; timezone-aware: the instants pandas holds, with the zone's name), or a list of `datetime`
/// (naive: wall-clock; aware, all in one IANA zone: their wall-clock read in that zone by core). No Python time
/// zone converts anything: the zone's name goes to core.
pub(crate) fn times_of<'py>(py: Python<'py>, times: &Bound<'py, PyAny>) -> PyResult<Times> {
    let numpy = py.import("numpy")?;
    let kind_of = |array: &Bound<'py, PyAny>| -> PyResult<Option<String>> {
        match array.getattr("dtype") {
            Ok(dtype) => Ok(Some(dtype.getattr("kind")?.extract::<String>()?)),
            Err(_) => Ok(None),
        }
    };
    if times.cast::<numpy::PyUntypedArray>().is_ok() {
        if kind_of(times)?.as_deref() != Some("M") {
            return Err(PyTypeError::new_err(TIMES_TYPES));
        }
        return Ok(Times { seconds: seconds_of(times)?, instants: false, zone: None });
    }
    // pandas: a Series or an Index of datetime64, naive or with a DatetimeTZDtype.
    if let Ok(dtype) = times.getattr("dtype") {
        let tz = dtype.getattr("tz").ok().filter(|tz| !tz.is_none());
        if let Some(tz) = tz {
            let index = py.import("pandas")?.getattr("DatetimeIndex")?.call1((times,))?;
            // tz_convert(None) drops the zone and keeps the instants pandas holds (UTC): no zone rule is read.
            let utc = numpy.call_method1("asarray", (index.call_method1("tz_convert", (py.None(),))?,))?;
            return Ok(Times { seconds: seconds_of(&utc)?, instants: true, zone: Some(zone_name(&tz)?) });
        }
        if kind_of(times)?.as_deref() == Some("M") {
            let array = numpy.call_method1("asarray", (times,))?;
            return Ok(Times { seconds: seconds_of(&array)?, instants: false, zone: None });
        }
        if times.hasattr("to_numpy")? {
            return Err(PyTypeError::new_err(TIMES_TYPES));
        }
    }
    let datetime = py.import("datetime")?.getattr("datetime")?;
    let mut naive = Vec::new();
    let mut zone: Option<(usize, Bound<'py, PyAny>)> = None;
    for (index, time) in times.try_iter()?.enumerate() {
        let time = time?;
        if !time.is_instance(&datetime)? {
            return Err(PyTypeError::new_err(format!("times[{index}] is not a datetime: {TIMES_TYPES}")));
        }
        let tz = time.getattr("tzinfo")?;
        match (&zone, tz.is_none()) {
            (None, false) if index > 0 => {
                return Err(PyTypeError::new_err(format!(
                    "times[{index}] is timezone-aware, times[0] naive: give all naive or all in one time zone"
                )));
            }
            (None, false) => zone = Some((index, tz)),
            (None, true) => {}
            (Some(_), true) => {
                return Err(PyTypeError::new_err(format!(
                    "times[{index}] is naive, times[0] timezone-aware: give all naive or all in one time zone"
                )));
            }
            (Some((_, first)), false) => {
                if zone_name(first)? != zone_name(&tz)? {
                    return Err(PyTypeError::new_err(format!(
                        "times[{index}] is in another time zone than times[0]: give all in one time zone"
                    )));
                }
            }
        }
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("tzinfo", py.None())?;
        naive.push(time.call_method("replace", (), Some(&kwargs))?);
    }
    let array = numpy.call_method1("asarray", (naive, "datetime64[us]"))?;
    let zone = zone.map(|(_, tz)| zone_name(&tz)).transpose()?;
    Ok(Times { seconds: seconds_of(&array)?, instants: false, zone })
}

/// A series from times (see [`times_of`]) and glucose values in `unit`, as core builds it: wall-clock times by
/// [`Series::from_slices`], instants by [`Series::from_epoch`], the zone's name in [`SeriesOptions::time_zone`].
pub(crate) fn series_of<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: &PyReadonlyArray1<'py, f64>,
    unit: Unit,
) -> PyResult<Series> {
    let Times { seconds, instants, zone } = times_of(py, times)?;
    let values = values_of(glucose);
    let options = SeriesOptions { time_zone: zone, ..SeriesOptions::default() };
    py.detach(|| {
        if instants {
            Series::from_epoch(unit, &seconds, TimeScale::Seconds, &values, &[], &options)
        } else {
            Series::from_slices(unit, &seconds, &values, &options)
        }
    })
    .or_raise(py)
}

/// Readings given as `(times, glucose)` (see [`series_of`]) or as a `pumppath.Series` (with `glucose` None).
pub(crate) fn readings_series<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    unit: &str,
) -> PyResult<Series> {
    match (times.cast::<PySeries>(), glucose) {
        (Ok(series), None) => Ok(series.get().inner.clone()),
        (Ok(_), Some(_)) => Err(PyTypeError::new_err("give a pumppath.Series alone, without glucose")),
        (Err(_), Some(glucose)) => series_of(py, times, &glucose, unit_of(py, unit)?),
        (Err(_), None) => Err(PyTypeError::new_err("glucose is required unless times is a pumppath.Series")),
    }
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
    let classifier = Classifier::new(&targets_of(py, targets)?, unit_of(py, unit)?);
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
/// `times` is a numpy datetime64 array (any unit), a pandas Series or DatetimeIndex, or a list of datetime
/// objects: naive values are the device's wall-clock times as they are; timezone-aware values are instants,
/// shown in their zone by core's bundled time-zone database (the zone's IANA name goes to core). `glucose` the
/// values (array-like, NaN for missing) in `unit`; `targets` as for `classify`. A `pumppath.Series` (from the
/// readers) may be given as `times`, alone. Returns a `CgmSummary`. Readings that cannot form a series (lengths
/// differ, an invalid value, a duplicate time, an unknown zone) raise `SeriesError`.
#[pyfunction]
#[pyo3(signature = (times, glucose = None, unit = "mg/dL", targets = None))]
#[pyo3(text_signature = "(times, glucose=None, unit='mg/dL', targets='standard')")]
pub(crate) fn cgm_summary<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    unit: &str,
    targets: Option<&Bound<'py, PyAny>>,
) -> PyResult<CgmSummary> {
    let targets = targets_of(py, targets)?;
    let series = readings_series(py, times, glucose, unit)?;
    CgmSummary::new(py.detach(|| series.view().summary(&targets)))
}

/// The hypo- and hyperglycaemic episodes of CGM readings (R iglu's `episode_calculation`).
///
/// `times`, `glucose` and `unit` as for `cgm_summary` (or a `pumppath.Series` alone). Returns a list of
/// `Episode`, grouped by kind and level (hypo level 1, level 2, extended; hyper level 1, level 2; level 1
/// exclusive), by time within each.
#[pyfunction]
#[pyo3(signature = (times, glucose = None, unit = "mg/dL"))]
pub(crate) fn glucose_episodes<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    unit: &str,
) -> PyResult<Vec<Episode>> {
    let series = readings_series(py, times, glucose, unit)?;
    let episodes = py.detach(|| series.view().episodes());
    episodes.episodes.into_iter().map(Episode::new).collect()
}

/// The ambulatory glucose profile (core's AGP): glucose percentiles by local time of day, all days overlaid.
///
/// `times`, `glucose` and `unit` as for `cgm_summary` (or a `pumppath.Series` alone); `bin_minutes` must divide
/// the day (else `SeriesError`, `invalid_bin_minutes`). Returns a dict: `unit`, `bin_minutes`, `start`
/// (numpy timedelta64[m] from midnight, one per bin), `readings` (int64 per bin) and `p5`, `p25`, `p50`,
/// `p75`, `p95` (numpy float64, NaN for a bin without readings).
#[pyfunction]
#[pyo3(signature = (times, glucose = None, unit = "mg/dL", bin_minutes = pumppath::cgm::DEFAULT_AGP_BIN_MINUTES))]
#[pyo3(text_signature = "(times, glucose=None, unit='mg/dL', bin_minutes=15)")]
pub(crate) fn agp<'py>(
    py: Python<'py>,
    times: &Bound<'py, PyAny>,
    glucose: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    unit: &str,
    bin_minutes: u32,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    let series = readings_series(py, times, glucose, unit)?;
    let agp = py.detach(|| series.view().agp(bin_minutes)).or_raise(py)?;
    let column = |get: fn(&pumppath::cgm::AgpBin) -> Option<f64>| {
        PyArray1::from_iter(py, agp.bins.iter().map(|bin| get(bin).unwrap_or(f64::NAN)))
    };
    let minutes = agp.bins.iter().map(|bin| i64::from(bin.start.hour()) * 60 + i64::from(bin.start.minute()));
    let out = pyo3::types::PyDict::new(py);
    out.set_item("unit", agp.unit.as_str())?;
    out.set_item("bin_minutes", agp.bin_minutes)?;
    out.set_item("start", PyArray1::from_iter(py, minutes).call_method1("view", ("timedelta64[m]",))?)?;
    out.set_item("readings", PyArray1::from_iter(py, agp.bins.iter().map(|bin| bin.readings as i64)))?;
    out.set_item("p5", column(|bin| bin.p5))?;
    out.set_item("p25", column(|bin| bin.p25))?;
    out.set_item("p50", column(|bin| bin.p50))?;
    out.set_item("p75", column(|bin| bin.p75))?;
    out.set_item("p95", column(|bin| bin.p95))?;
    Ok(out)
}
