export { connectNats, natsSecurityOptions, DEFAULT_NATS_CONNECT_TIMEOUT_MS } from "./connect.js";
export type {
  NatsConnection,
  ConnectNatsOptions,
  NatsSecurityConfig,
  NatsSecurityOptions,
} from "./connect.js";
export {
  ensureStreams,
  ensureDurableConsumer,
  streamConfigs,
  DEFAULT_INBOUND_MAX_AGE_MS,
  DEFAULT_DUPLICATE_WINDOW_MS,
  DEFAULT_DLQ_MAX_AGE_MS,
} from "./streams.js";
export type { StreamOptions, StreamDrift, DurableConsumerOptions } from "./streams.js";
export {
  runConsumer,
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  DEFAULT_ACK_WAIT_MS,
} from "./consumer-runner.js";
export type {
  Outcome,
  OutcomeKind,
  BatchItem,
  RunConsumerOptions,
  ConsumerRunner,
} from "./consumer-runner.js";
export { runIsolated } from "./isolation.js";
export type { Resolution, IsolationContext } from "./isolation.js";
export { waitForDependencies, DEFAULT_OUTAGE_FIRST_PROBE_MS, DEFAULT_OUTAGE_MAX_PROBE_MS } from "./outage.js";
export type { OutageGate } from "./outage.js";
export {
  publishDeadLetter,
  DLQ_REASON_HEADER,
  DLQ_SUBJECT_HEADER,
  DLQ_STREAM_HEADER,
  DLQ_STREAM_SEQ_HEADER,
  DLQ_MSG_ID_HEADER,
} from "./dead-letter.js";
export type { DeadLetter } from "./dead-letter.js";
export { listDeadLetters, getDeadLetter, DEFAULT_DEAD_LETTER_PAGE_SIZE } from "./dead-letters.js";
export type {
  DeadLetterBus,
  DeadLetterFilter,
  DeadLetterSummary,
  DeadLetterDetail,
  DeadLetterBody,
  DeadLetterPage,
  ListDeadLettersOptions,
} from "./dead-letters.js";
export {
  replayDeadLetters,
  replayMsgId,
  REPLAY_OF_HEADER,
  MAX_REPORTED_REPLAY_ITEMS,
} from "./dead-letter-replay.js";
export type {
  ReplaySelection,
  ReplayOptions,
  ReplayProgress,
  ReplayReport,
  ReplayItem,
  ReplayOutcome,
} from "./dead-letter-replay.js";
export { watchMaxDeliveries } from "./advisories.js";
export { publishJson, publishJsonBatch, encodeJson, DEFAULT_PUBLISH_TIMEOUT_MS } from "./publish.js";
export type { JsonMessage } from "./publish.js";
export { startResponder, errorReply, SERVICE_ERROR_HEADER, SERVICE_ERROR_CODE_HEADER } from "./responder.js";
export type { Responder, ResponderOptions } from "./responder.js";
export { retryDelayMs } from "./backoff.js";
export {
  replyParts,
  DEFAULT_MAX_PAYLOAD_BYTES,
  ENVELOPE_BYTES as REPLY_ENVELOPE_BYTES,
} from "./reply-parts.js";
export { openConsumerMessages, PULL_EXPIRES_MS, RELEASE_DELAY_MS } from "./consumer-messages.js";
export { requestBulkCheck } from "./bulk-check-client.js";
