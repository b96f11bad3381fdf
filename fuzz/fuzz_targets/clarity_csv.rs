//! The Dexcom Clarity CSV reader, on any bytes, zoned or not: a series or a typed error; its readings are finite
//! and sorted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, csv)) = data.split_first() else { return };
    let options = pumppath_fuzz::options_of_byte(first);
    let Ok(series) = pumppath::io::read_clarity_csv(csv, &options) else { return };
    pumppath_fuzz::check_series(&series);
});
