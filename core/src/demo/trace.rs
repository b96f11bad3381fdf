//! Deterministic, realistic CGM traces: the demo patients' glucose.

use jiff::SignedDuration;
use jiff::civil::{DateTime, date};
use jiff::tz::{AmbiguousOffset, TimeZone};

/// The first reading of the demo traces: 2026-03-02 00:02 on the device's clock, in
/// [`DEMO_TIME_ZONE`](super::DEMO_TIME_ZONE) (CGM exports give the wall-clock time without a zone).
pub const DEMO_START: DateTime = date(2026, 3, 2).at(0, 2, 0, 0);

/// How a demo patient's glucose behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GlucoseProfile {
    /// Mostly in range, modest meal peaks, rare mild lows.
    WellControlled,
    /// Tight but with frequent lows, mostly overnight and after exercise.
    FrequentLows,
    /// High baseline and large, long meal excursions above 250 mg/dL.
    FrequentHighs,
    /// Control slipping: a higher baseline and longer meal peaks than [`WellControlled`](Self::WellControlled),
    /// still inside the > 250 goal; worse than a well-controlled fortnight before it.
    SlippingControl,
}

struct Params {
    seed: u64,
    baseline: f64,
    meal_peak: f64,
    meal_minutes: f64,
    noise_sd: f64,
    lows_per_day: f64,
    low_depth: f64,
    drop_rate: f64,
}

impl GlucoseProfile {
    fn params(self) -> Params {
        match self {
            GlucoseProfile::WellControlled => Params {
                seed: 0x5eed_0001,
                baseline: 118.0,
                meal_peak: 55.0,
                meal_minutes: 55.0,
                noise_sd: 4.0,
                lows_per_day: 0.15,
                low_depth: 50.0,
                drop_rate: 0.01,
            },
            GlucoseProfile::FrequentLows => Params {
                seed: 0x5eed_0002,
                baseline: 102.0,
                meal_peak: 60.0,
                meal_minutes: 50.0,
                noise_sd: 5.0,
                lows_per_day: 1.1,
                low_depth: 60.0,
                drop_rate: 0.015,
            },
            GlucoseProfile::SlippingControl => Params {
                seed: 0x5eed_0004,
                baseline: 138.0,
                meal_peak: 68.0,
                meal_minutes: 70.0,
                noise_sd: 6.0,
                lows_per_day: 0.1,
                low_depth: 55.0,
                drop_rate: 0.015,
            },
            GlucoseProfile::FrequentHighs => Params {
                seed: 0x5eed_0003,
                baseline: 175.0,
                meal_peak: 120.0,
                meal_minutes: 95.0,
                noise_sd: 7.0,
                lows_per_day: 0.05,
                low_depth: 70.0,
                drop_rate: 0.02,
            },
        }
    }
}

/// SplitMix64: small, fast and fully deterministic across platforms.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(f64::MIN_POSITIVE);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// A bump that rises to 1 at `peak` minutes and decays (gamma-like), 0 before it starts.
fn bump(minutes_since: f64, peak: f64) -> f64 {
    if minutes_since <= 0.0 {
        0.0
    } else {
        let x = minutes_since / peak;
        x * (1.0 - x).exp()
    }
}

/// Readings every 5 minutes for `days` days from `start`, as (wall-clock time, mg/dL) pairs, in the device's
/// order, as a device whose clock keeps [`DEMO_TIME_ZONE`](super::DEMO_TIME_ZONE)'s time shows them.
///
/// Values are whole mg/dL clamped to the sensor range 40–400 (as CGMs report them); about 1–2 % of readings
/// are dropped, as real sensors drop them, and each day's times drift by a few seconds. Across the zone's
/// changes the times are a real device's: in spring the clock skips an hour, so no reading shows a time of
/// it (2026-03-08 01:57 is followed by 03:02); in autumn it is set back, so the readings of the repeated
/// hour show its times twice, in the order taken (2026-11-01 01:02 to 01:57, then 01:02 to 01:57 again,
/// then 02:02).
///
/// ```
/// use jiff::civil::date;
/// use pumppath::demo::{GlucoseProfile, readings};
///
/// let autumn = readings(GlucoseProfile::WellControlled, date(2026, 10, 31).at(0, 2, 0, 0), 2);
/// let one_oh_two = autumn.iter().filter(|(t, _)| t.date() == date(2026, 11, 1) && t.hour() == 1).count();
/// assert!(one_oh_two > 12); // the repeated hour: two passes of up to 12 readings
/// let spring = readings(GlucoseProfile::WellControlled, date(2026, 3, 7).at(0, 2, 0, 0), 2);
/// assert!(!spring.iter().any(|(t, _)| t.date() == date(2026, 3, 8) && t.hour() == 2)); // the skipped hour
/// ```
pub fn readings(profile: GlucoseProfile, start: DateTime, days: u32) -> Vec<(DateTime, f64)> {
    // The bundled database always has the demo zone; UTC (no changes) would only be a fallback.
    let zone = TimeZone::get(super::DEMO_TIME_ZONE).unwrap_or(TimeZone::UTC);
    let p = profile.params();
    let mut rng = Rng(p.seed);
    let per_day = 288usize;
    let mut out = Vec::with_capacity(per_day * days as usize);
    let mut drift = 0.0f64;
    for day in 0..days {
        // Meals at about 07:30, 12:30 and 18:45, each a little different every day.
        let meals: Vec<(f64, f64)> = [450.0, 750.0, 1125.0]
            .iter()
            .map(|&m| (m + 30.0 * rng.normal(), p.meal_peak * (0.7 + 0.6 * rng.uniform())))
            .collect();
        let mut lows = Vec::new();
        for _ in 0..3 {
            if rng.uniform() < p.lows_per_day / 3.0 {
                // Most lows are overnight (01:00-06:00), the rest late afternoon (16:00-21:00).
                let base = if rng.uniform() < 0.6 { 60.0 } else { 960.0 };
                lows.push(base + 300.0 * rng.uniform());
            }
        }
        // The readings of an hour the clock repeats, to show again (a second pass) once it is over.
        let mut repeated: Vec<(DateTime, f64)> = Vec::new();
        for slot in 0..per_day {
            let minute = slot as f64 * 5.0 + 2.0;
            let mut reading = || {
                drift = 0.97 * drift + p.noise_sd * rng.normal();
                let dawn = 15.0 * bump(minute - 240.0, 150.0);
                let mut value = p.baseline + dawn + drift;
                for &(at, height) in &meals {
                    value += height * bump(minute - at, p.meal_minutes);
                }
                for &at in &lows {
                    let d = (minute - at) / 35.0;
                    value -= p.low_depth * (-d * d).exp();
                }
                let dropped = rng.uniform() < p.drop_rate;
                (!dropped).then(|| value.round().clamp(40.0, 400.0))
            };
            let value = reading();
            let seconds = (day as i64 * 86_400) + (slot as i64 * 300) + (day as i64 % 7);
            let Ok(time) = start.checked_add(SignedDuration::from_secs(seconds)) else {
                continue;
            };
            match zone.to_ambiguous_timestamp(time).offset() {
                // The clock skips this time: no reading shows it (the draws are made all the same, so the
                // readings after it keep their values).
                AmbiguousOffset::Gap { .. } => continue,
                AmbiguousOffset::Fold { .. } => {
                    out.extend(value.map(|v| (time, v)));
                    // The same clock time an hour later, with glucose as it is then.
                    if let Some(v) = reading() {
                        repeated.push((time, v));
                    }
                    continue;
                }
                AmbiguousOffset::Unambiguous { .. } => {}
            }
            // The repeated hour is over: its second pass comes first.
            out.append(&mut repeated);
            out.extend(value.map(|v| (time, v)));
        }
        out.append(&mut repeated);
    }
    out
}

/// One realistic day of a well-controlled patient: the trace the README's first example classifies.
pub fn one_day() -> Vec<(DateTime, f64)> {
    readings(GlucoseProfile::WellControlled, DEMO_START, 1)
}
