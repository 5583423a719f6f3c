import { startHttpWorker, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { recorderFor } from "@optout/recorder";
import { buildApi } from "./app.js";
import { API_WORKER } from "./definition.js";

const WORKER_NAME = API_WORKER.name;

export interface ApiOptions {
  adminToken: string;
  port: number;
  host: string;
  emailTokenSecret: string;
  /** ERASURE_HASH_SECRET: the keyed hash an erasure leaves in the list. */
  erasureHashSecret: string;
  linkBaseUrl: string;
  /** Extra readiness: the local process passes "every other worker is ready". */
  isReady?: () => boolean;
  /** Extra reasons for /readyz (the local process: every other worker's). */
  notReadyReasons?: () => string[];
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS (default false). */
  webhookAllowPrivateNetworks?: boolean;
  /** IMPORT_THREADS (0 or undefined: one per available CPU). */
  importThreads?: number;
}

export function startApi(
  infra: Infrastructure,
  options: ApiOptions,
): Promise<ServiceHandle & { port: number }> {
  const logger = infra.logger.child({ worker: WORKER_NAME });
  return startHttpWorker({
    worker: WORKER_NAME,
    port: options.port,
    host: options.host,
    logger,
    metrics: infra.metrics,
    build: (isListening) =>
      buildApi({
        pool: infra.pool,
        accounts: infra.accounts,
        recorder: recorderFor(infra, WORKER_NAME, logger),
        filter: infra.filter,
        logger,
        adminToken: options.adminToken,
        emailTokenSecret: options.emailTokenSecret,
        erasureHashSecret: options.erasureHashSecret,
        linkBaseUrl: options.linkBaseUrl,
        isReady: () => isListening() && !infra.nc.isClosed() && (options.isReady?.() ?? true),
        // Postgres holds everything the API serves; NATS carries what it records.
        notReadyReasons: () => [
          ...infra.dependencies.downReasons(["postgres", "nats"]),
          ...(options.notReadyReasons?.() ?? []),
        ],
        webhookAllowPrivateNetworks: options.webhookAllowPrivateNetworks ?? false,
        importThreads: options.importThreads ?? 0,
        bus: { js: infra.js, jsm: infra.jsm, names: infra.names },
      }),
  });
}
