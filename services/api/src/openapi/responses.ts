/**
 * Response entries for the routes' `schema.response` (fastify's form, which @fastify/swagger
 * turns into OpenAPI responses: `description` is the response's, `content` maps media types,
 * `type: "null"` means no body). Documentation only: see ./swagger.ts for why nothing is
 * serialized with them.
 */
import { ref } from "./schemas.js";

type Schema = Record<string, unknown>;
export type ResponseSchema = Schema & { description: string };

/** A JSON body of one of the shared schemas (./schemas.ts). */
export const json = (description: string, name: Parameters<typeof ref>[0]): ResponseSchema => ({
  description,
  ...ref(name),
});

/** The error shape of the registry (packages/core/src/error-registry.ts); the description names the code. */
export const errorResponse = (description: string): ResponseSchema => json(description, "Error");

/** No body (204, a redirect, a file of no fixed type). */
export const noBody = (description: string): ResponseSchema => ({ description, type: "null" });

/** Bodies by media type, e.g. a JSON page or an NDJSON stream of the same request. */
export const media = (
  description: string,
  content: Record<string, Schema>,
  /** Response headers: name -> schema with a description. */
  headers?: Record<string, Schema & { description: string }>,
): ResponseSchema => ({
  description,
  content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])),
  ...(headers ? { headers } : {}),
});

export const UNKNOWN_ACCOUNT = errorResponse("UNKNOWN_ACCOUNT: no such account.");
