export { SMS_INBOUND_WORKER } from "./definition.js";
export { startSmsInbound } from "./worker.js";
export type { SmsInboundOptions } from "./worker.js";
export { smsInboundMetrics } from "./metrics.js";
export { createSmsInboundHandler, pickText } from "./handler.js";
export type { SmsInboundPorts } from "./handler.js";
