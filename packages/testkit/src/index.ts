export { createTestEnv, createCapturingLogger, randomSuffix, dropSchema, TEST_DATABASE_URL, TEST_NATS_URL, TEST_REDIS_URL } from "./env.js";
export type { TestEnv } from "./env.js";
export { publishInbound, requestJson, waitFor, waitForAck, readDeadLetters } from "./nats.js";
