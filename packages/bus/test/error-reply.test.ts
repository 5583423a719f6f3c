import t from "tap";
import {
  DependencyUnavailableError,
  InvalidPayloadError,
  natsStatusOf,
  TooManyRecipientsError,
  UnknownAccountError,
} from "@optout/core";
import { errorReply } from "@optout/bus";

t.test(
  "request-reply errors: the code and the Nats-Service-Error-Code from the error registry",
  async (t) => {
    for (const err of [
      new InvalidPayloadError("bad"),
      new TooManyRecipientsError(10_001, 10_000),
      new UnknownAccountError("acme"),
      new DependencyUnavailableError("redis", "down"),
    ]) {
      const { body, status } = errorReply(err);
      t.same(body, { error: { code: err.code, message: err.message } });
      t.equal(status, natsStatusOf(err.code), `${err.code}: ${status}`);
    }
    t.same(errorReply(new Error("secret internals")), {
      body: { error: { code: "INTERNAL", message: "internal error" } },
      status: 500,
    });
  },
);
