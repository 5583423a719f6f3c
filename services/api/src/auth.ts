import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { UnauthorizedError } from "@optout/core";

/** Who is calling. Typed account tokens (read/write, per channel) join this union later. */
export type Principal = { kind: "admin" };

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Compare hashes, not strings: constant time whatever the lengths. */
export function createAuthenticator(adminToken: string) {
  const adminDigest = digest(adminToken);
  return function authenticate(request: FastifyRequest): Principal {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new UnauthorizedError("missing bearer token: send Authorization: Bearer <token>");
    if (timingSafeEqual(digest(match[1]!), adminDigest)) return { kind: "admin" };
    throw new UnauthorizedError("invalid bearer token");
  };
}
