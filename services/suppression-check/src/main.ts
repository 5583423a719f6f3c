import { runStandalone } from "@optout/runtime";
import { SUPPRESSION_CHECK_WORKER } from "./definition.js";
import { startSuppressionCheck } from "./worker.js";

await runStandalone(SUPPRESSION_CHECK_WORKER, startSuppressionCheck);
