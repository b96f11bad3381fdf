//! The main job: what a clinic sees for its demo patients today.
//!
//! Run with `cargo run --example clinic_day`.

use pumppath::demo;
use pumppath::glucose::{Band, Classifier, Targets, Unit};

fn main() -> Result<(), pumppath::Error> {
    let day = demo::one_day();
    let values: Vec<f64> = day.iter().map(|&(_, v)| v).collect();
    let targets = Targets::default();
    let classifier = Classifier::new(&targets, Unit::MgDl);
    let counts = classifier.count(&values)?;

    let (first, last) = match (day.first(), day.last()) {
        (Some(f), Some(l)) => (f.0, l.0),
        _ => return Ok(()),
    };
    println!("pumppath demo: one CGM day, {first} to {last}");
    println!(
        "{} readings, {} missing; targets: {}",
        counts.total(),
        counts.missing,
        targets.name()
    );
    println!();
    println!("{:<10} {:>14} {:>9} {:>9}", "band", "mg/dL", "readings", "share");
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
            "{:<10} {:>14} {:>9} {:>8.1}%",
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
    println!();
    println!(
        "time in range {tir:.1}% {verdict} the goal of more than {}%",
        goals.min_percent_in_range
    );
    Ok(())
}
