/**
 * The subset of kustomize this repository's kustomizations use, so every overlay renders offline
 * (kustomize is not an npm package): `resources` (files and folders), `namespace`, `images`,
 * `replicas` and `patches` (a strategic-merge patch of maps, or JSON 6902 operations with a
 * `target`). Anything else throws, so a kustomization written beyond this subset is noticed
 * rather than rendered differently from `kubectl kustomize`. Objects keep their input order
 * (kubectl may print them ordered by kind).
 */
import { posix } from "node:path";
import { parse, parseAllDocuments } from "yaml";

export type KObject = { [key: string]: unknown };
/** Reads a file by its path relative to the tree's root (posix separators). */
export type ReadFile = (path: string) => string;

const KNOWN_KEYS = new Set(["apiVersion", "kind", "namespace", "resources", "images", "replicas", "patches"]);
/** Kinds without a namespace (none are rendered today; listed so `namespace` leaves them alone). */
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
]);

interface Kustomization {
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path: string; target?: { kind: string; name?: string } }[];
}

const isObject = (v: unknown): v is KObject => typeof v === "object" && v !== null && !Array.isArray(v);

function meta(o: KObject): KObject {
  if (!isObject(o.metadata)) o.metadata = {};
  return o.metadata as KObject;
}

const describe = (o: KObject): string => `${String(o.kind)}/${String(meta(o).name)}`;

export function parseDocuments(text: string, path: string): KObject[] {
  return parseAllDocuments(text).map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${path}: document ${i + 1}: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (!isObject(value)) throw new Error(`${path}: document ${i + 1} is not a Kubernetes object`);
    return value;
  });
}

/** Strategic merge for maps only: keys merge recursively, a null value deletes. Lists are refused. */
function mergeMaps(target: KObject, patch: KObject, where: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) {
      throw new Error(
        `${where}.${key}: list patches are outside this renderer's kustomize subset (use JSON 6902 ops)`,
      );
    }
    if (value === null) delete target[key];
    else if (isObject(value) && isObject(target[key]))
      mergeMaps(target[key] as KObject, value, `${where}.${key}`);
    else target[key] = structuredClone(value);
  }
}

function pointer(path: string): string[] {
  if (!path.startsWith("/")) throw new Error(`JSON pointer ${path} must start with /`);
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function applyOp(target: KObject, op: KObject, where: string): void {
  const parts = pointer(String(op.path));
  const last = parts.pop()!;
  let node: unknown = target;
  for (const part of parts) {
    node = Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined;
    if (node === undefined) throw new Error(`${where}: ${String(op.path)} does not exist`);
  }
  const container = node as KObject | unknown[];
  const exists = Array.isArray(container) ? Number(last) < container.length : last in container;
  switch (op.op) {
    case "add":
      if (Array.isArray(container))
        container.splice(last === "-" ? container.length : Number(last), 0, op.value);
      else container[last] = structuredClone(op.value);
      return;
    case "replace":
      if (!exists) throw new Error(`${where}: cannot replace missing ${String(op.path)}`);
      if (Array.isArray(container)) container[Number(last)] = structuredClone(op.value);
      else container[last] = structuredClone(op.value);
      return;
    case "remove":
      if (!exists) throw new Error(`${where}: cannot remove missing ${String(op.path)}`);
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last];
      return;
    default:
      throw new Error(`${where}: JSON 6902 op ${String(op.op)} is outside this renderer's kustomize subset`);
  }
}

function podSpecs(o: KObject): KObject[] {
  const spec = o.spec as KObject | undefined;
  const template = spec?.template as KObject | undefined;
  const podSpec = template?.spec;
  return isObject(podSpec) ? [podSpec] : [];
}

function setImages(objects: KObject[], images: NonNullable<Kustomization["images"]>): void {
  for (const o of objects) {
    for (const podSpec of podSpecs(o)) {
      for (const key of ["initContainers", "containers"]) {
        for (const c of (podSpec[key] as KObject[] | undefined) ?? []) {
          const image = String(c.image);
          const at = image.search(/[@]|:(?=[^/]*$)/);
          const name = at < 0 ? image : image.slice(0, at);
          const rule = images.find((r) => r.name === name);
          if (!rule) continue;
          const tag = rule.newTag ?? (at < 0 ? "" : image.slice(at + 1));
          c.image = `${rule.newName ?? name}${tag ? `:${tag}` : ""}`;
        }
      }
    }
  }
}

/** Build the kustomization in folder `dir` (relative to the tree `read` serves). */
export function build(dir: string, read: ReadFile): KObject[] {
  const file = posix.join(dir, "kustomization.yaml");
  const k = parse(read(file)) as Kustomization & KObject;
  for (const key of Object.keys(k)) {
    if (!KNOWN_KEYS.has(key)) throw new Error(`${file}: ${key} is outside this renderer's kustomize subset`);
  }
  const objects: KObject[] = [];
  for (const resource of k.resources ?? []) {
    const path = posix.join(dir, resource);
    objects.push(...(/\.ya?ml$/.test(resource) ? parseDocuments(read(path), path) : build(path, read)));
  }
  for (const patch of k.patches ?? []) {
    const path = posix.join(dir, patch.path);
    const content: unknown = parse(read(path));
    if (Array.isArray(content)) {
      const target = patch.target;
      if (!target) throw new Error(`${path}: JSON 6902 operations need a target`);
      const matched = objects.filter(
        (o) => o.kind === target.kind && (target.name === undefined || meta(o).name === target.name),
      );
      if (matched.length === 0) throw new Error(`${path}: no ${target.kind} matches the target`);
      for (const o of matched)
        for (const op of content as KObject[]) applyOp(o, op, `${path} on ${describe(o)}`);
    } else if (isObject(content)) {
      const matched = objects.filter(
        (o) =>
          o.apiVersion === content.apiVersion &&
          o.kind === content.kind &&
          meta(o).name === meta(content).name,
      );
      if (matched.length !== 1)
        throw new Error(`${path}: patches ${matched.length} objects named ${describe(content)}`);
      const { apiVersion: _a, kind: _k, metadata, ...rest } = content;
      const { name: _n, ...metaRest } = metadata as KObject;
      mergeMaps(
        matched[0]!,
        { ...rest, ...(Object.keys(metaRest).length ? { metadata: metaRest } : {}) },
        path,
      );
    } else {
      throw new Error(`${path}: not a patch`);
    }
  }
  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(String(o.kind))) meta(o).namespace = k.namespace;
  }
  for (const r of k.replicas ?? []) {
    const matched = objects.filter((o) => o.kind === "Deployment" && meta(o).name === r.name);
    if (matched.length === 0) throw new Error(`${file}: replicas: no Deployment ${r.name}`);
    for (const o of matched) (o.spec as KObject).replicas = r.count;
  }
  if (k.images) setImages(objects, k.images);
  return objects;
}
