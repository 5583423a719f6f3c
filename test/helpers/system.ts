/**
 * The whole system in the test process, on an isolated namespace/schema: the workers of the
 * local runner, started the same way, plus helpers to act like a gateway and a campaign sender.
 */
import { randomUUID } from "node:crypto";
import {
  createTestEnv,
  publishInbound,
  requestJson,
  waitForAck,
  type TestEnv,
  type TestEnvConfig,
} from "@optout/testkit";
import { upsertAccount, upsertOrganization, type ListScope } from "@optout/store";
import type { CheckReply, CheckRequest, ErrorReply, InboundSms } from "@optout/schemas";
import { readinessOf, type ServiceHandle } from "@optout/runtime";
import { startSmsInbound } from "@optout/service-sms-inbound";
import { startEmailUnsubscribe } from "@optout/service-email-unsubscribe";
import { startSuppressionCheck } from "@optout/service-suppression-check";
import { startApi } from "@optout/service-api";
import { startTag } from "@optout/service-tag";
import { startLinkClick } from "@optout/service-link-click";
import { startEdge } from "@optout/service-edge";
import { startWebhookDispatch, type WebhookDispatchOptions } from "@optout/service-webhook-dispatch";

export const ADMIN_TOKEN = "test-admin-token-0123456789";
export const EMAIL_TOKEN_SECRET = "test-email-token-secret-0123456789";
export const ERASURE_HASH_SECRET = "test-erasure-hash-secret-0123456789";
export const LINK_BASE_URL = "https://o.example/";

export interface System {
  env: TestEnv;
  apiUrl: string;
  /** The link/email edge, e.g. http://127.0.0.1:40123 (no trailing slash). */
  edgeUrl: string;
  workers: ServiceHandle[];
  /** Publish an inbound SMS like a gateway and wait until the worker acked it. */
  sendSms(sms: Partial<InboundSms> & { from: string; text: string }): Promise<InboundSms>;
  check(request: Partial<CheckRequest> & { recipients: string[] }): Promise<CheckReply>;
  checkRaw(request: unknown): Promise<{ reply: CheckReply | ErrorReply; headers: Map<string, string> }>;
  account(
    id: string,
    organizationId: string,
    listScope?: ListScope,
    settings?: Record<string, unknown>,
  ): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON replies
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startSystem(
  options: {
    name?: string;
    maxDeliveries?: number;
    overrides?: Partial<TestEnvConfig>;
    /** The webhook dispatcher's options over the test defaults (private networks allowed: receivers run on 127.0.0.1). */
    webhook?: Partial<WebhookDispatchOptions>;
  } = {},
): Promise<System> {
  const env = await createTestEnv({
    name: options.name ?? "system",
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const { infra } = env;
  const workers: ServiceHandle[] = [];
  workers.push(
    await startSmsInbound(infra, {
      maxDeliveries: options.maxDeliveries ?? 5,
      ackWaitMs: 10_000,
      maxInFlight: 256,
    }),
  );
  workers.push(await startSuppressionCheck(infra, { erasureHashSecret: ERASURE_HASH_SECRET }));
  workers.push(
    await startEmailUnsubscribe(infra, {
      maxDeliveries: options.maxDeliveries ?? 5,
      ackWaitMs: 10_000,
      maxInFlight: 256,
      emailTokenSecret: EMAIL_TOKEN_SECRET,
    }),
  );
  const api = await startApi(infra, {
    adminToken: ADMIN_TOKEN,
    port: 0,
    host: "127.0.0.1",
    emailTokenSecret: EMAIL_TOKEN_SECRET,
    erasureHashSecret: ERASURE_HASH_SECRET,
    linkBaseUrl: LINK_BASE_URL,
    // Like the local process: /readyz answers for every worker of the system.
    isReady: () => readinessOf(workers.filter((w) => w.name !== "api")).ready,
    notReadyReasons: () => readinessOf(workers.filter((w) => w.name !== "api")).reasons,
  });
  workers.push(api);
  const apiUrl = `http://127.0.0.1:${api.port}`;
  workers.push(await startTag(infra, { linkBaseUrl: LINK_BASE_URL }));
  workers.push(
    await startLinkClick(infra, {
      maxDeliveries: options.maxDeliveries ?? 5,
      ackWaitMs: 10_000,
      maxInFlight: 256,
    }),
  );
  workers.push(
    await startWebhookDispatch(infra, {
      maxAttempts: 5,
      timeoutMs: 5_000,
      allowPrivateNetworks: true,
      ackWaitMs: 10_000,
      maxInFlight: 64,
      retryBaseMs: 100,
      retryMaxMs: 1_000,
      orderPollMs: 200,
      ...options.webhook,
    }),
  );
  // Every test request comes from 127.0.0.1: a limit high enough never to get in the way.
  const edge = await startEdge(infra, {
    port: 0,
    host: "127.0.0.1",
    emailTokenSecret: EMAIL_TOKEN_SECRET,
    rateLimitPerMinute: 100_000,
  });
  workers.push(edge);
  const edgeUrl = `http://127.0.0.1:${edge.port}`;
  const defaultAccount = "acme-nl";

  const system: System = {
    env,
    apiUrl,
    edgeUrl,
    workers,
    async sendSms(partial) {
      const sms: InboundSms = {
        id: randomUUID(),
        accountId: defaultAccount,
        to: "3010",
        receivedAt: new Date().toISOString(),
        ...partial,
      };
      const seq = await publishInbound(infra.js, infra.names.subjects.inboundSms, sms);
      await waitForAck(infra.jsm, infra.names.streams.inboundSms, infra.names.consumer("sms-inbound"), seq);
      return sms;
    },
    async check(request) {
      const { reply } = await system.checkRaw({ accountId: defaultAccount, channel: "sms", ...request });
      if ("error" in reply) throw new Error(`check failed: ${reply.error.code} ${reply.error.message}`);
      return reply;
    },
    async checkRaw(request) {
      return requestJson<CheckReply | ErrorReply>(infra.nc, infra.names.subjects.check, request);
    },
    async account(id, organizationId, listScope = "organization", settings = {}) {
      await upsertOrganization(infra.pool, { id: organizationId });
      await upsertAccount(infra.pool, { id, organizationId, listScope, defaultCountry: "NL", settings });
      infra.accounts.forget(id);
    },
    async api(method, path, body, token = ADMIN_TOKEN) {
      const res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      for (const w of [...workers].reverse()) await w.stop();
      await env.teardown();
    },
  };
  return system;
}
