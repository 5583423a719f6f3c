import type { FastifyInstance } from "fastify";
import { InvalidPayloadError, NotFoundError } from "@optout/core";
import { checkWebhookUrl, UrlRefusedError } from "@optout/ssrf-guard";
import { getAccount, typed, upsertAccount, type Account, type AccountDirectory, type AccountSettings, type ListScope, type Pool } from "@optout/store";
import { ACCOUNT_BODY, ID_PARAM } from "./schemas.js";

interface AccountBody extends AccountSettings {
  organizationId: string;
  listScope?: ListScope;
  defaultCountry?: string;
}

/** What the API shows of an account: the webhook secret never leaves after it was set. */
export function presentAccount(account: Account) {
  const { webhook, ...settings } = account.settings;
  return {
    id: account.id,
    organizationId: account.organizationId,
    listScope: account.listScope,
    defaultCountry: account.defaultCountry,
    ...settings,
    ...(webhook ? { webhook: { url: webhook.url, secret: "***" } } : {}),
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}

export function accountRoutes(
  app: FastifyInstance,
  deps: { pool: Pool; accounts: AccountDirectory; webhookAllowPrivateNetworks?: boolean },
): void {
  const params = { type: "object", properties: { accountId: ID_PARAM }, required: ["accountId"] } as const;

  app.put<{ Params: { accountId: string }; Body: AccountBody }>(
    "/v1/accounts/:accountId",
    { config: { access: { kind: "admin" } }, schema: { params, body: ACCOUNT_BODY } },
    async (request, reply) => {
      const { organizationId, listScope, defaultCountry, ...settings } = request.body;
      const webhookUrl = (settings as AccountSettings).webhook?.url;
      if (webhookUrl !== undefined) {
        // Refused up front; the dispatcher checks again before every delivery (DNS may change).
        await checkWebhookUrl(webhookUrl, { allowPrivateNetworks: deps.webhookAllowPrivateNetworks ?? false }).catch((err: unknown) => {
          throw err instanceof UrlRefusedError ? new InvalidPayloadError(`webhook.url: ${err.message}`, { details: { reason: err.reason } }) : err;
        });
      }
      const { account, created } = await typed(() =>
        upsertAccount(deps.pool, {
          id: request.params.accountId,
          organizationId,
          listScope: listScope ?? "organization",
          defaultCountry: defaultCountry ?? null,
          settings,
        }),
      );
      deps.accounts.forget(account.id);
      return reply.status(created ? 201 : 200).send(presentAccount(account));
    },
  );

  app.get<{ Params: { accountId: string } }>("/v1/accounts/:accountId", { config: { access: { kind: "account-read" } }, schema: { params } }, async (request) => {
    const account = await typed(() => getAccount(deps.pool, request.params.accountId));
    if (!account) throw new NotFoundError(`account "${request.params.accountId}" does not exist`);
    return presentAccount(account);
  });
}
