//! The work-list of 10,000 demo-like patients with 28 days of CGM each, against evaluating the same patients one
//! by one (the work-list should cost no more than 1.2× that).
#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pumppath::cgm::{Series, SeriesOptions};
use pumppath::demo;
use pumppath::glucose::Unit;
use pumppath::jiff::SignedDuration;
use pumppath::pathway::Protocol;
use pumppath::rules::{PatientInput, evaluate, worklist};

const PATIENTS: usize = 10_000;

/// 10,000 patients under `cargo bench`; 100 when the test command runs the benches once in debug, to check
/// they work without taking minutes.
fn patients() -> usize {
    if std::env::args().any(|a| a == "--bench") { PATIENTS } else { 100 }
}

/// The demo patients in turn, each with 28 days of CGM (the 14 before the demo's and the demo's own).
fn panel() -> Vec<PatientInput> {
    let protocol = Protocol::standard();
    let templates: Vec<PatientInput> = demo::cohort()
        .into_iter()
        .map(|p| {
            let mut readings = p.readings();
            if p.prior_profile.is_none() {
                let start =
                    demo::DEMO_START.checked_sub(SignedDuration::from_hours(14 * 24)).expect("in range");
                let mut prior = demo::readings(p.profile, start, 14);
                prior.extend(readings);
                readings = prior;
            }
            let series = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default())
                .expect("demo readings are valid");
            PatientInput::new(p.record(protocol).expect("demo records replay"), Some(series))
        })
        .collect();
    (0..patients()).map(|k| templates[k % templates.len()].clone()).collect()
}

fn bench(c: &mut Criterion) {
    let now = demo::DEMO_NOW.parse().expect("demo now parses");
    let patients = panel();
    let mut group = c.benchmark_group("worklist");
    group.throughput(Throughput::Elements(patients.len() as u64));
    group.sample_size(10);
    group.bench_function("evaluate_one_by_one_10000_patients_28_days", |b| {
        b.iter(|| {
            let mut actions = 0usize;
            for p in &patients {
                let a = evaluate(&p.record, p.readings.as_ref(), now, demo::DEMO_TIME_ZONE)
                    .expect("demo patients evaluate");
                actions += a.actions.len();
            }
            black_box(actions)
        })
    });
    group.bench_function("worklist_10000_patients_28_days", |b| {
        b.iter(|| {
            let list = worklist(black_box(&patients), now, demo::DEMO_TIME_ZONE).expect("demo panel");
            black_box(list.items.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
