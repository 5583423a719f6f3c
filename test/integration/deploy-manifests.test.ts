import t from "tap";
import { readdir, readFile } from "node:fs/promises";
import { FIELDS } from "@optout/config";
import { REPO_ROOT } from "@optout/testkit";
import { WORKERS, WORKER_FIELDS } from "../../deploy/workers.js";
import { manifestsFor } from "../../deploy/render.js";
import { toYaml } from "../../scripts/lib/yaml.js";

t.test("every deployable service is in the worker table and its manifests are current", async (t) => {
  const services = (await readdir(`${REPO_ROOT}services`)).sort();
  t.same(WORKERS.map((w) => w.name).sort(), services, "one Deployment per service folder");
  const known = new Set<string>(Object.values(FIELDS).map((f) => f.env));
  for (const w of WORKERS) {
    for (const name of w.env) t.ok(known.has(name), `${w.name}: ${name} is a config field`);
    const main = await readFile(`${REPO_ROOT}services/${w.name}/src/main.ts`, "utf8");
    const declared = /fields:\s*\[([^\]]*)\]/.exec(main)?.[1] ?? "";
    const mainFields = [...declared.matchAll(/"(\w+)"/g)].map((m) => m[1]).sort();
    t.same(
      [...(WORKER_FIELDS[w.name] ?? [])].sort(),
      mainFields,
      `${w.name}: deploy/workers.ts lists the fields its main.ts reads`,
    );
    const rendered = manifestsFor(w)
      .map((d) => toYaml(d))
      .join("\n---\n");
    const committed = await readFile(`${REPO_ROOT}deploy/kubernetes/${w.name}.yaml`, "utf8");
    t.ok(
      committed.includes(rendered),
      `deploy/kubernetes/${w.name}.yaml is rendered from workers.ts (npm run deploy:render)`,
    );
  }
});

t.test(
  "every worker creates R3 streams on the cluster the manifests expect (STREAM_REPLICAS=3)",
  async (t) => {
    for (const w of WORKERS) {
      const committed = await readFile(`${REPO_ROOT}deploy/kubernetes/${w.name}.yaml`, "utf8");
      t.match(committed, /- name: STREAM_REPLICAS\n\s+value: "3"\n/, `${w.name}: STREAM_REPLICAS is 3`);
      t.equal(
        committed.match(/name: STREAM_REPLICAS/g)?.length,
        1,
        `${w.name}: set once, not also read from the ConfigMap`,
      );
    }
  },
);
