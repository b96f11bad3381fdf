//! Loading a long record: 100,000 events of a realistic mix (acknowledgements, targets changes, bookings,
//! visits, supplies) with 4,000 corrections of early events, from JSON. Reports events per second, and the
//! peak heap of one load against the JSON's size.
#![allow(missing_docs, clippy::expect_used, clippy::print_stdout)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pumppath::pathway::{Protocol, Record};
use pumppath_benches::{PeakHeap, long_record_json};

#[global_allocator]
static HEAP: PeakHeap = PeakHeap::new();

/// 100,000 events under `cargo bench`; 2,000 (with 80 corrections) when the test command runs it once.
fn size() -> (usize, usize) {
    if std::env::args().any(|a| a == "--bench") { (100_000, 4_000) } else { (2_000, 80) }
}

fn bench(c: &mut Criterion) {
    let (events, corrections) = size();
    let protocol = Protocol::standard();
    let json = long_record_json(events, corrections);
    let (record, peak) = HEAP.peak_during(|| Record::from_json(protocol, &json).expect("the record loads"));
    assert_eq!(record.events().len(), events);
    println!(
        "record/from_json: {events} events ({corrections} corrections), JSON {:.1} MiB, peak heap {:.1} MiB \
         ({:.2}x the JSON)",
        json.len() as f64 / 1048576.0,
        peak as f64 / 1048576.0,
        peak as f64 / json.len() as f64
    );
    let mut group = c.benchmark_group("record");
    group.throughput(Throughput::Elements(events as u64));
    group.sample_size(10);
    // Named by what it loads: the test command's single run loads the small log.
    group.bench_function(format!("from_json_{events}_events_{corrections}_corrections"), |b| {
        b.iter(|| black_box(Record::from_json(protocol, &json).expect("the record loads")).events().len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
