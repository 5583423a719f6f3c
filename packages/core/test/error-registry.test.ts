import t from "tap";
import {
  codeForHttpStatus,
  ConfigError,
  ConflictError,
  DependencyUnavailableError,
  ERROR_CODE_LIST,
  ERROR_CODES,
  ERROR_REGISTRY,
  ForbiddenError,
  httpStatusOf,
  InvalidPayloadError,
  isErrorCode,
  maskToken,
  natsStatusOf,
  NotFoundError,
  TooManyRecipientsError,
  UnauthorizedError,
  UnknownAccountError,
  UnknownOrganizationError,
  UnsupportedMediaTypeError,
  type OptoutError,
} from "@optout/core";

t.test("ERROR_CODES derives from the registry: one constant per row, named as its value", async (t) => {
  t.same(Object.keys(ERROR_CODES), ERROR_CODE_LIST);
  for (const [name, value] of Object.entries(ERROR_CODES)) t.equal(name, value);
  t.ok(Object.isFrozen(ERROR_CODES));
  t.ok(isErrorCode("UNKNOWN_TOKEN"));
  t.notOk(isErrorCode("FST_ERR_CTP_INVALID_JSON_BODY"));
  t.notOk(isErrorCode("toString"), "not fooled by the prototype");
});

t.test("every typed error has the registry's code semantics", async (t) => {
  const errors: OptoutError[] = [
    new ConfigError("x"),
    new InvalidPayloadError("x"),
    new UnknownAccountError("a"),
    new UnknownOrganizationError("o"),
    new TooManyRecipientsError(2, 1),
    new DependencyUnavailableError("postgres", "down"),
    new NotFoundError("x"),
    new ConflictError("x"),
    new UnauthorizedError(),
    new ForbiddenError("x"),
    new UnsupportedMediaTypeError("x"),
  ];
  for (const err of errors)
    t.equal(err.retryable, ERROR_REGISTRY[err.code].retryable, `${err.name}: retryable as registered`);
});

t.test("statuses come from the table; a bare status finds its generic code", async (t) => {
  t.equal(httpStatusOf("UNKNOWN_ACCOUNT"), 404);
  t.equal(natsStatusOf("DEPENDENCY_UNAVAILABLE"), 503);
  t.equal(httpStatusOf("HEADERS_TOO_LARGE"), 431);
  t.equal(codeForHttpStatus(404), "NOT_FOUND", "the generic 404, not UNKNOWN_ACCOUNT");
  t.equal(codeForHttpStatus(400), "INVALID_PAYLOAD");
  t.equal(codeForHttpStatus(415), "UNSUPPORTED_MEDIA_TYPE");
  t.equal(codeForHttpStatus(418), "INVALID_PAYLOAD", "an unregistered 4xx");
  t.equal(codeForHttpStatus(500), "INTERNAL", "not CONFIG_INVALID");
  t.equal(codeForHttpStatus(502), "INTERNAL");
});

t.test("link tokens are masked to two characters", async (t) => {
  t.equal(maskToken("k3Jd9xQ2"), "k3***");
  t.equal(maskToken("abcdef"), "a***");
  t.equal(maskToken("ab"), "***");
});
