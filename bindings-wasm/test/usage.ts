// Uses every export of the package with its types; `tsc --strict` must accept it (types.test.mjs compiles it),
// and each `@ts-expect-error` must find an error, so the types are neither missing nor `any`.
import {
  agp,
  BANDS,
  cgmReportJson,
  cgmSummary,
  classify,
  DEMO_NOW,
  DEMO_TIME_ZONE,
  demoCohort,
  ERROR_NAMES,
  evaluate,
  evaluateJson,
  frequently,
  glucoseEpisodes,
  isPumppathError,
  PatientRecord,
  PatientView,
  patientView,
  patientViewJson,
  Protocol,
  readDexcomClarity,
  readFhirBundle,
  readLongCsv,
  RULES,
  schemas,
  toFhir,
  VERSION,
  worklist,
  worklistJson,
} from "../pkg/index.js";
import type {
  Action,
  Agp,
  Assessment,
  Band,
  ColumnarReadings,
  DemoPatient,
  Episode,
  ErrorName,
  Event,
  FhirBundle,
  Frequently,
  PatientReadings,
  PatientViewData,
  Summary,
  Worklist,
} from "../pkg/index.js";

const codes: Int8Array = classify(new Float64Array([50, 100]), "mg/dL", "standard");
const band: Band = BANDS[codes[0]!]!;
const times = new Float64Array([Date.parse("2026-03-01T08:00:00Z"), Date.parse("2026-03-01T08:05:00Z")]);
const glucose = new Float64Array([100, 110]);
const summary: Summary = cgmSummary(times, glucose, "mmol/L", { preset: "standard" }, "America/Chicago");
const inRange: number | null | undefined = summary.percent_in_range;
const episodes: Episode[] = glucoseEpisodes(times, glucose);
const profile: Agp = agp(times, glucose, "mg/dL", 15);
// @ts-expect-error: "mg/dl" is not a unit
cgmSummary(times, glucose, "mg/dl");

const patients: PatientReadings[] = readLongCsv("id,time,gl\nA,2026-03-01 08:00,100\n", "mg/dL", "UTC");
const readings: ColumnarReadings = patients[0]!.readings;
const clarity: PatientReadings[] = readDexcomClarity(new Uint8Array(), undefined, "ada");
const verdict: Frequently = frequently(readings, null, DEMO_NOW, DEMO_TIME_ZONE, "mg/dL", { window_days: 28 });
const low: boolean = verdict.frequently_low;

const protocol: Protocol = Protocol.fromJson(Protocol.standard().toJson());
const fingerprint: string = protocol.fingerprint;
const record = new PatientRecord(protocol, "p1");
const submitted: Event = {
  id: "e1",
  type: "insurance_submitted",
  actor: "clinic_staff",
  occurred_at: "2026-03-02T15:00:00Z",
  recorded_at: "2026-03-02T15:00:00Z",
};
record.apply(submitted);
const saved: string = PatientRecord.fromJson(protocol, record.toJson()).toJson();
const itemStates: string[] = record.pathwayView().items.map((item) => item.state);

const assessment: Assessment = evaluate(record, readings, DEMO_NOW, DEMO_TIME_ZONE, { explain: true });
for (const action of assessment.actions as Action[]) {
  if (action.rule === "frequent_lows") {
    // The rule narrows the evidence: the frequency tests are there.
    const tests: number = action.evidence.tests.length;
  }
  if (action.rule === "supplies_reorder") {
    const days: number = action.evidence.days_of_supply;
    // @ts-expect-error: supplies' evidence has no frequency tests
    action.evidence.tests;
  }
}
const plan: FhirBundle = toFhir(record, readings, DEMO_NOW, DEMO_TIME_ZONE, { targets: "standard" });
const planType: string = plan.entry![0]!.resource.resourceType;
const observations: FhirBundle = toFhir(summary, "p1");
const fromFhir: PatientReadings[] = readFhirBundle(observations, { bloodGlucose: true, unit: "mmol/L", timeZone: "UTC" });
// @ts-expect-error: a summary's bundle needs the patient's id
toFhir(summary);
const view: PatientView = patientView(record, null, DEMO_NOW, DEMO_TIME_ZONE, { unit: "mmol/L" });
const data: PatientViewData = view.toJSON();
const text: string = view.toMarkdown() + view.toText() + view.toJson();

const cohort: DemoPatient[] = demoCohort();
const list: Worklist = worklist(cohort, DEMO_NOW, DEMO_TIME_ZONE);
const alsoList: Worklist = worklist([[record, readings, "standard"]], DEMO_NOW, DEMO_TIME_ZONE);
const listJson: string = worklistJson({ patients: [], now: DEMO_NOW, time_zone: DEMO_TIME_ZONE });
const assessmentJson: string = evaluateJson(JSON.stringify({ record: record.toJSON(), now: DEMO_NOW, time_zone: "UTC" }));
const all: Record<string, object> = schemas();
const report: string = cgmReportJson(readings);
const told: string = patientViewJson({ record: record.toJSON(), now: DEMO_NOW, time_zone: DEMO_TIME_ZONE });
const firstRule: string = RULES[0]!.rule;
const version: string = VERSION;

try {
  classify([100], "mg/dL", { preset: "lenient" });
} catch (error) {
  if (isPumppathError(error)) {
    const name: ErrorName = error.name;
    const paths: string[] = error.problems.map((p) => p.path);
    const known: boolean = ERROR_NAMES.includes(name);
  }
}
