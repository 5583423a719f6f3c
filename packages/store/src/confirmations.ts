import type { PoolClient } from "./pool.js";

/** The confirmation window of an account that sets no `confirmationSms.windowHours`. */
export const DEFAULT_CONFIRMATION_WINDOW_HOURS = 24;

/** One event that may get a confirmation SMS, with the message it would be. */
export interface ConfirmationCandidate<P> {
  eventId: string;
  accountId: string;
  channel: string;
  identifier: string;
  action: "opt_out" | "opt_in";
  occurredAt: string;
  /** The event changed the state (a first opt-out, an opt-out after an opt-in): always confirmed. */
  stateChanged: boolean;
  /** A repeated request within this window after the last confirmation gets none. */
  windowMs: number;
  payload: P;
}

/**
 * Decide, durably and once per event, which candidates get their confirmation. Call it inside
 * the transaction that records the events (`recordEvents(..., {beforeCommit})`): the decision
 * commits with its event, and `stateChanged` is known exactly. A new event is confirmed when it
 * changed the state or when the last confirmation of the same (account, channel, identifier,
 * action) is at least the window older than it. The decision is stored per event id: a
 * redelivered event gets the stored decision back (the same payload, so the same confirmation
 * id and text), never a second, different one. Returns the payloads to publish, in order.
 */
export async function decideConfirmations<P>(
  client: PoolClient,
  candidates: readonly ConfirmationCandidate<P>[],
): Promise<P[]> {
  // Set-based: a claim-and-upsert statement per round (usually one) and one write of the
  // payloads, instead of 2-3 round trips per candidate (docs/performance.md). A round holds at
  // most one candidate per (account, channel, identifier, action), since an upsert cannot touch
  // a row twice; later rounds see the earlier ones' confirmations, as the one-by-one order did.
  const decided = new Map<string, P | null>();
  const rounds: ConfirmationCandidate<P>[][] = [];
  const occurrences = new Map<string, number>();
  for (const c of candidates) {
    if (decided.has(c.eventId)) continue;
    decided.set(c.eventId, null);
    const k = `${c.accountId}\u0000${c.channel}\u0000${c.identifier}\u0000${c.action}`;
    const round = occurrences.get(k) ?? 0;
    occurrences.set(k, round + 1);
    (rounds[round] ??= []).push(c);
  }
  const unclaimed: string[] = [];
  for (const round of rounds) {
    // Claim the events (a concurrent redelivery waits here, then reads the stored decision);
    // for the claimed ones, the upsert locks the (account, channel, identifier, action) row, so
    // two STOPs recorded at once cannot both see "no confirmation yet".
    const { rows } = await client.query<{ event_id: string; claimed: boolean; sent: boolean }>(
      `WITH c AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::boolean[], $8::float8[])
           AS c(event_id, account_id, channel, identifier, action, occurred_at, state_changed, window_ms)
       ),
       claimed AS (
         INSERT INTO sms_confirmation_decisions (event_id) SELECT event_id FROM c ORDER BY event_id
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id
       ),
       sent AS (
         INSERT INTO sms_confirmations (account_id, channel, identifier, action, last_sent_at, last_event_id)
         SELECT c.account_id, c.channel, c.identifier, c.action, c.occurred_at, c.event_id
         FROM c JOIN claimed USING (event_id) ORDER BY c.account_id, c.channel, c.identifier, c.action
         ON CONFLICT (account_id, channel, identifier, action) DO UPDATE
           SET last_sent_at = GREATEST(sms_confirmations.last_sent_at, EXCLUDED.last_sent_at), last_event_id = EXCLUDED.last_event_id
           WHERE (SELECT c.state_changed FROM c WHERE c.event_id = EXCLUDED.last_event_id)
              OR EXCLUDED.last_sent_at >= sms_confirmations.last_sent_at
                 + make_interval(secs => (SELECT c.window_ms FROM c WHERE c.event_id = EXCLUDED.last_event_id) / 1000)
         RETURNING last_event_id
       )
       SELECT c.event_id, (claimed.event_id IS NOT NULL) AS claimed, (sent.last_event_id IS NOT NULL) AS sent
       FROM c LEFT JOIN claimed USING (event_id) LEFT JOIN sent ON sent.last_event_id = c.event_id`,
      [
        round.map((c) => c.eventId),
        round.map((c) => c.accountId),
        round.map((c) => c.channel),
        round.map((c) => c.identifier),
        round.map((c) => c.action),
        round.map((c) => c.occurredAt),
        round.map((c) => c.stateChanged),
        round.map((c) => c.windowMs),
      ],
    );
    const byId = new Map(round.map((c) => [c.eventId, c]));
    const toStore: ConfirmationCandidate<P>[] = [];
    for (const row of rows) {
      if (!row.claimed) unclaimed.push(row.event_id);
      else if (row.sent) toStore.push(byId.get(row.event_id)!);
    }
    if (toStore.length > 0) {
      await client.query(
        `UPDATE sms_confirmation_decisions d SET payload = t.payload::jsonb
         FROM unnest($1::uuid[], $2::text[]) AS t(event_id, payload) WHERE d.event_id = t.event_id`,
        [toStore.map((c) => c.eventId), toStore.map((c) => JSON.stringify(c.payload))],
      );
      for (const c of toStore) decided.set(c.eventId, c.payload);
    }
  }
  if (unclaimed.length > 0) {
    // A new statement, so it sees decisions committed while the claim waited.
    const { rows } = await client.query<{ event_id: string; payload: P | null }>(
      "SELECT event_id, payload FROM sms_confirmation_decisions WHERE event_id = ANY($1::uuid[])",
      [unclaimed],
    );
    for (const row of rows) decided.set(row.event_id, row.payload);
  }
  const send: P[] = [];
  for (const c of candidates) {
    const payload = decided.get(c.eventId);
    if (payload) send.push(payload);
  }
  return send;
}
