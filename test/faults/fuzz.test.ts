/**
 * Issue 8, "nothing lost, proven" (guarantees 4 and 9): fuzzed payloads on every inbound subject
 * (JetStream) and every request subject (core NATS request-reply), with valid opt-outs
 * interleaved. Afterwards: no worker crashed or stopped being ready, every valid opt-out is
 * recorded exactly once, every request got a well-formed reply (a result or an error), and every
 * inbound message was settled: acked (recorded or ignored) or dead-lettered, never left pending.
 *
 * Reproduce a run: the seed is printed first; `FUZZ_SEED=<seed> FUZZ_COUNT=<n> npx tap
 * test/faults/fuzz.test.ts`. The payloads depend only on the seed and the count (link tokens
 * excepted: they come from the tag service of the run). Full run: FUZZ_COUNT=100000.
 */
import t from "tap";
import { AckPolicy, DeliverPolicy, type JsMsg } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/nats-core";
import { DLQ_REASON_HEADER, DLQ_STREAM_HEADER, DLQ_STREAM_SEQ_HEADER, DLQ_SUBJECT_HEADER } from "@optout/bus";
import { isValidPayload, type SchemaName, type TagReply } from "@optout/schemas";
import { readinessOf } from "@optout/runtime";
import { requestJson } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";

const COUNT = Math.max(1, Number(process.env.FUZZ_COUNT ?? 3_000));
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
/** One valid opt-out after every VALID_EVERY fuzzed payloads. */
const VALID_EVERY = 10;
/** Inbound publishes awaiting their JetStream ack, at most. */
const PUBLISH_WINDOW = 256;
/** Requests awaiting their reply, at most. */
const REQUEST_WINDOW = 48;
const REQUEST_TIMEOUT_MS = 30_000;
/** Under NATS' default max_payload (1 MiB) with room for headers (the dead letter adds some). */
const MAX_BODY_BYTES = 900_000;

t.setTimeout(Math.max(180_000, 240_000 + COUNT * 8));
t.comment(`fuzz seed ${SEED}, count ${COUNT} (reproduce: FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT})`);

// ---------------------------------------------------------------------------------------------
// A seeded PRNG (mulberry32) and the payload generators.

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let x = this.state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
  /** Log-uniform integer in [lo, hi]: most small, some huge. */
  logInt(lo: number, hi: number): number {
    return Math.min(hi, Math.floor(Math.exp(Math.log(lo) + this.next() * (Math.log(hi) - Math.log(lo)))));
  }
}

/** A JSON literal written as is (numbers JSON.stringify cannot write, deep nesting it would overflow on). */
class Raw {
  constructor(readonly text: string) {}
}
/** An object as its entries: keys may repeat and may be "__proto__" (a JS object could hold neither). */
class Obj {
  constructor(readonly entries: [string, unknown][]) {}
  static of(value: Record<string, unknown>): Obj {
    return new Obj(Object.entries(value).map(([k, v]) => [k, v]));
  }
}

function write(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Obj)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(",")}}`;
  if (Array.isArray(value)) return `[${value.map(write).join(",")}]`;
  // Well-formed JSON.stringify: a lone surrogate is written as the escape "\ud800".
  return JSON.stringify(value) ?? "null";
}

const encoder = new TextEncoder();
const FIXED_TIME = "2026-01-15T10:00:00Z";

type Subject = "sms" | "link" | "email" | "check" | "tag";
const SUBJECTS: readonly Subject[] = ["sms", "link", "email", "check", "tag"];
const INBOUND: ReadonlySet<Subject> = new Set(["sms", "link", "email"]);
const TIME_FIELD: Partial<Record<Subject, string>> = {
  sms: "receivedAt",
  link: "clickedAt",
  email: "receivedAt",
};

/** A valid payload of each subject: what the mutations start from (fuzz ids are `fz-<n>`, never a valid one's). */
function template(rng: Rng, subject: Subject, n: number, linkToken: string): Record<string, unknown> {
  switch (subject) {
    case "sms":
      return {
        id: `fz-${n}`,
        accountId: "acme-nl",
        // Never a valid opt-out's number (+3165..., +3166...): a fuzzed START must not opt one back in.
        from: rng.pick(["+31670000001", "+31670000002", "06 7000 0003", "+33612345678"]),
        to: "3010",
        text: rng.pick(["STOP", "stop please", "START", "HELP", "hello there", "Stop 🛑", "AFMELDEN"]),
        receivedAt: FIXED_TIME,
        ...(rng.chance(0.5) ? { country: "NL" } : {}),
      };
    case "link":
      return {
        id: `fz-${n}`,
        token: linkToken,
        clickedAt: FIXED_TIME,
        userAgent: "Mozilla/5.0 (fuzz)",
        ip: "192.0.2.10",
        reason: "too_many",
      };
    case "email":
      return {
        id: `fz-${n}`,
        accountId: "acme-nl",
        email: rng.pick(["fuzz@example.com", "Fuzz.Two@Example.COM", "drei@bücher.example"]),
        method: rng.pick(["one_click", "link", "mailto"]),
        receivedAt: FIXED_TIME,
        listId: "news",
        reason: "bye",
        subject: "unsubscribe",
        body: "please remove me",
      };
    case "check":
      return {
        accountId: "acme-nl",
        channel: rng.pick(["sms", "email"]),
        recipients: rng.pick([
          ["+31612345678", "06 1234 5679"],
          ["fuzz@example.com"],
          ["+31670000001", "not a number", "+3161"],
        ]),
        country: "NL",
        category: rng.pick(["promotional", "transactional"]),
        groupIds: ["vip"],
      };
    case "tag":
      return {
        accountId: "acme-nl",
        recipients: rng.pick([["+33612345678", "+31612345678"], ["+31670000001"], ["06 1234 5679", "bogus"]]),
        campaignId: "c-fuzz",
        channel: "sms",
        country: "NL",
      };
  }
}

const BAD_DATES = [
  "2026-02-30T10:00:00Z",
  "0000-01-01T00:00:00Z",
  "2026-01-01T00:00:00-23:59",
  "2026-01-01T00:00:00+14:01",
  "2026-13-01T00:00:00Z",
  "2026-01-01T24:00:00Z",
  "2026-06-30T23:59:60Z",
  "9999-12-31T23:59:59Z",
  "1969-12-31T23:59:59Z",
  "+002026-01-01T00:00:00Z",
  "2026-01-01",
  "2026-01-01 10:00:00Z",
  "2026-01-01T10:00:00",
  "2026-01-01T10:00:00.1234567891234Z",
  "2026-W01-1T00:00:00Z",
  "2026-01-01T10:00:00z",
  "２０２６-01-01T10:00:00Z",
  "",
];
const WEIRD_NUMBERS = [
  "1e309",
  "-1e309",
  "1e-400",
  "-0",
  "123456789012345678901234567890",
  "9007199254740993",
  "0.1e1",
  "1E+2",
];
const UNICODE = [
  "STOP 🛑",
  "👍🏽👨‍👩‍👧‍👦",
  "\u202eSTOP\u202c",
  "\u200fאפס\u200f",
  "توقف",
  "S\u0301T\u0308O\u0327P",
  "ＳＴＯＰ",
  "ST\u200bOP",
  "\ufeffSTOP",
  "Z̷̢̛͎̯̈́a̵̧̛̗͋l̶̨̛̘̈g̵̣̈́o̶̩̊",
  "+٣١٦١٢٣٤٥٦٧٨",
  "𝐒𝐓𝐎𝐏",
  "\ufffd\ufffe\uffff",
  "jane@bücher.example",
  "用户@例子.广告",
];
const CONTROL = [
  "\u0001",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r\n",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\u009f",
  "\u2028",
  "\u2029",
];
const SURROGATES = ["\ud800", "\udfff", "\udbff", "\udc00x\ud800", "\udc00\ud800"];
const EXTRA_KEYS = [
  "extra",
  "__proto__",
  "constructor",
  "",
  "k\u0000",
  "🔑",
  "a/b~c",
  "x".repeat(300),
  "\ud800key",
  "meta",
];

/** Nesting of `depth` levels as JSON text (arrays, objects, or both), never through JSON.stringify. */
function deepJson(rng: Rng, depth: number): Raw {
  const style = rng.int(3);
  if (style === 0) return new Raw(`${"[".repeat(depth)}1${"]".repeat(depth)}`);
  if (style === 1) return new Raw(`${'{"a":'.repeat(depth)}"leaf"${"}".repeat(depth)}`);
  return new Raw(`${'[{"a":'.repeat(depth)}null${"}]".repeat(depth)}`);
}

function wrongValue(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => 123,
    () => -1,
    () => 1.5,
    () => true,
    () => false,
    () => null,
    () => [],
    () => ({}),
    () => ["STOP"],
    () => Obj.of({ a: 1 }),
    () => "",
    () => new Raw(rng.pick(WEIRD_NUMBERS)),
    () => Array.from({ length: rng.range(2, 50) }, () => "+31612345678"),
  ])();
}

function hugeString(rng: Rng): string {
  const unit = rng.pick(["x", "STOP ", "é", "🛑", "a\u0301", "+31612345678,"]);
  const bytes = encoder.encode(unit).length;
  const target = rng.logInt(1_000, MAX_BODY_BYTES - 2_000);
  return unit.repeat(Math.max(1, Math.floor(target / bytes)));
}

/** Insert `piece` at a random place of `s`. */
function insert(rng: Rng, s: string, piece: string): string {
  const at = rng.int(s.length + 1);
  return s.slice(0, at) + piece + s.slice(at);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const INVALID_UTF8 = [
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xff],
  [0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
];

type Mutation = (rng: Rng, obj: Obj, subject: Subject) => void;

/** A string field of the object (existing, or a new extra one). */
function stringEntry(rng: Rng, obj: Obj): [string, unknown] {
  const strings = obj.entries.filter(([, v]) => typeof v === "string");
  if (strings.length > 0 && rng.chance(0.85)) return rng.pick(strings);
  const entry: [string, unknown] = [rng.pick(["extra", "note", "meta"]), "value"];
  obj.entries.push(entry);
  return entry;
}

function anyEntry(rng: Rng, obj: Obj): [string, unknown] {
  if (obj.entries.length > 0 && rng.chance(0.9)) return rng.pick(obj.entries);
  const entry: [string, unknown] = [rng.pick(EXTRA_KEYS), "value"];
  obj.entries.push(entry);
  return entry;
}

/** Object-level mutations; each has a name, counted in the figures. */
const OBJECT_MUTATIONS: Record<string, Mutation> = {
  "drop-field": (rng, obj) => {
    const drops = rng.range(1, Math.max(1, obj.entries.length));
    for (let i = 0; i < drops && obj.entries.length > 0; i++)
      obj.entries.splice(rng.int(obj.entries.length), 1);
  },
  "duplicate-key": (rng, obj) => {
    const [key] = anyEntry(rng, obj);
    const value = rng.chance(0.5)
      ? wrongValue(rng)
      : rng.pick(["STOP", "hello", "acme-nl", "ghost", FIXED_TIME]);
    if (rng.chance(0.5)) obj.entries.push([key, value]);
    else obj.entries.unshift([key, value]);
  },
  "wrong-type": (rng, obj) => {
    const entry = anyEntry(rng, obj);
    entry[1] = wrongValue(rng);
  },
  "huge-string": (rng, obj) => {
    const entry = rng.chance(0.7) ? stringEntry(rng, obj) : anyEntry(rng, obj);
    entry[1] = hugeString(rng);
  },
  nul: (rng, obj) => {
    if (rng.chance(0.2)) obj.entries.push([insert(rng, "key", "\u0000"), "v"]);
    else {
      const entry = stringEntry(rng, obj);
      entry[1] = insert(rng, String(entry[1]), "\u0000");
    }
  },
  "lone-surrogate": (rng, obj) => {
    if (rng.chance(0.2)) obj.entries.push([insert(rng, "key", rng.pick(SURROGATES)), "v"]);
    else {
      const entry = stringEntry(rng, obj);
      entry[1] = insert(rng, String(entry[1]), rng.pick(SURROGATES));
    }
  },
  control: (rng, obj) => {
    const entry = stringEntry(rng, obj);
    entry[1] = insert(rng, String(entry[1]), rng.pick(CONTROL));
  },
  "bad-date": (rng, obj, subject) => {
    const field = TIME_FIELD[subject];
    const entry = field && rng.chance(0.8) ? obj.entries.find(([k]) => k === field) : undefined;
    if (entry) entry[1] = rng.pick(BAD_DATES);
    else obj.entries.push([rng.pick(["receivedAt", "clickedAt", "since", "when"]), rng.pick(BAD_DATES)]);
  },
  unicode: (rng, obj) => {
    const entry = stringEntry(rng, obj);
    entry[1] = rng.chance(0.5) ? rng.pick(UNICODE) : insert(rng, String(entry[1]), rng.pick(UNICODE));
  },
  deep: (rng, obj) => {
    const depth = rng.pick([33, 100, 1_000, 10_000, 10_000, 20_000]);
    if (rng.chance(0.8))
      obj.entries.push([rng.pick(["extra", "gateway", "meta", "fields"]), deepJson(rng, depth)]);
    else anyEntry(rng, obj)[1] = deepJson(rng, depth);
  },
  number: (rng, obj) => {
    anyEntry(rng, obj)[1] = new Raw(rng.pick(WEIRD_NUMBERS));
  },
  "extra-fields": (rng, obj) => {
    for (let i = rng.range(1, 20); i > 0; i--)
      obj.entries.push([
        `${rng.pick(EXTRA_KEYS)}${rng.int(5)}`,
        rng.chance(0.5) ? wrongValue(rng) : rng.pick(UNICODE),
      ]);
  },
};

/** Whole-payload kinds and text/byte-level mutations. */
const KINDS = [
  "random-bytes",
  "non-object",
  "truncated",
  "bit-flip",
  "invalid-utf8",
  "bom",
  "combo",
  ...Object.keys(OBJECT_MUTATIONS),
] as const;

interface Generated {
  kind: string;
  body: Uint8Array;
}

function fuzzPayload(rng: Rng, subject: Subject, n: number, linkToken: string): Generated {
  const kind = rng.pick(KINDS);
  const obj = Obj.of(template(rng, subject, n, linkToken));
  const json = () => encoder.encode(write(obj));
  switch (kind) {
    case "random-bytes":
      return { kind, body: rng.bytes(rng.chance(0.1) ? rng.logInt(1, 200_000) : rng.range(0, 256)) };
    case "non-object":
      return {
        kind,
        body: encoder.encode(
          rng.pick([
            "",
            "null",
            "[]",
            "[{}]",
            "{}",
            '"STOP"',
            "42",
            "true",
            " ",
            "{",
            "}",
            "NaN",
            "undefined",
            "[" + write(obj) + "]",
          ]),
        ),
      };
    case "truncated": {
      const full = json();
      return { kind, body: full.slice(0, rng.int(full.length)) };
    }
    case "bit-flip": {
      const body = json();
      for (let i = rng.range(1, 8); i > 0; i--) body[rng.int(body.length)]! ^= 1 << rng.int(8);
      return { kind, body };
    }
    case "invalid-utf8": {
      const text = write(obj);
      // Inside a string value: after the first quote of a value.
      const at = text.indexOf('":"') + 3;
      return {
        kind,
        body: concat(
          encoder.encode(text.slice(0, at)),
          new Uint8Array(rng.pick(INVALID_UTF8)),
          encoder.encode(text.slice(at)),
        ),
      };
    }
    case "bom": {
      const text = write(obj);
      const variant = rng.int(4);
      if (variant === 0)
        return { kind, body: concat(new Uint8Array([0xef, 0xbb, 0xbf]), encoder.encode(text)) };
      if (variant === 1) return { kind, body: encoder.encode(insert(rng, text, "\ufeff")) };
      // UTF-16 with its BOM, little or big endian.
      const body = new Uint8Array(2 + text.length * 2);
      const le = variant === 2;
      body.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        body[2 + i * 2] = le ? c & 0xff : c >> 8;
        body[3 + i * 2] = le ? c >> 8 : c & 0xff;
      }
      return { kind, body };
    }
    case "combo": {
      const names = Object.keys(OBJECT_MUTATIONS);
      for (let i = rng.range(2, 4); i > 0; i--) OBJECT_MUTATIONS[rng.pick(names)]!(rng, obj, subject);
      const body = json();
      if (rng.chance(0.3))
        for (let i = rng.range(1, 3); i > 0; i--) body[rng.int(body.length)]! ^= 1 << rng.int(8);
      return { kind, body: body.length > MAX_BODY_BYTES ? body.slice(0, MAX_BODY_BYTES) : body };
    }
    default: {
      OBJECT_MUTATIONS[kind]!(rng, obj, subject);
      return { kind, body: json() };
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** At most `size` promises at a time: add() waits while the window is full. */
class Window {
  private readonly inflight = new Set<Promise<void>>();
  constructor(private readonly size: number) {}
  async add(work: Promise<void>): Promise<void> {
    const p: Promise<void> = work.finally(() => this.inflight.delete(p));
    this.inflight.add(p);
    while (this.inflight.size >= this.size) await Promise.race(this.inflight);
  }
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all(this.inflight);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** A payload as a reader can see it in a report: a JSON string when it is UTF-8 (escapes shown), else base64; cut. */
function show(body: Uint8Array, max = 600): string {
  const more = body.length > max ? ` ... (${body.length} bytes in all)` : "";
  try {
    return `utf8 ${JSON.stringify(strictUtf8.decode(body)).slice(0, max)}${more}`;
  } catch {
    return `base64 ${Buffer.from(body.subarray(0, max)).toString("base64")}${more}`;
  }
}
const tally = (map: Map<string, number>, key: string, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
const table = (map: Map<string, number>) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");

// Keep what the capturing logger holds bounded on a 100,000-message run (warnings and errors are kept).
process.env.TEST_LOG_LEVEL ??= "warn";
const system = await startSystem({ name: "fuzz" });
t.teardown(() => system.stop());
const { infra } = system.env;
const { names } = infra;
const schema = system.env.config.databaseSchema;
await system.account("acme-nl", "acme");

t.test(
  "fuzzed payloads on every subject: no crash, nothing valid lost, every request answered",
  async (t) => {
    const started = performance.now();
    const rng = new Rng(SEED);
    const validCount = Math.ceil(COUNT / VALID_EVERY);

    // Link tokens come from the tag service, as a campaign sender gets them: one for the fuzz
    // template, one per valid click (a click per link, so each valid click is its own opt-out).
    const validLinks = Math.ceil(validCount / 3);
    const tokens: string[] = [];
    const linkNumbers = Array.from(
      { length: validLinks + 1 },
      (_, i) => `+3166${String(i).padStart(7, "0")}`,
    );
    for (let at = 0; at < linkNumbers.length; at += 1_000) {
      const { reply } = await requestJson<TagReply>(
        infra.nc,
        names.subjects.tag,
        { accountId: "acme-nl", recipients: linkNumbers.slice(at, at + 1_000), campaignId: "fuzz-valid" },
        60_000,
      );
      for (const tag of reply.tags) tokens.push(tag.token!);
    }
    t.equal(tokens.filter(Boolean).length, linkNumbers.length, "a link token per valid click");
    const templateToken = tokens.pop()!;

    const subjects: Record<Subject, string> = {
      sms: names.subjects.inboundSms,
      link: names.subjects.inboundLink,
      email: names.subjects.inboundEmail,
      check: names.subjects.check,
      tag: names.subjects.tag,
    };
    const streamOf: Partial<Record<Subject, string>> = {
      sms: names.streams.inboundSms,
      link: names.streams.inboundLink,
      email: names.streams.inboundEmail,
    };
    const replySchema: Partial<Record<Subject, SchemaName>> = { check: "checkReply", tag: "tagReply" };

    // What was sent: per subject and kind; what each inbound stream sequence carried (for the report).
    const sentByKind = new Map<string, number>();
    const sentBySubject = new Map<string, number>();
    const published = new Map<string, { kind: string; n: number }>(); // `${stream}:${seq}`
    const validIds: string[] = [];
    const validSeqs = new Set<string>();
    const publishFailures: string[] = [];
    const repliesBySubject = new Map<string, number>();
    const errorsByCode = new Map<string, number>();
    const badReplies: string[] = [];
    const timeouts: string[] = [];
    const internalErrors: string[] = [];
    let replies = 0;
    let requests = 0;

    // Readiness of every worker, sampled through the run.
    // When one is not ready, what the process was doing: the event loop's lag and the pg pool.
    const notReady: string[] = [];
    const notReadyContext: string[] = [];
    let readinessSamples = 0;
    let lastTick = performance.now();
    let maxLagMs = 0;
    const sampler = setInterval(() => {
      const now = performance.now();
      const lag = now - lastTick - 250;
      lastTick = now;
      maxLagMs = Math.max(maxLagMs, lag);
      readinessSamples++;
      const r = readinessOf(system.workers);
      if (!r.ready) {
        notReady.push(r.reasons.join("; "));
        const { totalCount, idleCount, waitingCount } = infra.pool;
        notReadyContext.push(
          `at ${Math.round((now - started) / 1000)} s: lag ${Math.round(lag)} ms, pg pool ${totalCount} open, ${idleCount} idle, ${waitingCount} waiting`,
        );
      }
    }, 250);

    const publishWindow = new Window(PUBLISH_WINDOW);
    const requestWindow = new Window(REQUEST_WINDOW);

    async function publish(
      subject: Subject,
      body: Uint8Array,
      msgId: string,
      what: { kind: string; n: number },
    ) {
      const stream = streamOf[subject]!;
      for (let attempt = 1; ; attempt++) {
        try {
          // Nats-Msg-Id makes a retried publish (after a timed-out ack) one message.
          const ack = await infra.js.publish(subjects[subject], body, {
            msgID: msgId,
            headers: natsHeaders(),
            timeout: 30_000,
          });
          published.set(`${stream}:${ack.seq}`, what);
          if (what.kind === "valid") validSeqs.add(`${stream}:${ack.seq}`);
          return;
        } catch (err) {
          if (attempt >= 5) {
            publishFailures.push(
              `${subject} ${what.kind} #${what.n}: ${(err as Error).message} ${show(body, 200)}`,
            );
            return;
          }
          await sleep(200 * attempt);
        }
      }
    }

    async function request(subject: Subject, body: Uint8Array, kind: string, n: number) {
      requests++;
      try {
        const msg = await infra.nc.request(subjects[subject], body, { timeout: REQUEST_TIMEOUT_MS });
        replies++;
        tally(repliesBySubject, subject);
        let reply: unknown;
        try {
          reply = JSON.parse(msg.string());
        } catch {
          badReplies.push(`${subject} ${kind} #${n}: reply is not JSON: ${msg.string().slice(0, 200)}`);
          return;
        }
        if (isValidPayload("errorReply", reply)) {
          const code = (reply as { error: { code: string; message: string } }).error.code;
          tally(errorsByCode, `${subject}:${code}`);
          if (code === "INTERNAL" && internalErrors.length < 20)
            internalErrors.push(`${subject} ${kind} #${n}: ${show(body, 400)}`);
        } else if (isValidPayload(replySchema[subject]!, reply)) {
          tally(errorsByCode, `${subject}:ok`);
        } else {
          badReplies.push(`${subject} ${kind} #${n}: malformed reply ${msg.string().slice(0, 300)}`);
        }
      } catch (err) {
        timeouts.push(`${subject} ${kind} #${n}: ${(err as Error).message} ${show(body, 300)}`);
      }
    }

    // Valid opt-outs: fresh numbers, addresses and links, each its own source id.
    const received = new Date().toISOString();
    function validPayload(v: number): { subject: Subject; id: string; body: Uint8Array } {
      const channel = (["sms", "link", "email"] as const)[v % 3]!;
      const k = Math.floor(v / 3);
      const id = `ok-${channel}-${k}`;
      const payload =
        channel === "sms"
          ? {
              id,
              accountId: "acme-nl",
              from: `+3165${String(k).padStart(7, "0")}`,
              to: "3010",
              text: "STOP",
              receivedAt: received,
            }
          : channel === "link"
            ? { id, token: tokens[k]!, clickedAt: received, reason: "too_many" }
            : {
                id,
                accountId: "acme-nl",
                email: `valid-${k}@example.com`,
                method: "one_click",
                receivedAt: received,
              };
      return { subject: channel, id, body: encoder.encode(JSON.stringify(payload)) };
    }

    let validSent = 0;
    for (let n = 0; n < COUNT; n++) {
      const subject = rng.pick(SUBJECTS);
      const { kind, body } = fuzzPayload(rng, subject, n, templateToken);
      tally(sentByKind, kind);
      tally(sentBySubject, subject);
      if (INBOUND.has(subject))
        await publishWindow.add(publish(subject, body, `fz-${subject}-${n}`, { kind, n }));
      else await requestWindow.add(request(subject, body, kind, n));

      const validDue = n === COUNT - 1 ? validCount : Math.floor((n + 1) / VALID_EVERY);
      while (validSent < validDue) {
        const v = validPayload(validSent++);
        validIds.push(v.id);
        await publishWindow.add(publish(v.subject, v.body, v.id, { kind: "valid", n: validSent - 1 }));
      }
      if (n > 0 && n % 20_000 === 0)
        t.comment(`... ${n} sent, ${Math.round(performance.now() - started)} ms`);
    }
    await publishWindow.drain();
    await requestWindow.drain();
    const sentMs = performance.now() - started;

    // Every inbound message settled: nothing pending, nothing waiting for an ack.
    const consumers = [
      [names.streams.inboundSms, names.consumer("sms-inbound")],
      [names.streams.inboundLink, names.consumer("link-click")],
      [names.streams.inboundEmail, names.consumer("email-unsubscribe")],
    ] as const;
    const deadline = Date.now() + Math.max(120_000, COUNT * 4);
    const pendingLeft = async () => {
      const left: string[] = [];
      for (const [stream, durable] of consumers) {
        const info = await infra.jsm.consumers.info(stream, durable);
        const last = (await infra.jsm.streams.info(stream)).state.last_seq;
        if (info.num_pending + info.num_ack_pending > 0 || info.ack_floor.stream_seq < last)
          left.push(`${durable}: pending ${info.num_pending}, ack pending ${info.num_ack_pending}`);
      }
      return left;
    };
    let left = await pendingLeft();
    while (left.length > 0 && Date.now() < deadline) {
      await sleep(250);
      left = await pendingLeft();
    }
    clearInterval(sampler);
    const settledMs = performance.now() - started;
    t.same(left, [], "every inbound consumer has nothing pending and nothing awaiting an ack");

    // Valid opt-outs: each recorded exactly once.
    const counts = new Map<string, number>();
    for (let at = 0; at < validIds.length; at += 5_000) {
      const { rows } = await infra.pool.query<{ source_id: string; n: number }>(
        `SELECT source_id, count(*)::int AS n FROM ${JSON.stringify(schema)}.optout_events
        WHERE source_id = ANY($1::text[]) GROUP BY source_id`,
        [validIds.slice(at, at + 5_000)],
      );
      for (const r of rows) counts.set(r.source_id, r.n);
    }
    const missing = validIds.filter((id) => !counts.has(id));
    const doubled = validIds.filter((id) => (counts.get(id) ?? 0) > 1);
    t.equal(validIds.length, validCount, `${validCount} valid opt-outs interleaved`);
    t.same(missing.slice(0, 20), [], `every valid opt-out recorded (${missing.length} missing)`);
    t.same(doubled.slice(0, 20), [], `none recorded twice (${doubled.length} doubled)`);

    // And visible to a check.
    const smsNumbers = validIds
      .filter((id) => id.startsWith("ok-sms-"))
      .map((id) => `+3165${id.slice(7).padStart(7, "0")}`);
    const linkTargets = validIds
      .filter((id) => id.startsWith("ok-link-"))
      .map((id) => linkNumbers[Number(id.slice(8))]!);
    let notSuppressed = 0;
    const checkFailures: string[] = [];
    for (const [channel, recipients] of [
      ["sms", [...smsNumbers, ...linkTargets]],
      [
        "email",
        validIds.filter((id) => id.startsWith("ok-email-")).map((id) => `valid-${id.slice(9)}@example.com`),
      ],
    ] as const) {
      for (let at = 0; at < recipients.length; at += 5_000) {
        const slice = recipients.slice(at, at + 5_000);
        const { reply } = await system.checkRaw({ accountId: "acme-nl", channel, recipients: slice });
        if ("error" in reply) {
          notSuppressed += slice.length;
          checkFailures.push(`${reply.error.code}: ${reply.error.message}`);
        } else notSuppressed += reply.results.filter((r) => r.reason !== "opted_out").length;
      }
    }
    t.same(checkFailures, [], "the checks of the valid opt-outs are answered");
    t.equal(notSuppressed, 0, "every valid opt-out is visible to a check");

    // Dead letters: read their headers only (bodies can be 900 KB), tally the reasons.
    const dlqInfo = await infra.jsm.streams.info(names.streams.dlq, { subjects_filter: ">" });
    const dlqTotal = dlqInfo.state.messages;
    const reader = `fuzz-dlq-${Date.now().toString(36)}`;
    await infra.jsm.consumers.add(names.streams.dlq, {
      name: reader,
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      headers_only: true,
      inactive_threshold: 60_000_000_000,
    });
    const consumer = await infra.js.consumers.get(names.streams.dlq, reader);
    const reasons = new Map<string, number>();
    const reasonExamples: string[] = [];
    const dlqBySubject = new Map<string, number>();
    const suspicious: { letter: JsMsg; reason: string }[] = [];
    const validDeadLettered: string[] = [];
    let read = 0;
    const readDeadline = Date.now() + 120_000;
    while (read < dlqTotal && Date.now() < readDeadline) {
      const batch = await consumer.fetch({ max_messages: 1_000, expires: 2_000 });
      for await (const m of batch) {
        read++;
        const reason = m.headers?.get(DLQ_REASON_HEADER) ?? "";
        const subject = m.headers?.get(DLQ_SUBJECT_HEADER) ?? "?";
        tally(dlqBySubject, subject.split(".").slice(-1)[0]!);
        const cls = reasonClass(reason);
        if (!reasons.has(cls)) reasonExamples.push(`${cls}: ${reason.slice(0, 160)}`);
        tally(reasons, cls);
        const key = `${m.headers?.get(DLQ_STREAM_HEADER)}:${m.headers?.get(DLQ_STREAM_SEQ_HEADER)}`;
        if (validSeqs.has(key)) validDeadLettered.push(`${key}: ${reason}`);
        // Guarantee 9: bad input is refused at the boundary, as input, not retried as a fault.
        if (
          /max deliveries|database|SQLSTATE|INTERNAL|violates|22P05|22021/i.test(reason) &&
          suspicious.length < 20
        )
          suspicious.push({ letter: m, reason });
      }
    }
    t.equal(read, dlqTotal, "every dead letter read");
    t.same(validDeadLettered, [], "no valid opt-out was dead-lettered");
    const suspiciousReport: string[] = [];
    for (const { letter, reason } of suspicious) {
      const stored = await infra.jsm.streams.getMessage(names.streams.dlq, { seq: letter.seq });
      const key = `${letter.headers?.get(DLQ_STREAM_HEADER)}:${letter.headers?.get(DLQ_STREAM_SEQ_HEADER)}`;
      const what = published.get(key);
      suspiciousReport.push(
        `${reason} | ${what ? `${what.kind} #${what.n}` : key} | payload ${stored ? show(stored.data) : "(gone)"}`,
      );
    }
    t.same(
      suspiciousReport,
      [],
      "every dead letter is refused input, none a database fault or a spent retry",
    );

    // Accounting per worker: every fuzzed or valid message published was settled once (acked or dead-lettered).
    const outcomes = new Map<string, number>();
    for (const v of (await infra.metrics.messages.get()).values)
      tally(outcomes, `${v.labels.worker}:${v.labels.outcome}`, v.value);
    const publishedTo = new Map<string, number>();
    for (const key of published.keys()) tally(publishedTo, key.split(":")[0]!);
    for (const [subject, stream, worker] of [
      ["sms", names.streams.inboundSms, "sms-inbound"],
      ["link", names.streams.inboundLink, "link-click"],
      ["email", names.streams.inboundEmail, "email-unsubscribe"],
    ] as const) {
      const acked = outcomes.get(`${worker}:acked`) ?? 0;
      const dead = outcomes.get(`${worker}:dead_lettered`) ?? 0;
      const inDlq = dlqInfo.state.subjects?.[names.subjects.dlqFor(subjects[subject])] ?? 0;
      t.equal(
        acked + dead,
        publishedTo.get(stream) ?? 0,
        `${worker}: every message settled once (acked ${acked}, dead-lettered ${dead})`,
      );
      t.equal(inDlq, dead, `${worker}: one dead letter per dead-lettered message`);
    }

    // Requests: every one answered, with a result or an {error: {code, message}}.
    t.equal(replies, requests, `every request got a reply (${replies}/${requests})`);
    t.same(timeouts.slice(0, 10), [], "no request timed out");
    t.same(badReplies.slice(0, 10), [], "every reply is a result or an error with code and message");
    t.same(internalErrors, [], "no request failed as INTERNAL (bad input is a 4xx, never a 500)");
    t.same(publishFailures.slice(0, 10), [], "every publish was accepted by JetStream");

    // Workers: never crashed, never not ready; the process logged no crash.
    // A request answered 503 (a dependency too slow under load) is an answer, not a crash: only
    // an INTERNAL failure counts, like a crashed batch or consumer loop.
    const crashLines = system.env.logLines.filter((line) => {
      const { msg = "", code } = JSON.parse(line) as { msg?: string; code?: string };
      return (
        /batch processing crashed|consumer failed|uncaught|unhandled/i.test(msg) ||
        (msg === "request failed" && code === "INTERNAL")
      );
    });
    t.same(crashLines.slice(0, 5), [], "no worker logged a crash or an internal error");
    // A worker that crashed or stopped pulling says "<worker> is not ready" (or "paused until"); a
    // dependency probe that timed out says "<dependency> is down: ... did not answer within".
    // The probe shares the pg pool with the work, so under load (a shared 2-core machine) it can
    // wait for a connection past its timeout: counted and shown, not taken for a crash.
    const probeTimeout = /^\w+ is down: \w+ did not answer within \d+ ms$/;
    const crashed = notReady.flatMap((r) => r.split("; ")).filter((r) => !probeTimeout.test(r));
    t.same(
      [...new Set(crashed)].slice(0, 5),
      [],
      `no worker stopped or crashed at any of ${readinessSamples} readiness samples (${notReady.length} samples with a slow dependency probe only)`,
    );
    t.ok(readinessOf(system.workers).ready, "every worker ready at the end");
    t.ok(
      system.workers.every((w) => w.isReady()),
      "each ServiceHandle.isReady()",
    );

    const recorded = validIds.length - missing.length;
    t.comment(`seed ${SEED}, count ${COUNT}`);
    t.comment(`sent by subject: ${table(sentBySubject)} (+ ${validIds.length} valid opt-outs interleaved)`);
    t.comment(`sent by kind: ${table(sentByKind)}`);
    t.comment(
      `valid opt-outs recorded exactly once: ${recorded - doubled.length}/${validIds.length} (missing ${missing.length}, doubled ${doubled.length})`,
    );
    t.comment(`dead-lettered: ${dlqTotal} (${table(dlqBySubject)})`);
    t.comment(`dead-letter reasons: ${table(reasons)}`);
    for (const example of reasonExamples) t.comment(`  e.g. ${example}`);
    t.comment(`worker outcomes: ${table(outcomes)}`);
    t.comment(
      `requests ${requests}, replies ${replies} (${table(repliesBySubject)}), timeouts ${timeouts.length}`,
    );
    t.comment(`replies by code: ${table(errorsByCode)}`);
    const logged = new Map<string, number>();
    for (const line of system.env.logLines) {
      try {
        const { level, msg } = JSON.parse(line) as { level?: number | string; msg?: string };
        tally(logged, `${level}:${msg ?? "?"}`);
      } catch {
        tally(logged, "unparsed");
      }
    }
    t.comment(`warning/error log lines by level:message: ${table(logged) || "none"}`);
    for (const line of crashLines.slice(0, 10)) t.comment(`  crash line: ${line.slice(0, 600)}`);
    const otherWarnings = system.env.logLines.filter((l) => !l.includes('"msg":"message dead-lettered"'));
    for (const line of otherWarnings.slice(0, 5)) t.comment(`  log: ${line.slice(0, 400)}`);
    t.comment(
      `readiness samples ${readinessSamples}, not ready ${notReady.length}; event loop lag max ${Math.round(maxLagMs)} ms`,
    );
    for (const reason of new Set(notReady)) t.comment(`  not ready: ${reason}`);
    for (const context of notReadyContext.slice(0, 40)) t.comment(`  not ready ${context}`);
    t.comment(
      `time: sent in ${(sentMs / 1000).toFixed(1)} s, all settled after ${(settledMs / 1000).toFixed(1)} s, total ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  },
);

/** A dead-letter reason as a class for the figures: its code and the kind of problem. */
function reasonClass(reason: string): string {
  const code = reason.split(":")[0] ?? "";
  const rules: [RegExp, string][] = [
    [/not valid UTF-8/, "utf8"],
    [/not valid JSON/, "json"],
    [/nests deeper/, "depth"],
    [/NUL character/, "nul"],
    [/lone UTF-16 surrogate/, "surrogate"],
    [/control character/, "control"],
    [/longer than|more than \d+ characters|NOT have more than/, "length"],
    [/date|time that|offset|before 1970|future|RFC 3339|format "date-time"/, "timestamp"],
    [/must have required property/, "required"],
    [/must be (string|object|array|boolean|integer|number)/, "type"],
    [/must be equal to one of/, "enum"],
    [/must match pattern|is not an id/, "pattern"],
    [/has a key/, "key"],
  ];
  const hit = rules.find(([re]) => re.test(reason));
  return hit ? `${code}/${hit[1]}` : code.startsWith("max deliveries") ? "max-deliveries" : code;
}
