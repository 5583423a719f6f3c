import t from "tap";
import { runBounded } from "../src/index.js";

t.test("runBounded: at most `concurrency` at once, results by index, the first failure thrown", async (t) => {
  let running = 0;
  let peak = 0;
  const results = await runBounded(10, 3, async (i) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    return i * 2;
  });
  t.same(results, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  t.equal(peak, 3);

  const started: number[] = [];
  await t.rejects(
    runBounded(10, 2, async (i) => {
      started.push(i);
      await new Promise((resolve) => setImmediate(resolve));
      if (i === 1) throw new Error("boom");
      return i;
    }),
    { message: "boom" },
  );
  t.ok(started.length < 10, `no new task after the failure (${started.length} started)`);
});
