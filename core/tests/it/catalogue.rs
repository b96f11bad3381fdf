//! The catalogue of bad input (`golden/bad-input.json`), run through the core: every row's outcome must be its
//! `expect`, the same that pytest and node see through the bindings. `PUMPPATH_BLESS=1` writes the outcomes
//! into the file (review the diff: it is the contract) and `docs/bad-input.md`, its table.
//!
//! An error's outcome is its kind, code and first problem's path and value; a success's is a small digest of the
//! result (codes, counts). A row of events also checks that the record is unchanged by the event that failed.

use pumppath::cgm::Series;
use pumppath::glucose::{Classifier, Targets, Unit};
use pumppath::pathway::{Event, Protocol, Record};
use pumppath::{Error, ErrorDocument};
use serde_json::{Value, json};

const CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../golden/bad-input.json");
const TABLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/bad-input.md");

/// The text of a row's `pieces`: each `[text, times]` repeated, `{k}`, `{k1}` and `{k300}` standing for the
/// repeat's index, index + 1 and index x 300.
fn pieces(pieces: &[Value]) -> String {
    let mut out = String::new();
    for piece in pieces {
        let text = piece[0].as_str().unwrap();
        let times = piece[1].as_u64().unwrap();
        let templated = text.contains('{');
        for k in 0..times {
            if templated {
                out.push_str(
                    &text
                        .replace("{k300}", &(k * 300).to_string())
                        .replace("{k1}", &(k + 1).to_string())
                        .replace("{k}", &k.to_string()),
                );
            } else {
                out.push_str(text);
            }
        }
    }
    out
}

/// A row's input as text (`json`, `text` or `pieces`).
fn text(input: &Value) -> String {
    if let Some(pieces_) = input.get("pieces") {
        return pieces(pieces_.as_array().unwrap());
    }
    input.get("json").or_else(|| input.get("text")).and_then(Value::as_str).unwrap().to_owned()
}

/// A row's input as bytes (`hex`, else its text).
fn bytes(input: &Value) -> Vec<u8> {
    match input.get("hex").and_then(Value::as_str) {
        Some(hex) => {
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
        }
        None => text(input).into_bytes(),
    }
}

/// The outcome of an error: its kind, code and first problem's path and value.
pub fn error_outcome(document: &ErrorDocument) -> Value {
    let first = &document.problems[0];
    let mut out = json!({"kind": document.kind.as_str(), "code": document.code.as_str(), "path": first.path});
    if let Some(value) = &first.value {
        out["value"] = value.clone();
    }
    json!({ "error": out })
}

fn outcome<T>(result: Result<T, impl Into<Error>>, ok: impl FnOnce(T) -> Value) -> Value {
    match result {
        Ok(value) => json!({ "ok": ok(value) }),
        Err(e) => error_outcome(&e.into().document()),
    }
}

fn unit(input: &Value) -> Result<Unit, Error> {
    Ok(input["unit"].as_str().unwrap_or("mg/dL").parse::<Unit>()?)
}

/// Runs one row through the core.
fn run(row: &Value) -> Value {
    let input = &row["input"];
    match row["door"].as_str().unwrap() {
        "classify" => {
            let values: Vec<f64> = input["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.parse().unwrap(),
                    v => v.as_f64().unwrap(),
                })
                .collect();
            let result = unit(input).and_then(|unit| {
                let mut codes = vec![0i8; values.len()];
                Classifier::new(&Targets::default(), unit).classify_into(&values, &mut codes)?;
                Ok(codes)
            });
            outcome(result, |codes| json!({ "codes": codes }))
        }
        "readings" => outcome(Series::from_json(&text(input)), |series| {
            let summary = series.view().summary(&Targets::default());
            json!({"readings": summary.readings, "missing": summary.missing, "sufficient": summary.sufficient})
        }),
        "evaluate_json" => outcome(pumppath::rules::evaluate_json(&text(input)), |out| {
            let v: Value = serde_json::from_str(&out).unwrap();
            json!({"actions": v["actions"].as_array().unwrap().len(), "readings": v["cgm"]["readings"]})
        }),
        "worklist_json" => outcome(pumppath::rules::worklist_json(&text(input)), |out| {
            let v: Value = serde_json::from_str(&out).unwrap();
            json!({"patients": v["patients"].as_array().unwrap().len(), "errors": v["errors"].as_array().unwrap().iter().map(|e| e["error"]["code"].clone()).collect::<Vec<_>>()})
        }),
        "protocol" => outcome(Protocol::from_json(&text(input)), |p| json!({ "items": p.item_count() })),
        "record" => outcome(
            Record::from_json(Protocol::standard(), &text(input)),
            |r| json!({ "events": r.events().len() }),
        ),
        "events" => {
            let mut record = Record::new(Protocol::standard(), "p1");
            for (index, event) in input["events"].as_array().unwrap().iter().enumerate() {
                let before = record.to_json();
                let applied = Event::from_json(&event.to_string())
                    .map_err(Error::from)
                    .and_then(|event| record.apply(event).map_err(Error::from));
                if let Err(e) = applied {
                    // Never half-applied: the record is as it was before the failing event.
                    assert_eq!(record.to_json(), before, "{}", row["id"]);
                    let mut out = error_outcome(&e.document());
                    out["error"]["event"] = json!(index);
                    return out;
                }
            }
            json!({"ok": {"events": record.events().len()}})
        }
        "csv_long" => outcome(
            unit(input).and_then(|unit| {
                Ok(pumppath::io::read_long_csv(bytes(input).as_slice(), unit, &Default::default())?)
            }),
            |patients| json!({"patients": patients.len(), "readings": patients.iter().map(|p| p.series.len()).sum::<usize>()}),
        ),
        "csv_clarity" => {
            outcome(pumppath::io::read_clarity_csv(bytes(input).as_slice(), &Default::default()), |s| {
                let summary = s.view().summary(&Targets::default());
                json!({"patients": 1, "readings": s.len(), "at_sensor_limit": summary.at_sensor_limit})
            })
        }
        door => panic!("unknown door {door}"),
    }
}

/// docs/bad-input.md from the catalogue.
fn table(rows: &[Value]) -> String {
    let mut out = String::from(
        "# Bad input: what each gets\n\n\
         Generated from `golden/bad-input.json` by `PUMPPATH_BLESS=1 cargo test -p pumppath --all-features \
         catalogue`; every row is a test in Rust (`core/tests/it/catalogue.rs`), Python \
         (`bindings-python/tests/test_catalogue.py`) and JavaScript (`bindings-wasm/test/catalogue.test.mjs`), \
         which all see the outcome below. An error names its kind and code, and its first problem's path and \
         value (values are echoed cut to 120 characters); a row of events names the event that failed, and the \
         record is unchanged by it. Where a row gives a bound, it is the design's bound on time and memory.\n\n\
         | input | door | outcome | bound |\n|---|---|---|---|\n",
    );
    for row in rows {
        let expect = &row["expect"];
        let outcome = match expect.get("error") {
            Some(e) => {
                let value = e.get("value").map(|v| format!(", value `{}`", short(v))).unwrap_or_default();
                let event = e.get("event").map(|i| format!(" (event {i})")).unwrap_or_default();
                format!(
                    "{} `{}` at `{}`{value}{event}",
                    e["kind"].as_str().unwrap(),
                    e["code"].as_str().unwrap(),
                    e["path"].as_str().unwrap()
                )
            }
            None => format!("ok: `{}`", expect["ok"]),
        };
        out.push_str(&format!(
            "| {} (`{}`) | {} | {} | {} |\n",
            row["what"].as_str().unwrap(),
            row["id"].as_str().unwrap(),
            row["door"].as_str().unwrap(),
            outcome.replace('|', "\\|"),
            row.get("bound").and_then(Value::as_str).unwrap_or("")
        ));
    }
    out
}

fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() { format!("{head}…") } else { head }
}

#[test]
fn every_row_of_the_catalogue_gets_its_outcome() {
    let mut catalogue: Value = serde_json::from_str(&std::fs::read_to_string(CATALOGUE).unwrap()).unwrap();
    let bless = std::env::var_os("PUMPPATH_BLESS").is_some();
    let mut wrong = Vec::new();
    for row in catalogue["rows"].as_array_mut().unwrap() {
        let actual = run(row);
        if bless {
            row["expect"] = actual;
        } else if row["expect"] != actual {
            wrong.push(format!("{}: expected {}, got {actual}", row["id"], row["expect"]));
        }
    }
    if bless {
        std::fs::write(CATALOGUE, serde_json::to_string_pretty(&catalogue).unwrap() + "\n").unwrap();
        std::fs::write(TABLE, table(catalogue["rows"].as_array().unwrap())).unwrap();
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(
        std::fs::read_to_string(TABLE).unwrap(),
        table(catalogue["rows"].as_array().unwrap()),
        "docs/bad-input.md is stale: PUMPPATH_BLESS=1"
    );
}
