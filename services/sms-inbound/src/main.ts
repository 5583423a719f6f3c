import { runStandalone } from "@optout/runtime";
import { SMS_INBOUND_WORKER } from "./definition.js";
import { startSmsInbound } from "./worker.js";

await runStandalone(SMS_INBOUND_WORKER, startSmsInbound);
