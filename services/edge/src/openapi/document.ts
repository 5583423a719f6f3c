/**
 * The edge's OpenAPI document. The edge answers HTML to people, so its routes carry no JSON
 * Schemas to generate from: the document is written here, next to the routes, and a test checks
 * that every registered route is in it and nothing else is (scripts/render-openapi-edge.ts
 * writes docs/openapi-edge.yaml).
 */

const html = (description: string) => ({ description, content: { "text/html": {} } });
const tokenParam = {
  name: "token",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^[0-9A-Za-z]{6,10}$" },
  description: "The link token from the SMS footer (optout.tag)",
};
const emailTokenParam = {
  name: "token",
  in: "path",
  required: true,
  schema: { type: "string", maxLength: 2048 },
  description:
    "A signed token naming account, address and list (POST /v1/accounts/{accountId}/email-unsubscribe-headers)",
};
const clickForm = {
  type: "object",
  properties: {
    reason: { type: "string", description: "too_many | not_relevant | never_signed_up | other" },
    comment: { type: "string", maxLength: 400, description: "Free text, optional" },
    click: {
      type: "string",
      pattern: "^[0-9A-Za-z]{16,64}$",
      description: "The page's nonce: a resubmit is the same click",
    },
  },
};
const common = {
  "429": html(
    "Rate limited per client address across every edge replica (EDGE_RATE_LIMIT_PER_MINUTE, counted in Redis; not limited while Redis is down); Retry-After says when to come back",
  ),
};

export const EDGE_OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "optout edge (public)",
    version: "1.0.0",
    description:
      "The public HTTP edge: opt-out link landing pages and RFC 8058 one-click email unsubscribe. No authentication. Every response carries helmet's security headers with Content-Security-Policy `default-src 'none';style-src 'sha256-...';form-action 'self';frame-ancestors 'none';base-uri 'none'`, Referrer-Policy no-referrer, X-Content-Type-Options nosniff, X-Frame-Options DENY, and Cache-Control no-store and X-Robots-Tag noindex. Bodies are limited to 16 KiB. Pages need no JavaScript and are localized (en, nl, fr, de, es: ?lang=, then Accept-Language, then the number's country).",
  },
  paths: {
    "/{token}": {
      parameters: [tokenParam],
      get: {
        summary: "Landing page of an SMS opt-out link",
        description:
          "Names the sender and the masked number and offers an Unsubscribe button with an optional reason. It never opts anyone out: link scanners and previewers fetch links.",
        parameters: [
          {
            name: "lang",
            in: "query",
            required: false,
            schema: { type: "string", enum: ["en", "nl", "fr", "de", "es"] },
          },
        ],
        responses: {
          "200": html("The page"),
          "404": html("Unknown or malformed token"),
          ...common,
          "503": html("The database is unavailable"),
        },
      },
      post: {
        summary: "Unsubscribe: publishes the click to optout.inbound.link",
        requestBody: {
          required: false,
          content: {
            "application/x-www-form-urlencoded": { schema: clickForm },
            "multipart/form-data": { schema: clickForm },
          },
        },
        responses: {
          "200": html("Confirmation page stating the result"),
          "404": html("Unknown or malformed token; nothing published"),
          "413": html("Body over 16 KiB"),
          "415": html("Not a form body"),
          ...common,
          "503": html("The click could not be published; nothing is confirmed"),
        },
      },
    },
    "/email/unsubscribe/{token}": {
      parameters: [emailTokenParam],
      get: {
        summary: "Confirm page for a person who opened the List-Unsubscribe link (changes nothing)",
        responses: {
          "200": html("The page; its button POSTs confirm=yes"),
          "404": html("The token's signature does not verify"),
          ...common,
        },
      },
      post: {
        summary: "RFC 8058 one-click unsubscribe, or the confirm page's button",
        description:
          "`List-Unsubscribe=One-Click` publishes method one_click, `confirm=yes` method link, to optout.inbound.email. Answers 200 with no cookies and no redirect.",
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                properties: {
                  "List-Unsubscribe": { type: "string", enum: ["One-Click"] },
                  confirm: { type: "string", enum: ["yes"] },
                },
              },
            },
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: { "List-Unsubscribe": { type: "string", enum: ["One-Click"] } },
              },
            },
          },
        },
        responses: {
          "200": html("Unsubscribed"),
          "400": html("Neither One-Click nor the confirm form"),
          "404": html("The token's signature does not verify; nothing published"),
          ...common,
        },
      },
    },
    "/healthz": { get: { summary: "Liveness", responses: { "200": { description: '{"status":"ok"}' } } } },
    "/readyz": {
      get: {
        summary: "Readiness",
        responses: {
          "200": { description: '{"status":"ready"}' },
          "503": { description: '{"status":"not_ready"}' },
        },
      },
    },
    "/robots.txt": {
      get: {
        summary: "Disallow every crawler",
        responses: { "200": { description: "User-agent: *\\nDisallow: /" } },
      },
    },
  },
} as const;
