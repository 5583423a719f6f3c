import { defineHttpWorker } from "@optout/runtime/definition";
import type { ApiOptions } from "./worker.js";

/** api, said once: main.ts, `npm start` and the manifests read it. */
export const API_WORKER = defineHttpWorker({
  name: "api",
  port: "apiPort",
  fields: [
    "adminToken",
    "apiPort",
    "host",
    "emailTokenSecret",
    "erasureHashSecret",
    "linkBaseUrl",
    "webhookAllowPrivateNetworks",
    "importThreads",
  ],
  options: (config): ApiOptions => ({
    adminToken: config.adminToken,
    port: config.apiPort,
    host: config.host,
    emailTokenSecret: config.emailTokenSecret,
    erasureHashSecret: config.erasureHashSecret,
    linkBaseUrl: config.linkBaseUrl,
    webhookAllowPrivateNetworks: config.webhookAllowPrivateNetworks,
    importThreads: config.importThreads,
  }),
  cpuTarget: 70,
  // 512Mi: a bulk import adds 130-180 MiB (its normalizer threads' heaps and the batches in flight).
  // The 2-core limit is what IMPORT_THREADS is set from (resourceFieldRef limits.cpu).
  deployment: { minReplicas: 2, maxReplicas: 6, cpu: "500m", cpuLimit: "2", memory: "512Mi" },
});
