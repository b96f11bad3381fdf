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
