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
/// assert_eq!(options.time_zone, None); // wall-clock seconds as if UTC, as R iglu
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
    /// time.
    ///
    /// Without a zone, times stay the device's wall-clock seconds encoded as if UTC (R iglu's convention), so
    /// the hour a clock repeats in autumn holds duplicate or interleaved readings. With a zone, each wall-clock
    /// time is resolved to an instant (Unix seconds) with the bundled time-zone database, so durations, gaps,
    /// wear and episodes are elapsed time and no reading of the repeated hour is lost or averaged. The
    /// repeated hour is resolved by the device's order of readings: each such time takes the earliest of its
    /// two instants that is later than the previous reading's, else the later one. So the input must be in
    /// the device's order, as exports are. A time the clock skips in spring is read as jiff's compatible
    /// disambiguation does (02:30 is 03:30 daylight time). An unknown name is
    /// [`SeriesError::UnknownTimeZone`](super::SeriesError::UnknownTimeZone).
    pub time_zone: Option<String>,
}
