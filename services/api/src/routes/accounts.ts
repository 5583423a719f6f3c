/**
 * PUT, PATCH and GET /v1/accounts/{accountId}.
 *
 * PUT replaces the account and every setting (a setting left out is removed); PATCH applies a
 * JSON merge patch (RFC 7396) to it. Write-only settings (`webhook.secret`) are never returned
 * and are kept when a PUT or PATCH leaves them out. A change of the list (listScope, or the
 * organization of an organization-list account) carries the old list's opt-outs over in the
 * same transaction (@optout/store updateAccount) and sets their bits in the new list's filter.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { InvalidPayloadError, NotFoundError, UnknownAccountError } from "@optout/core";
import { withErasureMarker } from "@optout/domain";
import type { FilterWriter } from "@optout/recorder";
import {
  describeValidationError,
  duplicateTopicId,
  keepWriteOnlySettings,
  withoutWriteOnlySettings,
} from "@optout/schemas";
import { checkWebhookUrl, UrlRefusedError } from "@optout/ssrf-guard";
import {
  getAccount,
  typed,
  updateAccount,
  type Account,
  type AccountDirectory,
  type AccountInput,
  type AccountSettings,
  type AccountUpdate,
  type ListScope,
  type Pool,
  type PoolClient,
} from "@optout/store";
import { audit, changedFields } from "../audit.js";
import { applyMergePatch } from "../merge-patch.js";
import { ACCOUNT_BODY, ACCOUNT_PATCH_BODY, ACCOUNT_ID_PARAM } from "./schemas.js";
import { errorResponse, json } from "../openapi/responses.js";
import { ACCOUNT_WRITE_RULES } from "../openapi/texts.js";

/** The account document of PUT (and of PATCH once patched). */
interface AccountDocument extends Record<string, unknown> {
  organizationId: string;
  listScope?: ListScope;
  defaultCountry?: string | null;
}

export const MERGE_PATCH_TYPE = "application/merge-patch+json";

/** What the API shows of an account: write-only settings (the webhook secret) never leave. */
export function presentAccount(account: Account, scopeChange?: AccountUpdate["scopeChange"]) {
  return {
    id: account.id,
    organizationId: account.organizationId,
    listScope: account.listScope,
    defaultCountry: account.defaultCountry,
    ...withoutWriteOnlySettings(account.settings),
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
    ...(scopeChange ? { scopeChange } : {}),
  };
}

/** The stored account as a PUT document (write-only settings included): what a PATCH applies to. */
function storedDocument(account: Account): AccountDocument {
  return {
    organizationId: account.organizationId,
    listScope: account.listScope,
    ...(account.defaultCountry === null ? {} : { defaultCountry: account.defaultCountry }),
    ...account.settings,
  };
}

/** A valid document to what is stored, with the write-only settings it leaves out kept from `current`. */
function toInput(id: string, document: AccountDocument, current: Account | null): AccountInput {
  const { organizationId, listScope, defaultCountry, ...settings } = document;
  const kept = keepWriteOnlySettings(settings, current?.settings);
  // A topic id is what an unsubscribe and a check name: two topics with one id would be one list.
  const duplicate = duplicateTopicId((settings as AccountSettings).topics);
  if (duplicate !== undefined) throw new InvalidPayloadError(`topics: the id "${duplicate}" is used twice`);
  if (kept.missing.length > 0) {
    throw new InvalidPayloadError(
      `${kept.missing.join(", ")} is required: the account has none yet (write-only: it is never shown, and kept when later requests leave it out)`,
    );
  }
  return {
    id,
    organizationId,
    listScope: listScope ?? "organization",
    defaultCountry: defaultCountry ?? null,
    settings: kept.settings as AccountSettings,
  };
}

/**
 * The audit entries of an account change, in its transaction: `account.create` or
 * `account.update` naming the settings that changed (write-only ones by name only), and
 * `account.scope_change` with the lists and the opt-outs carried.
 */
async function auditAccountChange(client: PoolClient, request: FastifyRequest, u: AccountUpdate) {
  const secretOf = (a: Account | null) => a?.settings.webhook?.secret;
  const changed = changedFields(u.previous ? presentAccount(u.previous) : null, presentAccount(u.account), [
    { name: "webhook.secret", before: secretOf(u.previous), after: secretOf(u.account) },
  ]);
  await audit(client, request, {
    accountId: u.account.id,
    action: u.created ? "account.create" : "account.update",
    details: { method: request.method, changed },
  });
  if (u.scopeChange)
    await audit(client, request, {
      accountId: u.account.id,
      action: "account.scope_change",
      details: { ...u.scopeChange },
    });
}

export function accountRoutes(
  app: FastifyInstance,
  deps: {
    pool: Pool;
    accounts: AccountDirectory;
    webhookAllowPrivateNetworks?: boolean;
    filter?: FilterWriter;
  },
): void {
  const params = {
    type: "object",
    properties: { accountId: ACCOUNT_ID_PARAM },
    required: ["accountId"],
  } as const;

  async function checkUrl(document: unknown): Promise<void> {
    const url = (document as { webhook?: { url?: unknown } } | null)?.webhook?.url;
    if (typeof url !== "string") return;
    // Refused up front; the dispatcher checks again before every delivery (DNS may change).
    await checkWebhookUrl(url, { allowPrivateNetworks: deps.webhookAllowPrivateNetworks ?? false }).catch(
      (err: unknown) => {
        throw err instanceof UrlRefusedError
          ? new InvalidPayloadError(`webhook.url: ${err.message}`, { details: { reason: err.reason } })
          : err;
      },
    );
  }

  async function write(
    request: FastifyRequest,
    id: string,
    change: (current: Account | null) => AccountInput,
  ): Promise<AccountUpdate> {
    const filter = deps.filter;
    const update = await typed(() =>
      updateAccount(deps.pool, id, change, {
        ...(filter
          ? {
              // A carried erased form marks the target list (ERASURES_FILTER_MARKER): its checks hash.
              onCarried: (scope, channel, identifiers) =>
                filter.add(scope, channel, withErasureMarker(identifiers)),
            }
          : {}),
        beforeCommit: (client, u) => auditAccountChange(client, request, u),
      }),
    );
    deps.accounts.forget(id);
    return update;
  }

  app.put<{ Params: { accountId: string }; Body: AccountDocument }>(
    "/v1/accounts/:accountId",
    {
      config: { access: { kind: "admin" } },
      schema: {
        operationId: "putAccount",
        tags: ["Organizations and accounts"],
        summary: "Create or replace an account",
        description: [
          "Replaces the account and every setting: a setting left out is removed (use PATCH to change some). `listScope`: `organization` (default: the organization's shared list) or `account` (its own list, invisible to the organization list and vice versa). The settings are the ones the workers read, one schema for both (@optout/schemas): webhook, confirmation SMS, help texts, keywords, free-text opt-out, brand names, email unsubscribe settings, and for `optout.tag` `keywordFlows` (per country; `false` or `null` switches a built-in flow off), `tagTemplates` and `linkBaseUrl`. An unknown setting is a 400.",
          "",
          ACCOUNT_WRITE_RULES,
        ].join("\n"),
        response: {
          200: json("Replaced.", "Account"),
          201: json("Created.", "Account"),
          404: errorResponse("UNKNOWN_ORGANIZATION: create the organization first."),
        },
        params,
        body: ACCOUNT_BODY,
      },
    },
    async (request, reply) => {
      await checkUrl(request.body);
      const { account, created, scopeChange } = await write(request, request.params.accountId, (current) =>
        toInput(request.params.accountId, request.body, current),
      );
      return reply.status(created ? 201 : 200).send(presentAccount(account, scopeChange));
    },
  );

  // Its own scope: the merge-patch media type is parsed for this route only.
  app.register(async (scoped) => {
    scoped.addContentTypeParser(
      MERGE_PATCH_TYPE,
      { parseAs: "string" },
      scoped.getDefaultJsonParser("error", "error"),
    );
    scoped.patch<{ Params: { accountId: string }; Body: Record<string, unknown> }>(
      "/v1/accounts/:accountId",
      {
        config: { access: { kind: "admin" } },
        schema: {
          operationId: "patchAccount",
          tags: ["Organizations and accounts"],
          summary: "Change some of an account's settings (JSON merge patch)",
          description: [
            "A JSON merge patch (RFC 7396, `application/merge-patch+json`; `application/json` is accepted too) of the document PUT takes: members present are set, objects merge member by member, `null` removes a member (so a keyword flow is switched off with `false` here), arrays are replaced whole. The patched account must be valid as a PUT body would be (400 naming the field otherwise). Does not create an account.",
            "",
            ACCOUNT_WRITE_RULES,
          ].join("\n"),
          consumes: ["application/json", "application/merge-patch+json"],
          response: {
            200: json("Updated.", "Account"),
            404: errorResponse("UNKNOWN_ACCOUNT: create it with PUT; UNKNOWN_ORGANIZATION."),
          },
          params,
          body: ACCOUNT_PATCH_BODY,
        },
      },
      async (request) => {
        const id = request.params.accountId;
        await checkUrl(request.body);
        const validate = request.compileValidationSchema(ACCOUNT_BODY, "body");
        const { account, scopeChange } = await write(request, id, (current) => {
          if (!current) throw new UnknownAccountError(id);
          const patched = applyMergePatch(storedDocument(current), request.body);
          if (!validate(patched)) throw invalidPatched(validate.errors ?? [], patched);
          return toInput(id, patched as AccountDocument, current);
        });
        return presentAccount(account, scopeChange);
      },
    );
  });

  app.get<{ Params: { accountId: string } }>(
    "/v1/accounts/:accountId",
    {
      config: { access: { kind: "account-read" } },
      schema: {
        operationId: "getAccount",
        tags: ["Organizations and accounts"],
        summary: "Read an account",
        description: "An account token with read permission may read its own account.",
        response: { 200: json("The account.", "Account"), 404: errorResponse("NOT_FOUND.") },
        params,
      },
    },
    async (request) => {
      const account = await typed(() => getAccount(deps.pool, request.params.accountId));
      if (!account) throw new NotFoundError(`account "${request.params.accountId}" does not exist`);
      return presentAccount(account);
    },
  );
}

/** The patch is well-formed but the account it makes is not (a required setting removed...). */
function invalidPatched(
  errors: readonly {
    keyword: string;
    instancePath: string;
    params: Record<string, unknown>;
    message?: string;
  }[],
  patched: unknown,
): InvalidPayloadError {
  const problems = errors
    .slice(0, 5)
    .map((e) => describeValidationError(e, patched, "account"))
    .join("; ");
  return new InvalidPayloadError(`the patched account is invalid: ${problems}`, { details: errors });
}
