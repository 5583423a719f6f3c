/**
 * Browsing: list and prefix-search organizations and accounts (admin token), an account's groups
 * and contacts (its tokens with read permission, like the other address-book reads). Pages of
 * `{items, next, hasMore}` in id order, keyset on the id (`after` = the previous `next`).
 */
import type { FastifyInstance } from "fastify";
import {
  listAccounts,
  listGroups,
  listOrganizations,
  searchContacts,
  typed,
  type AccountDirectory,
  type Pool,
} from "@optout/store";
import { channelsFor } from "../auth.js";
import { decodeIdCursor, encodeIdCursor, ID_CURSOR_PARAM, parseLimit } from "../cursor.js";
import { requireAccountOf } from "./account-of.js";
import { presentContact, presentGroup } from "./address-book.js";
import { ACCOUNT_ID_PARAM, ID_PARAM, limitParam } from "./schemas.js";
import { UNKNOWN_ACCOUNT, errorResponse, json } from "../openapi/responses.js";
import { ADDRESS_BOOK_TYPES } from "../openapi/texts.js";

export const BROWSE_PAGE_LIMITS = { default: 100, max: 1000 } as const;

interface BrowseQuerystring {
  prefix?: string;
  after?: string;
  limit?: string;
}

const AFTER = {
  ...ID_CURSOR_PARAM,
  description: "Cursor: the `next` of the previous page; leave it out to start from the first.",
} as const;
/** An id prefix: the characters of an id (an empty prefix lists everything). */
const ID_PREFIX = {
  type: "string",
  pattern: "^[A-Za-z0-9._:-]{0,128}$",
  description: "Only ids starting with this (case-sensitive).",
} as const;
const BROWSE_QUERY = (prefix: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "object",
  additionalProperties: false,
  properties: { prefix, after: AFTER, limit: limitParam(BROWSE_PAGE_LIMITS), ...extra },
});
const ACCOUNT_PARAMS = {
  type: "object",
  required: ["accountId"],
  properties: { accountId: ACCOUNT_ID_PARAM },
} as const;
const BAD_QUERY = errorResponse("INVALID_PAYLOAD: a malformed prefix, cursor or limit.");

/** One page of `rows` fetched with `limit + 1`: the extra row only says that there is more. */
function page<T, I>(
  rows: T[],
  limit: number,
  after: string,
  idOf: (row: T) => string,
  present: (row: T) => I,
) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(present),
    // Present on every page, the last included: a client comes back later for what is new.
    next: encodeIdCursor(last === undefined ? after : idOf(last)),
    hasMore: rows.length > limit,
  };
}

export function browseRoutes(app: FastifyInstance, deps: { pool: Pool; accounts: AccountDirectory }): void {
  app.get<{ Querystring: BrowseQuerystring }>(
    "/v1/organizations",
    {
      config: { access: { kind: "admin" } },
      schema: {
        operationId: "listOrganizations",
        tags: ["Organizations and accounts"],
        summary: "List organizations, or those whose id starts with a prefix",
        description: "In id order (byte order), a page at a time: `after` = the previous page's `next`.",
        querystring: BROWSE_QUERY(ID_PREFIX),
        response: { 200: json("A page of organizations.", "OrganizationPage"), 400: BAD_QUERY },
      },
    },
    async (request) => {
      const limit = parseLimit(request.query.limit, BROWSE_PAGE_LIMITS);
      const after = decodeIdCursor(request.query.after ?? "");
      const rows = await typed(() =>
        listOrganizations(deps.pool, { after, limit: limit + 1, prefix: request.query.prefix ?? "" }),
      );
      return page(
        rows,
        limit,
        after,
        (o) => o.id,
        (o) => o,
      );
    },
  );

  app.get<{ Querystring: BrowseQuerystring & { organizationId?: string } }>(
    "/v1/accounts",
    {
      config: { access: { kind: "admin" } },
      schema: {
        operationId: "listAccounts",
        tags: ["Organizations and accounts"],
        summary: "List accounts, or those whose id starts with a prefix",
        description:
          "In id order (byte order), a page at a time: `after` = the previous page's `next`. Each account without its settings (read one account for those). `organizationId` narrows to one organization's accounts.",
        querystring: BROWSE_QUERY(ID_PREFIX, {
          organizationId: { ...ID_PARAM, description: "Only the accounts of this organization." },
        }),
        response: { 200: json("A page of accounts.", "AccountPage"), 400: BAD_QUERY },
      },
    },
    async (request) => {
      const { organizationId, prefix } = request.query;
      const limit = parseLimit(request.query.limit, BROWSE_PAGE_LIMITS);
      const after = decodeIdCursor(request.query.after ?? "");
      const rows = await typed(() =>
        listAccounts(deps.pool, {
          after,
          limit: limit + 1,
          ...(prefix ? { prefix } : {}),
          ...(organizationId === undefined ? {} : { organizationId }),
        }),
      );
      return page(
        rows,
        limit,
        after,
        (a) => a.id,
        (a) => a,
      );
    },
  );

  app.get<{ Params: { accountId: string }; Querystring: BrowseQuerystring }>(
    "/v1/accounts/:accountId/groups",
    {
      config: { access: { kind: "account-read" } },
      schema: {
        operationId: "listGroups",
        tags: ["Address book"],
        summary: "List the account's groups, or those whose id starts with a prefix",
        description:
          "In id order (byte order), a page at a time: `after` = the previous page's `next`. A group belongs to no channel: any read token of the account may list them.",
        params: ACCOUNT_PARAMS,
        querystring: BROWSE_QUERY(ID_PREFIX),
        response: { 200: json("A page of groups.", "GroupPage"), 400: BAD_QUERY, 404: UNKNOWN_ACCOUNT },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const limit = parseLimit(request.query.limit, BROWSE_PAGE_LIMITS);
      const after = decodeIdCursor(request.query.after ?? "");
      await requireAccountOf(deps.accounts, accountId);
      const rows = await typed(() =>
        listGroups(deps.pool, accountId, { after, limit: limit + 1, prefix: request.query.prefix ?? "" }),
      );
      return page(rows, limit, after, (g) => g.id, presentGroup);
    },
  );

  app.get<{ Params: { accountId: string }; Querystring: BrowseQuerystring }>(
    "/v1/accounts/:accountId/contacts",
    {
      config: { access: { kind: "account-read" } },
      schema: {
        operationId: "listContacts",
        tags: ["Address book"],
        summary: "List the account's contacts, or search them by id, phone or email prefix",
        description:
          "In contact id order (byte order), a page at a time: `after` = the previous page's `next`. `prefix` finds the contacts whose id, phone number (E.164 as stored: `+3161`) or email address (as stored: lower-case, the domain in punycode) starts with it. " +
          ADDRESS_BOOK_TYPES +
          " The prefix matches only the identifiers of the token's types too: an `sms` token does not find contacts by their email address.",
        params: ACCOUNT_PARAMS,
        querystring: BROWSE_QUERY({
          type: "string",
          maxLength: 320,
          description: "Only contacts whose id, phone number or email address starts with this.",
        }),
        response: { 200: json("A page of contacts.", "ContactPage"), 400: BAD_QUERY, 404: UNKNOWN_ACCOUNT },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const limit = parseLimit(request.query.limit, BROWSE_PAGE_LIMITS);
      const after = decodeIdCursor(request.query.after ?? "");
      const channels = channelsFor(request);
      await requireAccountOf(deps.accounts, accountId);
      const rows = await typed(() =>
        searchContacts(deps.pool, accountId, {
          after,
          limit: limit + 1,
          prefix: request.query.prefix ?? "",
          channels,
        }),
      );
      return page(
        rows,
        limit,
        after,
        (c) => c.id,
        (c) => presentContact(c, channels),
      );
    },
  );
}
