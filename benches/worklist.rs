//! The work-list of 10,000 demo-like patients with 28 days of CGM each, against evaluating the same patients one
//! by one (the work-list should cost no more than 1.2× that); prints the ratio of the two. The panel borrows
//! the 7 demo patients' records and series in turn, as a clinic system's panel borrows its own. With the core's
//! `parallel` feature the work-list runs on rayon's pool: the bench also times it on one thread and on two, and
//! prints the speed-up and the peak heap of one work-list per patient.
#![allow(missing_docs, clippy::expect_used, clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pumppath::cgm::{Series, SeriesOptions};
use pumppath::demo;
use pumppath::glucose::Unit;
use pumppath::jiff::{SignedDuration, Timestamp};
use pumppath::pathway::{Protocol, Record};
use pumppath::rules::{EvaluationOptions, PatientInput, evaluate, worklist};

#[global_allocator]
static HEAP: pumppath_benches::PeakHeap = pumppath_benches::PeakHeap::new();

const PATIENTS: usize = 10_000;

/// 10,000 patients under `cargo bench`; 100 when the test command runs the benches once in debug, to check
/// they work without taking minutes.
fn patients() -> usize {
    if std::env::args().any(|a| a == "--bench") { PATIENTS } else { 100 }
}

/// The demo patients, each with 28 days of CGM (the 14 before the demo's and the demo's own): the records and
/// series the panel borrows.
fn templates() -> Vec<(Record, Series)> {
    let protocol = Protocol::standard();
    demo::cohort()
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
            (p.record(protocol).expect("demo records replay"), series)
        })
        .collect()
}

/// The demo patients in turn, borrowed: 10,000 patients without copying a record or a reading.
fn panel(templates: &[(Record, Series)]) -> Vec<PatientInput<'_>> {
    (0..patients())
        .map(|k| {
            let (record, series) = &templates[k % templates.len()];
            PatientInput::new(record, Some(series))
        })
        .collect()
}

/// Every patient evaluated alone, as a clinic system would without the work-list; returns the actions' count.
fn one_by_one(patients: &[PatientInput<'_>], now: Timestamp) -> usize {
    let mut actions = 0usize;
    for p in patients {
        let a = evaluate(p.record, p.readings, now, demo::DEMO_TIME_ZONE, &EvaluationOptions::default())
            .expect("demo patients evaluate");
        actions += a.actions.len();
    }
    actions
}

/// Runs `f` `iters` times for criterion, and keeps the seconds per call for the ratio.
fn timed(iters: u64, seconds: &mut Vec<f64>, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    let elapsed = start.elapsed();
    seconds.push(elapsed.as_secs_f64() / iters.max(1) as f64);
    elapsed
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

fn bench(c: &mut Criterion) {
    let now = demo::DEMO_NOW.parse().expect("demo now parses");
    let templates = templates();
    let patients = panel(&templates);
    let mut group = c.benchmark_group("worklist");
    group.throughput(Throughput::Elements(patients.len() as u64));
    group.sample_size(10);
    // The same measurements criterion reports, kept to print the ratio of the two.
    let (mut alone, mut listed) = (Vec::new(), Vec::new());
    let n = patients.len();
    group.bench_function(format!("evaluate_one_by_one_{n}_patients_28_days"), |b| {
        b.iter_custom(|iters| {
            timed(iters, &mut alone, || {
                black_box(one_by_one(black_box(&patients), now));
            })
        })
    });
    group.bench_function(format!("worklist_{n}_patients_28_days"), |b| {
        b.iter_custom(|iters| {
            timed(iters, &mut listed, || {
                let list = worklist(black_box(&patients), now, demo::DEMO_TIME_ZONE).expect("demo panel");
                black_box(list.items.len());
            })
        })
    });
    // The same work-list on a pool of one thread and of two.
    let pool = |threads| rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
    let mut by_threads = Vec::new();
    for threads in [1, 2] {
        let pool = pool(threads);
        let mut seconds = Vec::new();
        group.bench_function(format!("worklist_{n}_patients_{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                // Made and dropped inside the pool: freeing the list runs on the pool's threads too.
                timed(iters, &mut seconds, || {
                    pool.install(|| {
                        let list = worklist(black_box(&patients), now, demo::DEMO_TIME_ZONE);
                        black_box(list.expect("demo panel").items.len());
                    })
                })
            })
        });
        by_threads.push(median(seconds));
    }
    group.finish();
    println!(
        "worklist/threads: {n} patients, 1 thread {:.3} s, 2 threads {:.3} s: speed-up {:.2}x (median per run)",
        by_threads[0],
        by_threads[1],
        by_threads[0] / by_threads[1]
    );
    // The machine's own ceiling for the same pools: each patient's CGM summary alone, no allocation to share
    // and nothing serial, so what two threads gain over one is what the two CPUs give.
    let targets = pumppath::glucose::Targets::default();
    let ceiling: Vec<f64> = [1, 2]
        .map(|threads| {
            let pool = pool(threads);
            let run = || {
                use rayon::prelude::*;
                pool.install(|| {
                    patients
                        .par_iter()
                        .map(|p| p.readings.map_or(0, |s| s.view().summary(&targets).readings))
                        .sum::<u64>()
                })
            };
            black_box(run());
            let mut seconds = Vec::new();
            timed(5, &mut seconds, || {
                black_box(run());
            });
            median(seconds)
        })
        .to_vec();
    println!(
        "worklist/ceiling: the patients' CGM summaries alone, 1 thread {:.3} s, 2 threads {:.3} s: {:.2}x",
        ceiling[0],
        ceiling[1],
        ceiling[0] / ceiling[1]
    );
    let (list, peak) =
        HEAP.peak_during(|| worklist(&patients, now, demo::DEMO_TIME_ZONE).expect("demo panel"));
    println!(
        "worklist/memory: peak heap of one work-list {:.1} MiB, {:.1} KiB per patient ({} actions)",
        peak as f64 / (1 << 20) as f64,
        peak as f64 / 1024.0 / n as f64,
        list.items.len()
    );
    let (alone, listed) = (median(alone), median(listed));
    println!(
        "worklist/ratio: {} patients, the work-list {:.3} s, one by one {:.3} s: {:.3}x (median per run)",
        patients.len(),
        listed,
        alone,
        listed / alone
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
