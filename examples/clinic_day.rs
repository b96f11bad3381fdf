//! The main job: a clinic day on the embedded demo cohort. First the clinic's work-list for the day: every
//! patient's actions in one list, grouped by who at the clinic acts, safety first; then for each patient the
//! phase, the next visit, the CGM window and today's actions with their reasons; then the trace of a patient who
//! looks fine (every rule, fired or not, and why); then one named patient's CGM
//! behind her actions: the summary of the window the rules judged, its glucose episodes and the "frequently
//! < 70 or > 250" verdict with its evidence, all of the same readings; last, her own view of the pathway, what
//! she reads on a phone.
//!
//! Run with `cargo run --example clinic_day`; `cargo run --example clinic_day -- --json` prints the work-list
//! as JSON instead.

use pumppath::cgm::{
    EpisodeKind, Episodes, Frequently, GoalMetric, MIN_ACTIVE_PERCENT, MIN_DAYS, Series, SeriesOptions,
    Summary,
};
use pumppath::demo;
use pumppath::glucose::{Targets, Unit};
use pumppath::jiff;
use pumppath::pathway::Protocol;
use pumppath::rules::{
    Assessment, EvaluationOptions, PatientHeadline, PatientInput, VisitDue, Worklist, evaluate, worklist,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protocol = Protocol::standard();
    let now: jiff::Timestamp = demo::DEMO_NOW.parse()?;
    let cohort = demo::cohort();
    // The clinic's records and series; the panel borrows them.
    let mut loaded = Vec::with_capacity(cohort.len());
    for patient in &cohort {
        let record = patient.record(protocol)?;
        let series = Series::from_readings(Unit::MgDl, patient.readings(), &SeriesOptions::default())?;
        loaded.push((record, series));
    }
    let panel: Vec<PatientInput<'_>> = loaded.iter().map(|(r, s)| PatientInput::new(r, Some(s))).collect();
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
    for headline in &list.patients {
        // The whole assessment, its actions taken from the list.
        let Some(assessment) = list.assessment(&headline.patient_id) else { continue };
        let Some(patient) = cohort.iter().find(|p| p.id == assessment.patient_id) else { continue };
        print_patient(patient, Some(headline), &assessment);
    }

    // Why not: the trace of a patient who looks fine (Dev: well controlled on the pump), every rule with its
    // verdict and why, so a provider can ask "why is Dev not flagged for lows?".
    if let Some((patient, (record, series))) = cohort.iter().zip(&loaded).find(|(p, _)| p.id == "dev") {
        let options = EvaluationOptions { trace: true, ..Default::default() };
        let traced = evaluate(record, Some(series), now, demo::DEMO_TIME_ZONE, &options)?;
        print_trace(patient.name, &traced);
    }

    // One patient's CGM behind her actions: the window the rules judged, its episodes and the "frequently"
    // verdict, all of the same readings, so every number agrees with her actions above.
    let focus = "chloe";
    let found = cohort.iter().zip(&panel).find(|(p, _)| p.id == focus);
    let assessment = list.assessments.iter().find(|a| a.patient_id == focus);
    if let (Some((patient, input)), Some(a)) = (found, assessment) {
        let (Some(series), Some(summary), Some(verdict)) = (input.readings, &a.cgm, &a.frequently) else {
            return Ok(());
        };
        // Her own targets, as the rules judged her.
        let targets =
            input.targets.cloned().unwrap_or_else(|| input.record.targets_at(list.evaluated_at).clone());
        println!("{}'s CGM, the window her actions judge", patient.name);
        println!();
        print_cgm_summary(summary, &targets);
        if let Some(period) = summary.period {
            // The period (start, end] is the readings' wall-clock, the clinic's: the episodes of the same readings.
            let zone = jiff::tz::TimeZone::get(demo::DEMO_TIME_ZONE)?;
            let instant = |t: jiff::civil::DateTime| zone.to_timestamp(t);
            if let (Ok(start), Ok(end)) = (instant(period.start), instant(period.end)) {
                let second = jiff::SignedDuration::from_secs(1);
                let window = series.view().window(start + second, end + second, &zone);
                println!();
                print_episodes(&window.episodes(), &format!("({}, {}]", period.start, period.end));
            }
        }
        println!();
        print_frequently(verdict);
    }
    print_patient_view(&list, &cohort, &panel, "chloe")?;
    Ok(())
}

/// One patient's trace: every rule of the catalogue, what it came to and why, in the catalogue's order.
fn print_trace(name: &str, a: &Assessment) {
    let Some(trace) = &a.trace else { return };
    println!("Why and why not: {name}'s trace, every rule and what it came to");
    for e in trace {
        println!("  {:<26} {:<17} {}", e.rule.as_str(), e.outcome.as_str(), e.sentence);
    }
    println!();
}

/// A number beside the minimum or goal it is judged against, to one decimal, never rounded onto or across it
/// (as the rules' messages print it): 69.96 % wear against 70 reads "69.96", not "70.0" beside "too little wear".
fn beside(value: f64, threshold: f64) -> String {
    for decimals in 1..=3 {
        let text = format!("{value:.decimals$}");
        let shown: f64 = text.parse().unwrap_or(value);
        if (value < threshold) == (shown < threshold) && (value > threshold) == (shown > threshold) {
            return text;
        }
    }
    let rounded = if value < threshold { (value * 10.0).floor() } else { (value * 10.0).ceil() };
    format!("{:.1}", rounded / 10.0)
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

fn print_episodes(e: &Episodes, window: &str) {
    println!(
        "Glucose episodes in {window} ({:.1} days of interpolated data, grid {} min)",
        e.days,
        e.grid_minutes.unwrap_or(0)
    );
    println!(
        "  {:<6} {:<18} {:>9} {:>6} {:>8} {:>12} {:>10}",
        "kind",
        "level",
        "threshold",
        "count",
        "per day",
        "mean minutes",
        format!("mean {}", e.unit)
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
            "    {} {:<8} {} to {} ({} min, mean {:.0} {})",
            ep.kind, ep.level, ep.start, ep.end, ep.duration_minutes, ep.mean_glucose, e.unit
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
    // A test not applied says why, from the data: percents wait for sufficient data, and the sparse-data
    // episode tests stand aside when the percents can judge.
    let not_applied = if f.sufficient {
        "not applied (sufficient data: the percents judge)"
    } else {
        "not applied (insufficient data)"
    };
    println!(
        "  windows: ({}, {}] for percents, ({}, {}] for episodes",
        f.window_start, f.window_end, f.episode_window_start, f.window_end
    );
    println!("  {:<24} {:<5} {:>8} {:>10} {:>5}  result", "test", "dir", "value", "threshold", "days");
    for e in &f.evidence {
        let result = match (e.applied, e.fired) {
            (false, _) => not_applied,
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

fn print_patient(patient: &demo::DemoPatient, headline: Option<&PatientHeadline>, a: &Assessment) {
    let phase = a.pathway.phases.iter().find(|p| p.phase == a.pathway.current_phase);
    let phase_title = phase.map_or(a.pathway.current_phase.as_str(), |p| p.title.as_str());
    println!("{} [{}]: {}", patient.name, patient.id, patient.story);
    // The phase's own count under its heading; the whole pathway's beside it.
    let done: u32 = a.pathway.phases.iter().map(|p| p.required_done).sum();
    let total: u32 = a.pathway.phases.iter().map(|p| p.required).sum();
    let status = if a.pathway.pathway_complete { "pathway complete" } else { "in phase" };
    let here = phase.map_or(String::new(), |p| {
        format!("{} of {} required items of the phase done; ", p.required_done, p.required)
    });
    println!("  {status}: {phase_title} ({here}{done} of {total} in the pathway)");
    if let Some(start) = a.schedule.pump_started_on {
        // The headline's next visit: the pending specialist visit before any follow-up.
        let next = headline.and_then(|h| h.next_visit.as_ref()).map(|v| {
            let what = match v.visit {
                VisitDue::SpecialistVisit => "specialist visit",
                VisitDue::FollowUp => "follow-up",
            };
            let booked = v.booked_for.map(|d| format!(", booked for {d}")).unwrap_or_default();
            format!("next visit: {what} due {} ({}{booked})", v.due, v.state)
        });
        println!("  pump started {start}; {}", next.unwrap_or_else(|| "no visit pending".into()));
    }
    if let Some(s) = &a.cgm {
        // The window the rules judge: the protocol's last days, or since the pump start when that is later;
        // the days are the days of data in it.
        let (window_days, data_days, wear) =
            s.period.map_or((0.0, 0.0, 0.0), |p| (p.counted_days, p.data_days, p.active_percent));
        let since =
            a.frequently.as_ref().and_then(|f| f.since).filter(|t| s.period.is_some_and(|p| p.start == *t));
        let window = since
            .map_or(format!("last {window_days:.0} days"), |t| format!("since the pump start {}", t.date()));
        println!(
            "  CGM, {window}: {} days of data, in range {:.1}%, below 70 {:.1}%, above 250 {:.1}%, active {}%{}",
            beside(data_days, MIN_DAYS as f64),
            s.percent_in_range.unwrap_or(0.0),
            s.percent_below_70.unwrap_or(0.0),
            s.percent_above_250.unwrap_or(0.0),
            beside(wear, MIN_ACTIVE_PERCENT),
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
            "  {:<8} {:<10} {:<13} {}  [{} {}; handout {}]",
            action.severity.as_str().to_uppercase(),
            due,
            action.role.as_str(),
            action.message,
            action.rule,
            action.state,
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
    let (days, wear) = s.period.map_or((s.span_days.unwrap_or(0.0), s.active_percent.unwrap_or(0.0)), |p| {
        (p.data_days, p.active_percent)
    });
    println!(
        "CGM summary: readings {} to {} ({} days of data)",
        first.strftime("%Y-%m-%d %H:%M"),
        last.strftime("%Y-%m-%d %H:%M"),
        beside(days, MIN_DAYS as f64)
    );
    println!(
        "{} readings, CGM active {}% ({} missing, {} duplicates, {} at the sensor limit)",
        s.readings,
        beside(wear, MIN_ACTIVE_PERCENT),
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

/// One patient's own view of their assessment, as they read it on a phone (Markdown), headed by their name so
/// it is never taken for another patient's.
fn print_patient_view(
    list: &Worklist,
    cohort: &[demo::DemoPatient],
    panel: &[PatientInput<'_>],
    id: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let (Some((patient, input)), Some(assessment)) =
        (cohort.iter().zip(panel).find(|(p, _)| p.id == id), list.assessment(id))
    else {
        return Ok(());
    };
    // Her targets and unit, as the rules judged her.
    let targets =
        input.targets.cloned().unwrap_or_else(|| input.record.targets_at(list.evaluated_at).clone());
    let unit = input.readings.map_or(Unit::MgDl, |s| s.unit());
    let view = pumppath::patient::PatientView::of(&assessment, input.record.protocol(), &targets, unit)?;
    println!();
    println!("=== Patient view for {} ({}): what the patient reads on a phone ===", patient.name, patient.id);
    println!();
    print!("{}", view.to_markdown());
    Ok(())
}
