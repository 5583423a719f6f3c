export { SUPPRESSION_CHECK_WORKER } from "./definition.js";
export { startSuppressionCheck } from "./worker.js";
export type { SuppressionCheckOptions } from "./worker.js";
export { suppressionCheckMetrics } from "./metrics.js";
export { checkRecipients } from "./check.js";
export type { CheckPorts, FilterReader } from "./check.js";
