// benches/wasm/bench.mjs runs (tiny, without the native benches) and reports what it measures.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

test("the WASM bench runs with a tiny size and reports the .wasm's size and both throughputs", () => {
  const bench = fileURLToPath(new URL("../../benches/wasm/bench.mjs", import.meta.url));
  const done = spawnSync(process.execPath, [bench, "--readings", "10000", "--seconds", "0.2", "--no-native"], {
    encoding: "utf8",
  });
  assert.equal(done.status, 0, done.stderr);
  assert.match(done.stdout, /pumppath_wasm_bg\.wasm: \d+ bytes, \d+ gzipped/);
  assert.match(done.stdout, /classify \(10,000 readings\): WASM [\d.]+ M readings\/s/);
  assert.match(done.stdout, /cgmSummary incl\. building the series \(4,032 readings\): WASM [\d.]+ M readings\/s/);
});
