/**
 * `optout import contacts | optouts`: a file into an account's address book or opt-out list,
 * with the same code as the API's import routes (@optout/address-book: streaming parser,
 * normalization on a piscina pool, batched writes, a report per bad row). Opt-outs are recorded
 * by the recorder, as the workers record them: events, state, Redis filter, change feed and
 * webhooks.
 */
import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { loadConfig } from "@optout/config";
import { resolveScope } from "@optout/domain";
import { createRecorder } from "@optout/recorder";
import { getAccount, type Account, type Pool } from "@optout/store";
import {
  createNormalizer,
  importContacts,
  importOptouts,
  ImportInterruptedError,
  type ContactImportSummary,
  type ImportFormat,
  type ImportOptions,
  type ImportProgress,
  type OptoutImportSummary,
} from "@optout/address-book";
import {
  EXIT,
  UsageError,
  stringOption,
  type Command,
  type CommandContext,
  type CommandGroup,
  type ExitCode,
  type ParsedArgs,
} from "../command.js";
import { json } from "../format.js";
import { createProgress, formatDuration } from "../progress.js";
import { cliLogger } from "../stores.js";

/** Progress callbacks from the importer: every this many rows (a batch or two). */
const PROGRESS_EVERY_ROWS = 5_000;
/** Read-ahead of the file; the importer pulls at its own pace. */
const READ_CHUNK_BYTES = 256 * 1024;

const COMMON_HELP = `Options:
  --account <id>     the account (must exist: PUT /v1/accounts/{id})
  --file <path>      the file; "-" reads standard input
  --format <f>       csv or ndjson (default: from the file name, .ndjson/.jsonl = ndjson, else csv)
  --threads <n>      normalization threads (default IMPORT_THREADS; 0 = one per CPU)
  --json             print the report as JSON

Bad rows do not stop an import: each is reported (line, value, reason; the first 1,000 listed,
all counted) and every good row is imported. Running the same file again is harmless. Progress
goes to stderr (a bar on a terminal).

Exit: 0 every row imported, 4 done but some rows refused (listed), 3 unknown account,
2 bad arguments, 1 the import stopped (the report says up to which line it was written).`;

interface ImportArgs {
  accountId: string;
  file: string;
  format: ImportFormat;
  threads: number | undefined;
}

function importArgs(args: ParsedArgs): ImportArgs {
  const accountId = stringOption(args, "account");
  const file = stringOption(args, "file");
  if (!accountId) throw new UsageError("--account is required");
  if (!file) throw new UsageError('--file is required ("-" for standard input)');
  const format = stringOption(args, "format") ?? (/\.(ndjson|jsonl)$/i.test(file) ? "ndjson" : "csv");
  if (format !== "csv" && format !== "ndjson") throw new UsageError("--format must be csv or ndjson");
  const threadsText = stringOption(args, "threads");
  if (threadsText !== undefined && !/^[0-9]{1,3}$/.test(threadsText))
    throw new UsageError(`--threads must be a whole number (0 = one per CPU), not "${threadsText}"`);
  return { accountId, file, format, threads: threadsText === undefined ? undefined : Number(threadsText) };
}

/** The file as a stream, and its size for the progress bar (none for standard input). */
async function openInput(
  file: string,
): Promise<{ input: NodeJS.ReadableStream; size: number | undefined; read(): number }> {
  if (file === "-") return { input: process.stdin, size: undefined, read: () => 0 };
  const info = await stat(file).catch((err: Error) => {
    throw new UsageError(`cannot read ${file}: ${err.message}`);
  });
  if (!info.isFile()) throw new UsageError(`${file} is not a file`);
  const input: ReadStream = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  return { input, size: info.size, read: () => input.bytesRead };
}

type Summary = ContactImportSummary | OptoutImportSummary;

/** Everything both imports share: arguments, account, threads, progress, report and exit code. */
async function runImport(
  kind: "contacts" | "optouts",
  args: ParsedArgs,
  context: CommandContext,
  work: (deps: {
    pool: Pool;
    account: Account;
    options: ImportOptions;
    normalizer: ReturnType<typeof createNormalizer>;
  }) => Promise<Summary>,
): Promise<ExitCode> {
  const { out } = context;
  const parsed = importArgs(args);
  const { importThreads } = loadConfig(["importThreads"], context.env);
  const source = await openInput(parsed.file);
  const pool = await context.pool();
  const account = await getAccount(pool, parsed.accountId);
  if (!account) {
    out.stderr(`optout: import: no account "${parsed.accountId}": create it first (PUT /v1/accounts/{id})\n`);
    return EXIT.NOTHING_MATCHED;
  }
  const normalizer = createNormalizer({ threads: parsed.threads ?? importThreads });
  const progress = createProgress(out, { label: `import ${kind}`, unit: "rows" });
  const started = performance.now();
  const options: ImportOptions = {
    input: source.input as AsyncIterable<Uint8Array>,
    format: parsed.format,
    defaultCountry: account.defaultCountry ?? undefined,
    progressEveryRows: PROGRESS_EVERY_ROWS,
    logger: cliLogger(context.env),
    onProgress: (p: ImportProgress) =>
      progress.update(
        p.rows,
        source.size ? source.read() / source.size : undefined,
        `${p.imported} imported, ${p.failed} failed`,
      ),
  };
  let summary: Summary;
  try {
    summary = await work({ pool, account, options, normalizer });
  } catch (err) {
    if (!(err instanceof ImportInterruptedError)) throw err;
    progress.finish(`import ${kind}: stopped`);
    out.stderr(`optout: import: ${err.message}\n`);
    if (args.values.json) json(out, { interrupted: true, code: err.code, ...err.report });
    return EXIT.FAILURE;
  } finally {
    await normalizer.close();
  }
  const ms = performance.now() - started;
  const duplicates = "duplicates" in summary ? `, ${summary.duplicates} already there` : "";
  const rows = summary.imported + summary.failed + ("duplicates" in summary ? summary.duplicates : 0);
  progress.finish(
    `import ${kind}: ${rows} rows in ${formatDuration(ms)}: ${summary.imported} imported${duplicates}, ${summary.failed} failed (${normalizer.threads} thread(s))`,
  );
  if (args.values.json) json(out, summary);
  else {
    out.stdout(`imported ${summary.imported}${duplicates}, failed ${summary.failed}\n`);
    for (const e of summary.errors)
      out.stdout(`line ${e.row}: ${e.reason}${e.value ? ` (${JSON.stringify(e.value)})` : ""}\n`);
    if (summary.errorsOmitted > 0) out.stdout(`... and ${summary.errorsOmitted} more errors\n`);
  }
  return summary.failed > 0 ? EXIT.PARTIAL : EXIT.OK;
}

const IMPORT_OPTIONS = {
  account: { type: "string" },
  file: { type: "string" },
  format: { type: "string" },
  threads: { type: "string" },
} as const;

const contacts: Command = {
  name: "contacts",
  summary: "upsert contacts (and their groups) from CSV or NDJSON",
  help: `usage: optout import contacts --account <id> --file <path>|- [--format csv|ndjson] [--threads <n>] [--json]

Upserts the account's contacts, like POST /v1/accounts/{id}/contacts/import. CSV has the header
id,phone,email,groups (groups separated by ";", other columns kept as fields); NDJSON one
{"id", "phone", "email", "groups", "fields"} per line. Groups are created when missing.

${COMMON_HELP}

Environment: DATABASE_URL, DATABASE_SCHEMA, IMPORT_THREADS.
`,
  options: IMPORT_OPTIONS,
  run: (args, context) =>
    runImport("contacts", args, context, ({ pool, account, options, normalizer }) =>
      importContacts({ pool, normalizer }, account.id, options),
    ),
};

const optouts: Command = {
  name: "optouts",
  summary: "record an existing suppression list (opt-outs) from CSV or NDJSON",
  help: `usage: optout import optouts --account <id> --file <path>|- [--format csv|ndjson] [--threads <n>] [--json]

Records opt-outs in the account's list, like POST /v1/accounts/{id}/optouts/import: CSV with the
header channel,identifier,date,reason (date and reason optional), or NDJSON objects with those
keys. Each row becomes an "import" event (identifiers normalized as everywhere); the state, the
Redis filter, the change feed and webhooks follow as for any opt-out. A row already imported
(same channel, identifier and date) is counted as "already there", not recorded twice.
"optout export optouts --format csv" writes this format.

${COMMON_HELP}

Environment: DATABASE_URL, DATABASE_SCHEMA, REDIS_URL, BLOOM_*, NATS_URL, OPTOUT_NAMESPACE, IMPORT_THREADS.
`,
  options: IMPORT_OPTIONS,
  run: (args, context) =>
    runImport("optouts", args, context, async ({ pool, account, options, normalizer }) => {
      const [filter, { js, names }] = await Promise.all([context.filter(), context.bus()]);
      const recorder = createRecorder({
        pool,
        filter,
        js,
        names,
        logger: cliLogger(context.env),
        getAccount: (id) => getAccount(pool, id),
      });
      return importOptouts(
        { normalizer, record: (events) => recorder.record(events) },
        { accountId: account.id, scope: resolveScope(account) },
        options,
      );
    }),
};

export const importCommands: CommandGroup = {
  name: "import",
  summary: "import contacts or opt-outs from CSV/NDJSON files",
  commands: [contacts, optouts],
};
