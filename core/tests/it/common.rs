//! Helpers shared by the integration tests.

/// The bytes of the shared data file at `path` (one under `../shared/data`), or `None` after a "skipped"
/// message when it cannot be read: a developer's fresh clone may lack `../shared`. CI always has `../shared`
/// beside the clone, so with `CI=true` an unreadable file fails the test instead of skipping it silently.
pub fn read_shared(path: &str) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but {path} cannot be read ({e}): CI must have ../shared/data beside the clone")
        }
        Err(e) => {
            eprintln!("skipped: ../shared/data absent ({path}: {e})");
            None
        }
    }
}

/// With `PUMPPATH_BLESS` set, writes `computed[k]` into `fixture["subjects"][k][key]` (checking the subject ids)
/// and saves the fixture to `path`: how the pinned values are regenerated after a deliberate change.
// Each test crate compiles this module on its own; not every one blesses a fixture.
#[allow(clippy::expect_used)] // a test helper: a broken fixture should fail loudly
pub fn bless<T: serde::Serialize>(
    path: &str,
    fixture: &mut serde_json::Value,
    key: &str,
    computed: &[(String, T)],
) {
    if std::env::var_os("PUMPPATH_BLESS").is_none() {
        return;
    }
    let subjects = fixture["subjects"].as_array_mut().expect("the fixture lists subjects");
    for (subject, (id, value)) in subjects.iter_mut().zip(computed) {
        assert_eq!(subject["id"], id.as_str());
        subject[key] = serde_json::to_value(value).expect("serializable");
    }
    let text = serde_json::to_string_pretty(fixture).expect("serializable") + "\n";
    std::fs::write(path, text).expect("the fixture is writable");
    eprintln!("wrote {path}");
}

/// (time step, value) pairs turned into strictly increasing times from 1,700,000,000 s, and their values: the
/// shape every property test's readings take.
pub fn accumulate(steps: Vec<(i64, f64)>) -> (Vec<i64>, Vec<f64>) {
    let mut t = 1_700_000_000i64;
    steps
        .into_iter()
        .map(|(step, v)| {
            t += step;
            (t, v)
        })
        .unzip()
}

/// The standard protocol's steps up to a pump start: every pre-start step at `before`, the start at `start`.
pub fn steps_to_pump_start(
    before: &'static str,
    start: &'static str,
) -> Vec<(&'static str, pumppath::pathway::EventKind)> {
    use pumppath::pathway::{EventKind, InsuranceDecision, OrderChannel};
    let done = |item: &str| EventKind::ItemCompleted { item: item.into() };
    vec![
        (before, EventKind::InsuranceSubmitted),
        (before, EventKind::InsuranceDecision { decision: InsuranceDecision::Approved }),
        (before, done("pump_options_learned")),
        (before, EventKind::PumpChosen { pump: "p".into() }),
        (before, done("provider_informed")),
        (before, EventKind::PumpOrdered { channel: OrderChannel::PumpCompany }),
        (before, done("training_scheduled")),
        (before, done("pump_materials_reviewed")),
        (before, done("training_completed")),
        (start, EventKind::PumpStarted),
    ]
}
