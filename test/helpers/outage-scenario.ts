/**
 * An ingest across a long outage of one dependency, as guarantee 10 describes it: STOPs keep
 * arriving while the dependency is away for longer than the whole retry budget; afterwards
 * every one is recorded exactly once, none is dead-lettered, and /readyz said 503 meanwhile.
 */
import type { Test } from "tap";
import { publishInbound, waitFor } from "@optout/testkit";
import type { System } from "./system.js";

export interface OutageFigures {
  sent: number;
  recorded: number;
  duplicated: number;
  deadLettered: number;
  notReadyDuring: boolean;
  reasons: string[];
  recoveredMs: number;
}

const PHONE_BASE = 31_620_000_000;

async function readyz(system: System): Promise<{ status: number; reasons: string[] }> {
  const res = await fetch(`${system.apiUrl}/readyz`);
  const body = (await res.json()) as { reasons?: string[] };
  return { status: res.status, reasons: body.reasons ?? [] };
}

async function publishStops(system: System, from: number, count: number, tag: string): Promise<void> {
  const { infra } = system.env;
  for (let i = from; i < from + count; i++) {
    const id = `${tag}-${i}`;
    await publishInbound(
      infra.js,
      infra.names.subjects.inboundSms,
      {
        id,
        accountId: "acme-nl",
        from: `+${PHONE_BASE + i}`,
        to: "3010",
        text: "STOP",
        receivedAt: new Date().toISOString(),
      },
      id,
    );
  }
}

export async function runOutageScenario(
  t: Test,
  system: System,
  options: {
    dependency: string;
    outageMs: number;
    cut(): Promise<void> | void;
    restore(): Promise<void> | void;
    perPhase?: number;
  },
): Promise<OutageFigures> {
  const { infra } = system.env;
  const perPhase = options.perPhase ?? 300;
  const tag = `outage-${options.dependency}`;
  await publishStops(system, 0, perPhase, tag);

  await options.cut();
  const cutAt = Date.now();
  await publishStops(system, perPhase, perPhase * 2, tag);
  let notReadyDuring = false;
  let reasons: string[] = [];
  while (Date.now() - cutAt < options.outageMs) {
    const r = await readyz(system).catch(() => ({ status: 0, reasons: [] as string[] }));
    if (r.status === 503 && r.reasons.some((x) => x.includes(options.dependency))) {
      notReadyDuring = true;
      reasons = r.reasons;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await options.restore();
  const restoredAt = Date.now();
  await publishStops(system, perPhase * 3, perPhase, tag);
  const sent = perPhase * 4;

  const schema = system.env.config.databaseSchema;
  const counts = await waitFor(
    "every STOP recorded after the outage",
    async () => {
      const { rows } = await infra.pool.query<{ events: string; distinct_ids: string }>(
        `select count(*) as events, count(distinct source_id) as distinct_ids from "${schema}".optout_events where source_id like $1`,
        [`${tag}-%`],
      );
      const row = rows[0]!;
      return Number(row.distinct_ids) === sent ? row : undefined;
    },
    120_000,
    250,
  );
  const recoveredMs = Date.now() - restoredAt;
  await waitFor("ready again", async () => (await readyz(system)).status === 200, 30_000, 250);
  const dlq = await infra.jsm.streams.info(infra.names.streams.dlq);
  const consumer = await infra.jsm.consumers.info(
    infra.names.streams.inboundSms,
    infra.names.consumer("sms-inbound"),
  );
  const figures: OutageFigures = {
    sent,
    recorded: Number(counts.distinct_ids),
    duplicated: Number(counts.events) - Number(counts.distinct_ids),
    deadLettered: dlq.state.messages,
    notReadyDuring,
    reasons,
    recoveredMs,
  };
  t.comment(
    `${options.dependency} down ${options.outageMs} ms: sent ${figures.sent}, recorded ${figures.recorded}, duplicated ${figures.duplicated}, ` +
      `dead-lettered ${figures.deadLettered}, all recorded ${recoveredMs} ms after it came back; readyz during: ${reasons.join("; ")}`,
  );
  t.equal(figures.recorded, sent, "every STOP recorded");
  t.equal(figures.duplicated, 0, "none recorded twice");
  t.equal(figures.deadLettered, 0, "none dead-lettered");
  t.ok(notReadyDuring, `/readyz answered 503 naming ${options.dependency} during the outage`);
  t.equal(consumer.num_ack_pending + consumer.num_pending, 0, "nothing left unacked");
  return figures;
}
