//! CGM series and the consensus metrics: summary, wear, the AGP profile, episodes and the "frequently" rule.
//!
//! - A [`Series`] is one patient's readings in one unit, validated, sorted and one per time; a
//!   [`SeriesView`] is all of it or a window of it, borrowed. Wall-clock times come in as civil date-times or
//!   as `i64` seconds encoded as if UTC ([`to_seconds`], [`from_seconds`], [`parse_time`]), which is how device
//!   exports and R iglu treat them; epoch instants through [`Series::from_epoch`] and the columnar JSON.
//! - **The time basis: instants plus the series' zone.** A series holds instants (Unix seconds,
//!   [`Series::times`]) on its clock. With [`SeriesOptions::time_zone`] (an IANA name, resolved with the
//!   bundled database; an unknown one is [`SeriesError::UnknownTimeZone`]) each wall-clock time is resolved to
//!   its instant, the hour a clock repeats in autumn by the zone's fold plus the device's order of readings.
//!   Without a zone, the wall-clock is read as UTC, as R iglu reads it (so the metrics are iglu's, bit for
//!   bit), and the device's order alone tells the autumn hour: a step back of the wall clock by more than 15
//!   minutes and less than an hour, in readings otherwise in time order, is the clock set back an hour. Either
//!   way, the autumn hour loads by default with every reading kept, in the device's order, none averaged.
//!   Output times (summary, periods, episodes, the "frequently" evidence, readings, the AGP's time of day)
//!   are the clock's local wall-clock times ([`SeriesView::civil`]); windows are asked for by instant plus
//!   zone ([`SeriesView::window`]), the zone being the clinic's, in which a zoneless series' wall-clock is
//!   read. A series survives its columnar JSON ([`Series::to_json`], [`Series::from_json`]) exactly.
//! - Every metric is computed one way, on a view: [`SeriesView::summary`] (a [`Summary`]: mean, SD, CV, GMI,
//!   the band and cumulative percents, CGM wear, and whether the data suffice, exactly as R iglu computes
//!   them), [`SeriesView::wear`] (iglu's `active_percent`), [`SeriesView::agp`] (the ambulatory glucose
//!   profile: percentiles by time of day) and [`SeriesView::episodes`] (the consensus hypo- and
//!   hyperglycaemic episodes, found on iglu's interpolation [`Grid`]). The handout's "glucose frequently < 70
//!   or > 250" verdict ([`Frequently`]) is computed at a "now" by
//!   [`rules::frequently_at`](crate::rules::frequently_at), as the assessment computes it.
//!
//! ```
//! use pumppath::cgm::{Series, SeriesOptions};
//! use pumppath::glucose::{Targets, Unit};
//!
//! let times = [0, 300, 600, 900, 1200];
//! let series = Series::from_slices(Unit::MgDl, &times, &[95.0, 110.0, 190.0, 60.0, 130.0], &SeriesOptions::default())?;
//! let summary = series.view().summary(&Targets::default());
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
};
pub use error::SeriesError;
pub use frequently::{
    Direction, FrequencyEvidence, FrequencyTest, FrequencyVerdict, Frequently, FrequentlySettings,
};
pub(crate) use frequently::{after, frequently_with_summary, percent_window_start};
pub use goals::{Comparison, GoalCheck, GoalMetric, MAX_CV_PERCENT};
pub use grid::{Grid, MAX_BRIDGED_GAP_MINUTES};
pub use options::{DuplicatePolicy, SeriesOptions};
pub use readings::{ColumnarReadings, PatientSeries, TimeScale, milliseconds_of};
pub use series::Series;
#[cfg(feature = "io")]
pub(crate) use series::{PushError, SeriesBuilder};
pub use summary::{InsufficientReason, MIN_ACTIVE_PERCENT, MIN_DAYS, Period, Summary};
pub(crate) use time::resolve_zone;
pub use time::{EPOCH, MAX_SECONDS, MIN_SECONDS, SECONDS_PER_DAY, from_seconds, parse_time, to_seconds};
pub use view::SeriesView;
pub use wear::{Wear, sampling_minutes};
