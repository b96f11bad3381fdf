//! The pathway definition: phases, checklist items, settings, validation and fingerprint.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::definition::{ChecklistItem, Milestone, Phase, ProtocolDefinition};
use super::{ProtocolError, Settings};
use crate::problem::{Problem, ProblemCode};

/// Where an item sits in a protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ItemRef {
    pub phase: usize,
    pub item: usize,
}

/// A validated pathway protocol: phases in order, each with its checklist items, and the rules' settings.
///
/// Build one with [`Protocol::standard`] (the handout's pathway, embedded), [`Protocol::from_json`] (a
/// clinic's own, validated with every problem reported at once), or [`Protocol::new`] from a
/// [`ProtocolDefinition`]. A protocol never changes once built; its [`fingerprint`](Protocol::fingerprint)
/// identifies it on everything evaluated with it.
///
/// ```
/// use pumppath::pathway::Protocol;
///
/// let protocol = Protocol::standard();
/// let phases: Vec<&str> = protocol.phases().iter().map(|p| p.id.as_str()).collect();
/// assert_eq!(phases, ["pre_pump", "understanding_the_pump", "maintenance", "post_pump_care"]);
/// assert_eq!(protocol.item("pump_ordered").map(|i| i.source.as_str()), Some("pre_pump.3"));
/// assert_eq!(protocol.fingerprint().len(), 64);
///
/// let err = Protocol::from_json(r#"{"schema_version": 1, "id": "x", "version": "1", "title": "X", "phases": []}"#)
///     .unwrap_err();
/// assert_eq!(err.to_string(), "invalid protocol (1 problem): $.phases: a protocol needs at least one phase");
/// ```
///
/// A `Protocol` is a cheap handle: cloning it shares the validated definition (an `Arc`), so every record can
/// carry its own protocol.
#[derive(Clone, Debug, Serialize)]
#[serde(into = "ProtocolDefinition")]
pub struct Protocol {
    inner: Arc<ProtocolInner>,
}

#[derive(Debug)]
struct ProtocolInner {
    definition: ProtocolDefinition,
    /// Item id → position in `flat` (protocol order).
    index: HashMap<String, usize>,
    flat: Vec<ItemRef>,
    fingerprint: String,
}

impl PartialEq for Protocol {
    fn eq(&self, other: &Self) -> bool {
        self.inner.definition == other.inner.definition
    }
}

impl From<Protocol> for ProtocolDefinition {
    fn from(p: Protocol) -> Self {
        p.inner.definition.clone()
    }
}

/// Deserializing a protocol goes through the same validation as [`Protocol::from_json`]: unknown fields and
/// every structural problem are errors, listed with their JSON paths.
impl<'de> Deserialize<'de> for Protocol {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Protocol::from_value(value).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<ProtocolDefinition> for Protocol {
    type Error = ProtocolError;
    fn try_from(d: ProtocolDefinition) -> Result<Self, Self::Error> {
        Protocol::new(d)
    }
}

/// The handout's pathway as JSON: the embedded default protocol.
pub const STANDARD_PROTOCOL_JSON: &str = include_str!("standard.json");

impl Protocol {
    /// The handout's pathway, embedded: four phases, every checklist item with its handout source.
    ///
    /// Parsed and validated once per process; a test guarantees it is valid.
    pub fn standard() -> &'static Protocol {
        static STANDARD: OnceLock<Protocol> = OnceLock::new();
        STANDARD.get_or_init(|| match Protocol::from_json(STANDARD_PROTOCOL_JSON) {
            Ok(p) => p,
            // The embedded JSON is covered by tests; reaching this is a build defect, not bad input.
            Err(e) => unreachable!("embedded standard protocol is invalid: {e}"),
        })
    }

    /// Parses and validates a protocol from JSON, reporting **all** problems at once, each with its JSON path:
    /// unknown fields (a typo must not silently drop a rule), a wrong type, duplicate ids, unknown
    /// prerequisites, prerequisite cycles, empty phases, prerequisites in a later phase, bad settings.
    ///
    /// Limits, checked before the expensive work, each a `too_large` problem: at most [`MAX_JSON_BYTES`] of
    /// JSON nested at most [`MAX_JSON_DEPTH`] deep, at most [`MAX_ITEMS`](super::MAX_ITEMS) items and
    /// [`MAX_PREREQUISITES`](super::MAX_PREREQUISITES) prerequisites per item. Of many prerequisite cycles,
    /// the first five are named (a long one shortened) and the rest counted.
    pub fn from_json(json: &str) -> Result<Protocol, ProtocolError> {
        Protocol::read(json, "$")
    }

    /// [`from_json`](Self::from_json) for a protocol at `root` of a larger document (`$.protocol`).
    pub(crate) fn read(json: &str, root: &str) -> Result<Protocol, ProtocolError> {
        if json.len() > MAX_JSON_BYTES {
            let message =
                format!("the protocol JSON has {} bytes; at most {MAX_JSON_BYTES} are read", json.len());
            return Err(ProtocolError::Invalid {
                problems: vec![Problem::new(root, ProblemCode::TooLarge, message)],
            });
        }
        // Through a value (which also refuses a key given twice), so that every problem is listed.
        let value =
            crate::fields::parse(json, root).map_err(|problems| ProtocolError::Invalid { problems })?;
        Protocol::from_value_at(value, root)
    }

    /// Validates a protocol given as a JSON value; see [`from_json`](Self::from_json). A value cannot hold a
    /// key twice, so prefer `from_json` for text.
    pub fn from_value(value: serde_json::Value) -> Result<Protocol, ProtocolError> {
        Protocol::from_value_at(value, "$")
    }

    fn from_value_at(value: serde_json::Value, root: &str) -> Result<Protocol, ProtocolError> {
        // Every unknown field with its path, then the first other error (crate::fields, the one reader); with
        // only unknown fields, the structural problems are listed beside them.
        let (definition, mut problems) = crate::fields::read_past_unknown::<ProtocolDefinition>(value, root);
        let Some(definition) = definition else { return Err(ProtocolError::Invalid { problems }) };
        match Protocol::new(definition) {
            Ok(p) if problems.is_empty() => Ok(p),
            Ok(_) => Err(ProtocolError::Invalid { problems }),
            Err(ProtocolError::Invalid { problems: more }) => {
                problems.extend(more.into_iter().map(|p| p.under(root)));
                Err(ProtocolError::Invalid { problems })
            }
            Err(other) => Err(other),
        }
    }

    /// Validates a definition; see [`from_json`](Self::from_json) for what is checked.
    pub fn new(definition: ProtocolDefinition) -> Result<Protocol, ProtocolError> {
        let problems = super::validate::problems(&definition);
        if !problems.is_empty() {
            return Err(ProtocolError::Invalid { problems });
        }
        let mut index = HashMap::new();
        let mut flat = Vec::new();
        for (p, phase) in definition.phases.iter().enumerate() {
            for (i, item) in phase.items.iter().enumerate() {
                let r = ItemRef { phase: p, item: i };
                index.insert(item.id.clone(), flat.len());
                flat.push(r);
            }
        }
        let fingerprint = super::fingerprint::fingerprint(&definition)?;
        Ok(Protocol { inner: Arc::new(ProtocolInner { definition, index, flat, fingerprint }) })
    }

    /// This protocol with some of its `settings.frequently` fields changed: `changes` is a JSON object of
    /// [`FrequentlySettings`](super::FrequentlySettings) fields (`{"window_days": 28}`), checked as a
    /// protocol's settings are, with their paths (`$.settings.frequently.window_days`). What the bindings'
    /// `frequently(..., settings)` uses.
    ///
    /// ```
    /// use pumppath::pathway::Protocol;
    ///
    /// let wider = Protocol::standard().with_frequently_settings(r#"{"window_days": 28}"#)?;
    /// assert_eq!(wider.settings().frequently.window_days, 28);
    /// let err = Protocol::standard().with_frequently_settings(r#"{"window_days": 1}"#).unwrap_err();
    /// assert_eq!(err.problems()[0].path, "$.settings.frequently.window_days");
    /// assert!(Protocol::standard().with_frequently_settings("[28]").is_err());
    /// # Ok::<(), pumppath::pathway::ProtocolError>(())
    /// ```
    pub fn with_frequently_settings(&self, changes: &str) -> Result<Protocol, ProtocolError> {
        let root = "$.settings.frequently";
        let changes =
            crate::fields::parse(changes, root).map_err(|problems| ProtocolError::Invalid { problems })?;
        let serde_json::Value::Object(changes) = changes else {
            let problem =
                Problem::new(root, ProblemCode::InvalidType, "the settings to change must be a JSON object")
                    .with_value(changes);
            return Err(ProtocolError::Invalid { problems: vec![problem] });
        };
        let mut value = serde_json::to_value(&self.inner.definition)
            .map_err(|e| ProtocolError::Serialize { message: e.to_string() })?;
        if let Some(serde_json::Value::Object(frequently)) =
            value.get_mut("settings").and_then(|settings| settings.get_mut("frequently"))
        {
            frequently.extend(changes);
        }
        Protocol::from_value(value)
    }

    /// The protocol as JSON (the documented wire format, pretty-printed).
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(&self.inner.definition).unwrap_or_default()
    }

    /// The plain data.
    pub fn definition(&self) -> &ProtocolDefinition {
        &self.inner.definition
    }
    /// The protocol's id.
    pub fn id(&self) -> &str {
        &self.inner.definition.id
    }
    /// The protocol's version.
    pub fn version(&self) -> &str {
        &self.inner.definition.version
    }
    /// The phases, in order.
    pub fn phases(&self) -> &[Phase] {
        &self.inner.definition.phases
    }
    /// The settings the rules use.
    pub fn settings(&self) -> &Settings {
        &self.inner.definition.settings
    }
    /// SHA-256 (lowercase hex) of the protocol's canonical JSON: sorted keys, no insignificant whitespace,
    /// integral numbers without a fraction (RFC 8785 style), defaults of the settings filled in.
    pub fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }
    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.item_at(*self.inner.index.get(id)?).map(|(_, item)| item)
    }
    /// The phase that holds the item with this id.
    pub fn phase_of(&self, item_id: &str) -> Option<&Phase> {
        let (phase, _) = self.item_at(*self.inner.index.get(item_id)?)?;
        self.inner.definition.phases.get(phase)
    }
    /// Every item with the index of its phase, in protocol order.
    pub fn items(&self) -> impl Iterator<Item = (usize, &ChecklistItem)> + '_ {
        self.inner.flat.iter().map(|r| (r.phase, self.at(*r)))
    }
    /// The item that carries `milestone`, if the protocol has one.
    pub fn milestone_item(&self, milestone: Milestone) -> Option<&ChecklistItem> {
        self.items().map(|(_, i)| i).find(|i| i.milestone == Some(milestone))
    }
    /// The number of items.
    pub fn item_count(&self) -> usize {
        self.inner.flat.len()
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.inner.index.get(id).copied()
    }
    pub(crate) fn item_at(&self, position: usize) -> Option<(usize, &ChecklistItem)> {
        self.inner.flat.get(position).map(|r| (r.phase, self.at(*r)))
    }
    fn at(&self, r: ItemRef) -> &ChecklistItem {
        &self.inner.definition.phases[r.phase].items[r.item]
    }
}

/// The most bytes of JSON [`Protocol::from_json`] reads: 4 MiB.
pub const MAX_JSON_BYTES: usize = 4 << 20;
/// The deepest nesting of arrays and objects [`Protocol::from_json`] reads (a protocol needs 6).
pub const MAX_JSON_DEPTH: usize = crate::fields::MAX_DEPTH;
