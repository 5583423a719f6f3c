import { connectNats, type NatsConnection } from "@optout/bus";
import { startSuppressionCheck } from "@optout/service-suppression-check";
import type { BenchContext, Scenario } from "../lib/context.js";
import {
  buildFilter,
  createAccount,
  encodeCheck,
  member,
  nonMember,
  openEnv,
  prng,
  seedOptOuts,
} from "../lib/env.js";
import type { ScenarioRecorder } from "../lib/report.js";
import { Samples, timedLoop } from "../lib/stats.js";

const LIST_SIZE = 10_000;
const PAYLOADS = 1_000;
const IN_FLIGHT = 64;

/**
 * `optout.check` with one recipient (1% of them opted out), sequentially and 64 in flight,
 * against a bare NATS echo responder on the same kind of connection. Responder, echo and client
 * share this process, the client on its own connection.
 */
export const singleCheck: Scenario = {
  name: "single",
  title: "single check",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const { options } = ctx;
    const env = await openEnv(options, "bench-single");
    let client: NatsConnection | undefined;
    let echoNc: NatsConnection | undefined;
    const service = { stop: async () => undefined } as { stop(): Promise<void> };
    try {
      const scope = await createAccount(env, "bench-single");
      const listSize = Math.min(LIST_SIZE, options.smallList);
      await seedOptOuts(env, scope, listSize);
      await buildFilter(env, scope);
      const handle = await startSuppressionCheck(env.infra, {
        erasureHashSecret: "bench-erasure-hash-secret-0123",
      });
      service.stop = handle.stop;

      client = await connectNats({ servers: env.config.natsUrl, name: "bench-client" });
      echoNc = await connectNats({ servers: env.config.natsUrl, name: "bench-echo" });
      const echoSubject = `${env.infra.names.namespace}.bench.echo`;
      echoNc.subscribe(echoSubject, {
        queue: "bench-echo",
        callback: (_err, msg) => void msg.respond(msg.data),
      });
      await echoNc.flush();

      const random = prng(1);
      const payloads = Array.from({ length: PAYLOADS }, (_, i) =>
        encodeCheck("bench-single", [
          i % 100 === 0 ? member(Math.floor(random() * listSize)) : nonMember(random),
        ]),
      );
      const nc = client;
      let suppressed = 0;
      // Per path, for the sequential run: filter only (not opted out) and filter + Postgres confirm.
      let byPath: { filter: Samples; confirmed: Samples } | undefined;
      const check = async (i: number) => {
        const t = performance.now();
        const msg = await nc.request(env.infra.names.subjects.check, payloads[i % PAYLOADS]!, {
          timeout: 10_000,
        });
        const ms = performance.now() - t;
        const reply = msg.json<{ results?: Array<{ suppressed: boolean }> }>();
        if (!reply.results) throw new Error(`check failed: ${msg.string()}`);
        const hit = reply.results[0]?.suppressed === true;
        if (hit) suppressed++;
        byPath?.[hit ? "confirmed" : "filter"].add(ms);
        return 1;
      };
      const echo = async (i: number) => {
        await nc.request(echoSubject, payloads[i % PAYLOADS]!, { timeout: 10_000 });
        return 1;
      };

      for (const [label, inFlight] of [
        ["sequential", 1],
        [`${IN_FLIGHT} in flight`, IN_FLIGHT],
      ] as const) {
        const key = inFlight === 1 ? "seq" : "par";
        for (const [what, fn] of [
          ["echo", echo],
          ["check", check],
        ] as const) {
          await timedLoop({ durationMs: options.warmupMs, inFlight }, fn);
          if (what === "check" && inFlight === 1)
            byPath = { filter: new Samples(), confirmed: new Samples() };
          const r = await timedLoop({ durationMs: options.durationMs, inFlight }, fn);
          const s = r.latency.summary();
          const base = what === "echo";
          const name = base ? "bare echo" : "check";
          rec.figure(
            `${what}_${key}_p50_ms`,
            `${name} ${label}: p50`,
            s.p50,
            "ms",
            base ? { baseline: true } : {},
          );
          rec.figure(
            `${what}_${key}_p99_ms`,
            `${name} ${label}: p99`,
            s.p99,
            "ms",
            base ? { baseline: true } : inFlight === 1 ? { target: { op: "<=", value: 1 } } : {},
          );
          rec.figure(
            `${what}_${key}_rps`,
            `${name} ${label}: requests/s`,
            (r.calls / r.elapsedMs) * 1000,
            "req/s",
            base ? { baseline: true } : {},
          );
          if (byPath) {
            const f = byPath.filter.summary();
            const c = byPath.confirmed.summary();
            rec.figure(
              "check_seq_filter_p50_ms",
              "check sequential, not opted out (filter only): p50",
              f.p50,
              "ms",
            );
            rec.figure(
              "check_seq_filter_p99_ms",
              "check sequential, not opted out (filter only): p99",
              f.p99,
              "ms",
              { target: { op: "<=", value: 1 } },
            );
            rec.figure(
              "check_seq_confirmed_p50_ms",
              "check sequential, opted out (filter + Postgres): p50",
              c.p50,
              "ms",
            );
            rec.figure(
              "check_seq_confirmed_p99_ms",
              "check sequential, opted out (filter + Postgres): p99",
              c.p99,
              "ms",
            );
            byPath = undefined;
          }
          ctx.progress(
            `single check: ${name} ${label}: p50 ${s.p50.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms, ${Math.round((r.calls / r.elapsedMs) * 1000)} req/s`,
          );
        }
      }
      rec.ratio(
        "seq_p50_vs_echo",
        "check p50 / bare echo p50, sequential",
        "check_seq_p50_ms",
        "echo_seq_p50_ms",
      );
      rec.ratio(
        "seq_filter_p50_vs_echo",
        "check of a number not opted out p50 / bare echo p50, sequential",
        "check_seq_filter_p50_ms",
        "echo_seq_p50_ms",
        { op: "<=", value: 1.5 },
      );
      rec.ratio(
        "seq_confirmed_p50_vs_echo",
        "check of an opted-out number p50 / bare echo p50, sequential (1% of the requests)",
        "check_seq_confirmed_p50_ms",
        "echo_seq_p50_ms",
        { op: "<=", value: 3 },
      );
      rec.ratio(
        "seq_p99_vs_echo",
        "check p99 / bare echo p99, sequential",
        "check_seq_p99_ms",
        "echo_seq_p99_ms",
      );
      rec.ratio(
        "par_p50_vs_echo",
        `check p50 / bare echo p50, ${IN_FLIGHT} in flight`,
        "check_par_p50_ms",
        "echo_par_p50_ms",
      );
      rec.ratio(
        "par_rps_vs_echo",
        `check req/s / bare echo req/s, ${IN_FLIGHT} in flight`,
        "check_par_rps",
        "echo_par_rps",
      );
      // Opted-out numbers back to back: the path's own cost (filter, then the Postgres confirm),
      // without waking a Postgres backend idle since the previous confirm (in the 1% mix above a
      // confirm comes every ~50 ms, and waking an idle backend costs ~0.6 ms on this VM).
      const optedOut = Array.from({ length: PAYLOADS }, () =>
        encodeCheck("bench-single", [member(Math.floor(random() * listSize))]),
      );
      let notSuppressed = 0;
      const confirmOnly = async (i: number) => {
        const msg = await nc.request(env.infra.names.subjects.check, optedOut[i % PAYLOADS]!, {
          timeout: 10_000,
        });
        const reply = msg.json<{ results?: Array<{ suppressed: boolean }> }>();
        if (reply.results?.[0]?.suppressed !== true) notSuppressed++;
        return 1;
      };
      await timedLoop({ durationMs: options.warmupMs, inFlight: 1 }, confirmOnly);
      const backToBack = (
        await timedLoop({ durationMs: options.durationMs, inFlight: 1 }, confirmOnly)
      ).latency.summary();
      rec.figure(
        "check_seq_optedout_p50_ms",
        "check sequential, only opted-out numbers: p50",
        backToBack.p50,
        "ms",
      );
      rec.figure(
        "check_seq_optedout_p99_ms",
        "check sequential, only opted-out numbers: p99",
        backToBack.p99,
        "ms",
      );
      rec.ratio(
        "seq_optedout_p50_vs_echo",
        "check of an opted-out number, back to back, p50 / bare echo p50",
        "check_seq_optedout_p50_ms",
        "echo_seq_p50_ms",
        { op: "<=", value: 3 },
      );
      rec.check("every opted-out number was answered suppressed", notSuppressed === 0);
      rec.check("opted-out recipients were answered suppressed", suppressed > 0);
      rec.note(
        `list of ${listSize} opt-outs, filter built; 1% of the requests name an opted-out recipient (Postgres confirms them)`,
      );
    } finally {
      await service.stop();
      await echoNc?.close();
      await client?.close();
      await env.teardown();
    }
  },
};
