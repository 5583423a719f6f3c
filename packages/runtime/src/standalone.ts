import { loadConfig, type ConfigOf, type FieldName } from "@optout/config";
import { ConfigError, createLogger, OptoutError } from "@optout/core";
import { startHealthServer } from "./health-server.js";
import {
  INFRASTRUCTURE_FIELDS,
  openInfrastructure,
  prepareInfrastructure,
  type Infrastructure,
} from "./infrastructure.js";
import type { ServiceHandle } from "./service.js";
import { stopOnSignals } from "./signals.js";

// streamReplicas: every worker may be the first to start, so every worker creates the streams.
type BaseField = (typeof INFRASTRUCTURE_FIELDS)[number] | "streamReplicas" | "healthPort" | "host";

/**
 * The `main` of a worker run alone (one Kubernetes Deployment per worker): validate config,
 * connect, migrate, ensure streams, start, serve /healthz /readyz /metrics, drain on SIGTERM.
 */
export async function runStandalone<K extends FieldName>(options: {
  name: string;
  fields: readonly K[];
  start: (infra: Infrastructure, config: ConfigOf<K | BaseField>) => Promise<ServiceHandle>;
}): Promise<void> {
  let config: ConfigOf<K | BaseField>;
  try {
    config = loadConfig([
      ...INFRASTRUCTURE_FIELDS,
      "streamReplicas",
      "healthPort",
      "host",
      ...options.fields,
    ] as readonly (K | BaseField)[]);
  } catch (err) {
    process.stderr.write(`${options.name}: ${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  }
  const logger = createLogger({ name: options.name, level: (config as ConfigOf<"logLevel">).logLevel });
  try {
    const infra = await openInfrastructure(config, { name: options.name, logger });
    await prepareInfrastructure(infra, config);
    const service = await options.start(infra, config);
    const health = await startHealthServer({
      port: config.healthPort,
      host: config.host,
      ready: () => service.isReady() && !infra.nc.isClosed(),
      notReadyReasons: () => service.notReadyReasons?.() ?? [],
      registry: infra.metrics.registry,
    });
    logger.info({ healthPort: health.port }, `${options.name} ready`);
    stopOnSignals(async () => {
      await service.stop();
      await health.close();
      await infra.close();
    }, logger);
  } catch (err) {
    const code = err instanceof OptoutError ? err.code : "INTERNAL";
    logger.fatal({ code, err: (err as Error).message }, `${options.name} failed to start`);
    process.stderr.write(`${options.name} failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
