import {
  recorderFor,
  startConsumerWorker,
  type ConsumerWorkerOptions,
  type Infrastructure,
  type ServiceHandle,
} from "@optout/runtime";
import { createEmailUnsubscribeHandler } from "./handler.js";

export const WORKER_NAME = "email-unsubscribe";

export interface EmailUnsubscribeOptions extends ConsumerWorkerOptions {
  /** Verifies the `unsubscribe-<token>` a mailto subject may carry (EMAIL_TOKEN_SECRET). */
  emailTokenSecret: string;
}

/** Consume `<ns>.inbound.email`, record opt-outs, publish the change feed. */
export function startEmailUnsubscribe(
  infra: Infrastructure,
  options: EmailUnsubscribeOptions,
): Promise<ServiceHandle> {
  const { names, metrics } = infra;
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
    stream: names.streams.inboundEmail,
    subject: names.subjects.inboundEmail,
    schema: "inboundEmail",
    handle,
    options,
    logger,
  });
}
