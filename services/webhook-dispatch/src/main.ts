import { runStandalone } from "@optout/runtime";
import { startWebhookDispatch, WORKER_NAME } from "./worker.js";

await runStandalone({
  name: WORKER_NAME,
  fields: [
    "webhookMaxAttempts",
    "webhookTimeoutMs",
    "webhookAllowPrivateNetworks",
    "ackWaitMs",
    "maxInFlight",
    "webhookJobsRetentionDays",
    "confirmationsRetentionDays",
  ],
  start: (infra, config) =>
    startWebhookDispatch(infra, {
      maxAttempts: config.webhookMaxAttempts,
      timeoutMs: config.webhookTimeoutMs,
      allowPrivateNetworks: config.webhookAllowPrivateNetworks,
      ackWaitMs: config.ackWaitMs,
      maxInFlight: config.maxInFlight,
      retention: {
        webhookJobsDays: config.webhookJobsRetentionDays,
        confirmationsDays: config.confirmationsRetentionDays,
      },
    }),
});
