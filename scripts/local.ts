/**
 * Every worker in one process, for a laptop or a demo: one set of connections, migrations and
 * streams at start, one line when ready. Secrets that production must set are generated here
 * once and kept in an ignored local file (scripts/lib/local-secrets.ts), so the admin token and
 * the email unsubscribe links already sent keep working after a restart. The HTTP listeners
 * bind 127.0.0.1 unless HOST says otherwise. /metrics (every worker's series, one registry),
 * /healthz and /readyz are served on HEALTH_PORT, as a worker run alone serves them.
 */
import { loadConfig, type ConfigOf } from "@optout/config";
import { ConfigError, createLogger } from "@optout/core";
import {
  INFRASTRUCTURE_FIELDS,
  openInfrastructure,
  prepareInfrastructure,
  readinessOf,
  startHealthServer,
  stopOnSignals,
  type ServiceHandle,
  type WorkerDefinition,
} from "@optout/runtime";
import { SMS_INBOUND_WORKER, startSmsInbound } from "@optout/service-sms-inbound";
import { EMAIL_UNSUBSCRIBE_WORKER, startEmailUnsubscribe } from "@optout/service-email-unsubscribe";
import { SUPPRESSION_CHECK_WORKER, startSuppressionCheck } from "@optout/service-suppression-check";
import { API_WORKER, startApi } from "@optout/service-api";
import { TAG_WORKER, startTag } from "@optout/service-tag";
import { LINK_CLICK_WORKER, startLinkClick } from "@optout/service-link-click";
import { EDGE_WORKER, startEdge } from "@optout/service-edge";
import { WEBHOOK_DISPATCH_WORKER, startWebhookDispatch } from "@optout/service-webhook-dispatch";
import { resolveLocalSecrets } from "./lib/local-secrets.js";

/** Every worker's definition: the config read below is the union of their fields. */
const DEFINITIONS = [
  SMS_INBOUND_WORKER,
  EMAIL_UNSUBSCRIBE_WORKER,
  SUPPRESSION_CHECK_WORKER,
  LINK_CLICK_WORKER,
  WEBHOOK_DISPATCH_WORKER,
  EDGE_WORKER,
  TAG_WORKER,
  API_WORKER,
] as const;

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

type FieldOf<D> = D extends WorkerDefinition<infer K, unknown> ? K : never;
type LocalField =
  | (typeof INFRASTRUCTURE_FIELDS)[number]
  | "streamReplicas"
  | "healthPort"
  | FieldOf<(typeof DEFINITIONS)[number]>;
// Not migrateOnStart: this process always migrates and creates the streams it needs.
const LOCAL_FIELDS: readonly LocalField[] = [
  ...INFRASTRUCTURE_FIELDS,
  "streamReplicas",
  "healthPort",
  ...DEFINITIONS.flatMap((d): readonly LocalField[] => d.fields),
];

let config: ConfigOf<LocalField>;
try {
  config = loadConfig(LOCAL_FIELDS);
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

// Each worker starts with its definition's options from this process's config.
const workers: ServiceHandle[] = [];
workers.push(await startSmsInbound(infra, SMS_INBOUND_WORKER.options(config)));
workers.push(await startEmailUnsubscribe(infra, EMAIL_UNSUBSCRIBE_WORKER.options(config)));
workers.push(await startSuppressionCheck(infra, SUPPRESSION_CHECK_WORKER.options(config)));
workers.push(await startLinkClick(infra, LINK_CLICK_WORKER.options(config)));
workers.push(await startWebhookDispatch(infra, WEBHOOK_DISPATCH_WORKER.options(config)));
const edge = await startEdge(infra, EDGE_WORKER.options(config));
workers.push(edge);
const edgeUrl = `http://localhost:${edge.port}/`;
// One base for SMS links (tags) and email List-Unsubscribe URIs: LINK_BASE_URL when set, else
// this run's edge (EDGE_PORT=0 picks any port).
const linkBaseUrl = process.env.LINK_BASE_URL ? config.linkBaseUrl : edgeUrl;
workers.push(await startTag(infra, { ...TAG_WORKER.options(config), linkBaseUrl }));
// Not in `workers`: the api's readiness is every other worker's.
const api = await startApi(infra, {
  ...API_WORKER.options(config),
  linkBaseUrl,
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
    workers: [...workers, api].map((w) => w.name),
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
