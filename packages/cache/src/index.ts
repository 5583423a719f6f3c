export {
  SuppressionFilter,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CHECK_TIMEOUT_MS,
  DEFAULT_REBUILD_LOCK_TTL_MS,
} from "./filter.js";
export type { SuppressionFilterOptions, RebuildResult, ReadMode } from "./filter.js";
export {
  bloomGeometry,
  blockedBloomFalsePositiveRate,
  blockFalsePositiveTable,
  multiBlockFalsePositiveRate,
  BLOCK_DATA_BITS,
} from "./geometry.js";
export type { BloomGeometry, BloomGeometryOptions, BlocksPerEntry } from "./geometry.js";
export { filterKeys } from "./keys.js";
export type { FilterKeys } from "./keys.js";
export {
  createRedis,
  DEFAULT_REDIS_CONNECT_TIMEOUT_MS,
  DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
  DEFAULT_REDIS_MAX_RECONNECT_DELAY_MS,
} from "./redis.js";
export type { CreateRedisOptions } from "./redis.js";
