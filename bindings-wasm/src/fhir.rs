//! FHIR R4: `toFhir` (an assessment's or a CGM summary's bundle; index.js picks by the first argument) and
//! `readFhirBundle` (core's `fhir`).

use pumppath::cgm::{SeriesOptions, Summary};
use pumppath::fhir::ReadOptions;
use wasm_bindgen::prelude::*;

use crate::convert::{json_text, optional_string, to_js};
use crate::errors::{OrThrow, type_error};
use crate::glucose::unit_of;
use crate::pathway::PatientRecord;
use crate::rules::{assess, option};

/// The assessment `evaluate` gives for the same arguments, as a FHIR R4 transaction Bundle: the pathway as a
/// CarePlan, today's actions as a RequestGroup and, with readings enough, the CGM guide's summary Observations.
#[wasm_bindgen(js_name = "__assessmentToFhir", skip_typescript)]
pub fn assessment_to_fhir(
    record: &PatientRecord,
    readings: JsValue,
    #[wasm_bindgen(js_name = nowIso)] now_iso: &str,
    #[wasm_bindgen(js_name = timeZone)] time_zone: &str,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let assessment = assess(record, &readings, now_iso, time_zone, &options, false)?;
    to_js(&pumppath::fhir::assessment_bundle(&assessment, &record.inner).or_throw()?)
}

/// A CGM summary (as `cgmSummary` returns it) as a FHIR R4 transaction Bundle of the CGM guide's summary
/// Observations for `patientId`.
#[wasm_bindgen(js_name = "__summaryToFhir", skip_typescript)]
pub fn summary_to_fhir(
    summary: JsValue,
    #[wasm_bindgen(js_name = patientId)] patient_id: &str,
) -> Result<JsValue, JsValue> {
    let text = json_text("summary", &summary)?;
    let summary: Summary = serde_json::from_str(&text)
        .map_err(|e| type_error(&format!("summary must be a CGM summary as cgmSummary returns it: {e}")))?;
    to_js(&pumppath::fhir::summary_bundle(&summary, patient_id).or_throw()?)
}

/// The glucose readings of a FHIR R4 Bundle (its JSON text or a plain object) as one `{id, readings}` per
/// patient, as the CSV readers return them. `options.bloodGlucose` also reads blood-glucose codes,
/// `options.unit` converts every reading to it, `options.timeZone` is the zone whose wall-clock the readings
/// show. Another code, unit or a time without an offset throws a `FhirError` naming the entry's field.
#[wasm_bindgen(js_name = readFhirBundle, skip_typescript)]
pub fn read_fhir_bundle(bundle: JsValue, options: JsValue) -> Result<Vec<JsValue>, JsValue> {
    let text = json_text("bundle", &bundle)?;
    let unit = optional_string("options.unit", &option(&options, "unit")?)?;
    let read = ReadOptions {
        blood_glucose: option(&options, "bloodGlucose")?.is_truthy(),
        unit: unit.map(|u| unit_of(Some(u))).transpose()?,
        series: SeriesOptions {
            time_zone: optional_string("options.timeZone", &option(&options, "timeZone")?)?,
            ..SeriesOptions::default()
        },
    };
    let patients = pumppath::fhir::read_bundle(&text, &read).or_throw()?;
    patients.iter().map(|p| crate::readers::patient(&p.id, &p.series)).collect()
}
