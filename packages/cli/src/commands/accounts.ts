/**
 * `optout accounts list | show`: what accounts exist and how they are set up. Settings are shown
 * without their secrets (the webhook's signing secret, anything named like a secret): an
 * operator's terminal and its scrollback are not a secret store.
 */
import { resolveScope } from "@optout/domain";
import { getAccount, listAccounts, listApiTokens } from "@optout/store";
import {
  EXIT,
  UsageError,
  positiveInteger,
  stringOption,
  type Command,
  type CommandGroup,
} from "../command.js";
import { json, table } from "../format.js";

const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 10_000;
/** Keys whose values are never printed, wherever they are in the settings. */
const SECRET_KEY = /secret|password|token|key$/i;
export const REDACTED = "(set, not shown)";

/** A copy of the settings with every secret-looking value replaced by REDACTED. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) && (typeof v === "string" || typeof v === "number") ? REDACTED : redactSecrets(v),
    ]),
  );
}

const list: Command = {
  name: "list",
  summary: "accounts in id order (paged)",
  help: `usage: optout accounts list [--organization <id>] [--after <id>] [--limit <n>] [--json]

Accounts in id order: id, organization, list scope, default country, created. --json prints
{items, next, hasMore}; pass next as --after for the next page.

Options:
  --organization <id>   only this organization's accounts
  --after <id>          start after this account id
  --limit <n>           at most n (default ${DEFAULT_LIST_LIMIT}, up to ${MAX_LIST_LIMIT})

Exit: 0 listed, 3 none.

Environment: DATABASE_URL, DATABASE_SCHEMA.
`,
  options: { organization: { type: "string" }, after: { type: "string" }, limit: { type: "string" } },
  async run(args, context) {
    const limit = positiveInteger(stringOption(args, "limit") ?? String(DEFAULT_LIST_LIMIT), "--limit");
    if (limit > MAX_LIST_LIMIT) throw new UsageError(`--limit is at most ${MAX_LIST_LIMIT}`);
    const organizationId = stringOption(args, "organization");
    const after = stringOption(args, "after");
    // One more than asked says whether there is a next page.
    const rows = await listAccounts(await context.pool(), {
      limit: limit + 1,
      ...(after === undefined ? {} : { after }),
      ...(organizationId === undefined ? {} : { organizationId }),
    });
    const items = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    const next = items.at(-1)?.id ?? after ?? null;
    if (args.values.json) json(context.out, { items, next, hasMore });
    else if (items.length > 0) {
      context.out.stdout(
        table([
          ["ID", "ORGANIZATION", "LIST", "COUNTRY", "CREATED"],
          ...items.map((a) => [
            a.id,
            a.organizationId,
            resolveScope(a),
            a.defaultCountry ?? "-",
            a.createdAt,
          ]),
        ]),
      );
      if (hasMore) context.out.stderr(`more: optout accounts list --after ${next}\n`);
    } else context.out.stderr("no accounts\n");
    return items.length > 0 ? EXIT.OK : EXIT.NOTHING_MATCHED;
  },
};

const show: Command = {
  name: "show",
  summary: "one account: list, settings (secrets hidden), tokens",
  help: `usage: optout accounts show <accountId> [--json]

The account: organization, list scope and the list it uses, default country, its settings as
stored (webhook, confirmation SMS, keywords...; secrets shown as "${REDACTED}") and how many
working API tokens it has.

Exit: 0 shown, 3 unknown account.

Environment: DATABASE_URL, DATABASE_SCHEMA.
`,
  options: {},
  positionals: true,
  async run(args, context) {
    if (args.positionals.length !== 1) throw new UsageError("name one account id");
    const pool = await context.pool();
    const account = await getAccount(pool, args.positionals[0]!);
    if (!account) {
      context.out.stderr(`optout: accounts: no account "${args.positionals[0]}"\n`);
      return EXIT.NOTHING_MATCHED;
    }
    const shown = {
      id: account.id,
      organizationId: account.organizationId,
      listScope: account.listScope,
      list: resolveScope(account),
      defaultCountry: account.defaultCountry,
      settings: redactSecrets(account.settings),
      tokens: (await listApiTokens(pool, account.id)).length,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
    };
    if (args.values.json) json(context.out, shown);
    else {
      const { settings, ...rest } = shown;
      context.out.stdout(
        table([["FIELD", "VALUE"], ...Object.entries(rest).map(([k, v]) => [k, String(v ?? "-")])]) +
          `settings:\n${JSON.stringify(settings, null, 2).replace(/^/gm, "  ")}\n`,
      );
    }
    return EXIT.OK;
  },
};

export const accountsCommands: CommandGroup = {
  name: "accounts",
  summary: "list accounts, show one (secrets never printed)",
  commands: [list, show],
};
