//! The long `id,time,gl` CSV reader, on any bytes in either unit, zoned or not: patients or a typed error; every
//! patient's readings are finite and sorted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pumppath::glucose::Unit;

fuzz_target!(|data: &[u8]| {
    let Some((&first, csv)) = data.split_first() else { return };
    let unit = if first & 0x80 == 0 { Unit::MgDl } else { Unit::MmolL };
    let options = pumppath_fuzz::options_of_byte(first & 0x7f);
    let Ok(patients) = pumppath::io::read_long_csv(csv, unit, &options) else { return };
    for patient in &patients {
        assert_eq!(patient.series.unit(), unit);
        pumppath_fuzz::check_series(&patient.series);
    }
});
