/**
 * The layering of docs/architecture.md, checked on the source: packages are libraries and never
 * import services, a service never imports another service, packages do not import each other in
 * a cycle, and every workspace declares what it imports (so it installs and deploys alone).
 * deploy/ reads services only through their light definitions (`@optout/service-<x>/definition`),
 * which load no service code: rendering manifests must not open NATS, Postgres or fastify.
 */
import t from "tap";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "@optout/testkit";
import { readWorkspaces } from "../../scripts/lib/workspace-imports.js";

const workspaces = await readWorkspaces(REPO_ROOT);
const byName = new Map(workspaces.map((w) => [w.name, w]));

t.test("packages never import services; services never import each other", async (t) => {
  for (const w of workspaces) {
    const services = [...w.imports].filter((i) => byName.get(i)?.kind === "services");
    t.same(services, [], `${w.name} imports no service`);
  }
});

t.test("no dependency cycle between packages", async (t) => {
  const visiting = new Set<string>();
  const done = new Set<string>();
  const cycles: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      cycles.push([...path, name].join(" -> "));
      return;
    }
    visiting.add(name);
    for (const dep of byName.get(name)?.imports ?? []) if (byName.has(dep)) visit(dep, [...path, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const w of workspaces) visit(w.name, []);
  t.same(cycles, []);
});

t.test("every workspace declares what its source imports", async (t) => {
  for (const w of workspaces) {
    const missing = [...w.imports].filter((i) => !w.declared.has(i));
    t.same(missing, [], `${w.name} declares its imports in package.json`);
  }
});

/** Value imports (not `import type`) of a source text. */
const valueImports = (text: string): string[] =>
  [...text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]!);

t.test("deploy/ imports a service only through its definition", async (t) => {
  const files = (await readdir(join(REPO_ROOT, "deploy"), { recursive: true }))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(REPO_ROOT, "deploy", f));
  const services = [];
  for (const file of files)
    for (const spec of valueImports(await readFile(file, "utf8")))
      if (/^@optout\/service-|services\//.test(spec)) services.push(spec);
  t.ok(services.length > 0, "deploy/workers.ts reads the definitions");
  for (const spec of services) t.match(spec, /^@optout\/service-[a-z-]+\/definition$/, spec);
});

t.test("a service's definition imports nothing but @optout/runtime/definition", async (t) => {
  for (const w of workspaces.filter((w) => w.kind === "services")) {
    const text = await readFile(join(w.dir, "src/definition.ts"), "utf8");
    t.same(valueImports(text), ["@optout/runtime/definition"], `${w.name}: a light definition`);
  }
  const runtime = await readFile(join(REPO_ROOT, "packages/runtime/src/definition.ts"), "utf8");
  t.same(valueImports(runtime), ["@optout/config"], "@optout/runtime/definition: config field names only");
});
