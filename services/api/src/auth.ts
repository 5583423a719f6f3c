/**
 * Who is calling (authentication) and what a route lets them do (authorization).
 *
 * Two kinds of bearer token:
 * - the admin token (OPTOUT_ADMIN_TOKEN): may do everything;
 * - typed account tokens `oo_<id>_<secret>` (POST /v1/accounts/{id}/tokens): one account, some
 *   channels ("types": sms, email) and some permissions (read, write; independent: a write-only
 *   token cannot read; audit:read for the audit trail and the webhook delivery log;
 *   erasure:write for GDPR erasure, never implied by write since an erasure cannot be undone). Only SHA-256 of a token is stored; it is looked up by id on every request
 *   (a primary-key read, nothing cached), so a revoke takes effect at once in every process.
 *
 * Each route declares what it needs in its config (`config: { access }`); one onRequest hook
 * enforces it (plus a preValidation hook when the channel is in the body). A route that declares
 * nothing is admin-only: forgetting the declaration fails closed.
 *
 * Failures: 401 UNAUTHORIZED without a token or with one that is unknown, malformed or revoked;
 * 403 FORBIDDEN for a valid token that may not do this: another account's data (whether or not
 * that account exists, so a token learns nothing about other accounts), a channel not among its
 * types, a permission it lacks, or an admin-only route.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { ForbiddenError, UnauthorizedError, type Logger } from "@optout/core";
import { CHANNEL_NAMES, isChannel, type Channel } from "@optout/domain";
import {
  API_TOKEN_PATTERN,
  findActiveApiToken,
  generateApiToken,
  hashApiToken,
  TOKEN_ID_LENGTH,
  TOKEN_PERMISSIONS,
  TOKEN_SECRET_LENGTH,
  touchApiToken,
  typed,
  type Pool,
  type TokenPermission,
} from "@optout/store";

export type Permission = TokenPermission;
export const PERMISSIONS: readonly Permission[] = TOKEN_PERMISSIONS;

export type Principal =
  | { kind: "admin" }
  | { kind: "account"; accountId: string; types: Channel[]; permissions: Permission[]; tokenId: string };

/** Where a route finds the channel it acts on, to check it against the token's types. */
export type ChannelSource = "params" | "body" | "query";

export type Access =
  /** No token needed (health, the UI's static files, the API docs). */
  | { kind: "public" }
  /** Any valid token (GET /v1/me). */
  | { kind: "authenticated" }
  | { kind: "admin" }
  /**
   * The admin token, or a token of the route's `:accountId` with the permission. When the route
   * acts on one channel the token must also have that type: `channel` fixes it, or `channelFrom`
   * names where the request carries it (an absent optional channel means "the token's types":
   * the route filters with `channelsFor`).
   */
  | {
      kind: "account-read" | "account-write";
      channelFrom?: ChannelSource;
      channel?: Channel;
      /** The content may carry any channel (a mixed import): the token must have every type. */
      allChannels?: true;
      /**
       * The permission the token needs instead of `read` (account-read) or `write`
       * (account-write): `audit:read` for the audit trail and the webhook delivery log,
       * `erasure:write` for GDPR erasure.
       */
      permission?: Permission;
    };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Undeclared routes are admin-only. */
const DEFAULT_ACCESS: Access = { kind: "admin" };
/** last_used_at is written at most this often per token. */
export const TOKEN_TOUCH_INTERVAL_SECONDS = 60;

// ---- token format (one generator, in @optout/store, for the API and `optout tokens create`) ------

export { generateApiToken, TOKEN_ID_LENGTH, TOKEN_SECRET_LENGTH };
const TOKEN_PATTERN = API_TOKEN_PATTERN;
const sha256 = hashApiToken;

// ---- authentication -----------------------------------------------------------------------

export function createAuthenticator(options: { adminToken: string; pool: Pool; logger: Logger }) {
  const adminDigest = sha256(options.adminToken);
  return async function authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new UnauthorizedError("missing bearer token: send Authorization: Bearer <token>");
    const presented = match[1]!;
    // Compare hashes, not strings: constant time whatever the lengths.
    const digest = sha256(presented);
    if (timingSafeEqual(digest, adminDigest)) return { kind: "admin" };
    const id = TOKEN_PATTERN.exec(presented)?.[1];
    if (id === undefined) throw new UnauthorizedError("invalid bearer token");
    const stored = await typed(() => findActiveApiToken(options.pool, id));
    if (!stored || !timingSafeEqual(digest, stored.secretHash))
      throw new UnauthorizedError("invalid or revoked bearer token");
    if (
      stored.lastUsedAt === null ||
      Date.now() - Date.parse(stored.lastUsedAt) > TOKEN_TOUCH_INTERVAL_SECONDS * 1000
    ) {
      await typed(() => touchApiToken(options.pool, id, TOKEN_TOUCH_INTERVAL_SECONDS)).catch((err: Error) =>
        options.logger.warn({ tokenId: id, err: err.message }, "could not record token use"),
      );
    }
    return {
      kind: "account",
      accountId: stored.accountId,
      tokenId: stored.id,
      types: stored.types.filter(isChannel),
      permissions: stored.permissions.filter((p): p is Permission => PERMISSIONS.includes(p)),
    };
  };
}

// ---- authorization ------------------------------------------------------------------------

export function accessOf(route: { config?: { access?: Access } | undefined }): Access {
  return route.config?.access ?? DEFAULT_ACCESS;
}

/** A declaration that cannot be enforced is a programming error: refuse it when the route is added. */
function checkDeclaration(route: RouteOptions): void {
  const access = (route.config as { access?: Access } | undefined)?.access;
  if (access === undefined || (access.kind !== "account-read" && access.kind !== "account-write")) return;
  const where = `${String(route.method)} ${route.url}`;
  if (!route.url.includes(":accountId"))
    throw new Error(`${where}: ${access.kind} access needs an :accountId path parameter`);
  if (access.channelFrom === "params" && !route.url.includes(":channel"))
    throw new Error(`${where}: channelFrom "params" needs a :channel path parameter`);
  if (access.channel !== undefined && !isChannel(access.channel))
    throw new Error(`${where}: unknown channel "${access.channel}"`);
}

function channelValues(source: unknown): string[] {
  const value = (source as { channel?: unknown } | null | undefined)?.channel;
  const values = Array.isArray(value) ? value : [value];
  // Unknown values are the schema's business (400), not a permission question.
  return values.filter((v): v is string => typeof v === "string" && isChannel(v));
}

function requireType(principal: Principal, channel: string): void {
  if (principal.kind === "account" && !(principal.types as string[]).includes(channel)) {
    throw new ForbiddenError(
      `this token is not valid for channel "${channel}" (its types: ${principal.types.join(", ")})`,
    );
  }
}

function authorize(request: FastifyRequest, access: Access, principal: Principal): void {
  if (principal.kind === "admin" || access.kind === "authenticated") return;
  if (access.kind === "admin") throw new ForbiddenError("this route needs the admin token");
  if (access.kind !== "account-read" && access.kind !== "account-write") return;
  const accountId = (request.params as { accountId?: string }).accountId;
  if (accountId !== principal.accountId) {
    throw new ForbiddenError(
      `this token belongs to account "${principal.accountId}": it cannot access another account`,
    );
  }
  const needed: Permission = access.permission ?? (access.kind === "account-read" ? "read" : "write");
  if (!principal.permissions.includes(needed))
    throw new ForbiddenError(`this token lacks the "${needed}" permission`);
  if (access.channel !== undefined) requireType(principal, access.channel);
  if (access.allChannels) for (const channel of CHANNEL_NAMES) requireType(principal, channel);
  if (access.channelFrom === "params" || access.channelFrom === "query") {
    for (const channel of channelValues(access.channelFrom === "params" ? request.params : request.query))
      requireType(principal, channel);
  }
}

/**
 * Install authentication and authorization on `app` (before any route is registered, so the
 * hooks cover every plugin). Sets `request.principal` for the handlers.
 */
export function installAccessControl(
  app: FastifyInstance,
  options: { adminToken: string; pool: Pool; logger: Logger },
): void {
  const authenticate = createAuthenticator(options);
  app.decorateRequest("principal", null);
  app.addHook("onRoute", checkDeclaration);
  app.addHook("onRequest", async (request) => {
    if (request.is404) return;
    const access = accessOf(request.routeOptions);
    if (access.kind === "public") return;
    const principal = await authenticate(request);
    request.principal = principal;
    authorize(request, access, principal);
  });
  // The body is parsed only now; checking before validation keeps "not your channel" a 403
  // whatever else is wrong with the body.
  app.addHook("preValidation", async (request) => {
    const access = accessOf(request.routeOptions);
    if (
      request.principal === null ||
      access.kind === "public" ||
      !("channelFrom" in access) ||
      access.channelFrom !== "body"
    )
      return;
    for (const channel of channelValues(request.body)) requireType(request.principal, channel);
  });
}

/** The authenticated caller; only for routes that are not public. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new UnauthorizedError();
  return request.principal;
}

/**
 * The channels this caller may see, narrowed to `requested` when given: every channel for the
 * admin token, the token's types for an account token. For routes with an optional channel.
 */
export function channelsFor(request: FastifyRequest, requested?: Channel): Channel[] {
  const principal = principalOf(request);
  const allowed = principal.kind === "admin" ? [...CHANNEL_NAMES] : principal.types;
  if (requested === undefined) return allowed;
  requireType(principal, requested);
  return [requested];
}

/** For channels found in a request's content (an import's rows): 403 unless the token has the type. */
export function assertChannelAllowed(request: FastifyRequest, channel: string): void {
  requireType(principalOf(request), channel);
}
