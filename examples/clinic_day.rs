//! The main job: what a clinic sees for its demo patients today: one day's bands, the 14-day CGM summary
//! against the consensus goals, then a patient's glucose episodes and the "frequently < 70 or > 250" verdict
//! with its evidence.
//!
//! Run with `cargo run --example clinic_day`.

use pumppath::cgm::{
    EpisodeKind, Episodes, Frequently, FrequentlySettings, MIN_ACTIVE_PERCENT, MIN_DAYS, Series,
    SeriesOptions, Summary, episodes, frequently,
};
use pumppath::demo::{self, GlucoseProfile};
use pumppath::glucose::{Band, Classifier, Targets, Unit};
use pumppath::pathway::{BlockedReason, PathwayView, Protocol};

/// The consensus goal for glucose variability: CV at most 36 % (Battelino et al. 2019).
const MAX_CV_PERCENT: f64 = 36.0;

fn main() -> Result<(), pumppath::Error> {
    let protocol = Protocol::standard();
    println!(
        "pumppath demo clinic, protocol {} v{}",
        protocol.id(),
        protocol.version()
    );
    println!("protocol fingerprint {}", &protocol.fingerprint()[..16]);
    println!();
    for patient in demo::cohort() {
        let record = patient.record(protocol)?;
        let view = PathwayView::of(protocol, &record);
        print_pathway(protocol, patient.name, patient.story, &view);
    }

    let day = demo::one_day();
    let values: Vec<f64> = day.iter().map(|&(_, v)| v).collect();
    let targets = Targets::default();
    let classifier = Classifier::new(&targets, Unit::MgDl);
    let counts = classifier.count(&values)?;
    let (Some(first), Some(last)) = (day.first(), day.last()) else {
        return Ok(());
    };
    println!("One CGM day, {} to {}", first.0, last.0);
    println!(
        "{} readings, {} missing; targets: {}",
        counts.total(),
        counts.missing,
        targets.name()
    );
    println!(
        "  {:<10} {:>14} {:>9} {:>9}",
        "band", "mg/dL", "readings", "share"
    );
    let cuts = classifier.cut_points();
    let ranges = [
        format!("< {}", cuts.very_low_below()),
        format!("{}–{}", cuts.very_low_below(), cuts.low_below() - 1.0),
        format!("{}–{}", cuts.low_below(), cuts.high_above()),
        format!("{}–{}", cuts.high_above() + 1.0, cuts.very_high_above()),
        format!("> {}", cuts.very_high_above()),
    ];
    for (band, range) in Band::ALL.iter().zip(&ranges) {
        let share = counts.percent(*band).unwrap_or(0.0);
        println!(
            "  {:<10} {:>14} {:>9} {:>8.1}%",
            band.as_str(),
            range,
            counts.get(*band),
            share
        );
    }
    let goals = targets.goals();
    let tir = counts.percent(Band::InRange).unwrap_or(0.0);
    let verdict = if tir > goals.min_percent_in_range {
        "meets"
    } else {
        "misses"
    };
    println!(
        "  time in range {tir:.1}% {verdict} the goal of more than {}%",
        goals.min_percent_in_range
    );

    let readings = demo::readings(GlucoseProfile::WellControlled, demo::DEMO_START, 14);
    let series = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default())?;
    println!();
    print_cgm_summary(&series.summary(&targets), &targets);

    // A patient with frequent lows: the episodes of the 14 days and the verdict at the end of the trace.
    let readings = demo::readings(GlucoseProfile::FrequentLows, demo::DEMO_START, 14);
    let series = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default())?;
    println!();
    print_episodes(&episodes(&series.view()));
    if let Some(&now) = series.times().last() {
        let settings = FrequentlySettings::default();
        println!();
        print_frequently(&frequently(&series.view(), now, &targets, &settings));
    }
    Ok(())
}

fn print_episodes(e: &Episodes) {
    println!(
        "Glucose episodes (FrequentLows profile, {:.1} days of interpolated data, grid {} min)",
        e.days,
        e.grid_minutes.unwrap_or(0)
    );
    println!(
        "  {:<6} {:<18} {:>9} {:>6} {:>8} {:>12} {:>10}",
        "kind", "level", "threshold", "count", "per day", "mean minutes", "mean mg/dL"
    );
    for s in &e.stats {
        let mean = s.mean_glucose.map_or("-".to_owned(), |m| format!("{m:.1}"));
        let sign = match s.kind {
            EpisodeKind::Hypo => "<",
            EpisodeKind::Hyper => ">",
        };
        println!(
            "  {:<6} {:<18} {:>9} {:>6} {:>8.2} {:>12.1} {:>10}",
            s.kind.as_str(),
            s.level.as_str(),
            format!("{sign} {}", s.threshold),
            s.count,
            s.per_day,
            s.mean_duration_minutes,
            mean
        );
    }
    println!("  the last five episodes:");
    let mut list: Vec<_> = e.episodes.iter().collect();
    list.sort_by_key(|ep| ep.start);
    for ep in list.iter().rev().take(5).rev() {
        println!(
            "    {} {:<8} {} to {} ({} min, mean {:.0} mg/dL)",
            ep.kind, ep.level, ep.start, ep.end, ep.duration_minutes, ep.mean_glucose
        );
    }
}

fn print_frequently(f: &Frequently) {
    let verdicts: Vec<&str> = f.verdicts.iter().map(|v| v.as_str()).collect();
    println!(
        "\"Call the clinic if your glucose is frequently < 70 or > 250\": {} (data {}sufficient)",
        verdicts.join(" + "),
        if f.sufficient { "" } else { "NOT " }
    );
    println!(
        "  windows: ({}, {}] for percents, ({}, {}] for episodes",
        f.window_start, f.window_end, f.episode_window_start, f.window_end
    );
    println!(
        "  {:<24} {:<5} {:>8} {:>10} {:>5}  result",
        "test", "dir", "value", "threshold", "days"
    );
    for e in &f.evidence {
        let result = match (e.applied, e.fired) {
            (false, _) => "not applied (insufficient data)",
            (true, true) => "FIRED",
            (true, false) => "-",
        };
        println!(
            "  {:<24} {:<5} {:>8.2} {:>10} {:>5}  {result}",
            e.test.as_str(),
            e.direction.as_str(),
            e.value,
            e.threshold,
            e.window_days
        );
    }
}

fn print_pathway(protocol: &Protocol, name: &str, story: &str, view: &PathwayView) {
    let phase_title = protocol
        .phases()
        .iter()
        .find(|p| p.id == view.current_phase)
        .map_or(view.current_phase.as_str(), |p| p.title.as_str());
    let status = if view.pathway_complete {
        "pathway complete"
    } else {
        "current phase"
    };
    println!("{name} ({story})");
    println!("  {status}: {phase_title}");
    let progress: Vec<String> = view
        .phases
        .iter()
        .map(|p| format!("{} {}/{}", p.phase, p.required_done, p.required))
        .collect();
    println!("  progress: {}", progress.join(", "));
    for step in view.next_steps.iter().take(4) {
        let state = if step.state == pumppath::pathway::ItemState::NotStarted {
            String::new()
        } else {
            format!(" ({})", step.state)
        };
        let title = format!("{}{state}", step.title);
        println!("  next: {title:<48} [{}; handout {}]", step.role, step.source);
    }
    if view.next_steps.len() > 4 {
        println!("  ... and {} more next steps", view.next_steps.len() - 4);
    }
    for b in &view.blocked {
        if let BlockedReason::OnHold { note } = &b.why {
            println!(
                "  on hold: {} ({})",
                b.item,
                note.as_deref().unwrap_or("no reason recorded")
            );
        }
    }
    println!();
}

/// The 14-day consensus report: wear and sufficiency, then each metric against its goal.
fn print_cgm_summary(s: &Summary, targets: &Targets) {
    let (Some(first), Some(last)) = (s.first, s.last) else {
        println!("no CGM readings");
        return;
    };
    let unit = s.unit;
    println!(
        "14-day CGM summary: {} to {} ({:.1} days)",
        first.strftime("%Y-%m-%d %H:%M"),
        last.strftime("%Y-%m-%d %H:%M"),
        s.span_days.unwrap_or(0.0)
    );
    println!(
        "{} readings, CGM active {:.1}% ({} missing, {} duplicates, {} at the sensor limit)",
        s.readings,
        s.active_percent.unwrap_or(0.0),
        s.missing,
        s.duplicates,
        s.at_sensor_limit
    );
    let reasons: Vec<&str> = s.insufficient_reasons.iter().map(|r| r.as_str()).collect();
    println!(
        "data {} for a consensus report (at least {MIN_DAYS} days, at least {MIN_ACTIVE_PERCENT}% active){}",
        if s.sufficient {
            "sufficient"
        } else {
            "NOT sufficient"
        },
        if reasons.is_empty() {
            String::new()
        } else {
            format!(": {}", reasons.join(", "))
        }
    );
    println!();
    let value = |v: Option<f64>, unit: &str| v.map_or("-".to_owned(), |v| format!("{v:.1} {unit}"));
    println!("{:<26} {:>12}  goal", "metric", "value");
    println!("{:<26} {:>12}", "mean glucose", value(s.mean, unit.as_str()));
    println!(
        "{:<26} {:>12}",
        "GMI",
        s.gmi.map_or("-".to_owned(), |v| format!("{v:.2} %"))
    );
    let cuts = targets.cut_points(unit);
    let goals = targets.goals();
    let sum = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a + b);
    let rows = [
        ("CV".to_owned(), s.cv, Some(Goal::AtMost(MAX_CV_PERCENT))),
        (
            format!("time in range {}-{}", cuts.low_below(), cuts.high_above()),
            s.percent_in_range,
            Some(Goal::Above(goals.min_percent_in_range)),
        ),
        (
            format!("time below {}", cuts.low_below()),
            sum(s.percent_very_low, s.percent_low),
            Some(Goal::Below(goals.max_percent_below_low)),
        ),
        (
            format!("time below {}", cuts.very_low_below()),
            s.percent_very_low,
            goals.max_percent_below_very_low.map(Goal::Below),
        ),
        (
            format!("time above {}", cuts.high_above()),
            sum(s.percent_high, s.percent_very_high),
            goals.max_percent_above_high.map(Goal::Below),
        ),
        (
            format!("time above {}", cuts.very_high_above()),
            s.percent_very_high,
            goals.max_percent_above_very_high.map(Goal::Below),
        ),
    ];
    for (label, percent, goal) in rows {
        let (goal_text, verdict) = match (goal, percent) {
            (Some(goal), Some(p)) => (goal.to_string(), if goal.met(p) { "met" } else { "MISSED" }),
            _ => ("-".to_owned(), ""),
        };
        println!(
            "{label:<26} {:>12}  {goal_text:<10} {verdict}",
            value(percent, "%")
        );
    }
}

/// A consensus goal for a percent.
#[derive(Clone, Copy)]
enum Goal {
    /// More than this.
    Above(f64),
    /// Less than this.
    Below(f64),
    /// This or less.
    AtMost(f64),
}

impl Goal {
    fn met(self, percent: f64) -> bool {
        match self {
            Goal::Above(g) => percent > g,
            Goal::Below(g) => percent < g,
            Goal::AtMost(g) => percent <= g,
        }
    }
}

impl std::fmt::Display for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Goal::Above(g) => write!(f, "> {g}%"),
            Goal::Below(g) => write!(f, "< {g}%"),
            Goal::AtMost(g) => write!(f, "<= {g}%"),
        }
    }
}
