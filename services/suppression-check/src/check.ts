import { TooManyRecipientsError, UnknownAccountError, type Logger } from "@optout/core";
import { normalizeIdentifier, resolveScope } from "@optout/domain";
import {
  MAX_CHECK_RECIPIENTS,
  validatePayload,
  type Channel,
  type CheckReply,
  type CheckResult,
} from "@optout/schemas";
import type { Account } from "@optout/store";

/** The Redis filter as the check sees it: null means "cannot vouch", and Postgres answers. */
export interface FilterReader {
  mightContain(scope: string, channel: string, identifiers: readonly string[]): Promise<boolean[] | null>;
}

export interface CheckPorts {
  getAccount(id: string): Promise<Account | null>;
  filter: FilterReader;
  /**
   * Exact lookup: opted-out identifiers among these, with the time they opted out. `erased[i]`,
   * when not null, is the erased form of `identifiers[i]`, looked up too.
   */
  findOptedOut(
    scope: string,
    channel: string,
    identifiers: readonly string[],
    erased: readonly (string | null)[],
  ): Promise<Map<string, string>>;
  /**
   * The form an erasure gave the identifier in the list (`erasedIdentifier` of @optout/domain
   * with ERASURE_HASH_SECRET): an erased person is suppressed through it.
   */
  erasedForm(identifier: string): string;
  /**
   * Identifiers among these that the bypass rule lets through: a contact of the account in any
   * of its bypass groups (@optout/store, the rule the filtered group lists apply too).
   */
  findBypassMembers(
    accountId: string,
    channel: Channel,
    identifiers: readonly string[],
  ): Promise<Set<string>>;
  /** The filter could not vouch for this list: rebuild it in the background. */
  requestRebuild(scope: string, channel: string): void;
  logger: Logger;
  onPath?(path: "filter" | "database", cause?: "not_ready"): void;
}

/**
 * Answer one `optout.check` request. Results keep the request's order; a recipient that cannot
 * be normalized is reported as invalid (suppressed: nothing can be sent to it), never dropped.
 */
export async function checkRecipients(ports: CheckPorts, body: unknown): Promise<CheckReply> {
  // Count first, so 10,001 gets its own code before the (costlier) schema pass.
  const recipients = (body as { recipients?: unknown } | null)?.recipients;
  if (Array.isArray(recipients) && recipients.length > MAX_CHECK_RECIPIENTS) {
    throw new TooManyRecipientsError(recipients.length, MAX_CHECK_RECIPIENTS);
  }
  const req = validatePayload("checkRequest", body);
  const account = await ports.getAccount(req.accountId);
  if (!account) throw new UnknownAccountError(req.accountId);

  const country = req.country ?? account.defaultCountry ?? undefined;
  const identifiers: (string | undefined)[] = new Array(req.recipients.length);
  const results: CheckResult[] = new Array(req.recipients.length);
  const unique = new Set<string>();
  for (const [i, recipient] of req.recipients.entries()) {
    const n = normalizeIdentifier(req.channel, recipient, country);
    if (!n.ok) {
      results[i] = { recipient, suppressed: true, reason: "invalid_recipient", detail: n.reason };
      continue;
    }
    identifiers[i] = n.identifier;
    unique.add(n.identifier);
  }

  if (req.category === "transactional") {
    for (const [i, recipient] of req.recipients.entries()) {
      const identifier = identifiers[i];
      if (identifier !== undefined)
        results[i] = { recipient, identifier, suppressed: false, reason: "transactional" };
    }
    return { results };
  }

  const scope = resolveScope(account);
  const optedOut = await lookup(ports, scope, req.channel, [...unique]);
  // Asked only for the opted-out ones (usually few), in one query. `groupIds` does not narrow
  // it: a bypass group named there is one of the account's bypass groups (DESIGN §3).
  const bypass =
    optedOut.size === 0
      ? new Set<string>()
      : await ports.findBypassMembers(account.id, req.channel, [...optedOut.keys()]);
  for (const [i, recipient] of req.recipients.entries()) {
    const identifier = identifiers[i];
    if (identifier === undefined) continue;
    const since = optedOut.get(identifier);
    results[i] =
      since === undefined
        ? { recipient, identifier, suppressed: false, reason: "not_opted_out" }
        : bypass.has(identifier)
          ? { recipient, identifier, suppressed: false, reason: "bypass_group" }
          : { recipient, identifier, suppressed: true, reason: "opted_out", since };
  }
  return { results };
}

/**
 * Filter first for the fast negative; every positive is confirmed by Postgres (which also gives
 * `since`). Each identifier is probed twice, as itself and in its erased form (an erasure keeps
 * the suppression under a keyed hash): the erased form is sent to Postgres only when the filter
 * cannot rule it out, so an ordinary opt-out costs one primary-key probe as before.
 */
async function lookup(
  ports: CheckPorts,
  scope: string,
  channel: string,
  identifiers: string[],
): Promise<Map<string, string>> {
  if (identifiers.length === 0) return new Map();
  const erased = identifiers.map((id) => ports.erasedForm(id));
  const maybe = await ports.filter.mightContain(scope, channel, [...identifiers, ...erased]);
  if (maybe === null) {
    ports.onPath?.("database", "not_ready");
    ports.requestRebuild(scope, channel);
    return ports.findOptedOut(scope, channel, identifiers, erased);
  }
  ports.onPath?.("filter");
  const n = identifiers.length;
  const candidates: string[] = [];
  const candidatesErased: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const erasedMaybe = maybe[n + i] === true;
    if (!maybe[i] && !erasedMaybe) continue;
    candidates.push(identifiers[i]!);
    candidatesErased.push(erasedMaybe ? erased[i]! : null);
  }
  return candidates.length === 0
    ? new Map()
    : ports.findOptedOut(scope, channel, candidates, candidatesErased);
}
