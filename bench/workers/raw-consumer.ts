/**
 * The ingest baseline's consumer: pulls the same payloads from a durable JetStream consumer
 * with the same window as the workers (consume, max_messages = MAX_IN_FLIGHT), parses each
 * and acks it. Nothing else: the most a worker could do with the bus alone.
 */
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const stream = process.env.RAW_STREAM;
const durable = process.env.RAW_DURABLE;
if (!stream || !durable) throw new Error("RAW_STREAM and RAW_DURABLE are required");
const nc = await connect({
  servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
  name: "bench-raw-consumer",
});
const consumer = await jetstream(nc).consumers.get(stream, durable);
const messages = await consumer.consume({ max_messages: Number(process.env.MAX_IN_FLIGHT ?? 256) });
process.once("SIGTERM", () => void messages.close());
process.stdout.write("raw-consumer ready\n");
const decoder = new TextDecoder();
for await (const m of messages) {
  JSON.parse(decoder.decode(m.data));
  m.ack();
}
await nc.drain();
