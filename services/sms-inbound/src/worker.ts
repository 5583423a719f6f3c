import { publishJson } from "@optout/bus";
import { TRACEPARENT_HEADER } from "@optout/core";
import {
  startConsumerWorker,
  type ConsumerWorkerOptions,
  type Infrastructure,
  type ServiceHandle,
} from "@optout/runtime";
import { recorderFor } from "@optout/recorder";
import { createSmsInboundHandler } from "./handler.js";
import { smsInboundMetrics } from "./metrics.js";
import { SMS_INBOUND_WORKER } from "./definition.js";

const WORKER_NAME = SMS_INBOUND_WORKER.name;

export type SmsInboundOptions = ConsumerWorkerOptions;

/** Consume `<ns>.inbound.sms`, classify, record opt-outs/opt-ins, publish the change feed. */
export function startSmsInbound(infra: Infrastructure, options: SmsInboundOptions): Promise<ServiceHandle> {
  const { names } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const metrics = smsInboundMetrics(infra.metrics.registry);
  const handle = createSmsInboundHandler({
    getAccount: (id) => infra.accounts.get(id),
    recorder: recorderFor(infra, WORKER_NAME, logger),
    publishSms: async (sms, msgId, traceparent) => {
      await publishJson(
        infra.js,
        names.subjects.outboundSms,
        sms,
        msgId,
        traceparent ? { [TRACEPARENT_HEADER]: traceparent } : undefined,
      );
    },
    logger,
    onClassified: (c) =>
      metrics.classified.inc({ worker: WORKER_NAME, action: c.action, rule: c.rule ?? "none" }),
  });
  return startConsumerWorker(infra, {
    worker: WORKER_NAME,
    stream: names.streams[SMS_INBOUND_WORKER.stream],
    subject: names.subjects[SMS_INBOUND_WORKER.subject],
    schema: "inboundSms",
    handle,
    options,
    logger,
  });
}
