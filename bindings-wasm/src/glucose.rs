//! Glucose and CGM: `classify` (typed array in, typed array out), `cgmSummary`, `glucoseEpisodes` and `agp`.
//!
//! Readings are either two arrays, `timesMs` and `glucose`, or core's columnar readings object (what the
//! readers return, `glucose` then left out). `timesMs` are the device's wall-clock times in milliseconds "as if
//! UTC" (`Date.parse("2015-06-06T16:50:27Z")` for a reading taken at 16:50:27 on the device), so results never
//! depend on the browser's zone; with a `timeZone`, they are instants (`Date.getTime()`), shown in that IANA
//! zone by core's bundled tzdb, never by `Intl`.

use pumppath::cgm::{Series, SeriesOptions, TimeScale, milliseconds_of};
use pumppath::glucose::{Classifier, Targets, Unit};
use wasm_bindgen::prelude::*;

use crate::convert::{absent, json_text, numbers, optional_string, to_js};
use crate::errors::OrThrow;

/// A unit given as text (`"mg/dL"` or `"mmol/L"`, default mg/dL), as core reads it: another is a
/// `GlucoseError`.
pub(crate) fn unit_of(unit: Option<String>) -> Result<Unit, JsValue> {
    unit.map_or(Ok(Unit::MgDl), |unit| unit.parse::<Unit>().or_throw())
}

/// Targets given as a preset's name, core's targets object, or nothing (standard), read by core: an unknown
/// preset or malformed targets are a `GlucoseError`.
pub(crate) fn targets_of(targets: &JsValue) -> Result<Targets, JsValue> {
    if absent(targets) {
        return Ok(Targets::default());
    }
    match targets.as_string() {
        Some(name) => Targets::parse(&name).or_throw(),
        None => Targets::from_json(&json_text("targets", targets)?).or_throw(),
    }
}

/// Optional targets: `None` when left out.
pub(crate) fn optional_targets(targets: &JsValue) -> Result<Option<Targets>, JsValue> {
    if absent(targets) { Ok(None) } else { targets_of(targets).map(Some) }
}

/// Readings as core's series: `times` a typed array of milliseconds with `glucose` its values, or core's
/// columnar readings object (or its JSON text) alone.
pub(crate) fn series_of(
    times: &JsValue,
    glucose: &JsValue,
    unit: Option<String>,
    time_zone: Option<String>,
) -> Result<Series, JsValue> {
    if absent(glucose) {
        if times.is_object() && !js_sys::ArrayBuffer::is_view(times) && !js_sys::Array::is_array(times)
            || times.is_string()
        {
            return Series::from_json(&json_text("readings", times)?).or_throw();
        }
        return Err(crate::errors::type_error(
            "glucose is required unless the first argument is a readings object (core's columnar readings)",
        ));
    }
    let unit = unit_of(unit)?;
    let milliseconds = milliseconds_of(&numbers("timesMs", times)?).or_throw()?;
    let values = numbers("glucose", glucose)?;
    match time_zone {
        Some(zone) => {
            let options = SeriesOptions { time_zone: Some(zone), ..SeriesOptions::default() };
            Series::from_epoch(unit, &milliseconds, TimeScale::Milliseconds, &values, &[], &options)
                .or_throw()
        }
        None => {
            let seconds: Vec<i64> = milliseconds.iter().map(|ms| ms.div_euclid(1_000)).collect();
            Series::from_slices(unit, &seconds, &values, &SeriesOptions::default()).or_throw()
        }
    }
}

/// The band code of each glucose value: 0 very_low, 1 low, 2 in_range, 3 high, 4 very_high, -1 for NaN (see
/// `BANDS`). `unit` is `"mg/dL"` (default) or `"mmol/L"`; `targets` a preset name or core's targets object. An
/// invalid value (infinite, not positive, implausible) throws a `GlucoseError` naming its index.
#[wasm_bindgen(skip_typescript)]
pub fn classify(
    glucose: JsValue,
    unit: Option<String>,
    targets: JsValue,
) -> Result<js_sys::Int8Array, JsValue> {
    let classifier = Classifier::new(&targets_of(&targets)?, unit_of(unit)?);
    let values = numbers("glucose", &glucose)?;
    let mut codes = vec![0_i8; values.len()];
    classifier.classify_into(&values, &mut codes).or_throw()?;
    Ok(js_sys::Int8Array::from(codes.as_slice()))
}

/// The consensus summary of CGM readings (core's summary object: `readings`, `mean`, `percent_in_range`,
/// `sufficient`, ...). Readings that cannot form a series throw a `SeriesError`.
#[wasm_bindgen(js_name = cgmSummary, skip_typescript)]
pub fn cgm_summary(
    #[wasm_bindgen(js_name = timesMs)] times: JsValue,
    glucose: JsValue,
    unit: Option<String>,
    targets: JsValue,
    #[wasm_bindgen(js_name = timeZone)] time_zone: JsValue,
) -> Result<JsValue, JsValue> {
    let targets = targets_of(&targets)?;
    let series = series_of(&times, &glucose, unit, optional_string("timeZone", &time_zone)?)?;
    to_js(&series.view().summary(&targets))
}

/// The hypo- and hyperglycaemic episodes of CGM readings (R iglu's `episode_calculation`), grouped by kind and
/// level, by time within each.
#[wasm_bindgen(js_name = glucoseEpisodes, skip_typescript)]
pub fn glucose_episodes(
    #[wasm_bindgen(js_name = timesMs)] times: JsValue,
    glucose: JsValue,
    unit: Option<String>,
    #[wasm_bindgen(js_name = timeZone)] time_zone: JsValue,
) -> Result<JsValue, JsValue> {
    let series = series_of(&times, &glucose, unit, optional_string("timeZone", &time_zone)?)?;
    to_js(&series.view().episodes().episodes)
}

/// The ambulatory glucose profile (core's AGP object): percentiles 5/25/50/75/95 by local time of day in bins
/// of `binMinutes` (default 15; one that does not divide the day throws a `SeriesError`), `null` where a bin is
/// empty.
#[wasm_bindgen(skip_typescript)]
pub fn agp(
    #[wasm_bindgen(js_name = timesMs)] times: JsValue,
    glucose: JsValue,
    unit: Option<String>,
    #[wasm_bindgen(js_name = binMinutes)] bin_minutes: Option<u32>,
    #[wasm_bindgen(js_name = timeZone)] time_zone: JsValue,
) -> Result<JsValue, JsValue> {
    let series = series_of(&times, &glucose, unit, optional_string("timeZone", &time_zone)?)?;
    let bin_minutes = bin_minutes.unwrap_or(pumppath::cgm::DEFAULT_AGP_BIN_MINUTES);
    to_js(&series.view().agp(bin_minutes).or_throw()?)
}
