import { runStandalone } from "@optout/runtime";
import { WEBHOOK_DISPATCH_WORKER } from "./definition.js";
import { startWebhookDispatch } from "./worker.js";

await runStandalone(WEBHOOK_DISPATCH_WORKER, startWebhookDispatch);
