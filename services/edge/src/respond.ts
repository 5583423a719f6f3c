import type { FastifyReply, FastifyRequest } from "fastify";
import { DependencyUnavailableError } from "@optout/core";
import type { Account } from "@optout/store";
import type { FormFields } from "./form-body.js";
import { choosePageLanguage } from "./i18n.js";
import { problemPage, type ProblemKind } from "./pages.js";

export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.status(status).type("text/html; charset=utf-8").send(page);
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  kind: ProblemKind,
): FastifyReply {
  return sendPage(reply, status, problemPage(pageLanguage(request), kind));
}

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
