import t from "tap";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import type { Redis } from "ioredis";
import { DependencyUnavailableError } from "@optout/core";
import { SuppressionFilter, createRedis } from "../src/index.js";
import { batchedSource, memoryLogger, phoneNumbers, sleep } from "./fixtures/helpers.js";

const SCOPE = "account:a-1";
const CHANNEL = "email";

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A throwaway redis-server of our own, nothing on disk; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server on port ${port} did not start: ${output}`)),
      10_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited with ${String(code)}: ${output}`));
    });
  });
  child.stdout?.resume(); // keep draining its log
  return child;
}

async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

async function ready(redis: Redis): Promise<void> {
  if (redis.status === "ready") return;
  const timeout = AbortSignal.timeout(10_000);
  await once(redis, "ready", { signal: timeout });
}

t.test("a dead, hung or restarted Redis never yields an answer the filter cannot vouch for", async (t) => {
  const port = await freePort();
  let server = await startRedis(port);
  t.teardown(() => kill9(server));

  const { logger, lines } = memoryLogger();
  const redis = createRedis(`redis://127.0.0.1:${port}`, { lazyConnect: true, logger });
  t.teardown(() => redis.disconnect());
  await redis.connect();
  const filter = new SuppressionFilter(redis, {
    prefix: "optout:",
    expectedEntries: 10_000,
    falsePositiveRate: 0.001,
    logger,
    checkTimeoutMs: 300,
  });
  const members = phoneNumbers(5_000);
  await filter.rebuild(SCOPE, CHANNEL, batchedSource(members, 1_000));
  t.equal((await filter.mightContain(SCOPE, CHANNEL, members))?.includes(false), false, "answers while up");

  t.test("FLUSHALL drops the marker with the bits", async (t) => {
    await redis.flushall();
    t.equal(await filter.mightContain(SCOPE, CHANNEL, members.slice(0, 10)), null);
    t.equal(await filter.isReady(SCOPE, CHANNEL), false);
    await filter.rebuild(SCOPE, CHANNEL, batchedSource(members, 1_000));
    t.equal(await filter.isReady(SCOPE, CHANNEL), true);
  });

  t.test("a hung Redis: the check gives up after checkTimeoutMs", async (t) => {
    server.kill("SIGSTOP");
    try {
      const started = performance.now();
      t.equal(await filter.mightContain(SCOPE, CHANNEL, members.slice(0, 100)), null);
      const ms = performance.now() - started;
      t.ok(ms >= 250 && ms < 1_000, `null after ${Math.round(ms)} ms`);
    } finally {
      server.kill("SIGCONT");
    }
    // The stalled commands complete once Redis resumes; the connection stays usable.
    await sleep(100);
    t.ok(await filter.isReady(SCOPE, CHANNEL));
  });

  t.test("kill -9: checks answer null fast, writes throw", async (t) => {
    await kill9(server);
    await sleep(50); // let the client see the closed socket

    const started = performance.now();
    t.equal(await filter.mightContain(SCOPE, CHANNEL, members), null, "no throw, no answer");
    const ms = performance.now() - started;
    t.ok(ms < 1_000, `null after ${ms.toFixed(1)} ms (no offline queue: rejected at once)`);

    t.equal(await filter.isReady(SCOPE, CHANNEL), false);
    const addError = await filter.add(SCOPE, CHANNEL, ["x@example.org"]).catch((err: unknown) => err);
    t.type(addError, DependencyUnavailableError);
    t.equal((addError as DependencyUnavailableError).dependency, "redis");
    t.equal((addError as DependencyUnavailableError).retryable, true);
    await t.rejects(filter.invalidate(SCOPE, CHANNEL), DependencyUnavailableError);
    await t.rejects(filter.sizeBytes(SCOPE, CHANNEL), DependencyUnavailableError);
    let sourceRead = false;
    await t.rejects(
      filter.rebuild(SCOPE, CHANNEL, async function* () {
        sourceRead = true;
        yield [];
      }),
      DependencyUnavailableError,
    );
    t.notOk(sourceRead, "no source read without a lock");
    t.ok(
      lines.some((line) => line.level === 40 && String(line.msg).includes("falling back")),
      "the fallback is logged",
    );
    t.notOk(
      lines.some((line) => JSON.stringify(line).includes(members[0]!)),
      "no identifier in the logs",
    );
  });

  t.test("restarted empty: cold, not trusted until rebuilt", async (t) => {
    server = await startRedis(port);
    await ready(redis);
    t.equal(await filter.mightContain(SCOPE, CHANNEL, members.slice(0, 10)), null, "cold");
    await filter.rebuild(SCOPE, CHANNEL, batchedSource(members, 1_000));
    t.equal((await filter.mightContain(SCOPE, CHANNEL, members))?.includes(false), false, "answers again");
  });
});
