export { EDGE_WORKER } from "./definition.js";
export { startEdge, DEFAULT_RATE_LIMIT_PER_MINUTE } from "./worker.js";
export type { EdgeOptions } from "./worker.js";
export { buildEdge, EDGE_ROUTES, EDGE_BODY_LIMIT_BYTES } from "./app.js";
export type { EdgeDeps } from "./app.js";
export type { EdgeRateLimit } from "./rate-limit.js";
