import { getLinks, typed } from "@optout/store";
import {
  startConsumerWorker,
  type ConsumerWorkerOptions,
  type Infrastructure,
  type ServiceHandle,
} from "@optout/runtime";
import { recorderFor } from "@optout/recorder";
import { createLinkClickHandler } from "./handler.js";
import { LINK_CLICK_WORKER } from "./definition.js";

const WORKER_NAME = LINK_CLICK_WORKER.name;

export type LinkClickOptions = ConsumerWorkerOptions;

/** Consume `<ns>.inbound.link`, resolve tokens to links, record the opt-outs, publish the change feed. */
export function startLinkClick(infra: Infrastructure, options: LinkClickOptions): Promise<ServiceHandle> {
  const { names, pool } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const handle = createLinkClickHandler({
    getLinks: (tokens) => typed(() => getLinks(pool, tokens)),
    getAccount: (id) => infra.accounts.get(id),
    recorder: recorderFor(infra, WORKER_NAME, logger),
    logger,
  });
  return startConsumerWorker(infra, {
    worker: WORKER_NAME,
    stream: names.streams[LINK_CLICK_WORKER.stream],
    subject: names.subjects[LINK_CLICK_WORKER.subject],
    schema: "inboundLink",
    handle,
    options,
    logger,
  });
}
