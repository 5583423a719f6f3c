/** The client's pure parts: the ack tracker, the position stores, the retry policy. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { AckTracker } from "../src/ack-tracker.js";
import { filePositionStore, memoryPositionStore } from "../src/position-store.js";
import { retryPolicy } from "../src/retry.js";

t.test("the saved position never passes an unacked event", async (t) => {
  const acks = new AckTracker(10);
  for (const position of [11, 12, 14, 17]) acks.yielded(position);
  t.equal(acks.ack(12), undefined, "12 acked before 11: nothing to save yet");
  t.equal(acks.committed, 10);
  t.equal(acks.ack(11), 12, "11 acked: 11 and 12 are done");
  t.equal(acks.ack(17), undefined, "14 is still open");
  t.equal(acks.ack(14), 17, "then everything up to 17");
  t.equal(acks.ack(17), undefined, "a second ack changes nothing");
});

t.test("position stores", async (t) => {
  const memory = memoryPositionStore(5);
  t.equal(await memory.load(), 5);
  await memory.save(9);
  t.equal(memory.position, 9);

  const dir = await mkdtemp(join(tmpdir(), "optout-position-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "nested", "p.json");
  const file = filePositionStore(path);
  t.equal(await file.load(), undefined, "no file yet: no position");
  await file.save(42);
  t.equal(await filePositionStore(path).load(), 42, "read back by another store on the same file");
  t.match(JSON.parse(await readFile(path, "utf8")), { position: 42, savedAt: /^\d{4}-/ });
  await writeFile(path, "{not json");
  await t.rejects(file.load(), { code: "INVALID_PAYLOAD" }, "a damaged file is reported, not read as 0");
  await writeFile(path, '{"position": -1}');
  await t.rejects(file.load(), { code: "INVALID_PAYLOAD" });
});

t.test("retry policy: defaults, and bad settings refused", async (t) => {
  t.same(retryPolicy(), { attempts: 6, baseMs: 250, maxMs: 5_000 });
  t.throws(() => retryPolicy({ attempts: 0 }), RangeError);
  t.throws(() => retryPolicy({ baseMs: 100, maxMs: 10 }), RangeError);
});
