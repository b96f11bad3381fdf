//! Canonical JSON (RFC 8785 style) and the SHA-256 fingerprint of a protocol.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::ProtocolError;

/// The canonical JSON of any serializable value: object keys sorted by their UTF-16 code units (as RFC 8785
/// says; for the ASCII keys pumppath uses this is byte order), no insignificant whitespace, integral numbers
/// written without a fraction or exponent, other numbers in their shortest round-trip form.
///
/// ```
/// use pumppath::pathway::canonical_json;
///
/// let value = serde_json::json!({"b": 1.0, "a": [true, null, "x"], "c": 0.5});
/// assert_eq!(canonical_json(&value)?, r#"{"a":[true,null,"x"],"b":1,"c":0.5}"#);
/// # Ok::<(), pumppath::pathway::ProtocolError>(())
/// ```
pub fn canonical_json<T: Serialize>(value: &T) -> Result<String, ProtocolError> {
    let value =
        serde_json::to_value(value).map_err(|e| ProtocolError::Serialize { message: e.to_string() })?;
    let mut out = String::new();
    write_value(&value, &mut out);
    Ok(out)
}

fn write_value(v: &Value, out: &mut String) {
    match v {
        Value::Null | Value::Bool(_) | Value::String(_) => out.push_str(&v.to_string()),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => {
                let _ = write!(out, "{i}");
            }
            (None, Some(u), _) => {
                let _ = write!(out, "{u}");
            }
            (None, None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
                let _ = write!(out, "{}", f as i64);
            }
            _ => out.push_str(&n.to_string()),
        },
        Value::Array(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (k, key) in keys.into_iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_value(&map[key], out);
            }
            out.push('}');
        }
    }
}

pub(crate) fn fingerprint<T: Serialize>(value: &T) -> Result<String, ProtocolError> {
    let canonical = canonical_json(value)?;
    let digest = Sha256::digest(canonical.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}
