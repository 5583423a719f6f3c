import t from "tap";
import { InvalidPayloadError } from "@optout/core";
import { decodePayload, isValidPayload, validatePayload } from "@optout/schemas";

const sms = {
  id: "m1",
  accountId: "acme-nl",
  from: "+31612345678",
  to: "3010",
  text: "STOP",
  receivedAt: "2026-11-26T10:00:00Z",
};

t.test("inbound payloads: valid, extended compatibly, or rejected with the failing field", async (t) => {
  t.same(validatePayload("inboundSms", sms), sms);
  t.ok(
    isValidPayload("inboundSms", { ...sms, gatewayField: 42 }),
    "unknown properties are accepted (compatible extensions)",
  );
  t.throws(
    () => validatePayload("inboundSms", { ...sms, receivedAt: "yesterday" }),
    /\/receivedAt is not an RFC 3339 timestamp/,
  );
  t.throws(
    () => validatePayload("inboundSms", { ...sms, accountId: "has space" }),
    /\/accountId is not an id: 1-128 letters/,
  );
  t.throws(
    () => decodePayload("inboundSms", new Uint8Array([0xff, 0xfe])),
    InvalidPayloadError,
    "invalid UTF-8",
  );
  t.throws(() => decodePayload("inboundSms", new TextEncoder().encode("[1,2]")), /must be object/);
});

t.test("check requests", async (t) => {
  t.ok(isValidPayload("checkRequest", { accountId: "a", channel: "sms", recipients: ["+31612345678"] }));
  t.notOk(
    isValidPayload("checkRequest", { accountId: "a", channel: "sms", recipients: [] }),
    "at least one recipient",
  );
  t.notOk(isValidPayload("checkRequest", { accountId: "a", channel: "fax", recipients: ["x"] }));
  t.notOk(
    isValidPayload("checkRequest", { accountId: "a", channel: "sms", recipients: ["x"], category: "urgent" }),
  );
});
