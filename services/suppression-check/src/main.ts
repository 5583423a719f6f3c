import { runStandalone } from "@optout/runtime";
import { startSuppressionCheck, WORKER_NAME } from "./worker.js";

await runStandalone({ name: WORKER_NAME, fields: [], start: (infra) => startSuppressionCheck(infra) });
