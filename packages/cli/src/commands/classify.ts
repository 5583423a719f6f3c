/**
 * `optout classify`: what the SMS worker would decide for an inbound text, and why: the action,
 * the rule (keyword, keyword_qualified, free_text) and the words that triggered it (the opt-out
 * event's reason). Offline by default (the built-in tables); `--account` classifies with that
 * account's settings exactly as services/sms-inbound does (its keywords, brand names, strict mode).
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import {
  accountClassifierOptions,
  classificationReason,
  createClassifier,
  type ClassifierOptions,
  type MessageContext,
  type SmsClassification,
} from "@optout/domain";
import { getAccount } from "@optout/store";
import { EXIT, UsageError, stringOption, type Command, type CommandGroup } from "../command.js";
import { json, table } from "../format.js";

export interface ClassifyAnswer extends SmsClassification {
  text: string;
  /** `<rule>:<matched words>`, as stored with the opt-out event. */
  reason?: string;
}

/** The texts named on the command line, else the lines of the file (`-` or nothing: stdin). */
async function readTexts(positionals: string[], file: string | undefined): Promise<string[]> {
  if (positionals.length > 0) {
    if (file !== undefined) throw new UsageError("give texts or --file, not both");
    return positionals;
  }
  if (file === undefined && process.stdin.isTTY)
    throw new UsageError("give a text, --file <path>, or pipe lines on stdin");
  const input =
    file === undefined || file === "-" ? process.stdin : createReadStream(file, { encoding: "utf8" });
  if (input !== process.stdin) {
    await new Promise<void>((resolve, reject) => {
      input.once("open", () => resolve()).once("error", reject);
    }).catch((err: Error) => {
      throw new UsageError(`cannot read ${file}: ${err.message}`);
    });
  }
  const texts: string[] = [];
  for await (const line of createInterface({ input, crlfDelay: Infinity })) texts.push(line);
  return texts;
}

const classifyCommand: Command = {
  name: "classify",
  summary: "what an inbound SMS means (opt_out, opt_in, help, ignored), the rule and the words",
  help: `usage: optout classify [<text>...] [--file <path>|-] [--strict] [--account <id>] [--to <number>] [--brand <name>]... [--json]

Classifies each text as the SMS worker would (shared/spec/keywords.md) and prints the action, the
rule that decided (keyword, keyword_qualified, free_text), the matched keyword or words, and the
language guessed. Texts come from the arguments, else one per line from --file or stdin.

Options:
  --strict         keyword rules only (free-text detection off, an account's freeTextOptOut=false)
  --account <id>   use that account's settings: its keywords, brand names and strict mode
                   (needs DATABASE_URL); --strict still forces strict mode
  --to <number>    the number or short code the message was sent to ("STOP 3010")
  --brand <name>   a brand name the account configured (repeatable)
  --json           one JSON array: {text, action, rule, match, language, reason}

Examples:
  optout classify "STOP Walgreens" "I'll stop by tomorrow"
  optout classify --strict --file replies.txt --json

Exit: 0 classified (whatever the answers), 2 bad arguments, 3 unknown account, 1 Postgres
unreachable (--account only).

Environment: DATABASE_URL, DATABASE_SCHEMA (--account only).
`,
  options: {
    file: { type: "string" },
    strict: { type: "boolean" },
    account: { type: "string" },
    to: { type: "string" },
    brand: { type: "string", multiple: true },
  },
  positionals: true,
  async run(args, context) {
    const accountId = stringOption(args, "account");
    let options: ClassifierOptions = {};
    const brandNames = (args.values.brand as unknown as string[] | undefined) ?? [];
    if (accountId !== undefined) {
      const account = await getAccount(await context.pool(), accountId);
      if (!account) {
        context.out.stderr(`optout: classify: no account "${accountId}"\n`);
        return EXIT.NOTHING_MATCHED;
      }
      options = accountClassifierOptions(account.settings);
      brandNames.push(...(account.settings.brandNames ?? []));
    }
    if (args.values.strict === true) options = { ...options, freeText: false };
    const texts = await readTexts(args.positionals, stringOption(args, "file"));
    const classify = createClassifier(options);
    const to = stringOption(args, "to");
    const messageContext: MessageContext = { ...(to ? { to } : {}), brandNames };
    const answers: ClassifyAnswer[] = texts.map((text) => {
      const result = classify(text, messageContext);
      const reason = classificationReason(result);
      return { text, ...result, ...(reason ? { reason } : {}) };
    });
    if (args.values.json) json(context.out, answers);
    else
      context.out.stdout(
        table([
          ["ACTION", "RULE", "MATCH", "LANG", "TEXT"],
          ...answers.map((a) => [
            a.action,
            a.rule ?? "-",
            a.match ?? "-",
            a.language ?? "-",
            JSON.stringify(a.text),
          ]),
        ]),
      );
    return EXIT.OK;
  },
};

export const classifyCommands: CommandGroup = {
  name: "classify",
  summary: "explain what an inbound SMS means: action, rule, matched words",
  commands: [classifyCommand],
};
