//! The clinic's work-list from Python objects: core's `rules::worklist` over borrowed records and series.

use pumppath::cgm::Series;
use pumppath::glucose::Targets;
use pumppath::pathway::Role;
use pumppath::rules::{PatientInput, RoleGroup as CoreRoleGroup, Worklist as CoreWorklist};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::errors::OrRaise;
use crate::glucose::targets_of;
use crate::pathway::PyRecord;
use crate::rules::{Assessment, Judged, instant_of, readings_of};
use crate::wire::{json_form, to_json, wire_class};

/// The columns of `actions_frame()`: the patient, then the action's flat fields.
const ACTION_COLUMNS: [&str; 9] =
    ["rule", "state", "severity", "category", "role", "due", "message", "item", "source"];

/// A pandas DataFrame of `rows` with `columns` when pandas is installed, else the list of dicts itself.
pub(crate) fn frame_of<'py>(
    py: Python<'py>,
    rows: Vec<Bound<'py, PyDict>>,
    columns: Option<Vec<&str>>,
) -> PyResult<Bound<'py, PyAny>> {
    match py.import("pandas") {
        Ok(pandas) => {
            let kwargs = PyDict::new(py);
            if let Some(columns) = columns {
                kwargs.set_item("columns", columns)?;
            }
            pandas.getattr("DataFrame")?.call((rows,), Some(&kwargs))
        }
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyImportError>(py) => {
            Ok(PyList::new(py, rows)?.into_any())
        }
        Err(e) => Err(e),
    }
}

/// One row per item: `patient_id`, then the action's flat fields ([`ACTION_COLUMNS`]) as core's JSON gives them.
fn action_rows<'py, 'a>(
    py: Python<'py>,
    items: impl IntoIterator<Item = &'a pumppath::rules::WorklistItem>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    items
        .into_iter()
        .map(|item| {
            let action = json_form(py, &item.action)?;
            let row = PyDict::new(py);
            row.set_item("patient_id", &item.patient_id)?;
            for column in ACTION_COLUMNS {
                row.set_item(column, action.get_item(column)?)?;
            }
            Ok(row)
        })
        .collect()
}

/// The columns of an action frame.
fn action_columns() -> Vec<&'static str> {
    std::iter::once("patient_id").chain(ACTION_COLUMNS).collect()
}

wire_class! {
    /// The panel triaged on one day (core's `Worklist`): attributes `evaluated_at`, `today`, `time_zone`,
    /// `items` (every action, safety first, each once, with its `patient_id`), `patients` (one headline each),
    /// `counts`, `errors` (patients that could not be evaluated, with why) and `assessments`; `to_json()` is
    /// byte for byte what Rust's `Worklist::to_json` gives.
    Worklist(CoreWorklist) with Vec<(String, Judged)>, ["for_role", "actions_frame", "assessment"] {
        /// One patient's whole assessment, as `evaluate` gives it for the same inputs (core's
        /// `Worklist::assessment`), its `patient_view()` from the patient's protocol, targets and unit; None
        /// for a patient the list does not hold or could not evaluate (see `errors`).
        fn assessment(&self, patient_id: &str) -> PyResult<Option<Assessment>> {
            let Some(assessment) = self.inner.assessment(patient_id) else {
                return Ok(None);
            };
            let judged = self.extra.iter().find(|(id, _)| id == patient_id).map(|(_, j)| j.clone());
            Assessment::with_extra(assessment, judged.unwrap_or_default()).map(Some)
        }


        /// One role's share of the list, in the list's order (core's `Worklist::for_role`): `role` is a wire
        /// name (`"provider"`, `"nurse"`, `"patient"`, ...; another raises `ValueError`). Returns a `RoleGroup`.
        fn for_role(slf: &Bound<'_, Self>, role: &str) -> PyResult<RoleGroup> {
            let role = role.parse::<Role>().map_err(|e| PyValueError::new_err(e.to_string()))?;
            Ok(RoleGroup { list: slf.clone().unbind(), role })
        }

        /// The list's actions, one row per item: `patient_id`, `rule`, `state`, `severity`, `category`,
        /// `role`, `due`, `message`, `item` and `source`, in the list's order. A pandas DataFrame when pandas
        /// is installed, else a list of dicts.
        fn actions_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            frame_of(py, action_rows(py, &self.inner.items)?, Some(action_columns()))
        }
    }
}

/// One role's share of a work-list (core's `RoleGroup`), a view of the list's items in its order: `role`,
/// `items` (dicts with `patient_id` and `action`), `counts()`; `to_json()` is core's serialiser.
#[pyclass(frozen, module = "pumppath")]
pub struct RoleGroup {
    list: Py<Worklist>,
    role: Role,
}

impl RoleGroup {
    /// Core's borrowed group.
    fn group(&self) -> CoreRoleGroup<'_> {
        self.list.get().inner.for_role(self.role)
    }
}

#[pymethods]
impl RoleGroup {
    /// Who acts (the role's wire name).
    #[getter]
    fn role(&self) -> &'static str {
        self.role.as_str()
    }

    /// The role's items, in the list's order: dicts with `patient_id` and `action`, as core's JSON gives them.
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_form(py, &self.group().items)
    }

    /// How many of the role's items there are, per rule, role and severity (core's `RoleGroup::counts`).
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_form(py, &self.group().counts())
    }

    /// The role's actions as `Worklist.actions_frame()` gives them, its items only.
    fn actions_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame_of(py, action_rows(py, self.group().items)?, Some(action_columns()))
    }

    fn __len__(&self) -> usize {
        self.group().items.len()
    }

    /// Core's JSON form as a dict (`role`, `items`): equal to `json.loads(to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_form(py, &self.group())
    }

    /// Core's JSON of the group.
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.group())
    }

    fn __repr__(&self) -> String {
        format!("RoleGroup(role={:?}, items={})", self.role.as_str(), self.group().items.len())
    }
}

/// One patient of the panel as given: the record, its readings and targets.
struct Patient<'py> {
    record: PyRef<'py, PyRecord>,
    readings: Option<Series>,
    targets: Option<Targets>,
}

/// A patient given as `(record, readings[, targets])` or a dict with `record` and `readings` (or `times`,
/// `glucose` and `unit`, as `demo_cohort()` gives them) and `targets`.
fn patient_of<'py>(py: Python<'py>, index: usize, patient: &Bound<'py, PyAny>) -> PyResult<Patient<'py>> {
    let optional = |value: Option<Bound<'py, PyAny>>| value.filter(|v| !v.is_none());
    let (record, readings, targets) = if let Ok(dict) = patient.cast::<PyDict>() {
        let Some(record) = dict.get_item("record")? else {
            return Err(PyTypeError::new_err(format!("patients[{index}] has no 'record'")));
        };
        let readings = match (dict.get_item("readings")?, dict.get_item("times")?, dict.get_item("glucose")?)
        {
            (Some(readings), _, _) => optional(Some(readings)),
            (None, Some(times), Some(glucose)) => {
                let unit =
                    dict.get_item("unit")?.map_or(Ok("mg/dL".to_owned()), |u| u.extract::<String>())?;
                Some(PyTuple::new(py, [times, glucose, unit.into_pyobject(py)?.into_any()])?.into_any())
            }
            (None, _, _) => None,
        };
        (record, readings, optional(dict.get_item("targets")?))
    } else {
        let parts: Vec<Bound<'py, PyAny>> = match patient.cast::<PyTuple>() {
            Ok(tuple) => tuple.iter().collect(),
            Err(_) => patient.cast::<PyList>().map(|list| list.iter().collect()).unwrap_or_default(),
        };
        match <[Bound<'py, PyAny>; 2]>::try_from(parts.clone()) {
            Ok([record, readings]) => (record, optional(Some(readings)), None),
            Err(_) => match <[Bound<'py, PyAny>; 3]>::try_from(parts) {
                Ok([record, readings, targets]) => {
                    (record, optional(Some(readings)), optional(Some(targets)))
                }
                Err(_) => {
                    return Err(PyTypeError::new_err(format!(
                        "patients[{index}] must be (record, readings), (record, readings, targets) or a dict \
                         with 'record'"
                    )));
                }
            },
        }
    };
    let record = record.extract::<PyRef<'py, PyRecord>>().map_err(|_| {
        PyTypeError::new_err(format!("patients[{index}]'s record must be a pumppath.PatientRecord"))
    })?;
    let readings = readings.map(|r| readings_of(py, &r)).transpose()?;
    let targets = targets.map(|t| targets_of(py, Some(&t))).transpose()?;
    Ok(Patient { record, readings, targets })
}

/// The clinic's work-list: every patient evaluated at `now` and their actions triaged together, safety first
/// (core's `rules::worklist`).
///
/// `patients` is an iterable of `(record, readings)` or `(record, readings, targets)` pairs, or of dicts with
/// `record`, `readings` (or `times`, `glucose` and `unit`, so `demo_cohort()` is a panel) and `targets`;
/// `readings` as `evaluate` takes them (None for none). `now` a timezone-aware datetime (or RFC 3339 text);
/// `time_zone` the clinic's IANA zone. A patient that cannot be evaluated is in `errors`, the others still
/// triaged. Returns a `Worklist`, byte for byte the `worklist_json` of the same panel.
#[pyfunction]
#[pyo3(signature = (patients, now, time_zone))]
pub(crate) fn worklist<'py>(
    py: Python<'py>,
    patients: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    time_zone: &str,
) -> PyResult<Worklist> {
    let patients = patients
        .try_iter()?
        .enumerate()
        .map(|(index, patient)| patient_of(py, index, &patient?))
        .collect::<PyResult<Vec<_>>>()?;
    let now = instant_of(py, now)?;
    let panel: Vec<PatientInput<'_>> = patients
        .iter()
        .map(|p| PatientInput {
            record: &p.record.inner,
            readings: p.readings.as_ref(),
            targets: p.targets.as_ref(),
        })
        .collect();
    let list = py.detach(|| pumppath::rules::worklist(&panel, now, time_zone)).or_raise(py)?;
    let judged = panel
        .iter()
        .map(|p| {
            let unit = p.readings.map(Series::unit);
            (p.record.patient_id().to_owned(), Judged::of(p.record, p.targets, now, unit))
        })
        .collect();
    Worklist::with_extra(list, judged)
}
