//! JSON Schemas of every wire format, generated from the Rust types (feature `schema`): the inputs (protocol,
//! event, readings) and every output (assessment, summary, episodes, frequently, AGP, pathway view,
//! schedule, action). They are committed in `schema/` and kept fresh by a test; the Python stubs and the
//! TypeScript types are generated from them.

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
        ("protocol", value(schema_for!(crate::pathway::ProtocolDefinition))),
        ("event", value(schema_for!(crate::pathway::Event))),
        ("readings", value(schema_for!(crate::cgm::ColumnarReadings))),
        ("assessment", value(schema_for!(crate::rules::Assessment))),
        ("action", value(schema_for!(crate::rules::Action))),
        ("summary", value(schema_for!(crate::cgm::Summary))),
        ("episodes", value(schema_for!(crate::cgm::Episodes))),
        ("frequently", value(schema_for!(crate::cgm::Frequently))),
        ("agp", value(schema_for!(crate::cgm::Agp))),
        ("pathway_view", value(schema_for!(crate::pathway::PathwayView))),
        ("schedule", value(schema_for!(crate::schedule::Schedule))),
        ("error", value(schema_for!(ErrorDocument))),
        ("evaluation_request", value(schema_for!(crate::rules::EvaluationRequest))),
        ("rule_table", value(schema_for!(Vec<crate::rules::RuleSpec>))),
    ]
}

/// The JSON form of every [`Error`](crate::Error): what Python and JavaScript errors carry as attributes.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)] // Only its schema is used: `Error` serialises itself to this shape.
struct ErrorDocument {
    /// The class name: `GlucoseError`, `SeriesError`, `ReadError`, `ProtocolError`, `EventError`, `RecordError`,
    /// `ScheduleError`.
    kind: String,
    /// The variant's stable snake_case code (the table in the `error` module).
    code: String,
    /// The message, naming the field and the value.
    message: String,
    /// Every problem, each with its path, code, message and value.
    problems: Vec<crate::Problem>,
}
