// classify, cgmSummary, glucoseEpisodes, agp and frequently: typed arrays or core's readings object in, core's
// serde shapes out.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as pumppath from "../pkg/index.js";
import { NOW, ZONE, thrown, wallClock } from "./helpers.mjs";

/** Three days at 5 minutes, a sine around 140 mg/dL. */
function days(n = 3) {
  const times = new Float64Array(n * 288);
  const glucose = new Float64Array(n * 288);
  for (let k = 0; k < times.length; k++) {
    times[k] = wallClock("2026-03-01T00:00:00") + k * 300_000;
    glucose[k] = 140 + 80 * Math.sin(k / 20);
  }
  return { times, glucose };
}

test("classify gives Int8Array band codes, -1 for NaN, in either unit and with targets", () => {
  const codes = pumppath.classify(new Float64Array([50, 60, 100, 200, 300, NaN]));
  assert.ok(codes instanceof Int8Array);
  assert.deepEqual([...codes], [0, 1, 2, 3, 4, -1]);
  assert.deepEqual([...pumppath.classify([2.9, 5.5, 14.0], "mmol/L")], [0, 2, 4]);
  assert.deepEqual(pumppath.BANDS, ["very_low", "low", "in_range", "high", "very_high"]);
  // Pregnancy's range ends at 140 mg/dL.
  assert.deepEqual([...pumppath.classify([150], "mg/dL", "pregnancy_type1")], [3]);
  assert.deepEqual([...pumppath.classify([150], undefined, { preset: "standard" })], [2]);
});

test("cgmSummary of arrays equals the summary of the same readings as a readings object", () => {
  const { times, glucose } = days();
  const summary = pumppath.cgmSummary(times, glucose);
  assert.equal(summary.readings, 864);
  assert.equal(summary.first, "2026-03-01T00:00:00");
  assert.ok(summary.percent_in_range > 0 && summary.percent_in_range < 100);
  const readings = { unit: "mg/dL", wall_clock_times: [...times], values: [...glucose] };
  assert.deepEqual(pumppath.cgmSummary(readings), summary);
  assert.deepEqual(pumppath.cgmSummary(JSON.stringify(readings)), summary);
  // mmol/L: the same readings in the other unit give the same percentages.
  const mmol = pumppath.cgmSummary(times, glucose.map((g) => g / 18.0182), "mmol/L");
  assert.equal(mmol.unit, "mmol/L");
  assert.ok(Math.abs(mmol.percent_in_range - summary.percent_in_range) < 1e-9);
});

test("with a timeZone, times are instants shown in that zone by core's tzdb", () => {
  const instants = new Float64Array([Date.parse("2026-03-02T06:02:00Z"), Date.parse("2026-03-02T06:07:00Z")]);
  const summary = pumppath.cgmSummary(instants, new Float64Array([112, 118]), "mg/dL", undefined, ZONE);
  assert.equal(summary.first, "2026-03-02T00:02:00");
  const utc = pumppath.cgmSummary(instants, new Float64Array([112, 118]));
  assert.equal(utc.first, "2026-03-02T06:02:00");
});

test("glucoseEpisodes gives core's episode objects", () => {
  const times = new Float64Array(12).map((_, k) => wallClock("2026-03-01T08:00:00") + k * 300_000);
  const glucose = new Float64Array([100, 50, 50, 50, 50, 50, 100, 100, 100, 100, 100, 100]);
  const episodes = pumppath.glucoseEpisodes(times, glucose);
  const hypo = episodes.find((e) => e.kind === "hypo" && e.level === "level_2");
  assert.ok(hypo, JSON.stringify(episodes));
  assert.equal(hypo.start, "2026-03-01T08:05:00");
  assert.equal(hypo.duration_minutes, 25);
});

test("agp gives percentiles by time of day, null for empty bins, and checks the bin width", () => {
  const { times, glucose } = days();
  const profile = pumppath.agp(times, glucose, "mg/dL", 60);
  assert.equal(profile.bin_minutes, 60);
  assert.equal(profile.bins.length, 24);
  assert.ok(profile.bins.every((b) => b.p5 <= b.p50 && b.p50 <= b.p95));
  const sparse = pumppath.agp(times.slice(0, 12), glucose.slice(0, 12));
  assert.equal(sparse.bins.length, 96);
  assert.equal(sparse.bins[95].p50, null);
  const error = thrown(() => pumppath.agp(times, glucose, "mg/dL", 7));
  assert.equal(error.name, "SeriesError");
  assert.equal(error.code, "invalid_bin_minutes");
});

test("frequently is the verdict evaluate gives, and takes settings checked as a protocol's", () => {
  const chloe = pumppath.demoCohort().find((p) => p.id === "chloe");
  const verdict = pumppath.frequently(chloe.timesMs, chloe.glucose, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE);
  assert.deepEqual(verdict.verdicts, ["frequently_low"]);
  assert.deepEqual(pumppath.frequently(chloe.readings, null, NOW, ZONE), verdict);
  const narrow = pumppath.frequently(chloe.timesMs, chloe.glucose, NOW, ZONE, "mg/dL", { episode_window_days: 3 });
  assert.ok(narrow.episode_window_start > verdict.episode_window_start);
  const error = thrown(() => pumppath.frequently(chloe.timesMs, chloe.glucose, NOW, ZONE, "mg/dL", { window_days: 1 }));
  assert.equal(error.name, "ProtocolError");
  assert.equal(error.problems[0].path, "$.settings.frequently.window_days");
});

test("bad readings throw SeriesError naming the reading; misuse throws TypeError", () => {
  let error = thrown(() => pumppath.cgmSummary(new Float64Array([0, NaN]), new Float64Array([100, 110])));
  assert.equal(error.name, "SeriesError");
  assert.equal(error.code, "non_finite_time");
  assert.deepEqual(error.problems[0], {
    path: "$.times[1]",
    code: "non_finite_time",
    message: "times[1] = NaN: not a finite number of milliseconds",
    value: "NaN",
  });
  error = thrown(() => pumppath.cgmSummary(new Float64Array([0, 300_000]), new Float64Array([100, -1])));
  assert.equal(error.name, "SeriesError");
  assert.equal(error.problems[0].path, "$.values[1]");
  error = thrown(() => pumppath.cgmSummary(new Float64Array([0]), new Float64Array([100, 1])));
  assert.equal(error.code, "length_mismatch");
  error = thrown(() => pumppath.cgmSummary({ unit: "mg/dL", times: [0], values: [1], colour: 1 }));
  assert.equal(error.name, "SeriesError");
  assert.ok(error.problems.some((p) => p.path === "$.colour" && p.code === "unknown_field"));
  assert.ok(thrown(() => pumppath.cgmSummary(new Float64Array([0]))) instanceof TypeError);
  assert.ok(thrown(() => pumppath.classify("100")) instanceof TypeError);
  assert.equal(thrown(() => pumppath.classify([100], "mg")).name, "GlucoseError");
  assert.equal(thrown(() => pumppath.classify([100], "mg/dL", "lenient")).name, "GlucoseError");
  assert.equal(thrown(() => pumppath.classify([-5])).name, "GlucoseError");
  assert.equal(thrown(() => pumppath.cgmSummary([0], [100], "mg/dL", undefined, "Mars/Olympus")).name, "SeriesError");
});
