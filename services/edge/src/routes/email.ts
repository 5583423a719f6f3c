import type { FastifyInstance } from "fastify";
import { ERROR_CODES, maskIdentifier } from "@optout/core";
import { verifyEmailToken, type EmailTokenClaims } from "@optout/domain";
import type { InboundEmail } from "@optout/schemas";
import { formOf, isDependencyFailure, pageLanguage, sendPage, sendProblem, senderName } from "../respond.js";
import type { EdgeDeps } from "../app.js";
import { emailUnsubscribeId } from "../click.js";
import { emailConfirmPage, emailDonePage } from "../pages.js";
import { publishable, storableLabel } from "../payload.js";
import { EMAIL_TOKEN_PARAMS, EMAIL_UNSUBSCRIBE_BODY, html, LANG_QUERY } from "../openapi/schemas.js";

/** The inboundEmail schema's bound on `listId`. */
const MAX_LIST_ID_LENGTH = 256;

/**
 * Email unsubscribes. `POST /email/unsubscribe/{token}` is RFC 8058 one-click: a mail provider
 * posts `List-Unsubscribe=One-Click` (urlencoded or multipart), without cookies, and gets a
 * 200, never a redirect. The token is HMAC-signed (createEmailToken), so it names the account,
 * the address and the list, and cannot be edited to unsubscribe someone else.
 * `GET` of the same URL is a person who clicked the link: a confirm page whose button POSTs
 * `confirm=yes` (method "link"). Nothing opts out on a GET.
 */
const CONFIRM_PAGE = {
  summary: "Confirm page for a person who opened the List-Unsubscribe link (changes nothing)",
  params: EMAIL_TOKEN_PARAMS,
  querystring: LANG_QUERY,
  response: {
    200: html("The page; its button POSTs confirm=yes"),
    404: html("The token's signature does not verify"),
  },
};

const ONE_CLICK = {
  summary: "RFC 8058 one-click unsubscribe, or the confirm page's button",
  description:
    "`List-Unsubscribe=One-Click` publishes method one_click, `confirm=yes` method link, to optout.inbound.email. Answers 200 with no cookies and no redirect.",
  params: EMAIL_TOKEN_PARAMS,
  body: EMAIL_UNSUBSCRIBE_BODY,
  response: {
    200: html("Unsubscribed"),
    400: html("Neither One-Click nor the confirm form"),
    404: html("The token's signature does not verify; nothing published"),
  },
};

export function emailRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  async function senderOf(claims: EmailTokenClaims): Promise<string> {
    try {
      return senderName(await deps.getAccount(claims.accountId), claims.accountId);
    } catch (err) {
      if (!isDependencyFailure(err)) throw err;
      return claims.accountId;
    }
  }

  app.get<{ Params: { token: string } }>(
    "/email/unsubscribe/:token",
    { schema: CONFIRM_PAGE },
    async (request, reply) => {
      const claims = verifyEmailToken(deps.emailTokenSecret, request.params.token);
      if (!claims) return sendProblem(reply, request, ERROR_CODES.NOT_FOUND);
      const lang = pageLanguage(request);
      return sendPage(
        reply,
        200,
        emailConfirmPage({ lang, sender: await senderOf(claims), maskedEmail: maskIdentifier(claims.email) }),
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    "/email/unsubscribe/:token",
    { schema: ONE_CLICK },
    async (request, reply) => {
      const { token } = request.params;
      const claims = verifyEmailToken(deps.emailTokenSecret, token);
      if (!claims) return sendProblem(reply, request, ERROR_CODES.NOT_FOUND);
      const form = formOf(request);
      const method: InboundEmail["method"] | undefined =
        form["List-Unsubscribe"] === "One-Click" ? "one_click" : form.confirm === "yes" ? "link" : undefined;
      if (!method) return sendProblem(reply, request, ERROR_CODES.INVALID_PAYLOAD);
      const at = deps.now?.() ?? new Date();
      const listId = storableLabel(claims.listId, MAX_LIST_ID_LENGTH);
      const message = publishable(
        "inboundEmail",
        {
          id: emailUnsubscribeId(token, method, at),
          accountId: claims.accountId,
          email: claims.email,
          method,
          receivedAt: at.toISOString(),
          ...(listId === undefined ? {} : { listId }),
        },
        deps.logger,
      );
      if (!message) return sendProblem(reply, request, ERROR_CODES.INVALID_PAYLOAD);
      await deps.publishEmail(message);
      const lang = pageLanguage(request);
      return sendPage(
        reply,
        200,
        emailDonePage({ lang, sender: await senderOf(claims), maskedEmail: maskIdentifier(claims.email) }),
      );
    },
  );
}
