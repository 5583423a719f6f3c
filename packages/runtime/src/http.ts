import { LogController, type FastifyBaseLogger, type FastifyServerOptions } from "fastify";
import type { Logger } from "@optout/core";
import {
  clientErrorHandlerOption,
  frameworkErrorsOption,
  JSON_PROBLEMS,
  type ProblemWriter,
} from "./http-errors.js";

/**
 * Options every fastify server of the system starts from.
 * - No per-request log lines: URLs carry phone numbers and addresses (guarantee 8).
 * - ajv without fastify's defaults (coerce types, strip unknown properties): a client sending
 *   a misspelt field gets a 400 instead of a silent no-op.
 * - The errors fastify and Node answer on their own (a path parameter over maxParamLength, a bad
 *   URL, headers over 16 KiB) written by `problems`, with registry codes (./http-errors.ts).
 */
export function fastifyOptions(
  logger: Logger,
  bodyLimitBytes: number,
  problems: ProblemWriter = JSON_PROBLEMS,
): FastifyServerOptions {
  return {
    // pino's Logger and fastify's base logger type differ only in generics.
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    frameworkErrors: frameworkErrorsOption(problems),
    clientErrorHandler: clientErrorHandlerOption(problems),
  };
}
