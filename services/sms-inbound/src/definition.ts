import { CONSUMER_FIELDS, consumerOptions, defineConsumer } from "@optout/runtime/definition";
import type { SmsInboundOptions } from "./worker.js";

/** sms-inbound, said once: main.ts, `npm start` and the manifests read it. */
export const SMS_INBOUND_WORKER = defineConsumer({
  name: "sms-inbound",
  stream: "inboundSms",
  subject: "inboundSms",
  fields: CONSUMER_FIELDS,
  options: (config): SmsInboundOptions => consumerOptions(config),
  lagThreshold: 1000,
  // Handlers wait on Postgres and NATS; a 1-core limit is one event loop's worth.
  deployment: { minReplicas: 1, maxReplicas: 10, cpu: "500m", cpuLimit: "1", memory: "256Mi" },
});
