// toFhir and readFhirBundle: the same bundles as core's, read back, and errors naming the entry's field.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as pumppath from "../pkg/index.js";
import { thrown } from "./helpers.mjs";

const IG = "http://hl7.org/fhir/uv/cgm/StructureDefinition/";
const chloe = () => pumppath.demoCohort().find((p) => p.id === "chloe");

test("an assessment is a CarePlan, a RequestGroup and the CGM guide's summary Observations", () => {
  const { record, readings } = chloe();
  const bundle = pumppath.toFhir(record, readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE);
  assert.equal(bundle.resourceType, "Bundle");
  assert.equal(bundle.type, "transaction");
  const types = bundle.entry.map((e) => e.resource.resourceType);
  assert.deepEqual(types, ["CarePlan", "RequestGroup", ...Array(7).fill("Observation")]);
  const [plan, group] = bundle.entry.map((e) => e.resource);
  const assessment = pumppath.evaluate(record, readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE);
  assert.equal(group.action.length, assessment.actions.length);
  assert.equal(group.action[0].title, assessment.actions[0].rule);
  assert.equal(group.priority, "asap");
  const items = record.pathwayView().items;
  assert.deepEqual(plan.activity.slice(0, items.length).map((a) => a.detail.code.coding[0].code), items.map((i) => i.item));
  assert.deepEqual(plan.activity.slice(0, items.length).map((a) => a.detail.status), items.map((i) => i.state.replaceAll("_", "-")));
  // The same arguments give the same bundle.
  assert.deepEqual(pumppath.toFhir(record, readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE), bundle);
});

test("a CGM summary is the guide's seven Observations", () => {
  const { readings } = chloe();
  const summary = pumppath.cgmSummary(readings);
  const bundle = pumppath.toFhir(summary, "chloe");
  const profiles = bundle.entry.map((e) => e.resource.meta.profile[0].replace(IG, ""));
  assert.deepEqual(profiles, [
    "cgm-summary",
    "cgm-summary-mean-glucose-mass-per-volume",
    "cgm-summary-times-in-ranges",
    "cgm-summary-gmi",
    "cgm-summary-coefficient-of-variation",
    "cgm-summary-days-of-wear",
    "cgm-summary-sensor-active-percentage",
  ]);
  assert.equal(bundle.entry[1].resource.valueQuantity.value, Math.round(summary.mean * 100) / 100);
  assert.throws(() => pumppath.toFhir({ readings: 3 }, "p"), TypeError);
});

test("readFhirBundle reads CGM readings and names what it cannot read", () => {
  const reading = (code, value, unit, at) => ({
    resource: {
      resourceType: "Observation",
      status: "final",
      code: { coding: [{ system: "http://loinc.org", code }] },
      subject: { reference: "Patient/ann" },
      effectiveDateTime: at,
      valueQuantity: { value, system: "http://unitsofmeasure.org", code: unit },
    },
  });
  const bundle = {
    resourceType: "Bundle",
    type: "collection",
    entry: [reading("99504-3", 120, "mg/dL", "2026-03-01T08:00:00Z"), reading("99504-3", 131, "mg/dL", "2026-03-01T08:05:00Z")],
  };
  const [ann] = pumppath.readFhirBundle(bundle, { timeZone: "America/Chicago" });
  assert.equal(ann.id, "ann");
  assert.deepEqual(ann.readings.values, [120, 131]);
  assert.deepEqual(ann.readings.times, [Date.parse("2026-03-01T08:00:00Z"), Date.parse("2026-03-01T08:05:00Z")]);
  assert.deepEqual(pumppath.readFhirBundle(JSON.stringify(bundle), { timeZone: "America/Chicago" }), [ann]);

  bundle.entry.push(reading("2339-0", 140, "mg/dL", "2026-03-01T08:10:00Z"));
  const error = thrown(() => pumppath.readFhirBundle(bundle));
  assert.equal(error.name, "FhirError");
  assert.equal(error.code, "blood_glucose_code");
  assert.equal(error.problems[0].path, "$.entry[2].resource.code");
  assert.deepEqual(pumppath.readFhirBundle(bundle, { bloodGlucose: true })[0].readings.values, [120, 131, 140]);
  bundle.entry.push(reading("99504-3", 7, "mmol/L", "2026-03-01T08:15:00Z"));
  assert.equal(thrown(() => pumppath.readFhirBundle(bundle, { bloodGlucose: true })).code, "unit_mismatch");
});
