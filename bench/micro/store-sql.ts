/**
 * Before/after of the confirmation decisions in the recorder's transaction: decideConfirmations
 * with 2-3 statements per candidate (before) vs a claim-and-upsert statement and one payload
 * write per batch (after). Batches of 128 new opt-outs, 4 at a time (the consumer runner's
 * defaults), events and webhook jobs written in the same transaction as the recorder does.
 *   node --conditions=development --import tsx bench/micro/store-sql.ts
 */
import { randomUUID } from "node:crypto";
import { decideConfirmations, insertWebhookJobs, recordEvents, type NewEvent } from "@optout/store";
import { createTestEnv } from "@optout/testkit";
import { decideConfirmationsBefore } from "./old/confirmations.js";
import { abRounds, rate } from "./lib.js";

process.env.TEST_LOG_LEVEL ??= "warn";
const env = await createTestEnv({ name: "micro-store", overrides: { databasePoolSize: 5 } });
const pool = env.infra.pool;
const BATCH = 128;
const CONCURRENCY = 4;
const MS = 3_000;
let n = 0;
const event = (): NewEvent => ({
  scope: "account:micro",
  channel: "sms",
  identifier: `+3165${String(n++).padStart(7, "0")}`,
  action: "opt_out",
  source: "sms_keyword",
  sourceId: randomUUID(),
  accountId: "micro",
  occurredAt: new Date().toISOString(),
  reason: "keyword:STOP",
  evidence: { text: "STOP", to: "3010" },
});
try {
  const variants: Record<string, () => Promise<number>> = {};
  for (const [name, decide] of Object.entries({
    before: decideConfirmationsBefore,
    after: decideConfirmations,
  })) {
    variants[name] = () =>
      rate(MS, CONCURRENCY, async () => {
        await recordEvents(pool, Array.from({ length: BATCH }, event), {
          beforeCommit: async (client, rs) => {
            await insertWebhookJobs(
              client,
              rs.map((r) => r.eventId),
            );
            await decide(
              client,
              rs.map((e) => ({
                eventId: e.eventId,
                accountId: "micro",
                channel: "sms",
                identifier: e.identifier,
                action: e.action,
                occurredAt: e.occurredAt,
                stateChanged: e.stateChanged,
                windowMs: 86_400_000,
                payload: { id: e.eventId },
              })),
            );
          },
        });
        return BATCH;
      });
  }
  variants["without confirmations (reference)"] = () =>
    rate(MS, CONCURRENCY, async () => {
      await recordEvents(pool, Array.from({ length: BATCH }, event), {
        beforeCommit: (client, rs) =>
          insertWebhookJobs(
            client,
            rs.map((r) => r.eventId),
          ),
      });
      return BATCH;
    });
  await abRounds(
    "record events + webhook jobs + confirmation decisions, one transaction per batch (events/s)",
    "events/s",
    variants,
  );
} finally {
  await env.teardown();
}
