export { startTag, WORKER_NAME } from "./worker.js";
export type { TagOptions } from "./worker.js";
export { tagRecipients } from "./tag.js";
export type { TagPorts } from "./tag.js";
