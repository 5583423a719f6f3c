import { runStandalone } from "@optout/runtime";
import { startApi, WORKER_NAME } from "./worker.js";

await runStandalone({
  name: WORKER_NAME,
  fields: [
    "adminToken",
    "apiPort",
    "emailTokenSecret",
    "erasureHashSecret",
    "linkBaseUrl",
    "webhookAllowPrivateNetworks",
    "importThreads",
  ],
  start: (infra, config) =>
    startApi(infra, {
      adminToken: config.adminToken,
      port: config.apiPort,
      host: config.host,
      emailTokenSecret: config.emailTokenSecret,
      erasureHashSecret: config.erasureHashSecret,
      linkBaseUrl: config.linkBaseUrl,
      webhookAllowPrivateNetworks: config.webhookAllowPrivateNetworks,
      importThreads: config.importThreads,
    }),
});
