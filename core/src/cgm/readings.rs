//! Readings as the bindings and the wire give them: epoch instants in seconds, milliseconds or nanoseconds,
//! sensor "Low"/"High" markers beside the values, long-form tables of many patients, and the columnar JSON
//! form.
//!
//! **The time basis.** On these paths times are *instants* (Unix epoch, UTC), as numpy's `datetime64[ns]`,
//! JavaScript's `Date.getTime()` milliseconds and every FHIR or database timestamp are. The optional IANA
//! `time_zone` (the bundled tzdb, so every platform agrees) says which local wall-clock the outputs show
//! (summary `first`/`last`, episode times, AGP time of day); without it the wall-clock is UTC's. Outputs that
//! hold a civil time without an offset are the readings' local wall-clock; instants are RFC 3339 with `Z`.
//! The columnar JSON also carries zoneless wall-clock readings (`wall_clock_times`), so that every series,
//! zoned or not, survives its JSON round trip.

use serde::{Deserialize, Serialize};

use super::{DuplicatePolicy, Series, SeriesError, SeriesOptions, SeriesView};
use crate::glucose::{GlucoseValue, SensorLimit, SensorRange, Unit};
use crate::problem::{Problem, ProblemCode};
use crate::wire::wire_enum;

wire_enum! {
    /// The unit of epoch times: JavaScript counts milliseconds, Arrow often microseconds, numpy's
    /// `datetime64[ns]` nanoseconds.
    pub enum TimeScale {
        /// Seconds since the Unix epoch.
        Seconds => "seconds",
        /// Milliseconds since the Unix epoch (JavaScript).
        Milliseconds => "milliseconds",
        /// Microseconds since the Unix epoch (Arrow and Parquet timestamps, pyarrow's default from pandas).
        Microseconds => "microseconds",
        /// Nanoseconds since the Unix epoch (numpy `datetime64[ns]`, pandas).
        Nanoseconds => "nanoseconds",
    }
}

impl TimeScale {
    /// The whole Unix second of an epoch time in this scale (fractions of a second are dropped: CGMs record
    /// whole seconds).
    pub const fn to_unix_seconds(self, time: i64) -> i64 {
        match self {
            TimeScale::Seconds => time,
            TimeScale::Milliseconds => time.div_euclid(1_000),
            TimeScale::Microseconds => time.div_euclid(1_000_000),
            TimeScale::Nanoseconds => time.div_euclid(1_000_000_000),
        }
    }

    /// The epoch time in this scale of a Unix second (saturating at `i64`'s range).
    pub const fn from_unix_seconds(self, seconds: i64) -> i64 {
        match self {
            TimeScale::Seconds => seconds,
            TimeScale::Milliseconds => seconds.saturating_mul(1_000),
            TimeScale::Microseconds => seconds.saturating_mul(1_000_000),
            TimeScale::Nanoseconds => seconds.saturating_mul(1_000_000_000),
        }
    }
}

/// Times given as floating-point milliseconds, as JavaScript holds them (`Date.getTime()`, a `Float64Array`),
/// as whole milliseconds (a fraction dropped toward earlier): the path of the WASM bindings, before
/// [`Series::from_epoch`] or, divided into seconds, [`Series::from_slices`]. A NaN or an infinity is
/// [`SeriesError::NonFiniteTime`] naming its index; a number beyond `i64` saturates, and the series then
/// reports it as [`SeriesError::TimeOutOfRange`].
///
/// ```
/// use pumppath::cgm::{SeriesError, milliseconds_of};
///
/// assert_eq!(milliseconds_of(&[1_772_431_320_000.0, 1_772_431_620_000.7])?, [1_772_431_320_000, 1_772_431_620_000]);
/// let err = milliseconds_of(&[0.0, f64::NAN]).unwrap_err();
/// assert_eq!(err.to_string(), "times[1] = NaN: not a finite number of milliseconds");
/// assert_eq!(err.problems()[0].path, "$.times[1]");
/// # Ok::<(), SeriesError>(())
/// ```
pub fn milliseconds_of(times: &[f64]) -> Result<Vec<i64>, SeriesError> {
    times
        .iter()
        .enumerate()
        .map(|(index, &value)| {
            if value.is_finite() {
                // `as` saturates at i64's range; such a time is out of the years the series takes.
                Ok(value.floor() as i64)
            } else {
                Err(SeriesError::NonFiniteTime { index, value })
            }
        })
        .collect()
}

/// One patient's series, named: what long-form input and the CSV readers give per patient.
#[derive(Clone, Debug, PartialEq)]
pub struct PatientSeries {
    /// The patient's id as given.
    pub id: String,
    /// The patient's readings.
    pub series: Series,
}

/// The columnar JSON form of a patient's readings: what golden files, the web page and the one-document
/// [`evaluate_json`](crate::rules::evaluate_json) carry. [`Series::to_json`] writes it and
/// [`Series::from_json`] reads it back to an equal series.
///
/// ```json
/// {"unit": "mg/dL", "time_scale": "milliseconds", "time_zone": "America/Chicago",
///  "times": [1772431320000, 1772431620000, 1772431920000], "values": [112, null, 40],
///  "limits": [null, null, "low"]}
/// ```
///
/// The times are one of two kinds, each in its own field, in `time_scale` (default milliseconds):
/// - `times`: epoch instants (UTC). `time_zone` is the IANA zone whose wall-clock the outputs show (default
///   UTC).
/// - `wall_clock_times`: the device's wall-clock times encoded as if UTC (1970-01-01T00:00 is 0), in the
///   device's order, as [`Series::from_slices`] takes them: resolved in `time_zone` when given, else a zoneless
///   series (its wall-clock read as UTC, the clock's set-backs seen in the order; see [`Series`]).
///
/// Give one of them. `values` are in `unit`, `null` for a missing reading; `limits`, when given, has one entry
/// per reading: `"low"` or `"high"` where the sensor reported beyond its range (the value is then ignored and
/// may be `null`), else `null`. `merged`, when given, has one entry per reading: how many readings of the
/// same time the duplicates policy merged into it (a series written after merging keeps its count of
/// duplicates). `duplicates` and `sensor_range` are the [`SeriesOptions`]. Unknown fields are errors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ColumnarReadings {
    /// The unit of the values.
    pub unit: Unit,
    /// The unit of the times (default `milliseconds`).
    #[serde(default = "milliseconds")]
    pub time_scale: TimeScale,
    /// The IANA time zone of the readings' wall-clock (default: UTC for `times`, none for
    /// `wall_clock_times`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Epoch instants (UTC), one per reading; empty when `wall_clock_times` are given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<i64>,
    /// The device's wall-clock times encoded as if UTC, one per reading, in the device's order; empty when
    /// `times` are given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wall_clock_times: Vec<i64>,
    /// Values in `unit`, `null` where missing.
    pub values: Vec<Option<f64>>,
    /// Sensor limits, one per reading, `null` where the value stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Vec<Option<SensorLimit>>>,
    /// Readings of the same time merged into each reading, one per reading (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged: Option<Vec<u32>>,
    /// What to do with readings that share a time (default `error`).
    #[serde(default, skip_serializing_if = "is_default_policy")]
    pub duplicates: DuplicatePolicy,
    /// The sensor's measuring range (default 40–400 mg/dL).
    #[serde(default, skip_serializing_if = "is_default_range")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    pub sensor_range: SensorRange,
}

fn milliseconds() -> TimeScale {
    TimeScale::Milliseconds
}

fn is_default_policy(p: &DuplicatePolicy) -> bool {
    *p == DuplicatePolicy::default()
}

fn is_default_range(r: &SensorRange) -> bool {
    *r == SensorRange::default()
}

impl Series {
    /// A series from parallel slices of epoch instants (in `scale`) and values in `unit` (NaN = missing), with
    /// optional sensor limits (`limits[i]` = `Some(Low | High)` where the sensor reported beyond its range; an
    /// empty slice for none): the path of numpy arrays and JavaScript typed arrays.
    /// [`time_zone`](SeriesOptions::time_zone) names the wall-clock the outputs show (UTC without it).
    ///
    /// ```
    /// use pumppath::cgm::{Series, SeriesOptions, TimeScale};
    /// use pumppath::glucose::{SensorLimit, Unit};
    ///
    /// // 2026-03-02 06:02, 06:07 and 06:12 UTC, as JavaScript milliseconds; the third is the sensor's "Low".
    /// let times = [1_772_431_320_000, 1_772_431_620_000, 1_772_431_920_000];
    /// let limits = [None, None, Some(SensorLimit::Low)];
    /// let options = SeriesOptions { time_zone: Some("America/Chicago".into()), ..Default::default() };
    /// let series =
    ///     Series::from_epoch(Unit::MgDl, &times, TimeScale::Milliseconds, &[112.0, 118.0, f64::NAN], &limits, &options)?;
    /// assert_eq!(series.values(), &[112.0, 118.0, 40.0]);
    /// assert_eq!(series.view().first_time().unwrap().to_string(), "2026-03-02T00:02:00"); // Chicago
    /// # Ok::<(), pumppath::cgm::SeriesError>(())
    /// ```
    pub fn from_epoch(
        unit: Unit,
        times: &[i64],
        scale: TimeScale,
        values: &[f64],
        limits: &[Option<SensorLimit>],
        options: &SeriesOptions,
    ) -> Result<Series, SeriesError> {
        if times.len() != values.len() {
            return Err(SeriesError::LengthMismatch { times: times.len(), values: values.len() });
        }
        if !limits.is_empty() && limits.len() != values.len() {
            return Err(SeriesError::LengthMismatch { times: times.len(), values: limits.len() });
        }
        let mut builder = super::series::SeriesBuilder::for_instants(unit, options, times.len())?;
        for (index, (&time, &value)) in times.iter().zip(values).enumerate() {
            let value = match limits.get(index).copied().flatten() {
                Some(limit) => GlucoseValue::Limit(limit),
                None => GlucoseValue::Measured(value),
            };
            builder.push_value(scale.to_unix_seconds(time), value).map_err(|e| e.at(index))?;
        }
        builder.finish()
    }

    /// One series per patient from a long-form table (`ids[i]`, `times[i]`, `values[i]`), as a DataFrame holds
    /// it: grouped in core, so no binding groups in Python or JavaScript. Patients come back in the order they
    /// first appear; each patient's rows keep their order (the device's). Times are epoch instants in `scale`;
    /// `limits` marks the sensor's "Low"/"High" rows as in [`Series::from_epoch`] (empty for none).
    ///
    /// ```
    /// use pumppath::cgm::{Series, SeriesOptions, TimeScale};
    /// use pumppath::glucose::Unit;
    ///
    /// let ids = ["b", "a", "b", "a"];
    /// let times = [0, 0, 300, 300];
    /// let values = [150.0, 100.0, 160.0, 110.0];
    /// let patients =
    ///     Series::from_long(Unit::MgDl, &ids, &times, TimeScale::Seconds, &values, &[], &SeriesOptions::default())?;
    /// assert_eq!(patients.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
    /// assert_eq!(patients[1].series.values(), &[100.0, 110.0]);
    /// # Ok::<(), pumppath::cgm::SeriesError>(())
    /// ```
    pub fn from_long<S: AsRef<str>>(
        unit: Unit,
        ids: &[S],
        times: &[i64],
        scale: TimeScale,
        values: &[f64],
        limits: &[Option<SensorLimit>],
        options: &SeriesOptions,
    ) -> Result<Vec<PatientSeries>, SeriesError> {
        same_lengths(ids, times, values)?;
        if !limits.is_empty() && limits.len() != values.len() {
            return Err(SeriesError::LengthMismatch { times: times.len(), values: limits.len() });
        }
        let template = super::series::SeriesBuilder::for_instants(unit, options, 0)?;
        group(template, ids, times, scale, values, limits)
    }

    /// One series per patient from a long-form table whose times are the devices' wall-clock times
    /// ([`to_seconds`](super::to_seconds)'s encoding: numpy `datetime64` of naive times), as
    /// [`from_slices`](Self::from_slices) takes one patient's: each patient's rows in the device's order, resolved
    /// in [`time_zone`](SeriesOptions::time_zone) when given, else a zoneless series. Grouped as
    /// [`from_long`](Self::from_long) groups.
    ///
    /// ```
    /// use pumppath::cgm::{Series, SeriesOptions};
    /// use pumppath::glucose::Unit;
    ///
    /// let ids = ["b", "a", "b"];
    /// let patients =
    ///     Series::from_long_wall_clock(Unit::MgDl, &ids, &[0, 0, 300], &[150.0, 100.0, 160.0], &SeriesOptions::default())?;
    /// assert_eq!(patients[0].id, "b");
    /// assert_eq!(patients[0].series.view().civil(patients[0].series.times()[1]).to_string(), "1970-01-01T00:05:00");
    /// assert!(patients[0].series.time_zone().is_none()); // zoneless, as from_slices without a zone
    /// # Ok::<(), pumppath::cgm::SeriesError>(())
    /// ```
    pub fn from_long_wall_clock<S: AsRef<str>>(
        unit: Unit,
        ids: &[S],
        times: &[i64],
        values: &[f64],
        options: &SeriesOptions,
    ) -> Result<Vec<PatientSeries>, SeriesError> {
        same_lengths(ids, times, values)?;
        let template = super::series::SeriesBuilder::new(unit, options, 0)?;
        group(template, ids, times, TimeScale::Seconds, values, &[])
    }

    /// A series from its columnar JSON form ([`ColumnarReadings`]); errors name the field or the reading.
    pub fn from_json(json: &str) -> Result<Series, SeriesError> {
        let columns: ColumnarReadings =
            crate::fields::read_str(json, "$").map_err(|problems| SeriesError::InvalidJson { problems })?;
        Series::from_columnar(&columns)
    }

    /// The CGM report of a columnar readings document as JSON, `{"summary": ..., "episodes": ...}`: the
    /// consensus summary under the standard targets and the episodes, what the bindings'
    /// `cgm_report_json`/`cgmReportJson` give and the golden cases compare byte for byte.
    ///
    /// ```
    /// use pumppath::cgm::Series;
    ///
    /// let report = Series::report_json(r#"{"unit": "mg/dL", "times": [0, 300000], "values": [100, 50]}"#)?;
    /// let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    /// assert_eq!(report["summary"]["readings"], 2);
    /// assert_eq!(report["episodes"]["unit"], "mg/dL");
    /// # Ok::<(), pumppath::cgm::SeriesError>(())
    /// ```
    pub fn report_json(json: &str) -> Result<String, SeriesError> {
        #[derive(Serialize)]
        struct Report {
            summary: super::Summary,
            episodes: super::Episodes,
        }
        let series = Series::from_json(json)?;
        let view = series.view();
        let report =
            Report { summary: view.summary(&crate::glucose::Targets::default()), episodes: view.episodes() };
        // Plain data with string keys: writing it cannot fail.
        Ok(serde_json::to_string(&report).unwrap_or_default())
    }

    /// A series from its columnar form; see [`ColumnarReadings`].
    pub fn from_columnar(c: &ColumnarReadings) -> Result<Series, SeriesError> {
        let (times, wall_clock) = match (c.times.is_empty(), c.wall_clock_times.is_empty()) {
            // No readings and no zone: a zoneless series (a zoned one always names its zone).
            (true, true) if c.time_zone.is_none() => (&c.wall_clock_times, true),
            (_, true) => (&c.times, false),
            (true, false) => (&c.wall_clock_times, true),
            (false, false) => {
                let message = format!(
                    "times has {} entries and wall_clock_times {}: give the readings' times once, as epoch \
                     instants (times) or as the device's wall-clock (wall_clock_times)",
                    c.times.len(),
                    c.wall_clock_times.len()
                );
                let problem = Problem::new("$.wall_clock_times", ProblemCode::Inconsistent, message);
                return Err(SeriesError::InvalidJson { problems: vec![problem] });
            }
        };
        let n = c.values.len();
        if times.len() != n {
            return Err(SeriesError::LengthMismatch { times: times.len(), values: n });
        }
        let limits = c.limits.as_deref().filter(|l| !l.is_empty());
        for column in [limits.map(<[_]>::len), c.merged.as_ref().map(Vec::len)].into_iter().flatten() {
            if column != n {
                return Err(SeriesError::LengthMismatch { times: times.len(), values: column });
            }
        }
        let options = SeriesOptions {
            duplicates: c.duplicates,
            sensor_range: c.sensor_range,
            time_zone: c.time_zone.clone(),
        };
        let mut builder = if wall_clock {
            super::series::SeriesBuilder::new(c.unit, &options, n)?
        } else {
            super::series::SeriesBuilder::for_instants(c.unit, &options, n)?
        };
        for (index, (&time, value)) in times.iter().zip(&c.values).enumerate() {
            let value = match limits.and_then(|l| l[index]) {
                Some(limit) => GlucoseValue::Limit(limit),
                None => GlucoseValue::Measured(value.unwrap_or(f64::NAN)),
            };
            builder.push_value(c.time_scale.to_unix_seconds(time), value).map_err(|e| e.at(index))?;
            if let Some(&merged) = c.merged.as_ref().and_then(|m| m.get(index)) {
                builder.note_merged(merged);
            }
        }
        builder.finish()
    }

    /// The series in columnar form, times in `scale`: the readings kept and the missing ones (`null`), in time
    /// order, with the count of readings merged into each; sensor limits as the values they stand at. A
    /// zoned series writes its instants (`times`) and zone; a zoneless one its wall-clock times
    /// (`wall_clock_times`), whose order shows its clock's set-backs again.
    pub fn to_columnar(&self, scale: TimeScale) -> ColumnarReadings {
        let view: SeriesView<'_> = self.view();
        let mut rows: Vec<(i64, Option<f64>)> =
            view.times().iter().zip(view.values()).map(|(&t, &v)| (t, Some(v))).collect();
        rows.extend(view.missing_times().iter().map(|&t| (t, None)));
        rows.sort_by_key(|&(t, _)| t); // stable: a reading before a missing value at the same time
        let duplicates = self.duplicate_times();
        let merged: Vec<u32> = rows
            .iter()
            .map(|&(t, v)| match v {
                Some(_) => {
                    let from = duplicates.partition_point(|&d| d < t);
                    let to = duplicates.partition_point(|&d| d <= t);
                    u32::try_from(to - from).unwrap_or(u32::MAX)
                }
                None => 0,
            })
            .collect();
        let clock = self.clock();
        let zoned = self.time_zone().is_some();
        let times: Vec<i64> = rows
            .iter()
            .map(|&(t, _)| scale.from_unix_seconds(if zoned { t } else { clock.local_seconds(t) }))
            .collect();
        let (times, wall_clock_times) = if zoned { (times, Vec::new()) } else { (Vec::new(), times) };
        ColumnarReadings {
            unit: self.unit(),
            time_scale: scale,
            time_zone: self.time_zone().and_then(|z| z.iana_name()).map(str::to_owned),
            times,
            wall_clock_times,
            values: rows.iter().map(|&(_, v)| v).collect(),
            limits: None,
            merged: merged.iter().any(|&m| m > 0).then_some(merged),
            duplicates: DuplicatePolicy::default(),
            sensor_range: view.sensor_range(),
        }
    }

    /// The series as columnar JSON, times in milliseconds.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_columnar(TimeScale::Milliseconds)).unwrap_or_default()
    }
}

/// The rows of a long-form table grouped by patient, each patient's pushed in order onto a copy of `template`;
/// the lengths are checked by the caller.
fn group<S: AsRef<str>>(
    template: super::series::SeriesBuilder,
    ids: &[S],
    times: &[i64],
    scale: TimeScale,
    values: &[f64],
    limits: &[Option<SensorLimit>],
) -> Result<Vec<PatientSeries>, SeriesError> {
    let mut patients: Vec<(String, super::series::SeriesBuilder)> = Vec::new();
    let mut index_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (row, ((id, &time), &value)) in ids.iter().zip(times).zip(values).enumerate() {
        let id = id.as_ref();
        // Rows of one patient usually come together: look the id up only when it changes.
        let at = match patients.last() {
            Some((last, _)) if last == id => patients.len() - 1,
            _ => *index_of.entry(id).or_insert_with(|| {
                patients.push((id.to_owned(), template.clone()));
                patients.len() - 1
            }),
        };
        let value = match limits.get(row).copied().flatten() {
            Some(limit) => GlucoseValue::Limit(limit),
            None => GlucoseValue::Measured(value),
        };
        patients[at].1.push_value(scale.to_unix_seconds(time), value).map_err(|e| e.at(row))?;
    }
    patients
        .into_iter()
        .map(|(id, builder)| match builder.finish() {
            Ok(series) => Ok(PatientSeries { id, series }),
            Err(source) => Err(SeriesError::Patient { id, source: Box::new(source) }),
        })
        .collect()
}

/// A long-form table's columns must have one entry per reading.
fn same_lengths<S>(ids: &[S], times: &[i64], values: &[f64]) -> Result<(), SeriesError> {
    if ids.len() != values.len() || times.len() != values.len() {
        return Err(SeriesError::LengthMismatch { times: times.len().min(ids.len()), values: values.len() });
    }
    Ok(())
}
