//! The main job: what a clinic sees for its demo patients today.
//!
//! Run with `cargo run --example clinic_day`.

use pumppath::demo;
use pumppath::glucose::{Band, Classifier, Targets, Unit};
use pumppath::pathway::{BlockedReason, PathwayView, Protocol};

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
    Ok(())
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
