import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ERROR_CODES, type Logger } from "@optout/core";
import { describeValidationError } from "@optout/schemas";
import {
  httpProblem,
  JSON_PROBLEMS,
  logServerProblem,
  problemOf,
  routeNotFoundProblem,
  type HttpProblem,
} from "@optout/runtime";

/**
 * Every error leaves as `{"error": {"code", "message"}}` with a code of @optout/core's registry
 * and the registry's status (@optout/runtime's problemOf maps fastify's own errors). Schema
 * violations say which field and why, in the wording the workers use.
 */
export function createErrorHandler(logger: Logger) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const problem = validationProblem(err as FastifyError, request) ?? problemOf(err, request);
    logServerProblem(logger, problem, err, request);
    return JSON_PROBLEMS.send(problem, request, reply);
  };
}

function validationProblem(err: FastifyError, request: FastifyRequest): HttpProblem | undefined {
  if (!err.validation) return undefined;
  // The shared wording (@optout/schemas): "body/listId contains a control character (U+001B) at index 4".
  const context = err.validationContext ?? "request";
  const data = (request as unknown as Record<string, unknown>)[context === "querystring" ? "query" : context];
  const message = err.validation.map((e) => describeValidationError(e, data, context)).join("; ");
  return httpProblem(ERROR_CODES.INVALID_PAYLOAD, message);
}

/** 404 NOT_FOUND for a path no route has, 405 METHOD_NOT_ALLOWED (with Allow) for one with other methods. */
export function createNotFoundHandler(app: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const { problem, allow } = routeNotFoundProblem(app.routeCatalog, request);
    if (allow) reply.header("allow", allow);
    return JSON_PROBLEMS.send(problem, request, reply);
  };
}
