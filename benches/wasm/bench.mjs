// Throughput of the WASM package next to the native Rust benches, on the same data: `classify` on 1,000,000
// readings and `cgmSummary` of one patient's 14 days (4,032 readings), the data of benches/glucose.rs and
// benches/cgm.rs (the demo's FrequentHighs trace, which is the demo patient Ben's).
//
//   node benches/wasm/bench.mjs [--readings N] [--seconds S] [--no-native]
//
// Native figures come from criterion (`cargo bench -p pumppath-benches`, run here unless --no-native or already
// saved in target/criterion); the WASM package must be built (bindings-wasm/build.sh). Also reports the .wasm's
// size, raw and gzipped.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

import * as pumppath from "../../bindings-wasm/pkg/index.js";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const READINGS = option("--readings", 1_000_000);
const SECONDS = option("--seconds", 3);
const NATIVE = !args.includes("--no-native");
const ROOT = new URL("../../", import.meta.url);

/** Seconds per call of `f`: the best of repeated timed batches over about SECONDS in all. */
function timePerCall(f) {
  f();
  let best = Infinity;
  const end = performance.now() + SECONDS * 1000;
  do {
    let calls = 0;
    const start = performance.now();
    do {
      f();
      calls++;
    } while (performance.now() - start < 100);
    best = Math.min(best, (performance.now() - start) / 1000 / calls);
  } while (performance.now() < end);
  return best;
}

/** Criterion's mean time of a bench in seconds, when it has been run. */
function criterion(path) {
  const file = new URL(`target/criterion/${path}/new/estimates.json`, ROOT);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8")).mean.point_estimate / 1e9;
}

const ben = pumppath.demoCohort().find((p) => p.id === "ben");
const glucose = new Float64Array(READINGS).map((_, k) => ben.glucose[k % ben.glucose.length]);
const DAYS = 14 * 288;
const times = new Float64Array(DAYS).map((_, k) => ben.timesMs[0] + k * 300_000);
const values = new Float64Array(DAYS).map((_, k) => ben.glucose[k % ben.glucose.length]);

if (NATIVE) {
  const run = (bench, filter) =>
    spawnSync("cargo", ["bench", "-q", "-p", "pumppath-benches", "--bench", bench, "--", filter], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
  run("glucose", "classify_into/1000000");
  run("cgm", "1 patient");
}

const wasm = {
  classify: timePerCall(() => pumppath.classify(glucose)),
  summary: timePerCall(() => pumppath.cgmSummary(times, values)),
};
const native = {
  classify: READINGS === 1_000_000 ? criterion("classify/classify_into/1000000") : null,
  summary: (() => {
    const series = criterion("cgm/series_from_slices/1 patient x 14 days");
    const summary = criterion("cgm/summary/1 patient x 14 days");
    return series !== null && summary !== null ? series + summary : null;
  })(),
};

const wasmFile = new URL("bindings-wasm/pkg/pumppath_wasm_bg.wasm", ROOT);
const bytes = readFileSync(wasmFile);
console.log(`pumppath_wasm_bg.wasm: ${statSync(wasmFile).size} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
const line = (name, n, w, r) => {
  const rate = (s) => `${(n / s / 1e6).toFixed(1)} M readings/s`;
  const nativeText = r === null ? "native: not measured" : `native ${rate(r)}, native/WASM ratio ${(w / r).toFixed(2)}`;
  console.log(`${name} (${n.toLocaleString("en")} readings): WASM ${rate(w)} (${(w * 1e3).toFixed(3)} ms); ${nativeText}`);
};
line("classify", READINGS, wasm.classify, native.classify);
line("cgmSummary incl. building the series", DAYS, wasm.summary, native.summary);
