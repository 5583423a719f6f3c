import { CONSUMER_FIELDS, consumerOptions, defineConsumer } from "@optout/runtime/definition";
import type { LinkClickOptions } from "./worker.js";

/** link-click, said once: main.ts, `npm start` and the manifests read it. */
export const LINK_CLICK_WORKER = defineConsumer({
  name: "link-click",
  stream: "inboundLink",
  subject: "inboundLink",
  fields: CONSUMER_FIELDS,
  options: (config): LinkClickOptions => consumerOptions(config),
  lagThreshold: 500,
  // Handlers wait on Postgres and NATS; a 1-core limit is one event loop's worth.
  deployment: { minReplicas: 1, maxReplicas: 10, cpu: "500m", cpuLimit: "1", memory: "256Mi" },
});
