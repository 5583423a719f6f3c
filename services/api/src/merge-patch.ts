/**
 * JSON Merge Patch (RFC 7396): what `PATCH /v1/accounts/{id}` applies, and the schema of a
 * patch derived from the schema of the whole document.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * RFC 7396 section 2, MergePatch(Target, Patch): an object patch merges member by member
 * (`null` removes a member, an object merges recursively), anything else replaces the target
 * (arrays included). Neither argument is modified.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = applyMergePatch(result[name], value) as Json;
  }
  return result;
}

function nullable(schema: Schema): Schema {
  const anyOf = schema.anyOf as Schema[] | undefined;
  if (anyOf?.some((s) => s.type === "null")) return schema;
  return { anyOf: [{ type: "null" }, schema] };
}

/**
 * The schema of a merge patch of documents of `schema`: every member may be `null` (remove it)
 * and nothing is required, at every level of objects; arrays and scalars keep their schema
 * (a patch replaces them whole). Conditions across members (`if`/`then`) are left to the
 * validation of the patched document, which runs the full schema.
 */
export function mergePatchSchema(schema: Schema): Schema {
  if (Array.isArray(schema.anyOf))
    return { ...schema, anyOf: (schema.anyOf as Schema[]).map(mergePatchSchema) };
  if (schema.type !== "object") return schema;
  const { required: _required, if: _if, then: _then, ...rest } = schema;
  const out: Schema = { ...rest };
  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, Schema>).map(([name, s]) => [
        name,
        nullable(mergePatchSchema(s)),
      ]),
    );
  }
  if (isObject(schema.additionalProperties)) {
    out.additionalProperties = nullable(mergePatchSchema(schema.additionalProperties as Schema));
  }
  return out;
}
