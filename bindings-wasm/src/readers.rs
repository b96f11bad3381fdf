//! The CGM readers, for files a user picks in a browser: `readLongCsv` and `readDexcomClarity`, each returning
//! one `{id, readings}` per patient, `readings` being core's columnar readings object (times in milliseconds),
//! which every glucose function and `evaluate` take as it is.

use js_sys::{Object, Uint8Array};
use pumppath::cgm::{Series, SeriesOptions, TimeScale};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::convert::{optional_string, set, to_js};
use crate::errors::{OrThrow, type_error};
use crate::glucose::unit_of;

/// The bytes of a CSV given as text or as a `Uint8Array` (`new Uint8Array(await file.arrayBuffer())`).
fn bytes_of(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = input.as_string() {
        return Ok(text.into_bytes());
    }
    match input.dyn_ref::<Uint8Array>() {
        Some(bytes) => Ok(bytes.to_vec()),
        None => Err(type_error("the CSV must be a string or a Uint8Array")),
    }
}

/// `{id, readings}`: one patient's readings as the readers return them.
pub(crate) fn patient(id: &str, series: &Series) -> Result<JsValue, JsValue> {
    let out = Object::new();
    set(&out, "id", &JsValue::from_str(id))?;
    set(&out, "readings", &to_js(&series.to_columnar(TimeScale::Milliseconds))?)?;
    Ok(out.into())
}

fn options_of(time_zone: &JsValue) -> Result<SeriesOptions, JsValue> {
    Ok(SeriesOptions { time_zone: optional_string("timeZone", time_zone)?, ..SeriesOptions::default() })
}

/// Reads a long-form CGM CSV (`id,time,gl` columns, R iglu's format) into one `{id, readings}` per patient, in
/// the order they first appear. `unit` is the unit of `gl`; `timeZone` the devices' IANA zone (left out: the
/// wall-clock as it is). A malformed line throws a `ReadError` naming the line, the column and the value.
#[wasm_bindgen(js_name = readLongCsv, skip_typescript)]
pub fn read_long_csv(
    csv: JsValue,
    unit: Option<String>,
    #[wasm_bindgen(js_name = timeZone)] time_zone: JsValue,
) -> Result<Vec<JsValue>, JsValue> {
    let unit = unit_of(unit)?;
    let bytes = bytes_of(&csv)?;
    let patients =
        pumppath::io::read_long_csv(bytes.as_slice(), unit, &options_of(&time_zone)?).or_throw()?;
    patients.iter().map(|p| patient(&p.id, &p.series)).collect()
}

/// Reads a Dexcom Clarity CSV export (its `EGV` rows; "Low"/"High" at the sensor's limits) into one
/// `{id, readings}` with `id` as its id (default ""). The unit is the export's; `timeZone` as for
/// `readLongCsv`. A malformed line throws a `ReadError`.
#[wasm_bindgen(js_name = readDexcomClarity, skip_typescript)]
pub fn read_dexcom_clarity(
    csv: JsValue,
    #[wasm_bindgen(js_name = timeZone)] time_zone: JsValue,
    id: Option<String>,
) -> Result<Vec<JsValue>, JsValue> {
    let bytes = bytes_of(&csv)?;
    let series = pumppath::io::read_clarity_csv(bytes.as_slice(), &options_of(&time_zone)?).or_throw()?;
    Ok(vec![patient(id.as_deref().unwrap_or(""), &series)?])
}
