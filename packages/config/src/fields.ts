/**
 * Every environment variable the system reads, with its default and meaning, in one table.
 * Services pick the fields they need; the README's configuration table mirrors this file.
 */

export type FieldType = "string" | "integer" | "number" | "boolean" | "url";

export interface FieldSpec {
  readonly env: string;
  readonly type: FieldType;
  readonly default?: string | number | boolean;
  readonly required?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly description: string;
  /** Shown in the error when the variable is missing or invalid. */
  readonly example?: string;
  /** Never echo the value in an error message. */
  readonly secret?: boolean;
}

export const FIELDS = {
  natsUrl: {
    env: "NATS_URL",
    type: "string",
    default: "nats://127.0.0.1:4222",
    description: "NATS servers (comma-separated)",
    example: "nats://127.0.0.1:4222",
  },
  natsUser: {
    env: "NATS_USER",
    type: "string",
    description: "NATS user (with NATS_PASSWORD); deploy/nats/optout-nats.conf has one per service",
    example: "sms-inbound",
  },
  natsPassword: {
    env: "NATS_PASSWORD",
    type: "string",
    secret: true,
    description: "Password of NATS_USER",
  },
  natsToken: {
    env: "NATS_TOKEN",
    type: "string",
    secret: true,
    description: "NATS authorization token (instead of a user and password)",
  },
  natsNkeySeed: {
    env: "NATS_NKEY_SEED",
    type: "string",
    secret: true,
    pattern: "^\\s*SU[A-Z2-7]{56}\\s*$",
    description: "NKey user seed (SU..., 58 characters); the server config names its public key (U...)",
  },
  natsNkeySeedFile: {
    env: "NATS_NKEY_SEED_FILE",
    type: "string",
    description: "File holding the NKey user seed (a mounted secret), instead of NATS_NKEY_SEED",
    example: "/var/run/secrets/nats/seed",
  },
  natsCredsFile: {
    env: "NATS_CREDS_FILE",
    type: "string",
    description: "NATS .creds file (user JWT and NKey seed) for a server in operator/JWT mode",
    example: "/var/run/secrets/nats/optout.creds",
  },
  natsTlsCaFile: {
    env: "NATS_TLS_CA_FILE",
    type: "string",
    description:
      "PEM CA bundle the NATS server certificate must chain to (setting any NATS_TLS_* requires TLS, as a tls:// NATS_URL does)",
    example: "/var/run/secrets/nats-tls/ca.crt",
  },
  natsTlsCertFile: {
    env: "NATS_TLS_CERT_FILE",
    type: "string",
    description: "PEM client certificate for a server that verifies clients (with NATS_TLS_KEY_FILE)",
    example: "/var/run/secrets/nats-tls/tls.crt",
  },
  natsTlsKeyFile: {
    env: "NATS_TLS_KEY_FILE",
    type: "string",
    description: "PEM private key of NATS_TLS_CERT_FILE",
    example: "/var/run/secrets/nats-tls/tls.key",
  },
  databaseUrl: {
    env: "DATABASE_URL",
    type: "url",
    default: "postgres://127.0.0.1:5432/optout",
    secret: true,
    description: "Postgres; the database is created if missing when the role may",
    example: "postgres://user@127.0.0.1:5432/optout",
  },
  databaseSchema: {
    env: "DATABASE_SCHEMA",
    type: "string",
    default: "public",
    pattern: "^[a-z_][a-z0-9_]{0,62}$",
    description: "Postgres schema holding the tables (tests use one per run)",
  },
  databasePoolSize: {
    env: "DATABASE_POOL_SIZE",
    type: "integer",
    default: 5,
    minimum: 1,
    maximum: 100,
    description: "Postgres connections per process (replicas x pool size < max_connections)",
  },
  redisUrl: {
    env: "REDIS_URL",
    type: "url",
    default: "redis://127.0.0.1:6379",
    description: "Redis for the suppression filter",
  },
  namespace: {
    env: "OPTOUT_NAMESPACE",
    type: "string",
    default: "optout",
    pattern: "^[a-z][a-z0-9_-]{0,39}$",
    description: "Subject prefix; also prefixes stream names (upper-cased), consumer names and Redis keys",
  },
  streamReplicas: {
    env: "STREAM_REPLICAS",
    type: "integer",
    default: 1,
    minimum: 1,
    maximum: 5,
    description:
      "Replicas of every stream the project creates (3 on a JetStream cluster); an existing stream keeps the replicas and retention an operator gave it",
  },
  migrateOnStart: {
    env: "MIGRATE_ON_START",
    type: "boolean",
    default: true,
    description:
      "Create the database, apply migrations and create the streams at start (the local default). false in Kubernetes: `optout migrate` runs as a Job and workers wait (readiness 503) until the schema they need is there",
  },
  adminToken: {
    env: "OPTOUT_ADMIN_TOKEN",
    type: "string",
    required: true,
    pattern: "^\\S{16,}$",
    secret: true,
    description: "Bearer token with every permission on the API (at least 16 characters)",
    example: "$(openssl rand -hex 24)",
  },
  apiPort: {
    env: "API_PORT",
    type: "integer",
    default: 3000,
    minimum: 0,
    maximum: 65535,
    description: "API listener (0 = any free port)",
  },
  edgePort: {
    env: "EDGE_PORT",
    type: "integer",
    default: 8080,
    minimum: 0,
    maximum: 65535,
    description: "Link/email edge listener (0 = any free port)",
  },
  edgeRateLimitPerMinute: {
    env: "EDGE_RATE_LIMIT_PER_MINUTE",
    type: "integer",
    default: 60,
    minimum: 1,
    maximum: 100_000,
    description:
      "Requests per client address and minute the edge answers, counted in Redis across every replica (not limited while Redis is down)",
  },
  edgeTrustedProxies: {
    env: "EDGE_TRUSTED_PROXIES",
    type: "integer",
    default: 0,
    minimum: 0,
    maximum: 10,
    description:
      "Reverse proxies in front of the edge whose X-Forwarded-For is believed (0 = use the socket address)",
  },
  healthPort: {
    env: "HEALTH_PORT",
    type: "integer",
    default: 9090,
    minimum: 0,
    maximum: 65535,
    description:
      "/healthz, /readyz and /metrics of a worker run alone, and of `npm start` (0 = any free port)",
  },
  host: {
    env: "HOST",
    type: "string",
    // Loopback unless asked: `npm start` and a worker run by hand are not reachable from the
    // network. The image sets HOST=0.0.0.0 (deploy/Dockerfile), as pods need.
    default: "127.0.0.1",
    description: "Address the HTTP listeners bind to (the image sets 0.0.0.0)",
  },
  linkBaseUrl: {
    env: "LINK_BASE_URL",
    type: "url",
    default: "http://localhost:8080/",
    description: "Base of opt-out links in tags",
  },
  emailTokenSecret: {
    env: "EMAIL_TOKEN_SECRET",
    type: "string",
    required: true,
    pattern: "^\\S{16,}$",
    secret: true,
    description: "HMAC key for one-click email tokens (at least 16 characters)",
  },
  erasureHashSecret: {
    env: "ERASURE_HASH_SECRET",
    type: "string",
    required: true,
    pattern: "^\\S{16,}$",
    secret: true,
    description:
      "HMAC key of erased identifiers (at least 16 characters): an erased person stays suppressed under the keyed hash of their identifier. Never change it: erased people would become reachable",
  },
  webhookAllowPrivateNetworks: {
    env: "WEBHOOK_ALLOW_PRIVATE_NETWORKS",
    type: "boolean",
    default: false,
    description: "Allow webhook URLs on loopback/private addresses",
  },
  webhookConcurrency: {
    env: "WEBHOOK_CONCURRENCY",
    type: "integer",
    default: 256,
    minimum: 1,
    maximum: 10_000,
    description:
      "Webhook deliveries a webhook-dispatch process makes at once (each holds its job unacked); the inbound workers' window is MAX_IN_FLIGHT",
  },
  webhookMaxAttempts: {
    env: "WEBHOOK_MAX_ATTEMPTS",
    type: "integer",
    default: 12,
    minimum: 1,
    maximum: 100,
    description:
      "Delivery attempts of a webhook (backoff from 2 s doubling to 10 min: about 40 min in all at 12) before it is dead-lettered",
  },
  webhookTimeoutMs: {
    env: "WEBHOOK_TIMEOUT_MS",
    type: "integer",
    default: 10_000,
    minimum: 100,
    maximum: 120_000,
    description: "How long one webhook POST may take (connect to last response byte)",
  },
  webhookJobsRetentionDays: {
    env: "WEBHOOK_JOBS_RETENTION_DAYS",
    type: "integer",
    default: 30,
    minimum: 1,
    maximum: 3650,
    description:
      "Days a finished webhook job (delivered, skipped, dead) is kept before webhook-dispatch (or optout prune) deletes it",
  },
  confirmationsRetentionDays: {
    env: "CONFIRMATIONS_RETENTION_DAYS",
    type: "integer",
    default: 30,
    minimum: 1,
    maximum: 3650,
    description:
      "Days a confirmation-SMS record is kept (never less than the account's confirmation window; decisions at least 37 days)",
  },
  bloomExpectedEntries: {
    env: "BLOOM_EXPECTED_ENTRIES",
    type: "integer",
    default: 1_000_000,
    minimum: 1000,
    description: "Opt-outs per list the Redis filter is sized for (same size for every list)",
  },
  bloomFalsePositiveRate: {
    env: "BLOOM_FALSE_POSITIVE_RATE",
    type: "number",
    default: 0.001,
    minimum: 0.000001,
    maximum: 0.5,
    description: "Target false-positive rate of the filter at the expected entries",
  },
  bloomBlocksPerEntry: {
    env: "BLOOM_BLOCKS_PER_ENTRY",
    type: "integer",
    default: 2,
    minimum: 1,
    maximum: 2,
    description:
      "Filter layout, the same in every process: 64-bit blocks each opt-out sets bits in (2: 2.05 bytes per entry at 0.1%, a second read only for the ~3% whose first block matches; 1: 2.95 bytes, one read)",
  },
  maxDeliveries: {
    env: "MAX_DELIVERIES",
    type: "integer",
    default: 10,
    minimum: 1,
    maximum: 1000,
    description: "Deliveries of an inbound message before it is dead-lettered",
  },
  ackWaitMs: {
    env: "ACK_WAIT_MS",
    type: "integer",
    default: 30_000,
    minimum: 1000,
    description: "How long JetStream waits for an ack before redelivering",
  },
  maxInFlight: {
    env: "MAX_IN_FLIGHT",
    type: "integer",
    default: 1024,
    minimum: 1,
    maximum: 10_000,
    description: "Messages a worker holds unacked at once",
  },
  importThreads: {
    env: "IMPORT_THREADS",
    type: "integer",
    default: 0,
    minimum: 0,
    maximum: 256,
    description: "Worker threads normalizing bulk imports (0 = one per available CPU)",
  },
  logLevel: {
    env: "LOG_LEVEL",
    type: "string",
    default: "info",
    pattern: "^(fatal|error|warn|info|debug|trace|silent)$",
    description: "pino log level",
  },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** The NATS credential and TLS fields: every process that connects to NATS reads all of them. */
export const NATS_SECURITY_FIELDS = [
  "natsUser",
  "natsPassword",
  "natsToken",
  "natsNkeySeed",
  "natsNkeySeedFile",
  "natsCredsFile",
  "natsTlsCaFile",
  "natsTlsCertFile",
  "natsTlsKeyFile",
] as const satisfies readonly FieldName[];
