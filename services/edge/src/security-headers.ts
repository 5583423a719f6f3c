/**
 * The edge's security headers: helmet's (through @fastify/helmet on every routed answer) with
 * the one Content-Security-Policy the pages need, plus two headers helmet does not set. The
 * pages have no script and no external resource; their one inline stylesheet is allowed by its
 * hash (STYLE_HASH, computed from the CSS the pages embed, so the two cannot drift apart).
 */
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import type { FastifyHelmetOptions } from "@fastify/helmet";
import helmet, { type HelmetOptions } from "helmet";
import { STYLE_HASH } from "./pages.js";

export const EDGE_HELMET = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: [STYLE_HASH],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  frameguard: { action: "deny" },
  referrerPolicy: { policy: "no-referrer" },
  crossOriginOpenerPolicy: { policy: "same-origin" },
  crossOriginResourcePolicy: { policy: "same-origin" },
  // HSTS belongs on the TLS-terminating ingress: the edge itself may be reached over plain HTTP.
  strictTransportSecurity: false,
} satisfies FastifyHelmetOptions;

/** Not helmet's: links are personal, and pages carry a masked number and a per-page nonce. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "x-robots-tag": "noindex, nofollow",
  "cache-control": "no-store",
});

/** The headers helmet sets for `options`, read once off a response nobody sends. */
export function helmetHeaders(options: FastifyHelmetOptions): Record<string, string> {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  // The same options: @fastify/helmet's typings import helmet's CommonJS declarations, this
  // module its ESM ones, and TypeScript holds their unique symbols apart.
  helmet(options as HelmetOptions)(response.req, response, () => undefined);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.getHeaders())) headers[name] = String(value);
  return headers;
}

/**
 * Every header of every answer of the edge, for the answers no route hook reaches: problem
 * pages fastify writes before its hooks (a bad URL, a path parameter too long) and errors Node
 * answers before there is a request (431). Routed answers get the same from the plugin.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...helmetHeaders(EDGE_HELMET),
  ...PAGE_HEADERS,
});
