/**
 * `optout export optouts | group`: an account's opt-out list, or a group's contacts filtered by
 * it, as CSV or NDJSON to stdout or a file. Streamed from one Postgres cursor to the output with
 * backpressure: memory stays flat whatever the size, a slow pipe slows the reads.
 */
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { loadConfig } from "@optout/config";
import { csvField } from "@optout/core";
import { CHANNEL_NAMES, erasedIdentifier, isChannel, resolveScope, type Channel } from "@optout/domain";
import {
  countOptouts,
  getAccount,
  getGroup,
  streamGroupContactLines,
  streamOptoutList,
  type Pool,
} from "@optout/store";
import {
  EXIT,
  UsageError,
  stringOption,
  type Command,
  type CommandContext,
  type CommandGroup,
  type ExitCode,
  type Output,
  type ParsedArgs,
} from "../command.js";
import { createProgress, formatDuration, type Progress } from "../progress.js";

export type Format = "csv" | "ndjson";

// One CSV quoting for every export (the evidence export's columns are in @optout/store).
export { csvField };

export function formatOf(args: ParsedArgs, file: string | undefined): Format {
  const format = stringOption(args, "format") ?? (file && /\.csv$/i.test(file) ? "csv" : "ndjson");
  if (format !== "csv" && format !== "ndjson") throw new UsageError("--format must be csv or ndjson");
  return format;
}

function channelsOf(args: ParsedArgs): Channel[] {
  const channel = stringOption(args, "channel");
  if (channel === undefined) return [...CHANNEL_NAMES];
  if (!isChannel(channel)) throw new UsageError(`--channel must be one of ${CHANNEL_NAMES.join(", ")}`);
  return [channel];
}

/** stdout (as a stream when the runner gives one) or a file written beside and renamed when complete. */
async function writeOut(out: Output, file: string | undefined, chunks: AsyncIterable<string>): Promise<void> {
  if (file === undefined) {
    const sink =
      out.stdoutStream ??
      new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          out.stdout(chunk.toString());
          done();
        },
      });
    // stdout must stay open for the runner (and the process) after the export.
    await pipeline(Readable.from(chunks), sink, { end: out.stdoutStream === undefined });
    return;
  }
  // A reader of the file never sees half an export: written to a temporary name, renamed at the end.
  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.from(chunks), createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

export async function runExport(
  context: CommandContext,
  args: ParsedArgs,
  what: string,
  chunks: (progress: Progress, counted: (n: number) => void) => AsyncIterable<string>,
): Promise<ExitCode> {
  const file = stringOption(args, "output");
  const progress = createProgress(context.out, { label: `export ${what}`, unit: "rows" });
  const started = performance.now();
  let rows = 0;
  await writeOut(
    context.out,
    file,
    chunks(progress, (n) => (rows += n)),
  );
  progress.finish(
    `export ${what}: ${rows} rows in ${formatDuration(performance.now() - started)}${file ? ` to ${file}` : ""}`,
  );
  return EXIT.OK;
}

/** The workers' erased form of an identifier (ERASURE_HASH_SECRET), for the filtered group export. */
function erasedFormFrom(env: NodeJS.ProcessEnv): (identifier: string) => string {
  const { erasureHashSecret } = loadConfig(["erasureHashSecret"], env);
  return (identifier) => erasedIdentifier(erasureHashSecret, identifier);
}

export async function requireAccountFor(context: CommandContext, accountId: string | undefined) {
  if (!accountId) throw new UsageError("--account is required");
  const pool = await context.pool();
  const account = await getAccount(pool, accountId);
  return { pool, account };
}

export const OUTPUT_HELP = `  --format <f>       ndjson (default) or csv (the default when --output ends in .csv)
  --output <file>    write to this file (complete or not at all: written as <file>.partial,
                     renamed at the end) instead of standard output
Progress goes to stderr.`;

async function* optoutChunks(
  pool: Pool,
  lists: { scope: string; channel: Channel }[],
  format: Format,
  totals: number[],
  progress: Progress,
  counted: (n: number) => void,
): AsyncGenerator<string> {
  const total = totals.reduce((a, b) => a + b, 0);
  let done = 0;
  if (format === "csv") yield "channel,identifier,date,reason\n";
  for (const list of lists) {
    for await (const page of streamOptoutList(pool, list)) {
      let text = "";
      for (const r of page) {
        text +=
          format === "csv"
            ? `${list.channel},${csvField(r.identifier)},${r.since},${csvField(r.reason)}\n`
            : `${JSON.stringify({ channel: list.channel, identifier: r.identifier, status: "opted_out", since: r.since, ...(r.reason === null ? {} : { reason: r.reason }) })}\n`;
      }
      done += page.length;
      counted(page.length);
      progress.update(done, total > 0 ? done / total : undefined);
      yield text;
    }
  }
}

const optouts: Command = {
  name: "optouts",
  summary: "an account's opt-out list (per channel), as NDJSON or CSV",
  help: `usage: optout export optouts --account <id> [--channel <${CHANNEL_NAMES.join("|")}>] [--format ndjson|csv] [--output <file>]

The opt-outs of the account's list (its organization's list, or its own with listScope
"account"), one channel after the other in identifier order, as of one moment (one snapshot per
channel). NDJSON lines are {"channel", "identifier", "status": "opted_out", "since", "reason"?},
as the API's list; CSV has the header channel,identifier,date,reason, which "optout import
optouts" reads (to move a list to another account or installation).

Options:
  --account <id>     the account
  --channel <c>      one channel (default: all)
${OUTPUT_HELP}

Exit: 0 written (an empty list is an empty export), 3 unknown account, 1 failure.

Environment: DATABASE_URL, DATABASE_SCHEMA.
`,
  options: {
    account: { type: "string" },
    channel: { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
  },
  async run(args, context) {
    const channels = channelsOf(args);
    const format = formatOf(args, stringOption(args, "output"));
    const accountId = stringOption(args, "account");
    const { pool, account } = await requireAccountFor(context, accountId);
    if (!account) {
      context.out.stderr(`optout: export: no account "${accountId}"\n`);
      return EXIT.NOTHING_MATCHED;
    }
    const scope = resolveScope(account);
    const lists = channels.map((channel) => ({ scope, channel }));
    // The bar's total; counting reads the list's index once, far less than the export itself.
    const totals = await Promise.all(lists.map((l) => countOptouts(pool, l)));
    return runExport(context, args, "optouts", (progress, counted) =>
      optoutChunks(pool, lists, format, totals, progress, counted),
    );
  },
};

const group: Command = {
  name: "group",
  summary: "a group's contacts without the opted-out ones (a campaign's list), as NDJSON or CSV",
  help: `usage: optout export group --account <id> --group <id> --channel <${CHANNEL_NAMES.join("|")}> [--include-opted-out]
                           [--format ndjson|csv] [--output <file>]

The group's contacts that have an identifier for the channel, without those opted out on the
account's list (unless the contact is in a bypass group: the check's rule), as
GET /v1/accounts/{id}/groups/{id}/contacts?excludeOptedOut=true gives them. NDJSON lines are
{"id", "phone", "email"}; CSV has the header id,phone,email. A contact whose number or address
was erased (optout erase) and came back into the address book stays left out.

Options:
  --account <id>        the account
  --group <id>          the group
  --channel <c>         the campaign's channel: contacts without this identifier are left out
  --include-opted-out   the whole group, opted-out contacts included
${OUTPUT_HELP}

Exit: 0 written, 3 unknown account or group, 1 failure.

Environment: DATABASE_URL, DATABASE_SCHEMA, ERASURE_HASH_SECRET (unless --include-opted-out).
`,
  options: {
    account: { type: "string" },
    group: { type: "string" },
    channel: { type: "string" },
    "include-opted-out": { type: "boolean" },
    format: { type: "string" },
    output: { type: "string" },
  },
  async run(args, context) {
    const groupId = stringOption(args, "group");
    const channel = stringOption(args, "channel");
    if (!groupId) throw new UsageError("--group is required");
    if (!channel || !isChannel(channel))
      throw new UsageError(`--channel must be one of ${CHANNEL_NAMES.join(", ")}`);
    const format = formatOf(args, stringOption(args, "output"));
    const accountId = stringOption(args, "account");
    const { pool, account } = await requireAccountFor(context, accountId);
    if (!account) {
      context.out.stderr(`optout: export: no account "${accountId}"\n`);
      return EXIT.NOTHING_MATCHED;
    }
    if (!(await getGroup(pool, account.id, groupId))) {
      context.out.stderr(`optout: export: account "${account.id}" has no group "${groupId}"\n`);
      return EXIT.NOTHING_MATCHED;
    }
    const query = {
      accountId: account.id,
      groupId,
      channel,
      after: "",
      ...(args.values["include-opted-out"] === true
        ? {}
        : { exclude: { scope: resolveScope(account), erasedForm: erasedFormFrom(context.env) } }),
    };
    return runExport(context, args, `group ${groupId}`, async function* (progress, counted) {
      if (format === "csv") yield "id,phone,email\n";
      let done = 0;
      for await (const chunk of streamGroupContactLines(pool, query)) {
        done += chunk.count;
        counted(chunk.count);
        progress.update(done);
        if (format === "ndjson") {
          yield `${chunk.lines}\n`;
          continue;
        }
        let text = "";
        for (const line of chunk.lines.split("\n")) {
          const c = JSON.parse(line) as { id: string; phone?: string | null; email?: string | null };
          text += `${csvField(c.id)},${csvField(c.phone)},${csvField(c.email)}\n`;
        }
        yield text;
      }
    });
  },
};

export const exportCommands: CommandGroup = {
  name: "export",
  summary: "export an opt-out list or a group's filtered contacts (CSV/NDJSON, streamed)",
  commands: [optouts, group],
};
