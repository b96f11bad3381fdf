//! The handout's "call the clinic if your glucose is frequently < 70 or > 250 mg/dL", decided with evidence.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::{Episode, EpisodeKind, EpisodeLevel, SECONDS_PER_DAY, SeriesView, Summary};
use crate::glucose::Targets;
use crate::wire::wire_enum;

/// Windows and counts of the "frequently < 70 or > 250" rule.
///
/// The percent thresholds are the consensus goals of the patient's targets (standard: < 70 under 4 %, < 54
/// under 1 %, > 250 under 5 %; Battelino et al., Diabetes Care 2019); the episode levels are the 2023
/// consensus's (Battelino et al., Lancet Diabetes Endocrinol 2023), which names level 2 and extended hypo
/// episodes "clinically significant". The windows and counts are pumppath's reading of "frequently",
/// documented with [`rules::frequently_at`](crate::rules::frequently_at).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FrequentlySettings {
    /// Days of CGM data the percent-based tests look back over (consensus: 14 days). Default 14.
    pub window_days: u32,
    /// Days the episode-based tests look back over. Default 7.
    pub episode_window_days: u32,
    /// Level 1 hypo episodes (< 70 mg/dL for 15 minutes) in the episode window that make lows frequent, when
    /// the data are too sparse for the percent tests. Default 2.
    pub min_hypo_level_1_episodes: u32,
    /// Level 2 hyper episodes (> 250 mg/dL for 15 minutes) in the episode window that make highs frequent,
    /// when the data are too sparse for the percent tests. Default 2.
    pub min_hyper_level_2_episodes: u32,
    /// Level 2 hypo episodes (< 54 mg/dL for 15 minutes) in the episode window that make lows frequent,
    /// whatever the data's sufficiency (clinically significant, 2023 consensus). Default 2: one is an event
    /// for the first weeks' rule, two in a week are "frequently".
    pub min_hypo_level_2_episodes: u32,
    /// Extended hypo episodes (< 70 mg/dL for more than 120 minutes) in the episode window that make lows
    /// frequent, whatever the data's sufficiency (clinically significant, 2023 consensus). Default 1.
    pub min_extended_hypo_episodes: u32,
    /// How many hours before "now" the CGM data may end and still be judged as the last days' data (uploads
    /// lag). Older data is stale: the assessment ([`rules::evaluate`](crate::rules::evaluate)) then judges the
    /// window ending at now and marks it insufficient (`stale_data`), so it never reads as "not frequent".
    /// Default 24.
    pub max_data_lag_hours: u32,
    /// Days without a reading after which a CGM wearer's data have stopped (the `cgm_data_stopped` rule): the
    /// clinic cannot judge what it cannot see. Default 3.
    pub data_stopped_days: u32,
}

impl Default for FrequentlySettings {
    fn default() -> Self {
        FrequentlySettings {
            window_days: 14,
            episode_window_days: 7,
            min_hypo_level_1_episodes: 2,
            min_hyper_level_2_episodes: 2,
            min_hypo_level_2_episodes: 2,
            min_extended_hypo_episodes: 1,
            max_data_lag_hours: 24,
            data_stopped_days: 3,
        }
    }
}

wire_enum! {
    /// What the rule concludes. Wire names: `frequently_low`, `frequently_high`, `not_frequent`,
    /// `insufficient_data`.
    pub enum FrequencyVerdict {
        /// Glucose is frequently low: call the clinic.
        FrequentlyLow => "frequently_low",
        /// Glucose is frequently high: call the clinic.
        FrequentlyHigh => "frequently_high",
        /// Enough data, and no test fired.
        NotFrequent => "not_frequent",
        /// Too little data to say "not frequent", and no episode test fired.
        InsufficientData => "insufficient_data",
    }
}

wire_enum! {
    /// Which way a test looks. Wire names: `low`, `high`.
    pub enum Direction {
        /// Low glucose.
        Low => "low",
        /// High glucose.
        High => "high",
    }
}

wire_enum! {
    /// One test of the rule, named by what it measures. With the standard targets the cut-points are 70, 54 and
    /// 250 mg/dL, so `percent_below_range` is "% of readings < 70", `percent_below_very_low` "< 54" and
    /// `percent_above_very_high` "> 250"; with the pregnancy targets `percent_above_range` is "> 140".
    pub enum FrequencyTest {
        /// % of readings below the targets' low cut-point (< 70 mg/dL), against `max_percent_below_range`.
        PercentBelowRange => "percent_below_range",
        /// % of readings below the very-low cut-point (< 54 mg/dL), against `max_percent_below_very_low`.
        PercentBelowVeryLow => "percent_below_very_low",
        /// % of readings above the very-high cut-point (> 250 mg/dL), against `max_percent_above_very_high`.
        PercentAboveVeryHigh => "percent_above_very_high",
        /// % of readings above the high cut-point (> 140 mg/dL with the pregnancy targets), against
        /// `max_percent_above_range`: the high test of targets that set no very-high goal.
        PercentAboveRange => "percent_above_range",
        /// Level 1 hypo episodes (< 70 mg/dL for 15 minutes) against `min_hypo_level_1_episodes`.
        HypoLevel1Episodes => "hypo_level_1_episodes",
        /// Level 2 hyper episodes (> 250 mg/dL for 15 minutes) against `min_hyper_level_2_episodes`.
        HyperLevel2Episodes => "hyper_level_2_episodes",
        /// Level 2 hypo episodes (< 54 mg/dL for 15 minutes) against `min_hypo_level_2_episodes`.
        HypoLevel2Episodes => "hypo_level_2_episodes",
        /// Extended hypo episodes (< 70 mg/dL for more than 120 minutes) against `min_extended_hypo_episodes`.
        ExtendedHypoEpisodes => "extended_hypo_episodes",
    }
}

impl FrequencyTest {
    /// Which way the test looks.
    pub const fn direction(self) -> Direction {
        match self {
            FrequencyTest::PercentAboveVeryHigh
            | FrequencyTest::PercentAboveRange
            | FrequencyTest::HyperLevel2Episodes => Direction::High,
            _ => Direction::Low,
        }
    }
}

/// One test's evidence: the value measured, the threshold, whether it was applied and whether it fired.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrequencyEvidence {
    /// The test.
    pub test: FrequencyTest,
    /// Low or high.
    pub direction: Direction,
    /// The percent of readings, or the number of episodes.
    pub value: f64,
    /// The goal the percent must stay under, or the number of episodes that is frequent.
    pub threshold: f64,
    /// Whether the test fired: a percent above its threshold, or at least the threshold's episodes.
    pub fired: bool,
    /// The days the test looked back over.
    pub window_days: u32,
    /// Whether the test counted: a percent test is applied only on sufficient data, the level 1 hypo and
    /// level 2 hyper episode tests only on insufficient data (and fire only when the readings there miss a
    /// goal of their direction); a test not applied does not fire.
    pub applied: bool,
}

/// The "frequently < 70 or > 250" verdict of a window of readings, with its evidence: whether glucose is
/// "frequently" low or high (handout: post_pump_care.1, "call the clinic if your glucose is frequently below
/// 70 or above 250 mg/dL"), judged at an end ("now"). [`rules::frequently_at`](crate::rules::frequently_at) is the one
/// way to compute it, as [`evaluate`](crate::rules::evaluate) does.
///
/// - **Percent tests**, over the fixed period (`end` − `window_days`, `end`] (default 14 days), only when the
///   period's data are sufficient by the consensus (≥ 14 days, ≥ 70 % wear, judged over the period:
///   the summary of the period): the percent below the targets' low cut-point above
///   `max_percent_below_range` (standard: < 70 above 4 %) or below the very-low cut-point above
///   `max_percent_below_very_low` (< 54 above 1 %) is frequently low; the percent above the very-high
///   cut-point above `max_percent_above_very_high` (> 250 above 5 %) is frequently high. Targets that set no
///   very-high goal (pregnancy) are judged on their above-range goal instead (`percent_above_range`: > 140
///   above 25 %), so every preset has a high test. These are the consensus goals of the patient's targets; a
///   goal the targets do not set is no test and has no evidence row.
/// - **Episode tests for sparse data**, over (`end` − `episode_window_days`, `end`] (default 7 days), only
///   when the percent tests cannot judge (insufficient data): at least `min_hypo_level_1_episodes` (2) level
///   1 hypo [episodes](super::Episodes) is frequently low, and at least `min_hyper_level_2_episodes` (2)
///   level 2 hyper episodes frequently high, when the readings there are also miss a goal of that direction
///   (the percent rows' values above their thresholds, though not applied). On sufficient data the percent
///   goals judge alone: a patient who meets the < 4 % goal (about 6.7 hours a week) usually has more than
///   two level 1 episodes a week, and is not called for them; nor is a patient with a few days of data whose
///   brief lows stay inside the goal.
/// - **Clinically significant episodes**, over the episode window, always: at least
///   `min_hypo_level_2_episodes` (2) level 2 hypo episodes, or `min_extended_hypo_episodes` (1) extended
///   hypo episode, is frequently low whatever the percents.
/// - Both verdicts can hold. With none, the verdict is `not_frequent` only when the data are sufficient,
///   and `insufficient_data` otherwise: too little data never reads as "not frequent".
///
/// ```
/// use jiff::Timestamp;
/// use pumppath::cgm::{FrequencyVerdict, FrequentlySettings, Series, SeriesOptions};
/// use pumppath::glucose::{Targets, Unit};
/// use pumppath::rules::frequently_at;
///
/// // Two days of 5-minute readings at 120 mg/dL, with a 90-minute low at 60 each day (6.3 % < 70).
/// let times: Vec<i64> = (0..576).map(|k| k * 300).collect();
/// let values: Vec<f64> = (0..576).map(|k| if k % 288 >= 100 && k % 288 < 118 { 60.0 } else { 120.0 }).collect();
/// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
/// let now = Timestamp::from_second(times[575])?; // the last reading, read in UTC
/// let verdict = frequently_at(&series, now, "UTC", &Targets::default(), &FrequentlySettings::default())?;
/// assert_eq!(verdict.verdicts, [FrequencyVerdict::FrequentlyLow]); // two level 1 hypo episodes, goal missed
/// assert!(!verdict.sufficient); // two days only: the percent tests are not applied
///
/// // The same two days with 30-minute lows (2.1 % < 70) stay inside the goal: not "frequently".
/// let values: Vec<f64> = (0..576).map(|k| if k % 288 >= 100 && k % 288 < 106 { 60.0 } else { 120.0 }).collect();
/// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
/// let now = Timestamp::from_second(times[575])?; // the last reading, read in UTC
/// let verdict = frequently_at(&series, now, "UTC", &Targets::default(), &FrequentlySettings::default())?;
/// assert_eq!(verdict.verdicts, [FrequencyVerdict::InsufficientData]);
/// assert_eq!(serde_json::to_value(&verdict)?["evidence"][3]["test"], "hypo_level_1_episodes");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frequently {
    /// `[frequently_low]`, `[frequently_high]`, both, `[not_frequent]` or `[insufficient_data]`.
    pub verdicts: Vec<FrequencyVerdict>,
    /// Whether glucose is frequently low.
    pub frequently_low: bool,
    /// Whether glucose is frequently high.
    pub frequently_high: bool,
    /// Whether the percent window's data meet the consensus minimum (14 days, 70 % wear), as
    /// [`Summary::sufficient`](super::Summary::sufficient) says.
    pub sufficient: bool,
    /// Every test, applied or not.
    pub evidence: Vec<FrequencyEvidence>,
    /// The start of the percent window (excluded): `window_days` before the end, or `since` if later.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub window_start: DateTime,
    /// The end of both windows, "now" (included).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub window_end: DateTime,
    /// The start of the episode window (excluded): `episode_window_days` before the end, or `since` if later.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub episode_window_start: DateTime,
    /// Readings at or before this moment were not judged (the pump start: the previous therapy's data do not
    /// judge the pump); `None` when every reading counts.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::WallClock>"))]
    pub since: Option<DateTime>,
    /// The clinically significant hypo episodes of the episode window (level 2 and extended), oldest first:
    /// the evidence a clinician looks at first.
    pub significant_episodes: Vec<Episode>,
}

/// The readings of `view` after `since` (all of them without it).
pub(crate) fn after<'a>(view: &SeriesView<'a>, since: Option<i64>) -> SeriesView<'a> {
    match since {
        Some(since) => view.window_seconds(since.saturating_add(1), i64::MAX),
        None => *view,
    }
}

/// The start (excluded) of the percent window that ends at `end`.
pub(crate) fn percent_window_start(since: Option<i64>, end: i64, settings: &FrequentlySettings) -> i64 {
    let start = end.saturating_sub(i64::from(settings.window_days) * SECONDS_PER_DAY);
    since.map_or(start, |s| start.max(s))
}

/// The "frequently" verdict for a caller that already holds the period [`Summary`] of the percent window
/// ([`percent_window_start`], `end`] of `view` (already cut at `since`), with the same targets: the
/// assessment, which reports that summary too, so the hot path summarises the window once.
pub(crate) fn frequently_with_summary(
    view: &SeriesView<'_>,
    since: Option<i64>,
    end: i64,
    summary: &Summary,
    targets: &Targets,
    settings: &FrequentlySettings,
) -> Frequently {
    let window_start = percent_window_start(since, end, settings);
    let episode_window_start = {
        let start = end.saturating_sub(i64::from(settings.episode_window_days) * SECONDS_PER_DAY);
        since.map_or(start, |s| start.max(s))
    };
    let sufficient = summary.sufficient;
    let goals = targets.goals();
    let sum = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a + b);
    // Targets without a very-high goal (pregnancy) keep a high test: their above-range goal.
    let high_test = match (goals.max_percent_above_very_high, goals.max_percent_above_range) {
        (Some(goal), _) => Some((FrequencyTest::PercentAboveVeryHigh, summary.percent_very_high, goal)),
        (None, Some(goal)) => Some((
            FrequencyTest::PercentAboveRange,
            sum(summary.percent_high, summary.percent_very_high),
            goal,
        )),
        (None, None) => None,
    };
    let percent_tests = [
        Some((
            FrequencyTest::PercentBelowRange,
            sum(summary.percent_very_low, summary.percent_low),
            goals.max_percent_below_range,
        )),
        goals
            .max_percent_below_very_low
            .map(|goal| (FrequencyTest::PercentBelowVeryLow, summary.percent_very_low, goal)),
        high_test,
    ];
    let mut evidence = Vec::with_capacity(8);
    for (test, value, threshold) in percent_tests.into_iter().flatten() {
        let value = value.unwrap_or(0.0);
        evidence.push(FrequencyEvidence {
            test,
            direction: test.direction(),
            value,
            threshold,
            fired: sufficient && value > threshold,
            window_days: settings.window_days,
            applied: sufficient,
        });
    }

    // On sparse data the episode tests judge, but only where the data there are miss the direction's goals:
    // brief lows inside a goal of < 4 % (about an hour a day) are not "frequently" low.
    let missed = |d: Direction| evidence.iter().any(|e| e.direction == d && e.value > e.threshold);
    let (lows_missed, highs_missed) = (missed(Direction::Low), missed(Direction::High));
    let found = view.window_seconds(episode_window_start.saturating_add(1), end.saturating_add(1)).episodes();
    let count = |kind, level| found.count(kind, level);
    let episode_tests = [
        (
            FrequencyTest::HypoLevel1Episodes,
            count(EpisodeKind::Hypo, EpisodeLevel::Level1),
            settings.min_hypo_level_1_episodes,
            !sufficient,
            lows_missed,
        ),
        (
            FrequencyTest::HyperLevel2Episodes,
            count(EpisodeKind::Hyper, EpisodeLevel::Level2),
            settings.min_hyper_level_2_episodes,
            !sufficient,
            highs_missed,
        ),
        (
            FrequencyTest::HypoLevel2Episodes,
            count(EpisodeKind::Hypo, EpisodeLevel::Level2),
            settings.min_hypo_level_2_episodes,
            true,
            true,
        ),
        (
            FrequencyTest::ExtendedHypoEpisodes,
            count(EpisodeKind::Hypo, EpisodeLevel::Extended),
            settings.min_extended_hypo_episodes,
            true,
            true,
        ),
    ];
    for (test, count, min, applied, goals_missed) in episode_tests {
        evidence.push(FrequencyEvidence {
            test,
            direction: test.direction(),
            value: count as f64,
            threshold: f64::from(min),
            fired: applied && goals_missed && count >= u64::from(min),
            window_days: settings.episode_window_days,
            applied,
        });
    }
    let mut significant_episodes: Vec<Episode> = found
        .episodes
        .into_iter()
        .filter(|e| {
            e.kind == EpisodeKind::Hypo && matches!(e.level, EpisodeLevel::Level2 | EpisodeLevel::Extended)
        })
        .collect();
    significant_episodes.sort_by(|a, b| a.start.cmp(&b.start).then(a.level.as_str().cmp(b.level.as_str())));

    let fired = |d: Direction| evidence.iter().any(|e| e.direction == d && e.fired);
    let (frequently_low, frequently_high) = (fired(Direction::Low), fired(Direction::High));
    let mut verdicts = Vec::with_capacity(2);
    if frequently_low {
        verdicts.push(FrequencyVerdict::FrequentlyLow);
    }
    if frequently_high {
        verdicts.push(FrequencyVerdict::FrequentlyHigh);
    }
    if verdicts.is_empty() {
        verdicts.push(if sufficient {
            FrequencyVerdict::NotFrequent
        } else {
            FrequencyVerdict::InsufficientData
        });
    }
    Frequently {
        verdicts,
        frequently_low,
        frequently_high,
        sufficient,
        evidence,
        window_start: view.civil(window_start),
        window_end: view.civil(end),
        episode_window_start: view.civil(episode_window_start),
        since: since.map(|s| view.civil(s)),
        significant_episodes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_serde_names() {
        use FrequencyTest as T;
        use FrequencyVerdict as V;
        for t in [
            T::PercentBelowRange,
            T::PercentBelowVeryLow,
            T::PercentAboveVeryHigh,
            T::PercentAboveRange,
            T::HypoLevel1Episodes,
            T::HyperLevel2Episodes,
            T::HypoLevel2Episodes,
            T::ExtendedHypoEpisodes,
        ] {
            assert_eq!(json(&t), format!("\"{}\"", t.as_str()));
        }
        for v in [V::FrequentlyLow, V::FrequentlyHigh, V::NotFrequent, V::InsufficientData] {
            assert_eq!(json(&v), format!("\"{}\"", v.as_str()));
        }
        assert_eq!(T::HypoLevel1Episodes.as_str(), "hypo_level_1_episodes");
        assert_eq!(json(&Direction::Low), "\"low\"");
    }

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }
}
