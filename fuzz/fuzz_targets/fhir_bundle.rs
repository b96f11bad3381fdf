//! FHIR Bundle import: any text is patients' readings or a typed error; each patient's readings are finite and
//! sorted, and a zoned patient's readings exported as FHIR read back the same (times, values, missing ones).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pumppath::fhir::{self, ReadOptions};
use pumppath::glucose::Unit;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let options = ReadOptions {
        blood_glucose: first & 0x80 != 0,
        unit: match first & 0x60 {
            0x20 => Some(Unit::MgDl),
            0x40 => Some(Unit::MmolL),
            _ => None,
        },
        series: pumppath_fuzz::options_of_byte(first & 0x1f),
    };
    let Ok(patients) = fhir::read_bundle(text, &options) else { return };
    for patient in &patients {
        pumppath_fuzz::check_series(&patient.series);
        if patient.series.time_zone().is_none() {
            continue;
        }
        let bundle = fhir::readings_bundle(&patient.series, &patient.id)
            .unwrap_or_else(|e| panic!("a zoned series does not export: {e}"));
        let again = ReadOptions { series: options.series.clone(), ..ReadOptions::default() };
        let back = fhir::read_bundle(&bundle.to_json(), &again)
            .unwrap_or_else(|e| panic!("an exported bundle does not read back: {e}"));
        assert_eq!(back.len(), 1);
        // The readings and missing ones, at their instants (merged duplicates are one reading each way).
        let columns = |s: &pumppath::cgm::Series| {
            let c = s.to_columnar(pumppath::cgm::TimeScale::Seconds);
            (c.times, c.values.iter().map(|v| v.map(f64::to_bits)).collect::<Vec<_>>())
        };
        assert_eq!(
            columns(&back[0].series),
            columns(&patient.series),
            "FHIR round trip changed the readings"
        );
    }
});
