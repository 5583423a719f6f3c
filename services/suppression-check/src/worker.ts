import { startResponder } from "@optout/bus";
import { findBypassMembers, findOptedOut, streamOptedOut, typed } from "@optout/store";
import { onceStop, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import type { Channel } from "@optout/schemas";
import { checkRecipients } from "./check.js";
import { createRebuildScheduler } from "./rebuilds.js";

export const WORKER_NAME = "suppression-check";

export interface SuppressionCheckOptions {
  /** Requests answered at once by this process. */
  concurrency?: number;
}

/** Answer `<ns>.check` requests in a queue group: any number of these run side by side. */
export async function startSuppressionCheck(infra: Infrastructure, options: SuppressionCheckOptions = {}): Promise<ServiceHandle> {
  const { names, metrics, pool, filter } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const rebuilds = createRebuildScheduler(
    (scope, channel) => filter.rebuild(scope, channel, () => streamOptedOut(pool, scope, channel)),
    logger,
  );
  const ports = {
    getAccount: (id: string) => infra.accounts.get(id),
    filter,
    findOptedOut: (scope: string, channel: string, ids: readonly string[]) => typed(() => findOptedOut(pool, scope, channel, ids)),
    findBypassMembers: (accountId: string, channel: Channel, ids: readonly string[], groupIds: readonly string[] | "all") =>
      typed(() => findBypassMembers(pool, accountId, channel, ids, groupIds)),
    requestRebuild: rebuilds.request,
    logger,
    onPath: (path: "filter" | "database", cause?: "not_ready") => {
      if (cause) metrics.cacheFallbacks.inc({ worker: WORKER_NAME, cause });
    },
  };
  const decoder = new TextDecoder();
  const responder = startResponder({
    nc: infra.nc,
    subject: names.subjects.check,
    queue: names.queueGroup(WORKER_NAME),
    concurrency: options.concurrency ?? 64,
    logger,
    handle: async (data) => {
      let body: unknown;
      try {
        body = JSON.parse(decoder.decode(data));
      } catch {
        body = undefined;
      }
      return checkRecipients(ports, body);
    },
    onReply: (ok, ms) => {
      metrics.requests.inc({ worker: WORKER_NAME, outcome: ok ? "ok" : "error" });
      metrics.requestSeconds.observe({ worker: WORKER_NAME }, ms / 1000);
    },
  });
  // Make sure the subscription is registered with the server before we say we are ready.
  await infra.nc.flush();
  let ready = true;
  logger.info({ natsSubject: names.subjects.check }, "suppression-check started");
  return {
    name: WORKER_NAME,
    isReady: () => ready,
    stop: onceStop(async () => {
      ready = false;
      await responder.stop();
      await rebuilds.idle();
    }),
  };
}
