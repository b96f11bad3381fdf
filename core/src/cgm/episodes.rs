//! Hypo- and hyperglycaemic episodes per the 2023 consensus, as R iglu's `episode_calculation` finds them.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::{Grid, SeriesView};
use crate::glucose::{CutPoints, Unit};
use crate::wire::wire_enum;

/// Minutes beyond a threshold that start an episode, and minutes back that end it (consensus: 15).
pub const EPISODE_MINUTES: i64 = 15;

/// Minutes below 70 mg/dL that make an extended hypo episode (consensus: more than 120).
pub const EXTENDED_HYPO_MINUTES: i64 = 120;

wire_enum! {
    /// Whether an episode is low or high glucose. Wire names: `hypo`, `hyper`.
    pub enum EpisodeKind {
        /// Hypoglycaemia: glucose below a threshold.
        Hypo => "hypo",
        /// Hyperglycaemia: glucose above a threshold.
        Hyper => "hyper",
    }
}

wire_enum! {
    /// The level of an episode. Wire names: `level_1`, `level_2`, `extended`, `level_1_exclusive`.
    ///
    /// In mg/dL (mmol/L): hypo level 1 is < 70 (3.9), level 2 < 54 (3.0), extended < 70 (3.9) for more than 120
    /// minutes; hyper level 1 is > 180 (10.0), level 2 > 250 (13.9). A level 2 episode is also (inside) a level 1
    /// episode; `level_1_exclusive` (iglu's `lv1_excl`) counts the level 1 episodes that never reach level 2 and
    /// appears in [`Episodes::stats`] only, not in the list of episodes.
    pub enum EpisodeLevel {
        /// Level 1: < 70 or > 180 mg/dL.
        Level1 => "level_1",
        /// Level 2: < 54 or > 250 mg/dL.
        Level2 => "level_2",
        /// Extended hypo: < 70 mg/dL for more than 120 minutes.
        Extended => "extended",
        /// A level 1 episode with no level 2 point in it.
        Level1Exclusive => "level_1_exclusive",
    }
}

/// One episode: its first and last grid points, its duration and its mean glucose.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Episode {
    /// `hypo` or `hyper`.
    pub kind: EpisodeKind,
    /// `level_1`, `level_2` or `extended`.
    pub level: EpisodeLevel,
    /// The local wall-clock time of the episode's first grid point.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub start: DateTime,
    /// The local wall-clock time of its last grid point.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub end: DateTime,
    /// Grid points × the grid step, minutes (iglu's: 3 points at 5 minutes are 15 minutes).
    pub duration_minutes: i64,
    /// The mean of the interpolated glucose over the episode's points, in the series' unit.
    pub mean_glucose: f64,
}

/// The episodes of one kind and level of a series: iglu's `episode_calculation` row.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpisodeStats {
    /// `hypo` or `hyper`.
    pub kind: EpisodeKind,
    /// The level.
    pub level: EpisodeLevel,
    /// The threshold in the series' unit: below it for hypo, above it for hyper.
    pub threshold: f64,
    /// How many episodes (iglu's `total_episodes`).
    pub count: u64,
    /// Episodes per day of interpolated data (iglu's `avg_ep_per_day`); 0 without episodes.
    pub per_day: f64,
    /// The mean duration, minutes (iglu's `avg_ep_duration`); 0 without episodes, as iglu gives.
    pub mean_duration_minutes: f64,
    /// The mean of the episodes' mean glucose (iglu's `avg_ep_gl`); `None` without episodes.
    pub mean_glucose: Option<f64>,
}

/// The hypo- and hyperglycaemic episodes of a series, per the 2023 international consensus (Battelino et al.,
/// Lancet Diabetes Endocrinol 2023;11:42–57) as R iglu's `episode_calculation` computes them with default
/// arguments, to floating-point rounding.
///
/// - Readings are interpolated onto a regular [`Grid`] from wall-clock midnight (step `dt0`, usually 5
///   minutes); gaps over 45 minutes stay missing and split the data into segments, and no episode spans one.
/// - In each segment, an episode starts at a run of at least `ceil(15 / dt0)` points beyond the threshold
///   (strictly: `< 70`, `> 250`) and ends at the point before the first later run of at least `ceil(15 / dt0)`
///   points back (or at the segment's end). Shorter excursions back stay inside the episode, and several
///   starts that would end at the same point are one episode, so episodes of one kind and level never overlap.
/// - Extended hypo episodes start at a run of at least `120 / dt0 + 1` points below 70 mg/dL.
/// - Each level is found on its own with its own threshold; a level 2 episode lies inside a level 1 episode.
/// - A duration is the number of points times `dt0`; per day is the count over the days of interpolated data
///   (non-missing points × `dt0` / 1440), not over the calendar span.
///
/// Thresholds are the consensus cut-points native to the series' unit (70/54/180/250 mg/dL,
/// 3.9/3.0/10.0/13.9 mmol/L), whatever the patient's targets.
///
/// ```
/// use pumppath::cgm::{EpisodeKind, EpisodeLevel, Series, SeriesOptions};
/// use pumppath::glucose::Unit;
///
/// // 5-minute readings: in range, 20 minutes at 60 mg/dL, back in range.
/// let values = [100.0, 100.0, 60.0, 60.0, 60.0, 60.0, 60.0, 100.0, 100.0, 100.0, 100.0];
/// let times: Vec<i64> = (0..values.len() as i64).map(|k| 3600 + k * 300).collect();
/// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
/// let found = series.view().episodes();
/// assert_eq!(found.count(EpisodeKind::Hypo, EpisodeLevel::Level1), 1);
/// let e = &found.episodes[0];
/// assert_eq!((e.start.to_string(), e.duration_minutes), ("1970-01-01T01:10:00".to_owned(), 25));
/// assert_eq!(found.count(EpisodeKind::Hypo, EpisodeLevel::Level2), 0);
/// assert_eq!(serde_json::to_value(e)?["level"], "level_1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Episodes {
    /// The unit of the glucose values and thresholds.
    pub unit: Unit,
    /// The grid step `dt0`, minutes; `None` when there is no grid (fewer than two readings, or a median
    /// interval over 45 minutes), and then no episode.
    pub grid_minutes: Option<i64>,
    /// Days of interpolated data: non-missing grid points × `dt0` / 1440.
    pub days: f64,
    /// Every episode, grouped by kind and level in the order of [`stats`](Self::stats), by time within each.
    pub episodes: Vec<Episode>,
    /// Per kind and level, in iglu's row order: hypo level 1, level 2, extended; hyper level 1, level 2;
    /// hypo and hyper level 1 exclusive.
    pub stats: Vec<EpisodeStats>,
}

/// The kinds and levels of [`Episodes::stats`], in iglu's row order.
const LABELINGS: [(EpisodeKind, EpisodeLevel); 7] = [
    (EpisodeKind::Hypo, EpisodeLevel::Level1),
    (EpisodeKind::Hypo, EpisodeLevel::Level2),
    (EpisodeKind::Hypo, EpisodeLevel::Extended),
    (EpisodeKind::Hyper, EpisodeLevel::Level1),
    (EpisodeKind::Hyper, EpisodeLevel::Level2),
    (EpisodeKind::Hypo, EpisodeLevel::Level1Exclusive),
    (EpisodeKind::Hyper, EpisodeLevel::Level1Exclusive),
];

/// An episode as grid positions (inclusive), with the sum of its values.
#[derive(Clone, Copy)]
struct Span {
    first: usize,
    last: usize,
    sum: f64,
}

impl Episodes {
    /// The episodes of `view`; see [`Episodes`] (callers use [`SeriesView::episodes`]).
    pub(crate) fn of(view: &SeriesView<'_>) -> Episodes {
        let unit = view.unit();
        let cuts = match unit {
            Unit::MgDl => CutPoints::STANDARD_MG_DL,
            Unit::MmolL => CutPoints::STANDARD_MMOL_L,
        };
        let thresholds = [
            cuts.low_below(),
            cuts.very_low_below(),
            cuts.low_below(),
            cuts.high_above(),
            cuts.very_high_above(),
            cuts.low_below(),
            cuts.high_above(),
        ];
        let mut spans: [Vec<Span>; 7] = Default::default();
        let grid = Grid::of(view);
        let (mut present, mut step) = (0usize, 0i64);
        if let Some(grid) = &grid {
            step = grid.step_minutes();
            let start_run = (EPISODE_MINUTES + step - 1) / step; // ceil(15 / dt0)
            let extended_run = (EXTENDED_HYPO_MINUTES as f64 / step as f64 + 1.0).ceil() as i64;
            let need = |n: i64| usize::try_from(n).unwrap_or(usize::MAX);
            // The five searches of iglu's row order, each watching one bit of `Bands`.
            let mut searches = [
                Search::new(Bands::BELOW_LOW, need(start_run), need(start_run)),
                Search::new(Bands::BELOW_VERY_LOW, need(start_run), need(start_run)),
                Search::new(Bands::BELOW_LOW, need(extended_run), need(start_run)),
                Search::new(Bands::ABOVE_HIGH, need(start_run), need(start_run)),
                Search::new(Bands::ABOVE_VERY_HIGH, need(start_run), need(start_run)),
            ];
            let bands = Bands {
                low: thresholds[0],
                very_low: thresholds[1],
                high: thresholds[3],
                very_high: thresholds[4],
            };
            // Each run of present points is one of iglu's segments between missing points.
            for (i, segment) in grid.runs() {
                present += segment.len();
                for (first, len, mask) in bands.runs(segment) {
                    for search in &mut searches {
                        search.run(first, len, mask & search.bit != 0);
                    }
                }
                let found = searches.each_mut().map(|search| search.finish(segment, i));
                // Level 1 episodes with no level 2 point: both lists are sorted and each is disjoint.
                let exclusive = |level_1: &[Span], level_2: &[Span]| -> Vec<Span> {
                    level_1
                        .iter()
                        .filter(|a| {
                            let k = level_2.partition_point(|b| b.last < a.first);
                            level_2.get(k).is_none_or(|b| b.first > a.last)
                        })
                        .copied()
                        .collect()
                };
                spans[5].extend(exclusive(&found[0], &found[1]));
                spans[6].extend(exclusive(&found[3], &found[4]));
                for (all, new) in spans.iter_mut().zip(found) {
                    all.extend(new);
                }
            }
        }
        let days = present as f64 * step as f64 / 1440.0;
        let mut list = Vec::new();
        let mut stats = Vec::with_capacity(LABELINGS.len());
        for (((kind, level), spans), threshold) in LABELINGS.iter().zip(&spans).zip(thresholds) {
            let n = spans.len();
            let durations: i64 = spans.iter().map(|s| (s.last - s.first + 1) as i64 * step).sum();
            let means = spans.iter().map(|s| s.sum / (s.last - s.first + 1) as f64);
            stats.push(EpisodeStats {
                kind: *kind,
                level: *level,
                threshold,
                count: n as u64,
                per_day: if n == 0 { 0.0 } else { n as f64 / days },
                mean_duration_minutes: if n == 0 { 0.0 } else { durations as f64 / n as f64 },
                mean_glucose: (n > 0).then(|| means.sum::<f64>() / n as f64),
            });
            if *level == EpisodeLevel::Level1Exclusive {
                continue;
            }
            if let Some(grid) = &grid {
                for s in spans {
                    let civil = |k: usize| view.civil(grid.time(k));
                    list.push(Episode {
                        kind: *kind,
                        level: *level,
                        start: civil(s.first),
                        end: civil(s.last),
                        duration_minutes: (s.last - s.first + 1) as i64 * step,
                        mean_glucose: s.sum / (s.last - s.first + 1) as f64,
                    });
                }
            }
        }
        Episodes { unit, grid_minutes: grid.as_ref().map(Grid::step_minutes), days, episodes: list, stats }
    }

    /// The stats of one kind and level.
    pub fn stats(&self, kind: EpisodeKind, level: EpisodeLevel) -> Option<&EpisodeStats> {
        self.stats.iter().find(|s| s.kind == kind && s.level == level)
    }

    /// The number of episodes of one kind and level.
    pub fn count(&self, kind: EpisodeKind, level: EpisodeLevel) -> u64 {
        self.stats(kind, level).map_or(0, |s| s.count)
    }
}

/// The consensus thresholds of one series, which sort each grid point into a bit mask of the thresholds it
/// is beyond.
struct Bands {
    low: f64,
    very_low: f64,
    high: f64,
    very_high: f64,
}

impl Bands {
    const BELOW_LOW: u8 = 1;
    const BELOW_VERY_LOW: u8 = 2;
    const ABOVE_HIGH: u8 = 4;
    const ABOVE_VERY_HIGH: u8 = 8;

    fn mask(&self, v: f64) -> u8 {
        u8::from(v < self.low)
            | u8::from(v < self.very_low) << 1
            | u8::from(v > self.high) << 2
            | u8::from(v > self.very_high) << 3
    }

    /// The maximal runs of points with the same mask, as (first index, length, mask). Glucose moves slowly,
    /// so a day of 288 points has a few dozen runs: the searches then work per run, not per point, which
    /// makes finding all five levels one pass over the grid (it was five).
    fn runs<'a>(&'a self, segment: &'a [f64]) -> impl Iterator<Item = (usize, usize, u8)> + 'a {
        let mut k = 0;
        std::iter::from_fn(move || {
            let first = k;
            let mask = self.mask(*segment.get(first)?);
            k += 1;
            while segment.get(k).is_some_and(|&v| self.mask(v) == mask) {
                k += 1;
            }
            Some((first, k - first, mask))
        })
    }
}

/// iglu's `event_class` for one kind and level along a segment (no missing value), fed a run of points at a
/// time: an episode starts at a run of at least `start_run` points beyond the threshold and ends before the
/// first later run of at least `end_run` points back, or at the segment's end. Starts that come while an
/// episode is open would end where it ends, and iglu merges them into it, so they are simply not starts.
struct Search {
    /// The bit of [`Bands`] that says a point is beyond this search's threshold.
    bit: u8,
    start_run: usize,
    end_run: usize,
    /// The current run of points beyond (or back): its first index and its length so far; one is empty.
    beyond: (usize, usize),
    back: (usize, usize),
    /// The first point of the open episode.
    open: Option<usize>,
    /// Closed episodes of this segment: first and last point.
    found: Vec<(usize, usize)>,
}

impl Search {
    fn new(bit: u8, start_run: usize, end_run: usize) -> Search {
        Search { bit, start_run, end_run, beyond: (0, 0), back: (0, 0), open: None, found: Vec::new() }
    }

    /// `len` more points from `first` on, all beyond or all back.
    fn run(&mut self, first: usize, len: usize, beyond: bool) {
        let (this, other) =
            if beyond { (&mut self.beyond, &mut self.back) } else { (&mut self.back, &mut self.beyond) };
        if this.1 == 0 {
            this.0 = first;
        }
        this.1 += len;
        other.1 = 0;
        match self.open {
            None if beyond && self.beyond.1 >= self.start_run => self.open = Some(self.beyond.0),
            Some(start) if !beyond && self.back.1 >= self.end_run => {
                self.found.push((start, self.back.0 - 1));
                self.open = None;
            }
            _ => {}
        }
    }

    /// The segment's episodes, offset by `offset`, with their sums; the search is ready for the next segment.
    fn finish(&mut self, segment: &[f64], offset: usize) -> Vec<Span> {
        if let Some(start) = self.open.take() {
            self.found.push((start, segment.len() - 1));
        }
        self.beyond = (0, 0);
        self.back = (0, 0);
        self.found
            .drain(..)
            .map(|(first, last)| Span {
                first: first + offset,
                last: last + offset,
                sum: segment[first..=last].iter().sum(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_serde_names() {
        for (kind, level) in LABELINGS {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
            assert_eq!(serde_json::to_string(&level).unwrap(), format!("\"{level}\""));
        }
    }

    #[test]
    fn starts_sharing_an_end_merge() {
        // beyond for 3, back for 2 (too short to end), beyond for 3, back for 3: one episode of 8 points.
        let b = [true, true, true, false, false, true, true, true, false, false, false];
        let values: Vec<f64> = b.iter().map(|&x| if x { 300.0 } else { 100.0 }).collect();
        let bands = Bands { low: 70.0, very_low: 54.0, high: 180.0, very_high: 250.0 };
        let mut search = Search::new(Bands::ABOVE_HIGH, 3, 3);
        for (first, len, mask) in bands.runs(&values) {
            search.run(first, len, mask & search.bit != 0);
        }
        let spans = search.finish(&values, 10);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].first, spans[0].last, spans[0].sum), (10, 17, 2000.0));
    }

    #[test]
    fn an_episode_open_at_the_segment_end_ends_there() {
        // 2 back (too short to end) close the segment: the episode runs to its last point.
        let values = [300.0, 300.0, 300.0, 100.0, 100.0];
        let bands = Bands { low: 70.0, very_low: 54.0, high: 180.0, very_high: 250.0 };
        let mut search = Search::new(Bands::ABOVE_HIGH, 3, 3);
        for (first, len, mask) in bands.runs(&values) {
            search.run(first, len, mask & search.bit != 0);
        }
        let spans = search.finish(&values, 0);
        assert_eq!((spans.len(), spans[0].first, spans[0].last), (1, 0, 4));
        assert!(search.finish(&values, 0).is_empty(), "finish readies the search for the next segment");
    }
}
