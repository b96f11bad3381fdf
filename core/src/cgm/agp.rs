use jiff::civil::Time;
use serde::{Deserialize, Serialize};

use super::{SECONDS_PER_DAY, SeriesError, SeriesView};
use crate::glucose::Unit;

/// The AGP bin width clinicians are used to: 15 minutes (96 bins a day).
pub const DEFAULT_AGP_BIN_MINUTES: u32 = 15;

/// The percentiles of an AGP bin, in percent: 5, 25, 50, 75, 95.
pub const AGP_PERCENTILES: [f64; 5] = [5.0, 25.0, 50.0, 75.0, 95.0];

/// The ambulatory glucose profile (AGP): glucose percentiles by time of day, all days overlaid.
///
/// Each reading falls in the bin of its local wall-clock time of day (with a zone, the instant's time of day
/// in it, so both passes of the hour a clock repeats in autumn fall in that hour's bins); a bin's percentiles are R's default
/// `quantile` (type 7: linear interpolation between order statistics, as numpy's default) of the readings in
/// it. Readings are used as they are, without interpolation to a grid (iglu's `plot_agp` interpolates first, so
/// its curves are slightly smoother). A bin without readings has no percentiles.
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::glucose::Unit;
///
/// // Three days of readings at 08:00 and 08:05, and one at 20:00.
/// let mut times = Vec::new();
/// let mut values = Vec::new();
/// for day in 0..3i64 {
///     for (seconds, value) in [(8 * 3600, 100.0), (8 * 3600 + 300, 120.0), (20 * 3600, 200.0)] {
///         times.push(day * 86_400 + seconds);
///         values.push(value + day as f64);
///     }
/// }
/// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
/// let agp = series.view().agp(15)?;
/// assert_eq!(agp.bins.len(), 96);
/// let eight = &agp.bins[32];
/// assert_eq!(eight.start.to_string(), "08:00:00");
/// assert_eq!(eight.readings, 6);
/// assert_eq!(eight.p50, Some(111.0)); // halfway between 102 and 120
/// assert_eq!(agp.bins[0].p50, None);
/// assert!(series.view().agp(7).is_err()); // 7 does not divide a day
/// # Ok::<(), pumppath::cgm::SeriesError>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agp {
    /// The unit of the percentiles.
    pub unit: Unit,
    /// The width of a bin, minutes.
    pub bin_minutes: u32,
    /// One bin per `bin_minutes` from midnight, in order.
    pub bins: Vec<AgpBin>,
}

/// One time-of-day bin of an [`Agp`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgpBin {
    /// The wall-clock time the bin starts at (on the wire `"08:00:00"`).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::TimeOfDay"))]
    pub start: Time,
    /// Readings in the bin, over all days.
    pub readings: u64,
    /// 5th percentile.
    pub p5: Option<f64>,
    /// 25th percentile.
    pub p25: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
}

impl Agp {
    /// The AGP of `view` in bins of `bin_minutes`, which must divide the 1,440 minutes of a day.
    pub(crate) fn of(view: &SeriesView<'_>, bin_minutes: u32) -> Result<Agp, SeriesError> {
        if bin_minutes == 0 || 1440 % bin_minutes != 0 {
            return Err(SeriesError::InvalidBinMinutes { value: bin_minutes });
        }
        let bin_seconds = i64::from(bin_minutes) * 60;
        let n_bins = (1440 / bin_minutes) as usize;
        let clock = view.clock();
        let bin_of = |t: i64| (clock.local_seconds(t).rem_euclid(SECONDS_PER_DAY) / bin_seconds) as usize;

        // Counting sort of the values by bin: counts, offsets, then each bin's values sorted in place.
        let mut offsets = vec![0usize; n_bins + 1];
        for &t in view.times() {
            offsets[bin_of(t) + 1] += 1;
        }
        for i in 0..n_bins {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut sorted = vec![0.0; view.len()];
        for (&t, &v) in view.times().iter().zip(view.values()) {
            let bin = bin_of(t);
            sorted[next[bin]] = v;
            next[bin] += 1;
        }
        let bins = (0..n_bins)
            .map(|i| {
                let values = &mut sorted[offsets[i]..offsets[i + 1]];
                values.sort_unstable_by(f64::total_cmp);
                let [p5, p25, p50, p75, p95] = AGP_PERCENTILES.map(|p| quantile(values, p / 100.0));
                let minute = i as u32 * bin_minutes;
                AgpBin {
                    // minute < 1440, so the hour and minute are always valid.
                    start: Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).unwrap_or(Time::MIN),
                    readings: values.len() as u64,
                    p5,
                    p25,
                    p50,
                    p75,
                    p95,
                }
            })
            .collect();
        Ok(Agp { unit: view.unit(), bin_minutes, bins })
    }
}

/// R's type-7 quantile `p` (0–1) of sorted values; `None` when empty.
fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(last);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}
