import t from "tap";
import { DependencyUnavailableError } from "@optout/core";
import { publishJsonBatch } from "@optout/bus";
import { createTestEnv } from "@optout/testkit";

const env = await createTestEnv({ name: "publish-batch" });
t.teardown(() => env.teardown());
const { infra } = env;
const { names } = infra;

t.test(
  "every message is stored once under its id; a republish of the batch stores nothing new",
  async (t) => {
    const messages = Array.from({ length: 300 }, (_, i) => ({
      subject: i % 2 === 0 ? names.subjects.outboundWebhook : names.subjects.outboundSms,
      payload: { n: i },
      msgId: `batch-test-${i}`,
    }));
    await publishJsonBatch(infra.js, messages);
    let info = await infra.jsm.streams.info(names.streams.outbound);
    t.equal(info.state.messages, 300, "all stored");
    const first = await infra.jsm.streams.getMessage(names.streams.outbound, { seq: info.state.first_seq });
    t.same(first?.json(), { n: 0 }, "the payload is the JSON of the message");
    t.equal(first?.header.get("Nats-Msg-Id"), "batch-test-0", "with its Nats-Msg-Id");

    await publishJsonBatch(infra.js, messages);
    info = await infra.jsm.streams.info(names.streams.outbound);
    t.equal(
      info.state.messages,
      300,
      "a redelivery's republish is dropped as duplicates, and still resolves",
    );
  },
);

t.test("a subject no stream stores rejects with a retryable dependency error", async (t) => {
  const err = await publishJsonBatch(infra.js, [
    { subject: names.subjects.outboundSms, payload: { ok: true }, msgId: "fine-1" },
    { subject: `${names.namespace}.nowhere`, payload: {}, msgId: "lost-1" },
  ]).catch((e: unknown) => e);
  t.ok(err instanceof DependencyUnavailableError, "DependencyUnavailableError");
  t.equal((err as DependencyUnavailableError).retryable, true);
  t.match((err as Error).message, /nowhere/);
});

t.test("an empty batch is a no-op", async (t) => {
  await publishJsonBatch(infra.js, []);
  t.pass();
});
