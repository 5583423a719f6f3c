/**
 * One error registry (packages/core/src/error-registry.ts): docs/errors.md, the OpenAPI Error
 * enum and the AsyncAPI ErrorReply enum list exactly its codes, the committed files are current,
 * and every code the source answers or dead-letters with is in it.
 */
import t from "tap";
import { parse } from "yaml";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ERROR_CODE_LIST, ERROR_TABLE, isErrorCode } from "@optout/core";
import { SCHEMAS } from "@optout/schemas";
import { buildApi } from "@optout/service-api";
import { REPO_ROOT } from "@optout/testkit";
import { renderErrorsDoc } from "../../scripts/render-errors.js";
import { renderAsyncApi } from "../../scripts/render-asyncapi.js";
import { inertDeps } from "../../scripts/render-openapi.js";

/** The enums of every `code` property of a rendered YAML document, in document order. */
function codeEnums(text: string): string[][] {
  const found: string[][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const codeEnum = (value as { enum?: unknown } | null)?.enum;
      if (key === "code" && Array.isArray(codeEnum)) found.push(codeEnum as string[]);
      else walk(value);
    }
  };
  walk(parse(text));
  return found;
}

t.test("the registry: unique codes, 4xx/5xx statuses, a description and a surface each", async (t) => {
  t.equal(new Set(ERROR_CODE_LIST).size, ERROR_CODE_LIST.length);
  for (const row of ERROR_TABLE) {
    t.ok(row.httpStatus >= 400 && row.httpStatus < 600, `${row.code}: HTTP ${row.httpStatus}`);
    t.ok(row.natsStatus >= 400 && row.natsStatus < 600, `${row.code}: NATS ${row.natsStatus}`);
    t.ok(row.description.length > 20 && /[.)]$/.test(row.description), `${row.code} is described`);
    t.ok(row.surfaces.length > 0, `${row.code} says where it shows up`);
  }
});

t.test("docs/errors.md documents each code and is current (npm run docs:render)", async (t) => {
  const committed = await readFile(`${REPO_ROOT}docs/errors.md`, "utf8");
  t.equal(committed, renderErrorsDoc());
  const documented = [...committed.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (\d+) \|/gm)].map((m) => [
    m[1],
    Number(m[2]),
    Number(m[3]),
  ]);
  t.same(
    documented,
    ERROR_TABLE.map((e) => [e.code, e.httpStatus, e.natsStatus]),
  );
});

t.test("the OpenAPI Error enum lists exactly the registry (served and committed)", async (t) => {
  const app = await buildApi(inertDeps());
  await app.ready();
  t.teardown(() => app.close());
  const document = app.swagger() as unknown as { components: unknown };
  const schema = (
    document.components as {
      schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } };
    }
  ).schemas.Error;
  t.same(schema.properties.error.properties.code.enum, ERROR_CODE_LIST);
  const committed = codeEnums(await readFile(`${REPO_ROOT}docs/openapi.yaml`, "utf8"));
  t.same(committed, [ERROR_CODE_LIST], "docs/openapi.yaml has one code enum, the registry's");
});

t.test("the AsyncAPI error reply of optout.check and optout.tag lists exactly the registry", async (t) => {
  const schema = SCHEMAS.errorReply as {
    properties: { error: { properties: { code: { enum: readonly string[] } } } };
  };
  t.same(schema.properties.error.properties.code.enum, ERROR_CODE_LIST);
  const rendered = renderAsyncApi();
  t.same(
    codeEnums(rendered),
    [ERROR_CODE_LIST],
    "one code enum in the document (ErrorReply), the registry's",
  );
  t.same(
    codeEnums(await readFile(`${REPO_ROOT}docs/asyncapi.yaml`, "utf8")),
    [ERROR_CODE_LIST],
    "docs/asyncapi.yaml too",
  );
  for (const address of ["optout.check", "optout.tag"]) {
    const channel = rendered.slice(rendered.indexOf(`address: ${address}\n`));
    t.match(
      channel.slice(0, channel.indexOf("\n  ", 30) + 4000),
      /ErrorReply/,
      `${address} replies with ErrorReply`,
    );
  }
  for (const row of ERROR_TABLE.filter((e) => e.surfaces.includes("nats-reply"))) {
    t.match(rendered, `${row.code} ${row.natsStatus}`, `${row.code}'s Nats-Service-Error-Code is documented`);
  }
});

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules" && entry.name !== "dist")
      out.push(...(await sourceFiles(path)));
    else if (entry.isFile() && entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

t.test(
  "every code the source answers or dead-letters with is a registry code; no other status map",
  async (t) => {
    const files: string[] = [];
    for (const root of ["packages", "services"]) {
      for (const entry of await readdir(`${REPO_ROOT}${root}`, { withFileTypes: true })) {
        if (entry.isDirectory())
          files.push(...(await sourceFiles(`${REPO_ROOT}${root}/${entry.name}/src`).catch(() => [])));
      }
    }
    t.ok(files.length > 50, `${files.length} source files`);
    const unknown: string[] = [];
    const statusMaps: string[] = [];
    for (const file of files) {
      const text = await readFile(file, "utf8");
      const where = file.slice(REPO_ROOT.length);
      const used = [
        // {"error": {"code": "X"}}, a class's `readonly code = "X"`, a dead letter's "X: why".
        ...text.matchAll(/\b(?:error: \{\s*code|readonly code =|"code":)\s*:?\s*\\?"([A-Z][A-Z0-9_]+)\\?"/g),
        ...text.matchAll(/reason: `([A-Z][A-Z0-9_]+): /g),
      ].map((m) => m[1]!);
      for (const code of used) if (!isErrorCode(code)) unknown.push(`${where}: ${code}`);
      // A literal table from codes to statuses anywhere but the registry.
      if (!where.endsWith("core/src/error-registry.ts") && /\b[A-Z][A-Z_]{3,}\]?: (?:4|5)\d\d,/.test(text))
        statusMaps.push(where);
    }
    t.same(unknown, [], "codes not in the registry");
    t.same(statusMaps, [], "code -> status maps outside the registry");
  },
);
