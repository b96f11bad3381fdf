// Writes the TypeScript types of every wire format, generated from the core's JSON Schemas (schema/*.json, which
// the core's tests keep equal to its serde types), so the package's types are core's serde shapes by
// construction. Usage: node scripts/types.mjs OUT.d.ts
//
// Every schema's $defs are merged into one document (the core names each type once; a name defined twice
// differently is an error here), each top-level schema joins them under its type's name, and
// json-schema-to-typescript writes them all. Unions tagged in the JSON stay discriminated: an action's `rule`
// narrows its `evidence`.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { compile } from "json-schema-to-typescript";

const [out] = process.argv.slice(2);
if (!out) throw new Error("usage: node scripts/types.mjs OUT.d.ts");
const dir = new URL("../../schema/", import.meta.url);

// Top-level names that would clash with the package's classes or read badly, renamed.
const RENAMED = {
  PatientView: "PatientViewData",
  Array_of_RuleSpec: "RuleTable",
  Array_of_TraceEntry: "Trace",
};

const defs = {};
const untitled = ({ title, ...schema }) => schema;
function define(name, schema, file) {
  if (name in defs && !isDeepStrictEqual(untitled(defs[name]), untitled(schema))) {
    throw new Error(`${file}: ${name} is defined differently in another schema`);
  }
  defs[name] = schema;
}
for (const file of readdirSync(dir).filter((f) => f.endsWith(".schema.json")).sort()) {
  const { $defs = {}, $schema, title, ...top } = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
  for (const [name, schema] of Object.entries($defs)) define(name, schema, file);
  const name = RENAMED[title] ?? title;
  define(name, { ...top, title: name }, file);
}
// Each definition is emitted under its own name: a title inside it would rename it.
for (const [name, schema] of Object.entries(defs)) {
  if (schema.title && schema.title !== name) defs[name] = { ...schema, title: name };
}

const document = { title: "WireTypes", type: "object", additionalProperties: false, $defs: defs };
let ts = await compile(document, "WireTypes", {
  bannerComment:
    "// The JSON wire formats of pumppath, generated from the core's JSON Schemas by scripts/types.mjs: do not edit.",
  unreachableDefinitions: true,
  additionalProperties: false,
  strictIndexSignatures: true,
  format: true,
});
// The document that only gathers the definitions is not a type of the wire.
ts = ts.replace(/export interface WireTypes \{\}\n*/, "");
writeFileSync(out, ts);
console.log(`wrote ${Object.keys(defs).length} types to ${out}`);
