/**
 * `optout check`: ask the running suppression-check workers (`<ns>.check`), exactly as a campaign
 * sender does, whether recipients are suppressed. The answer is the product's own (filter,
 * Postgres fallback, bypass groups, normalization), not a re-implementation: a worker must be
 * running. Large inputs go in requests of `--batch` recipients, a few in flight at a time.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createOptoutClient, type CheckQuery, type UnansweredReason } from "@optout/client";
import { DependencyUnavailableError, ERROR_CODES, OptoutError, type Names } from "@optout/core";
import { isChannel, CHANNEL_NAMES } from "@optout/domain";
import { MAX_CHECK_RECIPIENTS, type CheckResult } from "@optout/schemas";
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
/** Tries per request: a 503 or a restarting worker is waited out briefly, a missing one reported soon. */
const CHECK_ATTEMPTS = 3;

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

/** What went wrong, said for the command line: who is not answering, or the service's code and message. */
function refusal(err: OptoutError, names: Names): string {
  const reason = (err.details as { reason?: UnansweredReason } | undefined)?.reason;
  if (err instanceof DependencyUnavailableError && (reason === "no_responders" || reason === "timeout")) {
    const why = reason === "timeout" ? "no complete answer in time" : "no worker answers";
    return `${why} on ${names.subjects.check}: is suppression-check running for namespace "${names.namespace}"?`;
  }
  // A CheckFailedError's message names the code and the recipients of the refused request.
  return err.message;
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
    const client = createOptoutClient({
      connection: await nats(),
      namespace: names.namespace,
      retry: { attempts: CHECK_ATTEMPTS },
    });
    const query: CheckQuery = {
      accountId,
      channel,
      ...(country === undefined ? {} : { country }),
      ...(category === undefined ? {} : { category: category as CheckQuery["category"] }),
      ...(groups.length ? { groupIds: groups } : {}),
    };
    const progress = createProgress(out, { label: "check", unit: "recipients" });
    const batches = Math.ceil(recipients.length / batch);
    let results: CheckResult[];
    try {
      results = await client.check(
        { ...query, recipients },
        {
          batchSize: batch,
          timeoutMs: timeout,
          concurrency: CHECK_CONCURRENCY,
          onProgress: (done, total) => {
            if (batches > 1) progress.update(done, done / total);
          },
        },
      );
    } catch (err) {
      if (!(err instanceof OptoutError)) throw err;
      out.stderr(`optout: check: ${refusal(err, names)}\n`);
      return exitFor(err.code);
    }
    const summary: CheckSummary = {
      total: results.length,
      suppressed: results.filter((r) => r.suppressed).length,
      invalid: results.filter((r) => r.reason === "invalid_recipient").length,
    };
    if (batches > 1)
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
