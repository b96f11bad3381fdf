//! The main job: a clinic day on the embedded demo cohort. First the clinic's work-list for the day: every
//! patient's actions in one list, grouped by who acts, safety first; then for each patient the phase, the next
//! follow-up, the CGM window and today's actions with their reasons; then one day's bands, a 14-day CGM
//! summary, a patient's glucose episodes and the "frequently < 70 or > 250" verdict with its evidence.
//!
//! Run with `cargo run --example clinic_day`; `cargo run --example clinic_day -- --json` prints the work-list
//! as JSON instead.

use pumppath::cgm::{
    EpisodeKind, Episodes, Frequently, FrequentlySettings, GoalMetric, MIN_ACTIVE_PERCENT, MIN_DAYS, Series,
    SeriesOptions, Summary,
};
use pumppath::demo::{self, GlucoseProfile};
use pumppath::glucose::{Band, Classifier, Targets, Unit};
use pumppath::jiff;
use pumppath::pathway::Protocol;
use pumppath::rules::{Assessment, PatientInput, Worklist, frequently_at, worklist};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protocol = Protocol::standard();
    let now: jiff::Timestamp = demo::DEMO_NOW.parse()?;
    let cohort = demo::cohort();
    let mut panel = Vec::with_capacity(cohort.len());
    for patient in &cohort {
        let record = patient.record(protocol)?;
        let series = Series::from_readings(Unit::MgDl, patient.readings(), &SeriesOptions::default())?;
        panel.push(PatientInput::new(record, Some(series)));
    }
    let list = worklist(&panel, now, demo::DEMO_TIME_ZONE)?;
    if std::env::args().any(|a| a == "--json") {
        println!("{}", list.to_json());
        return Ok(());
    }
    let local = jiff::tz::TimeZone::get(demo::DEMO_TIME_ZONE)?.to_datetime(now);
    println!(
        "pumppath clinic day {} ({}, {})",
        local.date(),
        local.time().strftime("%H:%M"),
        demo::DEMO_TIME_ZONE
    );
    println!(
        "protocol {} v{} (fingerprint {}...)",
        protocol.id(),
        protocol.version(),
        &protocol.fingerprint()[..12]
    );
    println!();
    print_worklist(&list, &cohort);
    for (patient, assessment) in cohort.iter().zip(&list.assessments) {
        print_patient(protocol, patient, assessment);
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
    println!("{} readings, {} missing; targets: {}", counts.total(), counts.missing, targets.name());
    println!("  {:<10} {:>14} {:>9} {:>9}", "band", "mg/dL", "readings", "share");
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
        println!("  {:<10} {:>14} {:>9} {:>8.1}%", band.as_str(), range, counts.get(*band), share);
    }
    let goals = targets.goals();
    let tir = counts.percent(Band::InRange).unwrap_or(0.0);
    let verdict = if tir > goals.min_percent_in_range { "meets" } else { "misses" };
    println!("  time in range {tir:.1}% {verdict} the goal of more than {}%", goals.min_percent_in_range);

    let readings = demo::readings(GlucoseProfile::WellControlled, demo::DEMO_START, 14);
    let series = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default())?;
    println!();
    print_cgm_summary(&series.view().summary(&targets), &targets);

    // A patient with frequent lows: the episodes of the 14 days and the verdict at the clinic's "now", as the
    // assessment judges it (the trace's wall-clock is the clinic's).
    let readings = demo::readings(GlucoseProfile::FrequentLows, demo::DEMO_START, 14);
    let series = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default())?;
    println!();
    print_episodes(&series.view().episodes());
    let settings = FrequentlySettings::default();
    let verdict = frequently_at(&series, demo::DEMO_NOW.parse()?, demo::DEMO_TIME_ZONE, &targets, &settings)?;
    println!();
    print_frequently(&verdict);
    Ok(())
}

/// The day's work-list, one block per role (the front desk, the provider, ...), each safety first.
fn print_worklist(list: &Worklist, cohort: &[demo::DemoPatient]) {
    let name = |id: &str| cohort.iter().find(|p| p.id == id).map_or(id.to_owned(), |p| p.name.to_owned());
    println!("Work-list: {} actions for {} patients", list.items.len(), list.patients.len());
    for group in list.by_role() {
        println!("  {} ({})", group.role, group.items.len());
        for i in &group.items {
            let a = &i.action;
            println!(
                "    {:<8} {} {:<14} {}  [{}]",
                a.severity.as_str().to_uppercase(),
                a.due,
                name(&i.patient_id),
                a.message,
                a.rule
            );
        }
    }
    let quiet: usize = list.patients.iter().map(|h| h.acknowledged).sum();
    if quiet > 0 {
        println!(
            "  ({quiet} acknowledged action{} quiet; see the patient below)",
            if quiet == 1 { "" } else { "s" }
        );
    }
    println!();
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
    println!("  {:<24} {:<5} {:>8} {:>10} {:>5}  result", "test", "dir", "value", "threshold", "days");
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

fn print_patient(protocol: &Protocol, patient: &demo::DemoPatient, a: &Assessment) {
    let phase_title = protocol
        .phases()
        .iter()
        .find(|p| p.id == a.pathway.current_phase)
        .map_or(a.pathway.current_phase.as_str(), |p| p.title.as_str());
    println!("{} [{}]: {}", patient.name, patient.id, patient.story);
    let done: u32 = a.pathway.phases.iter().map(|p| p.required_done).sum();
    let total: u32 = a.pathway.phases.iter().map(|p| p.required).sum();
    let status = if a.pathway.pathway_complete { "pathway complete" } else { "in phase" };
    println!("  {status}: {phase_title} ({done} of {total} required items done)");
    if let Some(start) = a.schedule.pump_started_on {
        let next = a.schedule.follow_up.as_ref().map(|f| format!("{} ({})", f.next.due, f.next.state));
        println!("  pump started {start}; next follow-up {}", next.unwrap_or_default());
    }
    if let Some(s) = &a.cgm {
        // The window the rules judge: the last 14 days, or since the pump start when that is later.
        let (days, wear) = s.period.map_or((0.0, 0.0), |p| (p.days, p.active_percent));
        let since = a.frequently.as_ref().and_then(|f| f.since).filter(|_| days < 14.0);
        let window =
            since.map_or(format!("last {days:.0} days"), |t| format!("since the pump start {}", t.date()));
        println!(
            "  CGM, {window}: in range {:.1}%, below 70 {:.1}%, above 250 {:.1}%, active {wear:.0}%{}",
            s.percent_in_range.unwrap_or(0.0),
            s.percent_below_70.unwrap_or(0.0),
            s.percent_above_250.unwrap_or(0.0),
            if s.sufficient { "" } else { " (too little to judge the percents)" },
        );
    }
    for q in &a.acknowledged {
        println!(
            "  acknowledged by {} until {}: {}  [{}]",
            q.acknowledged_by, q.quiet_until, q.action.message, q.action.rule
        );
    }
    if a.actions.is_empty() {
        println!("  nothing to do today");
    }
    for action in &a.actions {
        let due = action.due.to_string();
        println!(
            "  {:<8} {:<10} {:<13} {}  [{}; handout {}]",
            action.severity.as_str().to_uppercase(),
            due,
            action.role.as_str(),
            action.message,
            action.rule,
            action.source
        );
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
        if s.sufficient { "sufficient" } else { "NOT sufficient" },
        if reasons.is_empty() { String::new() } else { format!(": {}", reasons.join(", ")) }
    );
    println!();
    let value = |v: Option<f64>, unit: &str| v.map_or("-".to_owned(), |v| format!("{v:.1} {unit}"));
    println!("{:<26} {:>12}  goal", "metric", "value");
    println!("{:<26} {:>12}", "mean glucose", value(s.mean, unit.as_str()));
    println!("{:<26} {:>12}", "GMI", s.gmi.map_or("-".to_owned(), |v| format!("{v:.2} %")));
    let cuts = targets.cut_points(unit);
    for check in s.goal_checks(targets) {
        let label = match check.metric {
            GoalMetric::Cv => "CV".to_owned(),
            GoalMetric::PercentInRange => format!("time in range {}-{}", cuts.low_below(), cuts.high_above()),
            GoalMetric::PercentBelowRange => format!("time below {}", cuts.low_below()),
            GoalMetric::PercentBelowVeryLow => format!("time below {}", cuts.very_low_below()),
            GoalMetric::PercentAboveRange => format!("time above {}", cuts.high_above()),
            GoalMetric::PercentAboveVeryHigh => format!("time above {}", cuts.very_high_above()),
        };
        let goal = format!("{} {}%", check.comparison, check.goal);
        let verdict = match check.met {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "",
        };
        println!("{label:<26} {:>12}  {goal:<10} {verdict}", value(check.value, "%"));
    }
}
