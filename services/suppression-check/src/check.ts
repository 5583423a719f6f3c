import { TooManyRecipientsError, UnknownAccountError, UnknownTopicError, type Logger } from "@optout/core";
import { ERASURES_FILTER_MARKER, findTopic, normalizeIdentifier, resolveScope } from "@optout/domain";
import {
  MAX_CHECK_RECIPIENTS,
  validatePayload,
  type Channel,
  type CheckReply,
  type CheckResult,
} from "@optout/schemas";
import type { Account, OptedOutForCheck } from "@optout/store";

/** The Redis filter as the check sees it: null means "cannot vouch", and Postgres answers. */
export interface FilterReader {
  mightContain(scope: string, channel: string, identifiers: readonly string[]): Promise<boolean[] | null>;
}

export interface CheckPorts {
  getAccount(id: string): Promise<Account | null>;
  filter: FilterReader;
  /**
   * The form an erasure gave the identifier in the list (`erasedIdentifier` of @optout/domain
   * with ERASURE_HASH_SECRET): an erased person is suppressed through it.
   */
  erasedForm(identifier: string): string;
  /**
   * Exact lookup: the opted-out identifiers among these, with the time they opted out and
   * whether the bypass rule (a contact of the account in any of its bypass groups: @optout/store,
   * the rule the filtered group lists apply too) lets them through. One round trip. `erased[i]`,
   * when given, is the erased form of `identifiers[i]` (or null), looked up too.
   */
  findOptedOut(
    scope: string,
    accountId: string,
    channel: Channel,
    identifiers: readonly string[],
    erased?: readonly (string | null)[],
  ): Promise<Map<string, OptedOutForCheck>>;
  /**
   * Exact lookup of a topic's opt-outs (as `findOptedOut` for the channel-wide list): asked only
   * when a check names a topic, for every identifier (topic opt-outs are not in the filter).
   */
  findTopicOptedOut(
    scope: string,
    accountId: string,
    channel: Channel,
    topic: string,
    identifiers: readonly string[],
  ): Promise<Map<string, OptedOutForCheck>>;
  /** The filter could not vouch for this list: rebuild it in the background. */
  requestRebuild(scope: string, channel: string): void;
  logger: Logger;
  onPath?(path: "filter" | "database", cause?: "not_ready"): void;
}

/** What a check asks besides its recipients (a JSON check's body, a bulk check's header). */
export interface CheckQuestion {
  accountId: string;
  channel: Channel;
  country?: string;
  category?: "promotional" | "transactional";
  /** One of the account's topics: opted out of the channel or of this topic is suppressed. */
  topic?: string;
}

/**
 * The answer for a list of recipients, before it is encoded: the JSON check turns it into
 * result objects, the bulk check into a bitmap with exceptions. One evaluation for both, so the
 * two subjects give the same answers by construction.
 */
export interface Evaluation {
  /** Per recipient, its normalized identifier; undefined when it could not be normalized. */
  readonly identifiers: readonly (string | undefined)[];
  /** Why a recipient could not be normalized, by its index. */
  readonly invalid: ReadonlyMap<number, string>;
  readonly transactional: boolean;
  /**
   * Opted-out identifiers, since when and whether a bypass group lets them through (empty for a
   * transactional check); with a topic, also those opted out of it only (`topic` set on those).
   */
  readonly optedOut: ReadonlyMap<string, OptedOutForCheck & { topic?: string }>;
}

/** Evaluate already-validated recipients (a schema-checked request, or decoded bulk numbers). */
export async function evaluateRecipients(
  ports: CheckPorts,
  question: CheckQuestion,
  recipients: readonly string[],
): Promise<Evaluation> {
  const account = await ports.getAccount(question.accountId);
  if (!account) throw new UnknownAccountError(question.accountId);
  if (question.topic !== undefined && !findTopic(account.settings.topics, question.topic))
    throw new UnknownTopicError(account.id, question.topic);

  const country = question.country ?? account.defaultCountry ?? undefined;
  const identifiers: (string | undefined)[] = new Array(recipients.length);
  const invalid = new Map<number, string>();
  const unique = new Set<string>();
  for (let i = 0; i < recipients.length; i++) {
    const n = normalizeIdentifier(question.channel, recipients[i]!, country);
    if (!n.ok) {
      invalid.set(i, n.reason);
      continue;
    }
    identifiers[i] = n.identifier;
    unique.add(n.identifier);
  }
  if (question.category === "transactional") {
    return { identifiers, invalid, transactional: true, optedOut: new Map() };
  }
  // `groupIds` does not narrow the bypass rule: a bypass group named there is one of the
  // account's bypass groups (DESIGN §3).
  const scope = resolveScope(account);
  const ids = [...unique];
  if (question.topic === undefined) {
    // The hot path: exactly the lookup of a check without topics.
    const optedOut = await lookup(ports, scope, account.id, question.channel, ids);
    return { identifiers, invalid, transactional: false, optedOut };
  }
  const [channelWide, topicOnly] = await Promise.all([
    lookup(ports, scope, account.id, question.channel, ids),
    ids.length === 0
      ? new Map<string, OptedOutForCheck>()
      : ports.findTopicOptedOut(scope, account.id, question.channel, question.topic, ids),
  ]);
  return {
    identifiers,
    invalid,
    transactional: false,
    optedOut: withTopicOptOuts(channelWide, topicOnly, question.topic),
  };
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
  const { identifiers, invalid, transactional, optedOut } = await evaluateRecipients(
    ports,
    req,
    req.recipients,
  );
  const results: CheckResult[] = new Array(req.recipients.length);
  for (let i = 0; i < req.recipients.length; i++) {
    const recipient = req.recipients[i]!;
    const identifier = identifiers[i];
    if (identifier === undefined) {
      results[i] = { recipient, suppressed: true, reason: "invalid_recipient", detail: invalid.get(i)! };
      continue;
    }
    const found = optedOut.get(identifier);
    results[i] = transactional
      ? { recipient, identifier, suppressed: false, reason: "transactional" }
      : found === undefined
        ? { recipient, identifier, suppressed: false, reason: "not_opted_out" }
        : found.bypass
          ? { recipient, identifier, suppressed: false, reason: "bypass_group" }
          : found.topic === undefined
            ? { recipient, identifier, suppressed: true, reason: "opted_out", since: found.since }
            : {
                recipient,
                identifier,
                suppressed: true,
                reason: "opted_out",
                since: found.since,
                topic: found.topic,
              };
  }
  return { results };
}

/** A channel-wide opt-out wins over the topic's (it is the one a topic opt-in cannot undo). */
function withTopicOptOuts(
  channelWide: Map<string, OptedOutForCheck>,
  topicOnly: ReadonlyMap<string, OptedOutForCheck>,
  topic: string,
): Map<string, OptedOutForCheck & { topic?: string }> {
  if (topicOnly.size === 0) return channelWide;
  const merged = new Map<string, OptedOutForCheck & { topic?: string }>(channelWide);
  for (const [identifier, found] of topicOnly) {
    if (!merged.has(identifier)) merged.set(identifier, { ...found, topic });
  }
  return merged;
}

/**
 * Filter first for the fast negative; every positive is confirmed by Postgres (which also gives
 * `since`). The same filter read asks for ERASURES_FILTER_MARKER: a list that never had an
 * erasure (the marker is certainly absent) is looked up as itself, with no hashing and no second
 * probe. A list that had one is looked up by erased form too (lookupWithErased).
 */
async function lookup(
  ports: CheckPorts,
  scope: string,
  accountId: string,
  channel: Channel,
  identifiers: string[],
): Promise<Map<string, OptedOutForCheck>> {
  if (identifiers.length === 0) return new Map();
  const maybe = await ports.filter.mightContain(scope, channel, [...identifiers, ERASURES_FILTER_MARKER]);
  if (maybe === null) {
    // Without the filter nothing says the list never had an erasure: look the erased forms up too.
    const erased = identifiers.map((id) => ports.erasedForm(id));
    return fromDatabase(ports, scope, accountId, channel, identifiers, erased);
  }
  ports.onPath?.("filter");
  if (maybe[identifiers.length])
    return lookupWithErased(ports, scope, accountId, channel, identifiers, maybe);
  const candidates = identifiers.filter((_, i) => maybe[i]);
  if (candidates.length === 0) return new Map();
  const found = await ports.findOptedOut(scope, accountId, channel, candidates);
  return found.size === candidates.length
    ? found
    : confirmUnfound(ports, scope, accountId, channel, candidates, found);
}

/**
 * Candidates the plain confirm did not find: filter false positives, or a person whose erasure
 * committed between the filter read and the confirm (their row now under the hash). An erasure
 * sets the marker before it commits, so reading the marker again, after the confirm, tells them
 * apart: absent, they are false positives (no hashing); present, they are hashed and confirmed
 * in both forms. One more one-entry filter read, only when a candidate was not found.
 */
async function confirmUnfound(
  ports: CheckPorts,
  scope: string,
  accountId: string,
  channel: Channel,
  candidates: readonly string[],
  found: Map<string, OptedOutForCheck>,
): Promise<Map<string, OptedOutForCheck>> {
  const marker = await ports.filter.mightContain(scope, channel, [ERASURES_FILTER_MARKER]);
  if (marker !== null && !marker[0]) return found;
  const unfound = candidates.filter((id) => !found.has(id));
  const erased = await ports.findOptedOut(
    scope,
    accountId,
    channel,
    unfound,
    unfound.map((id) => ports.erasedForm(id)),
  );
  for (const [id, f] of erased) found.set(id, f);
  return found;
}

/**
 * A list with an erasure (or the marker's false positive): each identifier is probed twice, as
 * itself (`maybe`, already read) and in its erased form (an erasure keeps the suppression under a
 * keyed hash). Every candidate is confirmed in both forms: the filter may have ruled the erased
 * form out before an erasure of the person committed (their number's row is gone by the
 * confirm, the hash's is there), so only a candidate neither form of which is in the filter is
 * left out.
 */
async function lookupWithErased(
  ports: CheckPorts,
  scope: string,
  accountId: string,
  channel: Channel,
  identifiers: string[],
  maybe: readonly boolean[],
): Promise<Map<string, OptedOutForCheck>> {
  const erased = identifiers.map((id) => ports.erasedForm(id));
  const erasedMaybe = await ports.filter.mightContain(scope, channel, erased);
  if (erasedMaybe === null) return fromDatabase(ports, scope, accountId, channel, identifiers, erased);
  const candidates: string[] = [];
  const candidatesErased: string[] = [];
  for (let i = 0; i < identifiers.length; i++) {
    if (!maybe[i] && !erasedMaybe[i]) continue;
    candidates.push(identifiers[i]!);
    candidatesErased.push(erased[i]!);
  }
  return candidates.length === 0
    ? new Map()
    : ports.findOptedOut(scope, accountId, channel, candidates, candidatesErased);
}

/** The filter cannot vouch: Postgres answers for every identifier (in both forms) and the filter is rebuilt. */
function fromDatabase(
  ports: CheckPorts,
  scope: string,
  accountId: string,
  channel: Channel,
  identifiers: readonly string[],
  erased: readonly string[],
): Promise<Map<string, OptedOutForCheck>> {
  ports.onPath?.("database", "not_ready");
  ports.requestRebuild(scope, channel);
  return ports.findOptedOut(scope, accountId, channel, identifiers, erased);
}
