import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isLinkToken, languageForCountry, maskPhoneNumber, normalizePhone, truncateIp } from "@optout/domain";
import { ERROR_CODES, maskIdentifier } from "@optout/core";
import type { InboundLink } from "@optout/schemas";
import type { Link } from "@optout/store";
import { formOf, isDependencyFailure, pageLanguage, sendPage, sendProblem, senderName } from "../respond.js";
import type { EdgeDeps } from "../app.js";
import { clickId, composeReason, newClickNonce } from "../click.js";
import { linkDonePage, linkPage } from "../pages.js";
import { publishable, storableLabel } from "../payload.js";
import { CLICK_BODY, html, LANG_QUERY, LINK_TOKEN_PARAMS } from "../openapi/schemas.js";

const MAX_USER_AGENT_LENGTH = 1024;

interface LinkView {
  sender: string;
  masked: string;
  countryLanguage: string | undefined;
}

/**
 * `GET /{token}` shows what the link would do and changes nothing (mail and chat link scanners
 * fetch every URL they see); `POST /{token}` is the recipient pressing the button: the click
 * goes to `<ns>.inbound.link` and the link-click worker records the opt-out.
 */
const LANDING = {
  summary: "Landing page of an SMS opt-out link",
  description:
    "Names the sender and the masked number and offers an Unsubscribe button with an optional reason. It never opts anyone out: link scanners and previewers fetch links.",
  params: LINK_TOKEN_PARAMS,
  querystring: LANG_QUERY,
  response: {
    200: html("The page"),
    404: html("Unknown or malformed token"),
    503: html("The database is unavailable"),
  },
};

const UNSUBSCRIBE = {
  summary: "Unsubscribe: publishes the click to optout.inbound.link",
  params: LINK_TOKEN_PARAMS,
  body: CLICK_BODY,
  response: {
    200: html("Confirmation page stating the result"),
    404: html("Unknown or malformed token; nothing published"),
    413: html("Body over 16 KiB"),
    415: html("Not a form body"),
    503: html("The click could not be published; nothing is confirmed"),
  },
};

export function linkRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  async function view(link: Link): Promise<LinkView> {
    const account = await deps.getAccount(link.accountId);
    const phone = link.channel === "sms" ? normalizePhone(link.identifier) : undefined;
    return {
      sender: senderName(account, link.accountId),
      masked: link.channel === "sms" ? maskPhoneNumber(link.identifier) : maskIdentifier(link.identifier),
      countryLanguage: phone?.ok ? languageForCountry(phone.country) : undefined,
    };
  }

  app.get<{ Params: { token: string } }>("/:token", { schema: LANDING }, async (request, reply) => {
    const { token } = request.params;
    if (!isLinkToken(token)) return sendProblem(reply, request, ERROR_CODES.NOT_FOUND);
    const link = await deps.getLink(token);
    if (!link) return sendProblem(reply, request, ERROR_CODES.NOT_FOUND);
    const v = await view(link);
    const lang = pageLanguage(request, v.countryLanguage);
    return sendPage(
      reply,
      200,
      linkPage({ lang, sender: v.sender, maskedNumber: v.masked, clickNonce: newClickNonce() }),
    );
  });

  app.post<{ Params: { token: string } }>(
    "/:token",
    { schema: UNSUBSCRIBE, config: { optionalBody: true } },
    async (request, reply) => {
      const { token } = request.params;
      if (!isLinkToken(token)) return sendProblem(reply, request, ERROR_CODES.NOT_FOUND);
      // With the database down the click is still taken: the worker resolves the token once it
      // is back, and the page says so without naming the number.
      let v: LinkView | undefined;
      try {
        const link = await deps.getLink(token);
        if (!link) return sendProblem(reply, request, ERROR_CODES.NOT_FOUND);
        v = await view(link);
      } catch (err) {
        if (!isDependencyFailure(err)) throw err;
        deps.logger.warn(
          { err: (err as Error).message },
          "link lookup failed; publishing the click unresolved",
        );
      }
      const click = publishable(
        "inboundLink",
        clickOf(request, token, deps.now?.() ?? new Date()),
        deps.logger,
      );
      if (!click) return sendProblem(reply, request, ERROR_CODES.INVALID_PAYLOAD);
      await deps.publishClick(click);
      const lang = pageLanguage(request, v?.countryLanguage);
      return sendDone(reply, lang, v);
    },
  );
}

function clickOf(request: FastifyRequest, token: string, at: Date): InboundLink {
  const form = formOf(request);
  const reason = composeReason(form.reason, form.comment);
  const userAgent = storableLabel(request.headers["user-agent"], MAX_USER_AGENT_LENGTH);
  const ip = truncateIp(request.ip);
  return {
    id: clickId(token, form.click, at),
    token,
    clickedAt: at.toISOString(),
    ...(userAgent ? { userAgent } : {}),
    ...(ip ? { ip } : {}),
    ...(reason ? { reason } : {}),
  };
}

function sendDone(reply: FastifyReply, lang: string, v: LinkView | undefined): FastifyReply {
  return sendPage(
    reply,
    200,
    linkDonePage(v ? { lang, sender: v.sender, maskedNumber: v.masked } : { lang }),
  );
}
