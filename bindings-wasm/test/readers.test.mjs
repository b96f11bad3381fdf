// readLongCsv and readDexcomClarity on the project's own fixtures, and the core's per-subject fixture of R
// iglu's example data through the package (the shared data sit beside the clone: absent, the test skips with a
// message outside CI and fails under CI=true).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";

import * as pumppath from "../pkg/index.js";
import { REPO, repoText, thrown } from "./helpers.mjs";

const SHARED_CSV = new URL("../shared/data/cgm/iglu_example_5_subject.csv", REPO);
const FIXTURE = "core/tests/fixtures/iglu_example_5_subject.metrics.json";
const TOLERANCE = 1e-9;

/** Asserts that a value equals the fixture's: numbers to 1e-9, containers element by element. */
function same(actual, expected, path = "value") {
  if (typeof expected === "number" && typeof actual === "number") {
    assert.ok(Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected)), `${path}: ${actual} != ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${path}: ${JSON.stringify(actual)}`);
    expected.forEach((e, i) => same(actual[i], e, `${path}[${i}]`));
  } else if (expected && typeof expected === "object") {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), path);
    for (const [key, value] of Object.entries(expected)) same(actual[key], value, `${path}.${key}`);
  } else {
    assert.equal(actual, expected, path);
  }
}

test("readLongCsv reads text or bytes into one {id, readings} per patient", () => {
  const text = repoText("core/tests/fixtures/long_plain.csv");
  const patients = pumppath.readLongCsv(text, "mmol/L");
  assert.deepEqual(patients.map((p) => p.id), ["A", "B"]);
  assert.equal(patients[0].readings.unit, "mmol/L");
  assert.deepEqual(pumppath.readLongCsv(new TextEncoder().encode(text), "mmol/L"), patients);
  const summary = pumppath.cgmSummary(patients[0].readings);
  assert.equal(summary.readings + summary.missing, patients[0].readings.values.length);
  const zoned = pumppath.readLongCsv(text, "mmol/L", "America/Chicago");
  assert.equal(zoned[0].readings.time_zone, "America/Chicago");
});

test("readDexcomClarity reads an export, Low and High at the sensor's limits", () => {
  const [patient] = pumppath.readDexcomClarity(repoText("core/tests/fixtures/clarity_small.csv"), undefined, "ada");
  assert.equal(patient.id, "ada");
  assert.equal(patient.readings.unit, "mg/dL");
  assert.ok(patient.readings.values.length > 0);
  const summary = pumppath.cgmSummary(patient.readings);
  assert.equal(summary.readings + summary.missing, patient.readings.values.length);
  // "Low" and "High" rows stand at the sensor's limits (40 and 400 mg/dL).
  assert.ok(summary.at_sensor_limit > 0, JSON.stringify(summary));
  const error = thrown(() => pumppath.readDexcomClarity("not,a,clarity,export\n1,2,3,4\n"));
  assert.equal(error.name, "ReadError");
});

test("the core's per-subject fixture of iglu's example data, through the package", (t) => {
  if (!existsSync(SHARED_CSV)) {
    const message = `../shared/data absent (${SHARED_CSV.pathname} not found)`;
    if (process.env.CI === "true") assert.fail(message);
    t.skip(message);
    return;
  }
  const fixture = JSON.parse(repoText(FIXTURE)).subjects;
  const patients = pumppath.readLongCsv(readFileSync(SHARED_CSV, "utf8"));
  assert.deepEqual(patients.map((p) => p.id), fixture.map((s) => s.id));
  assert.equal(patients.reduce((n, p) => n + p.readings.values.length, 0), 13866);
  for (const [index, subject] of fixture.entries()) {
    const { readings } = patients[index];
    same(pumppath.cgmSummary(readings), subject.pumppath, subject.id);
    // The same through the typed-array path.
    const times = Float64Array.from(readings.wall_clock_times);
    const values = Float64Array.from(readings.values, (v) => v ?? NaN);
    same(pumppath.cgmSummary(times, values), subject.pumppath, `${subject.id} (arrays)`);
    same(pumppath.glucoseEpisodes(readings), subject.pumppath_episodes.episodes, `${subject.id}.episodes`);
  }
});
