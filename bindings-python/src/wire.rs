//! Results as Python objects: core's serde types wrapped, their attributes and `to_dict()` made by pythonize
//! from core's serde, `to_json()` core's serialiser.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use pythonize::{depythonize, pythonize};

use crate::errors::not_wire;

/// A document given as JSON text or as a dict (or list) of JSON values, as the JSON text core reads.
pub(crate) fn json_text(what: &str, document: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = document.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    let value: serde_json::Value = depythonize(document).map_err(|e| not_wire(what, e))?;
    Ok(value.to_string())
}

/// Core's JSON of a serde value; core's own types always serialise.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Core's JSON form of a serde value as Python objects (pythonize of its JSON value): arrays are lists, as
/// `json.loads` gives them (pythonize alone makes a fixed-size array a tuple).
pub(crate) fn json_form<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(pythonize(py, &value)?)
}

/// Declares a frozen Python class over a core serde type: every top-level wire field is an attribute, with
/// `to_dict()` (pythonize of the core value) and `to_json()` (core's serde JSON).
///
/// `Name(Core) with Extra, ["method", ...] { methods }` also keeps `extra` (what the binding needs beside the
/// core value, `Default` for `new`, given to `with_extra`) and adds `methods` (named in `dir()`).
macro_rules! wire_class {
    ($(#[$meta:meta])* $name:ident($inner:ty)) => {
        $crate::wire::wire_class! { $(#[$meta])* $name($inner) with (), [] {} }
    };
    (
        $(#[$meta:meta])* $name:ident($inner:ty) with $extra:ty, [$($method:literal),*] { $($methods:tt)* }
    ) => {
        $(#[$meta])*
        #[pyclass(frozen, module = "pumppath")]
        pub struct $name {
            pub(crate) inner: $inner,
            #[allow(dead_code)]
            pub(crate) extra: $extra,
            fields: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// Wraps a core value.
            #[allow(dead_code)]
            pub(crate) fn new(inner: $inner) -> PyResult<Self> {
                Self::with_extra(inner, <$extra>::default())
            }

            /// Wraps a core value with what the binding keeps beside it.
            pub(crate) fn with_extra(inner: $inner, extra: $extra) -> PyResult<Self> {
                let fields = match serde_json::to_value(&inner) {
                    Ok(serde_json::Value::Object(fields)) => fields,
                    Ok(_) => serde_json::Map::new(),
                    Err(e) => return Err(pyo3::exceptions::PyValueError::new_err(e.to_string())),
                };
                Ok($name { inner, extra, fields })
            }
        }

        #[pymethods]
        impl $name {
            $($methods)*

            /// A field of core's JSON form, by its wire name.
            fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
                match self.fields.get(name) {
                    Some(value) => Ok(pythonize::pythonize(py, value)?),
                    None => Err(pyo3::exceptions::PyAttributeError::new_err(format!(
                        "'{}' object has no attribute '{}'",
                        stringify!($name),
                        name
                    ))),
                }
            }

            /// The wire names of its fields, with the methods.
            fn __dir__(&self) -> Vec<String> {
                let methods = [$($method,)* "to_dict", "to_json"].into_iter().map(str::to_owned);
                self.fields.keys().cloned().chain(methods).collect()
            }

            /// Core's JSON form as a dict (the serde shape, made by pythonize): equal to `json.loads(to_json())`.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(pythonize::pythonize(py, &self.fields)?)
            }

            /// Core's JSON, byte for byte what the Rust library writes.
            fn to_json(&self) -> PyResult<String> {
                $crate::wire::to_json(&self.inner)
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other.cast::<$name>().is_ok_and(|other| other.get().inner == self.inner)
            }

            fn __repr__(&self) -> PyResult<String> {
                Ok(format!("{}({})", stringify!($name), $crate::wire::to_json(&self.inner)?))
            }
        }
    };
}

pub(crate) use wire_class;

/// A dict of name to value, each value made by pythonize.
pub(crate) fn dict_of<'py, T: serde::Serialize>(
    py: Python<'py>,
    entries: impl IntoIterator<Item = (&'static str, T)>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in entries {
        dict.set_item(name, pythonize(py, &value)?)?;
    }
    Ok(dict)
}
