import type { PoolClient } from "./pool.js";

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
  const send: P[] = [];
  for (const c of candidates) {
    // Claim the event; a concurrent redelivery waits here and then reads the stored decision.
    const claimed = await client.query(
      "INSERT INTO sms_confirmation_decisions (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
      [c.eventId],
    );
    if (claimed.rowCount === 0) {
      const { rows } = await client.query<{ payload: P | null }>(
        "SELECT payload FROM sms_confirmation_decisions WHERE event_id = $1",
        [c.eventId],
      );
      if (rows[0]?.payload) send.push(rows[0].payload);
      continue;
    }
    // The upsert locks the (account, channel, identifier, action) row, so two STOPs recorded
    // at once cannot both see "no confirmation yet".
    const sent = await client.query(
      `INSERT INTO sms_confirmations (account_id, channel, identifier, action, last_sent_at, last_event_id)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $6::uuid)
       ON CONFLICT (account_id, channel, identifier, action) DO UPDATE
         SET last_sent_at = GREATEST(sms_confirmations.last_sent_at, EXCLUDED.last_sent_at), last_event_id = EXCLUDED.last_event_id
         WHERE $7::boolean OR EXCLUDED.last_sent_at >= sms_confirmations.last_sent_at + make_interval(secs => $8::double precision / 1000)
       RETURNING account_id`,
      [c.accountId, c.channel, c.identifier, c.action, c.occurredAt, c.eventId, c.stateChanged, c.windowMs],
    );
    if (sent.rowCount === 0) continue;
    await client.query("UPDATE sms_confirmation_decisions SET payload = $2::jsonb WHERE event_id = $1", [
      c.eventId,
      JSON.stringify(c.payload),
    ]);
    send.push(c.payload);
  }
  return send;
}
