import { ensureLinks, typed } from "@optout/store";
import { startResponderWorker, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { tagRecipients, type TagPorts } from "./tag.js";
import { compactTagReply } from "./compact.js";
import { TAG_WORKER } from "./definition.js";

const WORKER_NAME = TAG_WORKER.name;

export interface TagOptions {
  /** LINK_BASE_URL: links are `<base><token>`. */
  linkBaseUrl: string;
  /** Requests answered at once by this process. */
  concurrency?: number;
}

/** Answer `<ns>.tag` requests in a queue group: any number of these run side by side. */
export function startTag(infra: Infrastructure, options: TagOptions): Promise<ServiceHandle> {
  const { names, pool } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const ports: TagPorts = {
    getAccount: (id) => infra.accounts.get(id),
    ensureLinks: (target, identifiers) => typed(() => ensureLinks(pool, target, identifiers)),
    linkBaseUrl: options.linkBaseUrl,
  };
  return startResponderWorker(infra, {
    worker: WORKER_NAME,
    subject: names.subjects.tag,
    // Each request may insert thousands of links: keep well under the pg pool's connections.
    concurrency: options.concurrency ?? 8,
    handle: async (body) => ({ ...(await tagRecipients(ports, body)) }),
    bulkKey: "tags",
    compact: compactTagReply,
    logger,
  });
}
