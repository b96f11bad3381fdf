// The clinic's page on the pumppath WASM package: the work-list first, a patient's pathway, visits, actions,
// CGM charts, every rule's trace and what the patient is told; CSV and protocol files loaded in the browser.
// Every number and verdict is the core's; the page only lays them out.
import * as pumppath from "../../bindings-wasm/pkg/index.js";

const $ = (selector) => document.querySelector(selector);
const SEVERITIES = ["urgent", "soon", "routine", "info"];
const BAND_LABELS = {
  "mg/dL": ["< 54", "54–69", "70–180", "181–250", "> 250"],
  "mmol/L": ["< 3.0", "3.0–3.8", "3.9–10.0", "10.1–13.9", "> 13.9"],
};
// The consensus thresholds of the standard targets, for shading the charts (the points are classified by core).
const BAND_LIMITS = { "mg/dL": [54, 70, 180, 250], "mmol/L": [3.0, 3.9, 10.0, 13.9] };
const BAND_COLOURS = ["var(--very-low)", "var(--low)", "var(--in-range)", "var(--high)", "var(--very-high)"];
const BAND_HEX = ["#d55e00", "#e69f00", "#009e73", "#56b4e9", "#0072b2"];

/** The page's state: replaced as a whole when a load succeeds, so nothing half-loads. */
let state = null;

/** Text safe to put in HTML. */
function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
const words = (id) => String(id ?? "").replaceAll("_", " ");
/** A number as the page shows it: fixed decimals, "–" when there is none. */
export function fmt(value, decimals = 1) {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(decimals) : "–";
}

/** A panel: the demo clinic's patients, or a loaded CSV's on fresh records, evaluated at `now` in `timeZone`. */
function panel({ source, patients, nowIso, timeZone, protocol }) {
  const list = pumppath.worklist(
    patients.map((p) => ({ record: p.record, readings: p.readings })),
    nowIso,
    timeZone,
  );
  return { source, patients, nowIso, timeZone, protocol, list, selected: null };
}

function demoPanel(protocol = pumppath.Protocol.standard()) {
  const patients = pumppath.demoCohort().map((p) => ({ id: p.id, name: p.name, story: p.story, record: p.record, readings: p.readings }));
  return panel({ source: "the demo clinic", patients, nowIso: pumppath.DEMO_NOW, timeZone: pumppath.DEMO_TIME_ZONE, protocol });
}

/** The latest reading's wall-clock (ms "as if UTC") of a readings object. */
function lastWallClock(readings) {
  const times = readings.wall_clock_times ?? readings.times ?? [];
  return times.reduce((a, b) => Math.max(a, b), -Infinity);
}

/** A loaded CSV's patients on fresh records of `protocol`, judged one hour after their last reading (UTC). */
function csvPanel(name, text, unit, protocol) {
  const isClarity = /^\uFEFF?Index,Timestamp|Event Type/.test(text.slice(0, 400));
  const read = isClarity ? pumppath.readDexcomClarity(text, undefined, name.replace(/\.csv$/i, "")) : pumppath.readLongCsv(text, unit);
  if (read.length === 0) throw new Error(`${name} holds no readings`);
  const patients = read.map((p) => ({
    id: p.id || name,
    name: p.id || name,
    story: `readings from ${name} (${isClarity ? "Dexcom Clarity export" : "long CSV"}), no pathway events recorded`,
    record: new pumppath.PatientRecord(protocol, p.id || name),
    readings: p.readings,
  }));
  const last = Math.max(...patients.map((p) => lastWallClock(p.readings)));
  const nowIso = new Date((Number.isFinite(last) ? last : 0) + 3_600_000).toISOString().replace(".000Z", "Z");
  return panel({ source: name, patients, nowIso, timeZone: "UTC", protocol });
}

// ---- the work-list -------------------------------------------------------------------------------------------

function fillFilters() {
  const roles = [...new Set(state.list.items.map((item) => item.action.role))];
  $("#role-filter").innerHTML = `<option value="">everyone</option>` + roles.map((r) => `<option value="${esc(r)}">${esc(words(r))}</option>`).join("");
  $("#severity-filter").innerHTML = `<option value="">any</option>` + SEVERITIES.map((s) => `<option value="${s}">${s}</option>`).join("");
}

function renderWorklist() {
  const role = $("#role-filter").value;
  const severity = $("#severity-filter").value;
  const names = Object.fromEntries(state.patients.map((p) => [p.id, p.name]));
  const items = state.list.items.filter((item) => (!role || item.action.role === role) && (!severity || item.action.severity === severity));
  $("#worklist-table tbody").innerHTML = items
    .map((item) => {
      const a = item.action;
      return `<tr data-patient="${esc(item.patient_id)}" data-rule="${esc(a.rule)}">
        <td data-label="Severity"><span class="badge severity-${esc(a.severity)}">${esc(a.severity)}</span></td>
        <td data-label="Patient"><button type="button" class="patient-link" data-patient="${esc(item.patient_id)}">${esc(names[item.patient_id] ?? item.patient_id)}</button></td>
        <td data-label="Who">${esc(words(a.role))}</td>
        <td data-label="Reason">${esc(a.message)}</td>
        <td data-label="Due">${esc(a.due)}</td>
        <td data-label="Handout" class="mono">${esc(a.source)}</td>
      </tr>`;
    })
    .join("");
  $("#worklist-count").textContent = `${items.length} of ${state.list.items.length} actions`;
  $("#worklist-errors").innerHTML = state.list.errors
    .map((e) => `<div class="error">Patient ${esc(e.patient_id)} could not be evaluated: ${esc(e.error.message)}</div>`)
    .join("");
}

function renderHeader() {
  const p = state.protocol;
  $("#as-of").textContent = `${state.source}: ${state.patients.length} patients, today ${state.list.today} (${state.timeZone}), protocol ${p.id} ${p.version}`;
}

function renderAll() {
  renderHeader();
  fillFilters();
  renderWorklist();
  renderCohortSummary();
  $("#patient").hidden = true;
}

// ---- the cohort's summary (what was loaded) ------------------------------------------------------------------

function renderCohortSummary() {
  const rows = state.patients.map((p) => {
    const s = pumppath.cgmSummary(p.readings);
    return `<tr data-patient="${esc(p.id)}"><th scope="row">${esc(p.name)}</th><td>${s.readings}</td><td>${esc(s.first ?? "–")}</td><td>${esc(s.last ?? "–")}</td>
      <td class="mean">${fmt(s.mean, 1)}</td><td class="tir">${fmt(s.percent_in_range, 1)}</td><td class="below70">${fmt(s.percent_below_70, 1)}</td>
      <td class="above250">${fmt(s.percent_above_250, 1)}</td><td class="cv">${fmt(s.cv, 1)}</td><td class="gmi">${fmt(s.gmi, 1)}</td><td>${s.sufficient ? "yes" : esc(s.insufficient_reasons.map(words).join(", "))}</td></tr>`;
  });
  const unit = state.patients[0]?.readings.unit ?? "mg/dL";
  $("#cohort-summary").innerHTML = `<details ${state.source === "the demo clinic" ? "" : "open"}><summary>CGM summary of ${esc(state.source)} (${esc(unit)})</summary>
    <div class="table-wrap"><table id="summary-table"><thead><tr><th scope="col">Patient</th><th scope="col">Readings</th><th scope="col">First</th><th scope="col">Last</th>
    <th scope="col">Mean</th><th scope="col">In range %</th><th scope="col">&lt; 70 %</th><th scope="col">&gt; 250 %</th><th scope="col">CV %</th><th scope="col">GMI %</th><th scope="col">Enough data</th></tr></thead>
    <tbody>${rows.join("")}</tbody></table></div></details>`;
}

// ---- one patient ---------------------------------------------------------------------------------------------

function openPatient(id) {
  const patient = state.patients.find((p) => p.id === id);
  if (!patient) return;
  state.selected = id;
  const assessment = pumppath.evaluate(patient.record, patient.readings, state.nowIso, state.timeZone, { explain: true });
  const view = pumppath.patientView(patient.record, patient.readings, state.nowIso, state.timeZone);
  const pathway = patient.record.pathwayView();
  $("#patient").hidden = false;
  $("#patient-title").textContent = `${patient.name} (${patient.id})`;
  $("#patient-story").textContent = patient.story ?? "";
  renderPathway(pathway, assessment);
  renderVisits(assessment.schedule);
  renderActions(assessment);
  renderCgm(patient, assessment);
  renderTrace(assessment.trace);
  $("#patient-view .body").innerHTML = markdown(view.toMarkdown());
  $("#patient-title").focus();
}

function renderPathway(view, assessment) {
  const phases = view.phases.map((phase) => {
    const items = view.items.filter((item) => item.phase === phase.phase);
    return `<div class="phase" data-phase="${esc(phase.phase)}"><strong>${esc(phase.title)}</strong>
      ${phase.phase === view.current_phase ? ` <span class="badge severity-routine">current</span>` : ""}
      <progress max="${phase.required}" value="${phase.required_done}" aria-label="${esc(phase.title)}: ${phase.required_done} of ${phase.required} required items done"></progress>
      <details${phase.phase === view.current_phase ? " open" : ""}><summary>${phase.done} of ${phase.total} items done</summary><ul>
      ${items.map((item) => `<li data-item="${esc(item.item)}">${esc(item.title)}: <span class="state-${esc(item.state)}">${esc(words(item.state))}</span>${item.required ? "" : " (optional)"}</li>`).join("")}
      </ul></details></div>`;
  });
  const blocked = view.blocked.length
    ? `<p>Blocked: ${view.blocked.map((b) => `${esc(words(b.item))} (waits for ${esc((b.why.unmet ?? []).map(words).join(", ") || words(b.why.blocked_by))})`).join("; ")}</p>`
    : "";
  $("#pathway .body").innerHTML = `<p>Current phase: <strong id="current-phase">${esc(view.phases.find((p) => p.phase === view.current_phase)?.title ?? view.current_phase)}</strong>${assessment.pathway.pathway_complete ? " (pathway complete)" : ""}</p>${phases.join("")}${blocked}`;
}

function windowText(w) {
  if (!w) return "–";
  const when = w.state === "overdue" ? `overdue by ${w.days_overdue} days` : w.days_until_due != null ? `due in ${w.days_until_due} days` : words(w.state);
  return `due ${esc(w.due)} (window ${esc(w.opens)} to ${esc(w.closes)}): <strong>${esc(when)}</strong>`;
}

function renderVisits(schedule) {
  const rows = [];
  if (schedule.follow_up) {
    const f = schedule.follow_up;
    rows.push(["Follow-up visit", `${windowText(f.next)}${f.booked_for ? `, booked for ${esc(f.booked_for)}` : ""}${f.later?.length ? `; then ${f.later.map(esc).join(", ")}` : ""}`]);
  }
  if (schedule.specialist_visit) {
    const v = schedule.specialist_visit;
    rows.push(["Diabetes care and education specialist", v.held_on ? `held ${esc(v.held_on)}` : windowText(v.window)]);
  }
  if (schedule.first_weeks) rows.push(["First weeks on the pump", windowText(schedule.first_weeks.window)]);
  if (schedule.supplies) rows.push(["Supplies", `${windowText(schedule.supplies.window)}; run out ${esc(schedule.supplies.runs_out_on)}`]);
  if (schedule.insurance_check_in) rows.push(["Insurance check-in", windowText(schedule.insurance_check_in.window ?? schedule.insurance_check_in)]);
  $("#visits .body").innerHTML = rows.length
    ? `<ul>${rows.map(([what, text]) => `<li><strong>${esc(what)}</strong>: ${text}</li>`).join("")}</ul>${schedule.pump_started_on ? `<p>Pump started ${esc(schedule.pump_started_on)}.</p>` : ""}`
    : "<p>No visits scheduled yet: the pump has not started.</p>";
}

/** Evidence as a small definition list: numbers as core gives them, lists summarised. */
function evidence(value) {
  if (value == null || typeof value !== "object") return esc(value);
  const entries = Object.entries(value).map(([key, v]) => {
    let shown;
    if (Array.isArray(v)) {
      shown = v.length && typeof v[0] === "object"
        ? `<ul>${v.map((x) => `<li>${Object.entries(x).map(([k, y]) => `${esc(words(k))} ${esc(typeof y === "number" ? fmt(y, Number.isInteger(y) ? 0 : 2) : JSON.stringify(y))}`).join(", ")}</li>`).join("")}</ul>`
        : esc(v.map(words).join(", ") || "none");
    } else if (v && typeof v === "object") {
      shown = evidence(v);
    } else {
      shown = esc(typeof v === "number" ? fmt(v, Number.isInteger(v) ? 0 : 2) : v);
    }
    return `<li><strong>${esc(words(key))}</strong>: ${shown}</li>`;
  });
  return `<ul>${entries.join("")}</ul>`;
}

function renderActions(assessment) {
  const actions = assessment.actions.map((a) => `<details class="action" data-rule="${esc(a.rule)}"><summary><span class="badge severity-${esc(a.severity)}">${esc(a.severity)}</span>
    ${esc(a.message)} <span class="mono">(${esc(a.rule)}, due ${esc(a.due)}, ${esc(words(a.role))}, handout ${esc(a.source)})</span></summary>${evidence(a.evidence)}</details>`);
  const quiet = assessment.acknowledged.map((a) => `<li>${esc(a.action.message)} (acknowledged until ${esc(a.quiet_until)})</li>`);
  $("#actions .body").innerHTML = (actions.join("") || "<p>Nothing to do today.</p>") + (quiet.length ? `<p>Quieted by an acknowledgement:</p><ul>${quiet.join("")}</ul>` : "");
}

function renderTrace(trace) {
  const rows = trace.map((entry) => {
    const checks = (entry.checks ?? [])
      .map((c) => `${esc(words(c.measure))} ${fmt(c.value, 2)} ${esc(c.unit ?? "")} vs ${fmt(c.threshold, 2)}${c.applied === false ? " (not applied)" : c.crossed ? " (crossed)" : ""}`)
      .join("; ");
    return `<tr data-rule="${esc(entry.rule)}"><th scope="row" class="mono">${esc(entry.rule)}</th><td class="outcome outcome-${esc(entry.outcome)}">${esc(words(entry.outcome))}</td>
      <td>${esc(entry.sentence)}${checks ? `<br><span class="mono">${checks}</span>` : ""}</td></tr>`;
  });
  $("#trace .body").innerHTML = `<div class="table-wrap"><table id="trace-table"><thead><tr><th scope="col">Rule</th><th scope="col">Outcome</th><th scope="col">Why</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

// ---- CGM figures and charts ----------------------------------------------------------------------------------

function renderCgm(patient, assessment) {
  const s = assessment.cgm;
  if (!s) {
    $("#cgm .body").innerHTML = "<p>No CGM readings.</p>";
    $("#readings-chart").innerHTML = $("#agp-chart").innerHTML = "";
    return;
  }
  const unit = s.unit;
  const decimals = unit === "mmol/L" ? 1 : 0;
  const figures = [
    ["Readings", s.readings, 0, "readings"],
    [`Mean (${unit})`, s.mean, decimals, "mean"],
    ["In range %", s.percent_in_range, 1, "percent_in_range"],
    ["< 70 %", s.percent_below_70, 1, "percent_below_70"],
    ["< 54 %", s.percent_below_54, 1, "percent_below_54"],
    ["> 180 %", s.percent_above_180, 1, "percent_above_180"],
    ["> 250 %", s.percent_above_250, 1, "percent_above_250"],
    ["CV %", s.cv, 1, "cv"],
    ["GMI %", s.gmi, 1, "gmi"],
    ["Active %", s.active_percent, 1, "active_percent"],
  ];
  const verdict = assessment.frequently ? assessment.frequently.verdicts.map(words).join(", ") : "–";
  $("#cgm .body").innerHTML = `<dl class="figures">${figures.map(([label, v, d, key]) => `<div><dt>${esc(label)}</dt><dd data-metric="${key}">${fmt(v, d)}</dd></div>`).join("")}</dl>
    <p>${esc(s.first)} to ${esc(s.last)}${s.sufficient ? "" : ` — not enough data: ${esc(s.insufficient_reasons.map(words).join(", "))}`}. "Frequently out of range": <strong id="frequently-verdict">${esc(verdict)}</strong>.</p>`;
  $("#readings-chart").innerHTML = readingsChart(patient.readings, unit);
  $("#agp-chart").innerHTML = agpChart(pumppath.agp(patient.readings), unit);
}

const W = 900;
const H = 300;
const PAD = { left: 48, right: 12, top: 12, bottom: 30 };

/** y pixel of a glucose value on a chart whose axis ends at `top`. */
const yOf = (value, top) => PAD.top + (1 - Math.min(value, top) / top) * (H - PAD.top - PAD.bottom);

function bandsAndAxis(unit, top) {
  const limits = [0, ...BAND_LIMITS[unit], top];
  const bands = limits.slice(0, -1).map((low, k) => {
    const y1 = yOf(Math.min(limits[k + 1], top), top);
    const y0 = yOf(low, top);
    return `<rect x="${PAD.left}" y="${y1}" width="${W - PAD.left - PAD.right}" height="${y0 - y1}" fill="${BAND_HEX[k]}" fill-opacity="0.14"/>`;
  });
  const ticks = BAND_LIMITS[unit].map((v) => `<line x1="${PAD.left - 4}" x2="${W - PAD.right}" y1="${yOf(v, top)}" y2="${yOf(v, top)}" stroke="#8c959f" stroke-dasharray="3 3"/><text x="${PAD.left - 6}" y="${yOf(v, top) + 4}" text-anchor="end" font-size="11">${v}</text>`);
  return bands.join("") + ticks.join("") + `<text x="4" y="${PAD.top + 10}" font-size="11">${esc(unit)}</text>`;
}

function legend(unit) {
  return `<div class="legend">${pumppath.BANDS.map((band, k) => `<span><span class="swatch" style="background:${BAND_COLOURS[k]}"></span>${esc(words(band))} ${esc(BAND_LABELS[unit][k])}</span>`).join("")}</div>`;
}

function readingsChart(readings, unit) {
  const times = readings.wall_clock_times?.length ? readings.wall_clock_times : readings.times;
  const values = readings.values.map((v) => v ?? NaN);
  const kept = times.map((t, k) => [t, values[k]]).filter(([, v]) => Number.isFinite(v));
  if (kept.length === 0) return "<p>No readings.</p>";
  const codes = pumppath.classify(kept.map(([, v]) => v), unit);
  const top = unit === "mmol/L" ? 22.2 : 400;
  const t0 = kept[0][0];
  const t1 = Math.max(kept[kept.length - 1][0], t0 + 1);
  const x = (t) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const dots = kept.map(([t, v], k) => `<circle cx="${x(t).toFixed(1)}" cy="${yOf(v, top).toFixed(1)}" r="1.6" fill="${BAND_HEX[codes[k]] ?? "#000"}"/>`);
  const days = [];
  for (let d = Math.ceil(t0 / 86_400_000) * 86_400_000; d <= t1; d += 86_400_000) {
    days.push(`<line x1="${x(d)}" x2="${x(d)}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#d0d7de"/><text x="${x(d) + 2}" y="${H - 10}" font-size="10">${new Date(d).toISOString().slice(5, 10)}</text>`);
  }
  const inRange = codes.filter((c) => c === 2).length;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Readings over time: ${kept.length} readings, ${fmt((100 * inRange) / kept.length, 1)}% in range">
    ${bandsAndAxis(unit, top)}${days.join("")}${dots.join("")}</svg>${legend(unit)}`;
}

function agpChart(profile, unit) {
  const top = unit === "mmol/L" ? 22.2 : 400;
  const bins = profile.bins;
  const minutes = (start) => Number(start.slice(0, 2)) * 60 + Number(start.slice(3, 5)) + profile.bin_minutes / 2;
  const x = (m) => PAD.left + (m / 1440) * (W - PAD.left - PAD.right);
  // One ribbon per run of bins with readings (an empty bin leaves a gap).
  const runs = [];
  let run = [];
  for (const bin of bins) {
    if (bin.p50 == null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(bin);
  }
  if (run.length) runs.push(run);
  const ribbon = (lo, hi, fill, opacity) =>
    runs.map((r) => `<path d="M${r.map((b) => `${x(minutes(b.start)).toFixed(1)},${yOf(b[hi], top).toFixed(1)}`).join("L")}L${[...r].reverse().map((b) => `${x(minutes(b.start)).toFixed(1)},${yOf(b[lo], top).toFixed(1)}`).join("L")}Z" fill="${fill}" fill-opacity="${opacity}"/>`).join("");
  const median = runs.map((r) => `<path d="M${r.map((b) => `${x(minutes(b.start)).toFixed(1)},${yOf(b.p50, top).toFixed(1)}`).join("L")}" fill="none" stroke="#1b1f24" stroke-width="2"/>`).join("");
  const hours = [0, 3, 6, 9, 12, 15, 18, 21, 24].map((h) => `<text x="${x(h * 60)}" y="${H - 10}" font-size="10" text-anchor="middle">${String(h).padStart(2, "0")}:00</text>`);
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Daily glucose profile by time of day">${bandsAndAxis(unit, top)}
    ${ribbon("p5", "p95", "#0072b2", 0.18)}${ribbon("p25", "p75", "#0072b2", 0.38)}${median}${hours.join("")}</svg>
    <div class="legend"><span><span class="swatch" style="background:#0072b2;opacity:.25"></span>5–95 %</span><span><span class="swatch" style="background:#0072b2;opacity:.55"></span>25–75 %</span><span><span class="swatch" style="background:#1b1f24"></span>median</span></div>`;
}

// ---- the patient's own words ---------------------------------------------------------------------------------

/** Core's Markdown of the patient's view as HTML: its headings, lists, check boxes and bold text. */
function markdown(text) {
  const html = [];
  let list = false;
  for (const line of text.split("\n")) {
    const inline = (s) => esc(s).replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>");
    const item = line.match(/^- (\[( |x)\] )?(.*)$/);
    if (!item && list) {
      html.push("</ul>");
      list = false;
    }
    if (line.startsWith("# ")) html.push(`<h4>${inline(line.slice(2))}</h4>`);
    else if (line.startsWith("## ")) html.push(`<h4>${inline(line.slice(3))}</h4>`);
    else if (item) {
      if (!list) html.push("<ul>");
      list = true;
      html.push(`<li>${item[1] ? (item[2] === "x" ? "☑ " : "☐ ") : ""}${inline(item[3])}</li>`);
    } else if (line.trim()) html.push(`<p>${inline(line)}</p>`);
  }
  if (list) html.push("</ul>");
  return `<div class="patient-text">${html.join("")}</div>`;
}

// ---- loading files -------------------------------------------------------------------------------------------

/** An error as the page shows it: core's message and every problem with its path and value. */
function errorHtml(what, error) {
  const problems = (error.problems ?? [])
    .map((p) => `<li><span class="mono">${esc(p.path)}</span>: ${esc(p.message)}${p.value !== undefined ? ` (value: <span class="mono">${esc(typeof p.value === "string" ? p.value : JSON.stringify(p.value))}</span>)` : ""}</li>`)
    .join("");
  return `<div class="error" role="alert"><strong>${esc(what)}</strong>: ${esc(error.message)}${problems ? `<ul class="problems">${problems}</ul>` : ""}</div>`;
}

async function loadCsv(file) {
  const text = await file.text();
  try {
    const next = csvPanel(file.name, text, $("#csv-unit").value, state.protocol);
    state = next;
    renderAll();
    $("#load-status").innerHTML = `<div class="ok">Loaded ${esc(file.name)}: ${state.patients.length} patient(s), ${state.list.items.length} actions.</div>`;
  } catch (error) {
    // The page keeps what it showed: nothing half-loads.
    $("#load-status").innerHTML = errorHtml(`${file.name} could not be read`, error);
  }
}

async function loadProtocol(file) {
  const text = await file.text();
  try {
    const protocol = pumppath.Protocol.fromJson(text);
    const phases = protocol.toJSON().phases;
    state.protocol = protocol;
    renderHeader();
    $("#protocol-status").innerHTML = `<div class="ok">Protocol <strong>${esc(protocol.id)}</strong> ${esc(protocol.version)} is valid. Fingerprint <span class="mono" id="protocol-fingerprint">${esc(protocol.fingerprint)}</span>.
      <ol id="protocol-phases">${phases.map((p) => `<li>${esc(p.title)}: ${p.items.length} items</li>`).join("")}</ol>CSV files loaded next use it.</div>`;
  } catch (error) {
    $("#protocol-status").innerHTML = errorHtml(`${file.name} is not a valid protocol`, error);
  }
}

// ---- wiring --------------------------------------------------------------------------------------------------

function start() {
  state = demoPanel();
  renderAll();
  $("#role-filter").addEventListener("change", renderWorklist);
  $("#severity-filter").addEventListener("change", renderWorklist);
  $("#worklist-table tbody").addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-patient]");
    if (row) openPatient(row.dataset.patient);
  });
  $("#cohort-summary").addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-patient]");
    if (row) openPatient(row.dataset.patient);
  });
  $("#csv-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) loadCsv(file).finally(() => (event.target.value = ""));
  });
  $("#protocol-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) loadProtocol(file).finally(() => (event.target.value = ""));
  });
  $("#demo-button").addEventListener("click", () => {
    state = demoPanel(state.protocol);
    renderAll();
    $("#load-status").innerHTML = "";
  });
  document.body.dataset.ready = "true";
}

start();
