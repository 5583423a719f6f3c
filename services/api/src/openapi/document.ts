/**
 * The OpenAPI 3.1 document of the API, generated from the registered routes (their JSON Schemas
 * and access declarations) plus the summaries in ./operations.ts. Served at /docs/openapi.json
 * and written to docs/openapi.yaml by scripts/render-openapi.ts.
 */
import { ACCOUNT_ACCESS_PERMISSION, type Access } from "../auth.js";
import type { CatalogRoute } from "../route-catalog.js";
import { COMPONENT_SCHEMAS, ref } from "./schemas.js";
import { OPERATIONS, TAGS, type OperationDoc, type ResponseDoc } from "./operations.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const OPENAPI_VERSION = "3.1.0";
export const API_VERSION = "1.0.0";

const METHOD_ORDER = ["GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"];

/** Parameter descriptions by name; a route's operation entry can override them. */
const PARAMETER_DOCS: Record<string, string> = {
  accountId: "Account id.",
  orgId: "Organization id.",
  channel: "Channel (token type): `sms` or `email`.",
  identifier:
    "Phone number (E.164, or national format in the account's default country) or email address, URL-encoded. Normalized by the server.",
  tokenId: "The token's id (see the token list).",
  after: "Cursor: the `next` of the previous page; leave it out to start from the beginning (a first sync).",
  before: "Cursor: the `next` of the previous page, for older events.",
  action: "Only `opt_out` or only `opt_in` events.",
  file: "File name.",
  "idempotency-key": "Retries with the same key record one event.",
  groupId: "Group id.",
  contactId: "Contact id.",
  excludeOptedOut:
    "`true` (the default when `channel` is given): leave out members opted out of the channel. Needs `channel`.",
};
const LIMIT_DOCS: Record<string, string> = {
  "GET /v1/accounts/{accountId}/optouts": "Page size, 1 to 5000 (default 1000). Ignored for NDJSON.",
  "GET /v1/accounts/{accountId}/events": "Page size, 1 to 500 (default 50).",
  "GET /v1/accounts/{accountId}/groups/{groupId}/contacts":
    "Page size, 1 to 10000 (default 1000). Ignored for NDJSON.",
};

const INTRO = [
  "The HTTP API of the opt-out (suppression list) service for SMS and email marketing.",
  "",
  "**Authentication.** Every `/v1` route needs `Authorization: Bearer <token>`:",
  "",
  "- the **admin token** (`OPTOUT_ADMIN_TOKEN`) may do everything;",
  "- a **typed API token** (`POST /v1/accounts/{accountId}/tokens`) belongs to one account and has types (channels: `sms`, `email`) and permissions (`read`, `write`, `erasure:write`; independent of each other). It reads only its own account's list and only its types; a read token cannot write, and only `erasure:write` may erase (GDPR).",
  "",
  "Each operation states its access. A missing, malformed, unknown or revoked token gets **401** `UNAUTHORIZED`. A valid token that may not do something gets **403** `FORBIDDEN`: another account's path (whether or not that account exists), a channel not among its types, a permission it lacks, or an admin-only route.",
  "",
  '**Errors** are `{"error": {"code", "message"}}` with a 4xx/5xx status. **Pages** answer `{items, next, hasMore}`; `next` is an opaque cursor present on every page.',
  "",
  "Generated from the routes by scripts/render-openapi.ts: do not edit docs/openapi.yaml by hand.",
].join("\n");

export function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, "{$1}");
}

export function operationKey(route: { method: string; url: string }): string {
  return `${route.method} ${openApiPath(route.url)}`;
}

function clone<T>(value: T): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

function accessText(access: Access): string {
  switch (access.kind) {
    case "public":
      return "public (no token).";
    case "authenticated":
      return "any valid token.";
    case "admin":
      return "the admin token only.";
    default: {
      const permission = ACCOUNT_ACCESS_PERMISSION[access.kind];
      let text = `the admin token, or a token of this \`accountId\` with the \`${permission}\` permission`;
      if (access.allChannels) text += " and every type (the content may hold any channel)";
      else if (access.channel) text += ` and the \`${access.channel}\` type`;
      else if (access.channelFrom === "params") text += " and the type named by `channel` in the path";
      else if (access.channelFrom === "query")
        text +=
          " and the type named by the `channel` query parameter (when it is left out: the token's types)";
      else if (access.channelFrom === "body") text += " and the type named by `channel` in the body";
      return `${text}.`;
    }
  }
}

function forbiddenText(access: Access): string {
  if (access.kind === "admin") return "FORBIDDEN: an account token (this route needs the admin token).";
  return "FORBIDDEN: a token of another account, or one without the permission or the channel type this needs.";
}

interface SchemaObject {
  properties?: Record<string, JsonObject>;
  required?: string[];
}

function parameters(route: CatalogRoute, key: string): Json[] {
  const schema = (route.schema ?? {}) as {
    params?: SchemaObject;
    querystring?: SchemaObject;
    headers?: SchemaObject;
  };
  const out: Json[] = [];
  const describe = (name: string, property: JsonObject | undefined): JsonObject => {
    const description = name === "limit" ? LIMIT_DOCS[key] : PARAMETER_DOCS[name];
    return {
      ...(description ? { description } : {}),
      schema: property ? clone(property) : { type: "string" },
    };
  };
  for (const [, name] of route.url.matchAll(/:(\w+)/g)) {
    out.push({
      name: name!,
      in: "path",
      required: true,
      ...describe(name!, schema.params?.properties?.[name!]),
    });
  }
  for (const [where, object] of [
    ["query", schema.querystring],
    ["header", schema.headers],
  ] as const) {
    for (const [name, property] of Object.entries(object?.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: object?.required?.includes(name) ?? false,
        ...describe(name, property),
      });
    }
  }
  return out;
}

function response(doc: ResponseDoc): JsonObject {
  const content: JsonObject = {};
  if (doc.schema) content["application/json"] = { schema: clone(doc.schema) };
  for (const [type, schema] of Object.entries(doc.content ?? {})) content[type] = { schema: clone(schema) };
  return {
    description: doc.description,
    ...(doc.headers ? { headers: clone(doc.headers) } : {}),
    ...(Object.keys(content).length > 0 ? { content } : {}),
  };
}

function operation(route: CatalogRoute, key: string, doc: OperationDoc | undefined): JsonObject {
  const schema = (route.schema ?? {}) as {
    body?: unknown;
    params?: unknown;
    querystring?: unknown;
    headers?: unknown;
  };
  const access = route.access;
  const responses: Record<string, ResponseDoc> = { ...(doc?.responses ?? { "200": { description: "OK." } }) };
  if ((schema.body || schema.params || schema.querystring || schema.headers) && !responses["400"]) {
    responses["400"] = {
      description: "INVALID_PAYLOAD: the request does not match the schema (the message says where).",
      schema: ref("Error"),
    };
  }
  if (access.kind !== "public") {
    responses["401"] = {
      description: "UNAUTHORIZED: no token, or an unknown, malformed or revoked one.",
      schema: ref("Error"),
    };
    if (access.kind !== "authenticated")
      responses["403"] = { description: forbiddenText(access), schema: ref("Error") };
    responses["503"] ??= {
      description: "DEPENDENCY_UNAVAILABLE: the database is unreachable; retry later.",
      schema: ref("Error"),
    };
  }
  const requestContent: JsonObject = {};
  if (schema.body) requestContent["application/json"] = { schema: clone(schema.body) };
  for (const [type, s] of Object.entries(doc?.requestContent ?? {}))
    requestContent[type] = { schema: clone(s) };
  const params = parameters(route, key);
  return {
    operationId: doc?.operationId ?? key.replace(/\W+/g, "_"),
    tags: [doc?.tag ?? "Undocumented"],
    summary: doc?.summary ?? key,
    description: `${doc?.description ? `${doc.description}\n\n` : ""}**Access:** ${accessText(access)}`,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(Object.keys(requestContent).length > 0
      ? { requestBody: { required: true, content: requestContent } }
      : {}),
    responses: Object.fromEntries(
      Object.keys(responses)
        .sort()
        .map((status) => [status, response(responses[status]!)]),
    ),
    security: access.kind === "public" ? [] : [{ bearerAuth: [] }],
    "x-access": clone(access),
  };
}

export interface OpenApiResult {
  document: JsonObject;
  /** Routes without an entry in OPERATIONS. */
  undocumented: string[];
  /** OPERATIONS entries without a route. */
  unknown: string[];
}

export function buildOpenApiDocument(routes: readonly CatalogRoute[]): OpenApiResult {
  const byPath = new Map<string, CatalogRoute[]>();
  for (const route of routes) {
    const path = openApiPath(route.url);
    byPath.set(path, [...(byPath.get(path) ?? []), route]);
  }
  const paths: JsonObject = {};
  const undocumented: string[] = [];
  const seen = new Set<string>();
  for (const path of [...byPath.keys()].sort()) {
    const item: JsonObject = {};
    const sorted = [...byPath.get(path)!].sort(
      (a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
    );
    for (const route of sorted) {
      const key = operationKey(route);
      seen.add(key);
      const doc = OPERATIONS[key];
      if (!doc) undocumented.push(key);
      item[route.method.toLowerCase()] = operation(route, key, doc);
    }
    paths[path] = item;
  }
  const usedTags = new Set(
    Object.keys(OPERATIONS)
      .filter((k) => seen.has(k))
      .map((k) => OPERATIONS[k]!.tag),
  );
  const document: JsonObject = {
    openapi: OPENAPI_VERSION,
    info: {
      title: "optout HTTP API",
      version: API_VERSION,
      description: INTRO,
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: "http://localhost:3000", description: "npm start (API_PORT)" }],
    tags: TAGS.filter((t) => usedTags.has(t.name)),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "The admin token (OPTOUT_ADMIN_TOKEN) or a typed API token `oo_<id>_<secret>`.",
        },
      },
      schemas: clone(COMPONENT_SCHEMAS),
    },
  };
  return { document, undocumented, unknown: Object.keys(OPERATIONS).filter((k) => !seen.has(k)) };
}
