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
            let extended_run = EXTENDED_HYPO_MINUTES as f64 / step as f64 + 1.0;
            // Each run of present points is one of iglu's segments between missing points.
            for (i, segment) in grid.runs() {
                present += segment.len();
                let at = |n: usize| n as f64;
                let found = [
                    classify(segment, i, |v| v < thresholds[0], at(start_run as usize), start_run),
                    classify(segment, i, |v| v < thresholds[1], at(start_run as usize), start_run),
                    classify(segment, i, |v| v < thresholds[2], extended_run, start_run),
                    classify(segment, i, |v| v > thresholds[3], at(start_run as usize), start_run),
                    classify(segment, i, |v| v > thresholds[4], at(start_run as usize), start_run),
                ];
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

/// iglu's `event_class` on one segment (no missing value): the episodes where `beyond` holds, as spans of
/// grid positions offset by `offset`. A start is a run of at least `start_run` points beyond; the episode
/// ends before the first later run of at least `end_run` points back, or at the segment's end.
fn classify(
    segment: &[f64],
    offset: usize,
    beyond: impl Fn(f64) -> bool,
    start_run: f64,
    end_run: i64,
) -> Vec<Span> {
    // Runs of equal `beyond`, as (first index, length, beyond).
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    for (k, &v) in segment.iter().enumerate() {
        let b = beyond(v);
        match runs.last_mut() {
            Some((_, len, last)) if *last == b => *len += 1,
            _ => runs.push((k, 1, b)),
        }
    }
    // For each run, where the first qualifying run back after it begins (the segment's end if none).
    let mut ends = vec![segment.len(); runs.len()];
    let mut next = segment.len();
    for (r, &(first, len, b)) in runs.iter().enumerate().rev() {
        ends[r] = next;
        if !b && len as i64 >= end_run {
            next = first;
        }
    }
    let mut out: Vec<Span> = Vec::new();
    for (&(first, len, b), &end) in runs.iter().zip(&ends) {
        if !b || (len as f64) < start_run {
            continue;
        }
        let last = end - 1;
        if out.last().is_some_and(|s| s.last == last + offset) {
            continue; // a later start ending at the same point merges into the earlier episode
        }
        out.push(Span { first: first + offset, last: last + offset, sum: segment[first..end].iter().sum() });
    }
    out
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
        let values: Vec<f64> = b.iter().map(|&x| if x { 1.0 } else { 0.0 }).collect();
        let spans = classify(&values, 10, |v| v > 0.5, 3.0, 3);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].first, spans[0].last, spans[0].sum), (10, 17, 6.0));
    }
}
