import t from "tap";
import { childTraceparent, formatTraceparent, parseTraceparent, traceIdOf } from "../src/index.js";

const PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

t.test("parseTraceparent accepts W3C version 00 and refuses what the spec refuses", async (t) => {
  t.same(parseTraceparent(PARENT), {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    flags: "01",
  });
  t.equal(formatTraceparent(parseTraceparent(PARENT)!), PARENT);
  t.ok(
    parseTraceparent(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future`),
    "a later version may add fields",
  );
  for (const bad of [
    undefined,
    null,
    "",
    "garbage",
    `${PARENT}-extra`, // version 00 has exactly four fields
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
  ])
    t.equal(parseTraceparent(bad), undefined, `refused: ${String(bad)}`);
});

t.test("childTraceparent keeps the trace and flags with a new span, or starts a trace", async (t) => {
  const child = parseTraceparent(childTraceparent(PARENT))!;
  t.equal(child.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
  t.equal(child.flags, "01");
  t.not(child.spanId, "00f067aa0ba902b7", "a span of its own");
  const fresh = parseTraceparent(childTraceparent(undefined))!;
  t.ok(fresh, "a new, valid traceparent");
  t.not(fresh.traceId, child.traceId);
  t.equal(fresh.flags, "01");
  t.not(
    traceIdOf(childTraceparent("not a traceparent")),
    traceIdOf(childTraceparent("not a traceparent")),
    "each new trace is new",
  );
  t.equal(traceIdOf(PARENT), "4bf92f3577b34da6a3ce929d0e0e4736");
  t.equal(traceIdOf(undefined), undefined);
});
