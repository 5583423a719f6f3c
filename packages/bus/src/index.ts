export { connectNats, DEFAULT_NATS_CONNECT_TIMEOUT_MS } from "./connect.js";
export type { NatsConnection, ConnectNatsOptions } from "./connect.js";
export {
  ensureStreams,
  ensureDurableConsumer,
  streamConfigs,
  DEFAULT_INBOUND_MAX_AGE_MS,
  DEFAULT_DUPLICATE_WINDOW_MS,
} from "./streams.js";
export type { StreamOptions, DurableConsumerOptions } from "./streams.js";
export { runConsumer, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY } from "./consumer-runner.js";
export type { Outcome, OutcomeKind, BatchItem, RunConsumerOptions, ConsumerRunner } from "./consumer-runner.js";
export { publishDeadLetter, DLQ_REASON_HEADER, DLQ_SUBJECT_HEADER, DLQ_STREAM_SEQ_HEADER } from "./dead-letter.js";
export type { DeadLetter } from "./dead-letter.js";
export { watchMaxDeliveries } from "./advisories.js";
export { publishJson, publishJsonBatch, encodeJson, DEFAULT_PUBLISH_TIMEOUT_MS } from "./publish.js";
export type { JsonMessage } from "./publish.js";
export { startResponder, errorReply, SERVICE_ERROR_HEADER, SERVICE_ERROR_CODE_HEADER } from "./responder.js";
export type { Responder, ResponderOptions } from "./responder.js";
export { retryDelayMs } from "./backoff.js";
export { replyParts, DEFAULT_MAX_PAYLOAD_BYTES, ENVELOPE_BYTES as REPLY_ENVELOPE_BYTES } from "./reply-parts.js";
export { consumeWithRestarts, openConsumerMessages } from "./consumer-messages.js";
