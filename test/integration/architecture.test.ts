/**
 * The layering of docs/architecture.md, checked on the source: packages are libraries and never
 * import services, a service never imports another service, packages do not import each other in
 * a cycle, and every workspace declares what it imports (so it installs and deploys alone).
 */
import t from "tap";
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
