export { createRecorder, toChangeEvent } from "./recorder.js";
export type { Recorder, RecorderDeps, FilterWriter, RecordOptions } from "./recorder.js";
export {
  webhookJob,
  webhookMsgId,
  confirmationMsgId,
  confirmationFor,
  pickText,
  DEFAULT_CONFIRMATION_WINDOW_HOURS,
} from "./outbound.js";
export { eraseKeepingSuppressed } from "./erasure.js";
