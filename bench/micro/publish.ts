/**
 * Before/after of the recorder's publishing: 384 JetStream publishes (three per event for a
 * batch of 128) awaited one request each, with and without the connection's async stack
 * traces, vs publishJsonBatch (one reply subscription and one timer per batch).
 *   node --conditions=development --import tsx bench/micro/publish.ts
 */
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { publishJson, publishJsonBatch } from "@optout/bus";
import { abRounds, cpuPerCall } from "./lib.js";

const servers = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const withTraces = await connect({ servers, name: "micro-publish-traces" });
const noTraces = await connect({ servers, name: "micro-publish", noAsyncTraces: true });
const jsm = await jetstreamManager(noTraces);
const stream = `MICRO_PUBLISH_${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
const subject = stream.toLowerCase();
await jsm.streams.add({ name: stream, subjects: [subject], duplicate_window: 120_000_000_000 });
const PER_BATCH = 384;
let id = 0;
const payload = () => ({
  eventId: `e-${id}`,
  accountId: "micro",
  scope: "account:micro",
  channel: "sms",
  identifier: "+31650000000",
  action: "opt_out",
  source: "sms_keyword",
  occurredAt: new Date().toISOString(),
});
try {
  const js = { traces: jetstream(withTraces), plain: jetstream(noTraces) };
  await abRounds(`client CPU per batch of ${PER_BATCH} publishes, acks awaited (microseconds)`, "µs", {
    "js.publish each (async traces on: before)": () =>
      cpuPerCall(200, () =>
        Promise.all(
          Array.from({ length: PER_BATCH }, () => publishJson(js.traces, subject, payload(), `m-${id++}`)),
        ),
      ),
    "js.publish each (noAsyncTraces)": () =>
      cpuPerCall(200, () =>
        Promise.all(
          Array.from({ length: PER_BATCH }, () => publishJson(js.plain, subject, payload(), `m-${id++}`)),
        ),
      ),
    "publishJsonBatch (after)": () =>
      cpuPerCall(200, () =>
        publishJsonBatch(
          js.plain,
          Array.from({ length: PER_BATCH }, () => ({ subject, payload: payload(), msgId: `m-${id++}` })),
        ),
      ),
  });
} finally {
  await jsm.streams.delete(stream);
  await withTraces.close();
  await noTraces.close();
}
