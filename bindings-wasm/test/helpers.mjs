// Shared inputs of the WASM package's tests.
import { readFileSync } from "node:fs";

export const NOW = "2026-03-16T15:00:00Z";
export const ZONE = "America/Chicago";
export const REPO = new URL("../../", import.meta.url);

/** One event in the wire format. */
export function event(id, type, { actor = "clinic_staff", at = "2026-03-02T15:00:00Z", ...fields } = {}) {
  return { id, occurred_at: at, recorded_at: at, actor, type, ...fields };
}

/** A file of the repository, as text. */
export function repoText(path) {
  return readFileSync(new URL(path, REPO), "utf8");
}

/** Calls `f`, which must throw; returns what it threw. */
export function thrown(f) {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, none was thrown");
}

/** Milliseconds "as if UTC" of a wall-clock time "YYYY-MM-DDTHH:MM:SS". */
export const wallClock = (text) => Date.parse(`${text}Z`);
