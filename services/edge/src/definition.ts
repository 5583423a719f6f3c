import { defineHttpWorker } from "@optout/runtime/definition";
import type { EdgeOptions } from "./worker.js";

/** edge, said once: main.ts, `npm start` and the manifests read it. */
export const EDGE_WORKER = defineHttpWorker({
  name: "edge",
  port: "edgePort",
  fields: ["edgePort", "host", "emailTokenSecret", "edgeRateLimitPerMinute", "edgeTrustedProxies"],
  options: (config): EdgeOptions => ({
    port: config.edgePort,
    host: config.host,
    emailTokenSecret: config.emailTokenSecret,
    rateLimitPerMinute: config.edgeRateLimitPerMinute,
    trustedProxies: config.edgeTrustedProxies,
  }),
  cpuTarget: 70,
  deployment: { minReplicas: 2, maxReplicas: 10, cpu: "500m", cpuLimit: "1", memory: "256Mi" },
});
