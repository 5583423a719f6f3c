export { startSmsInbound, WORKER_NAME } from "./worker.js";
export type { SmsInboundOptions } from "./worker.js";
export { smsInboundMetrics } from "./metrics.js";
export { createSmsInboundHandler, pickText } from "./handler.js";
export type { SmsInboundPorts } from "./handler.js";
