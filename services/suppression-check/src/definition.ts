import { defineResponder } from "@optout/runtime/definition";
import type { SuppressionCheckOptions } from "./worker.js";

/** suppression-check, said once: main.ts, `npm start` and the manifests read it. */
export const SUPPRESSION_CHECK_WORKER = defineResponder({
  name: "suppression-check",
  fields: ["erasureHashSecret"],
  options: (config): SuppressionCheckOptions => ({ erasureHashSecret: config.erasureHashSecret }),
  cpuTarget: 60,
  // The hot path (one check per outgoing message): two cores when a burst comes.
  deployment: { minReplicas: 2, maxReplicas: 20, cpu: "1000m", cpuLimit: "2", memory: "256Mi" },
});
