import t from "tap";
import { DependencyUnavailableError, InvalidPayloadError, NotFoundError } from "@optout/core";
import { TEST_DATABASE_URL } from "@optout/testkit";
import { classifyStoreError, createPool, toStoreError, typed } from "@optout/store";

const pgError = (code: string, message = "server text that quotes +31612345678") =>
  Object.assign(new Error(message), { code, severity: "ERROR" });

t.test(
  "data, integrity and limit errors are permanent, named by SQLSTATE without the server's text",
  async (t) => {
    for (const code of [
      "22021",
      "22P05",
      "22P02",
      "22008",
      "22009",
      "22001",
      "22003",
      "22007",
      "22012",
      "23505",
      "23503",
      "23502",
      "23514",
      "54001",
    ]) {
      const err = toStoreError(pgError(code));
      t.ok(err instanceof InvalidPayloadError, `${code} is InvalidPayloadError`);
      t.equal(err.retryable, false, `${code} is not retried`);
      t.match(err.message, new RegExp(`^the database refused the statement \\(SQLSTATE ${code}: .+\\)$`));
      t.notMatch(err.message, /\+31612345678|server text/, `${code}: the server's message is not repeated`);
      t.same(err.details, { sqlstate: code });
      t.equal(classifyStoreError(pgError(code)), "permanent");
    }
    t.equal(
      toStoreError(pgError("22021")).message,
      "the database refused the statement (SQLSTATE 22021: a character it cannot store (a NUL or invalid UTF-8))",
    );
    t.match(toStoreError(pgError("22P05")).message, /unsupported Unicode escape/);
    t.match(toStoreError(pgError("22009")).message, /time zone offset out of range/);
    t.match(
      toStoreError(pgError("22012")).message,
      /SQLSTATE 22012: a value it cannot store/,
      "a code without its own text gets its class's",
    );
  },
);

t.test(
  "connection, resource, concurrency and shutdown errors are transient: postgres is unavailable",
  async (t) => {
    for (const code of [
      "08000",
      "08003",
      "08006",
      "08001",
      "08P01",
      "57P01",
      "57P02",
      "57P03",
      "57014",
      "53000",
      "53100",
      "53200",
      "53300",
      "40001",
      "40P01",
      "55P03",
      "58030",
      "XX000",
      "25P02",
    ]) {
      const err = toStoreError(pgError(code, "terminating connection due to administrator command"));
      t.ok(err instanceof DependencyUnavailableError, `${code} is DependencyUnavailableError`);
      t.equal(err.retryable, true, `${code} is retried`);
      t.equal((err as DependencyUnavailableError).dependency, "postgres");
      t.equal(classifyStoreError(pgError(code)), "transient");
    }
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"]) {
      const err = toStoreError(Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code }));
      t.ok(err instanceof DependencyUnavailableError, code);
      t.equal(err.retryable, true);
    }
    for (const message of [
      "Connection terminated unexpectedly",
      "Connection terminated due to connection timeout",
      "timeout exceeded when trying to connect",
    ]) {
      const err = toStoreError(new Error(message));
      t.ok(err instanceof DependencyUnavailableError, message);
      t.equal(err.message, `postgres: ${message}`);
    }
    t.ok(
      toStoreError("a string thrown") instanceof DependencyUnavailableError,
      "anything untyped is retried, never dropped",
    );
    const typedAlready = new NotFoundError("no such thing");
    t.equal(toStoreError(typedAlready), typedAlready, "typed errors pass through");
  },
);

t.test(
  "what a real Postgres refuses is mapped as permanent; a refused connection as transient",
  async (t) => {
    const pool = createPool({ url: TEST_DATABASE_URL, max: 1 });
    t.teardown(() => pool.end());
    const refused: [string, unknown[], string][] = [
      ["SELECT $1::text", ["a\u0000b"], "22021"],
      ["SELECT $1::text[]", [["ok", "a\u0000b"]], "22021"],
      ["SELECT $1::jsonb", [JSON.stringify({ text: "a\u0000b" })], "22P05"],
      ["SELECT $1::jsonb", [JSON.stringify({ id: "\ud800" })], "22P02"],
      ["SELECT $1::timestamptz", ["2026-01-01T00:00:00-23:59"], "22009"],
      ["SELECT $1::timestamptz", ["0000-01-01T00:00:00Z"], "22008"],
      ["SELECT $1::timestamptz", ["2026-02-30T00:00:00Z"], "22008"],
    ];
    for (const [sql, params, code] of refused) {
      const err = await typed(() => pool.query(sql, params)).catch((e: unknown) => e);
      t.ok(err instanceof InvalidPayloadError, `${sql} ${JSON.stringify(params)}`);
      t.same((err as InvalidPayloadError).details, { sqlstate: code });
    }
    const down = createPool({ url: "postgres://root@127.0.0.1:1/none", max: 1 });
    t.teardown(() => down.end());
    const err = await typed(() => down.query("SELECT 1")).catch((e: unknown) => e);
    t.ok(err instanceof DependencyUnavailableError, "nothing listening: retried");
  },
);

t.test(
  "a statement the schema refuses (42xxx, 0A) is the deployment's fault, never the message's: transient",
  async (t) => {
    for (const code of ["42601", "42P01", "42703", "42501", "0A000"]) {
      const err = toStoreError(pgError(code));
      t.ok(err instanceof DependencyUnavailableError, `${code} is DependencyUnavailableError`);
      t.equal(err.retryable, true, `${code} is retried, not dead-lettered`);
      t.equal(classifyStoreError(pgError(code)), "transient");
    }
  },
);
