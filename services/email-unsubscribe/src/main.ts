import { runStandalone } from "@optout/runtime";
import { startEmailUnsubscribe, WORKER_NAME } from "./worker.js";

await runStandalone({
  name: WORKER_NAME,
  fields: ["maxDeliveries", "ackWaitMs", "maxInFlight", "emailTokenSecret"],
  start: (infra, config) =>
    startEmailUnsubscribe(infra, {
      maxDeliveries: config.maxDeliveries,
      ackWaitMs: config.ackWaitMs,
      maxInFlight: config.maxInFlight,
      emailTokenSecret: config.emailTokenSecret,
    }),
});
