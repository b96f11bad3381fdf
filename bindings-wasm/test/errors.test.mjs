// Every error kind of core's table is thrown as a JS Error named by it, with code, problems and core's message.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as pumppath from "../pkg/index.js";
import { NOW, ZONE, event, thrown } from "./helpers.mjs";

const record = () => new pumppath.PatientRecord(pumppath.Protocol.standard(), "p1");

/** One call per error kind that core's bad input raises. */
const CAUSES = {
  GlucoseError: () => pumppath.classify([100], "mg"),
  SeriesError: () => pumppath.cgmSummary([0, 0], [100, 110]),
  ReadError: () => pumppath.readLongCsv("id,time,gl\nA,yesterday,100\n"),
  ProtocolError: () => pumppath.Protocol.fromJson("{}"),
  EventError: () => {
    const r = record();
    r.apply(event("e1", "insurance_submitted"));
    r.apply(event("e1", "insurance_submitted"));
  },
  RecordError: () => record().apply({}),
  ScheduleError: () => pumppath.evaluate(record(), null, NOW, "Mars/Olympus"),
  RequestError: () => pumppath.evaluate(record(), null, "yesterday", ZONE),
  FhirError: () => pumppath.readFhirBundle({ resourceType: "Patient" }),
};

/** Kinds no function of this package can raise: a cohort's Arrow table is the Python bindings' input. */
const NOT_IN_WASM = ["CohortError"];

test("every error name is thrown, with kind, code, problems and core's message", () => {
  assert.deepEqual([...pumppath.ERROR_NAMES].sort(), [...Object.keys(CAUSES), ...NOT_IN_WASM].sort());
  for (const [name, cause] of Object.entries(CAUSES)) {
    const error = thrown(cause);
    assert.ok(error instanceof Error, name);
    assert.equal(error.name, name);
    assert.equal(error.kind, name);
    assert.match(error.code, /^[a-z_]+$/);
    assert.ok(Array.isArray(error.problems) && error.problems.length > 0, name);
    for (const problem of error.problems) {
      assert.equal(typeof problem.path, "string");
      assert.equal(typeof problem.message, "string");
    }
    assert.ok(error.message.length > 0);
    assert.ok(pumppath.isPumppathError(error), name);
  }
  assert.equal(pumppath.isPumppathError(new TypeError("x")), false);
});

test("a read error names the line, the column and the value", () => {
  const error = thrown(CAUSES.ReadError);
  assert.equal(error.code, "invalid_time");
  assert.equal(error.problems[0].path, 'line 2, column "time"');
  assert.equal(error.problems[0].value, "yesterday");
});

test("a bad now is the request's error at $.now", () => {
  const error = thrown(CAUSES.RequestError);
  assert.deepEqual([error.code, error.problems[0].path, error.problems[0].value], ["malformed_request", "$.now", "yesterday"]);
});

test("hostile input never traps: deep nesting, huge and odd values come back as errors", () => {
  const deep = "[".repeat(10_000) + "]".repeat(10_000);
  for (const call of [
    () => pumppath.Protocol.fromJson(deep),
    () => pumppath.evaluateJson(deep),
    () => pumppath.worklistJson("{".repeat(100)),
    () => pumppath.cgmSummary([1e300, -1e300], [100, 100]),
    () => pumppath.cgmSummary([Infinity], [100]),
    () => pumppath.readDexcomClarity("\u0000\u0001garbage"),
    () => pumppath.classify([1e308]),
  ]) {
    const error = thrown(call);
    assert.ok(pumppath.isPumppathError(error), `${error.name}: ${error.message}`);
  }
});
