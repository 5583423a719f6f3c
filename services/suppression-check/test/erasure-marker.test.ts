/**
 * The check hashes its recipients (erased forms) only for a list whose filter holds
 * ERASURES_FILTER_MARKER, or when the filter cannot vouch: a list that never had an erasure
 * pays no hashing and no second filter read.
 */
import t from "tap";
import { createLogger } from "@optout/core";
import { ERASURES_FILTER_MARKER } from "@optout/domain";
import type { OptedOutForCheck } from "@optout/store";
import { checkRecipients, type CheckPorts } from "../src/check.js";

const SINCE = "2026-01-01T00:00:00.000Z";
const ERASED_PERSON = "+31612345671";
const ORDINARY_OPT_OUT = "+31612345672";
const recipients = [ERASED_PERSON, ORDINARY_OPT_OUT, "+31612345673"];
const erasedForm = (id: string) => `erased:${id}`;

/** A list as the filter and Postgres hold it: `entries` in the filter (null: not built), `rows` opted out. */
function ports(
  entries: ReadonlySet<string> | null,
  rows: ReadonlySet<string>,
  /** Runs before each confirm (what committed between the filter read and the confirm). */
  beforeConfirm: () => void = () => undefined,
) {
  const calls = {
    reads: [] as (readonly string[])[],
    hashed: 0,
    confirms: [] as (readonly (string | null)[] | undefined)[],
  };
  const p: CheckPorts = {
    getAccount: async (id) => ({
      id,
      organizationId: "o",
      listScope: "account",
      defaultCountry: "NL",
      settings: {},
      createdAt: "",
      updatedAt: "",
    }),
    filter: {
      mightContain: async (_s, _c, ids) => {
        calls.reads.push(ids);
        return entries && ids.map((i) => entries.has(i));
      },
    },
    findOptedOut: async (_s, _a, _c, ids, erased) => {
      beforeConfirm();
      calls.confirms.push(erased);
      const found = new Map<string, OptedOutForCheck>();
      ids.forEach((id, i) => {
        if (rows.has(id) || (erased?.[i] != null && rows.has(erased[i]!)))
          found.set(id, { since: SINCE, bypass: false });
      });
      return found;
    },
    erasedForm: (id) => {
      calls.hashed++;
      return erasedForm(id);
    },
    findTopicOptedOut: async () => new Map(),
    requestRebuild: () => undefined,
    logger: createLogger({ name: "test", level: "silent" }),
  };
  return { p, calls };
}

const reasons = async (p: CheckPorts) =>
  (await checkRecipients(p, { accountId: "a", channel: "sms", recipients })).results.map((r) => r.reason);

t.test("a list that never had an erasure: one filter read with the marker, no hashing", async (t) => {
  const run = ports(new Set([ORDINARY_OPT_OUT]), new Set([ORDINARY_OPT_OUT]));
  t.same(await reasons(run.p), ["not_opted_out", "opted_out", "not_opted_out"]);
  t.equal(run.calls.hashed, 0, "no recipient hashed");
  t.same(
    run.calls.reads,
    [[...recipients, ERASURES_FILTER_MARKER]],
    "one read: the recipients and the marker",
  );
  t.same(run.calls.confirms, [undefined], "the plain confirm, without erased forms");
});

t.test("a list with an erasure: the erased person stays suppressed", async (t) => {
  const entries = new Set([ORDINARY_OPT_OUT, erasedForm(ERASED_PERSON), ERASURES_FILTER_MARKER]);
  const run = ports(entries, new Set([ORDINARY_OPT_OUT, erasedForm(ERASED_PERSON)]));
  t.same(await reasons(run.p), ["opted_out", "opted_out", "not_opted_out"]);
  t.equal(run.calls.hashed, recipients.length, "every recipient hashed");
  t.same(run.calls.reads[1], recipients.map(erasedForm), "a second read: the erased forms");
  t.same(
    run.calls.confirms,
    [[erasedForm(ERASED_PERSON), erasedForm(ORDINARY_OPT_OUT)]],
    "the candidates only, each in both forms",
  );
});

t.test("the filter cannot vouch: every recipient is confirmed in both forms", async (t) => {
  const run = ports(null, new Set([erasedForm(ERASED_PERSON)]));
  t.same(await reasons(run.p), ["opted_out", "not_opted_out", "not_opted_out"]);
  t.same(run.calls.confirms, [recipients.map(erasedForm)]);
});

t.test("a filter false positive on a list never erased: one one-entry read more, no hashing", async (t) => {
  const falsePositive = recipients[2]!;
  const run = ports(new Set([ORDINARY_OPT_OUT, falsePositive]), new Set([ORDINARY_OPT_OUT]));
  t.same(await reasons(run.p), ["not_opted_out", "opted_out", "not_opted_out"]);
  t.equal(run.calls.hashed, 0, "no recipient hashed");
  t.same(run.calls.reads.slice(1), [[ERASURES_FILTER_MARKER]], "the marker read again, alone");
});

t.test("an erasure committing between the filter read and the confirm lets nobody through", async (t) => {
  // Before: the person is opted out under their number, the list never had an erasure.
  const entries = new Set([ERASED_PERSON, ORDINARY_OPT_OUT]);
  const rows = new Set([ERASED_PERSON, ORDINARY_OPT_OUT]);
  const run = ports(entries, rows, () => {
    if (!rows.has(ERASED_PERSON)) return;
    // The erasure: hash bits and marker first, then the commit replaces the row by the hash's.
    entries.add(erasedForm(ERASED_PERSON)).add(ERASURES_FILTER_MARKER);
    rows.delete(ERASED_PERSON);
    rows.add(erasedForm(ERASED_PERSON));
  });
  t.same(await reasons(run.p), ["opted_out", "opted_out", "not_opted_out"]);
  t.equal(run.calls.hashed, 1, "only the candidate the confirm did not find is hashed");
  t.same(run.calls.confirms, [undefined, [erasedForm(ERASED_PERSON)]]);
});

t.test("a list with an erasure: another erasure committing mid-check lets nobody through", async (t) => {
  const entries = new Set([ORDINARY_OPT_OUT, erasedForm(ERASED_PERSON), ERASURES_FILTER_MARKER]);
  const rows = new Set([ORDINARY_OPT_OUT, erasedForm(ERASED_PERSON)]);
  // The ordinary opt-out is erased after the filter reads, before the confirm.
  const run = ports(entries, rows, () => {
    if (!rows.delete(ORDINARY_OPT_OUT)) return;
    entries.add(erasedForm(ORDINARY_OPT_OUT));
    rows.add(erasedForm(ORDINARY_OPT_OUT));
  });
  t.same(await reasons(run.p), ["opted_out", "opted_out", "not_opted_out"]);
});
