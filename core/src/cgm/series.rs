use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::time::{Clock, SET_BACK_SECONDS, instant_of, is_set_back, resolve_zone};
use super::{DuplicatePolicy, SeriesError, SeriesOptions, SeriesView, to_seconds};
use super::{MAX_SECONDS, MIN_SECONDS};
use crate::glucose::{Classifier, GlucoseError, GlucoseValue, SensorRange, Targets, Unit};

/// A validated CGM series of one patient in one unit: readings sorted by time, one per time.
///
/// **One kind of time: instants.** A series holds Unix seconds on its clock ([`times`](Self::times)): its
/// [`time_zone`](Self::time_zone), or, for wall-clock readings given without one, UTC (R iglu's reading, so the
/// metrics stay iglu's) with the device's clock set back an hour wherever the readings' order shows it. Every
/// time shown (summary, episodes, evidence, [`readings`](Self::readings)) is the clock's local wall-clock time;
/// windows are asked for by instant plus zone ([`SeriesView::window`]).
///
/// Times come in as wall-clock times ([`from_slices`](Self::from_slices), [`from_readings`](Self::from_readings),
/// the CSV readers: the device's clock, in the device's order) or as instants
/// ([`from_epoch`](Self::from_epoch), [`from_json`](Self::from_json)). Building a series:
/// - reads wall-clock times in the device's order, so that no reading of the hour a clock repeats in autumn is
///   lost or averaged: with a [`time_zone`](SeriesOptions::time_zone), by the zone's fold plus that order
///   (see [`SeriesOptions::time_zone`]); without one, by that order alone: a step back of the wall clock by
///   more than 15 minutes and less than an hour, in readings otherwise in time order, is the clock set back an
///   hour, and the readings after it are an hour later than their wall-clock time read as UTC;
/// - sorts unsorted input (stably, so "first" means first in the input);
/// - drops NaN values as missing, counting them and remembering their times;
/// - rejects any other invalid value with an error naming its index (the glucose module's plausible range,
///   10–1,000 mg/dL);
/// - puts sensor "Low"/"High" readings at the limits of the [`SensorRange`];
/// - resolves duplicate times by the [`DuplicatePolicy`] (an error by default), counting them.
///
/// Metrics are computed on a [`SeriesView`]: [`view`](Self::view) for the whole series, or
/// [`SeriesView::window`] and [`SeriesView::last_days`] for a part, without copying.
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
    /// A zoneless series' clock set-backs: the instants from which its clock shows an hour less.
    set_backs: Vec<i64>,
}

impl Series {
    /// A series from parallel slices of wall-clock seconds ([`to_seconds`]) and values in `unit` (NaN =
    /// missing), in the device's order; the series holds their instants (see [`Series`]).
    ///
    /// It copies the readings once. Epoch instants (numpy `datetime64`, JavaScript milliseconds) go through
    /// [`from_epoch`](Self::from_epoch).
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
            self.clock(),
        )
    }

    /// The clock the series' instants are read on.
    pub(crate) fn clock(&self) -> Clock<'_> {
        Clock { zone: self.zone.as_ref(), set_backs: &self.set_backs }
    }

    /// The time zone of the readings, when they were given with one (or as instants, UTC by default);
    /// `None` for wall-clock readings given without one, whose instants read their wall-clock as UTC (see
    /// [`Series`]). [`evaluate`](crate::rules::evaluate) reads a zoneless series' wall-clock as the clinic's.
    pub fn time_zone(&self) -> Option<&TimeZone> {
        self.zone.as_ref()
    }

    /// The unit of the values.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The times, strictly increasing: instants, Unix seconds on the series' clock (see [`Series`]).
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

    /// The readings as (local wall-clock time, value) pairs, in time order: the repeated autumn hour shows
    /// twice, as the device showed it.
    pub fn readings(&self) -> impl Iterator<Item = (DateTime, f64)> + '_ {
        let clock = self.clock();
        self.times.iter().zip(&self.values).map(move |(&t, &v)| (clock.civil(t), v))
    }

    /// The times of the readings merged away as duplicates, sorted.
    pub(crate) fn duplicate_times(&self) -> &[i64] {
        &self.duplicate_times
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
/// Readings must be pushed in the input's order (the device's): the repeated autumn hour is resolved by it,
/// before the builder sorts.
#[derive(Clone)]
pub(crate) struct SeriesBuilder {
    unit: Unit,
    sensor_range: SensorRange,
    duplicates: DuplicatePolicy,
    zone: Option<TimeZone>,
    /// Whether pushed times are instants already (the epoch path), not wall-clock seconds to resolve.
    instants: bool,
    /// The instant the previous reading (in input order) resolved to and its offset, with a zone.
    previous: Option<(i64, i64)>,
    /// Without a zone: the previous wall-clock time pushed (readings and missing values alike).
    previous_wall: Option<i64>,
    /// Without a zone: where the clock was set back, as (readings, missing values) pushed before it and the
    /// wall-clock time of the first reading after it.
    set_backs: Vec<(usize, usize, i64)>,
    /// Without a zone: whether the input is in time order apart from the set-backs.
    in_order: bool,
    /// Readings already merged before they came (columnar `merged`): (position in `times`, count).
    merged: Vec<(usize, u32)>,
    last_was_reading: bool,
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
            previous_wall: None,
            set_backs: Vec::new(),
            in_order: true,
            merged: Vec::new(),
            last_was_reading: false,
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

    /// Adds a measured value (NaN = missing) at `time`: wall-clock seconds, or an instant on the epoch path.
    #[inline]
    pub(crate) fn push(&mut self, time: i64, value: f64) -> Result<(), PushError> {
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&time) {
            return Err(PushError::TimeOutOfRange(time));
        }
        match &self.zone {
            None => {
                // Zoneless wall-clock: a step back of the clock in the device's order is noted here and
                // applied in `finish`, once the whole input is known to be in order otherwise.
                if let Some(previous) = self.previous_wall {
                    if is_set_back(previous - time) {
                        self.set_backs.push((self.times.len(), self.missing_times.len(), time));
                    } else if time < previous {
                        self.in_order = false;
                    }
                }
                self.previous_wall = Some(time);
            }
            Some(_) if self.instants => {}
            Some(zone) => {
                let instant = instant_of(zone, time, self.previous).ok_or(PushError::TimeOutOfRange(time))?;
                self.previous = Some((instant, time - instant));
                return self.push_instant(instant, value);
            }
        }
        self.push_instant(time, value)
    }

    fn push_instant(&mut self, time: i64, value: f64) -> Result<(), PushError> {
        self.last_was_reading = !value.is_nan();
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

    /// Notes that `count` readings of the same time were merged into the reading just pushed (a series'
    /// columnar form keeps its count of duplicates); nothing for a missing value.
    pub(crate) fn note_merged(&mut self, count: u32) {
        if count > 0 && self.last_was_reading {
            self.merged.push((self.times.len() - 1, count));
        }
    }

    /// Adds a measured value or a sensor limit, which stands at the limit of the sensor range.
    pub(crate) fn push_value(&mut self, time: i64, value: GlucoseValue) -> Result<(), PushError> {
        self.push(time, value.numeric(self.unit, &self.sensor_range))
    }

    /// The instants of a zoneless series' set-backs, after moving the readings after each an hour on; none
    /// when the input is out of order otherwise (its steps back are then not read as set-backs).
    fn apply_set_backs(&mut self) -> Vec<i64> {
        if !self.in_order || self.set_backs.is_empty() {
            return Vec::new();
        }
        let mut instants = Vec::with_capacity(self.set_backs.len());
        for (k, &(readings, missing, wall)) in self.set_backs.iter().enumerate() {
            for t in self.times[readings..].iter_mut().chain(&mut self.missing_times[missing..]) {
                *t = t.saturating_add(SET_BACK_SECONDS);
            }
            instants.push(wall.saturating_add((k as i64 + 1) * SET_BACK_SECONDS));
        }
        self.sorted = self.times.windows(2).all(|w| w[0] <= w[1]);
        instants
    }

    pub(crate) fn finish(mut self) -> Result<Series, SeriesError> {
        let set_backs = self.apply_set_backs();
        let merged: Vec<i64> = self
            .merged
            .iter()
            .flat_map(|&(at, count)| std::iter::repeat_n(self.times[at], count as usize))
            .collect();
        if !self.sorted {
            let mut order: Vec<usize> = (0..self.times.len()).collect();
            order.sort_by_key(|&i| self.times[i]); // stable: equal times keep their input order
            self.times = order.iter().map(|&i| self.times[i]).collect();
            self.values = order.iter().map(|&i| self.values[i]).collect();
        }
        self.missing_times.sort_unstable();
        let zone = self.zone.take();
        let clock = Clock { zone: zone.as_ref(), set_backs: &set_backs };
        let mut duplicate_times = self.merge_duplicates(clock)?;
        if !merged.is_empty() {
            duplicate_times.extend(merged);
            duplicate_times.sort_unstable();
        }
        Ok(Series {
            unit: self.unit,
            sensor_range: self.sensor_range,
            times: self.times,
            values: self.values,
            missing_times: self.missing_times,
            duplicate_times,
            zone,
            set_backs,
        })
    }

    /// Merges runs of equal times in place per the policy; returns the times of the readings merged away.
    fn merge_duplicates(&mut self, clock: Clock<'_>) -> Result<Vec<i64>, SeriesError> {
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
                        return Err(SeriesError::DuplicateTime { time: clock.civil(time), count });
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
