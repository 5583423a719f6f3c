import { runStandalone } from "@optout/runtime";
import { startTag, WORKER_NAME } from "./worker.js";

await runStandalone({
  name: WORKER_NAME,
  fields: ["linkBaseUrl"],
  start: (infra, config) => startTag(infra, { linkBaseUrl: config.linkBaseUrl }),
});
