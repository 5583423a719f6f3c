/**
 * `npm run build`: transpile every workspace's src/ to dist/ file by file (ESM, no bundling),
 * so production runs plain `node services/<name>/dist/main.js` and workspace imports resolve to
 * each package's dist/index.js (the "default" export condition). Type checking is tsc's job
 * (`npm run typecheck`); esbuild only strips types, which takes well under a second.
 */
import { build } from "esbuild";
import { readdir, rm, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

async function listTs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listTs(path)));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const started = performance.now();
let files = 0;
for (const group of ["packages", "services"]) {
  for (const name of await readdir(join(root, group))) {
    const src = join(root, group, name, "src");
    if (!(await stat(src).catch(() => null))?.isDirectory()) continue;
    const outdir = join(root, group, name, "dist");
    await rm(outdir, { recursive: true, force: true });
    const entryPoints = await listTs(src);
    await build({
      entryPoints,
      outdir,
      outbase: src,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: true,
      logLevel: "warning",
    });
    files += entryPoints.length;
    process.stdout.write(`built ${relative(root, outdir)} (${entryPoints.length} files)\n`);
  }
}
process.stdout.write(`build: ${files} files in ${Math.round(performance.now() - started)} ms\n`);
