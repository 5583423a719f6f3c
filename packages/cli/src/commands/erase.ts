/**
 * `optout erase`: GDPR erasure of one recipient, as POST /v1/accounts/{id}/erasures does it
 * (@optout/store eraseIdentifier): their data goes, their suppression stays under the keyed hash
 * of ERASURE_HASH_SECRET, which must be the workers' value.
 */
import { loadConfig } from "@optout/config";
import {
  erasedIdentifier,
  isChannel,
  normalizeIdentifier,
  resolveScope,
  CHANNEL_NAMES,
} from "@optout/domain";
import { eraseKeepingSuppressed } from "@optout/recorder";
import { getAccount, publicErasureView } from "@optout/store";
import { EXIT, UsageError, stringOption, type Command, type CommandGroup } from "../command.js";
import { json, table } from "../format.js";

const erase: Command = {
  name: "erase",
  summary: "erase one recipient's data (GDPR) and keep them suppressed",
  help: `usage: optout erase --account <id> --channel <${CHANNEL_NAMES.join("|")}> <identifier> [--json]

Erases the recipient from the account's list scope (on an organization list: for every
account using it), in one transaction:
  - the history keeps its events, with the identifier replaced by its keyed hash
    (erased:<hex HMAC-SHA256(ERASURE_HASH_SECRET, identifier)>), without reason or personal
    evidence (SMS texts, user agents, IP prefixes);
  - the state: the identifier's row becomes the hash's, opted out, so checks, exports and
    filtered group lists keep suppressing the person (exports show the hash);
  - the address books: contacts with the identifier are deleted;
  - links and webhook jobs carry the hash; confirmation records are deleted;
the hash's bits are set in the Redis filter first. The erasure is recorded without the
identifier. Only the person can opt back in, by sending START from their number.
Repeating an erasure is safe.

Options:
  --account <id>     the account whose list holds the recipient (required)
  --channel <c>      ${CHANNEL_NAMES.join(" or ")} (required)
  --json             print {id, channel, identifierHash, eventsErased, contactsDeleted, linksErased, wasOptedOut, erasedAt}

Exit: 0 erased, 2 bad identifier or options, 3 unknown account, 1 Postgres or Redis failed.

Environment: DATABASE_URL, DATABASE_SCHEMA, REDIS_URL, OPTOUT_NAMESPACE, BLOOM_*, ERASURE_HASH_SECRET.
`,
  options: {
    account: { type: "string" },
    channel: { type: "string" },
  },
  positionals: true,
  async run(args, context) {
    const accountId = stringOption(args, "account");
    const channel = stringOption(args, "channel");
    if (!accountId) throw new UsageError("--account is required");
    if (!channel || !isChannel(channel))
      throw new UsageError(`--channel must be ${CHANNEL_NAMES.join(" or ")}`);
    if (args.positionals.length !== 1) throw new UsageError("name exactly one identifier to erase");
    const { erasureHashSecret } = loadConfig(["erasureHashSecret"], context.env);
    const pool = await context.pool();
    const account = await getAccount(pool, accountId);
    if (!account) {
      context.out.stderr(`optout: erase: no account "${accountId}"\n`);
      return EXIT.NOTHING_MATCHED;
    }
    const raw = args.positionals[0]!;
    const n = normalizeIdentifier(channel, raw, account.defaultCountry ?? undefined);
    if (!n.ok) throw new UsageError(`"${raw}" is not a valid ${channel} identifier: ${n.reason}`);
    const erasure = await eraseKeepingSuppressed(
      { pool, filter: await context.filter() },
      {
        accountId,
        scope: resolveScope(account),
        channel,
        identifier: n.identifier,
        erased: erasedIdentifier(erasureHashSecret, n.identifier),
        requestedBy: "cli",
      },
    );
    if (!erasure) {
      context.out.stderr(`optout: erase: no account "${accountId}"\n`);
      return EXIT.NOTHING_MATCHED;
    }
    const view = publicErasureView(erasure);
    if (args.values.json) json(context.out, view);
    else context.out.stdout(table(Object.entries(view).map(([k, v]) => [k, String(v)])));
    return EXIT.OK;
  },
};

export const eraseCommands: CommandGroup = {
  name: "erase",
  summary: "GDPR erasure of one recipient (the suppression stays)",
  commands: [erase],
};
