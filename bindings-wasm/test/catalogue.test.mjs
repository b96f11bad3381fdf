// The catalogue of bad input (golden/bad-input.json) through the WASM package: every row's outcome is the one
// the core's tests see (its `expect`), one test per row. Errors are compared by kind, code and first problem's
// path and value; successes by a small digest of the result.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as pumppath from "../pkg/index.js";
import { repoText } from "./helpers.mjs";

const { rows } = JSON.parse(repoText("golden/bad-input.json"));

/** The text of `pieces`: each [text, times] repeated; {k}, {k1} and {k300} are the index, + 1 and x 300. */
function pieces(parts) {
  const out = [];
  for (const [text, times] of parts) {
    if (text.includes("{")) {
      for (let k = 0; k < times; k++) {
        out.push(text.replaceAll("{k300}", String(k * 300)).replaceAll("{k1}", String(k + 1)).replaceAll("{k}", String(k)));
      }
    } else {
      out.push(text.repeat(times));
    }
  }
  return out.join("");
}

const text = (input) => (input.pieces ? pieces(input.pieces) : (input.json ?? input.text));
const bytes = (input) =>
  input.hex ? Uint8Array.from(input.hex.match(/../g), (h) => parseInt(h, 16)) : new TextEncoder().encode(text(input));

function errorOutcome(error) {
  if (!pumppath.isPumppathError(error)) throw error;
  const [first] = error.problems;
  const out = { kind: error.name, code: error.code, path: first.path };
  if (first.value !== undefined) out.value = first.value;
  return { error: out };
}

function run(row) {
  const input = row.input;
  try {
    switch (row.door) {
      case "classify": {
        const values = Float64Array.from(input.values, (v) => (typeof v === "string" ? Number(v) : v));
        return { ok: { codes: [...pumppath.classify(values, input.unit)] } };
      }
      case "readings": {
        const s = pumppath.cgmSummary(text(input));
        return { ok: { readings: s.readings, missing: s.missing, sufficient: s.sufficient } };
      }
      case "evaluate_json": {
        const out = JSON.parse(pumppath.evaluateJson(text(input)));
        return { ok: { actions: out.actions.length, readings: out.cgm?.readings ?? null } };
      }
      case "worklist_json": {
        const out = JSON.parse(pumppath.worklistJson(text(input)));
        return { ok: { patients: out.patients.length, errors: out.errors.map((e) => e.error.code) } };
      }
      case "protocol": {
        const protocol = pumppath.Protocol.fromJson(text(input));
        return { ok: { items: protocol.toJSON().phases.reduce((n, p) => n + p.items.length, 0) } };
      }
      case "record":
        return { ok: { events: pumppath.PatientRecord.fromJson(pumppath.Protocol.standard(), text(input)).length } };
      case "events": {
        const record = new pumppath.PatientRecord(pumppath.Protocol.standard(), "p1");
        for (const [index, event] of input.events.entries()) {
          const before = record.toJson();
          try {
            record.apply(event);
          } catch (error) {
            assert.equal(record.toJson(), before, "the record changed under a rejected event");
            const out = errorOutcome(error);
            out.error.event = index;
            return out;
          }
        }
        return { ok: { events: record.length } };
      }
      case "csv_long": {
        const patients = pumppath.readLongCsv(bytes(input), input.unit);
        return { ok: { patients: patients.length, readings: patients.reduce((n, p) => n + p.readings.values.length, 0) } };
      }
      case "csv_clarity": {
        const [patient] = pumppath.readDexcomClarity(bytes(input));
        const s = pumppath.cgmSummary(patient.readings);
        return { ok: { patients: 1, readings: patient.readings.values.length, at_sensor_limit: s.at_sensor_limit } };
      }
      default:
        throw new Error(`unknown door ${row.door}`);
    }
  } catch (error) {
    return errorOutcome(error);
  }
}

for (const row of rows) {
  test(`${row.id}: ${row.what}`, () => {
    assert.deepEqual(run(row), row.expect);
  });
}
