//! Between JavaScript values and core's types: serde-wasm-bindgen for objects (plain objects and `null`, as
//! `JSON.parse` of core's JSON gives them), JSON text for what core reads through its one JSON reader (so a bad
//! field gets core's typed error with its path), typed arrays for readings.

use js_sys::{Array, Float64Array, JSON, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::errors::type_error;

/// A core value as a plain JS object that deep-equals `JSON.parse` of core's JSON: through serde_json's value
/// first (so whatever core writes specially, such as raw JSON, comes out as its JSON), then maps as objects and
/// `null` as `null`.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let value = serde_json::to_value(value).map_err(|e| type_error(&e.to_string()))?;
    let serializer =
        serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true).serialize_missing_as_null(true);
    value.serialize(&serializer).map_err(|e| type_error(&e.to_string()))
}

/// Sets `key` of `object`.
pub(crate) fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(object, &JsValue::from_str(key), value).map(|_| ())
}

/// `key` of `object` (`undefined` when absent).
pub(crate) fn get(object: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
}

/// Whether a value is `undefined` or `null`: an optional argument left out.
pub(crate) fn absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// The JSON text of a document given as text or as a plain object (by `JSON.stringify`).
pub(crate) fn json_text(what: &str, value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if absent(value) || !value.is_object() {
        return Err(type_error(&format!("{what} must be its JSON text or a plain object")));
    }
    JSON::stringify(value)?
        .as_string()
        .ok_or_else(|| type_error(&format!("{what} cannot be written as JSON")))
}

/// The numbers of a `Float64Array`, another typed array or an array of numbers (copied once into WASM memory).
pub(crate) fn numbers(what: &str, value: &JsValue) -> Result<Vec<f64>, JsValue> {
    if let Some(array) = value.dyn_ref::<Float64Array>() {
        return Ok(array.to_vec());
    }
    if Array::is_array(value) || js_sys::ArrayBuffer::is_view(value) {
        return Ok(Float64Array::new(value).to_vec());
    }
    Err(type_error(&format!("{what} must be a Float64Array or an array of numbers")))
}

/// An optional string argument: `undefined`/`null` is `None`; anything else must be a string.
pub(crate) fn optional_string(what: &str, value: &JsValue) -> Result<Option<String>, JsValue> {
    if absent(value) {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| type_error(&format!("{what} must be a string")))
}
