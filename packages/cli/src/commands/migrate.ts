/**
 * `optout migrate`: the one step that needs DDL, CREATEDB and JetStream admin rights. Creates
 * the database if missing, applies pending migrations (no statement timeout, under the advisory
 * lock, so a second run waits and then finds nothing to do) and creates missing streams. In
 * Kubernetes it runs as a Job before a rollout; workers there run with MIGRATE_ON_START=false
 * and wait (readiness 503) until the schema version they need is applied.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { loadConfig, NATS_SECURITY_FIELDS } from "@optout/config";
import { createLogger, namesFor } from "@optout/core";
import { connectNats, ensureStreams } from "@optout/bus";
import {
  appliedSchemaVersion,
  createPool,
  ensureDatabase,
  migrate,
  redactUrl,
  requiredSchemaVersion,
} from "@optout/store";
import { EXIT, type Command, type CommandGroup } from "../command.js";

const FIELDS = [
  "databaseUrl",
  "databaseSchema",
  "natsUrl",
  ...NATS_SECURITY_FIELDS,
  "namespace",
  "streamReplicas",
  "logLevel",
] as const;

export interface MigrateReport {
  databaseCreated: boolean;
  applied: number[];
  schemaVersion: number;
  streams: "ensured" | "skipped";
}

const migrateCommand: Command = {
  name: "migrate",
  summary: "create the database, apply migrations, create the streams (a Kubernetes Job before a rollout)",
  help: `usage: optout migrate [--skip-streams] [--json]

Creates the database named in DATABASE_URL if it is missing (the role needs CREATEDB), applies
the pending migrations of this release in order (each in its own transaction, no statement
timeout, under an advisory lock: concurrent runs migrate once), then creates the JetStream
streams that are missing (STREAM_REPLICAS; existing streams keep what an operator set).
Safe to run again: it then does nothing.

Options:
  --skip-streams   only the database
  --json           print the report as JSON

Environment: DATABASE_URL, DATABASE_SCHEMA, NATS_URL, OPTOUT_NAMESPACE, STREAM_REPLICAS, and
the NATS credentials/TLS (NATS_USER, NATS_PASSWORD, NATS_CREDS_FILE, NATS_TLS_*...): with
deploy/nats, run it as optout-admin, the user that may create streams.
`,
  options: { "skip-streams": { type: "boolean" } },
  async run(args, { out, env }) {
    const config = loadConfig(FIELDS, env);
    // Logs go to stderr: stdout is the report a script reads.
    const logger = createLogger({
      name: "optout-migrate",
      level: config.logLevel,
      destination: process.stderr,
    });
    out.stderr(`migrate: database ${redactUrl(config.databaseUrl)} (schema ${config.databaseSchema})\n`);
    const { created } = await ensureDatabase(config.databaseUrl);
    if (created) out.stderr("migrate: database created\n");
    const pool = createPool({ url: config.databaseUrl, schema: config.databaseSchema, max: 1, logger });
    let report: MigrateReport;
    try {
      const applied = await migrate(pool, { schema: config.databaseSchema, logger });
      out.stderr(
        applied.length ? `migrate: applied ${applied.join(", ")}\n` : "migrate: schema is up to date\n",
      );
      const schemaVersion = await appliedSchemaVersion(pool, config.databaseSchema);
      report = { databaseCreated: created, applied, schemaVersion, streams: "skipped" };
      if (schemaVersion < (await requiredSchemaVersion())) {
        out.stderr(`migrate: schema version ${schemaVersion} is older than this release needs\n`);
        return EXIT.FAILURE;
      }
    } finally {
      await pool.end();
    }
    if (args.values["skip-streams"] !== true) {
      // As optout-admin (deploy/nats): the only NATS user that may create streams.
      const nc = await connectNats({
        servers: config.natsUrl,
        name: "optout-migrate",
        logger,
        security: config,
      });
      try {
        await ensureStreams(await jetstreamManager(nc), namesFor(config.namespace), {
          replicas: config.streamReplicas,
          logger,
        });
        report.streams = "ensured";
        out.stderr("migrate: streams ensured\n");
      } finally {
        await nc.drain().catch(() => undefined);
      }
    }
    out.stdout(
      args.values.json
        ? `${JSON.stringify(report)}\n`
        : `schema version ${report.schemaVersion}${report.applied.length ? ` (applied ${report.applied.join(", ")})` : ""}, streams ${report.streams}\n`,
    );
    return EXIT.OK;
  },
};

export const migrateCommands: CommandGroup = {
  name: "migrate",
  summary: "create the database, apply migrations, create the streams",
  commands: [migrateCommand],
};
