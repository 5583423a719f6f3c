import type { ChainableCommander, Redis } from "ioredis";

/**
 * The filter's Lua scripts. Each is a handful of commands with no loop over items: bit offsets
 * arrive precomputed, already shaped as BITFIELD arguments, and are passed on with unpack().
 * Values of `lock`, `building` and `ready` are `<signature>|<generation>`; the signature names
 * the geometry and hash version, so a process configured differently never trusts, nor
 * completes, a filter laid out by another.
 */

/**
 * KEYS: live, ready, building, tmp. ARGV: signature, then `SET u1 <offset> 1` repeated.
 * Writes live; while a rebuild of the same signature runs, writes tmp too. A ready marker or a
 * rebuild of another signature is dropped: these bits would be in places its readers never look.
 */
const ADD = `
local tag = ARGV[1] .. '|'
local ready = redis.call('GET', KEYS[2])
if ready and string.sub(ready, 1, #tag) ~= tag then redis.call('DEL', KEYS[2]) end
redis.call('BITFIELD', KEYS[1], unpack(ARGV, 2))
local building = redis.call('GET', KEYS[3])
if building then
  if string.sub(building, 1, #tag) == tag then
    redis.call('BITFIELD', KEYS[4], unpack(ARGV, 2))
  else
    redis.call('DEL', KEYS[3])
  end
end
return 1
`;

/**
 * KEYS: lock, building, tmp. ARGV: token, ttlMs. Takes the lock, flags the rebuild (from now on
 * add() also writes tmp) and clears any tmp left by an earlier rebuild, in one step.
 */
const BEGIN = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('DEL', KEYS[3])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** KEYS: lock, building. ARGV: token, ttlMs. Extends both while this rebuild still owns them. */
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`;

/**
 * KEYS: lock, building, tmp, staging, live, ready. ARGV: token, expected bytes.
 * Publishes the rebuild only if it still owns the lock AND the building flag (so every add()
 * since the flag was set is in tmp): tmp |= staging, tmp -> live, ready = token.
 * Returns 1 on success, 0 if ownership was lost, -1 if staging is not the expected size.
 */
const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('GET', KEYS[2]) ~= ARGV[1] then
  redis.call('DEL', KEYS[4])
  return 0
end
if redis.call('STRLEN', KEYS[4]) ~= tonumber(ARGV[2]) then return -1 end
redis.call('BITOP', 'OR', KEYS[3], KEYS[3], KEYS[4])
redis.call('RENAME', KEYS[3], KEYS[5])
redis.call('PERSIST', KEYS[5])
redis.call('DEL', KEYS[4], KEYS[2], KEYS[1])
redis.call('SET', KEYS[6], ARGV[1])
return 1
`;

/** KEYS: lock, building, tmp, staging. ARGV: token. Undoes what this rebuild still owns. */
const ABORT = `
redis.call('DEL', KEYS[4])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2], KEYS[3]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

const SCRIPTS = {
  optoutBloomAddV1: { lua: ADD, numberOfKeys: 4 },
  optoutBloomBeginV1: { lua: BEGIN, numberOfKeys: 3 },
  optoutBloomRenewV1: { lua: RENEW, numberOfKeys: 2 },
  optoutBloomCommitV1: { lua: COMMIT, numberOfKeys: 6 },
  optoutBloomAbortV1: { lua: ABORT, numberOfKeys: 4 },
} as const;

export type ScriptName = keyof typeof SCRIPTS;

const defined = new WeakSet<Redis>();

/** Registers the scripts on a connection (once); ioredis then runs them by EVALSHA. */
export function defineScripts(redis: Redis): void {
  if (defined.has(redis)) return;
  for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
  defined.add(redis);
}

type ScriptArg = string | number | Buffer;

/** Runs a script directly; resolves to its reply. */
export function runScript(
  redis: Redis,
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArg[],
): Promise<unknown> {
  return method(redis, name)(...keys, ...args) as Promise<unknown>;
}

/** Queues a script on a pipeline (defined on the pipeline because the connection defines it). */
export function queueScript(
  pipeline: ChainableCommander,
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArg[],
): void {
  method(pipeline, name)(...keys, ...args);
}

function method(target: object, name: ScriptName): (...args: ScriptArg[]) => unknown {
  const fn: unknown = (target as Record<string, unknown>)[name];
  if (typeof fn !== "function") {
    throw new Error(`script ${name} is not defined on this connection: call defineScripts(redis) first`);
  }
  return (fn as (...args: ScriptArg[]) => unknown).bind(target);
}
