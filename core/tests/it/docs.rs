//! The docs say what the code does: docs/reference.md's JSON blocks, numbers and signatures; the README's
//! prerequisites, modules and skipped tests; and docs/rules.md, generated from the rule table (a stale copy
//! fails; `PUMPPATH_BLESS=1` rewrites it).

use serde_json::Value;

use pumppath::cgm::{MIN_ACTIVE_PERCENT, MIN_DAYS};
use pumppath::glucose::Targets;
use pumppath::pathway::{Event, MAX_RECORDED_AHEAD, Protocol, Record, Settings};
use pumppath::rules::DEFAULT_ACKNOWLEDGEMENT_DAYS;

const README: &str = include_str!("../../../README.md");
const REFERENCE: &str = include_str!("../../../docs/reference.md");

/// The text with every run of whitespace as one space, so a phrase is found across the Markdown's line breaks.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ```json blocks of a Markdown text, each parsed.
fn json_blocks(markdown: &str) -> Vec<Value> {
    markdown
        .split("```json\n")
        .skip(1)
        .map(|rest| {
            let block = &rest[..rest.find("```").unwrap()];
            serde_json::from_str(block)
                .unwrap_or_else(|e| panic!("a JSON block does not parse ({e}):\n{block}"))
        })
        .collect()
}

/// Whether every field of `shown` is in `real` with the same value, for abridged examples: objects by key,
/// arrays as an ordered selection of the real elements, a string ending in "..." by its beginning.
fn abridged_in(shown: &Value, real: &Value, path: &str) -> Result<(), String> {
    match (shown, real) {
        (Value::Object(s), Value::Object(r)) => s.iter().try_for_each(|(k, v)| match r.get(k) {
            Some(rv) => abridged_in(v, rv, &format!("{path}.{k}")),
            None => Err(format!("{path}.{k}: not in the real value")),
        }),
        (Value::Array(s), Value::Array(r)) => {
            let mut rest = r.iter();
            s.iter().enumerate().try_for_each(|(k, v)| {
                // The next real element it matches; the ones skipped are left out of the example.
                match rest.by_ref().find(|rv| abridged_in(v, rv, "").is_ok()) {
                    Some(_) => Ok(()),
                    None => Err(format!("{path}[{k}]: {v} is not among the real elements, in order")),
                }
            })
        }
        (Value::String(s), Value::String(r)) if s.ends_with("...") => {
            match r.starts_with(&s[..s.len() - 3]) {
                true => Ok(()),
                false => Err(format!("{path}: {s:?} shown, {r:?} real")),
            }
        }
        _ if shown == real => Ok(()),
        _ => Err(format!("{path}: {shown} shown, {real} real")),
    }
}

#[test]
fn every_json_block_of_the_reference_is_checked() {
    // The protocol and the event; a new block needs its check below.
    let blocks = json_blocks(REFERENCE);
    assert_eq!(blocks.len(), 2, "docs/reference.md has a JSON block no test checks");
    assert!(blocks[0].get("schema_version").is_some() && blocks[1].get("type").is_some());
}

#[test]
fn the_reference_protocol_is_the_standard_protocol_and_its_settings_the_defaults() {
    let shown = &json_blocks(REFERENCE)[0];
    let real: Value = serde_json::from_str(&Protocol::standard().to_json()).unwrap();
    abridged_in(shown, &real, "$").unwrap();
    // The settings are the defaults, every number of them shown (the roles per event may be abridged).
    let defaults = serde_json::to_value(Settings::default()).unwrap();
    abridged_in(&shown["settings"], &defaults, "$.settings").unwrap();
    for group in ["frequently", "schedule", "change"] {
        let keys = |v: &Value| v[group].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&shown["settings"]), keys(&defaults), "settings.{group}: every field, in order");
    }
    // The check fails on a stale number: 90 where the code says 92.
    let mut stale = shown.clone();
    stale["settings"]["schedule"]["supplies_batch_max_days"] = 90.into();
    assert!(abridged_in(&stale, &real, "$").is_err());
}

#[test]
fn the_reference_event_reads_as_an_event() {
    let shown = &json_blocks(REFERENCE)[1];
    let event: Event = serde_json::from_value(shown.clone()).unwrap();
    abridged_in(shown, &serde_json::to_value(&event).unwrap(), "$").unwrap();
}

#[test]
fn the_reference_numbers_and_signatures_are_the_codes() {
    let text = flat(REFERENCE);
    let s = Settings::default();
    let (schedule, frequently) = (&s.schedule, &s.frequently);
    let targets = Targets::default();
    let goals = targets.goals();
    let percent = |v: Option<f64>| v.map(|v| v.to_string()).unwrap();
    let phrases = [
        // The schedule.
        format!(
            "the specialist visit is due {} days after the pump start and overdue after {}",
            schedule.specialist_visit_due_days, schedule.specialist_visit_overdue_days
        ),
        format!("follow-ups every {} calendar months", schedule.follow_up_interval_months),
        format!("an insurance check-in {} days after a pending submission", schedule.insurance_check_in_days),
        format!("the pump link and settings review within the first {} days", schedule.first_weeks_days),
        format!(
            "supplies reordered {} days before the last batch is expected to run out",
            schedule.supplies_reorder_lead_days
        ),
        format!("`supplies_received` (`days_of_supply`, 1 to {}", schedule.supplies_batch_max_days),
        // Events and acknowledgements.
        format!(
            "`Record::apply_at(event, now)`, which live systems use, refuses `recorded_at` more than {} hours after `now`",
            MAX_RECORDED_AHEAD.as_hours()
        ),
        format!("until its `until` date (or {DEFAULT_ACKNOWLEDGEMENT_DAYS} days)"),
        // "Frequently".
        format!("**sufficient data** ({MIN_DAYS} days, {MIN_ACTIVE_PERCENT} % wear"),
        format!("% < 70 above {} %", goals.max_percent_below_range),
        format!("% < 54 above {} %", percent(goals.max_percent_below_very_low)),
        format!("% > 250 above {} %", percent(goals.max_percent_above_very_high)),
        format!(
            "{} or more level 1 hypo (or level 2 hyper) episodes in the last {} days",
            frequently.min_hypo_level_1_episodes, frequently.episode_window_days
        ),
        format!(
            "{} or more level 2 hypo episodes, or {} extended hypo episode, in the last {} days",
            frequently.min_hypo_level_2_episodes,
            frequently.min_extended_hypo_episodes,
            frequently.episode_window_days
        ),
    ];
    for phrase in &phrases {
        assert!(text.contains(phrase.as_str()), "docs/reference.md does not say: {phrase}");
    }
    assert_eq!(frequently.min_hypo_level_1_episodes, frequently.min_hyper_level_2_episodes);
    // The signature the reference names is the real one (this line stops compiling when it changes).
    let _: fn(&mut Record, Event, pumppath::jiff::Timestamp) -> Result<(), pumppath::pathway::EventError> =
        Record::apply_at;
    assert!(!REFERENCE.contains("apply_at(protocol"));
}

#[test]
fn the_readme_lists_every_module_and_no_tool_nothing_uses() {
    let lib = include_str!("../../src/lib.rs");
    let modules: Vec<&str> =
        lib.lines().filter_map(|l| l.trim().strip_prefix("pub mod ")?.strip_suffix(';')).collect();
    assert!(modules.len() >= 10, "{modules:?}");
    let layout = README.lines().find(|l| l.starts_with("| `core/` |")).unwrap();
    for m in &modules {
        assert!(layout.contains(&format!("`{m}`")), "the README's layout does not list the module {m}");
    }
    // Nothing in the repository runs on Node.js yet.
    assert!(!README.contains("Node"), "the README asks for Node.js, which nothing uses");
}

#[test]
fn the_readme_says_how_the_shared_data_tests_skip() {
    // The message the README quotes is the one the tests print, and CI is where they never skip.
    let common = include_str!("common.rs");
    let text = flat(README);
    for said in ["skipped: ../shared/data absent", "CI=true"] {
        assert!(common.contains(said) && text.contains(said), "{said}");
    }
}

/// docs/rules.md is [`pumppath::rules::rule_catalogue_markdown`], fresh; `PUMPPATH_BLESS=1` rewrites it.
#[test]
fn the_rule_catalogue_is_generated_from_the_rule_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
    let generated = pumppath::rules::rule_catalogue_markdown();
    if std::env::var_os("PUMPPATH_BLESS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == generated, "{path} is stale: run PUMPPATH_BLESS=1 cargo test --all-features");
    // Every rule has its section, with its handout passage's summary.
    for spec in &pumppath::rules::RULE_TABLE {
        assert!(committed.contains(&format!("### `{}`", spec.rule)), "{}", spec.rule);
        let summary = pumppath::pathway::handout::summary(spec.source).unwrap();
        assert!(committed.contains(&format!("`{}` (in short: {summary})", spec.source)), "{}", spec.rule);
    }
}
