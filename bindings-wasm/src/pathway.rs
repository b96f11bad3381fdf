//! The pathway: `Protocol` and `PatientRecord`, over core's protocol and record.

use pumppath::pathway::{Event, PathwayView, Protocol as CoreProtocol, Record};
use wasm_bindgen::prelude::*;

use crate::convert::{json_text, to_js};
use crate::errors::OrThrow;

/// A pathway protocol: phases, checklist items and settings (core's `Protocol`). `Protocol.standard()` is the
/// handout's embedded protocol; `Protocol.fromJson(text)` reads a clinic's own.
#[wasm_bindgen]
pub struct Protocol {
    pub(crate) inner: CoreProtocol,
}

#[wasm_bindgen]
impl Protocol {
    /// The standard protocol of the handout, embedded in the library.
    pub fn standard() -> Protocol {
        Protocol { inner: CoreProtocol::standard().clone() }
    }

    /// A clinic's protocol from its JSON text (or the parsed object); throws a `ProtocolError` listing every
    /// problem with its JSON path.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string | ProtocolDefinition")] json: JsValue,
    ) -> Result<Protocol, JsValue> {
        Ok(Protocol { inner: CoreProtocol::from_json(&json_text("the protocol", &json)?).or_throw()? })
    }

    /// The SHA-256 fingerprint of the protocol's canonical JSON (hex).
    #[wasm_bindgen(getter)]
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_owned()
    }

    /// The protocol's id (`handout_standard` for the standard protocol).
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// The protocol's version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.version().to_owned()
    }

    /// The protocol's JSON, as core writes it.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The protocol as a plain object (its JSON form; also what `JSON.stringify` writes).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ProtocolDefinition")]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.definition())
    }
}

/// A patient's record of pathway events on a protocol (core's `Record`): `new PatientRecord(protocol,
/// patientId)` is an empty record; `apply(event)` checks an event against the pathway's guards and appends it;
/// `PatientRecord.fromJson(protocol, text)` replays a saved record.
#[wasm_bindgen]
pub struct PatientRecord {
    pub(crate) inner: Record,
}

#[wasm_bindgen]
impl PatientRecord {
    /// An empty record for `patientId` on `protocol`.
    #[wasm_bindgen(constructor)]
    pub fn new(protocol: &Protocol, #[wasm_bindgen(js_name = patientId)] patient_id: &str) -> PatientRecord {
        PatientRecord { inner: Record::new(&protocol.inner, patient_id) }
    }

    /// A record from its JSON text (or the parsed object), replayed under `protocol`; throws a `RecordError`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        protocol: &Protocol,
        #[wasm_bindgen(unchecked_param_type = "string | object")] json: JsValue,
    ) -> Result<PatientRecord, JsValue> {
        let text = json_text("the record", &json)?;
        Ok(PatientRecord { inner: Record::from_json(&protocol.inner, &text).or_throw()? })
    }

    /// Applies one event, a plain object (or JSON text) in the wire format. A malformed event throws a
    /// `RecordError`; one the pathway's guards reject an `EventError`, and the record is unchanged.
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Event | string")] event: JsValue,
    ) -> Result<(), JsValue> {
        let event = Event::from_json(&json_text("the event", &event)?).or_throw()?;
        self.inner.apply(event).or_throw()
    }

    /// The patient's id.
    #[wasm_bindgen(getter, js_name = patientId)]
    pub fn patient_id(&self) -> String {
        self.inner.patient_id().to_owned()
    }

    /// The fingerprint of the protocol the record is on.
    #[wasm_bindgen(getter, js_name = protocolFingerprint)]
    pub fn protocol_fingerprint(&self) -> String {
        self.inner.protocol_fingerprint().to_owned()
    }

    /// The record's protocol.
    #[wasm_bindgen(getter)]
    pub fn protocol(&self) -> Protocol {
        Protocol { inner: self.inner.protocol().clone() }
    }

    /// The number of events in the record.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.events().len()
    }

    /// The pathway as the patient stands on it (core's `PathwayView`): progress per phase, every checklist item
    /// with its state, the next steps, the blocked items and the key dates.
    #[wasm_bindgen(js_name = pathwayView, unchecked_return_type = "PathwayView")]
    pub fn pathway_view(&self) -> Result<JsValue, JsValue> {
        to_js(&PathwayView::of(&self.inner))
    }

    /// A copy of the record (what `worklist` takes from each patient, leaving the caller's record as it is).
    #[allow(clippy::should_implement_trait)]
    pub fn clone(&self) -> PatientRecord {
        PatientRecord { inner: self.inner.clone() }
    }

    /// The record's JSON, as core writes it.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The record as a plain object (its JSON form; also what `JSON.stringify` writes).
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_object(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner)
    }
}

// A `PatientRecord` inside a plain object (a work-list's patient) is read by calling its `clone()`, which hands
// Rust a copy it owns: wasm-bindgen cannot borrow an exported struct out of a `JsValue`.
#[wasm_bindgen]
extern "C" {
    /// Anything that may be a `PatientRecord`.
    pub(crate) type MaybeRecord;

    #[wasm_bindgen(method, catch, js_name = clone)]
    fn clone_record(this: &MaybeRecord) -> Result<PatientRecord, JsValue>;
}

/// The record of `value`, when it is a `PatientRecord`.
pub(crate) fn record_of(value: &JsValue, what: &str) -> Result<Record, JsValue> {
    use wasm_bindgen::JsCast;
    let not_a_record = || crate::errors::type_error(&format!("{what} must be a PatientRecord"));
    if !value.is_object() || !crate::convert::get(value, "clone")?.is_function() {
        return Err(not_a_record());
    }
    let record = value.unchecked_ref::<MaybeRecord>().clone_record().map_err(|_| not_a_record())?;
    Ok(record.inner)
}
