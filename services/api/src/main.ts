import { runStandalone } from "@optout/runtime";
import { API_WORKER } from "./definition.js";
import { startApi } from "./worker.js";

await runStandalone(API_WORKER, startApi);
