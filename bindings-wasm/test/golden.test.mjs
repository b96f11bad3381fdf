// The golden cases (golden/cases/) through the WASM package: each input document gives the core's JSON for it,
// byte for byte what the Rust tests check.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import * as pumppath from "../pkg/index.js";
import { REPO } from "./helpers.mjs";

const CASES = new URL("golden/cases/", REPO);
const names = readdirSync(CASES).sort();
const read = (name) => readFileSync(new URL(name, CASES), "utf8");

const doors = [
  [".request.json", ".assessment.json", pumppath.evaluateJson],
  [".request.json", ".patient_view.json", pumppath.patientViewJson],
  [".readings.json", ".cgm.json", pumppath.cgmReportJson],
  [".worklist_request.json", ".worklist.json", pumppath.worklistJson],
];

for (const [suffix, out, door] of doors) {
  for (const name of names.filter((n) => n.endsWith(suffix))) {
    test(`${name} gives ${name.replace(suffix, out)} byte for byte`, () => {
      assert.equal(door(read(name)), read(name.replace(suffix, out)));
    });
  }
}

test("there are golden cases", () => {
  assert.ok(names.filter((n) => n.endsWith(".request.json")).length >= 14);
});
