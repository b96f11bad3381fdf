// The README's two JavaScript examples run as they are written: the page's script (in node, with a stand-in
// `document`) and the node example (from the repository's root, on the project's own Clarity fixture).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

import { REPO, repoText } from "./helpers.mjs";

const readme = repoText("README.md");
const section = readme.slice(readme.indexOf("## WebAssembly"), readme.indexOf("## More"));
const block = (fence) => {
  const start = section.indexOf(fence);
  assert.ok(start >= 0, `no ${fence} block in the README's WebAssembly section`);
  return section.slice(start + fence.length, section.indexOf("```", start + fence.length));
};

/** Runs module source as a file in `dir` (its imports are relative to it), from there; returns its output. */
function run(source, dir) {
  const file = join(dir, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, source);
  try {
    const done = spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8" });
    assert.equal(done.status, 0, done.stderr);
    return done.stdout;
  } finally {
    rmSync(file, { force: true });
  }
}

test("the page example gives what its comments say", () => {
  const html = block("```html");
  const script = html.slice(html.indexOf(">") + 1, html.lastIndexOf("</script>"));
  const pkg = new URL("../pkg/index.js", import.meta.url).href;
  const source = `globalThis.document = { body: {} };\n${script.replace("./pkg/index.js", pkg)}\nconsole.log(document.body.textContent);`;
  const output = run(source, fileURLToPath(REPO));
  assert.match(output, /Int8Array\(4\) \[ 2, 1, 1, 2 \]/);
  assert.match(output, /^50$/m);
  assert.match(output, /^urgent: /m);
});

test("the node example runs from the repository's root", () => {
  const source = block("```js").replace('"clarity.csv"', '"core/tests/fixtures/clarity_small.csv"');
  const output = run(source, fileURLToPath(REPO));
  assert.match(output, /percent_in_range/);
  assert.match(output, /'p1 insurance_pending'/);
});
