//! The handout's "call the clinic if your glucose is frequently < 70 or > 250 mg/dL", decided with evidence.

use std::fmt;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::{EpisodeKind, EpisodeLevel, SECONDS_PER_DAY, SeriesView, episodes, from_seconds};
use super::{MAX_SECONDS, MIN_SECONDS, Summary};
use crate::glucose::Targets;

/// Windows and counts of the "frequently < 70 or > 250" rule.
///
/// The percent thresholds are the consensus goals of the protocol's targets (standard: < 70 under 4 %, < 54
/// under 1 %, > 250 under 5 %; Battelino et al. 2019); the windows and episode counts are pumppath's reading of
/// "frequently", documented with the rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct FrequentlySettings {
    /// Days of CGM data the percent-based test looks back over (consensus: 14 days). Default 14.
    pub window_days: u32,
    /// Days the episode-based test looks back over. Default 7.
    pub episode_window_days: u32,
    /// Level 1 hypo episodes (< 70 mg/dL for 15 minutes) in the episode window that make lows frequent.
    /// Default 2.
    pub min_hypo_level_1_episodes: u32,
    /// Level 2 hyper episodes (> 250 mg/dL for 15 minutes) in the episode window that make highs frequent.
    /// Default 2.
    pub min_hyper_level_2_episodes: u32,
    /// How many hours before "now" the CGM data may end and still be judged as the last days' data (uploads
    /// lag). Older data is stale: the assessment ([`rules::evaluate`](crate::rules::evaluate)) then judges the
    /// window ending at now and marks it insufficient (`stale_data`), so it never reads as "not frequent".
    /// [`frequently`] itself judges at the `end` its caller passes. Default 24.
    pub max_data_lag_hours: u32,
}

impl Default for FrequentlySettings {
    fn default() -> Self {
        FrequentlySettings {
            window_days: 14,
            episode_window_days: 7,
            min_hypo_level_1_episodes: 2,
            min_hyper_level_2_episodes: 2,
            max_data_lag_hours: 24,
        }
    }
}

/// What the rule concludes. Wire names: `frequently_low`, `frequently_high`, `not_frequent`,
/// `insufficient_data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyVerdict {
    /// Glucose is frequently low: call the clinic.
    FrequentlyLow,
    /// Glucose is frequently high: call the clinic.
    FrequentlyHigh,
    /// Enough data, and no test fired.
    NotFrequent,
    /// Too little data to say "not frequent", and no episode test fired.
    InsufficientData,
}

impl FrequencyVerdict {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            FrequencyVerdict::FrequentlyLow => "frequently_low",
            FrequencyVerdict::FrequentlyHigh => "frequently_high",
            FrequencyVerdict::NotFrequent => "not_frequent",
            FrequencyVerdict::InsufficientData => "insufficient_data",
        }
    }
}

impl fmt::Display for FrequencyVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Which way a test looks. Wire names: `low`, `high`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Low glucose.
    Low,
    /// High glucose.
    High,
}

impl Direction {
    /// The wire name: `low` or `high`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Low => "low",
            Direction::High => "high",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One test of the rule, named by what it measures. With the standard targets the cut-points are 70, 54 and
/// 250 mg/dL, so `percent_below_low` is "% of readings < 70", `percent_below_very_low` "< 54" and
/// `percent_above_very_high` "> 250".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyTest {
    /// % of readings below the targets' low cut-point (< 70 mg/dL), against `max_percent_below_low`.
    PercentBelowLow,
    /// % of readings below the very-low cut-point (< 54 mg/dL), against `max_percent_below_very_low`.
    PercentBelowVeryLow,
    /// % of readings above the very-high cut-point (> 250 mg/dL), against `max_percent_above_very_high`.
    PercentAboveVeryHigh,
    /// Level 1 hypo episodes (< 70 mg/dL for 15 minutes) against `min_hypo_level_1_episodes`.
    #[serde(rename = "hypo_level_1_episodes")]
    HypoLevel1Episodes,
    /// Level 2 hyper episodes (> 250 mg/dL for 15 minutes) against `min_hyper_level_2_episodes`.
    #[serde(rename = "hyper_level_2_episodes")]
    HyperLevel2Episodes,
}

impl FrequencyTest {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            FrequencyTest::PercentBelowLow => "percent_below_low",
            FrequencyTest::PercentBelowVeryLow => "percent_below_very_low",
            FrequencyTest::PercentAboveVeryHigh => "percent_above_very_high",
            FrequencyTest::HypoLevel1Episodes => "hypo_level_1_episodes",
            FrequencyTest::HyperLevel2Episodes => "hyper_level_2_episodes",
        }
    }
}

impl fmt::Display for FrequencyTest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One test's evidence: the value measured, the threshold, whether it was applied and whether it fired.
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
    /// Whether the test counted: a percent test is not applied (and does not fire) on insufficient data.
    pub applied: bool,
}

/// The "frequently < 70 or > 250" verdict of a window of readings, with its evidence.
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
    /// The start of the percent window (excluded).
    pub window_start: DateTime,
    /// The end of both windows, "now" (included).
    pub window_end: DateTime,
    /// The start of the episode window (excluded).
    pub episode_window_start: DateTime,
}

/// Whether glucose is "frequently" low or high (handout: post_pump_care.1, "call the clinic if your glucose
/// is frequently < 70 or > 250 mg/dL"), judged at `end` (wall-clock seconds, "now").
///
/// - **Percent tests**, over the readings in (`end` − `window_days`, `end`] (default 14 days), only when
///   those readings are sufficient by the consensus (≥ 14 days, ≥ 70 % wear,
///   [`Summary::sufficient`](super::Summary::sufficient)): the percent below the targets' low cut-point
///   above `max_percent_below_low` (standard: < 70 above 4 %) or below the very-low cut-point above
///   `max_percent_below_very_low` (< 54 above 1 %) is frequently low; the percent above the very-high
///   cut-point above `max_percent_above_very_high` (> 250 above 5 %) is frequently high. These are the
///   consensus goals of the patient's targets (Battelino et al. 2019); a goal the targets do not set
///   (`None`) is no test and has no evidence row.
/// - **Episode tests**, over the readings in (`end` − `episode_window_days`, `end`] (default 7 days),
///   whatever the sufficiency: at least `min_hypo_level_1_episodes` (2) level 1 hypo
///   [episodes](super::Episodes) is frequently low; at least `min_hyper_level_2_episodes` (2) level 2
///   hyper episodes is frequently high.
/// - Both verdicts can hold. With none, the verdict is `not_frequent` only when the data are sufficient,
///   and `insufficient_data` otherwise: too little data never reads as "not frequent".
///
/// ```
/// use pumppath::cgm::{FrequencyVerdict, FrequentlySettings, Series, SeriesOptions, frequently};
/// use pumppath::glucose::{Targets, Unit};
///
/// // Two days of 5-minute readings at 120 mg/dL, with two 30-minute lows at 60.
/// let times: Vec<i64> = (0..576).map(|k| k * 300).collect();
/// let values: Vec<f64> = (0..576).map(|k| if k % 288 >= 100 && k % 288 < 106 { 60.0 } else { 120.0 }).collect();
/// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
/// let verdict = frequently(&series.view(), times[575], &Targets::default(), &FrequentlySettings::default());
/// assert_eq!(verdict.verdicts, [FrequencyVerdict::FrequentlyLow]); // two level 1 hypo episodes
/// assert!(!verdict.sufficient); // two days only: the percent tests are not applied
/// assert_eq!(serde_json::to_value(&verdict)?["evidence"][3]["test"], "hypo_level_1_episodes");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn frequently(
    view: &SeriesView<'_>,
    end: i64,
    targets: &Targets,
    settings: &FrequentlySettings,
) -> Frequently {
    let window_start = end.saturating_sub(i64::from(settings.window_days) * SECONDS_PER_DAY);
    let summary = view.window(window_start.saturating_add(1), end.saturating_add(1)).summary(targets);
    frequently_with_summary(view, end, &summary, targets, settings)
}

/// [`frequently`] for a caller that already holds the [`Summary`] of the percent window, (`end` −
/// `window_days`, `end`], with the same targets: the assessment, which reports that summary too, so the hot
/// path summarises the window once.
pub(crate) fn frequently_with_summary(
    view: &SeriesView<'_>,
    end: i64,
    summary: &Summary,
    targets: &Targets,
    settings: &FrequentlySettings,
) -> Frequently {
    let days = |d: u32| i64::from(d) * SECONDS_PER_DAY;
    let window_start = end.saturating_sub(days(settings.window_days));
    let episode_window_start = end.saturating_sub(days(settings.episode_window_days));
    let after = |start: i64| view.window(start.saturating_add(1), end.saturating_add(1));
    let sufficient = summary.sufficient;
    let goals = targets.goals();
    let below_low = summary.percent_very_low.zip(summary.percent_low).map(|(a, b)| a + b);
    let percent_tests = [
        (FrequencyTest::PercentBelowLow, Direction::Low, below_low, Some(goals.max_percent_below_low)),
        (
            FrequencyTest::PercentBelowVeryLow,
            Direction::Low,
            summary.percent_very_low,
            goals.max_percent_below_very_low,
        ),
        (
            FrequencyTest::PercentAboveVeryHigh,
            Direction::High,
            summary.percent_very_high,
            goals.max_percent_above_very_high,
        ),
    ];
    let mut evidence = Vec::with_capacity(5);
    for (test, direction, value, goal) in percent_tests {
        let Some(threshold) = goal else { continue };
        let value = value.unwrap_or(0.0);
        evidence.push(FrequencyEvidence {
            test,
            direction,
            value,
            threshold,
            fired: sufficient && value > threshold,
            window_days: settings.window_days,
            applied: sufficient,
        });
    }

    let found = episodes(&after(episode_window_start));
    let episode_tests = [
        (
            FrequencyTest::HypoLevel1Episodes,
            Direction::Low,
            found.count(EpisodeKind::Hypo, EpisodeLevel::Level1),
            settings.min_hypo_level_1_episodes,
        ),
        (
            FrequencyTest::HyperLevel2Episodes,
            Direction::High,
            found.count(EpisodeKind::Hyper, EpisodeLevel::Level2),
            settings.min_hyper_level_2_episodes,
        ),
    ];
    for (test, direction, count, min) in episode_tests {
        evidence.push(FrequencyEvidence {
            test,
            direction,
            value: count as f64,
            threshold: f64::from(min),
            fired: count >= u64::from(min),
            window_days: settings.episode_window_days,
            applied: true,
        });
    }

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
        window_start: civil(window_start),
        window_end: civil(end),
        episode_window_start: civil(episode_window_start),
    }
}

/// The civil time of wall-clock seconds, clamped to the years -9999 to 9999.
fn civil(seconds: i64) -> DateTime {
    from_seconds(seconds.clamp(MIN_SECONDS, MAX_SECONDS)).unwrap_or(DateTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_serde_names() {
        use FrequencyTest as T;
        use FrequencyVerdict as V;
        for t in [
            T::PercentBelowLow,
            T::PercentBelowVeryLow,
            T::PercentAboveVeryHigh,
            T::HypoLevel1Episodes,
            T::HyperLevel2Episodes,
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
