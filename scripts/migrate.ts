/** `npm run migrate`: create the database if missing and apply pending migrations, then exit. */
import { loadConfig } from "@optout/config";
import { createLogger } from "@optout/core";
import { createPool, ensureDatabase, migrate, redactUrl } from "@optout/store";

const config = loadConfig(["databaseUrl", "databaseSchema", "logLevel"]);
const logger = createLogger({ name: "migrate", level: config.logLevel });
try {
  const { created } = await ensureDatabase(config.databaseUrl);
  if (created) logger.info({ database: redactUrl(config.databaseUrl) }, "database created");
  const pool = createPool({ url: config.databaseUrl, schema: config.databaseSchema, max: 1, logger });
  const applied = await migrate(pool, { schema: config.databaseSchema, logger });
  await pool.end();
  process.stdout.write(
    applied.length ? `applied migrations: ${applied.join(", ")}\n` : "database is up to date\n",
  );
} catch (err) {
  process.stderr.write(`migrate failed: ${(err as Error).message}\n`);
  process.exit(1);
}
