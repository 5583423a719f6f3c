import { runStandalone } from "@optout/runtime";
import { EMAIL_UNSUBSCRIBE_WORKER } from "./definition.js";
import { startEmailUnsubscribe } from "./worker.js";

await runStandalone(EMAIL_UNSUBSCRIBE_WORKER, startEmailUnsubscribe);
