//! Core's errors as JS `Error`s: `name` is core's error kind (`SeriesError`, `ProtocolError`, ... the names of
//! the Python exception classes), with `kind`, `code` and `problems` (path, code, message, value) from core's
//! `ErrorDocument` and core's message. A misuse of the API itself (a wrong argument type) is a `TypeError`.

use js_sys::Object;
use pumppath::Error;
use wasm_bindgen::prelude::*;

use crate::convert::{set, to_js};

/// The JS `Error` of a core error.
pub(crate) fn js_error(error: Error) -> JsValue {
    let document = error.document();
    let exception = js_sys::Error::new(&document.message);
    exception.set_name(document.kind.as_str());
    let object: &Object = exception.as_ref();
    let fields = [
        ("kind", JsValue::from_str(document.kind.as_str())),
        ("code", JsValue::from_str(document.code.as_str())),
        ("problems", to_js(&document.problems).unwrap_or_else(|_| js_sys::Array::new().into())),
    ];
    for (key, value) in fields {
        // Setting a property of a fresh Error cannot fail; were it to, the error still carries its name.
        let _ = set(object, key, &value);
    }
    exception.into()
}

/// A `TypeError` for an argument of the wrong type.
pub(crate) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// `?` for core results in the bindings: a core error becomes its JS `Error`.
pub(crate) trait OrThrow<T> {
    /// The value, or the error as its JS `Error`.
    fn or_throw(self) -> Result<T, JsValue>;
}

impl<T, E: Into<Error>> OrThrow<T> for Result<T, E> {
    fn or_throw(self) -> Result<T, JsValue> {
        self.map_err(|e| js_error(e.into()))
    }
}
