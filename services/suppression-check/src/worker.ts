import { findOptedOutForCheck, findTopicOptedOutForCheck, streamOptedOut, typed } from "@optout/store";
import {
  combineServices,
  startResponderWorker,
  type Infrastructure,
  type ServiceHandle,
} from "@optout/runtime";
import type { Channel } from "@optout/schemas";
import { erasedIdentifier } from "@optout/domain";
import { checkRecipients } from "./check.js";
import { compactCheckReply } from "./compact.js";
import { checkBulk } from "./bulk.js";
import { createRebuildScheduler } from "./rebuilds.js";
import { suppressionCheckMetrics } from "./metrics.js";
import { SUPPRESSION_CHECK_WORKER } from "./definition.js";

const WORKER_NAME = SUPPRESSION_CHECK_WORKER.name;

export interface SuppressionCheckOptions {
  /** ERASURE_HASH_SECRET: an erased identifier is found in the list under its keyed hash. */
  erasureHashSecret: string;
  /** Requests answered at once by this process. */
  concurrency?: number;
  /** Bulk requests (up to 100,000 numbers each) answered at once. */
  bulkConcurrency?: number;
}

/** Answer `<ns>.check` requests in a queue group: any number of these run side by side. */
export async function startSuppressionCheck(
  infra: Infrastructure,
  options: SuppressionCheckOptions,
): Promise<ServiceHandle> {
  const { names, pool, filter } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const metrics = suppressionCheckMetrics(infra.metrics.registry);
  const rebuilds = createRebuildScheduler(
    (scope, channel) => filter.rebuild(scope, channel, () => streamOptedOut(pool, scope, channel)),
    logger,
  );
  const ports = {
    getAccount: (id: string) => infra.accounts.get(id),
    filter,
    findOptedOut: (
      scope: string,
      accountId: string,
      channel: Channel,
      ids: readonly string[],
      erased?: readonly (string | null)[],
    ) => typed(() => findOptedOutForCheck(pool, scope, accountId, channel, ids, erased)),
    erasedForm: (identifier: string) => erasedIdentifier(options.erasureHashSecret, identifier),
    findTopicOptedOut: (
      scope: string,
      accountId: string,
      channel: Channel,
      topic: string,
      ids: readonly string[],
    ) => typed(() => findTopicOptedOutForCheck(pool, scope, accountId, channel, topic, ids)),
    requestRebuild: rebuilds.request,
    logger,
    onPath: (_path: "filter" | "database", cause?: "not_ready") => {
      if (cause) metrics.cacheFallbacks.inc({ worker: WORKER_NAME, cause });
    },
  };
  /** One request: its lookup path (one per request) labels every recipient it answered. */
  async function check(body: unknown) {
    let path: "filter" | "database" | "none" = "none";
    const reply = await checkRecipients(
      {
        ...ports,
        onPath: (taken, cause) => {
          path = taken;
          ports.onPath(taken, cause);
        },
      },
      body,
    );
    const byReason = new Map<string, number>();
    for (const r of reply.results) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
    for (const [reason, n] of byReason)
      metrics.checkedRecipients.inc({ worker: WORKER_NAME, reason, path }, n);
    return reply;
  }
  const single = await startResponderWorker(infra, {
    worker: WORKER_NAME,
    subject: names.subjects.check,
    concurrency: options.concurrency ?? 64,
    handle: async (body) => ({ ...(await check(body)) }),
    bulkKey: "results",
    compact: compactCheckReply,
    logger,
  });
  // The compact bulk check: packed numbers in, a bitmap out, the same check underneath.
  const bulk = await startResponderWorker(infra, {
    worker: WORKER_NAME,
    subject: names.subjects.checkBulk,
    concurrency: options.bulkConcurrency ?? 4,
    binary: true,
    handle: (_body, msg) => checkBulk(ports, msg.data),
    logger,
    onStop: () => rebuilds.idle(),
  });
  return combineServices(WORKER_NAME, [single, bulk]);
}
