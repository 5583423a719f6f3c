/**
 * The address book: groups and contacts per account (PUT/GET/DELETE), plus the bulk imports
 * (imports.ts) and the opt-out-filtered group lists (group-contacts.ts), registered together
 * in one child scope that owns the streaming body parsers and the normalizer pool.
 */
import type { FastifyInstance } from "fastify";
import { ForbiddenError, InvalidPayloadError, NotFoundError, type Logger } from "@optout/core";
import {
  CONTACT_IDENTIFIER_KEY,
  createNormalizer,
  isRowError,
  MAX_CONTACT_FIELDS,
  normalizeContactRow,
} from "@optout/address-book";
import { CHANNEL_NAMES, CHANNELS, type Channel } from "@optout/domain";
import type { Recorder } from "@optout/recorder";
import {
  deleteContact,
  deleteGroup,
  getContact,
  getGroup,
  putContact,
  typed,
  upsertGroup,
  type AccountDirectory,
  type Contact,
  type Group,
  type Pool,
} from "@optout/store";
import { assertChannelAllowed, channelsFor } from "../auth.js";
import { requireAccountOf } from "./account-of.js";
import { groupContactRoutes } from "./group-contacts.js";
import { importRoutes, registerStreamingParsers } from "./imports.js";
import { ID_PARAM, ACCOUNT_ID_PARAM, GROUP_ID_PARAM, CONTACT_ID_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, errorResponse, json, noBody } from "../openapi/responses.js";
import { ADDRESS_BOOK_TYPES } from "../openapi/texts.js";

export interface AddressBookDeps {
  pool: Pool;
  accounts: AccountDirectory;
  recorder: Recorder;
  logger: Logger;
  /** IMPORT_THREADS (0 or undefined: one per available CPU). */
  importThreads?: number;
  /** ERASURE_HASH_SECRET: the filtered group lists leave out erased people (./group-contacts.ts). */
  erasureHashSecret: string;
}

const GROUP_PARAMS = {
  type: "object",
  required: ["accountId", "groupId"],
  properties: { accountId: ACCOUNT_ID_PARAM, groupId: GROUP_ID_PARAM },
} as const;
const CONTACT_PARAMS = {
  type: "object",
  required: ["accountId", "contactId"],
  properties: { accountId: ACCOUNT_ID_PARAM, contactId: CONTACT_ID_PARAM },
} as const;

export function presentGroup(group: Group) {
  return {
    id: group.id,
    name: group.name,
    bypassOptOut: group.bypassOptOut,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  };
}

/**
 * A contact as the API shows it to a caller of these channels (a typed token's types): the
 * identifiers of other channels (`phone`/`phoneRaw`, `email`/`emailRaw`) are left out, keys and
 * all. Id, groups and fields belong to no channel.
 */
export function presentContact(contact: Contact, channels: readonly Channel[] = CHANNEL_NAMES) {
  const identifiers: Record<string, string | null> = {};
  for (const channel of CHANNEL_NAMES) {
    if (!channels.includes(channel)) continue;
    const key = CONTACT_IDENTIFIER_KEY[channel];
    identifiers[key] = contact[key];
    identifiers[`${key}Raw`] = contact[`${key}Raw`];
  }
  return {
    id: contact.id,
    ...identifiers,
    groups: contact.groups,
    fields: contact.fields,
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
}

interface ContactBody {
  phone?: string | null;
  email?: string | null;
  groups?: string[];
  fields?: Record<string, unknown>;
}

export function addressBookRoutes(app: FastifyInstance, deps: AddressBookDeps): void {
  // A child scope: the CSV/NDJSON stream parsers apply to these routes only.
  void app.register(async (scope) => {
    const normalizer = createNormalizer({ threads: deps.importThreads });
    scope.addHook("onClose", async () => normalizer.close());
    registerStreamingParsers(scope);
    groupRoutes(scope, deps);
    contactRoutes(scope, deps);
    importRoutes(scope, { ...deps, normalizer });
    groupContactRoutes(scope, deps);
  });
}

function groupRoutes(app: FastifyInstance, deps: AddressBookDeps): void {
  app.put<{ Params: { accountId: string; groupId: string }; Body: { name: string; bypassOptOut?: boolean } }>(
    "/v1/accounts/:accountId/groups/:groupId",
    {
      config: { access: { kind: "account-write" } },
      schema: {
        operationId: "putGroup",
        tags: ["Address book"],
        summary: "Create or replace a group",
        description:
          "`bypassOptOut: true` marks a group whose members are sent to even when opted out (a PUT without it does not bypass).",
        response: { 200: json("Replaced.", "Group"), 201: json("Created.", "Group"), 404: UNKNOWN_ACCOUNT },

        params: GROUP_PARAMS,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["name"],
          properties: {
            name: { type: "string", minLength: 1, maxLength: 200 },
            bypassOptOut: { type: "boolean" },
          },
        },
      },
    },
    async (request, reply) => {
      const { accountId, groupId } = request.params;
      await requireAccountOf(deps.accounts, accountId);
      // PUT replaces: a group PUT without bypassOptOut does not bypass.
      const { group, created } = await typed(() =>
        upsertGroup(deps.pool, {
          accountId,
          id: groupId,
          name: request.body.name,
          bypassOptOut: request.body.bypassOptOut ?? false,
        }),
      );
      return reply.status(created ? 201 : 200).send(presentGroup(group));
    },
  );

  app.get<{ Params: { accountId: string; groupId: string } }>(
    "/v1/accounts/:accountId/groups/:groupId",
    {
      config: { access: { kind: "account-read" } },
      schema: {
        operationId: "getGroup",
        tags: ["Address book"],
        summary: "Read a group",
        response: { 200: json("The group.", "Group"), 404: errorResponse("NOT_FOUND or UNKNOWN_ACCOUNT.") },
        params: GROUP_PARAMS,
      },
    },
    async (request) => {
      const { accountId, groupId } = request.params;
      await requireAccountOf(deps.accounts, accountId);
      const group = await typed(() => getGroup(deps.pool, accountId, groupId));
      if (!group) throw new NotFoundError(`group "${groupId}" does not exist in account "${accountId}"`);
      return presentGroup(group);
    },
  );

  app.delete<{ Params: { accountId: string; groupId: string } }>(
    "/v1/accounts/:accountId/groups/:groupId",
    {
      config: { access: { kind: "account-write" } },
      schema: {
        operationId: "deleteGroup",
        tags: ["Address book"],
        summary: "Delete a group",
        description: "Its memberships go with it; the contacts stay.",
        response: { 204: noBody("Deleted."), 404: errorResponse("NOT_FOUND or UNKNOWN_ACCOUNT.") },
        params: GROUP_PARAMS,
      },
    },
    async (request, reply) => {
      const { accountId, groupId } = request.params;
      await requireAccountOf(deps.accounts, accountId);
      // Memberships go with the group; the contacts stay.
      if (!(await typed(() => deleteGroup(deps.pool, accountId, groupId)))) {
        throw new NotFoundError(`group "${groupId}" does not exist in account "${accountId}"`);
      }
      return reply.status(204).send();
    },
  );
}

function contactRoutes(app: FastifyInstance, deps: AddressBookDeps): void {
  app.put<{ Params: { accountId: string; contactId: string }; Body: ContactBody }>(
    "/v1/accounts/:accountId/contacts/:contactId",
    {
      config: { access: { kind: "account-write" } },
      schema: {
        operationId: "putContact",
        tags: ["Address book"],
        summary: "Create or replace a contact",
        description:
          "`phone` and `email` are normalized (the raw values are kept); `groups` replaces the contact's memberships (groups are created as needed); `fields` are free-form: at most 200 keys, 16 KiB (16,384 bytes) as compact UTF-8 JSON, 32 levels of nesting. " +
          ADDRESS_BOOK_TYPES +
          " Sending another type's key (`email` from an `sms` token, even `null`, which would clear it) is a 403 `FORBIDDEN`; the PUT keeps the stored identifiers of the types the token lacks. Such a token must send one of its types' identifiers (a contact needs one).",
        response: {
          200: json("Replaced.", "Contact"),
          201: json("Created.", "Contact"),
          400: errorResponse(
            "INVALID_PAYLOAD: the phone number or email address does not normalize, `fields` are over their limits, or the body is malformed.",
          ),
          404: UNKNOWN_ACCOUNT,
        },
        params: CONTACT_PARAMS,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            phone: { type: ["string", "null"], maxLength: 64 },
            email: { type: ["string", "null"], maxLength: 320 },
            groups: { type: "array", maxItems: 1000, items: ID_PARAM },
            // The byte limit (16 KiB as JSON) is checked with the row rules of @optout/address-book.
            fields: { type: "object", maxProperties: MAX_CONTACT_FIELDS },
          },
        },
      },
    },
    async (request, reply) => {
      const { accountId, contactId } = request.params;
      const body = request.body;
      // A typed token writes only its channels' identifiers: sending another's (null included,
      // which would clear it) is a 403; the stored one is kept by the PUT.
      const channels = channelsFor(request);
      for (const channel of CHANNEL_NAMES) {
        if (body[CONTACT_IDENTIFIER_KEY[channel]] !== undefined) assertChannelAllowed(request, channel);
      }
      const account = await requireAccountOf(deps.accounts, accountId);
      const row = normalizeContactRow(
        {
          row: 0,
          id: contactId,
          phone: body.phone,
          email: body.email,
          groups: body.groups,
          fields: body.fields,
        },
        account.defaultCountry ?? undefined,
        channels,
      );
      if (isRowError(row))
        throw new InvalidPayloadError(
          row.value === "" || row.value === contactId ? row.reason : `${row.reason} (got "${row.value}")`,
        );
      const { contact, created } = await typed(() =>
        putContact(
          deps.pool,
          accountId,
          {
            id: row.id,
            phoneRaw: row.phoneRaw,
            phone: row.phone,
            emailRaw: row.emailRaw,
            email: row.email,
            fields: row.fields,
          },
          body.groups === undefined ? undefined : row.groups,
          { channels },
        ),
      );
      return reply.status(created ? 201 : 200).send(presentContact(contact, channels));
    },
  );

  app.get<{ Params: { accountId: string; contactId: string } }>(
    "/v1/accounts/:accountId/contacts/:contactId",
    {
      config: { access: { kind: "account-read" } },
      schema: {
        operationId: "getContact",
        tags: ["Address book"],
        summary: "Read a contact",
        description: ADDRESS_BOOK_TYPES,
        response: {
          200: json("The contact.", "Contact"),
          404: errorResponse("NOT_FOUND or UNKNOWN_ACCOUNT."),
        },
        params: CONTACT_PARAMS,
      },
    },
    async (request) => {
      const { accountId, contactId } = request.params;
      await requireAccountOf(deps.accounts, accountId);
      const contact = await typed(() => getContact(deps.pool, accountId, contactId));
      if (!contact)
        throw new NotFoundError(`contact "${contactId}" does not exist in account "${accountId}"`);
      return presentContact(contact, channelsFor(request));
    },
  );

  app.delete<{ Params: { accountId: string; contactId: string } }>(
    "/v1/accounts/:accountId/contacts/:contactId",
    {
      config: { access: { kind: "account-write" } },
      schema: {
        operationId: "deleteContact",
        tags: ["Address book"],
        summary: "Delete a contact",
        description:
          "With its memberships. A typed token may not delete a contact that has an identifier of a type it lacks (that would remove the identifier): 403 `FORBIDDEN`.",
        response: { 204: noBody("Deleted."), 404: errorResponse("NOT_FOUND or UNKNOWN_ACCOUNT.") },
        params: CONTACT_PARAMS,
      },
    },
    async (request, reply) => {
      const { accountId, contactId } = request.params;
      await requireAccountOf(deps.accounts, accountId);
      // A typed token may not remove an identifier of a channel it lacks, so not a contact that has one.
      const { deleted, keptFor } = await typed(() =>
        deleteContact(deps.pool, accountId, contactId, { channels: channelsFor(request) }),
      );
      if (keptFor !== undefined) {
        throw new ForbiddenError(
          `contact "${contactId}" also has an identifier for channel "${keptFor}" (its ${CHANNELS[keptFor].identifierKind}), which this token is not valid for: delete it with a token that has every type the contact uses`,
        );
      }
      if (!deleted)
        throw new NotFoundError(`contact "${contactId}" does not exist in account "${accountId}"`);
      return reply.status(204).send();
    },
  );
}
