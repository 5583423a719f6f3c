import { runStandalone } from "@optout/runtime";
import { TAG_WORKER } from "./definition.js";
import { startTag } from "./worker.js";

await runStandalone(TAG_WORKER, startTag);
