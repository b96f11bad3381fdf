use serde::{Deserialize, Serialize};

use super::SeriesView;

/// How much of its span a run of readings covers: R iglu's `active_percent`, with its intermediate counts.
///
/// With `dt0` the sampling interval (below), iglu's default `range_type = "automatic"` computes, and so does
/// pumppath (`round` is R's, half to even):
///
/// - `expected_readings = round(round(span in minutes) / dt0) + 1`: a reading every `dt0` over the span, both
///   ends included;
/// - a gap is a difference between consecutive readings with `round(difference in minutes) > dt0` (so 5 min
///   and a few seconds is not a gap at `dt0` = 5);
/// - `missed_readings = round((sum of the gaps' raw minutes − number of gaps × dt0) / dt0)`;
/// - `active_percent = (expected − missed) / expected × 100`, not rounded.
///
/// `dt0` ([`sampling_minutes`]) is the median difference between consecutive readings in minutes, rounded half
/// to even. iglu computes it for its first subject and reuses it for every later subject of the same call (its
/// `dt0` argument is overwritten once set); pumppath computes it per series, which gives the same numbers as
/// long as the subjects share a sampling interval (they do in iglu's example data and the Hall study).
///
/// ```
/// use pumppath::cgm::SeriesView;
/// use pumppath::glucose::{SensorRange, Unit};
///
/// // Readings every 5 minutes for 2 hours, with a 30-minute hole.
/// let times: Vec<i64> = (0..=24).map(|k| k * 300).filter(|&t| !(1800..=3300).contains(&t)).collect();
/// let values = vec![120.0; times.len()];
/// let view = SeriesView::from_sorted(Unit::MgDl, &times, &values, SensorRange::default())?;
/// let wear = view.wear().expect("at least two readings");
/// assert_eq!(wear.sampling_minutes, 5);
/// assert_eq!((wear.expected_readings, wear.missed_readings), (25, 6));
/// assert_eq!(wear.active_percent, 19.0 / 25.0 * 100.0);
/// assert_eq!(view.last_days(0).wear(), None);
/// # Ok::<(), pumppath::cgm::SeriesError>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wear {
    /// `dt0`: the median interval between readings, whole minutes.
    pub sampling_minutes: i64,
    /// Readings a sensor worn throughout the span would have given.
    pub expected_readings: i64,
    /// Readings missed in gaps.
    pub missed_readings: i64,
    /// `(expected − missed) / expected`, in percent.
    pub active_percent: f64,
}

impl Wear {
    /// The wear of the readings of `view`; `None` with fewer than two readings or when the median interval
    /// rounds to 0 minutes (iglu gives NA or NaN there).
    pub(crate) fn of(view: &SeriesView<'_>) -> Option<Wear> {
        let times = view.times();
        let (&first, &last) = (times.first()?, times.last()?);
        let dt0_minutes = sampling_minutes(view)?;
        let dt0 = dt0_minutes as f64;
        let span_minutes = last.saturating_sub(first) as f64 / 60.0;
        let expected = (span_minutes.round_ties_even() / dt0).round_ties_even() + 1.0;
        // An interval is a gap when it rounds (minutes, half to even, as iglu) above dt0: in whole seconds, when
        // it is over dt0 minutes and a half, or exactly that with dt0 odd. Integers only: no rounding call per
        // interval (which the baseline x86-64 target makes a library call), and exact.
        let half_over = dt0_minutes.saturating_mul(60).saturating_add(30);
        let odd = dt0_minutes % 2 == 1;
        // The same test as `seconds >= first_gap`, by sign bits, so the loop vectorises (see sampling_minutes).
        let first_gap = half_over.saturating_add(i64::from(!odd));
        let (mut gap_seconds, mut gaps) = (0i64, 0i64);
        for seconds in view.intervals() {
            let gap = 1 - (seconds.wrapping_sub(first_gap) as u64 >> 63) as i64;
            gap_seconds += seconds & gap.wrapping_neg();
            gaps += gap;
        }
        let missed = ((gap_seconds as f64 / 60.0 - gaps as f64 * dt0) / dt0).round_ties_even();
        Some(Wear {
            sampling_minutes: dt0_minutes,
            expected_readings: expected as i64,
            missed_readings: missed as i64,
            active_percent: (expected - missed) / expected * 100.0,
        })
    }
}

/// `dt0`: the median interval between consecutive readings of `view`, in minutes rounded half to even, as iglu
/// computes it; `None` with fewer than two readings or when it rounds to 0.
///
/// ```
/// use pumppath::cgm::{SeriesView, sampling_minutes};
/// use pumppath::glucose::{SensorRange, Unit};
///
/// let dt0 = |times: &[i64]| {
///     let values = vec![120.0; times.len()];
///     sampling_minutes(&SeriesView::from_sorted(Unit::MgDl, times, &values, SensorRange::default()).unwrap())
/// };
/// assert_eq!(dt0(&[0, 300, 601, 900, 2700]), Some(5));
/// assert_eq!(dt0(&[0, 900, 1800]), Some(15));
/// assert_eq!(dt0(&[0, 10, 20]), None);
/// ```
pub fn sampling_minutes(view: &SeriesView<'_>) -> Option<i64> {
    let times = view.times();
    let count = times.len().checked_sub(1).filter(|&c| c > 0)?;
    let gap = |i: usize| times[i + 1] - times[i];
    let mid = count / 2;
    // Only the median rounded to whole minutes is wanted. The middle interval rounds to `m` minutes; when
    // the median's position(s) in sorted order hold intervals strictly within half a minute of `m`, the
    // median rounds to `m` too, which one counting pass shows (no copy, no selection). A CGM's intervals
    // jitter by a second or two around one value, so this is the usual case.
    let m = (gap(mid) as f64 / 60.0).round_ties_even() as i64;
    let (lo, hi) = (m.saturating_mul(60).saturating_sub(30), m.saturating_mul(60).saturating_add(30));
    // Counted as sign bits of differences: baseline x86-64 has no packed 64-bit compare but has 64-bit
    // subtraction and shifts, so this loop vectorises (3x faster on 1 M readings). Intervals are at most the
    // span of the years ±9999, so no difference overflows.
    let sign = |x: i64| (x as u64 >> 63) as usize;
    let (mut below, mut under_hi) = (0usize, 0usize);
    for g in view.intervals() {
        below += sign(g.wrapping_sub(lo.saturating_add(1))); // g <= lo
        under_hi += sign(g.wrapping_sub(hi)); // g < hi
    }
    let inside = under_hi - below;
    let holds = |position: usize| position >= below && position < below + inside;
    if holds(mid) && (count % 2 == 1 || holds(mid - 1)) {
        return (m >= 1).then_some(m);
    }
    let mut gaps: Vec<i64> = (0..count).map(gap).collect();
    let upper = *gaps.select_nth_unstable(mid).1 as f64 / 60.0;
    let median = if count % 2 == 1 {
        upper
    } else {
        // R's median of an even count: the mean of the two middle values, each in minutes.
        let lower = gaps[..mid].iter().max()?;
        (*lower as f64 / 60.0 + upper) / 2.0
    };
    let dt0 = median.round_ties_even();
    (dt0 >= 1.0).then_some(dt0 as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glucose::{SensorRange, Unit};

    /// R's `round(median(diff(times)) / 60)` by sorting every interval.
    fn by_sorting(times: &[i64]) -> Option<i64> {
        let mut gaps: Vec<i64> = times.windows(2).map(|p| p[1] - p[0]).collect();
        gaps.sort_unstable();
        let n = gaps.len();
        let median = if n % 2 == 1 {
            gaps[n / 2] as f64 / 60.0
        } else {
            (gaps[n / 2 - 1] as f64 / 60.0 + gaps[n / 2] as f64 / 60.0) / 2.0
        };
        let dt0 = median.round_ties_even();
        (n > 0 && dt0 >= 1.0).then_some(dt0 as i64)
    }

    proptest::proptest! {
        // Intervals around 5 minutes, with the half-minute boundaries (270 and 330 s) and far gaps mixed in.
        #[test]
        fn the_counting_pass_agrees_with_sorting(
            gaps in proptest::collection::vec(
                proptest::prop_oneof![240i64..360, proptest::strategy::Just(270), proptest::strategy::Just(330),
                    1i64..100_000],
                1..60,
            )
        ) {
            let times: Vec<i64> = std::iter::once(0).chain(gaps.iter().scan(0, |t, g| { *t += g; Some(*t) })).collect();
            let values = vec![120.0; times.len()];
            let view = SeriesView::from_sorted(Unit::MgDl, &times, &values, SensorRange::default()).unwrap();
            proptest::prop_assert_eq!(sampling_minutes(&view), by_sorting(&times));
        }
    }
}
