/**
 * The piscina worker: one task normalizes one batch of rows (thousands, never one row: a task
 * costs a message round trip and a structured clone). Loaded by `normalizer.ts` as .ts under
 * tsx and as .js from the build.
 */
export { normalizeContactRows, normalizeOptoutRows } from "./rows.js";
