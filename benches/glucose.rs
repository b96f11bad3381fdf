//! Batch classification: the hot path the Python and WASM bindings call with millions of values.
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
}

criterion_group!(benches, classify);
criterion_main!(benches);
