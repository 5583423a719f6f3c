import { Ajv } from "ajv";
import { ConfigError } from "@optout/core";
import { FIELDS, type FieldName, type FieldSpec } from "./fields.js";

type ValueOf<S extends FieldSpec> = S["type"] extends "integer" | "number"
  ? number
  : S["type"] extends "boolean"
    ? boolean
    : string;

/** A field with a default or marked required always has a value; any other may be absent (unset). */
type AlwaysSet<P extends FieldName> = P extends unknown
  ? (typeof FIELDS)[P] extends { default: unknown } | { required: true }
    ? P
    : never
  : never;

export type ConfigOf<K extends FieldName> = {
  readonly [P in K as AlwaysSet<P>]: ValueOf<(typeof FIELDS)[P]>;
} & {
  readonly [P in Exclude<K, AlwaysSet<K>>]?: ValueOf<(typeof FIELDS)[P]>;
};

const ajv = new Ajv({ allErrors: true, coerceTypes: false, strict: true });

function schemaFor(spec: FieldSpec): object {
  switch (spec.type) {
    case "integer":
    case "number":
      return { type: spec.type, minimum: spec.minimum, maximum: spec.maximum };
    case "boolean":
      return { type: "boolean" };
    case "url":
    case "string":
      return spec.pattern
        ? { type: "string", minLength: 1, pattern: spec.pattern }
        : { type: "string", minLength: 1 };
  }
}

function parseRaw(spec: FieldSpec, raw: string): unknown {
  switch (spec.type) {
    case "integer":
    case "number": {
      const n = Number(raw);
      return raw.trim() === "" || Number.isNaN(n) ? raw : n;
    }
    case "boolean":
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      return raw;
    case "url":
      try {
        new URL(raw);
        return raw;
      } catch {
        return Symbol.for("invalid-url");
      }
    case "string":
      return raw;
  }
}

/**
 * Read the named fields from the environment, apply defaults, validate with ajv, freeze.
 * Every problem is reported at once, each naming the variable and what to do about it.
 */
export function loadConfig<K extends FieldName>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<K> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const spec: FieldSpec = FIELDS[name];
    const raw = env[spec.env];
    if (raw === undefined || raw === "") {
      if (spec.default !== undefined) {
        out[name] = spec.default;
        continue;
      }
      if (spec.required) {
        problems.push(
          `${spec.env} is not set: export it (${spec.description})${spec.example ? `, e.g. ${spec.env}=${spec.example}` : ""}`,
        );
      }
      continue;
    }
    const value = parseRaw(spec, raw);
    const validate = ajv.compile(schemaFor(spec));
    if (typeof value === "symbol" || !validate(value)) {
      const why =
        typeof value === "symbol" ? "is not a URL" : (validate.errors ?? []).map((e) => e.message).join(", ");
      const shown = spec.secret ? "<secret>" : JSON.stringify(raw);
      problems.push(
        `${spec.env}=${shown} is invalid (${why}): ${spec.description}${spec.example ? `, e.g. ${spec.example}` : ""}`,
      );
      continue;
    }
    out[name] = value;
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  - ${problems.join("\n  - ")}`, { details: problems });
  }
  return Object.freeze(out) as ConfigOf<K>;
}
