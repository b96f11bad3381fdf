//! The pathway: `Protocol` and `PatientRecord`, over core's protocol and record.

use pumppath::pathway::{Event, Protocol as CoreProtocol, Record};
use pyo3::prelude::*;

use crate::errors::OrRaise;
use crate::wire::{json_form, json_text};

/// A pathway protocol: phases, checklist items and settings (core's `Protocol`).
///
/// `Protocol.standard()` is the handout's embedded protocol; `Protocol.from_json(text)` reads a clinic's own,
/// raising `ProtocolError` with every problem and its JSON path.
#[pyclass(frozen, module = "pumppath", name = "Protocol")]
pub struct PyProtocol {
    pub(crate) inner: CoreProtocol,
}

#[pymethods]
impl PyProtocol {
    /// The standard protocol of the handout, embedded in the library.
    #[staticmethod]
    fn standard() -> Self {
        PyProtocol { inner: CoreProtocol::standard().clone() }
    }

    /// A protocol from its JSON text; raises `ProtocolError` listing every problem.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(PyProtocol { inner: CoreProtocol::from_json(text).or_raise(py)? })
    }

    /// The SHA-256 fingerprint of the protocol's canonical JSON (hex).
    #[getter]
    fn fingerprint(&self) -> &str {
        self.inner.fingerprint()
    }

    /// The protocol's id (`handout_standard` for the standard protocol).
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// The protocol's version.
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// The protocol's JSON, as core writes it.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The protocol's JSON form as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_form(py, &self.inner)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyProtocol>().is_ok_and(|o| o.get().inner.fingerprint() == self.inner.fingerprint())
    }

    fn __repr__(&self) -> String {
        format!("Protocol(id={:?}, version={:?})", self.inner.id(), self.inner.version())
    }
}

/// A patient's record of pathway events on a protocol (core's `Record`).
///
/// `PatientRecord(protocol, patient_id)` is an empty record; `apply(event)` checks an event against the
/// pathway's guards and appends it; `PatientRecord.from_json(protocol, text)` replays a saved record.
#[pyclass(module = "pumppath", name = "PatientRecord")]
pub struct PyRecord {
    pub(crate) inner: Record,
}

#[pymethods]
impl PyRecord {
    /// An empty record for `patient_id` on `protocol`.
    #[new]
    fn new(protocol: &Bound<'_, PyProtocol>, patient_id: &str) -> Self {
        PyRecord { inner: Record::new(&protocol.get().inner, patient_id) }
    }

    /// A record from its JSON (text or dict), replayed under `protocol`; raises `RecordError`.
    #[staticmethod]
    fn from_json(
        py: Python<'_>,
        protocol: &Bound<'_, PyProtocol>,
        text: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let text = json_text("a record", text)?;
        Ok(PyRecord { inner: Record::from_json(&protocol.get().inner, &text).or_raise(py)? })
    }

    /// Applies one event, a dict or JSON text in the wire format. A malformed event raises `RecordError`; one
    /// the pathway's guards reject raises `EventError`, and the record is unchanged.
    fn apply(&mut self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<()> {
        let text = json_text("an event", event)?;
        let event = Event::from_json(&text).or_raise(py)?;
        self.inner.apply(event).or_raise(py)
    }

    /// The patient's id.
    #[getter]
    fn patient_id(&self) -> &str {
        self.inner.patient_id()
    }

    /// The fingerprint of the protocol the record is on.
    #[getter]
    fn protocol_fingerprint(&self) -> &str {
        self.inner.protocol_fingerprint()
    }

    /// The record's protocol.
    #[getter]
    fn protocol(&self) -> PyProtocol {
        PyProtocol { inner: self.inner.protocol().clone() }
    }

    /// The record's JSON, as core writes it.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The record's JSON form as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_form(py, &self.inner)
    }

    /// The number of events in the record.
    fn __len__(&self) -> usize {
        self.inner.events().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "PatientRecord(patient_id={:?}, events={})",
            self.inner.patient_id(),
            self.inner.events().len()
        )
    }
}
