import type { FastifyInstance } from "fastify";
import { ERROR_CODES, maskIdentifier } from "@optout/core";
import {
  findTopic,
  topicName,
  unsubscribeTopic,
  verifyEmailToken,
  type EmailTokenClaims,
} from "@optout/domain";
import { ID_PATTERN, type InboundEmail } from "@optout/schemas";
import type { Account } from "@optout/store";
import { formOf, isDependencyFailure, pageLanguage, sendPage, sendProblem, senderName } from "../respond.js";
import type { EdgeDeps } from "../app.js";
import { emailUnsubscribeId } from "../click.js";
import { emailConfirmPage, emailDonePage, emailPreferencePage, emailTopicDonePage } from "../pages.js";
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
 *
 * For an account with topics (its `topics` setting) the confirm page is a preference page: one
 * button per topic (`confirm=yes&topic=<id>`: that topic only) and "unsubscribe from all"
 * (`confirm=yes&all=yes`: the whole channel). A one-click POST carries no choice: the worker
 * reads the token's List-Id (a topic's id: that topic only; docs/topics.md).
 */
const TOPIC_ID = new RegExp(ID_PATTERN);
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

/** The preference page's choice in a confirm form: a topic, all, or none (the plain confirm page). */
type Choice = { topic: string } | { all: true } | undefined;

function choiceOf(form: Record<string, string>): Choice | "invalid" {
  if (form.all === "yes") return { all: true };
  if (form.topic === undefined) return undefined;
  return TOPIC_ID.test(form.topic) ? { topic: form.topic } : "invalid";
}

export function emailRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  /** The token's account, or null when it cannot be read now (the pages then name the account id). */
  async function accountOf(claims: EmailTokenClaims): Promise<Account | null> {
    try {
      return await deps.getAccount(claims.accountId);
    } catch (err) {
      if (!isDependencyFailure(err)) throw err;
      return null;
    }
  }

  app.get<{ Params: { token: string } }>(
    "/email/unsubscribe/:token",
    { schema: CONFIRM_PAGE },
    async (request, reply) => {
      const claims = verifyEmailToken(deps.emailTokenSecret, request.params.token);
      if (!claims) return sendProblem(reply, request, ERROR_CODES.NOT_FOUND);
      const lang = pageLanguage(request);
      const account = await accountOf(claims);
      const page = {
        lang,
        sender: senderName(account, claims.accountId),
        maskedEmail: maskIdentifier(claims.email),
      };
      const topics = account?.settings.topics ?? [];
      if (topics.length === 0) return sendPage(reply, 200, emailConfirmPage(page));
      return sendPage(
        reply,
        200,
        emailPreferencePage({
          ...page,
          topics: topics.map((t) => ({ id: t.id, name: topicName(t, lang) })),
          ...(claims.listId === undefined ? {} : { currentTopicId: claims.listId }),
        }),
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
      // RFC 8058's POST is the List-Unsubscribe header's own act: only the confirm form chooses.
      const choice = method === "link" ? choiceOf(form) : undefined;
      if (choice === "invalid") return sendProblem(reply, request, ERROR_CODES.INVALID_PAYLOAD);
      const account = await accountOf(claims);
      // A topic the account does not define (a form from before a topic was removed, a forged
      // one) is refused when the account can be read; else the worker decides (an unknown
      // topic there is the whole channel: nobody who asked to stop stays subscribed).
      if (choice && "topic" in choice && account && !findTopic(account.settings.topics, choice.topic))
        return sendProblem(reply, request, ERROR_CODES.INVALID_PAYLOAD);
      const at = deps.now?.() ?? new Date();
      const listId = storableLabel(claims.listId, MAX_LIST_ID_LENGTH);
      const message = publishable(
        "inboundEmail",
        {
          id: emailUnsubscribeId(
            token,
            method,
            at,
            choice === undefined ? undefined : "all" in choice ? "all" : `topic:${choice.topic}`,
          ),
          accountId: claims.accountId,
          email: claims.email,
          method,
          receivedAt: at.toISOString(),
          ...(listId === undefined ? {} : { listId }),
          ...(choice === undefined ? {} : "all" in choice ? { all: true } : { topic: choice.topic }),
        },
        deps.logger,
      );
      if (!message) return sendProblem(reply, request, ERROR_CODES.INVALID_PAYLOAD);
      await deps.publishEmail(message);
      const lang = pageLanguage(request);
      const page = {
        lang,
        sender: senderName(account, claims.accountId),
        maskedEmail: maskIdentifier(claims.email),
      };
      // What the worker will record, by the same rule (a one-click for a topic's List-Id too).
      const topic = unsubscribeTopic(account?.settings.topics, {
        ...(choice ?? {}),
        ...(claims.listId === undefined ? {} : { listId: claims.listId }),
      });
      if (topic) return sendPage(reply, 200, emailTopicDonePage({ ...page, topic: topicName(topic, lang) }));
      return sendPage(reply, 200, emailDonePage(page));
    },
  );
}
