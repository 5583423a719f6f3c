import { runStandalone } from "@optout/runtime";
import { EDGE_WORKER } from "./definition.js";
import { startEdge } from "./worker.js";

await runStandalone(EDGE_WORKER, startEdge);
