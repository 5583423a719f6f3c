import type { FastifyInstance } from "fastify";
import { InvalidPayloadError, UnknownAccountError, type Logger } from "@optout/core";
import { createEmailToken, normalizeEmail } from "@optout/domain";
import { controlCharacterProblem } from "@optout/schemas";
import type { Account, AccountDirectory } from "@optout/store";
import { ACCOUNT_ID_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, json } from "../openapi/responses.js";

export const LIST_UNSUBSCRIBE_POST = "List-Unsubscribe=One-Click";
/** Path of the edge's RFC 8058 one-click endpoint, relative to the public base URL. */
export const ONE_CLICK_PATH = "email/unsubscribe/";
/** The mailto subject prefix the email-unsubscribe worker looks for. */
export const MAILTO_SUBJECT_PREFIX = "unsubscribe-";

export interface ListUnsubscribeHeaders {
  "List-Unsubscribe": string;
  "List-Unsubscribe-Post": typeof LIST_UNSUBSCRIBE_POST;
}

// RFC 6068 lets these stand unencoded in a mailto address (unreserved and "some-delims");
// everything else, including non-ASCII, is percent-encoded as UTF-8.
const MAILTO_SAFE = /[A-Za-z0-9\-._~!$'()*+,;:@]/;

function encodeMailtoAddress(address: string): string {
  let out = "";
  for (const ch of address) out += MAILTO_SAFE.test(ch) ? ch : encodeURIComponent(ch);
  return out;
}

/**
 * The List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058) header values: each URI
 * in angle brackets, comma-separated, the HTTPS one-click URI first (RFC 8058 needs it; mailbox
 * providers show their unsubscribe button for it), then the mailto fallback when there is one.
 * The mailto subject carries the same token, so a reply sent from another address still
 * unsubscribes the subscribed one.
 */
export function buildListUnsubscribeHeaders(options: {
  token: string;
  baseUrl: string;
  mailto?: string;
}): ListUnsubscribeHeaders {
  const base = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
  const uris = [new URL(`${ONE_CLICK_PATH}${options.token}`, base).href];
  if (options.mailto !== undefined) {
    uris.push(
      `mailto:${encodeMailtoAddress(options.mailto)}?subject=${MAILTO_SUBJECT_PREFIX}${options.token}`,
    );
  }
  return {
    "List-Unsubscribe": uris.map((u) => `<${u}>`).join(", "),
    "List-Unsubscribe-Post": LIST_UNSUBSCRIBE_POST,
  };
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The account's unsubscribe mailbox, normalized (ASCII domain); undefined when none or unusable. */
function mailtoOf(account: Account, logger: Logger): string | undefined {
  const configured = account.settings.unsubscribeMailto;
  if (configured === undefined) return undefined;
  const n = typeof configured === "string" ? normalizeEmail(configured) : undefined;
  if (n?.ok) return n.identifier;
  // Settings written before validation existed, or straight into the database.
  logger.warn(
    { accountId: account.id },
    "account setting unsubscribeMailto is not an email address; the mailto URI is left out",
  );
  return undefined;
}

export interface EmailHeaderDeps {
  accounts: AccountDirectory;
  emailTokenSecret: string;
  /** The edge's public base URL (LINK_BASE_URL), unless the account sets emailUnsubscribeBaseUrl. */
  linkBaseUrl: string;
  logger: Logger;
}

export function emailHeaderRoutes(app: FastifyInstance, deps: EmailHeaderDeps): void {
  app.post<{ Params: { accountId: string }; Body: { email: string; listId?: string } }>(
    "/v1/accounts/:accountId/email-unsubscribe-headers",
    {
      // Computes headers for a sender, changes nothing: a read token of type email may call it.
      config: { access: { kind: "account-read", channel: "email" } },
      schema: {
        operationId: "emailUnsubscribeHeaders",
        tags: ["Email"],
        summary: "List-Unsubscribe and List-Unsubscribe-Post header values for one recipient",
        description:
          "Exactly the two header values, to merge into an outgoing message. `List-Unsubscribe` (RFC 2369) holds the HTTPS one-click URI (RFC 8058) on the edge, `<base>email/unsubscribe/<token>` where `<base>` is the account setting `emailUnsubscribeBaseUrl` or else LINK_BASE_URL, then, when the account sets `unsubscribeMailto`, `mailto:<mailbox>?subject=unsubscribe-<token>`. The token is an HMAC-signed (EMAIL_TOKEN_SECRET) encoding of account, normalized address and listId. Changes nothing: a read token of type `email` may call it.",
        response: { 200: json("The header values.", "ListUnsubscribeHeaders"), 404: UNKNOWN_ACCOUNT },

        params: { type: "object", properties: { accountId: ACCOUNT_ID_PARAM }, required: ["accountId"] },
        body: {
          type: "object",
          additionalProperties: false,
          required: ["email"],
          properties: {
            email: { type: "string", minLength: 1, maxLength: 320 },
            listId: { type: "string", minLength: 1, maxLength: 256 },
          },
        },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const { email, listId } = request.body;
      const n = normalizeEmail(email);
      if (!n.ok) throw new InvalidPayloadError(`"email" is not a valid email address: ${n.reason}`);
      // The signed listId comes back in every one-click POST: the email-unsubscribe worker
      // refuses a control character in it (inboundEmail schema), so it is never signed.
      const listIdProblem = listId === undefined ? null : controlCharacterProblem(listId);
      if (listIdProblem !== null) throw new InvalidPayloadError(`body/listId ${listIdProblem}`);
      const account = await deps.accounts.get(accountId);
      if (!account) throw new UnknownAccountError(accountId);
      const token = createEmailToken(deps.emailTokenSecret, {
        accountId: account.id,
        email: n.identifier,
        ...(listId === undefined ? {} : { listId }),
      });
      const mailto = mailtoOf(account, deps.logger);
      return buildListUnsubscribeHeaders({
        token,
        baseUrl: httpUrl(account.settings.emailUnsubscribeBaseUrl) ?? deps.linkBaseUrl,
        ...(mailto === undefined ? {} : { mailto }),
      });
    },
  );
}
