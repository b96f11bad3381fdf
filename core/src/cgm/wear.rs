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
        let (mut gap_seconds, mut gaps) = (0i64, 0i64);
        for pair in times.windows(2) {
            let seconds = pair[1].saturating_sub(pair[0]);
            let gap = seconds > half_over || (seconds == half_over && odd);
            gap_seconds = gap_seconds.saturating_add(if gap { seconds } else { 0 });
            gaps += i64::from(gap);
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
    let gap = |i: usize| times[i + 1].saturating_sub(times[i]);
    let mid = count / 2;
    // A CGM's intervals are nearly all one value: when the middle interval's value fills the median's
    // position(s) in sorted order, it is the median, found by one counting pass (no copy, no selection).
    let candidate = gap(mid);
    let (mut less, mut equal) = (0usize, 0usize);
    for pair in times.windows(2) {
        let g = pair[1].saturating_sub(pair[0]);
        less += usize::from(g < candidate);
        equal += usize::from(g == candidate);
    }
    let holds = |position: usize| position >= less && position < less + equal;
    let median = if holds(mid) && (count % 2 == 1 || holds(mid - 1)) {
        candidate as f64 / 60.0
    } else {
        let mut gaps: Vec<i64> = (0..count).map(gap).collect();
        let upper = *gaps.select_nth_unstable(mid).1 as f64 / 60.0;
        if count % 2 == 1 {
            upper
        } else {
            // R's median of an even count: the mean of the two middle values, each in minutes.
            let lower = gaps[..mid].iter().max()?;
            (*lower as f64 / 60.0 + upper) / 2.0
        }
    };
    let dt0 = median.round_ties_even();
    (dt0 >= 1.0).then_some(dt0 as i64)
}
