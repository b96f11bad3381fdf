use serde::{Deserialize, Serialize};

use crate::glucose::SensorRange;
use crate::wire::wire_enum;

wire_enum! {
    /// What building a [`Series`](super::Series) does with several readings at the same time.
    ///
    /// Wire names: `error`, `keep_first`, `mean`. Whatever the policy, the number of readings merged away is
    /// reported as the series' [`duplicates`](super::SeriesView::duplicates).
    ///
    /// R iglu keeps every duplicate row in its mean and percent metrics and averages consecutive duplicates for
    /// `active_percent` only; pumppath applies one policy to all metrics, and by default refuses to guess.
    #[derive(Default)]
    pub enum DuplicatePolicy {
        /// Duplicate times are an error naming the time (the default).
        #[default]
        Error => "error",
        /// Keep the reading that comes first in the input.
        KeepFirst => "keep_first",
        /// Keep one reading with the mean of the values (iglu's `check_data_time` averages them).
        Mean => "mean",
    }
}

/// How a [`Series`](super::Series) is built from readings.
///
/// ```
/// use pumppath::cgm::{DuplicatePolicy, SeriesOptions};
///
/// let options: SeriesOptions = serde_json::from_str(r#"{"duplicates": "mean"}"#)?;
/// assert_eq!(options.duplicates, DuplicatePolicy::Mean);
/// assert_eq!(options.sensor_range, Default::default()); // 40-400 mg/dL
/// assert_eq!(options.time_zone, None); // wall-clock read as UTC, as R iglu
/// assert!(serde_json::from_str::<SeriesOptions>(r#"{"duplicate": "mean"}"#).is_err());
///
/// let zoned: SeriesOptions = serde_json::from_str(r#"{"time_zone": "America/Chicago"}"#)?;
/// assert_eq!(zoned.time_zone.as_deref(), Some("America/Chicago"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeriesOptions {
    /// What to do with readings that share a time.
    pub duplicates: DuplicatePolicy,
    /// The sensor's measuring range: "Low"/"High" readings stand at its limits, and readings at or beyond them
    /// are counted as [`at_sensor_limit`](super::Summary::at_sensor_limit).
    pub sensor_range: SensorRange,
    /// The device's IANA time zone (`"America/Chicago"`), or `None` (the default) for zoneless wall-clock
    /// time read as UTC (R iglu's reading); see [`Series`](super::Series) for the one time basis, instants.
    ///
    /// With a zone, each wall-clock time, in the device's order, is resolved with the bundled time-zone
    /// database to the earliest of the zone's readings of it that is later than the previous reading's (two
    /// readings in the hour the clock repeats in autumn; a time the clock skips in spring is read with the
    /// offset before the change, as jiff's compatible disambiguation does); when none is later, to the reading
    /// with the previous reading's offset when that is later (a device clock not yet changed), else to the
    /// zone's latest (input out of order, which is then sorted). Without a zone, a step back of the wall clock
    /// by more than 15 minutes and less than an hour, in readings otherwise in time order, is the clock set
    /// back an hour. Either way the autumn hour keeps every reading, none averaged, as long as the input is in
    /// the device's order (as exports are). An unknown name is
    /// [`SeriesError::UnknownTimeZone`](super::SeriesError::UnknownTimeZone).
    pub time_zone: Option<String>,
}
