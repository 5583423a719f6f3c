import type { FastifyInstance } from "fastify";
import { ERROR_CODES, maskIdentifier } from "@optout/core";
import { verifyEmailToken, type EmailTokenClaims } from "@optout/domain";
import type { InboundEmail } from "@optout/schemas";
import { formOf, isDependencyFailure, pageLanguage, sendPage, sendProblem, senderName } from "../respond.js";
import type { EdgeDeps } from "../app.js";
import { emailUnsubscribeId } from "../click.js";
import { emailConfirmPage, emailDonePage } from "../pages.js";
import { publishable, storableLabel } from "../payload.js";

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
export function emailRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  async function senderOf(claims: EmailTokenClaims): Promise<string> {
    try {
      return senderName(await deps.getAccount(claims.accountId), claims.accountId);
    } catch (err) {
      if (!isDependencyFailure(err)) throw err;
      return claims.accountId;
    }
  }

  app.get<{ Params: { token: string } }>("/email/unsubscribe/:token", async (request, reply) => {
    const claims = verifyEmailToken(deps.emailTokenSecret, request.params.token);
    if (!claims) return sendProblem(reply, request, ERROR_CODES.NOT_FOUND);
    const lang = pageLanguage(request);
    return sendPage(
      reply,
      200,
      emailConfirmPage({ lang, sender: await senderOf(claims), maskedEmail: maskIdentifier(claims.email) }),
    );
  });

  app.post<{ Params: { token: string } }>("/email/unsubscribe/:token", async (request, reply) => {
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
  });
}
