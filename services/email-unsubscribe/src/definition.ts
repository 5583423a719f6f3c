import { CONSUMER_FIELDS, consumerOptions, defineConsumer } from "@optout/runtime/definition";
import type { EmailUnsubscribeOptions } from "./worker.js";

/** email-unsubscribe, said once: main.ts, `npm start` and the manifests read it. */
export const EMAIL_UNSUBSCRIBE_WORKER = defineConsumer({
  name: "email-unsubscribe",
  stream: "inboundEmail",
  subject: "inboundEmail",
  fields: [...CONSUMER_FIELDS, "emailTokenSecret"],
  options: (config): EmailUnsubscribeOptions => ({
    ...consumerOptions(config),
    emailTokenSecret: config.emailTokenSecret,
  }),
  lagThreshold: 500,
  // Handlers wait on Postgres and NATS; a 1-core limit is one event loop's worth.
  deployment: { minReplicas: 1, maxReplicas: 10, cpu: "500m", cpuLimit: "1", memory: "256Mi" },
});
