// pumppath for browsers and node: loads the WebAssembly module once (fetched beside this file in a browser, read
// from disk in node) and exports its functions and classes, with the constants wasm-bindgen cannot export.
import init, * as wasm from "./pumppath_wasm.js";

const url = new URL("./pumppath_wasm_bg.wasm", import.meta.url);
if (url.protocol === "file:") {
  const { readFile } = await import("node:fs/promises");
  await init({ module_or_path: await readFile(url) });
} else {
  await init({ module_or_path: url });
}

const constants = wasm.__constants();
const frozen = (value) => {
  if (value && typeof value === "object") Object.values(value).forEach(frozen);
  return Object.freeze(value);
};

/** The band names in code order: code k of `classify` is `BANDS[k]` (-1 is a missing value). */
export const BANDS = frozen(constants.BANDS);
/** The rule table, one object per rule in core's order. */
export const RULES = frozen(constants.RULES);
/** The `name` of every error pumppath throws: core's error kinds. */
export const ERROR_NAMES = frozen(constants.ERROR_NAMES);
/** The demo clinic's "now" (RFC 3339) and time zone. */
export const DEMO_NOW = constants.DEMO_NOW;
export const DEMO_TIME_ZONE = constants.DEMO_TIME_ZONE;
/** The version of the package and of the core it was built from. */
export const VERSION = constants.VERSION;

/** Whether `error` is one pumppath threw for bad input (its `name` is one of `ERROR_NAMES`). */
export function isPumppathError(error) {
  return error instanceof Error && ERROR_NAMES.includes(error.name);
}

/**
 * A FHIR R4 transaction Bundle (FHIR JSON as a plain object): `toFhir(record, readings, nowIso, timeZone,
 * options)` gives the assessment `evaluate` gives for the same arguments as a CarePlan, a RequestGroup and the CGM
 * guide's summary Observations; `toFhir(summary, patientId)` a CGM summary (as `cgmSummary` returns it) as the
 * guide's summary Observations.
 */
export function toFhir(first, ...rest) {
  return first instanceof wasm.PatientRecord ? wasm.__assessmentToFhir(first, ...rest) : wasm.__summaryToFhir(first, ...rest);
}

export {
  agp,
  cgmReportJson,
  cgmSummary,
  classify,
  demoCohort,
  evaluate,
  evaluateJson,
  frequently,
  glucoseEpisodes,
  PatientRecord,
  PatientView,
  patientView,
  patientViewJson,
  Protocol,
  readDexcomClarity,
  readFhirBundle,
  readLongCsv,
  schemas,
  worklist,
  worklistJson,
} from "./pumppath_wasm.js";
