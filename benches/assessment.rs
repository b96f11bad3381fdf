//! The assessment: one patient, and a cohort of 10,000 patients with 14 days of CGM each.
#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pumppath::cgm::{Series, SeriesOptions};
use pumppath::demo;
use pumppath::glucose::Unit;
use pumppath::pathway::{Protocol, Record};
use pumppath::rules::{EvaluationOptions, evaluate};

fn cohort() -> Vec<(Record, Series)> {
    let protocol = Protocol::standard();
    demo::cohort()
        .into_iter()
        .map(|p| {
            let record = p.record(protocol).expect("demo records replay");
            let series = Series::from_readings(Unit::MgDl, p.readings(), &SeriesOptions::default())
                .expect("demo readings are valid");
            (record, series)
        })
        .collect()
}

fn assessment(c: &mut Criterion) {
    let now = demo::DEMO_NOW.parse().expect("demo now parses");
    let patients = cohort();
    let mut group = c.benchmark_group("assessment");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_patient_14_days", |b| {
        let (record, series) = &patients[3];
        b.iter(|| {
            evaluate(
                black_box(record),
                Some(series),
                now,
                demo::DEMO_TIME_ZONE,
                &EvaluationOptions::default(),
            )
        })
    });
    // 10,000 patients: the five demo patients' records and 14-day traces in turn (evaluation does the same
    // work whichever patient's data it reads).
    // 10,000 under `cargo bench`; 100 when the test command runs the benches once in debug.
    let n = if std::env::args().any(|a| a == "--bench") { 10_000 } else { 100 };
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    group.bench_function(format!("cohort_{n}_patients"), |b| {
        b.iter(|| {
            let mut actions = 0usize;
            for k in 0..n {
                let (record, series) = &patients[k % patients.len()];
                let a =
                    evaluate(record, Some(series), now, demo::DEMO_TIME_ZONE, &EvaluationOptions::default())
                        .expect("demo patients evaluate");
                actions += a.actions.len();
            }
            actions
        })
    });
    group.finish();
}

criterion_group!(benches, assessment);
criterion_main!(benches);
