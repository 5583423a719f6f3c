import { loadConfig, type ConfigOf, type FieldName } from "@optout/config";
import { ConfigError, createLogger, OptoutError } from "@optout/core";
import { STANDALONE_FIELDS, type StandaloneField, type WorkerDefinition } from "./definition.js";
import { startHealthServer } from "./health-server.js";
import { createMetrics } from "./metrics.js";
import { openInfrastructure, prepareInfrastructure, type Infrastructure } from "./infrastructure.js";
import type { ServiceHandle } from "./service.js";
import { stopOnSignals } from "./signals.js";

/**
 * The `main` of a worker run alone (one Kubernetes Deployment per worker): validate config
 * (STANDALONE_FIELDS and the definition's fields), serve /healthz /readyz /metrics from the first
 * second (startup probes see a live process while it connects or waits for its schema), connect,
 * migrate or wait for the schema, ensure streams, start with the definition's options, drain on
 * SIGTERM.
 */
export async function runStandalone<K extends FieldName, O>(
  definition: WorkerDefinition<K, O>,
  start: (infra: Infrastructure, options: O) => Promise<ServiceHandle>,
): Promise<void> {
  let config: ConfigOf<K | StandaloneField>;
  try {
    config = loadConfig<K | StandaloneField>([...STANDALONE_FIELDS, ...definition.fields]);
  } catch (err) {
    process.stderr.write(`${definition.name}: ${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  }
  const logger = createLogger({ name: definition.name, level: (config as ConfigOf<"logLevel">).logLevel });
  const metrics = createMetrics();
  let service: ServiceHandle | undefined;
  let infra: Infrastructure | undefined;
  let phase = "connecting to NATS, Postgres and Redis";
  const health = await startHealthServer({
    port: config.healthPort,
    host: config.host,
    ready: () => service !== undefined && service.isReady() && !infra!.nc.isClosed(),
    notReadyReasons: () => (service ? (service.notReadyReasons?.() ?? []) : [`starting: ${phase}`]),
    registry: metrics.registry,
  }).catch((err: Error) => {
    process.stderr.write(`${definition.name} failed to start: health server: ${err.message}\n`);
    process.exit(1);
  });
  try {
    infra = await openInfrastructure(config, { name: definition.name, logger, metrics });
    phase = config.migrateOnStart ? "migrating and creating streams" : "waiting for the schema";
    let lastWaiting = "";
    await prepareInfrastructure(infra, config, {
      onWaiting: (reason) => {
        phase = reason;
        // Once per distinct reason: a worker may wait minutes for the migration Job.
        if (reason !== lastWaiting) logger.warn({ reason }, "waiting before start");
        lastWaiting = reason;
      },
    });
    phase = "starting the worker";
    service = await start(infra, definition.options(config));
    logger.info({ healthPort: health.port }, `${definition.name} ready`);
    const running = infra;
    stopOnSignals(async () => {
      await service?.stop();
      await health.close();
      await running.close();
    }, logger);
  } catch (err) {
    const code = err instanceof OptoutError ? err.code : "INTERNAL";
    logger.fatal({ code, err: (err as Error).message }, `${definition.name} failed to start`);
    process.stderr.write(`${definition.name} failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
