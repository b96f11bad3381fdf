// The clinic's web page end to end in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the page is served from the repository on 127.0.0.1, and what it shows is checked against the core (the WASM
// package in node, and the native Rust reader for a loaded file). Screenshots of the work-list and a patient at
// 1280x800 and 390x844 go to target/web-screenshots/.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import * as pumppath from "../../../bindings-wasm/pkg/index.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SHOTS = join(ROOT, "target", "web-screenshots");
const CLARITY = join(ROOT, "..", "shared", "data", "cgm", "dexcom_clarity_export_sample.csv");
const { chromium } = createRequire(join(ROOT, "bindings-wasm", "package.json"))("playwright-core");
const fmt = (value, decimals = 1) => (typeof value === "number" && Number.isFinite(value) ? value.toFixed(decimals) : "–");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".csv": "text/csv",
};

let server;
let browser;
let base;
let profile;

before(async () => {
  // A static server of the repository's files: the page needs no server of ours beyond this.
  server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}/examples/web/index.html`;
  profile = mkdtempSync(join(tmpdir(), "pumppath-chromium-"));
  // A fresh profile (the user-data-dir) each run.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A fresh page of the given size, loaded and ready, collecting console errors. */
async function open(width, height) {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height });
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(base);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors };
}

const demo = () => pumppath.worklist(pumppath.demoCohort(), pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE);

test("the work-list shows the demo's actions in the core's order, filterable by role and severity", async () => {
  const { page, errors } = await open(1280, 800);
  const rows = await page.$$eval("#worklist-table tbody tr", (trs) => trs.map((tr) => `${tr.dataset.patient} ${tr.dataset.rule}`));
  assert.deepEqual(rows, demo().items.map((item) => `${item.patient_id} ${item.action.rule}`));
  const first = await page.$eval("#worklist-table tbody tr td:nth-child(4)", (td) => td.textContent);
  assert.equal(first, demo().items[0].action.message);
  await page.selectOption("#role-filter", "provider");
  const roles = await page.$$eval("#worklist-table tbody tr td:nth-child(3)", (tds) => tds.map((td) => td.textContent));
  assert.ok(roles.length > 0 && roles.every((role) => role === "provider"), roles.join());
  await page.selectOption("#severity-filter", "urgent");
  const urgent = demo().items.filter((i) => i.action.role === "provider" && i.action.severity === "urgent").length;
  assert.equal(await page.$$eval("#worklist-table tbody tr", (trs) => trs.length), urgent);
  await page.selectOption("#role-filter", "");
  await page.selectOption("#severity-filter", "");
  await page.screenshot({ path: join(SHOTS, "worklist-1280x800.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a patient: phase, checklist, visits, actions, trace, figures, charts and the patient's own view", async () => {
  const { page, errors } = await open(1280, 800);
  // By keyboard: the patient's button in the row.
  await page.focus('#worklist-table button.patient-link[data-patient="chloe"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector("#patient:not([hidden])");
  const chloe = pumppath.demoCohort().find((p) => p.id === "chloe");
  const assessment = pumppath.evaluate(chloe.record, chloe.readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE, { explain: true });
  const view = chloe.record.pathwayView();
  const phase = view.phases.find((p) => p.phase === view.current_phase).title;
  assert.equal(await page.textContent("#current-phase"), phase);
  const items = await page.$$eval("#pathway li[data-item]", (lis) => lis.map((li) => `${li.dataset.item} ${li.querySelector("span").textContent}`));
  assert.deepEqual(items, view.items.map((i) => `${i.item} ${i.state.replaceAll("_", " ")}`));
  const actions = await page.$$eval("#actions details.action", (ds) => ds.map((d) => d.dataset.rule));
  assert.deepEqual(actions, assessment.actions.map((a) => a.rule));
  const trace = await page.$$eval("#trace-table tbody tr", (trs) => trs.map((tr) => `${tr.dataset.rule} ${tr.querySelector(".outcome").textContent}`));
  assert.deepEqual(trace, assessment.trace.map((t) => `${t.rule} ${t.outcome.replaceAll("_", " ")}`));
  assert.equal(trace.length, pumppath.RULES.length);
  const s = assessment.cgm;
  for (const [metric, decimals] of [["percent_in_range", 1], ["percent_below_70", 1], ["percent_below_54", 1], ["mean", 0], ["cv", 1], ["gmi", 1], ["readings", 0]]) {
    assert.equal(await page.textContent(`dd[data-metric=${metric}]`), fmt(s[metric], decimals), metric);
  }
  assert.equal(await page.textContent("#frequently-verdict"), "frequently low");
  assert.equal(await page.$$eval("#readings-chart circle", (cs) => cs.length), s.readings);
  assert.ok((await page.$$eval("#agp-chart path", (ps) => ps.length)) >= 3);
  const told = await page.textContent("#patient-view .body");
  assert.ok(told.includes("Your insulin pump pathway") && !told.includes("frequent_lows"), told);
  await page.locator("#patient").screenshot({ path: join(SHOTS, "patient-1280x800.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("narrow screen (390 px): the work-list as cards and a patient, without sideways scrolling", async () => {
  const { page, errors } = await open(390, 844);
  await page.screenshot({ path: join(SHOTS, "worklist-390x844.png") });
  await page.click('#worklist-table tr[data-patient="ben"]');
  await page.waitForSelector("#patient:not([hidden])");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  await page.locator("#patient").screenshot({ path: join(SHOTS, "patient-390x844.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("loading the shared Dexcom Clarity export shows the Rust reader's summary", async (t) => {
  if (!existsSync(CLARITY)) {
    const message = `../shared/data absent (${CLARITY} not found)`;
    if (process.env.CI === "true") assert.fail(message);
    t.skip(message);
    return;
  }
  const native = spawnSync("cargo", ["run", "-q", "--locked", "--example", "summarize_csv", "--", "--clarity", CLARITY], { cwd: ROOT, encoding: "utf8" });
  assert.equal(native.status, 0, native.stderr);
  const { summary } = JSON.parse(native.stdout.trim().split("\n")[0]);
  const { page, errors } = await open(1280, 800);
  await page.setInputFiles("#csv-file", CLARITY);
  await page.waitForSelector("#load-status .ok");
  const cell = (name) => page.textContent(`#summary-table tbody tr:first-child td.${name}`);
  assert.equal(await cell("mean"), fmt(summary.mean));
  assert.equal(await cell("tir"), fmt(summary.percent_in_range));
  assert.equal(await cell("below70"), fmt(summary.percent_below_70));
  assert.equal(await cell("above250"), fmt(summary.percent_above_250));
  assert.equal(await cell("cv"), fmt(summary.cv));
  assert.equal(await cell("gmi"), fmt(summary.gmi));
  assert.match(await page.textContent("#summary-table tbody tr:first-child"), new RegExp(String(summary.readings)));
  assert.deepEqual(errors, []);
  await page.close();
});

test("a malformed CSV and an invalid protocol show their errors; nothing half-loads", async () => {
  const { page, errors } = await open(1280, 800);
  const before = await page.$$eval("#worklist-table tbody tr", (trs) => trs.length);
  const bad = "id,time,gl\nA,2026-03-01 08:00,100\nA,yesterday,110\n";
  await page.setInputFiles("#csv-file", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.waitForSelector("#load-status .error");
  const shown = await page.textContent("#load-status .error");
  assert.match(shown, /line 3/);
  assert.match(shown, /yesterday/);
  assert.equal(await page.$$eval("#worklist-table tbody tr", (trs) => trs.length), before);

  const definition = JSON.parse(pumppath.Protocol.standard().toJson());
  definition.colour = "red";
  definition.phases[1].items[0].id = definition.phases[0].items[0].id;
  await page.setInputFiles("#protocol-file", { name: "clinic.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(definition)) });
  await page.waitForSelector("#protocol-status .error");
  const problems = await page.$$eval("#protocol-status .error li .mono", (els) => els.map((e) => e.textContent));
  assert.ok(problems.includes("$.colour"), problems.join());
  assert.ok(problems.length >= 2, problems.join());

  const valid = pumppath.Protocol.standard();
  await page.setInputFiles("#protocol-file", { name: "standard.json", mimeType: "application/json", buffer: Buffer.from(valid.toJson()) });
  await page.waitForSelector("#protocol-status .ok");
  assert.equal(await page.textContent("#protocol-fingerprint"), valid.fingerprint);
  assert.equal(await page.$$eval("#protocol-phases li", (lis) => lis.length), JSON.parse(valid.toJson()).phases.length);
  // Errors shown on the page are not console errors.
  assert.deepEqual(errors, []);
  await page.close();
});
