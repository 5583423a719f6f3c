export { createRecorder, toChangeEvent } from "./recorder.js";
export type { Recorder, RecorderDeps, FilterWriter, RecordOptions } from "./recorder.js";
export { recorderFor, recorderMetrics } from "./recorder-for.js";
export type { RecorderHost } from "./recorder-for.js";
export {
  webhookJob,
  webhookMsgId,
  confirmationMsgId,
  confirmationFor,
  pickText,
  DEFAULT_CONFIRMATION_WINDOW_HOURS,
} from "./outbound.js";
export { eraseKeepingSuppressed } from "./erasure.js";
export { webhookJobMessage } from "./outbound.js";
export { redeliverWebhookJob } from "./redeliver.js";
export type { RedeliverOutcome } from "./redeliver.js";
