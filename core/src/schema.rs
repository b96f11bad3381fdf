//! JSON Schemas of every wire format, generated from the Rust types (feature `schema`): the inputs (protocol,
//! event, readings) and every output (assessment, work-list, summary, episodes, frequently, AGP, pathway view,
//! schedule, action, patient view). They are committed in `schema/` and kept fresh by a test; the Python stubs
//! and the TypeScript types are generated from them.

use schemars::schema_for;

/// Every schema, as (file stem, schema): `schema/<stem>.schema.json`.
///
/// ```
/// let names: Vec<&str> = pumppath::schema::all().iter().map(|(name, _)| *name).collect();
/// assert!(names.contains(&"assessment") && names.contains(&"readings"));
/// ```
pub fn all() -> Vec<(&'static str, serde_json::Value)> {
    let value = |s: schemars::Schema| serde_json::to_value(s).unwrap_or_default();
    vec![
        ("protocol", crate::pathway::protocol_schema()),
        ("event", crate::pathway::event_schema()),
        ("readings", value(schema_for!(crate::cgm::ColumnarReadings))),
        ("assessment", value(schema_for!(crate::rules::Assessment))),
        ("trace", value(schema_for!(Vec<crate::rules::TraceEntry>))),
        ("worklist", value(schema_for!(crate::rules::Worklist))),
        ("action", value(schema_for!(crate::rules::Action))),
        ("summary", value(schema_for!(crate::cgm::Summary))),
        ("episodes", value(schema_for!(crate::cgm::Episodes))),
        ("frequently", value(schema_for!(crate::cgm::Frequently))),
        ("agp", value(schema_for!(crate::cgm::Agp))),
        ("pathway_view", value(schema_for!(crate::pathway::PathwayView))),
        ("schedule", value(schema_for!(crate::schedule::Schedule))),
        ("error", value(schema_for!(crate::error::ErrorDocument))),
        ("evaluation_request", value(schema_for!(crate::rules::EvaluationRequest<serde_json::Value>))),
        ("worklist_request", value(schema_for!(crate::rules::WorklistRequest<serde_json::Value>))),
        ("rule_table", value(schema_for!(Vec<crate::rules::RuleSpec>))),
        ("patient_view", value(schema_for!(crate::patient::PatientView))),
    ]
}

/// The three kinds of time on the wire, told apart by the schema's `format` (the field-level convention the
/// Python stubs and TypeScript types follow):
///
/// | kind | JSON | schema `format` | Python | TypeScript |
/// |---|---|---|---|---|
/// | an instant | `"2026-03-16T15:00:00Z"` (RFC 3339, UTC) | `date-time` | aware `datetime` | `string` (ISO, `Date.parse`-able) |
/// | a clinic-local date | `"2026-03-16"` | `date` | `date` | `string` |
/// | a wall-clock time of the readings | `"2026-03-16T09:00:00"` (no offset) | `local-date-time` | naive `datetime` | `string` |
/// | a time of day | `"09:00:00"` | `time` | `time` | `string` |
///
/// Instants are events' `occurred_at`/`recorded_at`, `evaluated_at`, item and key-date instants; dates are the
/// schedule's and actions' due dates; wall-clock times are CGM windows, summaries and episodes, shown in the
/// readings' zone (the series' `time_zone`, or the clinic's for zoneless wall-clock data).
pub struct Instant;
/// A clinic-local calendar date (see [`Instant`] for the convention).
pub struct LocalDate;
/// A wall-clock date-time without an offset, in the readings' zone (see [`Instant`]).
pub struct WallClock;
/// A time of day (see [`Instant`]).
pub struct TimeOfDay;

fn string_schema(format: &str, description: &str, pattern: Option<&str>) -> schemars::Schema {
    let mut schema = schemars::json_schema!({"type": "string", "format": format, "description": description});
    if let Some(pattern) = pattern {
        schema.insert("pattern".into(), pattern.into());
    }
    schema
}

impl schemars::JsonSchema for Instant {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Instant".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        string_schema("date-time", "An instant, RFC 3339 (UTC, `Z`).", None)
    }
}

impl schemars::JsonSchema for LocalDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LocalDate".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        string_schema("date", "A clinic-local calendar date, YYYY-MM-DD.", None)
    }
}

impl schemars::JsonSchema for WallClock {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "WallClock".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        string_schema(
            "local-date-time",
            "A wall-clock date-time of the readings, without an offset.",
            Some(r"^-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
        )
    }
}

impl schemars::JsonSchema for TimeOfDay {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TimeOfDay".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        string_schema("time", "A time of day, HH:MM:SS.", None)
    }
}
