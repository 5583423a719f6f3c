import t from "tap";
import { createLogger } from "@optout/core";
import type { Recorder } from "@optout/recorder";
import type { Account, AccountDirectory, NewEvent, Pool, RecordedEvent } from "@optout/store";
import { buildApi } from "../src/app.js";

/**
 * Guarantee 9 at the API: what Postgres cannot store (and what the workers refuse) is a 400
 * INVALID_PAYLOAD naming the field, before anything is recorded or signed. The database is a
 * stub that fails the test if a poisoned request reaches it.
 */
const ADMIN = "admin-token-0123456789abcdef";
const account = {
  id: "acme",
  organizationId: "o",
  listScope: "organization",
  defaultCountry: "NL",
  settings: {},
  createdAt: "",
  updatedAt: "",
} as unknown as Account;

async function api() {
  const recorded: NewEvent[] = [];
  const audited: unknown[] = [];
  const pool = {
    // The one write an import makes outside the recorder: its audit entry, when it ends.
    query: async (text: string, values: unknown[]) => {
      if (text.includes("INSERT INTO audit_log")) {
        audited.push(values);
        return { rows: [], rowCount: 1 };
      }
      throw new Error("a refused request must not reach Postgres");
    },
    connect: async () => {
      throw new Error("a refused request must not reach Postgres");
    },
  } as unknown as Pool;
  const recorder: Recorder = {
    async record(events): Promise<RecordedEvent[]> {
      recorded.push(...events);
      return events.map((e, i) => ({
        ...e,
        eventId: `00000000-0000-4000-8000-00000000000${i}`,
        duplicate: false,
        stateChanged: true,
      }));
    },
  };
  const accounts = {
    get: async (id: string) => (id === account.id ? account : null),
    forget: () => undefined,
  } as unknown as AccountDirectory;
  const app = await buildApi({
    pool,
    accounts,
    recorder,
    logger: createLogger({ name: "api-test", level: "silent" }),
    adminToken: ADMIN,
    emailTokenSecret: "email-token-secret-0123456789",
    erasureHashSecret: "erasure-hash-secret-0123456789",
    linkBaseUrl: "https://o.example/",
    isReady: () => true,
    importThreads: 1,
  });
  t.teardown(() => app.close());
  const send = async (
    method: "GET" | "POST" | "PUT",
    url: string,
    body?: string,
    contentType = "application/json",
  ) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${ADMIN}`,
        ...(body === undefined ? {} : { "content-type": contentType }),
      },
      ...(body === undefined ? {} : { payload: body }),
    });
    return {
      status: res.statusCode,
      body: res.json() as { error?: { code: string; message: string } } & Record<string, unknown>,
    };
  };
  return { send, recorded };
}

function deep(levels: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < levels; i++) value = { x: value };
  return value;
}

t.test(
  "manual opt-out: NUL and lone surrogates anywhere in the body are a 400 naming the field; nothing is recorded",
  async (t) => {
    const { send, recorded } = await api();
    const url = "/v1/accounts/acme/optouts";
    const cases: [string, string][] = [
      [
        JSON.stringify({
          channel: "sms",
          identifier: "+31612345678",
          action: "opt_out",
          reason: "moved\u0000away",
        }),
        "body/reason contains a NUL character (U+0000) at index 5",
      ],
      // JSON.stringify writes a lone surrogate as the escape "\ud800", as a client would send it.
      [
        JSON.stringify({ channel: "sms", identifier: "+3161234567\ud800", action: "opt_out" }),
        "body/identifier contains a lone UTF-16 surrogate (U+D800) at index 11: not valid Unicode",
      ],
      [
        JSON.stringify({ channel: "sms", identifier: "+31612345678", action: "opt_out", reason: "\udc00" }),
        "body/reason contains a lone UTF-16 surrogate (U+DC00) at index 0: not valid Unicode",
      ],
    ];
    for (const [body, message] of cases) {
      const res = await send("POST", url, body);
      t.equal(res.status, 400, message);
      t.same(res.body, { error: { code: "INVALID_PAYLOAD", message } });
    }
    t.equal(recorded.length, 0, "nothing reached the recorder");
    const ok = await send(
      "POST",
      url,
      JSON.stringify({
        channel: "sms",
        identifier: "+31612345678",
        action: "opt_out",
        reason: "tab\tand newline\n are fine",
      }),
    );
    t.equal(ok.status, 201, "free text keeps the control characters Postgres stores");
    t.equal(recorded.length, 1);
  },
);

t.test("path and query parameters are checked the same way", async (t) => {
  const { send } = await api();
  const param = await send("GET", "/v1/accounts/acme/optouts/sms/%2B3161234%00");
  t.equal(param.status, 400);
  t.equal(param.body.error?.message, "params/identifier contains a NUL character (U+0000) at index 8");
  const query = await send("GET", "/v1/accounts/acme/optouts?channel=sms&after=%00");
  t.equal(query.status, 400);
  t.equal(query.body.error?.message, "querystring/after contains a NUL character (U+0000) at index 0");
  const id = await send("GET", "/v1/accounts/bad%20id/optouts/sms/%2B31612345678");
  t.same(
    id.body,
    {
      error: {
        code: "INVALID_PAYLOAD",
        message:
          "params/accountId is not an id: 1-128 letters, digits or ._:- starting with a letter or digit",
      },
    },
    "route schema errors use the shared wording",
  );
});

t.test("contacts: fields are walked (values, keys, nesting) before Postgres sees them", async (t) => {
  const { send } = await api();
  const url = "/v1/accounts/acme/contacts/c1";
  const cases: [unknown, RegExp][] = [
    [{ phone: "+31612345678", fields: { note: "a\u0000" } }, /^body\/fields\/note contains a NUL character/],
    [
      { phone: "+31612345678", fields: { nested: { list: ["ok", "\ud83d"] } } },
      /^body\/fields\/nested\/list\/1 contains a lone UTF-16 surrogate \(U\+D83D\)/,
    ],
    [
      { phone: "+31612345678", fields: { "k\u0000": "v" } },
      /^body\/fields has a key \("k\\u0000"\) that contains a NUL character/,
    ],
    [
      { phone: "+31612345678", fields: { deep: deep(40) } },
      /^body\/fields\/deep(\/x)+ nests deeper than 32 levels$/,
    ],
    [
      { phone: "+31612345678", fields: { big: "x".repeat(100_001) } },
      /^body\/fields\/big is longer than 100000 characters$/,
    ],
  ];
  for (const [body, message] of cases) {
    const res = await send("PUT", url, JSON.stringify(body));
    t.equal(res.status, 400);
    t.equal(res.body.error?.code, "INVALID_PAYLOAD");
    t.match(res.body.error?.message, message);
  }
});

t.test(
  "email-unsubscribe-headers: a listId or address the worker would refuse is never signed",
  async (t) => {
    const { send } = await api();
    const url = "/v1/accounts/acme/email-unsubscribe-headers";
    const cases: [unknown, string | RegExp][] = [
      [
        { email: "jane@example.com", listId: "news\u0000" },
        "body/listId contains a NUL character (U+0000) at index 4",
      ],
      [
        { email: "jane@example.com", listId: "news\u001b[0m" },
        "body/listId contains a control character (U+001B) at index 4",
      ],
      [{ email: "jane@example.com", listId: "\ud800" }, /^body\/listId contains a lone UTF-16 surrogate/],
      [{ email: "jane\u0000@example.com" }, /^body\/email contains a NUL character/],
      [{ email: "jane@example.com\r\nBcc: x@y.z" }, /^"email" is not a valid email address/],
    ];
    for (const [body, message] of cases) {
      const res = await send("POST", url, JSON.stringify(body));
      t.equal(res.status, 400, JSON.stringify(body));
      t.equal(res.body.error?.code, "INVALID_PAYLOAD");
      t.match(res.body.error?.message, message);
      t.notOk("List-Unsubscribe" in res.body, "no token was signed");
    }
    const ok = await send(
      "POST",
      url,
      JSON.stringify({ email: "jane@example.com", listId: "<news.acme.example>" }),
    );
    t.equal(ok.status, 200);
    t.match(ok.body["List-Unsubscribe"], /^<https:\/\/o\.example\/email\/unsubscribe\/[\w-]+\.[\w-]+>$/);
  },
);

t.test(
  "opt-out import: a row Postgres would refuse is that row's error; the other rows are recorded",
  async (t) => {
    const { send, recorded } = await api();
    const csv = [
      "channel,identifier,date,reason",
      "sms,+31612345671,2026-01-01,ok",
      "sms,+31612345672,,bad\u0000reason",
      "sms,+31612345673,2026-01-01T00:00:00-23:59,",
      "sms,+31612345674,0000-01-01,",
      "sms,+31612345675,2026-02-30,",
      "sms,+31612345676,2026-01-02T10:00:00+01:00,also ok",
      "",
    ].join("\n");
    const res = await send("POST", "/v1/accounts/acme/optouts/import", csv, "text/csv");
    t.equal(res.status, 200);
    t.match(res.body, { imported: 2, failed: 4 });
    t.match(res.body.errors, [
      { row: 3, reason: /^\/reason contains a NUL character/ },
      { row: 4, value: "2026-01-01T00:00:00-23:59", reason: /offset -23:59, outside -14:00\.\.\+14:00/ },
      { row: 5, value: "0000-01-01", reason: /before 1970/ },
      { row: 6, value: "2026-02-30", reason: /date that does not exist/ },
    ]);
    t.same(
      recorded.map((e) => e.identifier),
      ["+31612345671", "+31612345676"],
    );
  },
);

t.test(
  "deep nesting as users sent it (~4,500 levels): 400 with a code for a PUT, a row error in an NDJSON import",
  async (t) => {
    const { send, recorded } = await api();
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
    const put = await send(
      "PUT",
      "/v1/accounts/acme/contacts/c1",
      `{"phone":"+31612345678","fields":${nested(4_500)}}`,
    );
    t.equal(put.status, 400);
    t.equal(put.body.error?.code, "INVALID_PAYLOAD");
    t.match(put.body.error?.message, /^body\/fields(\/a){31} nests deeper than 32 levels$/);

    const contacts = await send(
      "POST",
      "/v1/accounts/acme/contacts/import",
      `{"id":"c1","phone":"+31612345678","fields":${nested(4_500)}}\n`,
      "application/x-ndjson",
    );
    t.equal(contacts.status, 200, "the import is not rejected whole");
    t.match(contacts.body, {
      imported: 0,
      failed: 1,
      errors: [{ row: 1, reason: /nests deeper than 32 levels$/ }],
    });

    const optouts = await send(
      "POST",
      "/v1/accounts/acme/optouts/import",
      [
        '{"channel":"sms","identifier":"+31612345671"}',
        `{"channel":"sms","identifier":"+31612345672","reason":${nested(4_500)}}`,
        '{"channel":"sms","identifier":"+31612345673"}',
      ].join("\n"),
      "application/x-ndjson",
    );
    t.equal(optouts.status, 200);
    t.match(optouts.body, {
      imported: 2,
      failed: 1,
      errors: [{ row: 2, reason: /nests deeper than 32 levels$/ }],
    });
    t.same(
      recorded.map((e) => e.identifier),
      ["+31612345671", "+31612345673"],
      "the rows around it are recorded",
    );
  },
);

t.test("contact fields: 16 KiB as JSON and 200 keys at most, named in the 400", async (t) => {
  const { send } = await api();
  const url = "/v1/accounts/acme/contacts/c1";
  const big = await send(
    "PUT",
    url,
    JSON.stringify({ phone: "+31612345678", fields: { note: "x".repeat(16 * 1024) } }),
  );
  t.equal(big.status, 400);
  t.same(big.body.error, {
    code: "INVALID_PAYLOAD",
    message:
      "fields take 16395 bytes as JSON, more than 16384 (16 KiB): keep large data elsewhere and store a reference",
  });
  const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, i]));
  const wide = await send("PUT", url, JSON.stringify({ phone: "+31612345678", fields: many }));
  t.equal(wide.status, 400);
  t.equal(wide.body.error?.code, "INVALID_PAYLOAD");
  t.match(wide.body.error?.message, /fields must NOT have more than 200 properties|more than 200/);

  const imported = await send(
    "POST",
    "/v1/accounts/acme/contacts/import",
    `id,phone,note\nc1,+31612345678,${"x".repeat(16 * 1024)}\n`,
    "text/csv",
  );
  t.match(
    imported.body,
    { imported: 0, failed: 1, errors: [{ row: 2, reason: /^fields take 16395 bytes as JSON/ }] },
    "CSV columns become fields: the same limit",
  );
});
