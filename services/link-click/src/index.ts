export { LINK_CLICK_WORKER } from "./definition.js";
export { startLinkClick } from "./worker.js";
export type { LinkClickOptions } from "./worker.js";
export { createLinkClickHandler, DEFAULT_LINK_REASON } from "./handler.js";
export type { LinkClickPorts } from "./handler.js";
