// evaluate, patientView, worklist, the one-document requests, the demo cohort, the schemas and the rule table.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as pumppath from "../pkg/index.js";
import { NOW, ZONE, thrown } from "./helpers.mjs";

const cohort = () => Object.fromEntries(pumppath.demoCohort().map((p) => [p.id, p]));

test("the demo cohort: records, readings objects and typed arrays", () => {
  const patients = pumppath.demoCohort();
  assert.ok(patients.length >= 5);
  const chloe = cohort().chloe;
  assert.ok(chloe.record instanceof pumppath.PatientRecord);
  assert.ok(chloe.timesMs instanceof Float64Array && chloe.glucose instanceof Float64Array);
  assert.equal(chloe.timesMs.length, chloe.readings.wall_clock_times.length);
  assert.ok(chloe.timesMs.length > 1000);
  assert.ok(patients.every((p) => p.name && p.story));
  assert.deepEqual([pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE], [NOW, ZONE]);
});

test("evaluate gives the assessment object of the one-document request", () => {
  const chloe = cohort().chloe;
  const assessment = pumppath.evaluate(chloe.record, chloe.readings, NOW, ZONE);
  assert.equal(assessment.patient_id, "chloe");
  assert.equal(assessment.today, "2026-03-16");
  assert.deepEqual([assessment.actions[0].rule, assessment.actions[0].severity], ["frequent_lows", "urgent"]);
  assert.equal(assessment.trace, undefined);
  const text = pumppath.evaluateJson({ record: chloe.record.toJSON(), readings: chloe.readings, now: NOW, time_zone: ZONE });
  assert.deepEqual(assessment, JSON.parse(text));
  assert.equal(pumppath.evaluateJson(JSON.stringify({ record: chloe.record.toJSON(), readings: chloe.readings, now: NOW, time_zone: ZONE })), text);
  // The same instant with another offset is the same "now".
  assert.deepEqual(pumppath.evaluate(chloe.record, chloe.readings, "2026-03-16T10:00:00-05:00", ZONE), assessment);
});

test("explain adds the trace: every rule with its outcome", () => {
  const dev = cohort().dev;
  const explained = pumppath.evaluate(dev.record, dev.readings, NOW, ZONE, { explain: true });
  const rules = new Set(explained.trace.map((entry) => entry.rule));
  for (const rule of pumppath.RULES) assert.ok(rules.has(rule.rule), `no trace of ${rule.rule}`);
  assert.ok(explained.trace.every((entry) => typeof entry.outcome === "string"));
  const pregnancy = pumppath.evaluate(dev.record, dev.readings, NOW, ZONE, { targets: "pregnancy_type1" });
  assert.equal(pregnancy.cgm.targets, "pregnancy_type1");
});

test("patientView speaks to the patient, in their unit", () => {
  const chloe = cohort().chloe;
  const view = pumppath.patientView(chloe.record, chloe.readings, NOW, ZONE);
  assert.ok(view instanceof pumppath.PatientView);
  const data = view.toJSON();
  assert.equal(data.patient_id, "chloe");
  assert.deepEqual(JSON.parse(view.toJson()), data);
  const markdown = view.toMarkdown();
  assert.ok(markdown.includes("70") && !markdown.includes("frequent_lows"), markdown);
  const mmol = pumppath.patientView(chloe.record, chloe.readings, NOW, ZONE, { unit: "mmol/L" }).toText();
  assert.ok(mmol.includes("mmol/L") && mmol.includes("3.9"), mmol);
});

test("worklist triages the demo cohort as worklistJson does, taking objects or tuples", () => {
  const patients = pumppath.demoCohort();
  const list = pumppath.worklist(patients, NOW, ZONE);
  assert.equal(list.today, "2026-03-16");
  assert.equal(list.items[0].action.severity, "urgent");
  const document = {
    patients: patients.map((p) => ({ record: p.record.toJSON(), readings: p.readings })),
    now: NOW,
    time_zone: ZONE,
  };
  assert.deepEqual(list, JSON.parse(pumppath.worklistJson(document)));
  assert.deepEqual(pumppath.worklist(patients.map((p) => [p.record, p.readings]), NOW, ZONE), list);
  // The caller's records are untouched: worklist reads copies.
  assert.ok(patients[0].record.length > 0);
  assert.ok(thrown(() => pumppath.worklist([{ record: {} }], NOW, ZONE)) instanceof TypeError);
  assert.ok(thrown(() => pumppath.worklist([42], NOW, ZONE)) instanceof TypeError);
});

test("schemas and RULES", () => {
  const schemas = pumppath.schemas();
  for (const name of ["protocol", "event", "readings", "assessment", "worklist", "error"]) {
    assert.equal(typeof schemas[name], "object", name);
  }
  assert.ok(pumppath.RULES.length >= 10);
  assert.ok(pumppath.RULES.every((r) => r.rule && r.source));
  assert.ok(Object.isFrozen(pumppath.RULES) && Object.isFrozen(pumppath.RULES[0]));
  assert.match(pumppath.VERSION, /^\d+\.\d+\.\d+/);
});
