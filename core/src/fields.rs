//! The one way pumppath reads its JSON documents (protocols, records, events): serde's own field lists decide,
//! every unknown field is reported with its JSON path (not only the first), and the first other error with its
//! path and code.
//!
//! Every wire struct denies unknown fields; [`read`] deserialises, and on an unknown field records it, removes it
//! and reads again, so one pass reports them all. A typo must never be dropped silently.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Problem, json_error_code};

/// The most unknown fields reported for one document, so a hostile document cannot make the reading quadratic.
const MAX_UNKNOWN: usize = 100;

/// Reads `T` from `value`, reporting every unknown field and the first other error, each with its path below
/// `prefix` (`$` for a document, `events[3]` for a part of one).
pub(crate) fn read<T: DeserializeOwned>(value: Value, prefix: &str) -> Result<T, Vec<Problem>> {
    match read_past_unknown(value, prefix) {
        (Some(t), problems) if problems.is_empty() => Ok(t),
        (_, problems) => Err(problems),
    }
}

/// [`read`], also giving the value read once the unknown fields are set aside (when nothing else is wrong), so
/// that a caller can report its own problems with them: a protocol lists its structural problems beside its
/// typos.
pub(crate) fn read_past_unknown<T: DeserializeOwned>(
    mut value: Value,
    prefix: &str,
) -> (Option<T>, Vec<Problem>) {
    let mut problems = Vec::new();
    loop {
        let mut track = serde_path_to_error::Track::new();
        let result = T::deserialize(serde_path_to_error::Deserializer::new(&value, &mut track));
        let e = match result {
            Ok(t) => return (Some(t), problems),
            Err(e) => e,
        };
        let mut segments = segments(&track.path().to_string());
        match unknown_field_name(&e) {
            // An internally tagged enum reports the field at its own level: name it from the message.
            Some(name) if problems.len() < MAX_UNKNOWN => {
                if segments.last().is_none_or(|last| *last != Segment::Key(name.clone())) {
                    segments.push(Segment::Key(name.clone()));
                }
                let mut problem = Problem::new(join(prefix, &segments), "unknown_field", "unknown field");
                if let Some(v) = lookup(&value, &segments) {
                    problem = problem.with_value(v.clone());
                }
                problems.push(problem);
                if !remove(&mut value, &segments) {
                    return (None, problems);
                }
            }
            _ => {
                let mut problem = Problem::new(join(prefix, &segments), json_error_code(&e), e.to_string());
                if let Some(v) = lookup(&value, &segments) {
                    problem = problem.with_value(v.clone());
                }
                problems.push(problem);
                return (None, problems);
            }
        }
    }
}

/// The field named by serde's "unknown field `x`, expected ..." message.
fn unknown_field_name(e: &serde_json::Error) -> Option<String> {
    let text = e.to_string();
    let rest = text.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// serde_path_to_error's path (`phases[0].items[2].colour`, `.` for the root) as segments.
fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key.to_owned()));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(index) = rest[..end].parse() {
                out.push(Segment::Index(index));
            }
            rest = rest[end + 1..].trim_start_matches('[');
        }
    }
    out
}

fn join(prefix: &str, segments: &[Segment]) -> String {
    let mut out = prefix.to_owned();
    for s in segments {
        match s {
            Segment::Key(k) if out.is_empty() => out.push_str(k),
            Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() { "$".to_owned() } else { out }
}

/// The value at `segments`, when there is one (a missing field has none).
fn lookup<'a>(value: &'a Value, segments: &[Segment]) -> Option<&'a Value> {
    segments.iter().try_fold(value, |at, s| match s {
        Segment::Key(k) => at.get(k.as_str()),
        Segment::Index(i) => at.get(*i),
    })
}

/// Removes the value at `segments`; false when there is none (then reading stops rather than loop).
fn remove(value: &mut Value, segments: &[Segment]) -> bool {
    let Some((last, parents)) = segments.split_last() else { return false };
    let mut at = value;
    for s in parents {
        let next = match s {
            Segment::Key(k) => at.get_mut(k.as_str()),
            Segment::Index(i) => at.get_mut(*i),
        };
        let Some(next) = next else { return false };
        at = next;
    }
    match (last, at) {
        (Segment::Key(k), Value::Object(map)) => map.remove(k.as_str()).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }

    #[test]
    fn every_unknown_field_is_named_with_its_path() {
        let value = serde_json::json!({"items": [{"id": "a", "colour": 1}, {"id": "b", "size": 2}], "x": 0});
        let problems = read::<Doc>(value, "$").unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["$.items[0].colour", "$.items[1].size", "$.x"]);
        assert!(problems.iter().all(|p| p.code == "unknown_field"));
        // A type error after the unknown fields is reported too, with its own code.
        let value = serde_json::json!({"items": [{"id": 3, "colour": 1}]});
        let problems = read::<Doc>(value, "").unwrap_err();
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.path.as_str(), p.code.as_str())).collect();
        assert_eq!(codes, [("items[0].colour", "unknown_field"), ("items[0].id", "invalid_type")]);
    }
}
