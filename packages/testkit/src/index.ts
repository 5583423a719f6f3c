export {
  createTestEnv,
  createCapturingLogger,
  randomSuffix,
  dropSchema,
  TEST_DATABASE_URL,
  TEST_NATS_URL,
  TEST_REDIS_URL,
} from "./env.js";
export type { TestEnv, TestEnvConfig } from "./env.js";
export { publishInbound, requestJson, requestChunked, waitFor, waitForAck, readDeadLetters } from "./nats.js";
export { startTcpProxy } from "./tcp-proxy.js";
export type { TcpProxy } from "./tcp-proxy.js";
export { spawnService, startRedisServer, freePort, REPO_ROOT } from "./processes.js";
export type { WorkerProcess, RedisServer } from "./processes.js";
export {
  startNatsServer,
  startNatsCluster,
  NATS_SERVER_BIN,
  DEFAULT_NATS_START_TIMEOUT_MS,
} from "./nats-cluster.js";
export type { NatsServer, NatsServerNode, NatsCluster } from "./nats-cluster.js";
