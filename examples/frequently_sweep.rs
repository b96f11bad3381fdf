//! How often the "frequently < 70 or > 250" rule calls patients, evaluated at every midnight of each trace.
//!
//! ```text
//! cargo run --release --example frequently_sweep [-- path/to/long.csv ...]
//! ```
//!
//! With no argument it reads the shared data sets beside the repository (`../shared/data/cgm/`, the Hall 2018
//! and iglu example subjects) when they are there, and always the demo cohort's 28-day traces. For each data
//! set it prints how many midnight evaluations and subjects are called frequently low or high, which tests
//! fired, and how many low calls came from an episode test while the 14-day percents met every goal.
use std::collections::BTreeSet;
use std::path::Path;

use pumppath::cgm::{Direction, FrequencyTest, FrequentlySettings, SECONDS_PER_DAY, Series, SeriesOptions};
use pumppath::demo::{self, GlucoseProfile};
use pumppath::glucose::{Targets, Unit};
use pumppath::jiff;

#[derive(Default)]
struct Tally {
    evaluations: u64,
    sufficient: u64,
    low: u64,
    high: u64,
    low_subjects: BTreeSet<String>,
    high_subjects: BTreeSet<String>,
    /// Low calls by an episode test alone while the 14-day data met every goal of the targets.
    low_episodes_goals_met: u64,
    fired: std::collections::BTreeMap<String, u64>,
}

fn sweep(tally: &mut Tally, id: &str, series: &Series, targets: &Targets, settings: &FrequentlySettings) {
    let times = series.times();
    let (Some(&first), Some(&last)) = (times.first(), times.last()) else { return };
    let mut midnight = first.div_euclid(SECONDS_PER_DAY) * SECONDS_PER_DAY + SECONDS_PER_DAY;
    while midnight <= last {
        // Midnight of the readings' own clock (wall-clock read as UTC for zoneless data).
        let now = jiff::Timestamp::from_second(midnight).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let Ok(verdict) = pumppath::rules::frequently_at(series, now, "UTC", targets, settings) else {
            return;
        };
        tally.evaluations += 1;
        tally.sufficient += u64::from(verdict.sufficient);
        if verdict.frequently_low {
            tally.low += 1;
            tally.low_subjects.insert(id.to_owned());
            let window = |t: i64| jiff::Timestamp::from_second(t).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            let summary = series
                .view()
                .window(
                    window(midnight - 14 * SECONDS_PER_DAY + 1),
                    window(midnight + 1),
                    &jiff::tz::TimeZone::UTC,
                )
                .summary(targets);
            let goals_met =
                summary.goal_checks(targets).iter().all(|c| c.met == Some(true) || c.met.is_none());
            let by_percent = verdict.evidence.iter().any(|e| {
                e.fired
                    && e.direction == Direction::Low
                    && matches!(e.test, FrequencyTest::PercentBelowRange | FrequencyTest::PercentBelowVeryLow)
            });
            if goals_met && !by_percent {
                tally.low_episodes_goals_met += 1;
            }
        }
        if verdict.frequently_high {
            tally.high += 1;
            tally.high_subjects.insert(id.to_owned());
        }
        for e in verdict.evidence.iter().filter(|e| e.fired) {
            *tally.fired.entry(e.test.as_str().to_owned()).or_default() += 1;
        }
        midnight += SECONDS_PER_DAY;
    }
}

fn report(name: &str, subjects: usize, t: &Tally) {
    let fired: Vec<String> = t.fired.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!(
        "{name}: {subjects} subjects, {} evaluations ({} sufficient); frequently low: {} subjects, {} evaluations \
         ({} by an episode test with every goal met); frequently high: {} subjects, {} evaluations; fired: {}",
        t.evaluations,
        t.sufficient,
        t.low_subjects.len(),
        t.low,
        t.low_episodes_goals_met,
        t.high_subjects.len(),
        t.high,
        if fired.is_empty() { "none".to_owned() } else { fired.join(", ") },
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let targets = Targets::default();
    let settings = FrequentlySettings::default();
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/cgm");
        for file in ["hall_2018_19_subjects.csv", "iglu_example_5_subject.csv"] {
            let path = shared.join(file);
            if path.exists() {
                paths.push(path.display().to_string());
            } else {
                println!(
                    "{}: not found, skipped (the shared data sets sit beside the repository)",
                    path.display()
                );
            }
        }
    }
    for path in &paths {
        let file = std::fs::File::open(path)?;
        let patients = pumppath::io::read_long_csv(file, Unit::MgDl, &SeriesOptions::default())?;
        let mut tally = Tally::default();
        for pumppath::cgm::PatientSeries { id, series } in &patients {
            sweep(&mut tally, id, series, &targets, &settings);
        }
        let name = Path::new(path).file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        report(&name, patients.len(), &tally);
    }
    let mut tally = Tally::default();
    let profiles =
        [GlucoseProfile::WellControlled, GlucoseProfile::FrequentLows, GlucoseProfile::FrequentHighs];
    for profile in profiles {
        let series = Series::from_readings(
            Unit::MgDl,
            demo::readings(profile, demo::DEMO_START, 28),
            &SeriesOptions::default(),
        )?;
        sweep(&mut tally, &format!("{profile:?}"), &series, &targets, &settings);
    }
    report("demo 28-day traces (well controlled, frequent lows, frequent highs)", profiles.len(), &tally);

    // A patient who meets every goal yet has brief lows: 28 days at 120 mg/dL with a 30-minute low at 62 mg/dL
    // every other day (3-4 level 1 episodes a week, 1.0 % < 70).
    let times: Vec<i64> = (0..28 * 288).map(|k| k * 300).collect();
    let values: Vec<f64> = (0..28 * 288)
        .map(|k| if (k / 288) % 2 == 0 && (k % 288) >= 30 && (k % 288) < 36 { 62.0 } else { 120.0 })
        .collect();
    let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
    let mut tally = Tally::default();
    sweep(&mut tally, "goals met, brief lows", &series, &targets, &settings);
    report("generated 28-day trace meeting every goal with brief lows", 1, &tally);
    Ok(())
}
