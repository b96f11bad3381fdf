// The types of pumppath's WASM package: the classes (pumppath_wasm.d.ts, written by wasm-bindgen), the
// functions and constants below (hand-written beside index.js, checked by test/usage.ts with tsc --strict) and
// every wire format (types.d.ts, generated from the core's JSON Schemas).
import type {
  Agp,
  Assessment,
  ColumnarReadings,
  Episode,
  ErrorDocument,
  EvaluationRequest,
  Frequently,
  FrequentlySettings,
  Problem,
  RuleSpec,
  Summary,
  Unit,
  Worklist,
  WorklistRequest,
} from "./types.js";
import type { PatientRecord, PatientView } from "./pumppath_wasm.js";

export type * from "./types.js";
export { PatientRecord, PatientView, Protocol } from "./pumppath_wasm.js";

/** A consensus glucose band, in code order. */
export type Band = "very_low" | "low" | "in_range" | "high" | "very_high";
/** A targets preset's name, or core's targets object (`{"preset": ...}` or custom thresholds). */
export type TargetsArg = "standard" | "older_high_risk" | "pregnancy_type1" | { [key: string]: unknown };
/**
 * Readings: the device's wall-clock times in milliseconds "as if UTC" (`Date.parse("2015-06-06T16:50:27Z")` for
 * a reading taken at 16:50:27 on the device), or, with a `timeZone`, instants (`Date.getTime()`).
 */
export type TimesMs = Float64Array | number[];
/** Glucose values in the readings' unit, NaN for a missing one. */
export type Glucose = Float64Array | number[];

/** One patient's readings as the readers return them: the id, and core's columnar readings. */
export interface PatientReadings {
  id: string;
  readings: ColumnarReadings;
}
/** `evaluate`'s options: the patient's targets over the record's, and whether to add the trace. */
export interface EvaluateOptions {
  targets?: TargetsArg;
  explain?: boolean;
}
/** `patientView`'s options: the patient's targets and unit (default: the readings' unit, else mg/dL). */
export interface PatientViewOptions {
  targets?: TargetsArg;
  unit?: Unit;
}
/** One patient of a work-list: an object (as `demoCohort()` gives them) or a `[record, readings, targets]` tuple. */
export type WorklistPatient =
  | { record: PatientRecord; readings?: ColumnarReadings | null; targets?: TargetsArg | null }
  | [PatientRecord, (ColumnarReadings | null)?, (TargetsArg | null)?];
/** A patient of the embedded demo clinic. */
export interface DemoPatient {
  id: string;
  name: string;
  story: string;
  record: PatientRecord;
  readings: ColumnarReadings;
  /** The device's wall-clock times, milliseconds "as if UTC". */
  timesMs: Float64Array;
  /** mg/dL. */
  glucose: Float64Array;
}

/**
 * The band code of each glucose value: 0 very_low, 1 low, 2 in_range, 3 high, 4 very_high, -1 for NaN (see
 * `BANDS`). Throws a `GlucoseError` for an invalid value, naming its index.
 */
export declare function classify(glucose: Glucose, unit?: Unit, targets?: TargetsArg): Int8Array;
/** The consensus summary of CGM readings: two arrays, or core's readings object alone (`glucose` left out). */
export declare function cgmSummary(
  timesMs: TimesMs | ColumnarReadings,
  glucose?: Glucose | null,
  unit?: Unit,
  targets?: TargetsArg,
  timeZone?: string,
): Summary;
/** The hypo- and hyperglycaemic episodes of CGM readings (R iglu's `episode_calculation`). */
export declare function glucoseEpisodes(
  timesMs: TimesMs | ColumnarReadings,
  glucose?: Glucose | null,
  unit?: Unit,
  timeZone?: string,
): Episode[];
/** The ambulatory glucose profile: percentiles by local time of day in bins of `binMinutes` (default 15). */
export declare function agp(
  timesMs: TimesMs | ColumnarReadings,
  glucose?: Glucose | null,
  unit?: Unit,
  binMinutes?: number,
  timeZone?: string,
): Agp;
/**
 * The "frequently < 70 or > 250 mg/dL" verdict at `nowIso` (RFC 3339 with an offset) in the clinic's
 * `timeZone`, judged as `evaluate` judges it; `settings` changes fields of the protocol's `settings.frequently`.
 */
export declare function frequently(
  timesMs: TimesMs | ColumnarReadings,
  glucose: Glucose | null,
  nowIso: string,
  timeZone: string,
  unit?: Unit,
  settings?: Partial<FrequentlySettings>,
  targets?: TargetsArg,
): Frequently;
/** One `{id, readings}` per patient of a long-form `id,time,gl` CSV; throws a `ReadError` naming the line. */
export declare function readLongCsv(csv: string | Uint8Array, unit?: Unit, timeZone?: string): PatientReadings[];
/** The one `{id, readings}` of a Dexcom Clarity CSV export; throws a `ReadError` naming the line. */
export declare function readDexcomClarity(csv: string | Uint8Array, timeZone?: string, id?: string): PatientReadings[];

/** A FHIR R4 coding. */
export interface FhirCoding {
  system: string;
  code: string;
  display?: string;
}
/** A FHIR R4 CodeableConcept. */
export interface FhirCodeableConcept {
  coding?: FhirCoding[];
  text?: string;
}
/** A FHIR R4 Reference: `Patient/{id}`, a bundle entry's `urn:uuid:`, a contained `#role-...`, or an identifier. */
export interface FhirReference {
  reference?: string;
  identifier?: { system?: string; value: string };
  display?: string;
}
/** A FHIR R4 resource pumppath writes (Observation, CarePlan, RequestGroup, and contained roles). */
export interface FhirResource {
  resourceType: "Observation" | "CarePlan" | "RequestGroup" | "PractitionerRole" | "Organization";
  meta?: { profile?: string[] };
  status?: string;
  code?: FhirCodeableConcept | FhirCodeableConcept[];
  subject?: FhirReference;
  [element: string]: unknown;
}
/** A FHIR R4 transaction Bundle, each entry a `POST` with a name-based `urn:uuid:` full URL. */
export interface FhirBundle {
  resourceType: "Bundle";
  type: "transaction";
  timestamp?: string;
  entry?: { fullUrl: string; resource: FhirResource; request?: { method: "POST"; url: string } }[];
}
/** `readFhirBundle`'s options. */
export interface ReadFhirOptions {
  /** Also read blood-glucose Observations (meter, laboratory); off: only CGM readings. */
  bloodGlucose?: boolean;
  /** Convert every reading to this unit; without it one patient's readings in both units throw. */
  unit?: Unit;
  /** The IANA zone whose wall-clock the readings show (default UTC). */
  timeZone?: string;
}
/**
 * The glucose readings of a FHIR R4 Bundle's Observations (JSON text or a plain object), one `{id, readings}` per
 * patient (by `subject`). Another code, a unit that is neither mg/dL nor mmol/L or a time without an offset throws
 * a `FhirError` naming the entry's field.
 */
export declare function readFhirBundle(bundle: string | object, options?: ReadFhirOptions): PatientReadings[];
/**
 * The assessment `evaluate` gives for the same arguments as a FHIR R4 Bundle: the pathway as a CarePlan, today's
 * actions as a RequestGroup and, with readings enough, the CGM guide's summary Observations.
 */
export declare function toFhir(
  record: PatientRecord,
  readings: ColumnarReadings | null | undefined,
  nowIso: string,
  timeZone: string,
  options?: EvaluateOptions,
): FhirBundle;
/** A CGM summary (as `cgmSummary` returns it) as the CGM guide's summary Observations for `patientId`. */
export declare function toFhir(summary: Summary, patientId: string): FhirBundle;
/** Evaluates one patient at `nowIso` in the clinic's `timeZone`: the pathway, schedule, CGM summary and actions. */
export declare function evaluate(
  record: PatientRecord,
  readings: ColumnarReadings | null | undefined,
  nowIso: string,
  timeZone: string,
  options?: EvaluateOptions,
): Assessment;
/** The patient's view of their assessment, as `evaluate` would give it for the same arguments. */
export declare function patientView(
  record: PatientRecord,
  readings: ColumnarReadings | null | undefined,
  nowIso: string,
  timeZone: string,
  options?: PatientViewOptions,
): PatientView;
/** Core's one-document evaluation request (text or object) to the assessment's JSON, byte for byte Rust's. */
export declare function evaluateJson(document: string | EvaluationRequest): string;
/** The patient's view of core's evaluation request (text or object), as core's JSON, byte for byte Rust's. */
export declare function patientViewJson(document: string | EvaluationRequest): string;
/** `{"summary": ..., "episodes": ...}` of core's columnar readings (object or text), as core's JSON. */
export declare function cgmReportJson(document: string | ColumnarReadings): string;
/** Core's one-document work-list request (text or object) to the work-list's JSON, byte for byte Rust's. */
export declare function worklistJson(document: string | WorklistRequest): string;
/** The clinic's work-list: every patient evaluated at `nowIso` and their actions triaged together, safety first. */
export declare function worklist(patients: WorklistPatient[], nowIso: string, timeZone: string): Worklist;
/** The demo clinic's patients; evaluate them at `DEMO_NOW` in `DEMO_TIME_ZONE`. */
export declare function demoCohort(): DemoPatient[];
/** The JSON Schemas of every wire format, by name. */
export declare function schemas(): Record<string, object>;

/** The band names in code order: code k of `classify` is `BANDS[k]` (-1 is a missing value). */
export declare const BANDS: readonly ["very_low", "low", "in_range", "high", "very_high"];
/** The rule table, one object per rule in core's order. */
export declare const RULES: readonly RuleSpec[];
/** The `name` of an error pumppath throws: core's error kind. */
export type ErrorName = ErrorDocument["kind"];
/** The `name` of every error pumppath throws. */
export declare const ERROR_NAMES: readonly ErrorName[];
/** The demo clinic's "now" (RFC 3339). */
export declare const DEMO_NOW: string;
/** The demo clinic's IANA time zone. */
export declare const DEMO_TIME_ZONE: string;
/** The version of the package and of the core it was built from. */
export declare const VERSION: string;

/** An error pumppath throws for bad input: core's message, kind, code and every problem with its path. */
export interface PumppathError extends Error {
  name: ErrorName;
  kind: ErrorName;
  code: ErrorDocument["code"];
  problems: Problem[];
}
/** Whether `error` is one pumppath threw for bad input. */
export declare function isPumppathError(error: unknown): error is PumppathError;
