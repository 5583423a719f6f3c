export { TAG_WORKER } from "./definition.js";
export { startTag } from "./worker.js";
export type { TagOptions } from "./worker.js";
export { tagRecipients } from "./tag.js";
export type { TagPorts } from "./tag.js";
