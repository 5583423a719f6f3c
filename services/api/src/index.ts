export { startApi, WORKER_NAME } from "./worker.js";
export type { ApiOptions } from "./worker.js";
export { buildApi } from "./app.js";
export type { ApiDeps } from "./app.js";
