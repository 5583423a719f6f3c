import { encodeJson, startResponder } from "@optout/bus";
import { ensureLinks, typed } from "@optout/store";
import { onceStop, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { replyParts } from "./reply-parts.js";
import { tagRecipients, type TagPorts } from "./tag.js";

/** The NATS server default, used until the connection has seen the server's INFO. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

export const WORKER_NAME = "tag";

export interface TagOptions {
  /** LINK_BASE_URL: links are `<base><token>`. */
  linkBaseUrl: string;
  /** Requests answered at once by this process. */
  concurrency?: number;
}

/** Answer `<ns>.tag` requests in a queue group: any number of these run side by side. */
export async function startTag(infra: Infrastructure, options: TagOptions): Promise<ServiceHandle> {
  const { names, metrics, pool } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const ports: TagPorts = {
    getAccount: (id) => infra.accounts.get(id),
    ensureLinks: (target, identifiers) => typed(() => ensureLinks(pool, target, identifiers)),
    linkBaseUrl: options.linkBaseUrl,
  };
  const decoder = new TextDecoder();
  const responder = startResponder({
    nc: infra.nc,
    subject: names.subjects.tag,
    queue: names.queueGroup(WORKER_NAME),
    // Each request may insert thousands of links: keep well under the pg pool's connections.
    concurrency: options.concurrency ?? 8,
    logger,
    handle: async (data, msg) => {
      let body: unknown;
      try {
        body = JSON.parse(decoder.decode(data));
      } catch {
        body = undefined;
      }
      const reply = await tagRecipients(ports, body);
      const chunked = (body as { chunked?: unknown }).chunked === true;
      const parts = replyParts(reply, infra.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD, chunked);
      // Every part but the last goes out here, in order; the responder sends the last one.
      for (const part of parts.slice(0, -1)) msg.respond(encodeJson(part));
      return parts[parts.length - 1];
    },
    onReply: (ok, ms) => {
      metrics.requests.inc({ worker: WORKER_NAME, outcome: ok ? "ok" : "error" });
      metrics.requestSeconds.observe({ worker: WORKER_NAME }, ms / 1000);
    },
  });
  // Make sure the subscription is registered with the server before we say we are ready.
  await infra.nc.flush();
  let ready = true;
  logger.info({ subject: names.subjects.tag }, "tag started");
  return {
    name: WORKER_NAME,
    isReady: () => ready,
    stop: onceStop(async () => {
      ready = false;
      await responder.stop();
    }),
  };
}
