/**
 * Run `work` over `count` tasks with at most `concurrency` at once and collect the results by
 * task index. The first failure stops new tasks from starting and is thrown once the running
 * ones settle (none is left running behind the caller's back).
 */
export async function runBounded<R>(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(count);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        results[index] = await work(index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  return results;
}
