/**
 * What a command is, and what it gets to run: parsed arguments, output streams, and the
 * connections it asks for (opened on first use, closed by the runner). A group of commands
 * (`dlq`, later `check`, `import`, `tokens`...) is one file exporting a CommandGroup.
 */
import type { ParseArgsConfig } from "node:util";
import type { DeadLetterBus, NatsConnection } from "@optout/bus";
import type { SuppressionFilter } from "@optout/cache";
import type { Pool } from "@optout/store";

/** Exit codes, documented in the README and in `optout --help`. */
export const EXIT = {
  OK: 0,
  /** Something failed: NATS unreachable, the dead-letter stream missing, a replay publish failed. */
  FAILURE: 1,
  /** The command line (or the environment) is wrong. */
  USAGE: 2,
  /** Nothing matched: an empty list, an unknown sequence, a replay that selected nothing, an unknown account. */
  NOTHING_MATCHED: 3,
  /** Done, but some input was refused: an import with rows in error (listed in the report). */
  PARTIAL: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake on the command line: the runner prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface Output {
  /** Results: what a script reads (with --json, one JSON document). */
  stdout(text: string): void;
  /** Progress, warnings and errors. */
  stderr(text: string): void;
  /** stderr is a terminal: progress may redraw one line (a bar) instead of printing lines. */
  stderrIsTTY?: boolean;
  /**
   * stdout as a stream, for large results written with backpressure (exports); when absent
   * they go through `stdout()`.
   */
  stdoutStream?: NodeJS.WritableStream;
}

export interface CommandContext {
  out: Output;
  env: NodeJS.ProcessEnv;
  /** NATS JetStream for this installation (NATS_URL, OPTOUT_NAMESPACE), connected on first call. */
  bus(): Promise<DeadLetterBus>;
  /** The NATS connection under bus(), for request-reply (optout.check). */
  nats(): Promise<NatsConnection>;
  /** Postgres (DATABASE_URL, DATABASE_SCHEMA), reachable and migrated, on first call. */
  pool(): Promise<Pool>;
  /** The Redis filter (REDIS_URL, OPTOUT_NAMESPACE, BLOOM_*: the workers' values), on first call. */
  filter(): Promise<SuppressionFilter>;
}

export type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line, for the group's help. */
  summary: string;
  /** Full help: usage line(s), options, examples. */
  help: string;
  options: OptionsConfig;
  /** Positional arguments accepted (default: none). */
  positionals?: boolean;
  run(args: ParsedArgs, context: CommandContext): Promise<ExitCode>;
}

export interface CommandGroup {
  name: string;
  summary: string;
  commands: readonly Command[];
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionsConfig;

// ---- argument helpers -------------------------------------------------------------------------

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function positiveInteger(value: string, what: string): number {
  if (!/^[0-9]{1,15}$/.test(value) || Number(value) < 1)
    throw new UsageError(`${what} must be a positive whole number, not "${value}"`);
  return Number(value);
}

const DURATION_UNITS_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * A time on the command line: RFC 3339 (`2026-11-26T10:00:00Z`), a date (`2026-11-26`, UTC
 * midnight) or a duration ago (`90s`, `30m`, `2h`, `7d`, `1w`).
 */
export function parseTime(value: string, what: string, now = Date.now()): Date {
  const relative = /^([0-9]{1,9})([smhdw])$/.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * DURATION_UNITS_MS[relative[2]!]!);
  if (
    /^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$/i.test(
      value,
    )
  ) {
    const date = new Date(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(
    `${what} "${value}" is not a time: use 2026-11-26T10:00:00Z, 2026-11-26, or a duration ago like 30m, 2h, 7d`,
  );
}
