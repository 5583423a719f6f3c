import { DependencyUnavailableError, InvalidPayloadError, OptoutError } from "@optout/core";

/**
 * Map a pg error to a typed error: connection, resource and concurrency failures are
 * transient (retry later); data and constraint errors are permanent (retrying cannot help).
 * SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export function toStoreError(err: unknown): OptoutError {
  if (err instanceof OptoutError) return err;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === "string" && /^(22|23|42)/.test(code)) {
    return new InvalidPayloadError(`rejected by the database (${code}): ${message}`, { cause: err });
  }
  return new DependencyUnavailableError("postgres", message, { cause: err });
}

/** Run a store call and rethrow its failure as a typed error. */
export async function typed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toStoreError(err);
  }
}
