/**
 * `optout evidence export`: every opt-out and opt-in of an account's list for one channel in a
 * time range, with how it came and the evidence kept, as CSV or NDJSON: the rows of
 * GET /v1/accounts/{id}/evidence (@optout/store evidence.ts defines both), streamed from one
 * snapshot to stdout or a file.
 */
import { CHANNEL_NAMES, isChannel, resolveScope } from "@optout/domain";
import { EVIDENCE_CSV_HEADER, evidenceCsvLine, evidenceNdjsonLine, streamEvidence } from "@optout/store";
import {
  EXIT,
  UsageError,
  stringOption,
  type Command,
  type CommandGroup,
  type ParsedArgs,
} from "../command.js";
import { formatOf, OUTPUT_HELP, requireAccountFor, runExport } from "./export.js";

/** An RFC 3339 instant (a bare date is midnight UTC), as ISO; undefined when the option is absent. */
function instantOption(args: ParsedArgs, name: string): string | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms))
    throw new UsageError(
      `--${name} must be a date or an RFC 3339 instant, e.g. 2026-11-01 or 2026-11-01T00:00:00Z`,
    );
  return new Date(ms).toISOString();
}

const exportEvidence: Command = {
  name: "export",
  summary: "an account's opt-outs and opt-ins in a time range with their evidence (CSV/NDJSON)",
  help: `usage: optout evidence export --account <id> --channel <${CHANNEL_NAMES.join("|")}> [--from <instant>] [--to <instant>]
                              [--format ndjson|csv] [--output <file>]

Every opt-out and opt-in recorded on the account's list (its organization's list, or its own
with listScope "account") for the channel, that occurred in [--from, --to), oldest first: when,
how (source, keyword or reason, the source's message id) and the raw evidence kept (the SMS
text, a click's user agent, the API caller, the import row). The same rows as
GET /v1/accounts/{id}/evidence: CSV columns ${EVIDENCE_CSV_HEADER.trim()}
(evidence as a JSON object); NDJSON one object per line with the same fields.

Options:
  --account <id>     the account
  --channel <c>      the channel
  --from <instant>   occurred at or after (default: the beginning)
  --to <instant>     occurred before (default: now)
${OUTPUT_HELP}

Exit: 0 written (nothing in the range is an empty export), 3 unknown account, 2 usage, 1 failure.

Environment: DATABASE_URL, DATABASE_SCHEMA.
`,
  options: {
    account: { type: "string" },
    channel: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
  },
  async run(args, context) {
    const channel = stringOption(args, "channel");
    if (!channel || !isChannel(channel))
      throw new UsageError(`--channel must be one of ${CHANNEL_NAMES.join(", ")}`);
    const from = instantOption(args, "from");
    const to = instantOption(args, "to");
    if (from !== undefined && to !== undefined && from >= to)
      throw new UsageError("--from must be before --to");
    const format = formatOf(args, stringOption(args, "output"));
    const accountId = stringOption(args, "account");
    const { pool, account } = await requireAccountFor(context, accountId);
    if (!account) {
      context.out.stderr(`optout: evidence: no account "${accountId}"\n`);
      return EXIT.NOTHING_MATCHED;
    }
    const query = {
      scope: resolveScope(account),
      channel,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    };
    return runExport(context, args, "evidence", async function* (progress, counted) {
      if (format === "csv") yield EVIDENCE_CSV_HEADER;
      let done = 0;
      for await (const chunk of streamEvidence(pool, query)) {
        done += chunk.length;
        counted(chunk.length);
        progress.update(done);
        yield chunk.map(format === "csv" ? evidenceCsvLine : evidenceNdjsonLine).join("");
      }
    });
  },
};

export const evidenceCommands: CommandGroup = {
  name: "evidence",
  summary: "compliance evidence: opt-outs and opt-ins with how they came (CSV/NDJSON)",
  commands: [exportEvidence],
};
