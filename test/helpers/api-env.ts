/**
 * The API alone on an isolated test environment (no other workers): for tests of its routes,
 * tokens and pages. Requests go over a real socket.
 */
import { createTestEnv, type TestEnv } from "@optout/testkit";
import { upsertAccount, upsertOrganization, type ListScope } from "@optout/store";
import type { ServiceHandle } from "@optout/runtime";
import { startApi } from "@optout/service-api";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON replies
  body: any;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiEnv {
  env: TestEnv;
  url: string;
  api: ServiceHandle & { port: number };
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  account(id: string, organizationId: string, listScope?: ListScope): Promise<void>;
  /** Create a typed token with the admin token; returns the secret. */
  token(accountId: string, types: string[], permissions: string[], name?: string): Promise<string>;
  /** Another API process on the same database (as a second replica would be). */
  startReplica(): Promise<{ url: string; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

async function send(
  url: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse> {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    redirect: "manual",
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export async function startApiEnv(name: string): Promise<ApiEnv> {
  const env = await createTestEnv({ name });
  const options = {
    adminToken: ADMIN_TOKEN,
    port: 0,
    host: "127.0.0.1",
    emailTokenSecret: "test-email-token-secret-0123456789",
    erasureHashSecret: "test-erasure-hash-secret-0123456789",
    linkBaseUrl: "https://o.example/",
    importThreads: 1,
  };
  const api = await startApi(env.infra, options);
  const url = `http://127.0.0.1:${api.port}`;
  const replicas: ServiceHandle[] = [];
  return {
    env,
    url,
    api,
    request: (method, path, requestOptions) => send(url, method, path, requestOptions),
    async account(id, organizationId, listScope = "organization") {
      await upsertOrganization(env.infra.pool, { id: organizationId });
      await upsertAccount(env.infra.pool, { id, organizationId, listScope, defaultCountry: "NL" });
      env.infra.accounts.forget(id);
    },
    async token(accountId, types, permissions, tokenName) {
      const res = await send(url, "POST", `/v1/accounts/${accountId}/tokens`, {
        body: { types, permissions, ...(tokenName ? { name: tokenName } : {}) },
      });
      if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${res.text}`);
      return res.body.token as string;
    },
    async startReplica() {
      const replica = await startApi(env.infra, options);
      replicas.push(replica);
      return { url: `http://127.0.0.1:${replica.port}`, stop: () => replica.stop() };
    },
    async stop() {
      for (const r of replicas) await r.stop();
      await api.stop();
      await env.teardown();
    },
  };
}
