import type { FastifyInstance } from "fastify";
import { NotFoundError } from "@optout/core";
import { getAccount, typed, upsertAccount, type Account, type AccountDirectory, type AccountSettings, type ListScope, type Pool } from "@optout/store";
import { ACCOUNT_BODY, ID_PARAM } from "./schemas.js";

interface AccountBody extends Omit<AccountSettings, "bypassAllGroups"> {
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

export function accountRoutes(app: FastifyInstance, deps: { pool: Pool; accounts: AccountDirectory }): void {
  const params = { type: "object", properties: { accountId: ID_PARAM }, required: ["accountId"] } as const;

  app.put<{ Params: { accountId: string }; Body: AccountBody }>(
    "/v1/accounts/:accountId",
    { schema: { params, body: ACCOUNT_BODY } },
    async (request, reply) => {
      const { organizationId, listScope, defaultCountry, ...settings } = request.body;
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

  app.get<{ Params: { accountId: string } }>("/v1/accounts/:accountId", { schema: { params } }, async (request) => {
    const account = await typed(() => getAccount(deps.pool, request.params.accountId));
    if (!account) throw new NotFoundError(`account "${request.params.accountId}" does not exist`);
    return presentAccount(account);
  });
}
