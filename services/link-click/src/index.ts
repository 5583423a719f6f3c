export { startLinkClick, WORKER_NAME } from "./worker.js";
export type { LinkClickOptions } from "./worker.js";
export { createLinkClickHandler, DEFAULT_LINK_REASON } from "./handler.js";
export type { LinkClickPorts } from "./handler.js";
