import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ERROR_CODES, OptoutError, type Logger } from "@optout/core";
import { describeValidationError } from "@optout/schemas";

const STATUS_BY_CODE: Record<string, number> = {
  [ERROR_CODES.INVALID_PAYLOAD]: 400,
  [ERROR_CODES.INVALID_RECIPIENT]: 400,
  [ERROR_CODES.TOO_MANY_RECIPIENTS]: 400,
  [ERROR_CODES.UNAUTHORIZED]: 401,
  [ERROR_CODES.FORBIDDEN]: 403,
  [ERROR_CODES.NOT_FOUND]: 404,
  [ERROR_CODES.UNKNOWN_ACCOUNT]: 404,
  [ERROR_CODES.UNKNOWN_ORGANIZATION]: 404,
  [ERROR_CODES.CONFLICT]: 409,
  [ERROR_CODES.DEPENDENCY_UNAVAILABLE]: 503,
  [ERROR_CODES.CONFIG_INVALID]: 500,
  [ERROR_CODES.INTERNAL]: 500,
};

/** Every error leaves as `{"error": {"code", "message"}}` with a 4xx/5xx status. */
export function createErrorHandler(logger: Logger) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof OptoutError) {
      const status = STATUS_BY_CODE[err.code] ?? 500;
      if (status >= 500)
        logger.error({ code: err.code, err: err.message, url: request.routeOptions.url }, "request failed");
      return reply.status(status).send({ error: { code: err.code, message: err.message } });
    }
    const fastifyErr = err as FastifyError;
    if (fastifyErr.validation) {
      // The shared wording (@optout/schemas): "body/listId contains a control character (U+001B) at index 4".
      const context = fastifyErr.validationContext ?? "request";
      const data = (request as unknown as Record<string, unknown>)[
        context === "querystring" ? "query" : context
      ];
      const message = fastifyErr.validation.map((e) => describeValidationError(e, data, context)).join("; ");
      return reply.status(400).send({ error: { code: ERROR_CODES.INVALID_PAYLOAD, message } });
    }
    if (fastifyErr.statusCode && fastifyErr.statusCode < 500) {
      return reply
        .status(fastifyErr.statusCode)
        .send({ error: { code: fastifyErr.code ?? ERROR_CODES.INVALID_PAYLOAD, message: err.message } });
    }
    logger.error({ err: err.message, url: request.routeOptions.url }, "unexpected error");
    return reply.status(500).send({ error: { code: ERROR_CODES.INTERNAL, message: "internal error" } });
  };
}
