use jiff::civil::DateTime;

use super::{Agp, SECONDS_PER_DAY, SeriesError, Summary, from_seconds};
use super::{MAX_SECONDS, MIN_SECONDS};
use crate::glucose::{Classifier, GlucoseError, SensorRange, Targets, Unit};

/// A borrowed, validated run of readings: a whole [`Series`](super::Series) or a time window of one.
///
/// A view is a few slices; taking a window is two binary searches, without copying. Metrics
/// ([`summary`](Self::summary), [`agp`](Self::agp)) are computed on views, so "the last 14 days" is
/// `series.last_days(14).summary(&targets)`.
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::glucose::Unit;
///
/// let day = 86_400;
/// let times: Vec<i64> = (0..30).map(|d| d * day).collect();
/// let values = vec![120.0; 30];
/// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
/// assert_eq!(series.last_days(14).len(), 14); // days 16..=29
/// assert_eq!(series.window(0, 7 * day).len(), 7); // start included, end excluded
/// # Ok::<(), pumppath::cgm::SeriesError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeriesView<'a> {
    unit: Unit,
    sensor_range: SensorRange,
    times: &'a [i64],
    values: &'a [f64],
    missing_times: &'a [i64],
    duplicate_times: &'a [i64],
}

impl<'a> SeriesView<'a> {
    pub(crate) fn from_parts(
        unit: Unit,
        sensor_range: SensorRange,
        times: &'a [i64],
        values: &'a [f64],
        missing_times: &'a [i64],
        duplicate_times: &'a [i64],
    ) -> SeriesView<'a> {
        SeriesView { unit, sensor_range, times, values, missing_times, duplicate_times }
    }

    /// A view straight over caller-owned slices that are already clean: times strictly increasing and in
    /// range, values valid (no NaN). Nothing is copied; anything unclean is an error naming its index, and
    /// [`Series::from_slices`](super::Series::from_slices) is the way to clean it.
    ///
    /// ```
    /// use pumppath::cgm::{SeriesError, SeriesView};
    /// use pumppath::glucose::{SensorRange, Targets, Unit};
    ///
    /// let view = SeriesView::from_sorted(Unit::MgDl, &[0, 300, 600], &[100.0, 120.0, 140.0], SensorRange::default())?;
    /// assert_eq!(view.summary(&Targets::default()).mean, Some(120.0));
    ///
    /// let err = SeriesView::from_sorted(Unit::MgDl, &[0, 300, 300], &[1.0; 3], SensorRange::default());
    /// assert!(matches!(err, Err(SeriesError::InvalidValue { index: 0, .. })));
    /// let err = SeriesView::from_sorted(Unit::MgDl, &[0, 300, 300], &[100.0; 3], SensorRange::default());
    /// assert!(matches!(err, Err(SeriesError::NotIncreasing { index: 2, seconds: 300 })));
    /// # Ok::<(), SeriesError>(())
    /// ```
    pub fn from_sorted(
        unit: Unit,
        times: &'a [i64],
        values: &'a [f64],
        sensor_range: SensorRange,
    ) -> Result<SeriesView<'a>, SeriesError> {
        if times.len() != values.len() {
            return Err(SeriesError::LengthMismatch { times: times.len(), values: values.len() });
        }
        let classifier = Classifier::new(&Targets::default(), unit);
        let mut previous = None;
        for (index, (&time, &value)) in times.iter().zip(values).enumerate() {
            if !(MIN_SECONDS..=MAX_SECONDS).contains(&time) {
                return Err(SeriesError::TimeOutOfRange { index: Some(index), seconds: time });
            }
            if previous.is_some_and(|p| p >= time) {
                return Err(SeriesError::NotIncreasing { index, seconds: time });
            }
            previous = Some(time);
            classifier
                .validate(value)
                .map_err(|source: GlucoseError| SeriesError::InvalidValue { index, source })?;
        }
        Ok(SeriesView::from_parts(unit, sensor_range, times, values, &[], &[]))
    }

    /// The summary of the fixed period (`start`, `end`], sufficiency judged over the period; see
    /// [`Summary::of_period`].
    pub fn summary_of_period(&self, start: i64, end: i64, targets: &Targets) -> Summary {
        Summary::of_period(self, start, end, targets)
    }

    /// The readings with `start <= time < end` (wall-clock seconds), with the missing values and duplicates
    /// that fell in the same interval. An empty interval gives an empty view.
    pub fn window(&self, start: i64, end: i64) -> SeriesView<'a> {
        let readings = span(self.times, start, end);
        SeriesView {
            times: &self.times[readings.clone()],
            values: &self.values[readings],
            missing_times: &self.missing_times[span(self.missing_times, start, end)],
            duplicate_times: &self.duplicate_times[span(self.duplicate_times, start, end)],
            ..*self
        }
    }

    /// The readings of the last `days` days: those after `last − days × 24 h`, up to and including the last
    /// reading (the window the consensus "last 14 days" report uses).
    pub fn last_days(&self, days: u32) -> SeriesView<'a> {
        match self.times.last() {
            Some(&last) => self.window(
                last.saturating_sub(i64::from(days) * SECONDS_PER_DAY).saturating_add(1),
                last.saturating_add(1),
            ),
            None => *self,
        }
    }

    /// The consensus summary of these readings; see [`Summary`].
    pub fn summary(&self, targets: &Targets) -> Summary {
        Summary::of(self, targets)
    }

    /// The AGP profile: percentiles by time of day in bins of `bin_minutes`; see [`Agp`].
    pub fn agp(&self, bin_minutes: u32) -> Result<Agp, SeriesError> {
        Agp::of(self, bin_minutes)
    }

    /// The unit of the values.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The sensor range the series was built with.
    pub fn sensor_range(&self) -> SensorRange {
        self.sensor_range
    }

    /// The times, wall-clock seconds, strictly increasing.
    pub fn times(&self) -> &'a [i64] {
        self.times
    }

    /// The values, one per time.
    pub fn values(&self) -> &'a [f64] {
        self.values
    }

    /// The number of readings.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether there is no reading.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// The number of missing (NaN) values dropped in this interval.
    pub fn missing(&self) -> usize {
        self.missing_times.len()
    }

    /// The number of readings merged away as duplicates in this interval.
    pub fn duplicates(&self) -> usize {
        self.duplicate_times.len()
    }

    /// The time of the first reading, if any.
    pub fn first_time(&self) -> Option<DateTime> {
        self.times.first().and_then(|&t| from_seconds(t).ok())
    }

    /// The time of the last reading, if any.
    pub fn last_time(&self) -> Option<DateTime> {
        self.times.last().and_then(|&t| from_seconds(t).ok())
    }
}

/// The positions of the sorted `times` with `start <= time < end`.
fn span(times: &[i64], start: i64, end: i64) -> std::ops::Range<usize> {
    let lo = times.partition_point(|&t| t < start);
    lo..times.partition_point(|&t| t < end).max(lo)
}
