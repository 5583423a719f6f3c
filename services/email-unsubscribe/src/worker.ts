import {
  startConsumerWorker,
  type ConsumerWorkerOptions,
  type Infrastructure,
  type ServiceHandle,
} from "@optout/runtime";
import { recorderFor } from "@optout/recorder";
import { createEmailUnsubscribeHandler } from "./handler.js";
import { EMAIL_UNSUBSCRIBE_WORKER } from "./definition.js";
import { emailUnsubscribeMetrics } from "./metrics.js";

const WORKER_NAME = EMAIL_UNSUBSCRIBE_WORKER.name;

export interface EmailUnsubscribeOptions extends ConsumerWorkerOptions {
  /** Verifies the `unsubscribe-<token>` a mailto subject may carry (EMAIL_TOKEN_SECRET). */
  emailTokenSecret: string;
}

/** Consume `<ns>.inbound.email`, record opt-outs, publish the change feed. */
export function startEmailUnsubscribe(
  infra: Infrastructure,
  options: EmailUnsubscribeOptions,
): Promise<ServiceHandle> {
  const { names } = infra;
  const metrics = emailUnsubscribeMetrics(infra.metrics.registry);
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const handle = createEmailUnsubscribeHandler({
    getAccount: (id) => infra.accounts.get(id),
    recorder: recorderFor(infra, WORKER_NAME, logger),
    emailTokenSecret: options.emailTokenSecret,
    logger,
    onIgnored: (reason) => metrics.ignored.inc({ worker: WORKER_NAME, reason }),
  });
  return startConsumerWorker(infra, {
    worker: WORKER_NAME,
    stream: names.streams[EMAIL_UNSUBSCRIBE_WORKER.stream],
    subject: names.subjects[EMAIL_UNSUBSCRIBE_WORKER.subject],
    schema: "inboundEmail",
    handle,
    options,
    logger,
  });
}
