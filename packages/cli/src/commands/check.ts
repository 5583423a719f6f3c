/**
 * `optout check`: ask the running suppression-check workers (`<ns>.check`), exactly as a campaign
 * sender does, whether recipients are suppressed. The answer is the product's own (filter,
 * Postgres fallback, bypass groups, normalization), not a re-implementation: a worker must be
 * running. Large inputs go in requests of `--batch` recipients, a few in flight at a time.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { RequestError, TimeoutError } from "@nats-io/nats-core";
import { ERROR_CODES } from "@optout/core";
import { isChannel, CHANNEL_NAMES } from "@optout/domain";
import {
  expandCheckReply,
  MAX_CHECK_RECIPIENTS,
  type CheckReply,
  type CheckRequest,
  type CheckResult,
  type ErrorReply,
} from "@optout/schemas";
import {
  EXIT,
  UsageError,
  positiveInteger,
  stringOption,
  type Command,
  type CommandGroup,
  type ExitCode,
} from "../command.js";
import { table } from "../format.js";
import { createProgress } from "../progress.js";

export const DEFAULT_CHECK_BATCH = 1_000;
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;
/** Requests in flight at once: enough to keep a few responders busy, bounded memory. */
const CHECK_CONCURRENCY = 4;

const encoder = new TextEncoder();

/** The recipients named on the command line, then those of the file (one per line). */
async function readRecipients(positionals: string[], file: string | undefined): Promise<string[]> {
  const recipients = positionals.map((r) => r.trim()).filter(Boolean);
  if (file === undefined) return recipients;
  const input = file === "-" ? process.stdin : createReadStream(file, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    if (file === "-") resolve();
    else input.once("open", () => resolve()).once("error", reject);
  });
  try {
    await opened;
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    const r = line.trim();
    if (r) recipients.push(r);
  }
  return recipients;
}

/** A typed failure of the check service, mapped to the exit code a script can branch on. */
class CheckRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request was wrong (a country, a group id): the command line's fault. */
const BAD_REQUEST_CODES = new Set<string>([
  ERROR_CODES.INVALID_PAYLOAD,
  ERROR_CODES.MALFORMED_REQUEST,
  ERROR_CODES.TOO_MANY_RECIPIENTS,
]);

function exitFor(code: string): ExitCode {
  if (code === ERROR_CODES.UNKNOWN_ACCOUNT) return EXIT.NOTHING_MATCHED;
  if (BAD_REQUEST_CODES.has(code)) return EXIT.USAGE;
  return EXIT.FAILURE;
}

export interface CheckSummary {
  total: number;
  suppressed: number;
  invalid: number;
}

const check: Command = {
  name: "check",
  summary: "are these recipients suppressed? (asks the suppression-check workers)",
  help: `usage: optout check --account <id> --channel <${CHANNEL_NAMES.join("|")}> [<recipient>...] [--file <path>|-]
                    [--country <CC>] [--category promotional|transactional] [--group <id>]...
                    [--batch <n>] [--timeout <ms>] [--json]

Asks ${"`<namespace>.check`"} what a campaign sender would be told: per recipient whether it is
suppressed and why (opted_out, not_opted_out, transactional, bypass_group, invalid_recipient),
with the normalized identifier and the opt-out date. A suppression-check worker must be running.

Options:
  --account <id>        the sending account (its list, default country and bypass groups)
  --channel <c>         ${CHANNEL_NAMES.join(" or ")}
  --file <path>         more recipients, one per line ("-": standard input)
  --country <CC>        for national phone numbers (default: the account's)
  --category <c>        promotional (default) or transactional (never suppressed)
  --group <id>          a group of the campaign (repeat); its bypass flag applies
  --batch <n>           recipients per request (default ${DEFAULT_CHECK_BATCH}, at most ${MAX_CHECK_RECIPIENTS})
  --timeout <ms>        per request (default ${DEFAULT_CHECK_TIMEOUT_MS})
  --json                {"results": [...], "summary": {total, suppressed, invalid}}, results in input order

Exit: 0 answered (whatever the answers), 2 a bad request, 3 unknown account, 1 no worker
answering or another failure. Progress on stderr for more than one request.

Environment: NATS_URL, OPTOUT_NAMESPACE (and NATS credentials).

Example: optout check --account acme-nl --channel sms +31612345678 "06 1234 5679"
`,
  options: {
    account: { type: "string" },
    channel: { type: "string" },
    file: { type: "string" },
    country: { type: "string" },
    category: { type: "string" },
    group: { type: "string", multiple: true },
    batch: { type: "string" },
    timeout: { type: "string" },
  },
  positionals: true,
  async run(args, { out, bus, nats }) {
    const accountId = stringOption(args, "account");
    const channel = stringOption(args, "channel");
    if (!accountId) throw new UsageError("--account is required");
    if (!channel || !isChannel(channel))
      throw new UsageError(`--channel must be one of ${CHANNEL_NAMES.join(", ")}`);
    const category = stringOption(args, "category");
    if (category !== undefined && category !== "promotional" && category !== "transactional")
      throw new UsageError("--category must be promotional or transactional");
    const batch = positiveInteger(stringOption(args, "batch") ?? String(DEFAULT_CHECK_BATCH), "--batch");
    if (batch > MAX_CHECK_RECIPIENTS) throw new UsageError(`--batch is at most ${MAX_CHECK_RECIPIENTS}`);
    const timeout = positiveInteger(
      stringOption(args, "timeout") ?? String(DEFAULT_CHECK_TIMEOUT_MS),
      "--timeout",
    );
    const groups = (args.values.group as unknown as string[] | undefined) ?? [];
    const country = stringOption(args, "country");
    const recipients = await readRecipients(args.positionals, stringOption(args, "file"));
    if (recipients.length === 0) throw new UsageError("no recipients: name them, or pass --file");

    const { names } = await bus();
    const nc = await nats();
    const base: Omit<CheckRequest, "recipients"> = {
      accountId,
      channel,
      ...(country === undefined ? {} : { country }),
      ...(category === undefined ? {} : { category: category as CheckRequest["category"] }),
      ...(groups.length ? { groupIds: groups } : {}),
    };
    const ask = async (part: string[]): Promise<CheckResult[]> => {
      let reply: CheckReply | ErrorReply;
      try {
        const msg = await nc.request(
          names.subjects.check,
          encoder.encode(JSON.stringify({ ...base, recipients: part })),
          {
            timeout,
          },
        );
        reply = msg.json<CheckReply | ErrorReply>();
      } catch (err) {
        if ((err instanceof RequestError && err.isNoResponders()) || err instanceof TimeoutError) {
          const why = err instanceof TimeoutError ? `no answer within ${timeout} ms` : "no worker answers";
          throw new CheckRefused(
            ERROR_CODES.DEPENDENCY_UNAVAILABLE,
            `${why} on ${names.subjects.check}: is suppression-check running for namespace "${names.namespace}"?`,
          );
        }
        throw err;
      }
      if ("error" in reply)
        throw new CheckRefused(reply.error.code, `${reply.error.code}: ${reply.error.message}`);
      return expandCheckReply(part, reply).results;
    };

    const parts: string[][] = [];
    for (let i = 0; i < recipients.length; i += batch) parts.push(recipients.slice(i, i + batch));
    const answers: CheckResult[][] = new Array<CheckResult[]>(parts.length);
    const progress = createProgress(out, { label: "check", unit: "recipients" });
    let done = 0;
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: Math.min(CHECK_CONCURRENCY, parts.length) }, async () => {
          while (next < parts.length) {
            const index = next++;
            answers[index] = await ask(parts[index]!);
            done += parts[index]!.length;
            if (parts.length > 1) progress.update(done, done / recipients.length);
          }
        }),
      );
    } catch (err) {
      if (!(err instanceof CheckRefused)) throw err;
      out.stderr(`optout: check: ${err.message}\n`);
      return exitFor(err.code);
    }
    const results = answers.flat();
    const summary: CheckSummary = {
      total: results.length,
      suppressed: results.filter((r) => r.suppressed).length,
      invalid: results.filter((r) => r.reason === "invalid_recipient").length,
    };
    if (parts.length > 1)
      progress.finish(
        `check: ${summary.total} recipients, ${summary.suppressed} suppressed, ${summary.invalid} invalid`,
      );
    if (args.values.json) {
      // One result per line: a large answer stays readable and is written as it is built.
      out.stdout(
        `{"results": [\n${results.map((r) => `  ${JSON.stringify(r)}`).join(",\n")}\n],\n"summary": ${JSON.stringify(summary)}}\n`,
      );
    } else {
      out.stdout(
        table([
          ["RECIPIENT", "IDENTIFIER", "SUPPRESSED", "REASON", "SINCE"],
          ...results.map((r) => [
            r.recipient,
            r.identifier ?? "-",
            r.suppressed ? "yes" : "no",
            r.reason,
            r.since ?? "-",
          ]),
        ]),
      );
    }
    return EXIT.OK;
  },
};

export const checkCommands: CommandGroup = {
  name: "check",
  summary: "are recipients suppressed? (asks the suppression-check workers, like a sender)",
  commands: [check],
};
