// The pool's worker entry when the package runs from its TypeScript source (tsx, tap).
// Measured on Node 20 with tsx 4: a worker thread inherits `--import tsx` but tsx's ESM hooks
// do not apply to it, so importing normalize.worker.ts fails (ERR_UNKNOWN_FILE_EXTENSION, or
// "Cannot find module ./rows.js" once piscina's require() attempt goes through require(esm)).
// Register tsx's ESM hooks in this thread when the .ts cannot be loaded as is, then load it
// again under another URL (the failed load stays cached under the first). Under tap, whose
// loader does reach worker threads, the first import works. The build never uses this file:
// dist/ has normalize.worker.js.
let worker;
try {
  worker = await import("./normalize.worker.ts");
} catch (err) {
  if (err?.code !== "ERR_UNKNOWN_FILE_EXTENSION" && err?.code !== "ERR_MODULE_NOT_FOUND") throw err;
  const { register } = await import("tsx/esm/api");
  register();
  worker = await import("./normalize.worker.ts?tsx");
}
export const normalizeContactRows = worker.normalizeContactRows;
export const normalizeOptoutRows = worker.normalizeOptoutRows;
