/**
 * `optout cache rebuild | invalidate`: the Redis filters (one per list: scope + channel). The
 * filter is never the authority (Postgres is): invalidating makes checks of the list answer from
 * Postgres and the suppression-check workers rebuild it on their own; rebuilding does it now,
 * from Postgres, with the same race-free procedure the workers use (@optout/cache).
 */
import { CHANNEL_NAMES, isChannel, resolveScope, type Channel } from "@optout/domain";
import { getAccount, listLists, streamOptedOut } from "@optout/store";
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
import { json, table } from "../format.js";
import { createProgress, formatDuration } from "../progress.js";

interface List {
  scope: string;
  channel: string;
}

const SELECT_OPTIONS = {
  account: { type: "string" },
  scope: { type: "string" },
  channel: { type: "string" },
  all: { type: "boolean" },
} as const;

const SELECT_HELP = `Which lists (exactly one of):
  --account <id>     the list the account uses (its organization's, or its own)
  --scope <scope>    a list scope: org:<organizationId> or account:<accountId>
  --all              every list that has opt-outs in Postgres
  --channel <c>      only this channel (${CHANNEL_NAMES.join(", ")}; default: all)`;

/** The lists named on the command line; null when the account does not exist. */
async function selectLists(args: ParsedArgs, context: CommandContext): Promise<List[] | null> {
  const account = stringOption(args, "account");
  const scope = stringOption(args, "scope");
  const all = args.values.all === true;
  if ([account !== undefined, scope !== undefined, all].filter(Boolean).length !== 1)
    throw new UsageError("name the lists with exactly one of --account, --scope or --all");
  const channel = stringOption(args, "channel");
  if (channel !== undefined && !isChannel(channel))
    throw new UsageError(`--channel must be one of ${CHANNEL_NAMES.join(", ")}`);
  const channels: Channel[] = channel === undefined ? [...CHANNEL_NAMES] : [channel];
  if (scope !== undefined && !/^(org|account):[^\s{}]{1,190}$/.test(scope))
    throw new UsageError(
      `--scope must look like org:<organizationId> or account:<accountId>, not "${scope}"`,
    );
  const pool = await context.pool();
  if (all) return (await listLists(pool)).filter((l) => (channels as string[]).includes(l.channel));
  let listScope = scope;
  if (account !== undefined) {
    const found = await getAccount(pool, account);
    if (!found) return null;
    listScope = resolveScope(found);
  }
  return channels.map((c) => ({ scope: listScope!, channel: c }));
}

function unknownAccount(context: CommandContext, args: ParsedArgs): ExitCode {
  context.out.stderr(`optout: cache: no account "${stringOption(args, "account")}"\n`);
  return EXIT.NOTHING_MATCHED;
}

interface RebuildItem extends List {
  result: "rebuilt" | "skipped" | "failed";
  entries: number;
  ms: number;
  error?: string;
}

const rebuild: Command = {
  name: "rebuild",
  summary: "rebuild Redis filters from Postgres now",
  help: `usage: optout cache rebuild (--account <id> | --scope <scope> | --all) [--channel <c>] [--json]

Rebuilds each list's Redis filter from Postgres, one list after the other: the new filter is
built aside and swapped in, so checks keep working meanwhile, and opt-outs recorded during the
rebuild are kept. A list whose filter another process is rebuilding is skipped (it is being done).
Run it with the workers' BLOOM_EXPECTED_ENTRIES, BLOOM_FALSE_POSITIVE_RATE and
BLOOM_BLOCKS_PER_ENTRY: a filter of another size is not trusted by the workers.

${SELECT_HELP}
  --json             print {items: [{scope, channel, result, entries, ms}], rebuilt, skipped, failed}

Exit: 0 every list rebuilt or skipped, 3 unknown account or no list (--all), 1 a rebuild failed.

Environment: DATABASE_URL, DATABASE_SCHEMA, REDIS_URL, OPTOUT_NAMESPACE, BLOOM_*.
`,
  options: SELECT_OPTIONS,
  async run(args, context) {
    const lists = await selectLists(args, context);
    if (lists === null) return unknownAccount(context, args);
    if (lists.length === 0) {
      context.out.stderr("optout: cache: no list has opt-outs\n");
      return EXIT.NOTHING_MATCHED;
    }
    const [pool, filter] = await Promise.all([context.pool(), context.filter()]);
    const progress = createProgress(context.out, { label: "cache rebuild", unit: "lists" });
    const started = performance.now();
    const items: RebuildItem[] = [];
    for (const list of lists) {
      try {
        const r = await filter.rebuild(list.scope, list.channel, () =>
          streamOptedOut(pool, list.scope, list.channel),
        );
        items.push({
          ...list,
          result: r.skipped ? "skipped" : "rebuilt",
          entries: r.entries,
          ms: Math.round(r.ms),
        });
      } catch (err) {
        items.push({ ...list, result: "failed", entries: 0, ms: 0, error: (err as Error).message });
      }
      progress.update(items.length, items.length / lists.length);
    }
    const count = (result: RebuildItem["result"]) => items.filter((i) => i.result === result).length;
    const report = { items, rebuilt: count("rebuilt"), skipped: count("skipped"), failed: count("failed") };
    progress.finish(
      `cache rebuild: ${report.rebuilt} rebuilt, ${report.skipped} skipped, ${report.failed} failed in ${formatDuration(performance.now() - started)}`,
    );
    if (args.values.json) json(context.out, report);
    else
      context.out.stdout(
        table([
          ["SCOPE", "CHANNEL", "RESULT", "ENTRIES", "MS", "ERROR"],
          ...items.map((i) => [i.scope, i.channel, i.result, String(i.entries), String(i.ms), i.error ?? ""]),
        ]),
      );
    return report.failed > 0 ? EXIT.FAILURE : EXIT.OK;
  },
};

const invalidate: Command = {
  name: "invalidate",
  summary: "make checks distrust Redis filters until rebuilt (after a Redis failover)",
  help: `usage: optout cache invalidate (--account <id> | --scope <scope> | --all) [--channel <c>] [--json]

Drops each list's readiness marker: checks of the list answer from Postgres (correct, slower)
and the suppression-check workers rebuild the filter on their own at the next check. Use it
when a filter may miss opt-outs: after a Redis failover to a replica that was behind, a restore,
or a manual change in Postgres. Then watch optout_cache_fallbacks_total (or run "optout cache rebuild").

${SELECT_HELP}
  --json             print {items: [{scope, channel}], invalidated}

Exit: 0 done, 3 unknown account or no list (--all), 1 Redis or Postgres unreachable.

Environment: DATABASE_URL, DATABASE_SCHEMA, REDIS_URL, OPTOUT_NAMESPACE.
`,
  options: SELECT_OPTIONS,
  async run(args, context) {
    const lists = await selectLists(args, context);
    if (lists === null) return unknownAccount(context, args);
    if (lists.length === 0) {
      context.out.stderr("optout: cache: no list has opt-outs\n");
      return EXIT.NOTHING_MATCHED;
    }
    const filter = await context.filter();
    for (const list of lists) await filter.invalidate(list.scope, list.channel);
    if (args.values.json) json(context.out, { items: lists, invalidated: lists.length });
    else context.out.stdout(table([["SCOPE", "CHANNEL"], ...lists.map((l) => [l.scope, l.channel])]));
    context.out.stderr(`cache invalidate: ${lists.length} filter(s) invalidated\n`);
    return EXIT.OK;
  },
};

export const cacheCommands: CommandGroup = {
  name: "cache",
  summary: "rebuild or invalidate the Redis filters",
  commands: [rebuild, invalidate],
};
