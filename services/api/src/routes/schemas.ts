/** Route schema fragments shared by the API's routes. */
import { ACCOUNT_SETTINGS_PROPERTIES } from "@optout/schemas";
import { mergePatchSchema } from "../merge-patch.js";

export const ID_PARAM = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$" } as const;

export const CHANNEL_PARAM = {
  type: "string",
  enum: ["sms", "email"],
  description: "Channel (token type): `sms` or `email`.",
} as const;

/* The path parameters, described as the API document shows them. */
export const ACCOUNT_ID_PARAM = { ...ID_PARAM, description: "Account id." } as const;
export const ORG_ID_PARAM = { ...ID_PARAM, description: "Organization id." } as const;
export const GROUP_ID_PARAM = { ...ID_PARAM, description: "Group id." } as const;
export const CONTACT_ID_PARAM = { ...ID_PARAM, description: "Contact id." } as const;
export const IDENTIFIER_PARAM = {
  type: "string",
  minLength: 1,
  maxLength: 320,
  description:
    "Phone number (E.164, or national format in the account's default country) or email address, URL-encoded. Normalized by the server.",
} as const;

/** `limit` of a paged route: its bounds, in the words the document shows. */
export const limitParam = (limits: { default: number; max: number }, note = "") =>
  ({
    type: "string",
    pattern: "^[0-9]{1,6}$",
    description: `Page size, 1 to ${limits.max} (default ${limits.default}).${note}`,
  }) as const;

/**
 * `PUT /v1/accounts/{id}`: the account's own fields and its settings, one schema with the
 * workers (@optout/schemas ACCOUNT_SETTINGS_PROPERTIES). `webhook.secret` may be left out when
 * the account already has one (it is kept).
 */
export const ACCOUNT_BODY = {
  type: "object",
  additionalProperties: false,
  required: ["organizationId"],
  properties: {
    organizationId: ID_PARAM,
    listScope: { type: "string", enum: ["organization", "account"] },
    // null as GET shows it (none): a read-modify-write sends back what it read.
    defaultCountry: { anyOf: [{ type: "null" }, { type: "string", pattern: "^[A-Z]{2}$" }] },
    ...ACCOUNT_SETTINGS_PROPERTIES,
  },
} as const;

/** `PATCH /v1/accounts/{id}`: a JSON merge patch (RFC 7396) of the document ACCOUNT_BODY describes. */
export const ACCOUNT_PATCH_BODY = mergePatchSchema(ACCOUNT_BODY);
