/**
 * The edge's rate limit is counted in Redis: two edge instances (two replicas) sharing one
 * Redis share one budget per client address; and when Redis is down the edge fails open, so
 * an unsubscribe is never refused for a counter that cannot be read.
 */
import t from "tap";
import { createRedis } from "@optout/cache";
import { createLogger } from "@optout/core";
import { buildEdge, type EdgeDeps } from "@optout/service-edge";
import type { Link } from "@optout/store";
import { randomSuffix, startRedisServer, TEST_REDIS_URL } from "@optout/testkit";

const link: Link = {
  token: "Rate1234",
  accountId: "acme",
  channel: "sms",
  identifier: "+31612345678",
  campaignId: "c1",
  createdAt: "2026-01-01T00:00:00.000Z",
};

type Redis = ReturnType<typeof createRedis>;

async function connected(url: string): Promise<Redis> {
  const redis = createRedis(url, { lazyConnect: true });
  await redis.connect();
  return redis;
}

function edge(rateLimit: EdgeDeps["rateLimit"], clicks: string[] = []) {
  return buildEdge({
    getLink: async (token) => (token === link.token ? link : null),
    getAccount: async () => null,
    publishClick: async (click) => void clicks.push(click.id),
    publishEmail: async () => undefined,
    emailTokenSecret: "edge-rate-limit-secret-0123456789",
    logger: createLogger({ name: "edge-rate-limit", level: "silent" }),
    isReady: () => true,
    rateLimit,
    trustedProxies: 0,
  });
}

const unsubscribe = {
  method: "POST" as const,
  url: `/${link.token}`,
  headers: { "content-type": "application/x-www-form-urlencoded" },
  payload: "reason=too_many",
};

t.test("two edge replicas sharing Redis share one budget per address", async (t) => {
  const redis = await connected(TEST_REDIS_URL);
  const keyPrefix = `t${randomSuffix()}:edge:rate:`;
  t.teardown(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });
  const limit = { max: 4, windowMs: 60_000, redis, keyPrefix };
  const [a, b] = await Promise.all([edge(limit), edge(limit)]);
  t.teardown(() => Promise.all([a.close(), b.close()]));

  const statuses: number[] = [];
  for (const app of [a, b, a, b, a, b])
    statuses.push((await app.inject({ method: "GET", url: `/${link.token}` })).statusCode);
  t.same(statuses, [200, 200, 200, 200, 429, 429], "the fifth request is over, whichever replica takes it");

  const limited = await b.inject({
    method: "GET",
    url: `/${link.token}`,
    headers: { "accept-language": "nl" },
  });
  t.equal(limited.statusCode, 429);
  const retryAfter = Number(limited.headers["retry-after"]);
  t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After is within the window (${retryAfter})`);
  t.match(limited.headers["content-type"], /text\/html/);
  t.match(limited.headers["content-security-policy"], /default-src 'none'/, "the page's headers");
  t.notOk(limited.headers["x-ratelimit-limit"], "no counter headers");

  const other = await a.inject({ method: "GET", url: `/${link.token}`, remoteAddress: "192.0.2.7" });
  t.equal(other.statusCode, 200, "another address has its own budget");
  t.equal((await a.inject({ method: "GET", url: "/healthz" })).statusCode, 200, "probes are not limited");
  t.equal((await a.inject({ method: "GET", url: "/no/such/page" })).statusCode, 429, "unknown paths count");
  t.same((await redis.keys(`${keyPrefix}*`)).sort(), [`${keyPrefix}127.0.0.1`, `${keyPrefix}192.0.2.7`]);
});

t.test("with Redis down the edge fails open: unsubscribes are taken", async (t) => {
  const server = await startRedisServer();
  let killed = false;
  // A second kill() would wait for an exit that already happened.
  t.teardown(() => (killed ? undefined : server.kill()));
  const redis = await connected(server.url);
  t.teardown(() => redis.disconnect());
  const clicks: string[] = [];
  const app = await edge({ max: 2, windowMs: 60_000, redis, keyPrefix: "edge:rate:" }, clicks);
  t.teardown(() => app.close());

  t.same(
    [(await app.inject(unsubscribe)).statusCode, (await app.inject(unsubscribe)).statusCode],
    [200, 200],
  );
  t.equal((await app.inject(unsubscribe)).statusCode, 429, "limited while Redis answers");

  await server.kill();
  killed = true;
  const during: number[] = [];
  for (let i = 0; i < 4; i++) during.push((await app.inject(unsubscribe)).statusCode);
  t.same(during, [200, 200, 200, 200], "Redis down: every unsubscribe is answered, none refused");
  t.equal(clicks.length, 6, "and published");
});
