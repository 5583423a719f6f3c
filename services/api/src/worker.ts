import type { AddressInfo } from "node:net";
import { createRecorder } from "@optout/recorder";
import { onceStop, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { buildApi } from "./app.js";

export const WORKER_NAME = "api";

export interface ApiOptions {
  adminToken: string;
  port: number;
  host: string;
  /** Extra readiness: the local process passes "every other worker is ready". */
  isReady?: () => boolean;
}

export async function startApi(infra: Infrastructure, options: ApiOptions): Promise<ServiceHandle & { port: number }> {
  const logger = infra.logger.child({ worker: WORKER_NAME });
  let listening = false;
  const app = await buildApi({
    pool: infra.pool,
    accounts: infra.accounts,
    recorder: createRecorder({ pool: infra.pool, filter: infra.filter, js: infra.js, names: infra.names, logger }),
    logger,
    adminToken: options.adminToken,
    isReady: () => listening && !infra.nc.isClosed() && (options.isReady?.() ?? true),
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
