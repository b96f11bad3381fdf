//! Series of many patients: `Series` (one patient's readings as core holds them), the CSV readers
//! (`read_long_csv`, `read_dexcom_clarity`) and the per-patient summaries of a long-form table (`summarize`,
//! `summary_rows`).

use std::io::Read;

use numpy::{PyArray1, PyArrayMethods};
use pumppath::cgm::{PatientSeries, Series, SeriesOptions, TimeScale, to_seconds};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::errors::OrRaise;
use crate::glucose::{CgmSummary, Times, targets_of, times_of, unit_of};
use crate::wire::json_form;

/// One patient's CGM readings as core holds them, from the readers: `id`, `unit`, `time_zone` (the zone
/// given to the reader, or None), `times` (numpy datetime64[s], the local wall-clock of each reading),
/// `glucose` (numpy float64 in `unit`, missing readings dropped) and `missing`. Give it as `readings` to
/// `evaluate`, or alone to `cgm_summary` and `glucose_episodes`.
#[pyclass(frozen, name = "Series", module = "pumppath")]
pub struct PySeries {
    pub(crate) id: String,
    pub(crate) inner: Series,
}

impl PySeries {
    fn of(patient: PatientSeries) -> PySeries {
        PySeries { id: patient.id, inner: patient.series }
    }
}

#[pymethods]
impl PySeries {
    /// The patient's id as the input gives it ("" for a single-patient export).
    #[getter]
    fn id(&self) -> &str {
        &self.id
    }

    /// The unit of `glucose`: "mg/dL" or "mmol/L".
    #[getter]
    fn unit(&self) -> &'static str {
        self.inner.unit().as_str()
    }

    /// The readings as a FHIR R4 transaction Bundle (a dict of FHIR JSON) of the HL7 CGM guide's sensor
    /// readings for `patient_id` (default: the series' `id`), each at its instant with its zone's offset
    /// (core's `fhir::readings_bundle`); `read_fhir_bundle` reads it back. A series without a time zone raises
    /// `FhirError` (`zoneless_readings`): its times are no instants.
    #[pyo3(signature = (patient_id = None))]
    fn to_fhir<'py>(&self, py: Python<'py>, patient_id: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        let bundle =
            pumppath::fhir::readings_bundle(&self.inner, patient_id.unwrap_or(&self.id)).or_raise(py)?;
        crate::fhir::bundle_dict(py, &bundle)
    }

    /// The IANA time zone the readings were read in, or None (the device's wall-clock as it is).
    #[getter]
    fn time_zone(&self) -> Option<String> {
        self.inner.time_zone().and_then(|zone| zone.iana_name()).map(str::to_owned)
    }

    /// The local wall-clock time of each reading, numpy datetime64[s], in time order.
    #[getter]
    fn times<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let view = self.inner.view();
        let seconds: Vec<i64> = self.inner.times().iter().map(|&t| to_seconds(view.civil(t))).collect();
        PyArray1::from_vec(py, seconds).call_method1("view", ("datetime64[s]",))
    }

    /// The glucose value of each reading, numpy float64 in `unit` (a sensor's "Low"/"High" at its limits).
    #[getter]
    fn glucose<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, self.inner.values())
    }

    /// Missing readings dropped.
    #[getter]
    fn missing(&self) -> usize {
        self.inner.missing()
    }

    /// The number of readings.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The consensus summary of the readings (`targets` as for `classify`).
    #[pyo3(signature = (targets = None))]
    #[pyo3(text_signature = "($self, targets='standard')")]
    fn summary(&self, py: Python<'_>, targets: Option<&Bound<'_, PyAny>>) -> PyResult<CgmSummary> {
        let targets = targets_of(py, targets)?;
        CgmSummary::new(py.detach(|| self.inner.view().summary(&targets)))
    }

    /// Core's columnar readings JSON (what `evaluate_json` takes as `readings`).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// A series from core's columnar readings JSON (text or a dict), with `id` as its id; raises `SeriesError`
    /// naming the field or the reading.
    #[staticmethod]
    #[pyo3(signature = (document, id = ""))]
    fn from_json(py: Python<'_>, document: &Bound<'_, PyAny>, id: &str) -> PyResult<PySeries> {
        let text = crate::wire::json_text("readings", document)?;
        let series = py.detach(|| Series::from_json(&text)).or_raise(py)?;
        Ok(PySeries { id: id.to_owned(), inner: series })
    }

    fn __repr__(&self) -> String {
        format!(
            "Series(id={:?}, unit={:?}, readings={}, missing={})",
            self.id,
            self.inner.unit().as_str(),
            self.inner.len(),
            self.inner.missing()
        )
    }
}

/// What a reader reads: CSV text or bytes, or a file the binding opens (core never opens files).
enum Input {
    Bytes(Vec<u8>),
    File(std::fs::File),
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Input::Bytes(bytes) => {
                let n = buf.len().min(bytes.len());
                buf[..n].copy_from_slice(&bytes[..n]);
                bytes.drain(..n);
                Ok(n)
            }
            Input::File(file) => file.read(buf),
        }
    }
}

/// `path_or_text`: bytes or text holding a line break are the CSV itself; other text or an `os.PathLike` is a
/// file's path (a file that cannot be opened raises the OSError Python raises, FileNotFoundError, ...).
fn input_of(py: Python<'_>, path_or_text: &Bound<'_, PyAny>) -> PyResult<Input> {
    if let Ok(bytes) = path_or_text.cast::<PyBytes>() {
        return Ok(Input::Bytes(bytes.as_bytes().to_vec()));
    }
    if let Ok(text) = path_or_text.cast::<PyString>() {
        let text = text.to_str()?;
        if text.contains('\n') {
            return Ok(Input::Bytes(text.as_bytes().to_vec()));
        }
    }
    let path: std::path::PathBuf = py.import("os")?.call_method1("fspath", (path_or_text,))?.extract()?;
    Ok(Input::File(std::fs::File::open(path)?))
}

/// The options of a reader: the devices' IANA zone, or None.
fn options_of(time_zone: Option<String>) -> SeriesOptions {
    SeriesOptions { time_zone, ..SeriesOptions::default() }
}

/// Reads a long-form CGM CSV (`id,time,gl` columns, R iglu's format) into one `Series` per patient, in the
/// order they first appear.
///
/// `path_or_text` is a file's path (str or `os.PathLike`), or the CSV itself as bytes or as text holding a line
/// break. `unit` is the unit of `gl`; `time_zone` the devices' IANA zone (None: the wall-clock as it is). A
/// malformed line raises `ReadError` naming the line, the column and the value.
#[pyfunction]
#[pyo3(signature = (path_or_text, unit = "mg/dL", time_zone = None))]
pub(crate) fn read_long_csv(
    py: Python<'_>,
    path_or_text: &Bound<'_, PyAny>,
    unit: &str,
    time_zone: Option<String>,
) -> PyResult<Vec<PySeries>> {
    let unit = unit_of(py, unit)?;
    let input = input_of(py, path_or_text)?;
    let options = options_of(time_zone);
    let patients = py.detach(|| pumppath::io::read_long_csv(input, unit, &options)).or_raise(py)?;
    Ok(patients.into_iter().map(PySeries::of).collect())
}

/// Reads a Dexcom Clarity CSV export into a list of one `Series` (its `EGV` rows; "Low"/"High" at the sensor's
/// limits), with `id` as its id.
///
/// `path_or_text` and `time_zone` as for `read_long_csv`; the unit is the export's. A malformed line raises
/// `ReadError`.
#[pyfunction]
#[pyo3(signature = (path_or_text, time_zone = None, id = ""))]
pub(crate) fn read_dexcom_clarity(
    py: Python<'_>,
    path_or_text: &Bound<'_, PyAny>,
    time_zone: Option<String>,
    id: &str,
) -> PyResult<Vec<PySeries>> {
    let input = input_of(py, path_or_text)?;
    let options = options_of(time_zone);
    let series = py.detach(|| pumppath::io::read_clarity_csv(input, &options)).or_raise(py)?;
    Ok(vec![PySeries { id: id.to_owned(), inner: series }])
}

/// The series of `data`: a `Series`, a list of them (the readers' output), or a long-form table (a pandas
/// DataFrame, or a dict of columns) grouped by core.
fn patients_of(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    columns: [&str; 3],
    unit: &str,
) -> PyResult<Vec<PatientSeries>> {
    if let Ok(series) = data.cast::<PySeries>() {
        let series = series.get();
        return Ok(vec![PatientSeries { id: series.id.clone(), series: series.inner.clone() }]);
    }
    let listed = data.cast::<PyList>().map(|l| l.iter().collect::<Vec<_>>()).ok();
    let listed = listed.or_else(|| data.cast::<PyTuple>().map(|t| t.iter().collect::<Vec<_>>()).ok());
    if let Some(items) = listed {
        return items
            .iter()
            .enumerate()
            .map(|(index, item)| match item.cast::<PySeries>() {
                Ok(series) => {
                    let series = series.get();
                    Ok(PatientSeries { id: series.id.clone(), series: series.inner.clone() })
                }
                Err(_) => Err(PyTypeError::new_err(format!(
                    "data[{index}] is not a pumppath.Series: data must be a DataFrame, a dict of columns or a \
                     list of pumppath.Series"
                ))),
            })
            .collect();
    }
    let [id, time, glucose] = columns;
    let unit = unit_of(py, unit)?;
    let ids = data
        .get_item(id)?
        .try_iter()?
        .map(|value| value?.str()?.extract::<String>())
        .collect::<PyResult<Vec<String>>>()?;
    let Times { seconds, instants, zone } = times_of(py, &data.get_item(time)?)?;
    let values = py.import("numpy")?.call_method1("asarray", (data.get_item(glucose)?, "float64"))?;
    let values = values
        .cast_into::<PyArray1<f64>>()
        .map_err(|_| PyTypeError::new_err(format!("data[{glucose:?}] must be one column of numbers")))?;
    let values = values.readonly().as_array().to_vec();
    let options = options_of(zone);
    py.detach(|| {
        if instants {
            Series::from_long(unit, &ids, &seconds, TimeScale::Seconds, &values, &[], &options)
        } else {
            Series::from_long_wall_clock(unit, &ids, &seconds, &values, &options)
        }
    })
    .or_raise(py)
}

/// One dict per patient: `id`, then every field of core's summary (`readings`, `mean`, `percent_in_range`,
/// `sufficient`, ...), in the order patients first appear. What `summarize` gives without pandas.
///
/// `data` is a long-form pandas DataFrame (or a dict of columns) with columns `id`, `time` and `glucose` (named
/// by those arguments; times as `cgm_summary` takes them), or the readers' output (a list of `Series`).
/// `unit` is the unit of the glucose column; `targets` as for `classify`.
#[pyfunction]
#[pyo3(signature = (data, id = "id", time = "time", glucose = "gl", unit = "mg/dL", targets = None))]
#[pyo3(text_signature = "(data, id='id', time='time', glucose='gl', unit='mg/dL', targets='standard')")]
pub(crate) fn summary_rows<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    id: &str,
    time: &str,
    glucose: &str,
    unit: &str,
    targets: Option<&Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let targets = targets_of(py, targets)?;
    let patients = patients_of(py, data, [id, time, glucose], unit)?;
    let summaries: Vec<_> = py.detach(|| {
        patients
            .iter()
            .map(|patient| (patient.id.as_str(), patient.series.view().summary(&targets)))
            .collect()
    });
    summaries
        .into_iter()
        .map(|(patient, summary)| {
            let row = PyDict::new(py);
            row.set_item("id", patient)?;
            row.call_method1("update", (json_form(py, &summary)?,))?;
            Ok(row)
        })
        .collect()
}

/// One row per patient of a long-form table: a pandas DataFrame when pandas is installed, else the list of
/// dicts `summary_rows` gives. Arguments as for `summary_rows`.
#[pyfunction]
#[pyo3(signature = (data, id = "id", time = "time", glucose = "gl", unit = "mg/dL", targets = None))]
#[pyo3(text_signature = "(data, id='id', time='time', glucose='gl', unit='mg/dL', targets='standard')")]
pub(crate) fn summarize<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    id: &str,
    time: &str,
    glucose: &str,
    unit: &str,
    targets: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let rows = summary_rows(py, data, id, time, glucose, unit, targets)?;
    crate::worklist::frame_of(py, rows, None)
}
