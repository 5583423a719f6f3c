/**
 * Import contacts from a file, with the same code as POST /v1/accounts/{id}/contacts/import:
 *
 *   npm run import:contacts -- --account acme --file contacts.csv [--format csv|ndjson] [--threads 2]
 *
 * Reads DATABASE_URL, DATABASE_SCHEMA, IMPORT_THREADS and LOG_LEVEL like the services. Progress
 * goes to stderr, the summary (`{imported, failed, errors, errorsOmitted}`) to stdout as JSON.
 * Exit code 0 when the file was read to the end (even with bad rows), 1 otherwise.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadConfig } from "@optout/config";
import { ConfigError, createLogger } from "@optout/core";
import { createNormalizer, importContacts, type ImportFormat } from "@optout/address-book";
import { createPool, requireAccount } from "@optout/store";

const USAGE = "usage: npm run import:contacts -- --account <accountId> --file <contacts.csv|.ndjson> [--format csv|ndjson] [--threads N]";

function fail(message: string, code = 1): never {
  process.stderr.write(`import-contacts: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      account: { type: "string" },
      file: { type: "string" },
      format: { type: "string" },
      threads: { type: "string" },
      help: { type: "boolean" },
    },
  }).values;
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`, 64);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!args.account || !args.file) fail(USAGE, 64);
const format: ImportFormat = (args.format ?? (/\.(nd)?jsonl?$|\.ndjson$/i.test(args.file) ? "ndjson" : "csv")) as ImportFormat;
if (format !== "csv" && format !== "ndjson") fail(`--format must be csv or ndjson\n${USAGE}`, 64);
const size = (await stat(args.file).catch(() => fail(`cannot read ${args.file}`))).size;

let config;
try {
  config = loadConfig(["databaseUrl", "databaseSchema", "importThreads", "logLevel"]);
} catch (err) {
  fail((err as Error).message, err instanceof ConfigError ? 78 : 1);
}
const threads = args.threads === undefined ? config.importThreads : Number(args.threads);
if (!Number.isInteger(threads) || threads < 0) fail("--threads must be a whole number (0 = one per CPU)", 64);

// Log lines (warnings, errors) go to stderr with the progress; stdout carries only the summary.
const logger = createLogger({ name: "import-contacts", level: config.logLevel === "info" ? "warn" : config.logLevel, destination: process.stderr });
const pool = createPool({ url: config.databaseUrl, schema: config.databaseSchema, max: 2, logger, applicationName: "import-contacts" });
const normalizer = createNormalizer({ threads });
let exitCode = 0;
try {
  const account = await requireAccount(pool, args.account);
  const started = performance.now();
  const input = createReadStream(args.file, { highWaterMark: 256 * 1024 });
  const summary = await importContacts({ pool, normalizer }, account.id, {
    input,
    format,
    defaultCountry: account.defaultCountry ?? undefined,
    onProgress: (p) => {
      const seconds = (performance.now() - started) / 1000;
      const percent = size > 0 ? ` ${Math.min(100, Math.round((input.bytesRead / size) * 100))}%` : "";
      process.stderr.write(`${p.rows} rows${percent}: ${p.imported} imported, ${p.failed} failed, ${Math.round(p.rows / seconds)} rows/s\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `done in ${seconds.toFixed(1)} s: ${summary.imported} imported, ${summary.failed} failed (${normalizer.threads} thread(s), ${Math.round((summary.imported + summary.failed) / seconds)} rows/s)\n`,
  );
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} catch (err) {
  process.stderr.write(`import-contacts: ${(err as Error).message}\n`);
  exitCode = 1;
} finally {
  await normalizer.close();
  await pool.end();
}
process.exit(exitCode);
