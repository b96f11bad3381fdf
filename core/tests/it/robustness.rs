//! Hostile inputs: limits, long chains, many cycles and long logs are rejected or loaded without a panic, a
//! stack overflow or quadratic work. No test times anything: each asserts on the result, at sizes that stay
//! fast in debug builds.

use pumppath::pathway::{
    MAX_ITEMS, MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_PREREQUISITES, Protocol, ProtocolDefinition, ProtocolError,
};
use serde_json::{Value, json};

/// A one-phase protocol of `n` items `i0`, `i1`, ...; `prerequisites(k)` lists item k's prerequisites.
fn protocol_json(n: usize, prerequisites: impl Fn(usize) -> Vec<usize>) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|k| {
            let pre: Vec<String> = prerequisites(k).into_iter().map(|p| format!("i{p}")).collect();
            json!({"id": format!("i{k}"), "title": "T", "description": "", "role": "provider", "required": true,
                   "prerequisites": pre, "source": "pre_pump.1"})
        })
        .collect();
    json!({"schema_version": 1, "id": "big", "version": "1", "title": "Big",
           "phases": [{"id": "only", "title": "Only", "items": items}]})
}

fn problems_in(json: &Value) -> Vec<pumppath::Problem> {
    match Protocol::from_json(&json.to_string()) {
        Err(ProtocolError::Invalid { problems }) => problems,
        other => panic!("expected problems, got {:?}", other.map(|p| p.item_count())),
    }
}

fn on_a_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().unwrap()
}

#[test]
fn a_5000_item_chain_validates_on_a_2_mib_stack_and_its_cycle_is_found() {
    let chain = protocol_json(5_000, |k| if k == 0 { vec![] } else { vec![k - 1] });
    let protocol = on_a_small_stack(move || Protocol::from_json(&chain.to_string()).map(|p| p.item_count()));
    assert_eq!(protocol, Ok(5_000));

    let cycle = protocol_json(5_000, |k| vec![if k == 0 { 4_999 } else { k - 1 }]);
    let problems = on_a_small_stack(move || problems_in(&cycle));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].code, "prerequisite_cycle");
    assert_eq!(problems[0].path, "$.phases[0].items[0].prerequisites");
    assert!(problems[0].message.ends_with("... (5000 items) -> i0"), "{}", problems[0].message);
    assert!(problems[0].message.len() < 200);
}

#[test]
fn many_long_cycles_are_reported_boundedly() {
    // A 4,000-item chain whose last item requires the first 1,000: 1,000 cycles, each up to 4,000 items.
    let json = protocol_json(4_000, |k| if k == 3_999 { (0..1_000).collect() } else { vec![k + 1] });
    let problems = problems_in(&json);
    assert!(problems.iter().all(|p| p.code == "prerequisite_cycle"), "{problems:?}");
    assert_eq!(problems.len(), 6);
    assert_eq!(problems[5].message, "and 995 more prerequisite cycles");
    assert!(problems.iter().map(|p| p.message.len()).sum::<usize>() < 2_000);
}

#[test]
fn an_item_with_too_many_prerequisites_is_too_large() {
    // 100,000 prerequisites: rejected by the limit before any per-prerequisite work.
    let json = protocol_json(2, |k| if k == 1 { vec![0; 100_000] } else { vec![] });
    let problems = problems_in(&json);
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].path.as_str(), problems[0].code.as_str()),
        ("$.phases[0].items[1].prerequisites", "too_large")
    );
    assert_eq!(problems[0].value, Some(json!(100_000)));
    // At the limit, duplicates are found in one pass and each named.
    let json = protocol_json(2, |k| if k == 1 { vec![0; MAX_PREREQUISITES] } else { vec![] });
    let problems = problems_in(&json);
    assert_eq!(problems.len(), MAX_PREREQUISITES - 1);
    assert!(problems.iter().all(|p| p.code == "duplicate_prerequisite"));
}

#[test]
fn too_many_items_are_too_large() {
    let json = protocol_json(MAX_ITEMS + 1, |_| vec![]);
    let problems = problems_in(&json);
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].path.as_str(), problems[0].code.as_str()), ("$.phases", "too_large"));
    // Protocol::new checks the same limit.
    let definition: ProtocolDefinition = serde_json::from_value(json).unwrap();
    assert!(
        matches!(Protocol::new(definition), Err(ProtocolError::Invalid { problems }) if problems[0].code == "too_large")
    );
}

#[test]
fn oversized_and_deeply_nested_json_is_too_large() {
    let big = format!("{{\"title\": \"{}\"}}", "x".repeat(MAX_JSON_BYTES));
    let problems = problems_of(&big);
    assert_eq!((problems[0].path.as_str(), problems[0].code.as_str()), ("$", "too_large"));
    assert!(problems[0].message.contains("bytes"), "{}", problems[0].message);

    let deep = format!("{{\"settings\": {}{}}}", "[".repeat(MAX_JSON_DEPTH), "]".repeat(MAX_JSON_DEPTH));
    let problems = problems_of(&deep);
    assert_eq!((problems[0].path.as_str(), problems[0].code.as_str()), ("$", "too_large"));
    assert!(problems[0].message.contains("nests 65 levels"), "{}", problems[0].message);
    // Brackets inside strings do not count.
    let quoted = format!("{{\"title\": \"{}\"}}", "[".repeat(1_000));
    assert!(problems_of(&quoted).iter().all(|p| p.code != "too_large"));
}

fn problems_of(json: &str) -> Vec<pumppath::Problem> {
    match Protocol::from_json(json) {
        Err(ProtocolError::Invalid { problems }) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn a_log_of_20000_events_with_10000_corrections_loads() {
    use jiff::{Timestamp, ToSpan};
    use pumppath::pathway::{Event, EventKind, Record, Role};
    let p = Protocol::standard();
    let t0: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut events = Vec::new();
    let at = |k: i64| t0.checked_add(k.minutes()).unwrap();
    let mut minute = 0;
    let mut tick = || {
        minute += 1;
        at(minute)
    };
    // c0, c1, void c0, c2, void c1, ...: each correction voids the event recorded before the last one.
    for k in 0..10_000 {
        let t = tick();
        events.push(Event::new(
            format!("c{k}"),
            t,
            Role::Patient,
            EventKind::CgmUse { wears_cgm: k % 2 == 0 },
        ));
        if k > 0 {
            let t = tick();
            let voids = format!("c{}", k - 1);
            events.push(Event::new(format!("v{k}"), t, Role::ClinicStaff, EventKind::Correction { voids }));
        }
    }
    events.push(Event::new(
        "v_last",
        tick(),
        Role::ClinicStaff,
        EventKind::Correction { voids: "c9999".into() },
    ));
    assert_eq!(events.len(), 20_000);
    let record = Record::replay(p, "long", events).unwrap();
    assert_eq!(record.events().len(), 20_000);
    assert!((0..10_000).all(|k| record.is_voided(&format!("c{k}"))));
    assert_eq!(record.dates().wears_cgm, None);

    // Voiding an old event refolds from the checkpoint before it, with the same result as a fresh replay.
    let mut events = record.events().to_vec();
    events.truncate(19_999); // c9999 counted again
    let mut record = Record::replay(p, "long", events.clone()).unwrap();
    assert_eq!(record.dates().wears_cgm, Some(false));
    let back = Record::from_json(p, &record.to_json()).unwrap();
    assert_eq!(back, record);
    let void =
        Event::new("v_again", tick(), Role::ClinicStaff, EventKind::Correction { voids: "c9999".into() });
    record.apply(void.clone()).unwrap();
    events.push(void);
    assert_eq!(record, Record::replay(p, "long", events).unwrap());
    assert_eq!(record.dates().wears_cgm, None);
}
