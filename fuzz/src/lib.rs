//! What pumppath's fuzz targets share: the properties every accepted input keeps, and the choices they draw
//! from the fuzzer's bytes.
#![forbid(unsafe_code)]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use pumppath::cgm::{DuplicatePolicy, Series, SeriesOptions};
use pumppath::glucose::Unit;

/// Zones with the clock changes that break naive code: none, a US and a European DST, a half-hour DST, a
/// 45-minute offset, a negative half-hour offset.
pub const ZONES: [&str; 6] =
    ["UTC", "America/Chicago", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"];

/// A unit drawn from the bytes.
pub fn unit(u: &mut Unstructured<'_>) -> Result<Unit> {
    Ok(if u.arbitrary::<bool>()? { Unit::MgDl } else { Unit::MmolL })
}

/// Series options drawn from the bytes: a zone or none, any duplicates policy.
pub fn series_options(u: &mut Unstructured<'_>) -> Result<SeriesOptions> {
    let time_zone = match u.int_in_range(0..=ZONES.len())? {
        0 => None,
        k => Some(ZONES[k - 1].to_owned()),
    };
    let duplicates = *u.choose(&DuplicatePolicy::ALL[..])?;
    Ok(SeriesOptions { time_zone, duplicates, ..SeriesOptions::default() })
}

/// Series options from one byte, for targets whose input is text.
pub fn options_of_byte(byte: u8) -> SeriesOptions {
    let time_zone = match usize::from(byte & 7) {
        0 => None,
        k if k <= ZONES.len() => Some(ZONES[k - 1].to_owned()),
        _ => None,
    };
    let duplicates = DuplicatePolicy::ALL[usize::from(byte >> 3) % DuplicatePolicy::ALL.len()];
    SeriesOptions { time_zone, duplicates, ..SeriesOptions::default() }
}

/// A series that was accepted: its readings are finite and in time order, its summary has no NaN where a number
/// stands, and its columnar JSON reads back to the same series.
pub fn check_series(series: &Series) {
    assert!(series.values().iter().all(|v| v.is_finite() && *v > 0.0), "a reading is not a positive number");
    assert!(series.times().windows(2).all(|w| w[0] <= w[1]), "readings out of time order");
    let summary = series.view().summary(&pumppath::glucose::Targets::default());
    for metric in
        [summary.mean, summary.sd, summary.cv, summary.gmi, summary.percent_in_range, summary.active_percent]
            .into_iter()
            .flatten()
    {
        assert!(metric.is_finite(), "a summary metric is not finite: {summary:?}");
    }
    let json = series.to_json();
    let back =
        Series::from_json(&json).unwrap_or_else(|e| panic!("a series' own JSON does not read back: {e}"));
    assert_eq!(back.to_json(), json, "a series' JSON round trip changed it");
}
