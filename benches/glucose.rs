//! Batch classification: the hot path the Python and WASM bindings call with millions of values, on the demo's
//! smooth trace and on random readings (no branch predictor can guess them), next to the read-once baseline: one
//! pass counting the readings below one threshold over the same slice.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pumppath::demo::{self, GlucoseProfile};
use pumppath::glucose::{Classifier, Targets, Unit};

fn values(n: usize) -> Vec<f64> {
    let day: Vec<f64> = demo::readings(GlucoseProfile::FrequentHighs, demo::DEMO_START, 14)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    day.iter().copied().cycle().take(n).collect()
}

/// `n` readings drawn uniformly from 40-400 mg/dL by a fixed xorshift generator: the same data every run.
fn random(n: usize) -> Vec<f64> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            40.0 + (state >> 11) as f64 / (1u64 << 53) as f64 * 360.0
        })
        .collect()
}

fn classify(c: &mut Criterion) {
    let classifier = Classifier::new(&Targets::default(), Unit::MgDl);
    let mut group = c.benchmark_group("classify");
    for n in [4_032usize, 1_000_000] {
        let v = values(n);
        let mut codes = vec![0i8; n];
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("count", n), &v, |b, v| {
            b.iter(|| classifier.count(black_box(v)))
        });
        group.bench_with_input(BenchmarkId::new("classify_into", n), &v, |b, v| {
            b.iter(|| classifier.classify_into(black_box(v), &mut codes))
        });
    }
    group.finish();

    // 10 million: 80 MB, beyond the caches, as the readings of a cohort are.
    let n = 10_000_000;
    let v = random(n);
    let mut codes = vec![0i8; n];
    let mut group = c.benchmark_group("random");
    group.throughput(Throughput::Elements(n as u64));
    group.bench_with_input(BenchmarkId::new("baseline_count_below", n), &v, |b, v| {
        b.iter(|| black_box(v).iter().filter(|&&x| x < 70.0).count())
    });
    group
        .bench_with_input(BenchmarkId::new("count", n), &v, |b, v| b.iter(|| classifier.count(black_box(v))));
    group.bench_with_input(BenchmarkId::new("classify_into", n), &v, |b, v| {
        b.iter(|| classifier.classify_into(black_box(v), &mut codes))
    });
    group.finish();
}

criterion_group!(benches, classify);
criterion_main!(benches);
