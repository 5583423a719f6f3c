/**
 * Security headers of the API's HTML pages (/ui/ and /docs), with @fastify/helmet per route:
 * the JSON routes do not need them. Each page gets helmet's headers with its own
 * Content-Security-Policy: same-origin files only, no inline script, no framing.
 */
import type { FastifyHelmetOptions } from "@fastify/helmet";

/** Helmet's headers with exactly these CSP directives (none of helmet's default directives). */
function pageHelmet(directives: Record<string, string[]>) {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    // HSTS belongs on the TLS-terminating ingress: the API itself may be reached over plain HTTP.
    strictTransportSecurity: false,
  } satisfies FastifyHelmetOptions;
}

const PAGE_DIRECTIVES = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/** The Unsubscribes page: its own script and styles, calls to the API; icons are inline SVG (data: images). */
export const UI_HELMET = pageHelmet({
  ...PAGE_DIRECTIVES,
  scriptSrc: ["'self'"],
  connectSrc: ["'self'"],
});

/** The rendered OpenAPI document: no script at all. */
export const DOCS_HELMET = pageHelmet(PAGE_DIRECTIVES);
