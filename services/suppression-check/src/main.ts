import { runStandalone } from "@optout/runtime";
import { startSuppressionCheck, WORKER_NAME } from "./worker.js";

await runStandalone({
  name: WORKER_NAME,
  fields: ["erasureHashSecret"],
  start: (infra, config) => startSuppressionCheck(infra, { erasureHashSecret: config.erasureHashSecret }),
});
