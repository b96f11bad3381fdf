//! CGM summary, episodes and the "frequently" rule: one patient's 14 days (4,032 readings), and a clinic of
//! 1,000 patients.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pumppath::cgm::{
    DEFAULT_AGP_BIN_MINUTES, Frequently, FrequentlySettings, Series, SeriesOptions, to_seconds,
};
use pumppath::demo::{self, GlucoseProfile};
use pumppath::glucose::{Targets, Unit};
use pumppath::jiff::Timestamp;
use pumppath::rules::frequently_at;

const READINGS_14_DAYS: usize = 14 * 288;

/// 14 days of 5-minute readings (exactly 4,032) from a demo trace, shifted by `offset_days`.
fn fourteen_days(profile: GlucoseProfile, offset_days: i64) -> (Vec<i64>, Vec<f64>) {
    let trace = demo::readings(profile, demo::DEMO_START, 14);
    let start = to_seconds(demo::DEMO_START) + offset_days * 86_400;
    let times = (0..READINGS_14_DAYS as i64).map(|k| start + k * 300).collect();
    let values = trace.iter().map(|&(_, v)| v).cycle().take(READINGS_14_DAYS).collect();
    (times, values)
}

fn series(profile: GlucoseProfile, offset_days: i64) -> Series {
    let (times, values) = fourteen_days(profile, offset_days);
    Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn summary(c: &mut Criterion) {
    let targets = Targets::default();
    let mut group = c.benchmark_group("cgm");

    let one = series(GlucoseProfile::FrequentHighs, 0);
    group.throughput(Throughput::Elements(one.len() as u64));
    group.bench_with_input(BenchmarkId::new("summary", "1 patient x 14 days"), &one, |b, s| {
        b.iter(|| black_box(s).view().summary(&targets))
    });
    group.bench_with_input(BenchmarkId::new("agp", "1 patient x 14 days"), &one, |b, s| {
        b.iter(|| black_box(s).view().agp(DEFAULT_AGP_BIN_MINUTES))
    });
    group.bench_with_input(BenchmarkId::new("episodes", "1 patient x 14 days"), &one, |b, s| {
        b.iter(|| black_box(s).view().episodes())
    });
    let settings = FrequentlySettings::default();
    // "Now" is the last reading, read in UTC (these zoneless series' wall-clock is read as UTC).
    let judge = |s: &Series| -> Option<Frequently> {
        let now = Timestamp::from_second(s.times().last().copied().unwrap_or(0)).ok()?;
        frequently_at(s, now, "UTC", &targets, &settings).ok()
    };
    group.bench_with_input(BenchmarkId::new("frequently", "1 patient x 14 days"), &one, |b, s| {
        b.iter(|| judge(black_box(s)))
    });
    let (times, values) = fourteen_days(GlucoseProfile::FrequentHighs, 0);
    group.bench_function(BenchmarkId::new("series_from_slices", "1 patient x 14 days"), |b| {
        b.iter(|| {
            Series::from_slices(Unit::MgDl, black_box(&times), black_box(&values), &SeriesOptions::default())
        })
    });

    let profiles =
        [GlucoseProfile::WellControlled, GlucoseProfile::FrequentLows, GlucoseProfile::FrequentHighs];
    let clinic: Vec<Series> = (0..1_000).map(|i| series(profiles[i % 3], i as i64)).collect();
    let readings: usize = clinic.iter().map(Series::len).sum();
    group.throughput(Throughput::Elements(readings as u64));
    group.sample_size(20);
    group.bench_with_input(BenchmarkId::new("summary", "1000 patients x 14 days"), &clinic, |b, clinic| {
        b.iter(|| clinic.iter().map(|s| s.view().summary(&targets)).filter(|s| s.sufficient).count())
    });
    group.bench_with_input(
        BenchmarkId::new("frequently", "1000 patients x 14 days"),
        &clinic,
        |b, clinic| {
            b.iter(|| {
                clinic.iter().filter_map(judge).filter(|f| f.frequently_low || f.frequently_high).count()
            })
        },
    );
    group.finish();
}

/// One long sorted series (1,000,000 readings, about nine and a half years at 5 minutes): the summary and the
/// episodes next to classifying the same values, the ratios the speed goals are stated in.
fn against_classify(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let trace = demo::readings(GlucoseProfile::FrequentHighs, demo::DEMO_START, 14);
    let start = to_seconds(demo::DEMO_START);
    let times: Vec<i64> = (0..N as i64).map(|k| start + k * 300).collect();
    let values: Vec<f64> = trace.iter().map(|&(_, v)| v).cycle().take(N).collect();
    let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let targets = Targets::default();
    let classifier = pumppath::glucose::Classifier::new(&targets, Unit::MgDl);
    let mut codes = vec![0i8; N];
    let mut group = c.benchmark_group("sorted_1m");
    group.throughput(Throughput::Elements(N as u64));
    group.sample_size(20);
    group.bench_function("classify_into", |b| {
        b.iter(|| classifier.classify_into(black_box(&values), &mut codes))
    });
    group.bench_function("from_slices", |b| {
        b.iter(|| {
            Series::from_slices(Unit::MgDl, black_box(&times), black_box(&values), &SeriesOptions::default())
        })
    });
    group.bench_function("summary", |b| b.iter(|| black_box(&series).view().summary(&targets)));
    group.bench_function("episodes", |b| b.iter(|| black_box(&series).view().episodes()));
    group.finish();
}

criterion_group!(benches, summary, against_classify);
criterion_main!(benches);
