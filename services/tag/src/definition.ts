import { defineResponder } from "@optout/runtime/definition";
import type { TagOptions } from "./worker.js";

/** tag, said once: main.ts, `npm start` and the manifests read it. */
export const TAG_WORKER = defineResponder({
  name: "tag",
  fields: ["linkBaseUrl"],
  options: (config): TagOptions => ({ linkBaseUrl: config.linkBaseUrl }),
  cpuTarget: 60,
  deployment: { minReplicas: 2, maxReplicas: 10, cpu: "500m", cpuLimit: "1", memory: "256Mi" },
});
