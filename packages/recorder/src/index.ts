export { createRecorder, toChangeEvent } from "./recorder.js";
export type { Recorder, RecorderDeps, FilterWriter } from "./recorder.js";
