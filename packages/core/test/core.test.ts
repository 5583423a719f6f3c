import t from "tap";
import { Writable } from "node:stream";
import {
  createLogger,
  DependencyUnavailableError,
  errorCodeOf,
  InvalidPayloadError,
  isRetryable,
  maskIdentifier,
  namesFor,
} from "@optout/core";

t.test("names derive every subject, stream, consumer and key from the namespace", async (t) => {
  const n = namesFor("optout");
  t.equal(n.subjects.inboundSms, "optout.inbound.sms");
  t.equal(n.subjects.event("sms", "opt_out"), "optout.events.sms.opt_out");
  t.equal(n.subjects.dlqFor("optout.inbound.sms"), "optout.dlq.inbound.sms");
  t.equal(n.streams.inboundSms, "OPTOUT_INBOUND_SMS");
  t.equal(namesFor("acme-eu").streams.dlq, "ACME_EU_DLQ", "hyphens become underscores in stream names");
  t.equal(n.consumer("sms-inbound"), "optout-sms-inbound");
  t.equal(n.redisPrefix, "optout:");
  t.throws(() => namesFor("Bad.Name"), /OPTOUT_NAMESPACE "Bad.Name" is invalid/);
});

t.test("errors carry codes and retry semantics", async (t) => {
  t.equal(isRetryable(new InvalidPayloadError("x")), false);
  t.equal(isRetryable(new DependencyUnavailableError("postgres", "down")), true);
  t.equal(isRetryable(new Error("unknown")), true, "untyped errors are retried rather than dropped");
  t.equal(errorCodeOf(new Error("x")), "INTERNAL");
  t.same(new InvalidPayloadError("bad").toJSON(), { code: "INVALID_PAYLOAD", message: "bad" });
});

t.test("the logger redacts phone numbers, addresses, texts and secrets", async (t) => {
  const lines: string[] = [];
  const destination = new Writable({
    write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()),
  });
  const logger = createLogger({ name: "t", level: "info", destination });
  logger.info(
    {
      from: "+31612345678",
      text: "STOP please",
      email: "jane@example.com",
      msg2: { to: "+33612345678" },
      token: "abc",
    },
    "hello",
  );
  const out = lines.join("");
  for (const secret of ["+31612345678", "STOP please", "jane@example.com", "+33612345678", 'abc"'])
    t.notOk(out.includes(secret), `no ${secret}`);
  t.match(out, /\[redacted\]/);
  t.equal(maskIdentifier("+31612345678"), "+316******78");
  t.equal(maskIdentifier("jane@example.com"), "j***@example.com");
});
