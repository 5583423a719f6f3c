export { startSuppressionCheck, WORKER_NAME } from "./worker.js";
export type { SuppressionCheckOptions } from "./worker.js";
export { suppressionCheckMetrics } from "./metrics.js";
export { checkRecipients } from "./check.js";
export type { CheckPorts, FilterReader } from "./check.js";
