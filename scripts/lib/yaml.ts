/**
 * YAML for the generated documents (manifests, AsyncAPI/OpenAPI): the `yaml` library's emitter
 * (quoting, multi-line strings and special keys handled as the spec says), behind the one
 * function the render scripts call.
 */
import { stringify } from "yaml";

export type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

/** The document without a trailing newline; long strings are never folded (diffs stay readable). */
export function toYaml(value: Yaml): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd();
}
