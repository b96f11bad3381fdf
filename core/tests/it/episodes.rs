//! Episodes and the "frequently" rule: against R iglu, on the demo patients, edge cases and properties.
// Helpers outside #[test] functions unwrap too: a failed unwrap is a failed test.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use pumppath::cgm::*;
use pumppath::glucose::*;

use crate::common;

const MIN5: i64 = 300;
const DAY: i64 = 86_400;

fn mg_dl(times: &[i64], values: &[f64]) -> Series {
    Series::from_slices(Unit::MgDl, times, values, &SeriesOptions::default()).unwrap()
}

/// 5-minute readings from `start`.
fn every_5_min(start: i64, values: &[f64]) -> Series {
    let times: Vec<i64> = (0..values.len() as i64).map(|k| start + k * MIN5).collect();
    mg_dl(&times, values)
}

/// The instant of `seconds` (these series are zoneless, read in UTC).
fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap()
}

/// The one public "frequently", [`pumppath::rules::frequently_at`], on the readings of `view` at `end`
/// (seconds read in UTC).
fn frequently(
    view: &SeriesView<'_>,
    end: i64,
    targets: &Targets,
    settings: &FrequentlySettings,
) -> Frequently {
    let series =
        Series::from_slices(view.unit(), view.times(), view.values(), &SeriesOptions::default()).unwrap();
    pumppath::rules::frequently_at(&series, at(end), "UTC", targets, settings).unwrap()
}

fn counts(e: &Episodes) -> Vec<u64> {
    e.stats.iter().map(|s| s.count).collect()
}

// ---------------------------------------------------------------------------------------------------------
// The episode rules
// ---------------------------------------------------------------------------------------------------------

#[test]
fn an_episode_needs_15_minutes_beyond_and_ends_after_15_minutes_back() {
    let mut values = vec![120.0; 40];
    values[5..7].fill(60.0); // 10 minutes: no episode
    values[10..16].fill(60.0); // 30 minutes
    values[16..18].fill(80.0); // 10 minutes back: still inside
    values[18..21].fill(50.0); // 15 minutes below 54
    let e = every_5_min(3600, &values).view().episodes();
    assert_eq!(e.grid_minutes, Some(5));
    assert_eq!(counts(&e), [1, 1, 0, 0, 0, 0, 0]);
    let hypo = &e.episodes[0];
    assert_eq!((hypo.kind, hypo.level), (EpisodeKind::Hypo, EpisodeLevel::Level1));
    // Readings on the grid: 01:00 is index 0; the episode spans readings 10..=20.
    assert_eq!(hypo.start.to_string(), "1970-01-01T01:50:00");
    assert_eq!(hypo.end.to_string(), "1970-01-01T02:40:00");
    assert_eq!(hypo.duration_minutes, 55);
    let mean = (6.0 * 60.0 + 2.0 * 80.0 + 3.0 * 50.0) / 11.0;
    assert!((hypo.mean_glucose - mean).abs() < 1e-12);
    let level_2 = &e.episodes[1];
    assert_eq!((level_2.level, level_2.duration_minutes), (EpisodeLevel::Level2, 15));
    let stats = e.stats(EpisodeKind::Hypo, EpisodeLevel::Level1).unwrap();
    assert_eq!(stats.mean_duration_minutes, 55.0);
    assert_eq!(stats.per_day, 1.0 / (40.0 * 5.0 / 1440.0));
    // No episode: iglu's zeros and NA.
    let none = e.stats(EpisodeKind::Hyper, EpisodeLevel::Level2).unwrap();
    assert_eq!(
        (none.count, none.per_day, none.mean_duration_minutes, none.mean_glucose),
        (0, 0.0, 0.0, None)
    );
    assert_eq!(e.count(EpisodeKind::Hypo, EpisodeLevel::Level1Exclusive), 0);
}

#[test]
fn an_episode_without_recovery_runs_to_the_end_and_gaps_split_episodes() {
    let mut values = vec![200.0; 30];
    values[..3].fill(150.0);
    let e = every_5_min(0, &values).view().episodes();
    assert_eq!(e.count(EpisodeKind::Hyper, EpisodeLevel::Level1), 1);
    assert_eq!(e.episodes[0].duration_minutes, 27 * 5);
    assert_eq!(e.count(EpisodeKind::Hyper, EpisodeLevel::Level1Exclusive), 1);

    // The same high glucose with a 50-minute hole in the middle: two episodes.
    let times: Vec<i64> = (0..30).map(|k| k * MIN5 + if k >= 15 { 3000 } else { 0 }).collect();
    let e = mg_dl(&times, &values).view().episodes();
    assert_eq!(e.count(EpisodeKind::Hyper, EpisodeLevel::Level1), 2);
}

#[test]
fn extended_hypo_needs_more_than_120_minutes() {
    let mut values = vec![120.0; 60];
    values[10..34].fill(65.0); // 24 points: 120 minutes by iglu's count, not extended
    let e = every_5_min(0, &values).view().episodes();
    assert_eq!(e.count(EpisodeKind::Hypo, EpisodeLevel::Extended), 0);
    values[34] = 65.0; // 25 points
    let e = every_5_min(0, &values).view().episodes();
    assert_eq!(e.count(EpisodeKind::Hypo, EpisodeLevel::Extended), 1);
}

#[test]
fn too_little_or_too_sparse_data_has_no_episode() {
    for series in [mg_dl(&[], &[]), mg_dl(&[0], &[50.0]), mg_dl(&[0, 3600, 7200], &[50.0; 3])] {
        let e = series.view().episodes();
        assert_eq!((e.grid_minutes, e.days, e.episodes.len()), (None, 0.0, 0));
        assert!(counts(&e).iter().all(|&c| c == 0));
    }
}

#[test]
fn mmol_series_use_native_thresholds() {
    let values: Vec<f64> = [5.0, 5.0, 3.8, 3.8, 3.8, 5.0, 5.0, 5.0, 14.0, 14.0, 14.0, 5.0, 5.0, 5.0].to_vec();
    let times: Vec<i64> = (0..values.len() as i64).map(|k| k * MIN5).collect();
    let s = Series::from_slices(Unit::MmolL, &times, &values, &SeriesOptions::default()).unwrap();
    let e = s.view().episodes();
    assert_eq!(counts(&e), [1, 0, 0, 1, 1, 1, 0]);
    assert_eq!(e.stats[0].threshold, 3.9);
    assert_eq!(e.stats[4].threshold, 13.9);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["unit"], "mmol/L");
    assert_eq!(json["stats"][5]["level"], "level_1_exclusive");
    assert_eq!(json["episodes"][0]["kind"], "hypo");
    let back: Episodes = serde_json::from_value(json).unwrap();
    assert_eq!(back, e);
}

// ---------------------------------------------------------------------------------------------------------
// R iglu on its own example data, pinned in the metrics fixture
// ---------------------------------------------------------------------------------------------------------

const FIXTURE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iglu_example_5_subject.metrics.json");
const IGLU_DATA: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/cgm/iglu_example_5_subject.csv");

fn level_name(r: &str) -> &str {
    match r {
        "lv1" => "level_1",
        "lv2" => "level_2",
        "lv1_excl" => "level_1_exclusive",
        other => other,
    }
}

/// Compares episode stats with R iglu's 7 rows: counts exactly, the rest to 1e-9.
fn assert_matches_r(id: &str, stats: &[EpisodeStats], r: &serde_json::Value) {
    let rows = r.as_array().unwrap();
    assert_eq!(stats.len(), rows.len(), "{id}");
    for (s, row) in stats.iter().zip(rows) {
        let what = format!("{id} {} {}", s.kind, s.level);
        assert_eq!(s.kind.as_str(), row["type"], "{what}");
        assert_eq!(s.level.as_str(), level_name(row["level"].as_str().unwrap()), "{what}");
        assert_eq!(s.count as f64, row["total_episodes"].as_f64().unwrap(), "{what} count");
        let close = |ours: f64, key: &str| {
            let theirs = row[key].as_f64().unwrap();
            assert!(
                (ours - theirs).abs() <= 1e-9 * theirs.abs().max(1.0),
                "{what} {key}: {ours} vs R {theirs}"
            );
        };
        close(s.per_day, "avg_ep_per_day");
        close(s.mean_duration_minutes, "avg_ep_duration");
        match (s.mean_glucose, row["avg_ep_gl"].as_f64()) {
            (Some(ours), Some(_)) => close(ours, "avg_ep_gl"),
            (None, None) => {}
            (ours, theirs) => panic!("{what} avg_ep_gl: {ours:?} vs R {theirs:?}"),
        }
    }
}

#[test]
fn pinned_episodes_match_r_iglu() {
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    for subject in fixture["subjects"].as_array().unwrap() {
        let id = subject["id"].as_str().unwrap();
        let ours: Episodes = serde_json::from_value(subject["pumppath_episodes"].clone())
            .unwrap_or_else(|e| panic!("{id}: pinned episodes: {e}"));
        assert_matches_r(id, &ours.stats, &subject["r_iglu_4_2_2_episodes"]);
        for stats in &ours.stats {
            if stats.level != EpisodeLevel::Level1Exclusive {
                let listed =
                    ours.episodes.iter().filter(|e| (e.kind, e.level) == (stats.kind, stats.level)).count();
                assert_eq!(listed as u64, stats.count, "{id} {} {}", stats.kind, stats.level);
            }
        }
    }
}

#[test]
fn iglu_example_data_reproduces_r_iglu_episodes() {
    let Some(bytes) = common::read_shared(IGLU_DATA) else {
        return;
    };
    let patients =
        pumppath::io::read_long_csv(bytes.as_slice(), Unit::MgDl, &SeriesOptions::default()).unwrap();
    let found: Vec<(String, Episodes)> =
        patients.iter().map(|p| (p.id.clone(), p.series.view().episodes())).collect();
    let mut fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    common::bless(FIXTURE, &mut fixture, "pumppath_episodes", &found);
    for (subject, (id, e)) in fixture["subjects"].as_array().unwrap().iter().zip(&found) {
        assert_eq!(subject["id"], id.as_str());
        assert_eq!(e.grid_minutes, Some(5), "{id}");
        assert_matches_r(id, &e.stats, &subject["r_iglu_4_2_2_episodes"]);
        let pinned: Episodes = serde_json::from_value(subject["pumppath_episodes"].clone()).unwrap();
        assert_eq!(pinned.episodes.len(), e.episodes.len(), "{id}");
        for (a, b) in pinned.episodes.iter().zip(&e.episodes) {
            assert_eq!((a.kind, a.level, a.start, a.end), (b.kind, b.level, b.start, b.end), "{id}");
            assert!((a.mean_glucose - b.mean_glucose).abs() <= 1e-12 * a.mean_glucose, "{id}");
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The "frequently" rule
// ---------------------------------------------------------------------------------------------------------

fn evidence(f: &Frequently, test: FrequencyTest) -> &FrequencyEvidence {
    f.evidence.iter().find(|e| e.test == test).unwrap()
}

/// 14 days of 5-minute readings at `base`, with `lows` 30-minute lows at 60 mg/dL on each of the days in
/// `low_days`, and highs at 300 mg/dL for `high_points` points on each day in `high_days`.
fn fortnight(
    base: f64,
    low_days: std::ops::Range<i64>,
    high_points: usize,
    high_days: std::ops::Range<i64>,
) -> Series {
    let n = 14 * 288;
    let times: Vec<i64> = (0..n as i64).map(|k| DAY + k * MIN5).collect();
    let values: Vec<f64> = (0..n as i64)
        .map(|k| {
            let (day, slot) = (k / 288, (k % 288) as usize);
            if low_days.contains(&day) && (100..106).contains(&slot) {
                60.0
            } else if high_days.contains(&day) && (150..150 + high_points).contains(&slot) {
                300.0
            } else {
                base
            }
        })
        .collect();
    mg_dl(&times, &values)
}

fn judge(series: &Series) -> Frequently {
    let end = *series.times().last().unwrap();
    frequently(&series.view(), end, &Targets::default(), &FrequentlySettings::default())
}

#[test]
fn steady_sufficient_data_is_not_frequent() {
    let f = judge(&fortnight(120.0, 0..0, 0, 0..0));
    assert!(f.sufficient);
    assert_eq!(f.verdicts, [FrequencyVerdict::NotFrequent]);
    assert_eq!(f.evidence.len(), 7);
    assert!(f.evidence.iter().all(|e| !e.fired));
    // On sufficient data the percents judge; the sparse-data episode tests stand aside, and the clinically
    // significant ones always apply.
    let applied: Vec<(&str, bool)> = f.evidence.iter().map(|e| (e.test.as_str(), e.applied)).collect();
    assert_eq!(
        applied,
        [
            ("percent_below_range", true),
            ("percent_below_very_low", true),
            ("percent_above_very_high", true),
            ("hypo_level_1_episodes", false),
            ("hyper_level_2_episodes", false),
            ("hypo_level_2_episodes", true),
            ("extended_hypo_episodes", true),
        ]
    );
    assert_eq!(f.window_end.to_string(), "1970-01-15T23:55:00");
    assert_eq!(f.window_start.to_string(), "1970-01-01T23:55:00");
    assert_eq!(f.episode_window_start.to_string(), "1970-01-08T23:55:00");
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["verdicts"][0], "not_frequent");
    assert_eq!(json["evidence"][0]["test"], "percent_below_range");
    assert_eq!(json["evidence"][0]["direction"], "low");
    assert_eq!(serde_json::from_value::<Frequently>(json).unwrap(), f);
}

#[test]
fn lows_count_as_episodes_only_in_the_last_week() {
    // A 30-minute low at 60 mg/dL every day of the first week: 1.04 % of readings < 70 (under 4 %), none
    // < 54, and the episodes are older than the 7-day episode window: not frequent.
    let f = judge(&fortnight(120.0, 0..7, 0, 0..0));
    assert_eq!(f.verdicts, [FrequencyVerdict::NotFrequent]);
    assert_eq!(evidence(&f, FrequencyTest::HypoLevel1Episodes).value, 0.0);
    // The same lows in the last week: seven level 1 episodes in 7 days, yet the 14 days meet every goal
    // (1.04 % < 70, under 4 %): the episode test alone never calls such a patient.
    let series = fortnight(120.0, 7..14, 0, 0..0);
    let f = judge(&series);
    assert!(f.sufficient);
    assert_eq!(f.verdicts, [FrequencyVerdict::NotFrequent]);
    let e = evidence(&f, FrequencyTest::HypoLevel1Episodes);
    assert_eq!((e.value, e.threshold, e.fired, e.applied, e.window_days), (7.0, 2.0, false, false, 7));
    // With only the last week's data, too sparse for the percents, the episodes carry the judgement: these
    // brief lows (2.1 % of the week's readings < 70) stay inside the goal, so they are not "frequently" low.
    let week = series.view().window(at(8 * DAY), at(20 * DAY), &TimeZone::UTC);
    let end = *week.times().last().unwrap();
    let f = frequently(&week, end, &Targets::default(), &FrequentlySettings::default());
    assert!(!f.sufficient);
    assert_eq!(f.verdicts, [FrequencyVerdict::InsufficientData]);
    let e = evidence(&f, FrequencyTest::HypoLevel1Episodes);
    assert_eq!((e.value, e.fired, e.applied), (7.0, false, true));
    // Ninety-minute lows every day of that week (6.3 % < 70): frequently low on the episodes.
    let long_lows: Vec<(i64, usize, usize, f64)> = (7..14).map(|day| (day, 100, 18, 60.0)).collect();
    let series = fortnight_with(&long_lows);
    let week = series.view().window(at(8 * DAY), at(20 * DAY), &TimeZone::UTC);
    let f = frequently(&week, end, &Targets::default(), &FrequentlySettings::default());
    assert_eq!(f.verdicts, [FrequencyVerdict::FrequentlyLow]);
    let fired: Vec<&str> = f.evidence.iter().filter(|e| e.fired).map(|e| e.test.as_str()).collect();
    assert_eq!(fired, ["hypo_level_1_episodes"]);
}

/// 14 days at 120 mg/dL with `(day, first slot, points, value)` excursions.
fn fortnight_with(excursions: &[(i64, usize, usize, f64)]) -> Series {
    let n = 14 * 288;
    let times: Vec<i64> = (0..n as i64).map(|k| DAY + k * MIN5).collect();
    let values: Vec<f64> = (0..n as i64)
        .map(|k| {
            let (day, slot) = (k / 288, (k % 288) as usize);
            excursions
                .iter()
                .find(|(d, first, points, _)| *d == day && (*first..first + points).contains(&slot))
                .map_or(120.0, |e| e.3)
        })
        .collect();
    mg_dl(&times, &values)
}

#[test]
fn clinically_significant_hypo_episodes_always_count() {
    // One 30-minute level 2 low (45 mg/dL) in the last week: 0.15 % < 54, every goal met, not frequent.
    let f = judge(&fortnight_with(&[(10, 100, 6, 45.0)]));
    assert!(f.sufficient);
    assert_eq!(f.verdicts, [FrequencyVerdict::NotFrequent]);
    assert_eq!(f.significant_episodes.len(), 1);
    assert_eq!(f.significant_episodes[0].level, EpisodeLevel::Level2);
    // Two of them: frequently low, whatever the percents.
    let f = judge(&fortnight_with(&[(10, 100, 6, 45.0), (12, 100, 6, 45.0)]));
    assert_eq!(f.verdicts, [FrequencyVerdict::FrequentlyLow]);
    let fired: Vec<&str> = f.evidence.iter().filter(|e| e.fired).map(|e| e.test.as_str()).collect();
    assert_eq!(fired, ["hypo_level_2_episodes"]);
    // One extended episode (150 minutes below 70) is enough.
    let f = judge(&fortnight_with(&[(11, 60, 30, 62.0)]));
    assert_eq!(f.verdicts, [FrequencyVerdict::FrequentlyLow]);
    let fired: Vec<&str> = f.evidence.iter().filter(|e| e.fired).map(|e| e.test.as_str()).collect();
    assert_eq!(fired, ["extended_hypo_episodes"]);
    assert_eq!(f.significant_episodes.iter().filter(|e| e.level == EpisodeLevel::Extended).count(), 1);
}

#[test]
fn percents_above_goals_are_frequent_and_both_can_hold() {
    // 100 minutes a day above 250 mg/dL: 6.9 % of readings, over the 5 % goal; and a low every day.
    // The lows (2.1 % < 70) meet their goal.
    let f = judge(&fortnight(120.0, 0..14, 20, 0..14));
    assert_eq!(f.verdicts, [FrequencyVerdict::FrequentlyHigh]);
    let high = evidence(&f, FrequencyTest::PercentAboveVeryHigh);
    assert!(high.fired && high.applied && (high.value - 20.0 / 288.0 * 100.0).abs() < 1e-9);
    assert_eq!(high.threshold, 5.0);
    // Deeper lows too (four 30-minute lows a day: 8.3 % < 70): both verdicts.
    let mut excursions: Vec<(i64, usize, usize, f64)> = Vec::new();
    for day in 0..14 {
        excursions.extend([
            (day, 20, 6, 60.0),
            (day, 60, 6, 60.0),
            (day, 100, 6, 60.0),
            (day, 150, 20, 300.0),
        ]);
        excursions.push((day, 200, 6, 60.0));
    }
    let f = judge(&fortnight_with(&excursions));
    assert_eq!(f.verdicts, [FrequencyVerdict::FrequentlyLow, FrequencyVerdict::FrequentlyHigh]);
}

#[test]
fn insufficient_data_never_reads_as_not_frequent() {
    let series = fortnight(120.0, 0..0, 0, 0..0);
    let short = series.view().window(at(8 * DAY), at(20 * DAY), &TimeZone::UTC);
    let end = *short.times().last().unwrap();
    let f = frequently(&short, end, &Targets::default(), &FrequentlySettings::default());
    assert!(!f.sufficient);
    assert_eq!(f.verdicts, [FrequencyVerdict::InsufficientData]);
    assert!(
        f.evidence.iter().filter(|e| e.test.as_str().starts_with("percent")).all(|e| !e.applied && !e.fired)
    );
    // Nothing at all.
    let empty = mg_dl(&[], &[]);
    let f = frequently(&empty.view(), 0, &Targets::default(), &FrequentlySettings::default());
    assert_eq!(f.verdicts, [FrequencyVerdict::InsufficientData]);
    // On sparse data the episode tests judge where the data there are miss a goal: the highs (9.3 % > 250 over
    // the three days) do, the brief lows (1.4 % < 70) do not.
    let lows = fortnight(120.0, 12..14, 40, 12..14);
    let short = lows.view().window(at(12 * DAY), at(20 * DAY), &TimeZone::UTC);
    let f = frequently(
        &short,
        *short.times().last().unwrap(),
        &Targets::default(),
        &FrequentlySettings::default(),
    );
    assert_eq!(f.verdicts, [FrequencyVerdict::FrequentlyHigh]);
    assert!(!f.sufficient);
    assert_eq!(evidence(&f, FrequencyTest::HypoLevel1Episodes).value, 2.0);
}

#[test]
fn goals_the_targets_do_not_set_are_not_tested() {
    let targets = Targets::preset(TargetPreset::PregnancyType1);
    let series = fortnight(120.0, 0..0, 0, 0..0);
    let f =
        frequently(&series.view(), *series.times().last().unwrap(), &targets, &FrequentlySettings::default());
    assert!(f.evidence.iter().all(|e| e.test != FrequencyTest::PercentAboveVeryHigh));
    assert_eq!(f.evidence.len(), 7);
    assert_eq!(f.verdicts, [FrequencyVerdict::NotFrequent]);
}

#[test]
fn every_preset_has_a_high_test() {
    // Pregnancy sets no > 250 goal: its high test is the above-range goal, > 140 under 25 %. A patient 60 %
    // above 140 (at 160 mg/dL, never above 250) is frequently high.
    let n = 14 * 288;
    let times: Vec<i64> = (0..n as i64).map(|k| DAY + k * MIN5).collect();
    let values: Vec<f64> = (0..n).map(|k| if k % 5 < 3 { 160.0 } else { 120.0 }).collect();
    let series = mg_dl(&times, &values);
    let end = *series.times().last().unwrap();
    let pregnancy = Targets::preset(TargetPreset::PregnancyType1);
    let f = frequently(&series.view(), end, &pregnancy, &FrequentlySettings::default());
    assert_eq!(f.verdicts, [FrequencyVerdict::FrequentlyHigh]);
    let e = evidence(&f, FrequencyTest::PercentAboveRange);
    assert_eq!((e.value.round(), e.threshold, e.fired, e.direction), (60.0, 25.0, true, Direction::High));
    for preset in TargetPreset::ALL {
        let f = frequently(&series.view(), end, &Targets::preset(preset), &FrequentlySettings::default());
        assert!(f.evidence.iter().any(|e| e.direction == Direction::High && e.applied), "{preset:?}");
    }
}

#[test]
fn a_fixed_window_counts_its_own_days_and_wear() {
    // 15 days of 5-minute readings with a two-hour gap at the start, middle or end of the last 14 days: 98.4 %
    // wear. The readings' own span would be short of 14 days with the gap at the start; the window's is not.
    let end = 16 * DAY;
    let start = end - 14 * DAY;
    for (name, gap_at) in [("start", start), ("middle", start + 7 * DAY), ("end", end - 2 * 3600)] {
        let times: Vec<i64> = (DAY / MIN5..=end / MIN5)
            .map(|k| k * MIN5)
            .filter(|t| !(gap_at < *t && *t <= gap_at + 7200))
            .collect();
        let series = mg_dl(&times, &vec![120.0; times.len()]);
        let f = frequently(&series.view(), end, &Targets::default(), &FrequentlySettings::default());
        assert!(f.sufficient, "gap at the {name}");
        let s = series.view().summary_of_period(at(start), at(end), &TimeZone::UTC, &Targets::default());
        let period = s.period.unwrap();
        assert_eq!(period.counted_days, 14.0, "gap at the {name}");
        assert!((period.active_percent - (4032.0 - 24.0) / 4032.0 * 100.0).abs() < 1e-9, "gap at the {name}");
    }
    // 90 % wear (every tenth reading missing), judged at each of ten midnights: always sufficient.
    let times: Vec<i64> = (0..30 * 288).filter(|k| k % 10 != 3).map(|k| DAY + k * MIN5).collect();
    let series = mg_dl(&times, &vec![120.0; times.len()]);
    for day in 16..26 {
        let f = frequently(&series.view(), day * DAY, &Targets::default(), &FrequentlySettings::default());
        assert!(f.sufficient, "day {day}");
    }
    // A sensor started four days ago: neither data before the window nor enough wear over it.
    let times: Vec<i64> = (0..4 * 288).map(|k| 12 * DAY + k * MIN5).collect();
    let series = mg_dl(&times, &vec![120.0; times.len()]);
    let s = series.view().summary_of_period(at(2 * DAY), at(16 * DAY), &TimeZone::UTC, &Targets::default());
    assert!(!s.sufficient);
    assert!(s.period.unwrap().counted_days < 4.1);
}

#[cfg(feature = "demo")]
#[test]
fn demo_profiles_read_as_their_names() {
    use pumppath::demo::{self, GlucoseProfile};
    let want = [
        (GlucoseProfile::WellControlled, vec![FrequencyVerdict::NotFrequent]),
        (GlucoseProfile::FrequentLows, vec![FrequencyVerdict::FrequentlyLow]),
        (GlucoseProfile::FrequentHighs, vec![FrequencyVerdict::FrequentlyHigh]),
    ];
    for (profile, verdicts) in want {
        let readings = demo::readings(profile, demo::DEMO_START, 14);
        let series = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default()).unwrap();
        let f = judge(&series);
        assert!(f.sufficient, "{profile:?}");
        assert_eq!(f.verdicts, verdicts, "{profile:?}: {:#?}", f.evidence);
    }
}

// ---------------------------------------------------------------------------------------------------------
// The grid: only present points are stored
// ---------------------------------------------------------------------------------------------------------

/// Two days of 5-minute readings swinging through lows and highs, from 08:00 of day 20 000.
fn swinging_days() -> (Vec<i64>, Vec<f64>) {
    let start = 20_000 * DAY + 8 * 3600 + 60;
    (0..576i64)
        .map(|k| {
            (start + k * MIN5, [60.0, 50.0, 60.0, 120.0, 200.0, 260.0, 300.0, 260.0][(k / 6 % 8) as usize])
        })
        .unzip()
}

#[test]
fn a_reading_30_years_away_adds_no_grid_points_and_changes_no_episode() {
    let (times, values) = swinging_days();
    let before = mg_dl(&times, &values).view().episodes();
    assert!(before.count(EpisodeKind::Hypo, EpisodeLevel::Level1) > 0);
    assert!(before.count(EpisodeKind::Hyper, EpisodeLevel::Level2) > 0);
    // Off the grid's lattice (7 s past a point): it adds no present point, so nothing changes at all.
    let on_lattice = (times[times.len() - 1] + 30 * 365 * DAY) / MIN5 * MIN5; // midnights are on it
    let far = on_lattice + 7;
    let (mut far_times, mut far_values) = (times.clone(), values.clone());
    far_times.push(far);
    far_values.push(100.0);
    let series = mg_dl(&far_times, &far_values);
    let grid = Grid::of(&series.view()).unwrap();
    assert!(grid.len() > 30 * 365 * 288, "the grid still spans the years: {}", grid.len());
    assert!(grid.present() <= 2 * far_times.len(), "stored {} points", grid.present());
    assert_eq!(grid.runs().count(), 1);
    assert!(grid.value(grid.len() - 1).is_nan());
    assert_eq!(series.view().episodes(), before);
    // On the lattice: one more present point, a run of its own too short for an episode; `days` counts it.
    far_times.pop();
    far_times.push(on_lattice);
    let series = mg_dl(&far_times, &far_values);
    let grid = Grid::of(&series.view()).unwrap();
    let runs: Vec<(usize, &[f64])> = grid.runs().collect();
    assert_eq!((runs.len(), runs[1].1), (2, &[100.0][..]));
    assert_eq!(grid.time(runs[1].0), on_lattice);
    let after = series.view().episodes();
    assert_eq!(after.episodes, before.episodes);
    assert_eq!(after.days, before.days + 5.0 / 1440.0);
    assert_eq!(counts(&after), counts(&before));
}

/// iglu's grid built point by point over the whole lattice, NaN included: the reference [`Grid`] must match.
fn full_grid(times: &[i64], values: &[f64]) -> Option<Vec<f64>> {
    let view = SeriesView::from_sorted(Unit::MgDl, times, values, SensorRange::default()).unwrap();
    let grid = Grid::of(&view)?;
    let (first, last) = (times[0], times[times.len() - 1]);
    let mut out = Vec::with_capacity(grid.len());
    let mut i = 0;
    for k in 0..grid.len() {
        let v = grid.time(k);
        if v < first || v > last {
            out.push(f64::NAN);
            continue;
        }
        while i + 1 < times.len() && times[i + 1] <= v {
            i += 1;
        }
        if v == times[i] {
            out.push(values[i]);
        } else if times[i + 1] - times[i] > MAX_BRIDGED_GAP_MINUTES * 60 {
            out.push(f64::NAN);
        } else {
            let (x0, x1, y0, y1) = (times[i] as f64, times[i + 1] as f64, values[i], values[i + 1]);
            out.push(y0 + (y1 - y0) * ((v as f64 - x0) / (x1 - x0)));
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

/// Strictly increasing times (mostly about 5 min apart, some gaps up to 2 h) and values from 40 to 400.
fn readings(max: usize) -> impl Strategy<Value = (Vec<i64>, Vec<f64>)> {
    prop::collection::vec(
        (
            prop_oneof![12 => 295i64..=305, 1 => 1i64..=7200],
            prop_oneof![2 => 40.0f64..=400.0, 1 => 45.0f64..=75.0, 1 => 170.0f64..=270.0],
        ),
        2..max,
    )
    .prop_map(common::accumulate)
}

fn seconds(e: &Episode) -> (i64, i64) {
    (to_seconds(e.start), to_seconds(e.end))
}

proptest! {
    #[test]
    fn the_grid_of_runs_is_iglus_whole_grid_point_for_point((times, values) in readings(300)) {
        let view = SeriesView::from_sorted(Unit::MgDl, &times, &values, SensorRange::default()).unwrap();
        let (Some(grid), Some(full)) = (Grid::of(&view), full_grid(&times, &values)) else {
            prop_assert_eq!(Grid::of(&view), None);
            return Ok(());
        };
        prop_assert_eq!(grid.len(), full.len());
        for (k, want) in full.iter().enumerate() {
            let got = grid.value(k);
            prop_assert!(got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()), "{k}: {got} vs {want}");
        }
        prop_assert_eq!(grid.present(), full.iter().filter(|v| !v.is_nan()).count());
        // Runs are the stretches between missing points: in order, never empty, never adjacent.
        let mut end = None;
        for (first, run) in grid.runs() {
            prop_assert!(!run.is_empty() && end.is_none_or(|e| first > e));
            prop_assert!(full.get(first.wrapping_sub(1)).is_none_or(|v| v.is_nan()));
            end = Some(first + run.len());
        }
    }

    #[test]
    fn episodes_lie_inside_the_data_and_never_overlap((times, values) in readings(400)) {
        let e = mg_dl(&times, &values).view().episodes();
        let (first, last) = (times[0], times[times.len() - 1]);
        for ep in &e.episodes {
            let (s, t) = seconds(ep);
            prop_assert!(first <= s && s <= t && t <= last);
            prop_assert_eq!(ep.duration_minutes, (t - s) / 60 + e.grid_minutes.unwrap());
        }
        for pair in e.episodes.windows(2) {
            if (pair[0].kind, pair[0].level) == (pair[1].kind, pair[1].level) {
                prop_assert!(seconds(&pair[0]).1 < seconds(&pair[1]).0);
            }
        }
        // Every level 2 episode lies inside a level 1 episode of its kind.
        for ep in e.episodes.iter().filter(|ep| ep.level == EpisodeLevel::Level2) {
            let (s, t) = seconds(ep);
            prop_assert!(e.episodes.iter().any(|l1| {
                let (a, b) = seconds(l1);
                l1.kind == ep.kind && l1.level == EpisodeLevel::Level1 && a <= s && t <= b
            }), "{:?}", ep);
        }
        for s in &e.stats {
            if s.level != EpisodeLevel::Level1Exclusive {
                let listed = e.episodes.iter().filter(|ep| (ep.kind, ep.level) == (s.kind, s.level)).count();
                prop_assert_eq!(listed as u64, s.count);
            }
        }
    }

    #[test]
    fn shifting_by_whole_days_changes_nothing((times, values) in readings(300), days in -3000i64..3000) {
        let a = mg_dl(&times, &values).view().episodes();
        let shifted: Vec<i64> = times.iter().map(|t| t + days * DAY).collect();
        let b = mg_dl(&shifted, &values).view().episodes();
        prop_assert_eq!(&a.stats, &b.stats);
        prop_assert_eq!(a.episodes.len(), b.episodes.len());
        for (x, y) in a.episodes.iter().zip(&b.episodes) {
            prop_assert_eq!(seconds(x).0 + days * DAY, seconds(y).0);
            prop_assert_eq!(x.mean_glucose, y.mean_glucose);
        }
        let settings = FrequentlySettings::default();
        let end = times[times.len() - 1];
        let fa = frequently(&mg_dl(&times, &values).view(), end, &Targets::default(), &settings);
        let fb = frequently(&mg_dl(&shifted, &values).view(), end + days * DAY, &Targets::default(), &settings);
        prop_assert_eq!(fa.verdicts, fb.verdicts);
        prop_assert_eq!(fa.evidence, fb.evidence);
    }

    #[test]
    fn raising_a_reading_above_250_never_removes_a_hyper_episode(
        (times, mut values) in readings(300),
        pick in any::<prop::sample::Index>(),
        to in 250.5f64..=400.0,
    ) {
        let before = mg_dl(&times, &values).view().episodes();
        let i = pick.index(values.len());
        prop_assume!(values[i] <= to);
        values[i] = to;
        let after = mg_dl(&times, &values).view().episodes();
        for level in [EpisodeLevel::Level1, EpisodeLevel::Level2] {
            let was = before.episodes.iter().filter(|e| e.kind == EpisodeKind::Hyper && e.level == level);
            for ep in was {
                let (s, t) = seconds(ep);
                prop_assert!(after.episodes.iter().any(|a| {
                    let (x, y) = seconds(a);
                    a.kind == EpisodeKind::Hyper && a.level == level && x <= t && s <= y
                }), "{level:?} episode {ep:?} vanished");
            }
        }
    }
}
