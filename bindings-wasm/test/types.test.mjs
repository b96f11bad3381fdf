// The package's TypeScript types: usage.ts, which uses every export, compiles with `tsc --strict` (and each of
// its @ts-expect-error lines finds its error).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

test("usage.ts type-checks under tsc --strict against pkg's .d.ts files", () => {
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  const project = fileURLToPath(new URL("./tsconfig.json", import.meta.url));
  const done = spawnSync(process.execPath, [tsc, "--project", project], { encoding: "utf8" });
  assert.equal(done.status, 0, done.stdout + done.stderr);
});
