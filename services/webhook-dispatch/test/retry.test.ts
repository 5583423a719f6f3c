import t from "tap";
import { KeyWaiters } from "../src/key-waiters.js";
import { parseRetryAfter, retryDelayAfter, RETRY_AFTER_MAX_MS, verdictForStatus } from "../src/retry.js";

t.test("2xx is delivered; 408, 429, 5xx and 3xx are retried; other 4xx are permanent", async (t) => {
  for (const s of [200, 201, 202, 204, 299])
    t.equal(verdictForStatus(s, undefined).kind, "delivered", String(s));
  for (const s of [408, 429, 500, 502, 503, 504, 301, 302, 100])
    t.equal(verdictForStatus(s, undefined).kind, "retry", String(s));
  for (const s of [400, 401, 403, 404, 410, 413, 422])
    t.equal(verdictForStatus(s, undefined).kind, "permanent", String(s));
});

t.test("Retry-After: seconds or an HTTP date; honoured, capped", async (t) => {
  const now = Date.parse("2026-11-26T10:00:00Z");
  t.equal(parseRetryAfter("120", now), 120_000);
  t.equal(parseRetryAfter(" 0 ", now), 0);
  t.equal(parseRetryAfter("Thu, 26 Nov 2026 10:00:30 GMT", now), 30_000);
  t.equal(parseRetryAfter("Thu, 26 Nov 2026 09:00:00 GMT", now), 0, "a date in the past means now");
  t.equal(parseRetryAfter("soon", now), undefined);
  t.equal(parseRetryAfter(undefined, now), undefined);
  const v = verdictForStatus(429, "7", now);
  t.same(v, { kind: "retry", status: 429, reason: "receiver answered 429", retryAfterMs: 7000 });
  t.equal(retryDelayAfter(1, { retryAfterMs: 7000 }), 7000);
  t.equal(retryDelayAfter(1, { retryAfterMs: 86_400_000 }), RETRY_AFTER_MAX_MS, "capped");
});

t.test("exponential backoff with jitter, capped", async (t) => {
  for (let attempt = 1; attempt <= 12; attempt++) {
    const expected = Math.min(60_000, 1000 * 2 ** (attempt - 1));
    const d = retryDelayAfter(attempt, {}, 1000, 60_000);
    t.ok(d >= expected * 0.8 && d <= expected * 1.2, `attempt ${attempt}: ${d} ms around ${expected}`);
  }
});

t.test("KeyWaiters: wake one key, time out otherwise, cancel cleans up", async (t) => {
  const w = new KeyWaiters();
  const a = w.next("a", 60_000);
  const b = w.next("b", 10);
  t.equal(w.size, 2);
  w.wake("a");
  await a.promise;
  await b.promise;
  t.equal(w.size, 0, "woken and timed-out waiters are gone");
  const c = w.next("c", 60_000);
  c.cancel();
  await c.promise;
  const d = w.next("d", 60_000);
  w.wakeAll();
  await d.promise;
  t.equal(w.size, 0);
});
