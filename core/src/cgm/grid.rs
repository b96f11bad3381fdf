//! The interpolation grid episodes are found on: R iglu's `CGMS2DayByDay`.

use super::{SECONDS_PER_DAY, sampling_minutes};

/// Gaps longer than this many minutes are not bridged: the grid is missing inside them (iglu's `inter_gap`).
pub const MAX_BRIDGED_GAP_MINUTES: i64 = 45;

/// Readings linearly interpolated onto a regular grid from wall-clock midnight, as R iglu's `CGMS2DayByDay`
/// builds it with default arguments; episodes are found on this grid.
///
/// - The step `dt0` ([`step_minutes`](Self::step_minutes)) is the readings' [`sampling_minutes`], moved to a
///   divisor of a day when it is not one: above 20 it becomes 20, otherwise it goes to the nearest multiple
///   of 5 (a remainder of 3 or 4 rounds up, 1 or 2 down). A median interval above 45 minutes gives no grid.
/// - The grid starts at wall-clock midnight of the first reading's day; its first point is at 00:00 + `dt0`
///   (iglu's), and it covers `ceil(span in days + 1)` whole days, so its last point is 24:00 of the last day.
/// - A point on a reading takes its value; a point between two readings takes
///   `y[i] + (y[i+1] − y[i]) × ((v − x[i]) / (x[i+1] − x[i]))` with times in seconds (R's `approx`, bit for
///   bit); points before the first or after the last reading, and points strictly inside a gap of more than
///   [`MAX_BRIDGED_GAP_MINUTES`], are missing (NaN).
///
/// ```
/// use pumppath::cgm::Grid;
///
/// // 00:02, 00:07, 00:12 and, after a one-hour hole, 01:12.
/// let times = [120, 420, 720, 4320];
/// let grid = Grid::of(&times, &[100.0, 110.0, 130.0, 90.0]).expect("enough readings");
/// assert_eq!((grid.start(), grid.step_minutes(), grid.len()), (300, 5, 2 * 288)); // ceil(0.05 + 1) days
/// assert_eq!(grid.values()[0], 106.0); // 00:05, three fifths of the way from 100 to 110
/// assert_eq!(grid.values()[1], 122.0); // 00:10
/// assert!(grid.values()[2].is_nan()); // 00:15, inside the hole
/// assert_eq!(grid.present(), 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    start: i64,
    step_minutes: i64,
    values: Vec<f64>,
}

impl Grid {
    /// The grid of readings at `times` (wall-clock seconds, strictly increasing) with `values`; `None` with
    /// fewer than two readings or a median interval that rounds to 0 or exceeds 45 minutes (iglu stops with an
    /// error there).
    pub fn of(times: &[i64], values: &[f64]) -> Option<Grid> {
        let (&first, &last) = (times.first()?, times.last()?);
        let step_minutes = grid_step(sampling_minutes(times)?)?;
        let step = step_minutes * 60;
        let span_days = (last - first) as f64 / SECONDS_PER_DAY as f64;
        let days = (span_days + 1.0).ceil() as i64;
        let midnight = first.div_euclid(SECONDS_PER_DAY) * SECONDS_PER_DAY;
        let points = (days * (1440 / step_minutes)) as usize;
        let start = midnight + step;
        let mut out = Vec::with_capacity(points);
        let mut i = 0; // times[i] <= v < times[i + 1] once v reaches the readings
        for k in 0..points as i64 {
            let v = start + k * step;
            if v < first || v > last {
                out.push(f64::NAN);
                continue;
            }
            while i + 1 < times.len() && times[i + 1] <= v {
                i += 1;
            }
            let (x0, y0) = (times[i], values[i]);
            if v == x0 {
                out.push(y0);
                continue;
            }
            // x0 < v < x1: the loop stopped because times[i + 1] > v (v <= last, so i + 1 exists).
            let (x1, y1) = (times[i + 1], values[i + 1]);
            if x1 - x0 > MAX_BRIDGED_GAP_MINUTES * 60 {
                out.push(f64::NAN);
            } else {
                let (x0, x1, v) = (x0 as f64, x1 as f64, v as f64);
                out.push(y0 + (y1 - y0) * ((v - x0) / (x1 - x0)));
            }
        }
        Some(Grid {
            start,
            step_minutes,
            values: out,
        })
    }

    /// The wall-clock seconds of the first point: midnight of the first reading's day plus one step.
    pub fn start(&self) -> i64 {
        self.start
    }

    /// The step `dt0`, minutes.
    pub fn step_minutes(&self) -> i64 {
        self.step_minutes
    }

    /// The wall-clock seconds of point `index`.
    pub fn time(&self, index: usize) -> i64 {
        self.start + index as i64 * self.step_minutes * 60
    }

    /// The values, NaN where missing.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The number of points, missing ones included.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the grid has no point.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The number of points that are not missing.
    pub fn present(&self) -> usize {
        self.values.iter().filter(|v| !v.is_nan()).count()
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

    #[test]
    fn steps_move_to_divisors_of_a_day() {
        let steps: Vec<_> = [1, 5, 7, 8, 11, 13, 16, 18, 19, 21, 24, 45, 46]
            .iter()
            .map(|&d| grid_step(d))
            .collect();
        let want = [1, 5, 5, 8, 10, 15, 16, 18, 20, 20, 24, 45];
        assert_eq!(steps[..12], want.map(Some));
        assert_eq!(steps[12], None);
        // 7 → 5 (remainder 2 rounds down), 13 → 15 (remainder 3 rounds up); 8 and 16 divide 1440.
    }

    #[test]
    fn a_gap_of_exactly_45_minutes_is_bridged() {
        let g = Grid::of(&[0, 300, 3000, 3300], &[100.0, 100.0, 145.0, 145.0]).unwrap();
        assert!(g.values().iter().take(11).all(|v| !v.is_nan()));
        let g = Grid::of(&[0, 300, 3001, 3301], &[100.0, 100.0, 145.0, 145.0]).unwrap();
        assert!(g.values()[1].is_nan()); // 00:10 lies inside the 45 min 1 s gap
        assert_eq!(g.values()[0], 100.0);
    }
}
