import { DependencyUnavailableError, InvalidPayloadError, OptoutError } from "@optout/core";

/**
 * Map a pg failure to a typed error by its SQLSTATE (never by message text): the data was
 * wrong (permanent: retrying cannot help, the message is dead-lettered or answered 4xx), or
 * the database could not do the work now (transient: retried, however long the outage).
 * SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 *
 * The boundary (@optout/schemas: storable values, strict timestamps) refuses what Postgres
 * cannot store before it gets here; a permanent error from the store means a rule is missing
 * there. The message names the SQLSTATE and what it means, never the server's text (which
 * quotes values: numbers, addresses); the SQLSTATE is also in `details`.
 */

/**
 * SQLSTATE classes whose errors are about the message's data, and what each means. Not 42
 * (syntax, a missing table or column, a missing privilege) or 0A (feature not supported): those
 * say the code and the database disagree (a release ahead of its migrations, a revoked grant),
 * which no message causes; dead-lettering every STOP for it would turn a deployment mistake into
 * lost opt-outs. They are transient, and the dependency monitor's schema-version probe makes a
 * release ahead of its migrations an outage that consumers wait out.
 */
const PERMANENT_CLASSES: Record<string, string> = {
  "22": "a value it cannot store",
  "23": "a broken integrity constraint",
  "54": "a database limit exceeded",
};

/** Permanent codes with a more precise description than their class. */
const PERMANENT_CODES: Record<string, string> = {
  "22001": "a value too long for its column",
  "22003": "a number out of range",
  "22007": "a timestamp it cannot read",
  "22008": "a timestamp out of its range",
  "22009": "a time zone offset out of range",
  "22021": "a character it cannot store (a NUL or invalid UTF-8)",
  "22P02": "a value of the wrong form",
  "22P05": "an unsupported Unicode escape in JSON (\\u0000 or a lone surrogate)",
  "23502": "a missing required value",
  "23503": "a reference to something that does not exist",
  "23505": "a duplicate of an existing record",
  "23514": "a value its check constraint refuses",
  "54001": "nesting too deep for it",
};

/**
 * Transient SQLSTATEs: connection exceptions (08), concurrency (40: serialization failure,
 * deadlock), insufficient resources (53), lock not available (55P03), operator intervention
 * (57: query canceled or statement timeout, admin or crash shutdown, cannot connect now) and
 * system errors (58: I/O). Codes in no list are treated as transient too: retrying is safer
 * than dropping, and a message that keeps failing is dead-lettered after max deliveries.
 */
const TRANSIENT_CLASSES = new Set(["08", "40", "53", "57", "58"]);
const TRANSIENT_CODES = new Set(["55P03", "55006"]);

/** Node socket errors of the connection itself. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

const SQLSTATE = /^[0-9A-Z]{5}$/;

export type StoreFailure = "permanent" | "transient";

/** Permanent or transient, from a pg error's SQLSTATE or a node network error code. */
export function classifyStoreError(err: unknown): StoreFailure {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return "transient";
  if (NETWORK_CODES.has(code)) return "transient";
  if (!SQLSTATE.test(code)) return "transient";
  if (TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.has(code.slice(0, 2))) return "transient";
  return code.slice(0, 2) in PERMANENT_CLASSES ? "permanent" : "transient";
}

/** Map a pg error to a typed error; an OptoutError passes through unchanged. */
export function toStoreError(err: unknown): OptoutError {
  if (err instanceof OptoutError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && classifyStoreError(err) === "permanent") {
    const what = PERMANENT_CODES[code] ?? PERMANENT_CLASSES[code.slice(0, 2)];
    return new InvalidPayloadError(`the database refused the statement (SQLSTATE ${code}: ${what})`, {
      cause: err,
      details: { sqlstate: code },
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new DependencyUnavailableError(
    "postgres",
    typeof code === "string" ? `${message} (${code})` : message,
    {
      cause: err,
      ...(typeof code === "string" && SQLSTATE.test(code) ? { details: { sqlstate: code } } : {}),
    },
  );
}

/** Run a store call and rethrow its failure as a typed error. */
export async function typed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toStoreError(err);
  }
}
