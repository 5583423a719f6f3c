import type { PoolClient } from "@optout/store";
import type { ConfirmationCandidate } from "@optout/store";
/** decideConfirmations of before the change (two or three statements per candidate), kept for the A/B in bench/micro/store-sql.ts. */
export async function decideConfirmationsBefore<P>(
  client: PoolClient,
  candidates: readonly ConfirmationCandidate<P>[],
): Promise<P[]> {
  const send: P[] = [];
  for (const c of candidates) {
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
