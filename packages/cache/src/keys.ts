/**
 * Redis key layout of one filter. Every key starts with the same `{scope:channel}` hash tag, so
 * all keys of a filter live in one Redis Cluster slot and one Lua script or pipeline may touch
 * them all.
 */
export interface FilterKeys {
  /** The bitmap that checks read. */
  readonly live: string;
  /** Readiness marker: `<signature>|<generation>`; only a completed rebuild sets it. */
  readonly ready: string;
  /** Set while a rebuild runs (value: the rebuild's token); add() then also writes `tmp`. */
  readonly building: string;
  /** Collects add() writes during a rebuild; becomes `live` when the rebuild commits. */
  readonly tmp: string;
  /** Rebuild lock (value: the rebuild's token, with a TTL renewed while the rebuild runs). */
  readonly lock: string;
  /** The bitmap built from the source by one rebuild, OR-ed into `tmp` at commit. */
  staging(generation: string): string;
}

const CHANNEL_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * `${prefix}bloom:{${scope}:${channel}}` and its siblings. The channel may not contain ":" and
 * neither part may contain braces, so two (scope, channel) pairs never share a key or a tag.
 */
export function filterKeys(prefix: string, scope: string, channel: string): FilterKeys {
  if (scope.length === 0 || scope.length > 200 || /[{}\s]/.test(scope)) {
    throw new TypeError(
      `invalid filter scope ${JSON.stringify(scope)}: expected e.g. "org:acme" (no braces or spaces)`,
    );
  }
  if (!CHANNEL_PATTERN.test(channel)) {
    throw new TypeError(`invalid filter channel ${JSON.stringify(channel)}: expected e.g. "sms" or "email"`);
  }
  const live = `${prefix}bloom:{${scope}:${channel}}`;
  return {
    live,
    ready: `${live}:ready`,
    building: `${live}:building`,
    tmp: `${live}:tmp`,
    lock: `${live}:lock`,
    staging: (generation: string) => `${live}:staging:${generation}`,
  };
}
