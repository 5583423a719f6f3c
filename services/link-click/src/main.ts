import { runStandalone } from "@optout/runtime";
import { LINK_CLICK_WORKER } from "./definition.js";
import { startLinkClick } from "./worker.js";

await runStandalone(LINK_CLICK_WORKER, startLinkClick);
