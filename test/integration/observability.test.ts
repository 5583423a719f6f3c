/**
 * Observability through the whole system (test/helpers/system.ts): an inbound SMS's W3C
 * traceparent reaches its change event, webhook job, confirmation SMS and the webhook POST; and
 * after real traffic (SMS, email, poison, checks, tags, API and edge requests, a webhook) every
 * series the registry declares is on /metrics, with a sample above zero wherever that traffic
 * should have produced one.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import { headers as natsHeaders } from "@nats-io/nats-core";
import { parseTraceparent, TRACEPARENT_HEADER } from "@optout/core";
import { publishInbound, requestJson, waitFor, waitForAck } from "@optout/testkit";
import { startHealthServer } from "@optout/runtime";
import type { InboundEmail, InboundSms } from "@optout/schemas";
import { startSystem } from "../helpers/system.js";
import { startWebhookReceiver } from "../helpers/webhook-receiver.js";

const receiver = await startWebhookReceiver();
const sys = await startSystem({ name: "observability" });
const { infra } = sys.env;
const { names } = infra;
t.teardown(async () => {
  await sys.stop();
  await receiver.close();
});
await sys.account("acme-nl", "acme", "organization", {
  webhook: { url: `${receiver.url}/hook`, secret: "observability-webhook-secret-0123" },
  confirmationSms: { enabled: true, text: { default: "You will not receive more messages." } },
});

let phone = 31612000000 + Math.floor(Math.random() * 900_000);
const nextPhone = () => `+${++phone}`;

/** Publish like a gateway, with extra NATS headers, and wait for the worker's ack. */
async function publishSms(sms: InboundSms, extra: Record<string, string>): Promise<void> {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(extra)) h.set(k, v);
  const ack = await infra.js.publish(names.subjects.inboundSms, JSON.stringify(sms), {
    msgID: sms.id,
    headers: h,
  });
  await waitForAck(infra.jsm, names.streams.inboundSms, names.consumer("sms-inbound"), ack.seq);
}

/** The traceparent header of the last message on a subject (direct get from its stream). */
async function lastTraceparent(stream: string, subject: string): Promise<string | undefined> {
  const m = await infra.jsm.streams.getMessage(stream, { last_by_subj: subject });
  return m?.header?.get(TRACEPARENT_HEADER) || undefined;
}

t.test(
  "an inbound SMS's traceparent reaches its change event, webhook job, confirmation and webhook POST",
  async (t) => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const sent = `00-${traceId}-00f067aa0ba902b7-01`;
    const from = nextPhone();
    await publishSms(
      {
        id: randomUUID(),
        accountId: "acme-nl",
        from,
        to: "3010",
        text: "STOP",
        receivedAt: new Date().toISOString(),
      },
      { [TRACEPARENT_HEADER]: sent },
    );
    const carried = {
      "change event": await lastTraceparent(names.streams.events, names.subjects.event("sms", "opt_out")),
      "webhook job": await lastTraceparent(names.streams.outbound, names.subjects.outboundWebhook),
      "confirmation SMS": await lastTraceparent(names.streams.outbound, names.subjects.outboundSms),
    };
    const request = await waitFor("the webhook POST", async () =>
      receiver.requests.find((r) => r.event.identifier === from),
    );
    const posted = request.headers[TRACEPARENT_HEADER];
    for (const [what, value] of [
      ...Object.entries(carried),
      ["webhook POST", typeof posted === "string" ? posted : undefined],
    ]) {
      const context = parseTraceparent(value);
      t.equal(context?.traceId, traceId, `the ${what} carries the gateway's trace id`);
      t.not(context?.spanId, "00f067aa0ba902b7", `the ${what} names a span of ours as its parent`);
    }
    // The dispatcher logs after the receiver has answered: wait for the line, do not race it.
    const log = await waitFor("the webhook-delivered log line", async () =>
      sys.env.logLines.find((l) => l.includes('"webhook delivered"') && l.includes(traceId)),
    );
    t.ok(log, "webhook-dispatch logs the trace id");

    // Without a traceparent, the worker starts a trace of its own.
    const other = nextPhone();
    await publishSms(
      {
        id: randomUUID(),
        accountId: "acme-nl",
        from: other,
        to: "3010",
        text: "STOP",
        receivedAt: new Date().toISOString(),
      },
      {},
    );
    const started = parseTraceparent(
      await lastTraceparent(names.streams.events, names.subjects.event("sms", "opt_out")),
    );
    t.ok(started, "the change event of an SMS without one has a valid traceparent");
    t.not(started?.traceId, traceId, "in a new trace");
  },
);

t.test(
  "after real traffic, every declared series is on /metrics, above zero where traffic made one",
  async (t) => {
    // A check on a list whose filter is not built yet: Postgres answers (a cache fallback).
    const checked = await sys.check({ recipients: [nextPhone(), "not a number"] });
    t.equal(checked.results.length, 2);
    await sys.sendSms({ from: nextPhone(), text: "STOP" });
    await sys.sendSms({ from: nextPhone(), text: "hello there" }); // classified ignored
    await requestJson(infra.nc, names.subjects.tag, { accountId: "acme-nl", recipients: [nextPhone()] });
    // An automatic reply to a mailto unsubscribe: acked without an event.
    const email: InboundEmail = {
      id: randomUUID(),
      accountId: "acme-nl",
      email: "someone@example.com",
      method: "mailto",
      receivedAt: new Date().toISOString(),
      subject: "Automatic reply: out of office",
    };
    const emailSeq = await publishInbound(infra.js, names.subjects.inboundEmail, email);
    await waitForAck(infra.jsm, names.streams.inboundEmail, names.consumer("email-unsubscribe"), emailSeq);
    // Poison: dead-lettered, counted in the DLQ depth of inbound.sms.
    const poisonSeq = await publishInbound(
      infra.js,
      names.subjects.inboundSms,
      "{not json",
      `poison-${randomUUID()}`,
    );
    await waitForAck(infra.jsm, names.streams.inboundSms, names.consumer("sms-inbound"), poisonSeq);
    // HTTP: a route of the API, a 404 carrying an identifier, the edge.
    t.equal((await sys.api("GET", "/v1/organizations/acme")).status, 200);
    t.equal((await fetch(`${sys.apiUrl}/v1/no-such-route/+31612345678`)).status, 404);
    t.equal((await fetch(`${sys.edgeUrl}/healthz`)).status, 200);
    await waitFor("every webhook delivered", async () => receiver.accepted().length >= 3);

    const health = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      ready: () => true,
      registry: infra.metrics.registry,
    });
    t.teardown(() => health.close());
    const res = await fetch(`http://127.0.0.1:${health.port}/metrics`);
    t.equal(res.status, 200);
    const text = await res.text();
    const samples = parseExposition(text);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((sum, s) => sum + s.value, 0);

    // Node's default metrics under their standard names.
    t.ok(
      samples.some((s) => s.name === "process_cpu_user_seconds_total"),
      "process_cpu_user_seconds_total",
    );
    t.ok(
      samples.some((s) => s.name === "nodejs_eventloop_lag_seconds"),
      "nodejs_eventloop_lag_seconds",
    );
    t.notOk(/^optout_(process|nodejs)_/m.test(text), "no optout_ prefix on the default metrics");

    const expected: [string, Record<string, string>][] = [
      ["optout_messages_total", { worker: "sms-inbound", outcome: "acked" }],
      ["optout_messages_total", { worker: "sms-inbound", outcome: "dead_lettered" }],
      ["optout_messages_total", { worker: "webhook-dispatch", outcome: "acked" }],
      ["optout_batch_seconds_count", { worker: "sms-inbound" }],
      [
        "optout_events_total",
        { worker: "sms-inbound", channel: "sms", action: "opt_out", source: "sms_keyword" },
      ],
      ["optout_sms_classified_total", { worker: "sms-inbound", action: "opt_out" }],
      ["optout_sms_classified_total", { worker: "sms-inbound", action: "ignored" }],
      ["optout_inbound_ignored_total", { worker: "email-unsubscribe", reason: "automatic_reply" }],
      ["optout_requests_total", { worker: "suppression-check", outcome: "ok" }],
      ["optout_requests_total", { worker: "tag", outcome: "ok" }],
      ["optout_request_seconds_count", { worker: "suppression-check" }],
      [
        "optout_checked_recipients_total",
        { worker: "suppression-check", reason: "not_opted_out", path: "database" },
      ],
      ["optout_checked_recipients_total", { worker: "suppression-check", reason: "invalid_recipient" }],
      ["optout_cache_fallbacks_total", { worker: "suppression-check", cause: "not_ready" }],
      ["optout_webhook_attempts_total", { worker: "webhook-dispatch", result: "delivered" }],
      ["optout_dead_letter_messages", { subject: "inbound.sms" }],
      ["optout_dependency_up", { dependency: "postgres" }],
      ["optout_dependency_up", { dependency: "redis" }],
      ["optout_dependency_up", { dependency: "nats" }],
      [
        "http_requests_total",
        { worker: "api", method: "GET", route: "/v1/organizations/:orgId", status: "200" },
      ],
      ["http_requests_total", { worker: "api", route: "unmatched", status: "404" }],
      ["http_requests_total", { worker: "edge", method: "GET", route: "/healthz", status: "200" }],
      ["http_request_duration_seconds_count", { worker: "api" }],
      ["http_request_duration_seconds_count", { worker: "edge" }],
    ];
    for (const [name, labels] of expected)
      t.ok(value(name, labels) > 0, `${name}${JSON.stringify(labels)} > 0`);
    t.notOk(text.includes("31612345678"), "no URL (nor the identifier in it) in any label");

    // Sampled at scrape time for each consumer: present, even when caught up (0).
    for (const worker of ["sms-inbound", "email-unsubscribe", "link-click", "webhook-dispatch"]) {
      for (const name of [
        "optout_consumer_pending_messages",
        "optout_consumer_ack_pending_messages",
        "optout_consumer_paused",
      ])
        t.ok(
          samples.some((s) => s.name === name && s.labels.worker === worker),
          `${name}{worker="${worker}"} is exported`,
        );
    }
    const info = await infra.jsm.streams.info(names.streams.dlq, { subjects_filter: names.subjects.dlqAll });
    t.equal(
      value("optout_dead_letter_messages", { subject: "inbound.sms" }),
      info.state.subjects?.[names.subjects.dlqFor(names.subjects.inboundSms)] ?? 0,
      "the DLQ depth is the stream's count for the subject",
    );

    // Completeness: no declared metric of ours may go without samples in this run, unless it is
    // listed here with the reason traffic leaves it at zero.
    const mayBeZero: Record<string, string> = {
      optout_consumer_paused: "0 unless a dependency is down (test/faults)",
      optout_consumer_pending_messages: "0 once the consumers caught up",
      optout_consumer_ack_pending_messages: "0 once the consumers caught up",
    };
    const notDrivenHere = /^optout_retention_/; // hourly; its own test drives it
    for (const metric of infra.metrics.registry.getMetricsAsArray()) {
      const { name, type } = metric as unknown as { name: string; type: string };
      if (!/^(optout|http)_/.test(name) || notDrivenHere.test(name)) continue;
      const series = type === "histogram" ? `${name}_count` : name;
      const mine = samples.filter((s) => s.name === series);
      t.ok(mine.length > 0, `${name} has samples on /metrics`);
      if (mayBeZero[name]) continue;
      t.ok(
        mine.some((s) => s.value > 0),
        `${name} has a sample above zero (declared metrics must be driven by the traffic of this test, or listed in mayBeZero)`,
      );
    }
  },
);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, enough for prom-client's output. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}
