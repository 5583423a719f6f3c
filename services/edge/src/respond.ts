import type { FastifyReply, FastifyRequest } from "fastify";
import { DependencyUnavailableError, ERROR_CODES, type ErrorCode } from "@optout/core";
import { httpProblem, type HttpProblem, type ProblemWriter } from "@optout/runtime";
import type { Account } from "@optout/store";
import type { FormFields } from "./form-body.js";
import { choosePageLanguage } from "./i18n.js";
import { problemPage, type ProblemKind } from "./pages.js";
import { SECURITY_HEADERS } from "./security-headers.js";

export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.status(status).type("text/html; charset=utf-8").send(page);
}

/** Which of the translated problem texts a code is shown with. */
function problemKind(code: ErrorCode, status: number): ProblemKind {
  if (code === ERROR_CODES.NOT_FOUND || code === ERROR_CODES.UNKNOWN_TOKEN) return "notFound";
  if (code === ERROR_CODES.RATE_LIMITED) return "tooMany";
  return status >= 500 ? "error" : "badRequest";
}

/** A problem page with the registry's status for `problem` (a code, or a problem from problemOf). */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  problem: ErrorCode | HttpProblem,
): FastifyReply {
  const p = typeof problem === "string" ? httpProblem(problem) : problem;
  // Its hooks may not have run (fastify's own errors): helmet's headers too, not only ours.
  reply.headers(SECURITY_HEADERS);
  return sendPage(reply, p.status, problemPage(pageLanguage(request), problemKind(p.code, p.status)));
}

/** The edge's problems are pages; those written before there is a request are in English. */
export const HTML_PROBLEMS: ProblemWriter = {
  send: (problem, request, reply) => sendProblem(reply, request, problem),
  raw: (problem) => ({
    contentType: "text/html; charset=utf-8",
    body: problemPage("en", problemKind(problem.code, problem.status)),
    headers: { ...SECURITY_HEADERS },
  }),
};

/** The language of a page without a recipient: ?lang=, else Accept-Language, else English. */
export function pageLanguage(request: FastifyRequest, countryLanguage?: string): string {
  const lang = (request.query as Record<string, unknown> | undefined)?.lang;
  return choosePageLanguage({
    explicit: typeof lang === "string" ? lang : undefined,
    acceptLanguage: request.headers["accept-language"],
    countryLanguage,
  });
}

export function formOf(request: FastifyRequest): FormFields {
  return request.body !== null && typeof request.body === "object" ? (request.body as FormFields) : {};
}

export function isDependencyFailure(err: unknown): boolean {
  return err instanceof DependencyUnavailableError;
}

/** Who the page says the messages come from: the account's `settings.name`, else its id. */
export function senderName(account: Account | null, accountId: string): string {
  const name = account?.settings.name;
  return typeof name === "string" && name.trim() !== "" ? name : accountId;
}
