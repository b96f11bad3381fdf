//! The interpolation grid episodes are found on: R iglu's `CGMS2DayByDay`.

use super::{SECONDS_PER_DAY, SeriesView, sampling_minutes};

/// Gaps longer than this many minutes are not bridged: the grid is missing inside them (iglu's `inter_gap`).
pub const MAX_BRIDGED_GAP_MINUTES: i64 = 45;

/// Readings linearly interpolated onto a regular grid from wall-clock midnight, as R iglu's `CGMS2DayByDay`
/// builds it with default arguments; episodes are found on this grid.
///
/// - The step `dt0` ([`step_minutes`](Self::step_minutes)) is the readings' [`sampling_minutes`], moved to a
///   divisor of a day when it is not one: above 20 it becomes 20, otherwise it goes to the nearest multiple
///   of 5 (a remainder of 3 or 4 rounds up, 1 or 2 down). A median interval above 45 minutes gives no grid.
/// - The grid starts at wall-clock midnight of the first reading's day; its first point is at 00:00 + `dt0`
///   (iglu's), and it covers `ceil(span in days + 1)` whole days of elapsed time, so its last point is 24:00
///   of the last day. With a zone ([`SeriesView::time_zone`]) the times are instants and "midnight" is the
///   first reading's local midnight at its offset; the grid then runs on in elapsed time across a clock
///   change, which keeps its phase on the local clock because today's zone offsets change by whole quarter
///   hours (a 5-minute grid's points stay at :00, :05, ...).
/// - A point on a reading takes its value; a point between two readings takes
///   `y[i] + (y[i+1] − y[i]) × ((v − x[i]) / (x[i+1] − x[i]))` with times in seconds (R's `approx`, bit for
///   bit); points before the first or after the last reading, and points strictly inside a gap of more than
///   [`MAX_BRIDGED_GAP_MINUTES`], are missing (NaN).
///
/// Only the points that are present are stored, as [`runs`](Self::runs) of consecutive points between the
/// gaps that are not bridged: memory grows with the readings, not with the calendar span, so one mis-dated
/// reading years away adds at most one point.
///
/// ```
/// use pumppath::cgm::{Grid, SeriesView};
/// use pumppath::glucose::{SensorRange, Unit};
///
/// // 00:02, 00:07, 00:12 and, after a one-hour hole, 01:12.
/// let times = [120, 420, 720, 4320];
/// let view = SeriesView::from_sorted(Unit::MgDl, &times, &[100.0, 110.0, 130.0, 90.0], SensorRange::default())?;
/// let grid = Grid::of(&view).expect("enough readings");
/// assert_eq!((grid.start(), grid.step_minutes(), grid.len()), (300, 5, 2 * 288)); // ceil(0.05 + 1) days
/// assert_eq!(grid.value(0), 106.0); // 00:05, three fifths of the way from 100 to 110
/// assert_eq!(grid.value(1), 122.0); // 00:10
/// assert!(grid.value(2).is_nan()); // 00:15, inside the hole
/// assert_eq!(grid.present(), 2);
/// let runs: Vec<(usize, &[f64])> = grid.runs().collect();
/// assert_eq!(runs, [(0, &[106.0, 122.0][..])]); // 01:10 lies before 01:12, 01:15 after it
/// # Ok::<(), pumppath::cgm::SeriesError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    start: i64,
    step_minutes: i64,
    len: usize,
    /// The present points: (index of the first, values), in increasing order, never adjacent, never empty.
    runs: Vec<(usize, Vec<f64>)>,
}

impl Grid {
    /// The grid of the readings of `view`; `None` with fewer than two readings or a median interval that
    /// rounds to 0 or exceeds 45 minutes (iglu stops with an error there).
    pub fn of(view: &SeriesView<'_>) -> Option<Grid> {
        let (times, values) = (view.times(), view.values());
        let (&first, &last) = (times.first()?, times.last()?);
        let step_minutes = grid_step(sampling_minutes(view)?)?;
        let step = step_minutes * 60;
        let span_days = last.saturating_sub(first) as f64 / SECONDS_PER_DAY as f64;
        let days = (span_days + 1.0).ceil() as i64;
        let len = usize::try_from(days.saturating_mul(1440 / step_minutes)).unwrap_or(usize::MAX);
        // Midnight of the first reading's (local) day: `first` less its local time of day.
        let midnight = first.saturating_sub(view.clock().local_seconds(first).rem_euclid(SECONDS_PER_DAY));
        let start = midnight + step;
        let lattice = Lattice { start, step, len };
        // Split the readings where a gap is not bridged: the points between two such segments are missing.
        let mut runs = Vec::new();
        let mut from = 0;
        for (i, seconds) in view.intervals().enumerate() {
            if seconds > MAX_BRIDGED_GAP_MINUTES * 60 {
                runs.extend(lattice.run(&times[from..=i], &values[from..=i]));
                from = i + 1;
            }
        }
        runs.extend(lattice.run(&times[from..], &values[from..]));
        Some(Grid { start, step_minutes, len, runs })
    }

    /// The series seconds of the first point: midnight of the first reading's day plus one step.
    pub fn start(&self) -> i64 {
        self.start
    }

    /// The step `dt0`, minutes.
    pub fn step_minutes(&self) -> i64 {
        self.step_minutes
    }

    /// The series seconds of point `index` (saturating far beyond the grid).
    pub fn time(&self, index: usize) -> i64 {
        let index = i64::try_from(index).unwrap_or(i64::MAX);
        self.start.saturating_add(index.saturating_mul(self.step_minutes * 60))
    }

    /// The value of point `index`, NaN where missing (inside an unbridged gap, outside the readings or beyond
    /// the grid).
    pub fn value(&self, index: usize) -> f64 {
        let after = self.runs.partition_point(|(first, _)| *first <= index);
        after
            .checked_sub(1)
            .and_then(|r| self.runs.get(r))
            .and_then(|(first, values)| values.get(index - first))
            .copied()
            .unwrap_or(f64::NAN)
    }

    /// The runs of present points, in order: each is the index of its first point and the values, and two
    /// runs are separated by at least one missing point.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &[f64])> {
        self.runs.iter().map(|(first, values)| (*first, values.as_slice()))
    }

    /// The number of points, missing ones included: `ceil(span in days + 1)` days of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the grid has no point.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of points that are not missing, which are the points stored.
    pub fn present(&self) -> usize {
        self.runs.iter().map(|(_, values)| values.len()).sum()
    }
}

/// The grid's points: `start + k × step` seconds for `k` in `0..len`.
struct Lattice {
    start: i64,
    step: i64,
    len: usize,
}

impl Lattice {
    /// The points from the first to the last of `times`, readings with no gap over
    /// [`MAX_BRIDGED_GAP_MINUTES`] between them, interpolated from them; `None` when no point falls there.
    fn run(&self, times: &[i64], values: &[f64]) -> Option<(usize, Vec<f64>)> {
        let (&first, &last) = (times.first()?, times.last()?);
        // The first point at or after `first` (never before the grid's first), the last at or before `last`.
        let after_start = first.saturating_sub(self.start).max(0);
        let lo = after_start / self.step + i64::from(after_start % self.step != 0);
        let hi = last.saturating_sub(self.start).div_euclid(self.step);
        let hi = hi.min(i64::try_from(self.len).unwrap_or(i64::MAX).saturating_sub(1));
        if hi < lo {
            return None;
        }
        // Filled in place rather than pushed: the loop keeps its state in registers (a tenth of the time of
        // finding episodes on 1 M readings).
        let mut out = vec![0.0; usize::try_from(hi - lo + 1).ok()?];
        let mut i = 0; // times[i] <= v < times[i + 1]
        let mut v = self.start + lo * self.step;
        for slot in &mut out {
            while times.get(i + 1).is_some_and(|&t| t <= v) {
                i += 1;
            }
            let (x0, y0) = (times[i], values[i]);
            // v == x0 takes the reading; otherwise x0 < v < x1 (v <= last, so i + 1 exists).
            *slot = match times.get(i + 1) {
                Some(&x1) if v != x0 => {
                    let (x0, x1, y1, at) = (x0 as f64, x1 as f64, values[i + 1], v as f64);
                    y0 + (y1 - y0) * ((at - x0) / (x1 - x0))
                }
                _ => y0,
            };
            v += self.step;
        }
        Some((usize::try_from(lo).ok()?, out))
    }
}

/// iglu's adjustment of `dt0` to a divisor of a day; `None` above [`MAX_BRIDGED_GAP_MINUTES`].
fn grid_step(dt0: i64) -> Option<i64> {
    if !(1..=MAX_BRIDGED_GAP_MINUTES).contains(&dt0) {
        return None;
    }
    Some(if 1440 % dt0 == 0 {
        dt0
    } else if dt0 > 20 {
        20
    } else {
        let r = dt0 % 5;
        if r > 2 { dt0 + 5 - r } else { dt0 - r }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glucose::{SensorRange, Unit};

    #[test]
    fn steps_move_to_divisors_of_a_day() {
        let steps: Vec<_> =
            [1, 5, 7, 8, 11, 13, 16, 18, 19, 21, 24, 45, 46].iter().map(|&d| grid_step(d)).collect();
        let want = [1, 5, 5, 8, 10, 15, 16, 18, 20, 20, 24, 45];
        assert_eq!(steps[..12], want.map(Some));
        assert_eq!(steps[12], None);
        // 7 → 5 (remainder 2 rounds down), 13 → 15 (remainder 3 rounds up); 8 and 16 divide 1440.
    }

    fn grid(times: &[i64], values: &[f64]) -> Option<Grid> {
        let view = SeriesView::from_sorted(Unit::MgDl, times, values, SensorRange::default()).unwrap();
        Grid::of(&view)
    }

    #[test]
    fn a_gap_of_exactly_45_minutes_is_bridged() {
        let g = grid(&[0, 300, 3000, 3300], &[100.0, 100.0, 145.0, 145.0]).unwrap();
        assert!((0..11).all(|k| !g.value(k).is_nan()));
        assert_eq!(g.runs().count(), 1);
        let g = grid(&[0, 300, 3001, 3301], &[100.0, 100.0, 145.0, 145.0]).unwrap();
        assert!(g.value(1).is_nan()); // 00:10 lies inside the 45 min 1 s gap
        assert_eq!(g.value(0), 100.0);
        let runs: Vec<_> = g.runs().collect();
        assert_eq!(runs, [(0, &[100.0][..]), (10, &[145.0][..])]); // 00:05 and 00:55
    }

    #[test]
    fn a_reading_at_midnight_is_before_the_first_point() {
        // iglu's grid starts one step after midnight, so a run never starts before point 0.
        let g = grid(&[0, 300, 600], &[100.0, 110.0, 120.0]).unwrap();
        let runs: Vec<_> = g.runs().collect();
        assert_eq!(runs, [(0, &[110.0, 120.0][..])]);
        assert_eq!(g.time(0), 300);
        assert!(g.value(g.len()).is_nan() && g.value(usize::MAX).is_nan());
        assert_eq!(g.time(usize::MAX), i64::MAX);
    }
}
