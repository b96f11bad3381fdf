//! Readings ingestion: times and values as raw numbers in every time unit (epoch instants in seconds,
//! milliseconds, microseconds and nanoseconds; float milliseconds as JavaScript gives them; the devices'
//! wall-clock; long-form tables of many patients), with sensor limits, zones and duplicate policies. Anything is
//! a series or a typed error; an accepted series keeps its properties ([`pumppath_fuzz::check_series`]) and its
//! episodes and AGP are computed without a panic.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use pumppath::cgm::{Series, TimeScale, milliseconds_of};
use pumppath::glucose::SensorLimit;

/// A reading's time: a raw i64 now and then, else a step from the last one (so that long plausible series are
/// reached too).
fn time(u: &mut Unstructured<'_>, last: &mut i64, scale: TimeScale) -> Result<i64> {
    if u.ratio(1, 16)? {
        return u.arbitrary();
    }
    let step = scale.from_unix_seconds(i64::from(u.int_in_range(-600i32..=3_600)?));
    *last = last.saturating_add(step);
    Ok(*last)
}

fn value(u: &mut Unstructured<'_>) -> Result<f64> {
    Ok(if u.ratio(1, 16)? { u.arbitrary()? } else { f64::from(u.int_in_range(0u16..=700)?) / 2.0 })
}

fn accepted(series: &Series) {
    pumppath_fuzz::check_series(series);
    let view = series.view();
    let episodes = view.episodes();
    drop(episodes);
    let _ = view.agp(15);
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let unit = pumppath_fuzz::unit(u)?;
    let scale = *u.choose(&TimeScale::ALL[..])?;
    let options = pumppath_fuzz::series_options(u)?;
    let n = u.int_in_range(0..=600)?;
    let mut last = scale.from_unix_seconds(u.int_in_range(-5_000_000_000i64..=5_000_000_000)?);
    let mut times = Vec::with_capacity(n);
    let mut values = Vec::with_capacity(n);
    let mut limits = Vec::with_capacity(n);
    for _ in 0..n {
        times.push(time(u, &mut last, scale)?);
        values.push(value(u)?);
        limits.push(match u.int_in_range(0u8..=31)? {
            0 => Some(SensorLimit::Low),
            1 => Some(SensorLimit::High),
            _ => None,
        });
    }
    let limits = if u.arbitrary()? { limits } else { Vec::new() };
    match u.int_in_range(0u8..=3)? {
        0 => {
            if let Ok(series) = Series::from_epoch(unit, &times, scale, &values, &limits, &options) {
                accepted(&series);
            }
        }
        1 => {
            // Float milliseconds (JavaScript's numbers), some not whole, some not finite.
            let floats: Vec<f64> =
                times.iter().map(|&t| t as f64 + if t % 7 == 0 { 0.5 } else { 0.0 }).collect();
            if let Ok(ms) = milliseconds_of(&floats)
                && let Ok(series) =
                    Series::from_epoch(unit, &ms, TimeScale::Milliseconds, &values, &[], &options)
            {
                accepted(&series);
            }
        }
        2 => {
            // The devices' wall-clock, in seconds, resolved in the zone when there is one.
            let seconds: Vec<i64> = times.iter().map(|&t| scale.to_unix_seconds(t)).collect();
            if let Ok(series) = Series::from_slices(unit, &seconds, &values, &options) {
                accepted(&series);
            }
        }
        _ => {
            // A long-form table: a few patients, rows interleaved as the bytes say.
            let ids: Vec<String> =
                (0..n).map(|_| u.int_in_range(0u8..=3).map(|k| format!("p{k}"))).collect::<Result<_>>()?;
            if let Ok(patients) = Series::from_long(unit, &ids, &times, scale, &values, &limits, &options) {
                for patient in &patients {
                    accepted(&patient.series);
                }
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
