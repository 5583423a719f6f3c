/**
 * `optout tokens create | list | revoke`: an account's API tokens, as the admin API manages them
 * (POST/GET/DELETE /v1/accounts/{id}/tokens), directly in Postgres. A token is printed once, at
 * creation; only its SHA-256 is stored, and listings never show it.
 */
import { CHANNEL_NAMES, isChannel, type Channel } from "@optout/domain";
import {
  generateApiToken,
  getAccount,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  publicTokenView,
  TOKEN_PERMISSIONS,
  type TokenPermission,
} from "@optout/store";
import {
  EXIT,
  UsageError,
  stringOption,
  type Command,
  type CommandContext,
  type CommandGroup,
  type ParsedArgs,
} from "../command.js";
import { json, table } from "../format.js";

const PERMISSIONS: readonly TokenPermission[] = TOKEN_PERMISSIONS;

function listOption(args: ParsedArgs, name: string): string[] {
  // `--type sms --type email` or `--type sms,email`.
  const value = args.values[name] as unknown as string[] | undefined;
  return (value ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

function accountOf(args: ParsedArgs): string {
  const accountId = stringOption(args, "account");
  if (!accountId) throw new UsageError("--account is required");
  return accountId;
}

async function existingAccount(context: CommandContext, accountId: string): Promise<boolean> {
  const found = (await getAccount(await context.pool(), accountId)) !== null;
  if (!found) context.out.stderr(`optout: tokens: no account "${accountId}"\n`);
  return found;
}

const create: Command = {
  name: "create",
  summary: "create a token (printed once)",
  help: `usage: optout tokens create --account <id> --type <${CHANNEL_NAMES.join("|")}>... --permission <${PERMISSIONS.join("|")}>... [--name <text>] [--json]

Creates an API token of the account for some channels ("types") and permissions, like
POST /v1/accounts/{id}/tokens. The token (oo_<id>_<secret>) is printed once on stdout: store it
in the client's secret store now; it cannot be shown again (only its hash is kept). Revoke it
with "optout tokens revoke".

Options:
  --account <id>        the account
  --type <c>            ${CHANNEL_NAMES.join(", ")} (repeat, or comma-separated)
  --permission <p>      read, write, audit:read (repeat, or comma-separated; independent: write
                        does not read; audit:read reads the audit trail and webhook delivery log)
  --name <text>         what it is for, shown in listings
  --json                print {id, token, name, types, permissions, createdAt, lastUsedAt}

Exit: 0 created, 3 unknown account, 2 bad arguments.

Environment: DATABASE_URL, DATABASE_SCHEMA.
`,
  options: {
    account: { type: "string" },
    type: { type: "string", multiple: true },
    permission: { type: "string", multiple: true },
    name: { type: "string" },
  },
  async run(args, context) {
    const accountId = accountOf(args);
    const types = listOption(args, "type");
    const permissions = listOption(args, "permission");
    if (types.length === 0 || types.some((t) => !isChannel(t)))
      throw new UsageError(`--type must name channels among ${CHANNEL_NAMES.join(", ")}`);
    if (permissions.length === 0 || permissions.some((p) => !PERMISSIONS.includes(p as TokenPermission)))
      throw new UsageError(`--permission must be among ${PERMISSIONS.join(", ")}`);
    const name = stringOption(args, "name");
    if (name !== undefined && (name.length < 1 || name.length > 100))
      throw new UsageError("--name is 1 to 100 characters");
    if (!(await existingAccount(context, accountId))) return EXIT.NOTHING_MATCHED;
    const { id, token, hash } = generateApiToken();
    const info = await insertApiToken(await context.pool(), {
      id,
      accountId,
      name: name ?? null,
      // Registry order, as the API stores them: equal grants look equal in listings.
      types: CHANNEL_NAMES.filter((c: Channel) => types.includes(c)),
      permissions: PERMISSIONS.filter((p) => permissions.includes(p)),
      secretHash: hash,
    });
    if (args.values.json) json(context.out, { ...publicTokenView(info), token });
    else {
      context.out.stdout(`${token}\n`);
      context.out.stderr(
        `token ${info.id} of ${accountId} (${info.types.join(",")}; ${info.permissions.join(",")}): shown once, store it now\n`,
      );
    }
    return EXIT.OK;
  },
};

const list: Command = {
  name: "list",
  summary: "the account's working tokens (never their secrets)",
  help: `usage: optout tokens list --account <id> [--json]

The account's tokens that still work, oldest first: id, name, types, permissions, created, last
used (at most a minute late). Secrets are not stored, so never shown.

Exit: 0 listed, 3 unknown account or no token.

Environment: DATABASE_URL, DATABASE_SCHEMA.
`,
  options: { account: { type: "string" } },
  async run(args, context) {
    const accountId = accountOf(args);
    if (!(await existingAccount(context, accountId))) return EXIT.NOTHING_MATCHED;
    const items = (await listApiTokens(await context.pool(), accountId)).map(publicTokenView);
    if (args.values.json) json(context.out, { items });
    else if (items.length > 0)
      context.out.stdout(
        table([
          ["ID", "NAME", "TYPES", "PERMISSIONS", "CREATED", "LAST USED"],
          ...items.map((t) => [
            t.id,
            t.name ?? "-",
            t.types.join(","),
            t.permissions.join(","),
            t.createdAt,
            t.lastUsedAt ?? "-",
          ]),
        ]),
      );
    else context.out.stderr(`${accountId} has no working token\n`);
    return items.length > 0 ? EXIT.OK : EXIT.NOTHING_MATCHED;
  },
};

const revoke: Command = {
  name: "revoke",
  summary: "revoke a token at once",
  help: `usage: optout tokens revoke --account <id> <tokenId> [--json]

Revokes the token: the next request with it is refused, in every API process (tokens are read
on every request, never cached). The id is the one "tokens list" shows (oo_<id>_...).

Exit: 0 revoked, 3 no such working token of this account.

Environment: DATABASE_URL, DATABASE_SCHEMA.
`,
  options: { account: { type: "string" } },
  positionals: true,
  async run(args, context) {
    const accountId = accountOf(args);
    if (args.positionals.length !== 1) throw new UsageError("name one token id");
    const tokenId = args.positionals[0]!;
    if (!/^[0-9A-Za-z]{1,64}$/.test(tokenId)) throw new UsageError(`"${tokenId}" is not a token id`);
    const revoked = await revokeApiToken(await context.pool(), accountId, tokenId);
    if (args.values.json) json(context.out, { id: tokenId, accountId, revoked });
    else if (revoked) context.out.stdout(`revoked ${tokenId}\n`);
    if (!revoked)
      context.out.stderr(`optout: tokens: account "${accountId}" has no working token "${tokenId}"\n`);
    return revoked ? EXIT.OK : EXIT.NOTHING_MATCHED;
  },
};

export const tokensCommands: CommandGroup = {
  name: "tokens",
  summary: "create, list and revoke an account's API tokens",
  commands: [create, list, revoke],
};
