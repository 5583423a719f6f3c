/**
 * A token bucket per client address, in memory: each address may make `capacity` requests at
 * once and gets `refillPerSecond` back over time. It keeps link guessing and form floods off
 * the database and the bus. Per process: with N replicas behind a load balancer an address
 * gets up to N times the rate, which is fine for this purpose (a shared limit would need Redis).
 */

export interface RateLimiterOptions {
  capacity: number;
  refillPerSecond: number;
  /** Addresses tracked at most; the least recently seen are forgotten first (they get a full bucket back). */
  maxClients?: number;
  now?: () => number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until one request is allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export const DEFAULT_MAX_CLIENTS = 100_000;

export class RateLimiter {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;
  // Map iteration order is insertion order: re-inserting on every use keeps it least-recently-used first.
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: RateLimiterOptions) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0)) {
      throw new RangeError("rate limiter: capacity must be >= 1 and refillPerSecond > 0");
    }
    this.#capacity = options.capacity;
    this.#refillPerMs = options.refillPerSecond / 1000;
    this.#maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
    this.#now = options.now ?? Date.now;
  }

  take(key: string): RateDecision {
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    let tokens = this.#capacity;
    if (bucket) {
      tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) * this.#refillPerMs);
      this.#buckets.delete(key);
    } else if (this.#buckets.size >= this.#maxClients) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.#buckets.set(key, { tokens, at: now });
    return { allowed, retryAfterSeconds: allowed ? 0 : Math.ceil((1 - tokens) / this.#refillPerMs / 1000) };
  }

  get size(): number {
    return this.#buckets.size;
  }
}
