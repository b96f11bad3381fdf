use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::time::Clock;
use super::{Agp, Episodes, SECONDS_PER_DAY, SeriesError, Summary, Wear, to_seconds};
use super::{MAX_SECONDS, MIN_SECONDS};
use crate::glucose::{Classifier, GlucoseError, SensorRange, Targets, Unit};

/// A borrowed, validated run of readings: a whole [`Series`](super::Series) or a time window of one.
///
/// A view is a few slices; taking a window is two binary searches, without copying. Every metric is computed
/// one way, on a view: [`summary`](Self::summary), [`wear`](Self::wear), [`episodes`](Self::episodes) and
/// [`agp`](Self::agp); so "the last 14 days" is `series.view().last_days(14).summary(&targets)`.
///
/// ```
/// use jiff::tz::TimeZone;
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::glucose::Unit;
///
/// let day = 86_400;
/// let times: Vec<i64> = (0..30).map(|d| d * day).collect();
/// let values = vec![120.0; 30];
/// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
/// assert_eq!(series.view().last_days(14).len(), 14); // days 16..=29
/// let (start, end) = ("1970-01-01T00:00:00Z".parse()?, "1970-01-08T00:00:00Z".parse()?);
/// assert_eq!(series.view().window(start, end, &TimeZone::UTC).len(), 7); // start included, end excluded
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeriesView<'a> {
    unit: Unit,
    sensor_range: SensorRange,
    times: &'a [i64],
    values: &'a [f64],
    missing_times: &'a [i64],
    duplicate_times: &'a [i64],
    clock: Clock<'a>,
}

impl<'a> SeriesView<'a> {
    pub(crate) fn from_parts(
        unit: Unit,
        sensor_range: SensorRange,
        times: &'a [i64],
        values: &'a [f64],
        missing_times: &'a [i64],
        duplicate_times: &'a [i64],
        clock: Clock<'a>,
    ) -> SeriesView<'a> {
        SeriesView { unit, sensor_range, times, values, missing_times, duplicate_times, clock }
    }

    /// A view straight over caller-owned slices that are already clean: times strictly increasing and in
    /// range, values valid (no NaN), times zoneless wall-clock seconds read as UTC, with no clock set back. Nothing
    /// is copied; anything unclean is an error naming its index, and
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
        Ok(SeriesView::from_parts(
            unit,
            sensor_range,
            times,
            values,
            &[],
            &[],
            Clock { zone: None, set_backs: &[] },
        ))
    }

    /// The summary of the fixed period (`start`, `end`], sufficiency judged over the period (the window the
    /// rules judge); `start` and `end` are read as in [`window`](Self::window).
    ///
    /// The days are the period's when the view has readings at or before `start` (the data go on before the
    /// window) or when the wear over the period reaches [`MIN_ACTIVE_PERCENT`](super::MIN_ACTIVE_PERCENT),
    /// else the readings' span plus one sampling interval; the wear is measured over the period
    /// ([`Period::active_percent`](super::Period::active_percent)). Every other metric is the
    /// [`summary`](Self::summary) of the readings in the period.
    ///
    /// ```
    /// use jiff::{Timestamp, tz::TimeZone};
    /// use pumppath::cgm::{Series, SeriesOptions, SECONDS_PER_DAY};
    /// use pumppath::glucose::{Targets, Unit};
    ///
    /// // 15 days of 5-minute readings with the first hour of the last 14 days missing.
    /// let end = 15 * SECONDS_PER_DAY;
    /// let start = end - 14 * SECONDS_PER_DAY;
    /// let times: Vec<i64> =
    ///     (1..=end / 300).map(|k| k * 300).filter(|t| !(start < *t && *t <= start + 3600)).collect();
    /// let series = Series::from_slices(Unit::MgDl, &times, &vec![120.0; times.len()], &SeriesOptions::default())?;
    /// let (targets, utc) = (Targets::default(), TimeZone::UTC);
    /// let (start, end) = (Timestamp::from_second(start)?, Timestamp::from_second(end)?);
    /// assert!(!series.view().last_days(14).summary(&targets).sufficient); // the readings span < 14 days
    /// let s = series.view().summary_of_period(start, end, &utc, &targets);
    /// assert!(s.sufficient);
    /// let period = s.period.unwrap();
    /// assert_eq!(period.counted_days, 14.0);
    /// assert!((period.active_percent - (4032.0 - 12.0) / 4032.0 * 100.0).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn summary_of_period(
        &self,
        start: Timestamp,
        end: Timestamp,
        zone: &TimeZone,
        targets: &Targets,
    ) -> Summary {
        Summary::of_period(self, self.instant_at(start, zone), self.instant_at(end, zone), targets)
    }

    /// [`summary_of_period`](Self::summary_of_period) between instants on the series' clock.
    pub(crate) fn period_summary(&self, start: i64, end: i64, targets: &Targets) -> Summary {
        Summary::of_period(self, start, end, targets)
    }

    /// The readings with `start <= time < end`, with the missing values and duplicates that fell in the same
    /// interval; an empty interval gives an empty view.
    ///
    /// `start` and `end` are instants. A zoneless series' wall-clock is read as `zone`'s (the clinic's): the
    /// instant's wall-clock time in `zone` is looked up on the series' clock. A series with a
    /// [`time_zone`](Self::time_zone) compares instants as they are, whatever `zone`.
    ///
    /// ```
    /// use jiff::civil::date;
    /// use jiff::tz::TimeZone;
    /// use pumppath::cgm::{Series, SeriesOptions};
    /// use pumppath::glucose::Unit;
    ///
    /// // Wall-clock readings at 08:00, 09:00 and 10:00 on a clock in Chicago (no zone given).
    /// let readings = (8..11).map(|h| (date(2026, 7, 1).at(h, 0, 0, 0), 120.0));
    /// let series = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default())?;
    /// let chicago = TimeZone::get("America/Chicago")?;
    /// // 13:00-15:00 UTC is 08:00-10:00 in Chicago: the first two readings.
    /// let view = series.view().window("2026-07-01T13:00:00Z".parse()?, "2026-07-01T15:00:00Z".parse()?, &chicago);
    /// assert_eq!(view.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn window(&self, start: Timestamp, end: Timestamp, zone: &TimeZone) -> SeriesView<'a> {
        self.window_seconds(self.instant_at(start, zone), self.instant_at(end, zone))
    }

    /// [`window`](Self::window) between instants on the series' clock.
    pub(crate) fn window_seconds(&self, start: i64, end: i64) -> SeriesView<'a> {
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
            Some(&last) => self.window_seconds(
                last.saturating_sub(i64::from(days) * SECONDS_PER_DAY).saturating_add(1),
                last.saturating_add(1),
            ),
            None => *self,
        }
    }

    /// The consensus summary of these readings ([`Summary`]): the one way to compute it.
    pub fn summary(&self, targets: &Targets) -> Summary {
        Summary::of(self, targets)
    }

    /// The AGP profile: percentiles by time of day in bins of `bin_minutes` ([`Agp`]).
    pub fn agp(&self, bin_minutes: u32) -> Result<Agp, SeriesError> {
        Agp::of(self, bin_minutes)
    }

    /// The consensus hypo- and hyperglycaemic episodes of these readings ([`Episodes`]).
    pub fn episodes(&self) -> Episodes {
        Episodes::of(self)
    }

    /// R iglu's CGM wear of these readings ([`Wear`]); `None` with fewer than two readings.
    pub fn wear(&self) -> Option<Wear> {
        Wear::of(self)
    }

    /// The unit of the values.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The sensor range the series was built with.
    pub fn sensor_range(&self) -> SensorRange {
        self.sensor_range
    }

    /// The times, strictly increasing: instants, Unix seconds on the series' clock (see
    /// [`Series`](super::Series)).
    pub fn times(&self) -> &'a [i64] {
        self.times
    }

    /// The seconds from each reading to the next. The times are increasing and within the years ±9999, so a
    /// plain difference cannot overflow; without the saturating test the loops over it vectorise.
    pub(crate) fn intervals(&self) -> impl Iterator<Item = i64> + 'a {
        self.times.windows(2).map(|pair| pair[1] - pair[0])
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

    /// The readings' time zone; `None` for a zoneless series (see [`Series::time_zone`](super::Series::time_zone)).
    pub fn time_zone(&self) -> Option<&'a TimeZone> {
        self.clock.zone
    }

    /// The clock the instants are read on.
    pub(crate) fn clock(&self) -> Clock<'a> {
        self.clock
    }

    /// The local wall-clock time of an instant of this series, as every output (summary, episodes, evidence,
    /// readings) shows it: the instant's civil time in the series' zone, or on a zoneless series' clock (its
    /// wall-clock as given). Times outside the years -9999 to 9999 are shown at the calendar's end rather
    /// than failing.
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
        self.clock.civil(seconds)
    }

    /// The instant on the series' clock of the instant `at`, to compare with [`times`](Self::times): "now"
    /// or the pump start.
    ///
    /// A zoned series holds real instants, so this is `at`'s Unix seconds. A zoneless one holds the device's
    /// wall-clock, taken to be `clinic_zone`'s: `at`'s wall-clock time there, read on the series' clock (the
    /// later reading of a time its clock showed twice).
    pub(crate) fn instant_at(&self, at: Timestamp, clinic_zone: &TimeZone) -> i64 {
        match self.clock.zone {
            Some(_) => at.as_second(),
            None => self.clock.latest_instant_of(to_seconds(clinic_zone.to_datetime(at))),
        }
    }
}

/// The positions of the sorted `times` with `start <= time < end`.
fn span(times: &[i64], start: i64, end: i64) -> std::ops::Range<usize> {
    let lo = times.partition_point(|&t| t < start);
    lo..times.partition_point(|&t| t < end).max(lo)
}
