import t from "tap";
import type { Redis } from "ioredis";
import { ConflictError } from "@optout/core";
import { SuppressionFilter, filterKeys, type SuppressionFilterOptions } from "../src/index.js";
import {
  batchedSource,
  connectFilterClients,
  deleteByPrefix,
  memoryLogger,
  phoneNumbers,
  randomEmails,
  sleep,
  testPrefix,
} from "./fixtures/helpers.js";

const SCOPE = "org:acme";
const CHANNEL = "sms";

const { narrow, wide, admin } = await connectFilterClients((fn) => t.teardown(fn));

/** A filter on its own key prefix, removed after the test. */
function setup(
  t: { teardown(fn: () => unknown): void },
  options: Partial<SuppressionFilterOptions> = {},
  redis: Redis = narrow,
): { filter: SuppressionFilter; prefix: string; lines: Array<Record<string, unknown>> } {
  const prefix = options.prefix ?? testPrefix();
  const { logger, lines } = memoryLogger();
  const filter = new SuppressionFilter(redis, {
    prefix,
    expectedEntries: 100_000,
    falsePositiveRate: 0.001,
    logger,
    // Timeouts are tested in dead-redis.test.ts; here a busy test machine must not turn answers into null.
    checkTimeoutMs: 10_000,
    ...options,
  });
  t.teardown(() => deleteByPrefix(admin, prefix));
  return { filter, prefix, lines };
}

async function checkAll(filter: SuppressionFilter, ids: readonly string[]): Promise<boolean[] | null> {
  const out: boolean[] = [];
  for (let i = 0; i < ids.length; i += 10_000) {
    const part = await filter.mightContain(SCOPE, CHANNEL, ids.slice(i, i + 10_000));
    if (part === null) return null;
    out.push(...part);
  }
  return out;
}

t.test("a filter that was never built cannot vouch", async (t) => {
  const { filter } = setup(t);
  t.equal(await filter.mightContain(SCOPE, CHANNEL, ["+31612345678"]), null);
  t.equal(await filter.isReady(SCOPE, CHANNEL), false);
  t.equal(await filter.sizeBytes(SCOPE, CHANNEL), 0);
  await filter.add(SCOPE, CHANNEL, ["+31612345678"]);
  t.equal(
    await filter.mightContain(SCOPE, CHANNEL, ["+31612345678"]),
    null,
    "add() alone does not make it ready",
  );
  t.same(await filter.mightContain(SCOPE, CHANNEL, []), [], "nothing asked, nothing to vouch for");
});

t.test("after a rebuild every member is a maybe, in both read modes", async (t) => {
  const { filter, prefix } = setup(t);
  const { filter: viaU63 } = setup(t, { prefix }, wide);
  t.equal(filter.readMode, "u32+u31");
  t.equal(viaU63.readMode, "u63");
  const members = phoneNumbers(50_000);
  const result = await filter.rebuild(SCOPE, CHANNEL, batchedSource(members, 5_000));
  t.same({ skipped: result.skipped, entries: result.entries }, { skipped: false, entries: 50_000 });
  t.equal(await filter.isReady(SCOPE, CHANNEL), true);
  t.equal(await filter.sizeBytes(SCOPE, CHANNEL), filter.geometry.bytes);

  for (const [mode, reader] of [
    ["u32+u31", filter],
    ["u63", viaU63],
  ] as const) {
    const answers = await checkAll(reader, members);
    t.ok(answers, `${mode}: vouches`);
    t.equal(answers?.filter((x) => !x).length, 0, `${mode}: no false negatives among 50,000 members`);
  }
  const others = randomEmails(20_000);
  const a = await checkAll(filter, others);
  const b = await checkAll(viaU63, others);
  t.same(a, b, "both read modes give the same answers");
  const falsePositives = a?.filter(Boolean).length ?? -1;
  // 50k in a filter sized for 100k: well under the 0.1% target.
  t.ok(falsePositives >= 0 && falsePositives <= 20, `${falsePositives} false positives in 20,000`);
  t.ok(result.ms >= 0);
});

t.test("add() after a rebuild is seen by the next check", async (t) => {
  const { filter } = setup(t);
  await filter.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(1_000), 500));
  const fresh = randomEmails(10_000);
  const before = await filter.mightContain(SCOPE, CHANNEL, fresh);
  t.ok((before?.filter(Boolean).length ?? 99) < 10, "new identifiers are mostly not in the filter");
  await filter.add(SCOPE, CHANNEL, fresh); // 10,000 in one call: several write scripts, one pipeline
  t.same(await filter.mightContain(SCOPE, CHANNEL, fresh), Array(fresh.length).fill(true));
  await filter.add(SCOPE, CHANNEL, ["+31699999999"]);
  t.same(await filter.mightContain(SCOPE, CHANNEL, ["+31699999999"]), [true]);
  t.equal(await filter.isReady(SCOPE, CHANNEL), true, "adds keep it ready");
});

t.test("deleted or evicted keys cannot vouch", async (t) => {
  const { filter, prefix } = setup(t);
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  const source = batchedSource(phoneNumbers(1_000), 1_000);
  await filter.rebuild(SCOPE, CHANNEL, source);
  t.ok(await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]));

  await deleteByPrefix(admin, prefix); // what FLUSHDB does to this filter
  t.equal(await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]), null, "all keys gone");

  await filter.rebuild(SCOPE, CHANNEL, source);
  await admin.del(keys.live); // evicted bitmap, marker left behind
  t.equal(await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]), null, "bitmap gone, marker left");
  t.equal(await filter.isReady(SCOPE, CHANNEL), false);
  await filter.add(SCOPE, CHANNEL, ["+31600000001"]);
  t.equal(
    await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]),
    null,
    "a partial bitmap recreated by add()",
  );

  await filter.rebuild(SCOPE, CHANNEL, source);
  await admin.del(keys.ready);
  t.equal(await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]), null, "marker gone");
});

t.test("invalidate() drops trust until the next rebuild", async (t) => {
  const { filter } = setup(t);
  const source = batchedSource(phoneNumbers(100), 100);
  await filter.rebuild(SCOPE, CHANNEL, source);
  t.same(await filter.mightContain(SCOPE, CHANNEL, ["+31610000050"]), [true]);
  await filter.invalidate(SCOPE, CHANNEL);
  t.equal(await filter.mightContain(SCOPE, CHANNEL, ["+31610000050"]), null);
  t.equal(await filter.isReady(SCOPE, CHANNEL), false);
  await filter.rebuild(SCOPE, CHANNEL, source);
  t.equal(await filter.isReady(SCOPE, CHANNEL), true);
});

t.test("identifiers added during a slow rebuild are kept", async (t) => {
  const { filter, prefix } = setup(t);
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  const old = phoneNumbers(2_000, 0, "+3162");
  await filter.rebuild(SCOPE, CHANNEL, batchedSource(old, 1_000));

  // What Postgres holds when the rebuild reads: the old entries and newer ones.
  const snapshot = [...old, ...phoneNumbers(10_000, 0, "+3163")];
  const addedDuring = randomEmails(3_000); // committed after the read started: not in the snapshot
  const rebuilding = filter.rebuild(SCOPE, CHANNEL, batchedSource(snapshot, 1_000, 40));
  let sawFlag = false;
  let answeredDuring = 0;
  for (let i = 0; i < addedDuring.length; i += 300) {
    await sleep(25);
    sawFlag ||= (await admin.exists(keys.building)) === 1;
    await filter.add(SCOPE, CHANNEL, addedDuring.slice(i, i + 300));
    // The old generation keeps answering while the new one is built (null only when a check
    // overlaps the commit, or the machine is too busy to answer in time).
    const during = await filter.mightContain(SCOPE, CHANNEL, old.slice(0, 100));
    if (during !== null) answeredDuring++;
    if (during?.includes(false)) t.fail("a false negative during the rebuild");
  }
  const result = await rebuilding;
  t.equal(result.skipped, false);
  t.ok(sawFlag, "the building flag was set while the rebuild ran");
  t.ok(answeredDuring >= 5, `${answeredDuring} of 10 checks answered during the rebuild`);
  t.equal(await admin.exists(keys.building, keys.lock, keys.tmp), 0, "flag, lock and tmp are gone");
  t.same(await admin.keys(`${keys.live}:staging:*`), [], "no staging key left");

  const answers = await checkAll(filter, [...snapshot, ...addedDuring]);
  t.equal(answers?.filter((x) => !x).length, 0, "snapshot and concurrent adds are all in the new filter");
});

t.test("under concurrent adds, rebuilds and checks, no acked identifier is ever missed", async (t) => {
  const { filter, prefix } = setup(t, { expectedEntries: 20_000 });
  const other = new SuppressionFilter(narrow, {
    prefix,
    expectedEntries: 20_000,
    falsePositiveRate: 0.001,
    logger: memoryLogger().logger,
  });
  const authority = new Set<string>(phoneNumbers(5_000)); // what Postgres holds
  const acked: string[] = [...authority];
  await filter.rebuild(SCOPE, CHANNEL, batchedSource([...authority], 1_000));
  const deadline = Date.now() + 1_500;
  let checks = 0;
  let answered = 0;
  let misses = 0;
  let rebuilds = 0;
  let serial = 0;

  const writer = async () => {
    while (Date.now() < deadline) {
      const batch = Array.from({ length: 20 }, () => `w${serial++}@example.org`);
      for (const id of batch) authority.add(id); // committed in Postgres first
      await filter.add(SCOPE, CHANNEL, batch); // then the filter, then the ack
      acked.push(...batch);
      await sleep(2);
    }
  };
  const rebuilder = async (f: SuppressionFilter) => {
    while (Date.now() < deadline) {
      const result = await f.rebuild(SCOPE, CHANNEL, async function* () {
        const snapshot = [...authority]; // the query starts after the building flag is set
        for (let i = 0; i < snapshot.length; i += 2_000) {
          await sleep(10);
          yield snapshot.slice(i, i + 2_000);
        }
      });
      if (!result.skipped) rebuilds++;
      await sleep(5);
    }
  };
  const checker = async () => {
    while (Date.now() < deadline) {
      const sample = acked.slice(-3_000); // every one acked before this check started
      const answers = await filter.mightContain(SCOPE, CHANNEL, sample);
      checks++;
      if (answers !== null) {
        answered++;
        misses += answers.filter((x) => !x).length;
      }
    }
  };
  await Promise.all([writer(), writer(), rebuilder(filter), rebuilder(other), checker(), checker()]);
  t.comment(`${checks} checks (${answered} answered), ${rebuilds} rebuilds, ${serial} concurrent adds`);
  t.ok(rebuilds >= 2, "several rebuilds completed");
  t.ok(answered > 10, "most checks were answered");
  t.equal(misses, 0, "no false negative in any answer");
  const final = await checkAll(filter, acked);
  t.equal(final?.filter((x) => !x).length, 0, "the final filter holds every acked identifier");
});

t.test("every operation works on a stringNumbers connection", async (t) => {
  const { filter } = setup(t, {}, wide);
  t.equal(filter.readMode, "u63");
  const members = phoneNumbers(2_000);
  t.equal((await filter.rebuild(SCOPE, CHANNEL, batchedSource(members, 500))).skipped, false);
  t.equal((await filter.rebuild(SCOPE, CHANNEL, batchedSource(members, 500))).entries, 2_000);
  t.equal(await filter.isReady(SCOPE, CHANNEL), true);
  t.equal(await filter.sizeBytes(SCOPE, CHANNEL), filter.geometry.bytes);
  await filter.add(SCOPE, CHANNEL, ["late@example.org"]);
  t.equal(
    (await filter.mightContain(SCOPE, CHANNEL, [...members, "late@example.org"]))?.includes(false),
    false,
  );
  await filter.invalidate(SCOPE, CHANNEL);
  t.equal(await filter.mightContain(SCOPE, CHANNEL, members), null);
});

t.test("a second concurrent rebuild is skipped", async (t) => {
  const { filter, prefix } = setup(t);
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  const first = filter.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(2_000), 200, 30));
  while ((await admin.exists(keys.lock)) === 0) await sleep(5);
  const other = new SuppressionFilter(narrow, {
    prefix,
    expectedEntries: 100_000,
    falsePositiveRate: 0.001,
    logger: memoryLogger().logger,
  });
  let sourceRead = false;
  const second = await other.rebuild(SCOPE, CHANNEL, async function* () {
    sourceRead = true;
    yield ["+31600000000"];
  });
  t.same(second, { skipped: true, entries: 0, ms: second.ms });
  t.notOk(sourceRead, "the skipped rebuild never read its source");
  t.equal((await first).skipped, false);
  t.equal(await filter.isReady(SCOPE, CHANNEL), true);
});

t.test("a rebuild that lost its lock publishes nothing", async (t) => {
  const { filter, prefix } = setup(t, { lockTtlMs: 150 });
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  const rebuilding = filter.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(1_000), 100, 30));
  while ((await admin.exists(keys.lock)) === 0) await sleep(5);
  await admin.del(keys.lock); // lock expired, or Redis flushed, while the build ran
  await t.rejects(rebuilding, ConflictError);
  t.equal(await filter.isReady(SCOPE, CHANNEL), false);
  t.equal(await admin.exists(keys.building, keys.tmp, keys.live), 0, "nothing left behind");
  t.same(await admin.keys(`${keys.live}:staging:*`), []);
});

t.test("the lock is renewed while a long rebuild runs", async (t) => {
  const { filter } = setup(t, { lockTtlMs: 600 });
  const result = await filter.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(1_000), 100, 200));
  t.equal(result.skipped, false, `done in ${result.ms} ms, over 3x the lock TTL`);
  t.equal(await filter.isReady(SCOPE, CHANNEL), true);
});

t.test("a failing source aborts the rebuild and frees the lock", async (t) => {
  const { filter, prefix } = setup(t);
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  const boom = new Error("postgres went away");
  await t.rejects(
    filter.rebuild(SCOPE, CHANNEL, async function* () {
      yield ["+31600000001"];
      throw boom;
    }),
    boom,
    "the source's error passes through",
  );
  t.equal(await admin.exists(keys.lock, keys.building, keys.ready), 0);
  const again = await filter.rebuild(SCOPE, CHANNEL, batchedSource(["+31600000001"], 1));
  t.equal(again.skipped, false, "the next rebuild is not blocked");
});

t.test("a filter laid out with another geometry is never trusted", async (t) => {
  const { filter, prefix } = setup(t);
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  const { filter: resized } = setup(t, { prefix, expectedEntries: 10_000, falsePositiveRate: 0.01 });
  await filter.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(1_000), 1_000));
  t.equal(await resized.mightContain(SCOPE, CHANNEL, ["+31600000001"]), null, "reader with another geometry");
  t.equal(await resized.isReady(SCOPE, CHANNEL), false);

  await resized.add(SCOPE, CHANNEL, ["+31600099999"]);
  t.equal(
    await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]),
    null,
    "its write invalidated the filter",
  );

  const rebuilding = filter.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(1_000), 100, 30));
  while ((await admin.exists(keys.building)) === 0) await sleep(5);
  await resized.add(SCOPE, CHANNEL, ["+31600099998"]);
  await t.rejects(rebuilding, ConflictError, "a rebuild it wrote into is not published");
  t.equal(await filter.isReady(SCOPE, CHANNEL), false);
});

t.test("a generation published between the two marker reads makes the check answer null", async (t) => {
  const { filter, prefix } = setup(t);
  await filter.rebuild(SCOPE, CHANNEL, batchedSource(["+31600000001"], 1));
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  // Interleaving inside one batch of commands cannot be timed from outside, so another
  // generation is published right between the bit reads and the second marker read.
  const published = (await admin.get(keys.ready)) ?? "";
  let republish = published;
  const original = narrow.strlen.bind(narrow);
  narrow.strlen = ((key: string) => {
    void narrow.set(keys.ready, republish);
    return original(key);
  }) as typeof narrow.strlen;
  t.teardown(() => {
    narrow.strlen = original;
  });
  t.same(await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]), [true], "same generation: answered");
  republish = `${published.split("|")[0]!}|another-generation`;
  t.equal(await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]), null);
});

t.test("bad scope or channel is a programming error", async (t) => {
  const { filter } = setup(t);
  await t.rejects(filter.mightContain("org:{x}", CHANNEL, ["a"]), TypeError);
  await t.rejects(filter.add(SCOPE, "sms:x", ["a"]), TypeError);
  await t.rejects(filter.rebuild("", CHANNEL, batchedSource([], 1)), TypeError);
});

t.test("key layout shares one hash tag", async (t) => {
  const { filter, prefix } = setup(t, { prefix: "test-layout-" + Math.random().toString(36).slice(2) + ":" });
  await filter.rebuild(SCOPE, CHANNEL, batchedSource(["+31600000001"], 1));
  const keys = (await admin.keys(`${prefix}*`)).sort();
  t.same(keys, [`${prefix}bloom:{org:acme:sms}`, `${prefix}bloom:{org:acme:sms}:ready`]);
  const marker = await admin.get(`${prefix}bloom:{org:acme:sms}:ready`);
  t.match(marker, /^v1:b\d+:k7\|[0-9a-f-]{36}$/, "ready = <geometry signature>|<generation>");
});

t.test("check rate for 10,000 identifiers (informational)", async (t) => {
  const { filter, prefix } = setup(t, { expectedEntries: 1_000_000 });
  const { filter: viaU63 } = setup(t, { prefix, expectedEntries: 1_000_000 }, wide);
  await filter.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(200_000), 20_000));
  const ids = [...phoneNumbers(5_000, 100_000), ...randomEmails(5_000)];
  for (const [mode, reader] of [
    ["u32+u31", filter],
    ["u63", viaU63],
  ] as const) {
    for (let i = 0; i < 5; i++) await reader.mightContain(SCOPE, CHANNEL, ids);
    const rounds = 20;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) {
      if ((await reader.mightContain(SCOPE, CHANNEL, ids)) === null) t.fail("not ready");
    }
    const ms = (performance.now() - started) / rounds;
    t.comment(
      `${mode}: ${ms.toFixed(1)} ms per 10,000 -> ${Math.round(10_000 / (ms / 1000)).toLocaleString("en")} identifiers/s`,
    );
  }
  t.pass("measured");
});
