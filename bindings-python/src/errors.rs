//! Core's errors as Python exceptions: `pumppath.PumppathError` (a `ValueError`) and one subclass per
//! [`ErrorKind`], each instance carrying `.kind`, `.code` and `.problems` from core's [`ErrorDocument`].

use std::ffi::CString;

use pumppath::{Error, ErrorDocument, ErrorKind};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use pythonize::pythonize;

create_exception!(
    pumppath,
    PumppathError,
    PyValueError,
    "The base of every pumppath error, a ValueError.\n\n\
     Each instance has `.kind` (its class name, core's error kind), `.code` (a stable snake_case code), \
     `.problems` (a list of dicts: path, code, message and, when there is one, value) and core's message."
);

/// One exception class per kind of core's error table, in [`ErrorKind::ALL`] order, made once per process.
static CLASSES: PyOnceLock<Vec<(ErrorKind, Py<PyType>)>> = PyOnceLock::new();

/// The exception classes of every error kind, each a subclass of [`PumppathError`] named as the kind.
pub(crate) fn classes(py: Python<'_>) -> PyResult<&'static [(ErrorKind, Py<PyType>)]> {
    let classes = CLASSES.get_or_try_init(py, || {
        let base = py.get_type::<PumppathError>();
        ErrorKind::ALL
            .iter()
            .map(|&kind| {
                let name = c_string(format!("pumppath.{}", kind.as_str()))?;
                let doc = c_string(format!(
                    "pumppath's {kind}, a PumppathError: raised for core's errors of kind {kind} \
                     (see the error table of the core's `error` module for its codes)."
                ))?;
                Ok((kind, PyErr::new_type(py, &name, Some(&doc), Some(&base), None)?))
            })
            .collect::<PyResult<Vec<_>>>()
    })?;
    Ok(classes)
}

fn c_string(text: String) -> PyResult<CString> {
    CString::new(text).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The Python exception of a core error: an instance of its kind's class with core's message, `.kind`, `.code`
/// and `.problems`.
pub(crate) fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    let document = error.document();
    raise(py, &document).unwrap_or_else(|failed| failed)
}

fn raise(py: Python<'_>, document: &ErrorDocument) -> PyResult<PyErr> {
    let class = classes(py)?
        .iter()
        .find(|(kind, _)| *kind == document.kind)
        .map(|(_, class)| class.bind(py).clone())
        .unwrap_or_else(|| py.get_type::<PumppathError>());
    let exception = class.call1((document.message.as_str(),))?;
    exception.setattr("kind", document.kind.as_str())?;
    exception.setattr("code", document.code.as_str())?;
    exception.setattr("problems", pythonize(py, &document.problems)?)?;
    Ok(PyErr::from_value(exception))
}

/// `?` for core results in the binding: a core error becomes its Python exception.
pub(crate) trait OrRaise<T> {
    /// The value, or the error raised as its pumppath exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T, E: Into<Error>> OrRaise<T> for Result<T, E> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, e.into()))
    }
}

/// A value that cannot be given to core in the wire format (a dict holding a Python object JSON lacks).
pub(crate) fn not_wire(what: &str, error: impl std::fmt::Display) -> PyErr {
    PyTypeError::new_err(format!("{what} must be its JSON text or a dict of JSON values: {error}"))
}
