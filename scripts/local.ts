/**
 * Every worker in one process, for a laptop or a demo: one set of connections, migrations and
 * streams at start, one line when ready. Secrets that production must set are generated here.
 */
import { randomBytes } from "node:crypto";
import { loadConfig } from "@optout/config";
import { ConfigError, createLogger } from "@optout/core";
import { INFRASTRUCTURE_FIELDS, openInfrastructure, prepareInfrastructure, stopOnSignals, type ServiceHandle } from "@optout/runtime";
import { startSmsInbound } from "@optout/service-sms-inbound";
import { startSuppressionCheck } from "@optout/service-suppression-check";
import { startApi } from "@optout/service-api";

let generatedAdminToken: string | undefined;
if (!process.env.OPTOUT_ADMIN_TOKEN) {
  generatedAdminToken = randomBytes(24).toString("hex");
  process.env.OPTOUT_ADMIN_TOKEN = generatedAdminToken;
}
process.env.EMAIL_TOKEN_SECRET ||= randomBytes(32).toString("hex");

let config;
try {
  config = loadConfig([...INFRASTRUCTURE_FIELDS, "adminToken", "apiPort", "host", "maxDeliveries", "ackWaitMs", "maxInFlight"]);
} catch (err) {
  process.stderr.write(`optout: ${(err as Error).message}\n`);
  process.exit(err instanceof ConfigError ? 78 : 1);
}

const logger = createLogger({ name: "optout-local", level: config.logLevel });
const infra = await openInfrastructure(config, { name: "optout-local", logger }).catch((err: Error) => {
  process.stderr.write(`optout: ${err.message}\n`);
  process.exit(1);
});
try {
  await prepareInfrastructure(infra, config);
} catch (err) {
  process.stderr.write(`optout: start-up failed: ${(err as Error).message}\n`);
  await infra.close();
  process.exit(1);
}

const workers: ServiceHandle[] = [];
workers.push(await startSmsInbound(infra, config));
workers.push(await startSuppressionCheck(infra));
const api = await startApi(infra, {
  adminToken: config.adminToken,
  port: config.apiPort,
  host: config.host,
  isReady: () => workers.every((w) => w.isReady()),
});

logger.info(
  { api: `http://127.0.0.1:${api.port}`, namespace: infra.names.namespace, workers: workers.map((w) => w.name) },
  "optout ready",
);
if (generatedAdminToken) {
  // Printed once, to the terminal only: it is this run's admin token.
  process.stdout.write(`\n  optout is ready: API http://127.0.0.1:${api.port}  admin token: ${generatedAdminToken}\n\n`);
}

stopOnSignals(async () => {
  await api.stop();
  for (const w of workers.reverse()) await w.stop();
  await infra.close();
}, logger);
