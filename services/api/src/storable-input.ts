import type { FastifyInstance } from "fastify";
import { InvalidPayloadError } from "@optout/core";
import { findStorableViolation } from "@optout/schemas";

/**
 * The storable rule of @optout/schemas for every request (guarantee 9): a NUL, a lone
 * surrogate (JSON "\ud800"), a string or key past the limits, or nesting deeper than 32, in
 * the body, the path or the query, is a 400 naming the field, before any route's own schema
 * runs and long before Postgres could refuse it ("body/fields/note contains a NUL character").
 * Streamed bodies (CSV/NDJSON imports) are checked row by row by @optout/address-book instead.
 */
export function installStorableInputCheck(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    for (const [where, value] of [
      ["params", request.params],
      ["querystring", request.query],
      ["body", request.body],
    ] as const) {
      const found = findStorableViolation(value, where);
      if (found !== null) {
        throw new InvalidPayloadError(`${found.path} ${found.problem}`, {
          details: { in: where, path: found.path },
        });
      }
    }
  });
}
