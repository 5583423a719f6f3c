/**
 * Every worker in one process, for a laptop or a demo: one set of connections, migrations and
 * streams at start, one line when ready. Secrets that production must set are generated here
 * once and kept in an ignored local file (scripts/lib/local-secrets.ts), so the admin token and
 * the email unsubscribe links already sent keep working after a restart. The HTTP listeners
 * bind 127.0.0.1 unless HOST says otherwise. /metrics (every worker's series, one registry),
 * /healthz and /readyz are served on HEALTH_PORT, as a worker run alone serves them.
 */
import { loadConfig } from "@optout/config";
import { ConfigError, createLogger } from "@optout/core";
import {
  INFRASTRUCTURE_FIELDS,
  openInfrastructure,
  prepareInfrastructure,
  readinessOf,
  startHealthServer,
  stopOnSignals,
  type ServiceHandle,
} from "@optout/runtime";
import { startSmsInbound } from "@optout/service-sms-inbound";
import { startEmailUnsubscribe } from "@optout/service-email-unsubscribe";
import { startSuppressionCheck } from "@optout/service-suppression-check";
import { startApi } from "@optout/service-api";
import { startTag } from "@optout/service-tag";
import { startLinkClick } from "@optout/service-link-click";
import { startEdge } from "@optout/service-edge";
import { startWebhookDispatch } from "@optout/service-webhook-dispatch";
import { resolveLocalSecrets } from "./lib/local-secrets.js";

let secrets;
try {
  secrets = await resolveLocalSecrets();
} catch (err) {
  process.stderr.write(`optout: ${(err as Error).message}\n`);
  process.exit(78);
}
process.env.OPTOUT_ADMIN_TOKEN = secrets.adminToken;
process.env.EMAIL_TOKEN_SECRET = secrets.emailTokenSecret;
process.env.ERASURE_HASH_SECRET = secrets.erasureHashSecret;

let config;
try {
  config = loadConfig([
    ...INFRASTRUCTURE_FIELDS,
    "streamReplicas",
    "adminToken",
    "apiPort",
    "healthPort",
    "host",
    "maxDeliveries",
    "ackWaitMs",
    "maxInFlight",
    "emailTokenSecret",
    "erasureHashSecret",
    "linkBaseUrl",
    "edgePort",
    "edgeRateLimitPerMinute",
    "edgeTrustedProxies",
    "webhookMaxAttempts",
    "webhookTimeoutMs",
    "webhookAllowPrivateNetworks",
    "importThreads",
  ]);
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
workers.push(await startEmailUnsubscribe(infra, config));
workers.push(await startSuppressionCheck(infra, { erasureHashSecret: config.erasureHashSecret }));
workers.push(await startLinkClick(infra, config));
workers.push(
  await startWebhookDispatch(infra, {
    maxAttempts: config.webhookMaxAttempts,
    timeoutMs: config.webhookTimeoutMs,
    allowPrivateNetworks: config.webhookAllowPrivateNetworks,
    ackWaitMs: config.ackWaitMs,
    maxInFlight: config.maxInFlight,
  }),
);
const edge = await startEdge(infra, {
  port: config.edgePort,
  host: config.host,
  emailTokenSecret: config.emailTokenSecret,
  rateLimitPerMinute: config.edgeRateLimitPerMinute,
  trustedProxies: config.edgeTrustedProxies,
});
workers.push(edge);
const edgeUrl = `http://localhost:${edge.port}/`;
// One base for SMS links (tags) and email List-Unsubscribe URIs: LINK_BASE_URL when set, else
// this run's edge (EDGE_PORT=0 picks any port).
const linkBaseUrl = process.env.LINK_BASE_URL ? config.linkBaseUrl : edgeUrl;
workers.push(await startTag(infra, { linkBaseUrl }));
const api = await startApi(infra, {
  adminToken: config.adminToken,
  port: config.apiPort,
  host: config.host,
  emailTokenSecret: config.emailTokenSecret,
  erasureHashSecret: config.erasureHashSecret,
  linkBaseUrl,
  webhookAllowPrivateNetworks: config.webhookAllowPrivateNetworks,
  importThreads: config.importThreads,
  isReady: () => readinessOf(workers).ready,
  notReadyReasons: () => readinessOf(workers).reasons,
});

// A port in use (another run, a local Prometheus on 9090) costs the metrics, not the run.
const health = await startHealthServer({
  port: config.healthPort,
  host: config.host,
  ready: () => readinessOf([...workers, api]).ready,
  notReadyReasons: () => readinessOf([...workers, api]).reasons,
  registry: infra.metrics.registry,
}).catch((err: Error) => {
  logger.warn(
    { healthPort: config.healthPort, err: err.message },
    "/metrics not served: HEALTH_PORT is not free (set HEALTH_PORT to a free port, or 0 for any)",
  );
  return undefined;
});
const metricsUrl = health ? `http://127.0.0.1:${health.port}/metrics` : undefined;

logger.info(
  {
    api: `http://127.0.0.1:${api.port}`,
    ...(metricsUrl ? { metrics: metricsUrl } : {}),
    edge: edgeUrl,
    linkBaseUrl,
    host: config.host,
    namespace: infra.names.namespace,
    workers: workers.map((w) => w.name),
  },
  "optout ready",
);
if (secrets.adminTokenFrom !== "env") {
  // To the terminal only, never to the log: the admin token of this installation.
  const kept =
    secrets.adminTokenFrom === "generated" ? `generated, kept in ${secrets.file}` : `from ${secrets.file}`;
  process.stdout.write(
    `\n  optout is ready: API http://127.0.0.1:${api.port}  edge ${edgeUrl}  admin token: ${secrets.adminToken} (${kept})\n`,
  );
  process.stdout.write(
    `  Unsubscribes page http://127.0.0.1:${api.port}/ui/  API reference http://127.0.0.1:${api.port}/docs${metricsUrl ? `  metrics ${metricsUrl}` : ""}\n\n`,
  );
}

stopOnSignals(async () => {
  await api.stop();
  for (const w of workers.reverse()) await w.stop();
  await health?.close();
  await infra.close();
}, logger);
