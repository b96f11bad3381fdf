//! Holds the criterion benchmarks of pumppath (run them with `cargo bench -p pumppath-benches`) and what they
//! share: a record generator and a heap counter for peak-memory figures.
#![allow(unsafe_code)] // The heap counter implements `GlobalAlloc`; pumppath's core has no unsafe code.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// The system allocator, counting the bytes in use and their peak while [`peak_during`](Self::peak_during)
/// runs, so a bench can report the peak memory of one call (`#[global_allocator] static HEAP: PeakHeap =
/// PeakHeap::new();`). Outside it the counters are left alone: shared counters updated on every allocation
/// by every thread would bounce between the cores and slow the multi-threaded benches being measured.
pub struct PeakHeap {
    counting: AtomicBool,
    current: AtomicIsize,
    peak: AtomicIsize,
}

impl PeakHeap {
    /// A counter, off.
    pub const fn new() -> PeakHeap {
        PeakHeap { counting: AtomicBool::new(false), current: AtomicIsize::new(0), peak: AtomicIsize::new(0) }
    }

    /// Runs `f` and returns its result with the peak heap bytes allocated during it, net of what it freed
    /// (memory allocated before and freed during it counts against the peak).
    pub fn peak_during<T>(&self, f: impl FnOnce() -> T) -> (T, usize) {
        self.current.store(0, Ordering::SeqCst);
        self.peak.store(0, Ordering::SeqCst);
        self.counting.store(true, Ordering::SeqCst);
        let out = f();
        self.counting.store(false, Ordering::SeqCst);
        (out, usize::try_from(self.peak.load(Ordering::SeqCst)).unwrap_or(0))
    }

    fn grew(&self, bytes: usize) {
        if self.counting.load(Ordering::Relaxed) {
            let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
            let now = self.current.fetch_add(bytes, Ordering::Relaxed) + bytes;
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
    }

    fn shrank(&self, bytes: usize) {
        if self.counting.load(Ordering::Relaxed) {
            self.current.fetch_sub(isize::try_from(bytes).unwrap_or(isize::MAX), Ordering::Relaxed);
        }
    }
}

impl Default for PeakHeap {
    fn default() -> Self {
        PeakHeap::new()
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for PeakHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            self.grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) };
        self.shrank(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's pointer, layout and size.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            self.shrank(layout.size());
            self.grew(new_size);
        }
        p
    }
}

/// A record's JSON of `events` events, years of a pump patient's life after the pathway's first steps: one
/// event every 30 minutes of acknowledgements, targets changes, follow-up bookings and visits, supplies and
/// CGM-use changes, and `corrections` corrections each voiding an event from the log's first tenth (the
/// costly kind: the fold must be redone from there), spread evenly through the log.
pub fn long_record_json(events: usize, corrections: usize) -> String {
    const START: i64 = 1_735_732_800; // 2025-01-01T12:00:00Z
    let at = |k: usize| {
        pumppath::jiff::Timestamp::from_second(START + 1800 * k as i64)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let mut out = String::from(r#"{"patient_id": "long", "events": ["#);
    let mut n = 0usize;
    let push = |out: &mut String, n: &mut usize, actor: &str, body: &str| {
        if *n > 0 {
            out.push(',');
        }
        let t = at(*n);
        let _ = write!(
            out,
            r#"{{"id": "e{n}", "occurred_at": "{t}", "recorded_at": "{t}", "actor": "{actor}", {body}}}"#
        );
        *n += 1;
    };
    let steps = [
        ("clinic_staff", r#""type": "insurance_submitted""#),
        ("insurer", r#""type": "insurance_decision", "decision": "approved""#),
        ("patient", r#""type": "item_completed", "item": "pump_options_learned""#),
        ("patient", r#""type": "pump_chosen", "pump": "Tandem t:slim X2""#),
        ("patient", r#""type": "item_completed", "item": "provider_informed""#),
        ("supplier", r#""type": "pump_ordered", "channel": "pharmacy""#),
        ("patient", r#""type": "pump_started""#),
        ("patient", r#""type": "pump_linked""#),
    ];
    for (actor, body) in steps {
        push(&mut out, &mut n, actor, body);
    }
    let first = n;
    // Corrections void early events of the mix, one every `spacing` events, from the second tenth of the log.
    let spacing = (events * 9 / 10).checked_div(corrections).map_or(usize::MAX, |s| s.max(2));
    let mut voided = 0usize;
    let mut k = 0usize;
    while n < events {
        if corrections > voided && k > events / 10 && k.is_multiple_of(spacing) {
            // The early events are the mix's, ids e{first}.. : void each one once, in order.
            let body = format!(r#""type": "correction", "voids": "e{}""#, first + voided * 2);
            push(&mut out, &mut n, "clinic_staff", &body);
            voided += 1;
        } else {
            let body = match k % 10 {
                0..=2 => r#""type": "action_acknowledged", "rule": "frequent_highs""#.to_owned(),
                3 => r#""type": "action_acknowledged", "rule": "supplies_reorder", "until": "2030-01-01""#
                    .to_owned(),
                4 => r#""type": "targets_set", "targets": {"preset": "older_high_risk"}"#.to_owned(),
                5 => r#""type": "targets_set", "targets": {"preset": "standard"}"#.to_owned(),
                6 => format!(
                    r#""type": "item_scheduled", "item": "follow_up_every_3_months", "scheduled_for": "{}""#,
                    at(n + 500)
                ),
                7 => r#""type": "visit_held", "visit": "follow_up""#.to_owned(),
                8 => r#""type": "supplies_received", "days_of_supply": 90"#.to_owned(),
                _ => r#""type": "visit_held", "visit": "other""#.to_owned(),
            };
            let actor = match k % 10 {
                8 => "supplier",
                6 | 7 | 9 => "clinic_staff",
                _ => "provider",
            };
            push(&mut out, &mut n, actor, &body);
        }
        k += 1;
    }
    out.push_str("]}");
    out
}
