/**
 * What each workspace's src/ imports, read from the source text: the architecture test checks
 * it against the layering rules and each package.json's declared dependencies.
 */
import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join } from "node:path";

export interface Workspace {
  dir: string;
  name: string;
  kind: "packages" | "services";
  declared: Set<string>;
  imports: Set<string>;
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** "@scope/name/sub" -> "@scope/name", "name/sub" -> "name". */
export function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

export async function readWorkspaces(root: string): Promise<Workspace[]> {
  const out: Workspace[] = [];
  for (const kind of ["packages", "services"] as const) {
    for (const name of (await readdir(join(root, kind))).sort()) {
      const dir = join(root, kind, name);
      const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const imports = new Set<string>();
      for (const file of await sourceFiles(join(dir, "src"))) {
        const text = await readFile(file, "utf8");
        for (const m of text.matchAll(
          /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)|^\s*import\s+"([^"]+)"/gm,
        )) {
          const spec = m[1] ?? m[2] ?? m[3];
          if (!spec || spec.startsWith(".") || BUILTINS.has(spec)) continue;
          imports.add(packageOf(spec));
        }
      }
      out.push({
        dir,
        name: pkg.name,
        kind,
        declared: new Set([
          ...Object.keys(pkg.dependencies ?? {}),
          ...Object.keys(pkg.devDependencies ?? {}),
        ]),
        imports,
      });
    }
  }
  return out;
}
