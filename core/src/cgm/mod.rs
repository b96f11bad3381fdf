//! CGM series and the consensus metrics: summary, wear, the AGP profile, episodes and the "frequently" rule.
//!
//! - A [`Series`] is one patient's readings in one unit, validated, sorted and one per time; a
//!   [`SeriesView`] is all of it or a time window of it, borrowed. Times come in as the device's wall-clock
//!   times, `i64` seconds encoded as if UTC ([`to_seconds`], [`from_seconds`], [`parse_time`]), which is how
//!   device exports and R iglu treat them.
//! - **Time zones.** By default a series keeps those wall-clock seconds (bit for bit R iglu's results), so
//!   the hour a clock repeats in autumn holds duplicates (an error by default) or interleaved readings. With
//!   [`SeriesOptions::time_zone`] (an IANA name, resolved with the bundled database; an unknown one is
//!   [`SeriesError::UnknownTimeZone`]) each wall-clock time is resolved to its instant (Unix seconds) and the
//!   series holds instants: durations, gaps, wear, episodes and windows are elapsed time, and no reading of
//!   the repeated hour is lost or averaged. The repeated hour is resolved by the device's order of readings
//!   (so the input must be in that order, as exports are): each such time takes the earlier of its two
//!   instants when that is later than the previous reading's, else the later one, which the duplicates
//!   policy then sees. A time the clock skips in spring is read as jiff's compatible disambiguation does.
//!   Output times (summary, periods, episodes, the "frequently" evidence, readings, the AGP's time of day)
//!   are local wall-clock times through [`SeriesView::civil`]; [`SeriesView::seconds_at`] turns an instant
//!   ("now", the pump start) into the series' seconds.
//! - A [`Summary`] holds the consensus metrics (mean, SD, CV, GMI, the band and cumulative percents, CGM wear,
//!   and whether the data suffice), computed exactly as R iglu does; [`Wear`] is iglu's `active_percent`.
//! - An [`Agp`] is the ambulatory glucose profile: percentiles by time of day.
//! - [`Episodes`] are the consensus hypo- and hyperglycaemic episodes, found on iglu's interpolation [`Grid`];
//!   [`frequently`] is the handout's "glucose frequently < 70 or > 250" verdict, with its evidence.
//!
//! ```
//! use pumppath::cgm::{Series, SeriesOptions};
//! use pumppath::glucose::{Targets, Unit};
//!
//! let times = [0, 300, 600, 900, 1200];
//! let series = Series::from_slices(Unit::MgDl, &times, &[95.0, 110.0, 190.0, 60.0, 130.0], &SeriesOptions::default())?;
//! let summary = series.summary(&Targets::default());
//! assert_eq!(summary.percent_in_range, Some(60.0));
//! assert_eq!(summary.percent_high, Some(20.0));
//! # Ok::<(), pumppath::Error>(())
//! ```

mod agp;
mod episodes;
mod error;
mod frequently;
mod goals;
mod grid;
mod options;
mod readings;
mod series;
mod summary;
mod time;
mod view;
mod wear;

pub use agp::{AGP_PERCENTILES, Agp, AgpBin, DEFAULT_AGP_BIN_MINUTES};
pub use episodes::{
    EPISODE_MINUTES, EXTENDED_HYPO_MINUTES, Episode, EpisodeKind, EpisodeLevel, EpisodeStats, Episodes,
    episodes,
};
pub use error::SeriesError;
pub use frequently::{
    Direction, FrequencyEvidence, FrequencyTest, FrequencyVerdict, Frequently, FrequentlySettings,
    frequently, frequently_since,
};
pub(crate) use frequently::{after, frequently_with_summary, percent_window_start};
pub use goals::{Comparison, GoalCheck, GoalMetric, MAX_CV_PERCENT};
pub use grid::{Grid, MAX_BRIDGED_GAP_MINUTES};
pub use options::{DuplicatePolicy, SeriesOptions};
pub use readings::{ColumnarReadings, PatientSeries, TimeScale};
pub use series::Series;
#[cfg(feature = "io")]
pub(crate) use series::{PushError, SeriesBuilder};
pub use summary::{InsufficientReason, MIN_ACTIVE_PERCENT, MIN_DAYS, Period, Summary};
pub use time::{EPOCH, MAX_SECONDS, MIN_SECONDS, SECONDS_PER_DAY, from_seconds, parse_time, to_seconds};
pub use view::SeriesView;
pub use wear::{Wear, sampling_minutes};
