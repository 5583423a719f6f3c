import { runStandalone } from "@optout/runtime";
import { startSmsInbound, WORKER_NAME } from "./worker.js";

await runStandalone({
  name: WORKER_NAME,
  fields: ["maxDeliveries", "ackWaitMs", "maxInFlight"],
  start: (infra, config) =>
    startSmsInbound(infra, {
      maxDeliveries: config.maxDeliveries,
      ackWaitMs: config.ackWaitMs,
      maxInFlight: config.maxInFlight,
    }),
});
