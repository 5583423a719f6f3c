import { runStandalone } from "@optout/runtime";
import { startEdge, WORKER_NAME } from "./worker.js";

await runStandalone({
  name: WORKER_NAME,
  fields: ["edgePort", "emailTokenSecret", "edgeRateLimitPerMinute", "edgeTrustedProxies"],
  start: (infra, config) =>
    startEdge(infra, {
      port: config.edgePort,
      host: config.host,
      emailTokenSecret: config.emailTokenSecret,
      rateLimitPerMinute: config.edgeRateLimitPerMinute,
      trustedProxies: config.edgeTrustedProxies,
    }),
});
