use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::time::civil_in;
use super::{Agp, SECONDS_PER_DAY, SeriesError, Summary, to_seconds};
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
    zone: Option<&'a TimeZone>,
}

impl<'a> SeriesView<'a> {
    pub(crate) fn from_parts(
        unit: Unit,
        sensor_range: SensorRange,
        times: &'a [i64],
        values: &'a [f64],
        missing_times: &'a [i64],
        duplicate_times: &'a [i64],
        zone: Option<&'a TimeZone>,
    ) -> SeriesView<'a> {
        SeriesView { unit, sensor_range, times, values, missing_times, duplicate_times, zone }
    }

    /// A view straight over caller-owned slices that are already clean: times strictly increasing and in
    /// range, values valid (no NaN), times zoneless wall-clock seconds. Nothing is copied; anything unclean is an error naming its index, and
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
        Ok(SeriesView::from_parts(unit, sensor_range, times, values, &[], &[], None))
    }

    /// The summary of the fixed period (`start`, `end`], sufficiency judged over the period; see
    /// [`Summary::of_period`].
    pub fn summary_of_period(&self, start: i64, end: i64, targets: &Targets) -> Summary {
        Summary::of_period(self, start, end, targets)
    }

    /// The readings with `start <= time < end` (series seconds), with the missing values and duplicates
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

    /// The times, strictly increasing: wall-clock seconds, or Unix seconds (instants) with a
    /// [`time_zone`](Self::time_zone).
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

    /// The times of the missing (NaN) readings, sorted.
    pub(crate) fn missing_times(&self) -> &'a [i64] {
        self.missing_times
    }

    /// The number of readings merged away as duplicates in this interval.
    pub fn duplicates(&self) -> usize {
        self.duplicate_times.len()
    }

    /// The local wall-clock time of the first reading, if any.
    pub fn first_time(&self) -> Option<DateTime> {
        self.times.first().map(|&t| self.civil(t))
    }

    /// The local wall-clock time of the last reading, if any.
    pub fn last_time(&self) -> Option<DateTime> {
        self.times.last().map(|&t| self.civil(t))
    }

    /// The device's time zone when the series was built with one: [`times`](Self::times) are then instants.
    pub fn time_zone(&self) -> Option<&'a TimeZone> {
        self.zone
    }

    /// The local wall-clock time of series seconds, as every output (summary, episodes, evidence, readings)
    /// shows it: without a zone, the wall-clock seconds decoded ([`from_seconds`](super::from_seconds));
    /// with one, the instant's civil time in the zone. Times outside the years -9999 to 9999 are shown at the
    /// calendar's end rather than failing.
    ///
    /// ```
    /// use jiff::civil::date;
    /// use pumppath::cgm::{Series, SeriesOptions};
    /// use pumppath::glucose::Unit;
    ///
    /// let options = SeriesOptions { time_zone: Some("America/Chicago".into()), ..Default::default() };
    /// let t = date(2026, 7, 1).at(8, 0, 0, 0);
    /// let series = Series::from_readings(Unit::MgDl, [(t, 120.0)], &options)?;
    /// assert_eq!(series.times(), &[1_782_910_800]); // 13:00 UTC
    /// assert_eq!(series.view().civil(series.times()[0]), t);
    /// # Ok::<(), pumppath::cgm::SeriesError>(())
    /// ```
    pub fn civil(&self, seconds: i64) -> DateTime {
        civil_in(self.zone, seconds)
    }

    /// The series seconds of the instant `at`, to compare with [`times`](Self::times): "now" or the pump
    /// start, for a window cut.
    ///
    /// A zoned series holds instants, so this is `at`'s Unix seconds. A zoneless one holds the device's
    /// wall-clock time, taken to be the clinic's: `at`'s wall-clock seconds in `clinic_zone`.
    ///
    /// ```
    /// use jiff::tz::TimeZone;
    /// use pumppath::cgm::{Series, SeriesOptions};
    /// use pumppath::glucose::Unit;
    ///
    /// let chicago = TimeZone::get("America/Chicago")?;
    /// let at: jiff::Timestamp = "2026-07-01T13:00:00Z".parse()?;
    /// let zoneless = Series::from_slices(Unit::MgDl, &[0], &[120.0], &SeriesOptions::default())?;
    /// assert_eq!(zoneless.view().seconds_at(at, &chicago), 1_782_892_800); // 08:00 as if UTC
    /// let options = SeriesOptions { time_zone: Some("America/Chicago".into()), ..Default::default() };
    /// let zoned = Series::from_slices(Unit::MgDl, &[0], &[120.0], &options)?;
    /// assert_eq!(zoned.view().seconds_at(at, &chicago), 1_782_910_800);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn seconds_at(&self, at: Timestamp, clinic_zone: &TimeZone) -> i64 {
        match self.zone {
            Some(_) => at.as_second(),
            None => to_seconds(clinic_zone.to_datetime(at)),
        }
    }
}

/// The positions of the sorted `times` with `start <= time < end`.
fn span(times: &[i64], start: i64, end: i64) -> std::ops::Range<usize> {
    let lo = times.partition_point(|&t| t < start);
    lo..times.partition_point(|&t| t < end).max(lo)
}
