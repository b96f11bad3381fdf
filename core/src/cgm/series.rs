use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::time::{civil_in, instant_of, resolve_zone};
use super::{DuplicatePolicy, SeriesError, SeriesOptions, SeriesView, Summary, from_seconds, to_seconds};
use super::{MAX_SECONDS, MIN_SECONDS};
use crate::glucose::{Classifier, GlucoseError, GlucoseValue, SensorRange, Targets, Unit};

/// A validated CGM series of one patient in one unit: readings sorted by time, one per time.
///
/// Times are given as wall-clock seconds (see [`to_seconds`]) or civil times; values are in the series' unit.
/// Building a series:
/// - with a [`time_zone`](SeriesOptions::time_zone), resolves each wall-clock time to its instant (Unix
///   seconds), the hour the clock repeats in autumn by the input's order (the device's), and stores
///   instants; without one (the default), stores the wall-clock seconds as they are;
/// - sorts unsorted input (stably, so "first" means first in the input);
/// - drops NaN values as missing, counting them and remembering their times;
/// - rejects any other invalid value with an error naming its index (the glucose module's plausible range,
///   10–1,000 mg/dL);
/// - puts sensor "Low"/"High" readings at the limits of the [`SensorRange`];
/// - resolves duplicate times by the [`DuplicatePolicy`] (an error by default), counting them.
///
/// Metrics are computed on a [`SeriesView`]: [`view`](Self::view) for the whole series, or
/// [`window`](Self::window) and [`last_days`](Self::last_days) for a part, without copying.
///
/// ```
/// use pumppath::cgm::{DuplicatePolicy, Series, SeriesOptions};
/// use pumppath::glucose::Unit;
///
/// let options = SeriesOptions { duplicates: DuplicatePolicy::Mean, ..Default::default() };
/// let series = Series::from_slices(
///     Unit::MgDl,
///     &[600, 0, 300, 300, 900],
///     &[130.0, 110.0, 118.0, 122.0, f64::NAN],
///     &options,
/// )?;
/// assert_eq!(series.times(), &[0, 300, 600]);
/// assert_eq!(series.values(), &[110.0, 120.0, 130.0]);
/// assert_eq!((series.missing(), series.duplicates()), (1, 1));
/// # Ok::<(), pumppath::cgm::SeriesError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    unit: Unit,
    sensor_range: SensorRange,
    times: Vec<i64>,
    values: Vec<f64>,
    missing_times: Vec<i64>,
    duplicate_times: Vec<i64>,
    zone: Option<TimeZone>,
}

impl Series {
    /// A series from parallel slices of wall-clock seconds and values in `unit` (NaN = missing).
    ///
    /// This is the path the Python (numpy) and WebAssembly bindings take. It copies the readings once. With a
    /// [`time_zone`](SeriesOptions::time_zone) the times are still the device's wall-clock seconds, in the
    /// device's order; the series then holds their instants.
    pub fn from_slices(
        unit: Unit,
        times: &[i64],
        values: &[f64],
        options: &SeriesOptions,
    ) -> Result<Series, SeriesError> {
        if times.len() != values.len() {
            return Err(SeriesError::LengthMismatch { times: times.len(), values: values.len() });
        }
        let mut builder = SeriesBuilder::new(unit, options, times.len())?;
        for (index, (&time, &value)) in times.iter().zip(values).enumerate() {
            builder.push(time, value).map_err(|e| e.at(index))?;
        }
        builder.finish()
    }

    /// A series from (wall-clock time, value) pairs; a value may be a sensor limit ("Low"/"High").
    ///
    /// ```
    /// use jiff::civil::date;
    /// use pumppath::cgm::{Series, SeriesOptions};
    /// use pumppath::glucose::{GlucoseValue, SensorLimit, Unit};
    ///
    /// let t = date(2026, 3, 2).at(8, 0, 0, 0);
    /// let readings = [
    ///     (t, GlucoseValue::Measured(6.2)),
    ///     (t.checked_add(jiff::SignedDuration::from_mins(5))?, GlucoseValue::Limit(SensorLimit::Low)),
    /// ];
    /// let series = Series::from_readings(Unit::MmolL, readings, &SeriesOptions::default())?;
    /// assert!((series.values()[1] - 2.2203).abs() < 1e-4); // 40 mg/dL, the default sensor's low limit
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_readings<I, V>(
        unit: Unit,
        readings: I,
        options: &SeriesOptions,
    ) -> Result<Series, SeriesError>
    where
        I: IntoIterator<Item = (DateTime, V)>,
        V: Into<GlucoseValue>,
    {
        let readings = readings.into_iter();
        let mut builder = SeriesBuilder::new(unit, options, readings.size_hint().0)?;
        for (index, (time, value)) in readings.enumerate() {
            builder.push_value(to_seconds(time), value.into()).map_err(|e| e.at(index))?;
        }
        builder.finish()
    }

    /// A view of the whole series, on which metrics are computed.
    pub fn view(&self) -> SeriesView<'_> {
        SeriesView::from_parts(
            self.unit,
            self.sensor_range,
            &self.times,
            &self.values,
            &self.missing_times,
            &self.duplicate_times,
            self.zone.as_ref(),
        )
    }

    /// The device's time zone when the series was built with one: its times are then instants (Unix
    /// seconds) rather than wall-clock seconds.
    pub fn time_zone(&self) -> Option<&TimeZone> {
        self.zone.as_ref()
    }

    /// The readings with `start <= time < end` (series seconds: wall-clock, or instants with a zone), as a
    /// view; see [`SeriesView::window`].
    pub fn window(&self, start: i64, end: i64) -> SeriesView<'_> {
        self.view().window(start, end)
    }

    /// The summary of the fixed period (`start`, `end`], sufficiency judged over the period; see
    /// [`Summary::of_period`].
    pub fn summary_of_period(&self, start: i64, end: i64, targets: &Targets) -> Summary {
        self.view().summary_of_period(start, end, targets)
    }

    /// The consensus episodes of the whole series ([`Episodes`](super::Episodes)): the owned-handle form
    /// of [`episodes`](super::episodes) that the bindings call.
    pub fn episodes(&self) -> super::Episodes {
        super::Episodes::of(&self.view())
    }

    /// The AGP profile of the whole series in `bin_minutes` bins; see [`SeriesView::agp`].
    pub fn agp(&self, bin_minutes: u32) -> Result<super::Agp, SeriesError> {
        self.view().agp(bin_minutes)
    }

    /// The wear of the whole series ([`Wear`](super::Wear)), `None` with fewer than two readings.
    pub fn wear(&self) -> Option<super::Wear> {
        super::Wear::of(&self.view())
    }

    /// The readings of the last `days` days up to the last reading; see [`SeriesView::last_days`].
    pub fn last_days(&self, days: u32) -> SeriesView<'_> {
        self.view().last_days(days)
    }

    /// The consensus summary of the whole series; see [`Summary`].
    pub fn summary(&self, targets: &Targets) -> Summary {
        self.view().summary(targets)
    }

    /// The unit of the values.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The times, strictly increasing: wall-clock seconds, or Unix seconds (instants) with a
    /// [`time_zone`](Self::time_zone).
    pub fn times(&self) -> &[i64] {
        &self.times
    }

    /// The values, in [`unit`](Self::unit), one per time.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The number of readings (after dropping missing values and resolving duplicates).
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether the series has no reading.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// The number of missing (NaN) values dropped.
    pub fn missing(&self) -> usize {
        self.missing_times.len()
    }

    /// The number of readings merged away as duplicates of a time.
    pub fn duplicates(&self) -> usize {
        self.duplicate_times.len()
    }

    /// The readings as (local wall-clock time, value) pairs; with a zone, the repeated autumn hour shows
    /// twice, in order.
    pub fn readings(&self) -> impl Iterator<Item = (DateTime, f64)> + '_ {
        let view = self.view();
        self.times.iter().zip(&self.values).map(move |(&t, &v)| (view.civil(t), v))
    }
}

/// Why one reading could not be added; the caller adds where it was (an index, a line).
#[derive(Debug)]
pub(crate) enum PushError {
    Value(GlucoseError),
    TimeOutOfRange(i64),
}

impl PushError {
    pub(crate) fn at(self, index: usize) -> SeriesError {
        match self {
            PushError::Value(source) => SeriesError::InvalidValue { index, source },
            PushError::TimeOutOfRange(seconds) => SeriesError::TimeOutOfRange { index: Some(index), seconds },
        }
    }
}

/// Collects readings one at a time and makes a [`Series`]: the shared path of the constructors and readers.
///
/// Readings must be pushed in the input's order (the device's): with a zone, the repeated autumn hour is
/// resolved by it, before the builder sorts.
#[derive(Clone)]
pub(crate) struct SeriesBuilder {
    unit: Unit,
    sensor_range: SensorRange,
    duplicates: DuplicatePolicy,
    zone: Option<TimeZone>,
    /// Whether pushed times are instants already (the epoch path), not wall-clock seconds to resolve.
    instants: bool,
    /// The instant the previous reading (in input order) resolved to, with a zone.
    previous: Option<i64>,
    classifier: Classifier,
    times: Vec<i64>,
    values: Vec<f64>,
    missing_times: Vec<i64>,
    sorted: bool,
}

impl SeriesBuilder {
    /// A builder for `options`; an unknown time zone is [`SeriesError::UnknownTimeZone`].
    pub(crate) fn new(
        unit: Unit,
        options: &SeriesOptions,
        capacity: usize,
    ) -> Result<SeriesBuilder, SeriesError> {
        Ok(SeriesBuilder {
            unit,
            sensor_range: options.sensor_range,
            duplicates: options.duplicates,
            zone: resolve_zone(options.time_zone.as_deref())?,
            instants: false,
            previous: None,
            // Only the plausible range matters here; the targets' cut-points are not used.
            classifier: Classifier::new(&Targets::default(), unit),
            times: Vec::with_capacity(capacity),
            values: Vec::with_capacity(capacity),
            missing_times: Vec::new(),
            sorted: true,
        })
    }

    /// A builder whose pushed times are instants (Unix seconds): the epoch path. The zone (UTC without one)
    /// only says which wall-clock the outputs show.
    pub(crate) fn for_instants(
        unit: Unit,
        options: &SeriesOptions,
        capacity: usize,
    ) -> Result<SeriesBuilder, SeriesError> {
        let mut builder = SeriesBuilder::new(unit, options, capacity)?;
        builder.zone = Some(builder.zone.take().unwrap_or(TimeZone::UTC));
        builder.instants = true;
        Ok(builder)
    }

    /// Adds a measured value (NaN = missing) at wall-clock seconds `time`.
    #[inline]
    pub(crate) fn push(&mut self, time: i64, value: f64) -> Result<(), PushError> {
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&time) {
            return Err(PushError::TimeOutOfRange(time));
        }
        let time = match &self.zone {
            None => time,
            Some(_) if self.instants => time,
            Some(zone) => {
                let instant = instant_of(zone, time, self.previous).ok_or(PushError::TimeOutOfRange(time))?;
                self.previous = Some(instant);
                instant
            }
        };
        if value.is_nan() {
            self.missing_times.push(time);
            return Ok(());
        }
        self.classifier.validate(value).map_err(PushError::Value)?;
        if self.times.last().is_some_and(|&last| last > time) {
            self.sorted = false;
        }
        self.times.push(time);
        self.values.push(value);
        Ok(())
    }

    /// Adds a measured value or a sensor limit, which stands at the limit of the sensor range.
    pub(crate) fn push_value(&mut self, time: i64, value: GlucoseValue) -> Result<(), PushError> {
        self.push(time, value.numeric(self.unit, &self.sensor_range))
    }

    pub(crate) fn finish(mut self) -> Result<Series, SeriesError> {
        if !self.sorted {
            let mut order: Vec<usize> = (0..self.times.len()).collect();
            order.sort_by_key(|&i| self.times[i]); // stable: equal times keep their input order
            self.times = order.iter().map(|&i| self.times[i]).collect();
            self.values = order.iter().map(|&i| self.values[i]).collect();
        }
        self.missing_times.sort_unstable();
        let duplicate_times = self.merge_duplicates()?;
        Ok(Series {
            unit: self.unit,
            sensor_range: self.sensor_range,
            times: self.times,
            values: self.values,
            missing_times: self.missing_times,
            duplicate_times,
            zone: self.zone,
        })
    }

    /// Merges runs of equal times in place per the policy; returns the times of the readings merged away.
    fn merge_duplicates(&mut self) -> Result<Vec<i64>, SeriesError> {
        let mut duplicate_times = Vec::new();
        let n = self.times.len();
        let (mut read, mut write) = (0, 0);
        while read < n {
            let time = self.times[read];
            let mut end = read + 1;
            while end < n && self.times[end] == time {
                end += 1;
            }
            let count = end - read;
            let value = if count == 1 {
                self.values[read]
            } else {
                match self.duplicates {
                    DuplicatePolicy::Error => {
                        return Err(match (&self.zone, from_seconds(time)) {
                            // With a zone, the instant is named by its local wall-clock time.
                            (Some(zone), _) => {
                                SeriesError::DuplicateTime { time: civil_in(Some(zone), time), count }
                            }
                            (None, Ok(time)) => SeriesError::DuplicateTime { time, count },
                            (None, Err(e)) => e,
                        });
                    }
                    DuplicatePolicy::KeepFirst => self.values[read],
                    DuplicatePolicy::Mean => self.values[read..end].iter().sum::<f64>() / count as f64,
                }
            };
            duplicate_times.extend(std::iter::repeat_n(time, count - 1));
            self.times[write] = time;
            self.values[write] = value;
            write += 1;
            read = end;
        }
        self.times.truncate(write);
        self.values.truncate(write);
        Ok(duplicate_times)
    }
}
