//! The one way pumppath reads a JSON document (a protocol, a record, an event, readings, a request): serde's
//! own field lists decide what is known, and every problem comes back typed, with one path form from the
//! document's root (`$.events[1].actor`).
//!
//! A valid document is read straight from its text. Only when that fails is it read again, slowly, to say
//! why: the text becomes a value (a key given twice is a `duplicate_key` here, since a value keeps one), and
//! the value is read through a deserializer whose error type is pumppath's own, so that every problem's code
//! comes from what serde reported (an unknown field, a missing one, a wrong type), never from its message
//! text. Every unknown field is reported (each is set aside and the value read again), then the first other
//! problem.

use std::cell::RefCell;
use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

use crate::problem::{Problem, ProblemCode};

/// The most unknown fields reported for one document, so a hostile document cannot make the reading quadratic.
const MAX_UNKNOWN: usize = 100;

/// The deepest nesting read: deeper documents are `too_large` before any parsing (serde_json's own limit, 128,
/// would otherwise stop them with an untyped error).
pub const MAX_DEPTH: usize = 64;

/// Reads `T` from JSON text whose root is at `root` (`$` for a document; `$.record` for a part of one).
pub(crate) fn read_str<T: DeserializeOwned>(text: &str, root: &str) -> Result<T, Vec<Problem>> {
    if let Ok(t) = serde_json::from_str::<T>(text) {
        return Ok(t);
    }
    read(parse(text, root)?, root)
}

/// Parses JSON text into a value, or says why not: `too_large` nesting, `invalid_json` (with the line and
/// column), or a `duplicate_key` with its path.
pub(crate) fn parse(text: &str, root: &str) -> Result<Value, Vec<Problem>> {
    if let Some(depth) = nesting_deeper_than(text, MAX_DEPTH) {
        let message = format!("the JSON nests {depth} levels deep; at most {MAX_DEPTH} are read");
        return Err(vec![Problem::new(root, ProblemCode::TooLarge, message)]);
    }
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Checked { path: root.to_owned(), duplicate: &duplicate }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(value) => Ok(value),
        Err(e) => Err(vec![duplicate.into_inner().unwrap_or_else(|| {
            Problem::new(root, ProblemCode::InvalidJson, format!("not valid JSON: {e}"))
        })]),
    }
}

/// Reads `T` from a value at `root`, reporting every unknown field and the first other problem.
pub(crate) fn read<T: DeserializeOwned>(value: Value, root: &str) -> Result<T, Vec<Problem>> {
    match read_past_unknown(value, root) {
        (Some(t), problems) if problems.is_empty() => Ok(t),
        (_, problems) => Err(problems),
    }
}

/// [`read`], also giving the value read once the unknown fields are set aside (when nothing else is wrong), so
/// that a caller can report its own problems beside them: a protocol lists its structural problems with its
/// typos.
pub(crate) fn read_past_unknown<T: DeserializeOwned>(
    mut value: Value,
    root: &str,
) -> (Option<T>, Vec<Problem>) {
    let mut problems = Vec::new();
    loop {
        let mut track = serde_path_to_error::Track::new();
        let result = T::deserialize(serde_path_to_error::Deserializer::new(ValueDe(&value), &mut track));
        let e = match result {
            Ok(t) => return (Some(t), problems),
            Err(e) => e,
        };
        let mut segments: Vec<Segment> = track.path().iter().filter_map(Segment::of).collect();
        match e.field {
            Some(name) if e.code == ProblemCode::UnknownField && problems.len() < MAX_UNKNOWN => {
                // An internally tagged enum reports the field at its own level, not below it.
                if segments.last() != Some(&Segment::Key(name.clone())) {
                    segments.push(Segment::Key(name));
                }
                let mut problem =
                    Problem::new(join(root, &segments), ProblemCode::UnknownField, "unknown field");
                if let Some(v) = lookup(&value, &segments) {
                    problem = problem.with_value(v.clone());
                }
                problems.push(problem);
                if !remove(&mut value, &segments) {
                    return (None, problems);
                }
            }
            Some(name) if e.code == ProblemCode::MissingField => {
                if segments.last() != Some(&Segment::Key(name.clone())) {
                    segments.push(Segment::Key(name));
                }
                problems.push(Problem::new(join(root, &segments), e.code, e.message));
                return (None, problems);
            }
            _ => {
                let mut problem = Problem::new(join(root, &segments), e.code, e.message);
                if let Some(v) = lookup(&value, &segments) {
                    problem = problem.with_value(v.clone());
                }
                problems.push(problem);
                return (None, problems);
            }
        }
    }
}

/// The depth at which `json` nests deeper than `limit`, if it does (strings skipped).
pub(crate) fn nesting_deeper_than(json: &str, limit: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in json.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Some(depth);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// What serde reported, typed: the code comes from which of serde's error constructors was called.
#[derive(Debug)]
pub(crate) struct DeError {
    code: ProblemCode,
    message: String,
    /// The field of an unknown or missing field.
    field: Option<String>,
}

impl DeError {
    fn new(code: ProblemCode, message: String) -> DeError {
        DeError { code, message, field: None }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::new(ProblemCode::InvalidValue, crate::problem::shown(&msg.to_string()).into_owned())
    }
    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::new(ProblemCode::InvalidType, format!("invalid type: {}, expected {exp}", unexpected(unexp)))
    }
    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::new(
            ProblemCode::InvalidValue,
            format!("invalid value: {}, expected {exp}", unexpected(unexp)),
        )
    }
    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        DeError::new(ProblemCode::InvalidValue, format!("invalid length {len}, expected {exp}"))
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let shown = crate::problem::shown(variant);
        DeError::new(
            ProblemCode::UnknownVariant,
            format!("unknown name {shown:?}, expected one of {}", expected.join(", ")),
        )
    }
    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        DeError {
            code: ProblemCode::UnknownField,
            message: "unknown field".into(),
            field: Some(field.to_owned()),
        }
    }
    fn missing_field(field: &'static str) -> Self {
        DeError {
            code: ProblemCode::MissingField,
            message: "missing field".into(),
            field: Some(field.to_owned()),
        }
    }
    fn duplicate_field(field: &'static str) -> Self {
        DeError::new(ProblemCode::DuplicateKey, format!("{field} given twice"))
    }
}

/// serde's description of a value, with long text cut.
fn unexpected(u: de::Unexpected<'_>) -> String {
    match u {
        de::Unexpected::Str(s) => format!("string {:?}", crate::problem::shown(s)),
        other => other.to_string(),
    }
}

/// A JSON value as a serde deserializer with [`DeError`] errors.
#[derive(Clone, Copy)]
struct ValueDe<'a>(&'a Value);

impl<'de> IntoDeserializer<'de, DeError> for ValueDe<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (_, _, Some(f)) => visitor.visit_f64(f),
                _ => Err(DeError::new(ProblemCode::InvalidValue, format!("the number {n} cannot be read"))),
            },
            Value::String(s) => visitor.visit_str(s),
            Value::Array(a) => {
                let mut seq = SeqDeserializer::new(a.iter().map(ValueDe));
                let out = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            Value::Object(m) => {
                let mut map = MapDeserializer::new(m.iter().map(|(k, v)| (k.as_str(), ValueDe(v))));
                let out = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(out)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(m) if m.len() == 1 => match m.iter().next() {
                Some((variant, value)) => visitor.visit_enum(EnumDe { variant, value }),
                None => Err(de::Error::invalid_length(0, &"one variant")),
            },
            other => {
                Err(de::Error::invalid_type(unexpected_of(other), &"a name, or an object of one variant"))
            }
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        seq tuple tuple_struct map struct identifier ignored_any
    }
}

fn unexpected_of(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(de::Unexpected::Other("number"), de::Unexpected::Float),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// An externally tagged variant `{"variant": value}`.
struct EnumDe<'a> {
    variant: &'a str,
    value: &'a Value,
}

impl<'de, 'a> EnumAccess<'de> for EnumDe<'a> {
    type Error = DeError;
    type Variant = ValueDe<'a>;
    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, ValueDe<'a>), DeError> {
        let name: de::value::StrDeserializer<'_, DeError> = self.variant.into_deserializer();
        Ok((seed.deserialize(name)?, ValueDe(self.value)))
    }
}

impl<'de> VariantAccess<'de> for ValueDe<'_> {
    type Error = DeError;
    fn unit_variant(self) -> Result<(), DeError> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected_of(other), &"no value")),
        }
    }
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, DeError> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

/// Builds a value from JSON text, refusing a key given twice in one object (and saying where).
struct Checked<'p> {
    path: String,
    duplicate: &'p RefCell<Option<Problem>>,
}

impl<'de> DeserializeSeed<'de> for Checked<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Checked {
            path: format!("{}[{}]", self.path, out.len()),
            duplicate: self.duplicate,
        })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = format!("{}.{}", self.path, crate::problem::shown(&key));
            let value = map.next_value_seed(Checked { path: path.clone(), duplicate: self.duplicate })?;
            if out.contains_key(&key) {
                let problem =
                    Problem::new(path, ProblemCode::DuplicateKey, "a key given twice in one object");
                *self.duplicate.borrow_mut() = Some(problem);
                return Err(de::Error::custom("duplicate key"));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Segment {
    fn of(s: &serde_path_to_error::Segment) -> Option<Segment> {
        match s {
            serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => None,
        }
    }
}

fn join(root: &str, segments: &[Segment]) -> String {
    let mut out = root.to_owned();
    for s in segments {
        match s {
            Segment::Key(k) => {
                // A key is input too: a hostile one is cut like any echoed value.
                out.push('.');
                out.push_str(&crate::problem::shown(k));
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
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
        #[serde(default)]
        when: Option<jiff::Timestamp>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }

    fn problems(text: &str) -> Vec<(String, &'static str)> {
        read_str::<Doc>(text, "$").unwrap_err().into_iter().map(|p| (p.path, p.code.as_str())).collect()
    }

    #[test]
    fn every_unknown_field_is_named_with_its_path() {
        let text = r#"{"items": [{"id": "a", "colour": 1}, {"id": "b", "size": 2}], "x": 0}"#;
        let got = problems(text);
        assert_eq!(
            got,
            [
                ("$.items[0].colour".to_owned(), "unknown_field"),
                ("$.items[1].size".to_owned(), "unknown_field"),
                ("$.x".to_owned(), "unknown_field")
            ]
        );
        // A type error after the unknown fields is reported too, with its own code and the value.
        let err = read_str::<Doc>(r#"{"items": [{"id": 3, "colour": 1}]}"#, "$.doc").unwrap_err();
        assert_eq!((err[1].path.as_str(), err[1].code), ("$.doc.items[0].id", ProblemCode::InvalidType));
        assert_eq!(err[1].value, Some(3.into()));
    }

    #[test]
    fn codes_come_from_what_serde_reported() {
        assert_eq!(problems(r#"{"items": [{}]}"#), [("$.items[0].id".to_owned(), "missing_field")]);
        assert_eq!(
            problems(r#"{"items": [{"id": "a", "when": "yesterday"}]}"#),
            [("$.items[0].when".to_owned(), "invalid_value")]
        );
        assert_eq!(
            problems(r#"{"items": [{"id": "a", "id": "b"}]}"#),
            [("$.items[0].id".to_owned(), "duplicate_key")]
        );
        assert_eq!(problems(r#"{"items": [}"#), [("$".to_owned(), "invalid_json")]);
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(problems(&deep), [("$".to_owned(), "too_large")]);
    }
}
