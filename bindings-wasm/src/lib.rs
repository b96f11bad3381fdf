//! WebAssembly bindings of pumppath (wasm-bindgen), packaged by `bindings-wasm/build.sh` as the ES module
//! `pumppath` for browsers and node.
//!
//! The crate is thin: it converts between JavaScript and core's types (typed arrays for readings,
//! serde-wasm-bindgen for core's serde types, so every returned object is core's serde shape with its snake_case
//! wire names) and maps core's errors to JS `Error`s named by core's error kind; every rule and metric is
//! core's. Functions and classes are camelCase; the hand-written `js/index.js` loads the module and adds the
//! constants (`BANDS`, `RULES`, `DEMO_NOW`, ...), which wasm-bindgen cannot export.

mod convert;
mod errors;
mod fhir;
mod glucose;
mod pathway;
mod readers;
mod rules;

use wasm_bindgen::prelude::*;

pub use glucose::{agp, cgm_summary, classify, glucose_episodes};
pub use pathway::{PatientRecord, Protocol};
pub use readers::{read_dexcom_clarity, read_long_csv};
pub use rules::{
    PatientView, demo_cohort, evaluate, evaluate_json, frequently, patient_view, schemas, worklist,
    worklist_json,
};

// The classes' declarations (pumppath_wasm.d.ts) are wasm-bindgen's; the wire types they name come from the
// core's JSON Schemas (types.d.ts, written by scripts/types.mjs). The functions' declarations, whose optional
// arguments wasm-bindgen cannot type, are in js/index.d.ts beside index.js (each function here has
// `skip_typescript`); test/usage.ts checks them against the package with `tsc --strict`.
#[wasm_bindgen(typescript_custom_section)]
const WIRE_TYPES: &'static str = r#"
import type { Event, PathwayView, PatientViewData, ProtocolDefinition } from "./types.js";
"#;

/// The package's constants, read once by `index.js`: band names in code order, the rule table, the error
/// kinds, the demo's "now" and time zone, and the version.
#[wasm_bindgen(js_name = "__constants", skip_typescript)]
pub fn constants() -> Result<JsValue, JsValue> {
    let bands: Vec<&str> = pumppath::glucose::Band::ALL.iter().map(|b| b.as_str()).collect();
    let kinds: Vec<&str> = pumppath::ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    let out = js_sys::Object::new();
    convert::set(&out, "BANDS", &convert::to_js(&bands)?)?;
    convert::set(&out, "RULES", &convert::to_js(&pumppath::rules::RULE_TABLE)?)?;
    convert::set(&out, "ERROR_NAMES", &convert::to_js(&kinds)?)?;
    convert::set(&out, "DEMO_NOW", &JsValue::from_str(pumppath::demo::DEMO_NOW))?;
    convert::set(&out, "DEMO_TIME_ZONE", &JsValue::from_str(pumppath::demo::DEMO_TIME_ZONE))?;
    convert::set(&out, "VERSION", &JsValue::from_str(env!("CARGO_PKG_VERSION")))?;
    Ok(out.into())
}
