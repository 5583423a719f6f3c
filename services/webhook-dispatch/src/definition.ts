import { defineConsumer } from "@optout/runtime/definition";
import type { WebhookDispatchOptions } from "./worker.js";

/** webhook-dispatch, said once: main.ts, `npm start` and the manifests read it. */
export const WEBHOOK_DISPATCH_WORKER = defineConsumer({
  name: "webhook-dispatch",
  stream: "outbound",
  subject: "outboundWebhook",
  fields: [
    "webhookMaxAttempts",
    "webhookTimeoutMs",
    "webhookAllowPrivateNetworks",
    "ackWaitMs",
    "webhookConcurrency",
    "webhookJobsRetentionDays",
    "confirmationsRetentionDays",
  ],
  options: (config): WebhookDispatchOptions => ({
    maxAttempts: config.webhookMaxAttempts,
    timeoutMs: config.webhookTimeoutMs,
    allowPrivateNetworks: config.webhookAllowPrivateNetworks,
    ackWaitMs: config.ackWaitMs,
    // Its own setting: a delivery waits on a receiver, a batch of inbound messages on Postgres.
    maxInFlight: config.webhookConcurrency,
    retention: {
      webhookJobsDays: config.webhookJobsRetentionDays,
      confirmationsDays: config.confirmationsRetentionDays,
    },
  }),
  lagThreshold: 200,
  // Deliveries wait on the receivers; a 1-core limit is one event loop's worth.
  deployment: {
    minReplicas: 1,
    maxReplicas: 10,
    cpu: "500m",
    cpuLimit: "1",
    memory: "256Mi",
    internetEgress: true,
  },
});
