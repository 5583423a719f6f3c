/**
 * The Unsubscribes page: a few static files from services/api/ui/, served by the API itself
 * (no static plugin, no framework). Read once when the app is built; only files in that
 * directory with a known extension are served, so a path can never leave it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import { NotFoundError } from "@optout/core";
import { UI_HELMET } from "./security-headers.js";
import { errorResponse, media, noBody } from "./openapi/responses.js";

/** services/api/ui/, from src/ (tsx) and from dist/ (the build) alike. */
export const UI_DIR = fileURLToPath(new URL("../ui/", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

interface StaticFile {
  body: Buffer;
  type: string;
}

/**
 * Files of npm packages the page uses, served under /ui/ like its own (the page has no build
 * step): punycode's ES module turns the punycode domains of stored email addresses into Unicode.
 */
export const VENDOR_FILES: Readonly<Record<string, string>> = { "punycode.js": "punycode/punycode.es6.js" };

export function loadStaticFiles(dir = UI_DIR): Map<string, StaticFile> {
  const resolve = createRequire(import.meta.url).resolve;
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type && /^[a-z0-9][a-z0-9.-]*$/.test(name))
      files.set(name, { body: readFileSync(new URL(name, `file://${dir}`)), type });
  }
  for (const [name, module] of Object.entries(VENDOR_FILES))
    files.set(name, { body: readFileSync(resolve(module)), type: CONTENT_TYPES[extname(name)]! });
  return files;
}

const PUBLIC = { access: { kind: "public" } } as const;
/** Helmet's headers with the page's CSP (./security-headers.ts). */
const HEADERS = { helmet: UI_HELMET } as const;

export function uiRoutes(app: FastifyInstance, files = loadStaticFiles()): void {
  const send = (reply: FastifyReply, name: string) => {
    const file = files.get(name);
    if (!file) throw new NotFoundError(`no file /ui/${name}`);
    return reply.header("cache-control", "no-cache").type(file.type).send(file.body);
  };
  app.get(
    "/ui",
    {
      schema: {
        operationId: "uiRedirect",
        tags: ["Service"],
        summary: "Redirect to /ui/",
        response: { 308: noBody("Redirect to `/ui/`.") },
      },
      config: PUBLIC,
      ...HEADERS,
    },
    async (_request, reply) => reply.redirect("/ui/", 308),
  );
  app.get(
    "/ui/",
    {
      schema: {
        operationId: "ui",
        tags: ["Service"],
        summary: "The Unsubscribes page",
        description:
          "A static page (HTML, CSS, vanilla JS) that calls this API with a token kept in the tab's sessionStorage: recent opt-outs and opt-ins by when they happened, with their source and reason in words, filter by channel and action, search a number or address (normalized by the API), the full history of one recipient. Identifiers are masked until clicked; international email domains are shown in Unicode. Sign in with an account token with read permission, or with the admin token (then pick the account from a list: `GET /v1/accounts`).",
        response: { 200: media("The page.", { "text/html": { type: "string" } }) },
      },
      config: PUBLIC,
      ...HEADERS,
    },
    async (_request, reply) => send(reply, "index.html"),
  );
  app.get<{ Params: { file: string } }>(
    "/ui/:file",
    {
      config: PUBLIC,
      ...HEADERS,
      schema: {
        operationId: "uiAsset",
        tags: ["Service"],
        summary: "A file of the Unsubscribes page",
        description: "The page's script and stylesheets, served with a restrictive Content-Security-Policy.",
        response: { 200: noBody("The file."), 404: errorResponse("No such file.") },

        params: {
          type: "object",
          required: ["file"],
          properties: {
            file: { type: "string", pattern: "^[a-z0-9][a-z0-9.-]*$", description: "File name." },
          },
        },
      },
    },
    async (request, reply) => send(reply, request.params.file),
  );
}
