/**
 * Every error of a fastify server as a registry code (@optout/core's ERROR_REGISTRY) with the
 * registry's status: our typed errors, fastify's own (`FST_ERR_*`: bad JSON, body too large,
 * media type, a path parameter over maxParamLength, a bad URL), a route that does not exist or
 * exists with other methods, and the errors Node's HTTP parser reports before there is a
 * request (431, 408). How a problem is written (JSON for the API, an HTML page for the edge) is
 * the server's; what it is, is decided here once. A problem's message never repeats the URL or
 * the framework's own text: paths carry phone numbers and addresses, and internals help nobody.
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import {
  codeForHttpStatus,
  ERROR_CODES,
  ERROR_REGISTRY,
  httpStatusOf,
  OptoutError,
  type ErrorCode,
  type Logger,
} from "@optout/core";

export interface HttpProblem {
  code: ErrorCode;
  status: number;
  message: string;
}

/** A problem with the registry's status; the message defaults to the code's description. */
export function httpProblem(
  code: ErrorCode,
  message: string = ERROR_REGISTRY[code].description,
): HttpProblem {
  return { code, status: httpStatusOf(code), message };
}

/** fastify's own errors that a client causes, with what to tell that client. */
const FRAMEWORK_PROBLEMS: Record<string, (request: FastifyRequest | undefined) => HttpProblem> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    httpProblem(ERROR_CODES.INVALID_PAYLOAD, "the body is not valid JSON: send a JSON document"),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    httpProblem(
      ERROR_CODES.INVALID_PAYLOAD,
      "the body is empty but the Content-Type is application/json: send a JSON document",
    ),
  FST_ERR_CTP_BODY_TOO_LARGE: (request) => {
    const limit = request?.routeOptions.bodyLimit;
    return httpProblem(
      ERROR_CODES.PAYLOAD_TOO_LARGE,
      typeof limit === "number"
        ? `the body is larger than this route accepts (${limit} bytes)`
        : "the body is larger than this route accepts",
    );
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    httpProblem(
      ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
      "this route does not read a body of this Content-Type: send application/json (imports: text/csv or application/x-ndjson)",
    ),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    httpProblem(ERROR_CODES.MALFORMED_REQUEST, "the body's size does not match its Content-Length"),
  FST_ERR_BAD_URL: () =>
    httpProblem(ERROR_CODES.MALFORMED_REQUEST, "the URL has an invalid percent-encoding"),
  FST_ERR_MAX_PARAM_LENGTH: () =>
    httpProblem(ERROR_CODES.URI_TOO_LONG, "a path segment is longer than this server accepts"),
  FST_ERR_NOT_FOUND: () => httpProblem(ERROR_CODES.NOT_FOUND, NO_ROUTE_MESSAGE),
};

const NO_ROUTE_MESSAGE = "no route has this path";

/**
 * The problem an error thrown while serving `request` is answered with. Typed errors keep their
 * code and message; fastify's get a registry code and a message of ours; anything else that
 * carries a 4xx status gets the registry's code for that status; the rest is INTERNAL.
 */
export function problemOf(err: unknown, request?: FastifyRequest): HttpProblem {
  if (err instanceof OptoutError) return httpProblem(err.code, err.message);
  const fastifyErr = err as Partial<FastifyError> | null | undefined;
  const framework = typeof fastifyErr?.code === "string" ? FRAMEWORK_PROBLEMS[fastifyErr.code] : undefined;
  if (framework) return framework(request);
  const status = fastifyErr?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500)
    return httpProblem(codeForHttpStatus(status));
  return httpProblem(ERROR_CODES.INTERNAL, "internal error");
}

/** A route as fastify spells it: `/v1/accounts/:accountId/optouts`, `/files/*`. */
export interface RoutePattern {
  method: string;
  url: string;
}

function matches(pattern: string, path: string): boolean {
  const want = pattern.split("/");
  const got = path.split("/");
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment === "*") return true;
    const actual = got[i];
    if (actual === undefined) return false;
    // A parametric segment (`:id`, `:id(^\\d+)`, `:a-:b`) takes any non-empty segment here:
    // the question is only whether the path exists with some other method.
    if (segment.includes(":")) {
      if (actual === "") return false;
    } else if (segment !== actual) return false;
  }
  return want.length === got.length;
}

/** The methods `path` has routes for (HEAD with GET, as fastify serves it), sorted. */
export function allowedMethods(routes: readonly RoutePattern[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (!matches(route.url, path)) continue;
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
  }
  return [...methods].sort();
}

/**
 * For fastify's not-found handler: 405 METHOD_NOT_ALLOWED with `Allow` when the path exists with
 * other methods, else 404 NOT_FOUND. Neither repeats the path.
 */
export function routeNotFoundProblem(
  routes: readonly RoutePattern[],
  request: FastifyRequest,
): { problem: HttpProblem; allow?: string } {
  const path = request.url.split("?")[0] ?? "/";
  const allow = allowedMethods(routes, path).filter((m) => m !== request.method);
  if (allow.length > 0) {
    return {
      problem: httpProblem(
        ERROR_CODES.METHOD_NOT_ALLOWED,
        `this path does not take ${request.method}: the Allow header lists what it takes`,
      ),
      allow: allow.join(", "),
    };
  }
  return { problem: httpProblem(ERROR_CODES.NOT_FOUND, NO_ROUTE_MESSAGE) };
}

/** How a server writes a problem. */
export interface ProblemWriter {
  /** Answer through fastify (its hooks may not have run: set every header the answer needs). */
  send(problem: HttpProblem, request: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** The same as raw bytes, for errors Node reports before there is a request. */
  raw(problem: HttpProblem): { contentType: string; body: string; headers?: Record<string, string> };
}

/** fastify's `frameworkErrors` (bad URL, path parameter too long): answered like any problem. */
export function frameworkErrorsOption(writer: ProblemWriter) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    void writer.send(problemOf(err), request, reply);
  };
}

/** The problem a client error of Node's HTTP parser is answered with (fastify's clientErrorHandler). */
export function clientErrorProblem(err: Error & { code?: string }): HttpProblem {
  if (err.code === "HPE_HEADER_OVERFLOW")
    return httpProblem(ERROR_CODES.HEADERS_TOO_LARGE, "the request line and headers are larger than 16 KiB");
  if (err.code === "ERR_HTTP_REQUEST_TIMEOUT")
    return httpProblem(ERROR_CODES.REQUEST_TIMEOUT, "the request was not received in time");
  return httpProblem(ERROR_CODES.MALFORMED_REQUEST, "the request is not valid HTTP");
}

/** fastify's `clientErrorHandler`: the problem written straight to the socket, then the connection closed. */
export function clientErrorHandlerOption(writer: ProblemWriter) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    // A reset connection has nobody to answer (as fastify's default handler does).
    if (err.code === "ECONNRESET" || socket.destroyed) return;
    if (socket.writable) {
      const problem = clientErrorProblem(err);
      const { contentType, body, headers = {} } = writer.raw(problem);
      const lines = [
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? "Error"}`,
        `content-type: ${contentType}`,
        `content-length: ${Buffer.byteLength(body)}`,
        "connection: close",
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join("\r\n")}\r\n\r\n${body}`);
    }
    socket.destroy(err);
  };
}

/** The JSON every API answers errors with. */
export function problemBody(problem: HttpProblem): { error: { code: ErrorCode; message: string } } {
  return { error: { code: problem.code, message: problem.message } };
}

/** A JSON writer: `{"error": {"code", "message"}}` with the registry's status. */
export const JSON_PROBLEMS: ProblemWriter = {
  send: (problem, _request, reply) =>
    reply.status(problem.status).type("application/json; charset=utf-8").send(problemBody(problem)),
  raw: (problem) => ({
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify(problemBody(problem)),
  }),
};

/** Log a problem that is the server's fault (5xx) without the URL (it may carry an identifier). */
export function logServerProblem(
  logger: Logger,
  problem: HttpProblem,
  err: unknown,
  request: FastifyRequest,
): void {
  if (problem.status < 500) return;
  logger.error(
    { code: problem.code, err: (err as Error | undefined)?.message, route: request.routeOptions.url },
    problem.code === ERROR_CODES.INTERNAL ? "unexpected error" : "request failed",
  );
}
