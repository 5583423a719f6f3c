import type { AddressInfo } from "node:net";
import { createRecorder } from "@optout/recorder";
import { onceStop, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { buildApi } from "./app.js";

export const WORKER_NAME = "api";

export interface ApiOptions {
  adminToken: string;
  port: number;
  host: string;
  emailTokenSecret: string;
  linkBaseUrl: string;
  /** Extra readiness: the local process passes "every other worker is ready". */
  isReady?: () => boolean;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS (default false). */
  webhookAllowPrivateNetworks?: boolean;
  /** IMPORT_THREADS (0 or undefined: one per available CPU). */
  importThreads?: number;
}

export async function startApi(infra: Infrastructure, options: ApiOptions): Promise<ServiceHandle & { port: number }> {
  const logger = infra.logger.child({ worker: WORKER_NAME });
  let listening = false;
  const app = await buildApi({
    pool: infra.pool,
    accounts: infra.accounts,
    recorder: createRecorder({ pool: infra.pool, filter: infra.filter, js: infra.js, names: infra.names, logger, getAccount: (id) => infra.accounts.get(id) }),
    logger,
    adminToken: options.adminToken,
    emailTokenSecret: options.emailTokenSecret,
    linkBaseUrl: options.linkBaseUrl,
    isReady: () => listening && !infra.nc.isClosed() && (options.isReady?.() ?? true),
    webhookAllowPrivateNetworks: options.webhookAllowPrivateNetworks ?? false,
    importThreads: options.importThreads ?? 0,
  });
  await app.listen({ port: options.port, host: options.host });
  listening = true;
  const port = (app.server.address() as AddressInfo).port;
  logger.info({ port }, "api listening");
  return {
    name: WORKER_NAME,
    port,
    isReady: () => listening,
    stop: onceStop(async () => {
      listening = false;
      await app.close();
    }),
  };
}
