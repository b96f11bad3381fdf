// Protocol and PatientRecord.
import assert from "node:assert/strict";
import { test } from "node:test";

import { PatientRecord, Protocol } from "../pkg/index.js";
import { event, thrown } from "./helpers.mjs";

const submitted = event("e1", "insurance_submitted");

test("the standard protocol and its JSON", () => {
  const protocol = Protocol.standard();
  assert.equal(protocol.id, "handout_standard");
  assert.match(protocol.fingerprint, /^[0-9a-f]{64}$/);
  const again = Protocol.fromJson(protocol.toJson());
  assert.equal(again.fingerprint, protocol.fingerprint);
  assert.equal(Protocol.fromJson(protocol.toJSON()).fingerprint, protocol.fingerprint);
  assert.deepEqual(JSON.parse(JSON.stringify(protocol)), JSON.parse(protocol.toJson()));
  assert.ok(protocol.toJSON().phases.length >= 4);
});

test("an invalid protocol throws ProtocolError listing every problem with its path", () => {
  const definition = Protocol.standard().toJSON();
  definition.colour = "red";
  definition.phases[0].items[1].id = definition.phases[0].items[0].id;
  const error = thrown(() => Protocol.fromJson(definition));
  assert.equal(error.name, "ProtocolError");
  assert.equal(error.code, "invalid_protocol");
  assert.ok(error.problems.length >= 2);
  assert.ok(error.problems.some((p) => p.path === "$.colour" && p.code === "unknown_field"));
  assert.ok(error instanceof Error && error.message.startsWith("invalid protocol"));
});

test("a record applies events as objects or JSON, round-trips, and copies", () => {
  const protocol = Protocol.standard();
  const record = new PatientRecord(protocol, "p1");
  assert.equal(record.patientId, "p1");
  assert.equal(record.length, 0);
  record.apply(submitted);
  record.apply(JSON.stringify(event("e2", "insurance_decision", { decision: "approved", at: "2026-03-03T15:00:00Z" })));
  assert.equal(record.length, 2);
  assert.equal(record.protocolFingerprint, protocol.fingerprint);
  assert.equal(record.protocol.fingerprint, protocol.fingerprint);
  assert.deepEqual(record.toJSON(), JSON.parse(record.toJson()));
  for (const saved of [record.toJson(), record.toJSON()]) {
    assert.equal(PatientRecord.fromJson(protocol, saved).toJson(), record.toJson());
  }
  const view = record.pathwayView();
  assert.equal(view.patient_id, "p1");
  assert.equal(view.items.find((i) => i.item === "insurance_coverage").state, "completed"); // submitted, then approved
  assert.equal(view.items.length, view.phases.reduce((n, p) => n + p.total, 0));
  const copy = record.clone();
  copy.apply(event("e3", "item_completed", { actor: "patient", item: "pump_options_learned", at: "2026-03-04T15:00:00Z" }));
  assert.equal(record.length, 2);
});

test("a rejected event throws EventError and leaves the record as it was", () => {
  const record = new PatientRecord(Protocol.standard(), "p1");
  record.apply(submitted);
  const before = record.toJson();
  const error = thrown(() => record.apply(submitted));
  assert.equal(error.name, "EventError");
  assert.equal(error.code, "duplicate_event_id");
  assert.equal(error.problems[0].path, "$.id");
  assert.equal(record.toJson(), before);
});

test("a malformed event or record throws RecordError", () => {
  const protocol = Protocol.standard();
  const record = new PatientRecord(protocol, "p1");
  let error = thrown(() => record.apply({ ...submitted, colour: "blue" }));
  assert.equal(error.name, "RecordError");
  assert.equal(error.code, "malformed_record");
  assert.ok(error.problems.some((p) => p.path === "$.colour"));
  error = thrown(() => PatientRecord.fromJson(protocol, '{"patient_id": "p1", "events": [{}]}'));
  assert.equal(error.name, "RecordError");
  assert.ok(thrown(() => record.apply(42)) instanceof TypeError);
});
