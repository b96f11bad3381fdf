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
