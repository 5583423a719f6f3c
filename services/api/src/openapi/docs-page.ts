/**
 * GET /docs: the OpenAPI document rendered as one readable HTML page on the server (no CDN, no
 * script: the machine may have no internet), and GET /docs/openapi.json: the document itself, as
 * @fastify/swagger makes it from the routes (./swagger.ts).
 */
import type { FastifyInstance } from "fastify";
import { DOCS_HELMET } from "../security-headers.js";
import { media } from "./responses.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The little Markdown the descriptions use: paragraphs, "- " lists, `code`, **bold**. */
function markdown(text: string): string {
  const inline = (s: string) =>
    esc(s)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  const blocks: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n");
    if (lines.every((l) => l.startsWith("- ")))
      blocks.push(`<ul>${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join("")}</ul>`);
    else blocks.push(`<p>${inline(lines.join(" "))}</p>`);
  }
  return blocks.join("");
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

function typeOf(schema: Json | undefined): string {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return "";
  const s = schema as Obj;
  if (typeof s.$ref === "string") {
    const name = s.$ref.split("/").pop()!;
    return `<a href="#schema-${slug(name)}">${esc(name)}</a>`;
  }
  if (Array.isArray(s.allOf)) return s.allOf.map(typeOf).join(" &amp; ");
  if (Array.isArray(s.enum)) return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(" | ");
  const type = Array.isArray(s.type) ? s.type.join(" | ") : typeof s.type === "string" ? s.type : "any";
  if (type === "array") return `array of ${typeOf(s.items) || "any"}`;
  const constraints: string[] = [];
  if (typeof s.format === "string") constraints.push(s.format);
  if (typeof s.pattern === "string") constraints.push(`pattern <code>${esc(s.pattern)}</code>`);
  if (typeof s.minLength === "number" || typeof s.maxLength === "number")
    constraints.push(`length ${s.minLength ?? 0}–${s.maxLength ?? "∞"}`);
  if (typeof s.minimum === "number" || typeof s.maximum === "number")
    constraints.push(`${s.minimum ?? "−∞"}–${s.maximum ?? "∞"}`);
  if (typeof s.minItems === "number") constraints.push(`at least ${s.minItems}`);
  return `${esc(type)}${constraints.length ? ` <span class="muted">(${constraints.join(", ")})</span>` : ""}`;
}

function propertiesTable(schema: Json | undefined): string {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return "";
  const s = schema as Obj;
  if (typeof s.$ref === "string" || !s.properties || typeof s.properties !== "object")
    return `<p class="schema-type">${typeOf(schema)}</p>`;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const rows = Object.entries(s.properties as Obj)
    .map(([name, p]) => {
      const description =
        p && typeof p === "object" && !Array.isArray(p) && typeof p.description === "string"
          ? markdown(p.description)
          : "";
      return `<tr><td><code>${esc(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ""}</td><td>${typeOf(p)}</td><td>${description}</td></tr>`;
    })
    .join("");
  return `<table class="props"><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function renderOperation(path: string, method: string, op: Obj): string {
  const id = esc(String(op.operationId));
  const params = Array.isArray(op.parameters) ? (op.parameters as Obj[]) : [];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td><code>${esc(String(p.name))}</code>${p.required ? ' <span class="req">required</span>' : ""}</td><td>${esc(String(p.in))}</td><td>${typeOf(p.schema)}</td><td>${typeof p.description === "string" ? markdown(p.description) : ""}</td></tr>`,
    )
    .join("");
  const body = op.requestBody as Obj | undefined;
  const bodyHtml = body
    ? Object.entries(body.content as Obj)
        .map(
          ([type, media]) =>
            `<h4>Request body <code>${esc(type)}</code></h4>${propertiesTable((media as Obj).schema)}`,
        )
        .join("")
    : "";
  const responses = Object.entries(op.responses as Obj)
    .map(([status, r]) => {
      const response = r as Obj;
      const content = response.content
        ? Object.entries(response.content as Obj)
            .map(
              ([type, media]) =>
                `<div class="media"><code>${esc(type)}</code> ${typeOf((media as Obj).schema)}</div>`,
            )
            .join("")
        : "";
      const kind = status.startsWith("2") || status.startsWith("3") ? "ok" : "err";
      return `<tr><td><span class="status status-${kind}">${esc(status)}</span></td><td>${markdown(String(response.description))}${content}</td></tr>`;
    })
    .join("");
  return `<section class="op" id="${id}">
<div class="op-head"><span class="method method-${method}">${method.toUpperCase()}</span><code class="path">${esc(path)}</code></div>
<h3>${esc(String(op.summary))}</h3>
<div class="desc">${markdown(String(op.description ?? ""))}</div>
${paramRows ? `<h4>Parameters</h4><table class="props"><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${paramRows}</tbody></table>` : ""}
${bodyHtml}
<h4>Responses</h4><table class="props responses"><tbody>${responses}</tbody></table>
</section>`;
}

export function renderDocsPage(document: Obj): string {
  const info = document.info as Obj;
  const paths = document.paths as Obj;
  const tags = (document.tags as Obj[]).map((t) => String(t.name));
  const byTag = new Map<string, { path: string; method: string; op: Obj }[]>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item as Obj)) {
      const tag = String(((op as Obj).tags as Json[])[0]);
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ path, method, op: op as Obj });
    }
  }
  const order = [...tags, ...[...byTag.keys()].filter((t) => !tags.includes(t))];
  const nav = order
    .filter((t) => byTag.has(t))
    .map(
      (t) =>
        `<div class="nav-group"><a class="nav-tag" href="#tag-${slug(t)}">${esc(t)}</a>${byTag
          .get(t)!
          .map(
            (o) =>
              `<a class="nav-op" href="#${esc(String(o.op.operationId))}"><span class="m m-${o.method}">${o.method.toUpperCase()}</span>${esc(String(o.op.summary))}</a>`,
          )
          .join("")}</div>`,
    )
    .join("");
  const sections = order
    .filter((t) => byTag.has(t))
    .map((t) => {
      const description = (document.tags as Obj[]).find((x) => x.name === t)?.description;
      return `<section class="tag" id="tag-${slug(t)}"><h2>${esc(t)}</h2>${typeof description === "string" ? `<p class="muted">${esc(description)}</p>` : ""}${byTag
        .get(t)!
        .map((o) => renderOperation(o.path, o.method, o.op))
        .join("")}</section>`;
    })
    .join("");
  const schemas = Object.entries(((document.components as Obj).schemas as Obj) ?? {})
    .map(([name, schema]) => {
      const s = schema as Obj;
      return `<section class="schema" id="schema-${slug(name)}"><h3>${esc(name)}</h3>${typeof s.description === "string" ? markdown(s.description) : ""}${propertiesTable(schema)}</section>`;
    })
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(String(info.title))} ${esc(String(info.version))}</title>
<link rel="stylesheet" href="/ui/docs.css"></head>
<body><nav class="sidebar"><div class="brand">${esc(String(info.title))} <span class="version">${esc(String(info.version))}</span></div>
<a class="nav-tag" href="/docs/openapi.json">openapi.json</a><a class="nav-tag" href="/ui/">Unsubscribes page</a>${nav}<a class="nav-tag" href="#schemas">Schemas</a></nav>
<main><header><h1>${esc(String(info.title))}</h1>${markdown(String(info.description))}</header>${sections}
<section class="tag" id="schemas"><h2>Schemas</h2>${schemas}</section></main></body></html>
`;
}

const PUBLIC = { access: { kind: "public" } } as const;

/** Register /docs and /docs/openapi.json; @fastify/swagger builds the document once, from every route of the app. */
export function docsRoutes(app: FastifyInstance): void {
  let cached: { json: string; html: string } | undefined;
  const get = () => {
    if (!cached) {
      const document = app.swagger() as unknown as Obj;
      cached = { json: JSON.stringify(document), html: renderDocsPage(document) };
    }
    return cached;
  };
  app.get(
    "/docs",
    {
      schema: {
        operationId: "docs",
        tags: ["Service"],
        summary: "This API's documentation, as a page",
        response: { 200: media("HTML rendering of this document.", { "text/html": { type: "string" } }) },
      },
      config: PUBLIC,
      helmet: DOCS_HELMET,
    },
    async (_request, reply) =>
      reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").send(get().html),
  );
  app.get(
    "/docs/openapi.json",
    {
      schema: {
        operationId: "openapi",
        tags: ["Service"],
        summary: "This document (OpenAPI 3.1, JSON)",
        description: "The same document as docs/openapi.yaml in the repository, generated from the routes.",
        response: { 200: media("The OpenAPI document.", { "application/json": { type: "object" } }) },
      },
      config: PUBLIC,
    },
    async (_request, reply) => reply.type("application/json; charset=utf-8").send(get().json),
  );
}
