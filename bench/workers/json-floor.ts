/**
 * The batch check's floor: a responder that only parses each `optout.check` request and builds
 * a reply of the same shape (every recipient "not opted out", as sent), then encodes it. No
 * account, normalization, filter or Postgres: the most a check over NATS with JSON could do.
 */
import { connect } from "@nats-io/transport-node";

const subject = process.env.FLOOR_SUBJECT;
if (!subject) throw new Error("FLOOR_SUBJECT is required");
const nc = await connect({
  servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
  name: "bench-json-floor",
});
const decoder = new TextDecoder();
nc.subscribe(subject, {
  queue: "bench-json-floor",
  callback: (_err, msg) => {
    const request = JSON.parse(decoder.decode(msg.data)) as { recipients: string[] };
    const results = request.recipients.map((recipient) => ({
      recipient,
      identifier: recipient,
      suppressed: false,
      reason: "not_opted_out",
    }));
    msg.respond(JSON.stringify({ results }));
  },
});
await nc.flush();
process.once("SIGTERM", () => void nc.drain().then(() => process.exit(0)));
process.stdout.write("json-floor ready\n");
