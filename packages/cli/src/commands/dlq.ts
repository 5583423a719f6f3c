/**
 * `optout dlq list | show | replay`: the dead letters of an installation (see @optout/bus
 * dead-letters.ts for what is read and how a replay stays harmless when repeated).
 */
import {
  getDeadLetter,
  listDeadLetters,
  replayDeadLetters,
  type DeadLetterDetail,
  type DeadLetterFilter,
  type DeadLetterSummary,
  type ReplayProgress,
  type ReplayReport,
  type ReplaySelection,
} from "@optout/bus";
import {
  EXIT,
  UsageError,
  parseTime,
  positiveInteger,
  stringOption,
  type Command,
  type CommandGroup,
  type ExitCode,
  type OptionsConfig,
  type Output,
  type ParsedArgs,
} from "../command.js";
import { json, shorten, table } from "../format.js";

const DEFAULT_LIST_LIMIT = 50;
/** Progress lines on stderr during a replay: at most one per interval. */
const PROGRESS_INTERVAL_MS = 1_000;
const REASON_COLUMN_CHARS = 100;

const FILTER_OPTIONS = {
  subject: { type: "string" },
  reason: { type: "string" },
  account: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  limit: { type: "string" },
} as const satisfies OptionsConfig;

const FILTER_HELP = `Filters (all optional, combined with AND):
  --subject <s>    original subject, with or without the namespace: inbound.sms, optout.inbound.*
  --reason <r>     reason contains this text (case-insensitive), e.g. UNKNOWN_ACCOUNT
  --account <id>   the body's accountId (link clicks carry none)
  --since <t>      dead-lettered at or after <t>; --until <t>: at or before
                   <t>: 2026-11-26T10:00:00Z, 2026-11-26 (UTC), or a duration ago: 30m, 2h, 7d`;

function filterFrom(args: ParsedArgs): DeadLetterFilter {
  const filter: DeadLetterFilter = {};
  const subject = stringOption(args, "subject");
  const reason = stringOption(args, "reason");
  const account = stringOption(args, "account");
  const since = stringOption(args, "since");
  const until = stringOption(args, "until");
  if (subject !== undefined) filter.subject = subject;
  if (reason !== undefined) filter.reason = reason;
  if (account !== undefined) filter.accountId = account;
  if (since !== undefined) filter.since = parseTime(since, "--since");
  if (until !== undefined) filter.until = parseTime(until, "--until");
  if (filter.since && filter.until && filter.since > filter.until)
    throw new UsageError("--since is after --until");
  return filter;
}

// ---- list -------------------------------------------------------------------------------------

function listTable(items: DeadLetterSummary[]): string {
  return table([
    ["SEQ", "DEAD-LETTERED", "SUBJECT", "ACCOUNT", "REASON"],
    ...items.map((i) => [
      String(i.seq),
      i.deadLetteredAt,
      i.subject ?? "-",
      i.accountId ?? "-",
      shorten(i.reason, REASON_COLUMN_CHARS),
    ]),
  ]);
}

const list: Command = {
  name: "list",
  summary: "list dead letters, oldest first, with filters",
  help: `usage: optout dlq list [filters] [--after <seq>] [--limit <n>] [--json]

List dead letters, oldest first: sequence, time, original subject, account, reason.

${FILTER_HELP}
  --limit <n>      at most n dead letters (default ${DEFAULT_LIST_LIMIT})
  --after <seq>    start after this dead-letter sequence (the "next" of the previous page)
  --json           {items, next, hasMore} on stdout; pass next as --after for the next page

Exit code 3 when nothing matches.
`,
  options: { ...FILTER_OPTIONS, after: { type: "string" } },
  async run(args, { out, bus }) {
    const filter = filterFrom(args);
    const limitText = stringOption(args, "limit");
    const afterText = stringOption(args, "after");
    const limit = limitText === undefined ? DEFAULT_LIST_LIMIT : positiveInteger(limitText, "--limit");
    const after = afterText === undefined ? 0 : positiveInteger(afterText, "--after");
    const page = await listDeadLetters(await bus(), { ...filter, limit, after });
    if (args.values.json) {
      json(out, { items: page.items, next: page.last, hasMore: page.hasMore });
    } else if (page.items.length > 0) {
      out.stdout(listTable(page.items));
    }
    if (page.items.length === 0 && !args.values.json) out.stderr("no dead letters match\n");
    if (page.hasMore && !args.values.json) out.stderr(`more may follow: add --after ${page.last}\n`);
    return page.items.length === 0 ? EXIT.NOTHING_MATCHED : EXIT.OK;
  },
};

// ---- show -------------------------------------------------------------------------------------

function showText(letter: DeadLetterDetail): string {
  const original =
    letter.stream !== null || letter.msgId !== null
      ? `stream ${letter.stream ?? "?"} seq ${letter.streamSeq ?? "?"}, Nats-Msg-Id ${letter.msgId ?? "-"}`
      : "-";
  const lines = [
    `seq:            ${letter.seq}`,
    `dead-lettered:  ${letter.deadLetteredAt}`,
    `subject:        ${letter.subject ?? "-"}`,
    `reason:         ${letter.reason}`,
    `original:       ${original}`,
    `account:        ${letter.accountId ?? "-"}`,
    "",
    "headers:",
    ...Object.entries(letter.headers).flatMap(([k, values]) => values.map((v) => `  ${k}: ${v}`)),
    "",
    `body (${letter.body.encoding}, ${letter.size} bytes):`,
    letter.body.encoding === "json" ? JSON.stringify(letter.body.value, null, 2) : letter.body.value,
  ];
  return `${lines.join("\n")}\n`;
}

const show: Command = {
  name: "show",
  summary: "show one dead letter: headers, reason, body",
  help: `usage: optout dlq show <seq> [--json]

Show the dead letter with this sequence: reason, original subject, stream, sequence and
Nats-Msg-Id, every header, and the body (JSON pretty-printed, else text, else base64).

  --json   the dead letter as one JSON object

Exit code 3 when there is no dead letter with this sequence (replayed, deleted or expired).
`,
  options: {},
  positionals: true,
  async run(args, { out, bus }) {
    if (args.positionals.length !== 1) throw new UsageError("give exactly one dead-letter sequence");
    const seq = positiveInteger(args.positionals[0]!, "the sequence");
    const letter = await getDeadLetter(await bus(), seq);
    if (!letter) {
      out.stderr(`no dead letter with sequence ${seq} (replayed, deleted or expired)\n`);
      return EXIT.NOTHING_MATCHED;
    }
    if (args.values.json) json(out, letter);
    else out.stdout(showText(letter));
    return EXIT.OK;
  },
};

// ---- replay -----------------------------------------------------------------------------------

function replaySelection(args: ParsedArgs): ReplaySelection {
  const filtered = Object.keys(FILTER_OPTIONS).filter((k) => args.values[k] !== undefined);
  if (args.values["all-matching"]) {
    if (args.positionals.length > 0) throw new UsageError("give sequences or --all-matching, not both");
    const limit = stringOption(args, "limit");
    return {
      filter: filterFrom(args),
      ...(limit === undefined ? {} : { limit: positiveInteger(limit, "--limit") }),
    };
  }
  if (filtered.length > 0)
    throw new UsageError(
      `--${filtered[0]} selects dead letters only with --all-matching (so that a typo cannot replay everything)`,
    );
  if (args.positionals.length === 0)
    throw new UsageError("give the sequences to replay, or --all-matching with filters");
  return { seqs: args.positionals.map((p) => positiveInteger(p, "a sequence")) };
}

function progressReporter(out: Output): (p: ReplayProgress) => void {
  let last = performance.now();
  return (p) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    out.stderr(`${p.done} handled: ${p.replayed} replayed, ${p.skipped} skipped, ${p.failed} failed\n`);
  };
}

function replayText(report: ReplayReport): string {
  const rows = report.items.map((i) => [String(i.seq), i.subject ?? "-", i.outcome, i.message ?? ""]);
  const lines = rows.length > 0 ? table([["SEQ", "SUBJECT", "OUTCOME", "NOTE"], ...rows]) : "";
  const omitted = report.itemsOmitted > 0 ? `(${report.itemsOmitted} more not listed)\n` : "";
  const summary = report.dryRun
    ? `dry run: ${report.matched} matched, ${report.wouldReplay} would be replayed, ${report.skipped} skipped; nothing was published or deleted\n`
    : `${report.matched} matched: ${report.replayed} replayed${report.keep ? " (dead letters kept)" : ""}, ${report.skipped} skipped, ${report.failed} failed\n`;
  return lines + omitted + summary;
}

const replay: Command = {
  name: "replay",
  summary: "publish dead letters to their original subject again",
  help: `usage: optout dlq replay <seq>... [--dry-run] [--keep] [--json]
       optout dlq replay --all-matching [filters] [--limit <n>] [--dry-run] [--keep] [--json]

Publish each dead letter's body to the subject it was first published to, with its original
headers (without the Optout-Dlq-* ones) plus Optout-Replay-Of: <seq>, then delete the dead
letter once the publish is stored. Fix the cause first (create the account...): a message that
fails again is dead-lettered again, with a new sequence.

Repeating a replay is harmless: its Nats-Msg-Id is replay:<dlq stream>:<seq> (one message per
dead letter within the duplicate window) and the workers record each source message id once.
Dead letters are replayed one at a time, in order. Progress goes to stderr.

  --all-matching   replay every dead letter passing the filters (no filter: all of them)
${FILTER_HELP.split("\n").slice(1).join("\n")}
  --limit <n>      with --all-matching: at most n dead letters
  --dry-run        list what would be replayed; publish and delete nothing
  --keep           keep the dead letters after replaying them
  --json           the report {dryRun, keep, matched, replayed, wouldReplay, skipped, failed, items, itemsOmitted}

Exit code 1 when a publish failed (those dead letters stay), 3 when nothing matched.
`,
  options: {
    ...FILTER_OPTIONS,
    "all-matching": { type: "boolean" },
    "dry-run": { type: "boolean" },
    keep: { type: "boolean" },
  },
  positionals: true,
  async run(args, { out, bus }): Promise<ExitCode> {
    const selection = replaySelection(args);
    const report = await replayDeadLetters(await bus(), selection, {
      dryRun: args.values["dry-run"] === true,
      keep: args.values.keep === true,
      onProgress: progressReporter(out),
    });
    if (args.values.json) json(out, report);
    else out.stdout(replayText(report));
    if (report.failed > 0) return EXIT.FAILURE;
    return report.matched === 0 ? EXIT.NOTHING_MATCHED : EXIT.OK;
  },
};

export const dlqCommands: CommandGroup = {
  name: "dlq",
  summary: "dead letters: list, show, replay",
  commands: [list, show, replay],
};
